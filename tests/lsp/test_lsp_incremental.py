"""Incremental sync end to end: the server's copy of a draft follows small edits exactly,
also on a 2 MB draft (where each edit used to cost 0.4-4 s on the event loop)."""

from __future__ import annotations

import random

import pytest
from lsp_support import (
    JOB_ASK,
    apply_text_edits,
    capabilities,
    open_doc,
    running_server,
    wait_for,
)
from lsprotocol import types

import outreach_lint as ol

pytestmark = pytest.mark.asyncio


def edit(client: object, uri: str, version: int, line: int, col: int, end_col: int,
         text: str) -> types.TextEdit:
    rng = types.Range(start=types.Position(line=line, character=col),
                      end=types.Position(line=line, character=end_col))
    client.text_document_did_change(types.DidChangeTextDocumentParams(  # type: ignore[attr-defined]
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=rng, text=text)],
    ))
    return types.TextEdit(range=rng, new_text=text)


def rules_by_line(text: str) -> list[tuple[str, int]]:
    return sorted((f.rule_id, text.count("\n", 0, f.span.start)) for f in ol.lint(text).findings)


async def test_small_edits_keep_the_servers_copy_exact() -> None:
    async with running_server(capabilities("neovim@v0.7.0")) as client:
        uri = "untitled:typing.txt"
        # U+2028 inside a line and an emoji: editors do not break lines there, and the
        # emoji is two UTF-16 units.
        text = "Hi Dana \U0001F600,\n\nI loved\u2028your talk.\n\nBest,\nSam"
        open_doc(client, uri, text)
        await wait_for(client, uri, version=1)
        ask = " Do you have any openings on your team?"
        version = 1
        # Type the job ask one character at a time at the end of line 2, then retype the
        # greeting's name over the emoji's line.
        for i, ch in enumerate(ask):
            version += 1
            col = len("I loved\u2028your talk.") + i
            e = edit(client, uri, version, 2, col, col, ch)
            text = apply_text_edits(text, [e], "utf-16")
        version += 1
        e = edit(client, uri, version, 0, 3, 7, "Lee")
        text = apply_text_edits(text, [e], "utf-16")
        diags = await wait_for(client, uri, version=version)
        assert "Do you have any openings on your team?" in text
        got = sorted((str(d.code), d.range.start.line) for d in diags)
        assert got == rules_by_line(text)
        assert ("job-ask", 2) in got


async def test_many_small_edits_on_a_2_mb_draft() -> None:
    rng = random.Random(4)
    line = "we could talk about your work at the studio next week"
    text = "\n".join([line] * 38_000)  # ~2 MB, 38,000 lines
    async with running_server(capabilities("neovim@v0.7.0")) as client:
        uri = "untitled:huge.txt"
        open_doc(client, uri, text)
        await wait_for(client, uri, version=1, timeout=60)
        for version in range(2, 302):
            n = rng.randrange(38_000)
            col = rng.randrange(len(line))
            e = edit(client, uri, version, n, col, col + rng.choice([0, 1]),
                     rng.choice(["x", "", "\n", "yz"]))
            text = apply_text_edits(text, [e], "utf-16")
        (diag,) = await wait_for(client, uri, version=301, timeout=60)
        assert diag.code == "draft-too-large"
        assert f"This draft has {len(text):,} characters" in diag.message
        # ... and it still answers about the draft it has, a normal one next to it too.
        open_doc(client, "untitled:small.txt", JOB_ASK)
        assert await wait_for(client, "untitled:small.txt", version=1)
