-- Drive outreach-lint's language server from a real, headless Neovim 0.7+.
-- Environment: OUTREACH_LSP_CMD (JSON list: the server command), OUTREACH_RESULT (a path:
-- the JSON results are written there). Run as:
--   nvim --headless --clean -n draft.txt -c 'luafile client.lua'
local result = { steps = {} }

local function step(name) table.insert(result.steps, name) end

local function finish()
  local f = assert(io.open(vim.env.OUTREACH_RESULT, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function lsp_code(d)
  if d.code ~= nil then return d.code end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end

local function job_ask(bufnr)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if lsp_code(d) == 'job-ask' then return d end
  end
  return nil
end

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'outreach-lint',
    cmd = vim.fn.json_decode(vim.env.OUTREACH_LSP_CMD),
    root_dir = vim.fn.getcwd(),
  })
  assert(client_id, 'start_client failed')
  vim.lsp.buf_attach_client(bufnr, client_id)
  step('attached')

  assert(vim.wait(60000, function() return job_ask(bufnr) ~= nil end, 50),
         'no job-ask diagnostic within 60 s')
  local d = job_ask(bufnr)
  result.diagnostic = { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum,
                        end_col = d.end_col, severity = d.severity, source = d.source }
  result.encoding = vim.lsp.get_client_by_id(client_id).offset_encoding
  step('diagnostic')

  -- Put the cursor on the diagnostic and let Neovim build the positions (bytes -> UTF-16),
  -- as its own hover and code-action commands do.
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col + 1 })
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover',
                                         vim.lsp.util.make_position_params(), 10000)
  for _, r in pairs(hover or {}) do
    if r.result and r.result.contents then result.hover = r.result.contents.value end
  end
  step('hover')

  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr) }
  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000)
  local chosen = nil
  result.titles = {}
  for _, r in pairs(actions or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(result.titles, a.title)
      if chosen == nil and a.kind == 'quickfix' and a.diagnostics
          and a.diagnostics[1] and a.diagnostics[1].code == 'job-ask' then
        chosen = a
      end
    end
  end
  assert(chosen, 'no job-ask quick fix')
  result.applied = chosen.title
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  step('applied')

  result.cleared = vim.wait(30000, function() return job_ask(bufnr) == nil end, 50)
  result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  result.remaining = {}
  for _, x in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.remaining, lsp_code(x))
  end
  step('done')
end)

if not ok then result.error = tostring(err) end
finish()
