"""Finding 8 of issue 16, protocol side: a slow lint never blocks the server, over pytest-lsp.

The slow lint is real: a user pack with a token pattern that is allowed (one unbounded
token) but quadratic, on a 100,000-character draft: about a minute of work inside one
matcher call, which no thread could interrupt. The server lints it in a child process and
kills that at its budget; meanwhile hover, other drafts and shutdown are answered.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lsp_support import (
    JOB_ASK,
    SERVER,
    RecordingClient,
    by_rule,
    capabilities,
    change_doc,
    make_client,
    open_doc,
    wait_for,
)
from lsprotocol import types
from pytest_lsp import ClientServerConfig

pytestmark = pytest.mark.asyncio

BUDGET = 6
# Ends with 'zzzz': without a word the pattern requires, the matcher would not run at all
# (candidates first, rules/candidates.py).
SLOW_TEXT = "Hi Dana,\n\n" + "word " * 20_000 + "zzzz\n\nSam"

QUADRATIC_RULE = """\
id: quadratic
kind: existence
category: ask
severity: warning
message: Slow on purpose.
why: Because.
source: tests
match:
  tokens:
    - [{LOWER: word}, {OP: "*"}, {LOWER: zzzz}]
examples:
  fail: ["word then zzzz"]
  pass: ["Hello."]
"""


def slow_pack(root: Path) -> Path:
    pack = root / "slow-pack"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: slow-pack\nversion: '1'\ndescription: Slow.\n",
                                    encoding="utf-8")
    (pack / "rules" / "quadratic.yaml").write_text(QUADRATIC_RULE, encoding="utf-8")
    return pack


def children(pid: int) -> list[int]:
    """The server's child processes (its lint worker processes), from /proc."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


@contextlib.asynccontextmanager
async def slow_server(tmp_path: Path) -> AsyncIterator[RecordingClient]:
    """A server with the slow pack; the test itself shuts it down (or it is killed)."""
    options = {"packs": [str(slow_pack(tmp_path))], "max-chars": 200_000}
    caps = capabilities("neovim@v0.7.0")
    assert caps.workspace is not None
    caps.workspace.configuration = False
    config = ClientServerConfig(server_command=[*SERVER, "--budget-s", str(BUDGET)],
                                client_factory=make_client)
    client = await config.start()
    assert isinstance(client, RecordingClient)
    try:
        await client.initialize_session(types.InitializeParams(
            capabilities=caps, initialization_options=options))
        open_doc(client, "untitled:warm.txt", JOB_ASK)  # loads the pipeline and the pack
        await wait_for(client, "untitled:warm.txt", version=1, timeout=60)
        yield client
    finally:
        proc = client._server
        if proc is not None and proc.returncode is None:
            proc.kill()
        await client.stop()  # type: ignore[no-untyped-call]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
async def test_hover_other_drafts_and_shutdown_answer_while_a_slow_lint_runs(tmp_path: Path
                                                                            ) -> None:
    async with slow_server(tmp_path) as client:
        server_pid = client._server.pid  # type: ignore[union-attr]
        slow, other = "untitled:slow.txt", "untitled:other.txt"
        open_doc(client, slow, SLOW_TEXT)
        await asyncio.sleep(0.5)  # its lint is under way, in a worker process
        during = children(server_pid)
        assert during, "the slow draft is not being linted in a worker process"
        assert client.published.get(slow) is None

        # A hover on a draft that was already checked is answered now...
        hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri="untitled:warm.txt"),
            position=types.Position(line=2, character=5))), BUDGET / 2)
        assert hover is not None and "job-ask" in str(hover.contents)
        # ... and another draft is checked while the slow one still runs.
        open_doc(client, other, JOB_ASK.replace("Dana", "Lee"))
        diags = await wait_for(client, other, version=1, timeout=BUDGET)
        assert by_rule(diags, "job-ask")
        assert client.published.get(slow) is None, "the slow lint should still be running"

        # The slow draft gets one lint-timeout diagnostic at its budget, and the worker that
        # ran it is gone: the lint was stopped, not left running.
        (diag,) = await wait_for(client, slow, version=1, timeout=BUDGET + 20)
        assert diag.code == "lint-timeout" and f"{BUDGET} s" in diag.message
        await asyncio.sleep(0.2)
        after = children(server_pid)
        assert len(set(during) - set(after)) == 1, (during, after)

        # Start another slow lint, then shut down in the middle of it: answered at once.
        change_doc(client, slow, SLOW_TEXT.replace("Sam", "Sam R."), 2)
        await asyncio.sleep(1)
        assert children(server_pid)
        await asyncio.wait_for(client.shutdown_async(None), BUDGET / 2)
        assert [p.version for p in client.published[slow]] == [1], "no lint after shutdown"
        client.exit(None)
        assert await asyncio.wait_for(client._server.wait(), 10) == 0  # type: ignore[union-attr]
