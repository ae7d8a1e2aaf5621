"""The language server end to end, once per real client's captured capabilities.

Each profile starts one server (pytest-lsp replays Neovim 0.7, VS Code 1.65, Emacs 29 and
Neovim 0.11's `initialize` capabilities), which negotiates UTF-16, UTF-16, UTF-32 and UTF-8
positions respectively; every test opens its own document.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from lsp_support import (
    JOB_ASK,
    JOB_ASK_SENTENCE,
    PROFILES,
    RecordingClient,
    apply_text_edits,
    by_rule,
    capabilities,
    change_doc,
    close_doc,
    open_doc,
    position,
    running_server,
    wait_for,
)
from lsprotocol import types

import outreach_lint as ol

pytestmark = pytest.mark.asyncio(loop_scope="module")
_uris = itertools.count()


@pytest_asyncio.fixture(scope="module", loop_scope="module",
                        params=PROFILES, ids=[p[0] for p in PROFILES])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[RecordingClient]:
    _, spec, expected = request.param
    async with running_server(capabilities(spec)) as c:
        assert c.encoding == expected, f"{spec} should negotiate {expected}"
        yield c


def new_uri(stem: str = "draft") -> str:
    return f"untitled:{stem}-{next(_uris)}.txt"


def expected_range(text: str, rule_id: str, encoding: str) -> types.Range:
    """Where the library says the finding is, in the editor's line and column units."""
    (span,) = [f.span for f in ol.lint(text).findings if f.rule_id == rule_id]
    a, b = position(text, span.start, encoding), position(text, span.end, encoding)
    return types.Range(start=types.Position(line=a[0], character=a[1]),
                       end=types.Position(line=b[0], character=b[1]))


async def test_job_ask_diagnostic_on_the_right_line(client: RecordingClient) -> None:
    uri = new_uri()
    open_doc(client, uri, JOB_ASK)
    diags = await wait_for(client, uri, version=1, where=lambda d: bool(by_rule(d, "job-ask")))
    (diag,) = by_rule(diags, "job-ask")
    assert diag.range == types.Range(start=types.Position(line=2, character=0),
                                     end=types.Position(line=2, character=38))
    assert diag.severity == types.DiagnosticSeverity.Error
    assert diag.source == "outreach-lint"
    assert diag.code_description is not None
    assert diag.code_description.href.endswith("/docs/rules/job-ask.md")
    # Every finding of the library, and nothing else, with its severity mapped.
    severity = {"error": types.DiagnosticSeverity.Error,
                "warning": types.DiagnosticSeverity.Warning,
                "info": types.DiagnosticSeverity.Information}
    findings = ol.lint(JOB_ASK).findings
    assert [(d.code, d.severity, d.message) for d in diags] == [
        (f.rule_id, severity[f.severity.value], f.message) for f in findings]
    close_doc(client, uri)


async def test_diagnostics_follow_edits_and_clear_on_close(client: RecordingClient) -> None:
    uri = new_uri()
    open_doc(client, uri, "Hi Dana,\n\nI loved your talk on search.\n\nBest,\nSam")
    first = await wait_for(client, uri, version=1)
    assert not by_rule(first, "job-ask")
    # Several quick edits: only the latest version's diagnostics count.
    change_doc(client, uri, "Hi Dana,\n\nDo you", 2)
    change_doc(client, uri, "Hi Dana,\n\nDo you have any open", 3)
    change_doc(client, uri, JOB_ASK, 4)
    diags = await wait_for(client, uri, version=4)
    assert [d.range.start.line for d in by_rule(diags, "job-ask")] == [2]
    assert all(p.version in (1, 4) for p in client.published[uri]), "stale version published"
    close_doc(client, uri)
    await wait_for(client, uri, where=lambda d: len(d) == 0)
    assert len(client.published[uri][-1].diagnostics) == 0


async def test_quick_fix_removes_the_diagnostic(client: RecordingClient) -> None:
    uri = new_uri()
    open_doc(client, uri, JOB_ASK)
    diags = await wait_for(client, uri, version=1, where=lambda d: bool(by_rule(d, "job-ask")))
    (diag,) = by_rule(diags, "job-ask")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag]),
    ))
    assert actions is not None
    quick = [a for a in actions if isinstance(a, types.CodeAction)
             and a.kind == types.CodeActionKind.QuickFix]
    job = [a for a in quick if a.diagnostics and a.diagnostics[0].code == "job-ask"]
    assert job, [a.title for a in quick]
    assert job[0].diagnostics is not None and job[0].diagnostics[0].range == diag.range
    preferred = [a for a in quick if a.is_preferred]
    assert len(preferred) == 1, "exactly one preferred (safe) quick fix"
    assert job[0].edit is not None and job[0].edit.changes is not None
    assert job[0].command is None, "fixes are plain edits, no client-side commands"
    fixed = apply_text_edits(JOB_ASK, job[0].edit.changes[uri], client.encoding)
    assert JOB_ASK_SENTENCE not in fixed
    change_doc(client, uri, fixed, 2)
    after = await wait_for(client, uri, version=2)
    assert not by_rule(after, "job-ask")
    close_doc(client, uri)


async def test_fix_all_source_action(client: RecordingClient) -> None:
    uri = new_uri()
    open_doc(client, uri, JOB_ASK)
    await wait_for(client, uri, version=1)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(line=0, character=0),
                          end=types.Position(line=0, character=0)),
        context=types.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
    ))
    assert actions is not None
    (fix_all,) = [a for a in actions if isinstance(a, types.CodeAction)]
    assert fix_all.kind == "source.fixAll.outreach-lint"
    assert fix_all.title == "Fix all safe problems (outreach-lint)"
    assert fix_all.edit is not None and fix_all.edit.changes is not None
    (edit,) = fix_all.edit.changes[uri]
    assert apply_text_edits(JOB_ASK, [edit], client.encoding) == ol.fix(JOB_ASK).text
    close_doc(client, uri)


async def test_hover_explains_the_rule(client: RecordingClient) -> None:
    uri = new_uri()
    open_doc(client, uri, JOB_ASK)
    await wait_for(client, uri, version=1, where=lambda d: bool(by_rule(d, "job-ask")))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=2, character=5),
    ))
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    rule = next(r for r in ol.rules(ol.Config()) if r.id == "job-ask")
    value = hover.contents.value
    assert "**job-ask**" in value
    assert rule.why.strip()[:60] in value
    assert rule.sources[0].url and rule.sources[0].url in value
    assert rule.examples.fail[0].strip().splitlines()[0] in value
    assert rule.examples.pass_[0].strip().splitlines()[-1] in value
    assert hover.range is not None and hover.range.start.line == 2
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=4, character=1),
    ))
    assert nothing is None
    close_doc(client, uri)


UNICODE_DRAFTS = {
    # U+2028 inside a line: editors keep it on one line, str.splitlines() would not.
    "emoji-ls": "Hi Dana 😀,\n\nI love 😀 your work on 数据 pipelines.\u2028 "
                "Do you have any openings on your team?\n\nBest,\nSam",
    "cjk": "Hi 李娜,\n\n我很喜欢你的文章 😀😀. Do you have any openings on your team?\n\nBest,\nSam",
    "nel-ff": "Hi Dana,\n\nThanks for the talk\x85 and the slides\x0c 😀 "
              "Do you have any openings on your team?\n\nBest,\nSam",
}


@pytest.mark.parametrize("name", sorted(UNICODE_DRAFTS))
async def test_unicode_positions(client: RecordingClient, name: str) -> None:
    text = UNICODE_DRAFTS[name]
    uri = new_uri(name)
    open_doc(client, uri, text)
    diags = await wait_for(client, uri, version=1, where=lambda d: bool(by_rule(d, "job-ask")))
    (diag,) = by_rule(diags, "job-ask")
    assert diag.range == expected_range(text, "job-ask", client.encoding)
    assert diag.range.start.line == diag.range.end.line == 2
    # The quick fix's edit lands exactly on the sentence in this encoding too.
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag]),
    ))
    assert actions is not None
    job = [a for a in actions if isinstance(a, types.CodeAction) and a.diagnostics
           and a.diagnostics[0].code == "job-ask"]
    assert job and job[0].edit is not None and job[0].edit.changes is not None
    fixed = apply_text_edits(text, job[0].edit.changes[uri], client.encoding)
    (finding,) = [f for f in ol.lint(text).findings if f.rule_id == "job-ask"]
    (lib_edit,) = finding.fixes[0].edits
    assert fixed == ol.apply_edits(text, [lib_edit])
    # Hover at a position inside the sentence, given in the negotiated encoding.
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=2, character=diag.range.start.character + 3),
    ))
    assert hover is not None and "job-ask" in str(hover.contents)
    close_doc(client, uri)
