"""`outreach-lint lsp` starts the language server on stdio (the editors' entry point)."""

from __future__ import annotations

import json
import subprocess
import sys


def _frame(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_lsp_subcommand_answers_json_rpc_on_stdio() -> None:
    messages = _frame({"jsonrpc": "2.0", "id": 1, "method": "shutdown", "params": None})
    messages += _frame({"jsonrpc": "2.0", "method": "exit", "params": None})
    proc = subprocess.run(
        [sys.executable, "-m", "outreach_lint", "lsp", "--stdio"],
        input=messages, capture_output=True, timeout=60, check=False,
    )
    header, _, body = proc.stdout.partition(b"\r\n\r\n")
    assert header.startswith(b"Content-Length:")
    reply = json.loads(body[: int(header.split(b":")[1].split(b"\r\n")[0])])
    assert reply == {"id": 1, "jsonrpc": "2.0", "result": None}
