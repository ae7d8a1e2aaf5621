// Talking to the server's JSON API (docs/web.md). Every call resolves to {data} or {error};
// an error is the server's own {code, message}, or one made here when the network fails.

async function call(method, path, body, signal) {
  const init = { method, signal, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (err.name === "AbortError") return { aborted: true };
    return { error: { code: "network", message: "Cannot reach the server. Is it still running?" } };
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    // a proxy's HTML error page, say: fall through to the generic message
  }
  if (response.ok && payload) return { data: payload };
  const error = (payload && payload.error) || {
    code: "http-" + response.status,
    message: "The server answered " + response.status + ". Please try again.",
  };
  return { error };
}

export const lint = (request, signal) => call("POST", "/api/lint", request, signal);
export const fixAll = (request) => call("POST", "/api/fix", request);
export const rules = () => call("GET", "/api/rules");

export function base64(buffer) {
  // btoa takes a "binary string"; build it in chunks so a large file does not overflow the stack.
  const bytes = new Uint8Array(buffer);
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(out);
}
