-- After a documented editor snippet (docs/editors.md) was sourced and a draft opened: wait
-- for outreach-lint's diagnostics and write them (code, severity) to $OUTREACH_RESULT.
local result = { diagnostics = {} }

local function code_of(d)
  if d.code ~= nil then return d.code end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype
  -- Settings arrive after start-up; wait until the diagnostics settle on the final set.
  local function current()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(out, { code = code_of(d), severity = d.severity })
    end
    return out
  end
  assert(vim.wait(60000, function() return #current() > 0 end, 50),
         'no diagnostics within 60 s')
  local last, stable = vim.inspect(current()), 0
  vim.wait(20000, function()
    local now = vim.inspect(current())
    if now == last then stable = stable + 1 else stable, last = 0, now end
    return stable >= 40  -- unchanged for 2 s
  end, 50)
  result.diagnostics = current()
end)

if not ok then result.error = tostring(err) end
local f = assert(io.open(vim.env.OUTREACH_RESULT, 'w'))
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qall!')
