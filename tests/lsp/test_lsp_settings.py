"""Settings from the editor (initializationOptions, didChangeConfiguration, the pull model)
and the project config file found from the draft's path."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsp_support import (
    JOB_ASK,
    SERVER,
    RecordingClient,
    by_rule,
    capabilities,
    open_doc,
    running_server,
    wait_for,
)
from lsprotocol import types

pytestmark = pytest.mark.asyncio


def no_pull(spec: str = "neovim@v0.7.0") -> types.ClientCapabilities:
    """A client that only pushes settings (no `workspace/configuration`)."""
    caps = capabilities(spec)
    assert caps.workspace is not None
    caps.workspace.configuration = False
    return caps


def all_published_rules(client: RecordingClient, uri: str) -> set[str]:
    return {str(d.code) for p in client.published.get(uri, []) for d in p.diagnostics}


async def messages(client: RecordingClient, count: int = 1) -> list[str]:
    """The window/showMessage texts, once at least `count` arrived (or after 6 s)."""
    for _ in range(300):
        if len(client.messages) >= count:
            break
        await asyncio.sleep(0.02)
    return [m.message for m in client.messages]


@pytest.mark.parametrize(
    "options",
    [{"ignore": ["job-ask"]}, {"outreach-lint": {"ignore": ["job-ask"]}}],
    ids=["top-level", "section"],
)
async def test_initialization_options(options: dict[str, Any]) -> None:
    async with running_server(capabilities("neovim@v0.7.0"), init_options=options) as client:
        open_doc(client, "untitled:a.txt", JOB_ASK)
        diags = await wait_for(client, "untitled:a.txt", version=1)
        assert diags, "other rules still report"
        # Not even a first flash of the wrong settings.
        assert "job-ask" not in all_published_rules(client, "untitled:a.txt")
        assert client.messages == []


async def test_bad_initialization_options_keep_linting() -> None:
    async with running_server(capabilities("neovim@v0.7.0"),
                              init_options={"ignore": "job-ask"}) as client:
        open_doc(client, "untitled:b.txt", JOB_ASK)
        diags = await wait_for(client, "untitled:b.txt", version=1)
        assert by_rule(diags, "job-ask"), "still linting with the defaults"
        (msg,) = await messages(client)
        assert "'ignore'" in msg and "initializationOptions" in msg
        assert client.messages[0].type == types.MessageType.Error


async def test_did_change_configuration_push() -> None:
    async with running_server(no_pull()) as client:
        uri = "untitled:c.txt"
        open_doc(client, uri, JOB_ASK)
        await wait_for(client, uri, version=1, where=lambda d: bool(by_rule(d, "job-ask")))
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"outreach-lint": {"ignore": ["job-ask"]}}))
        await wait_for(client, uri, where=lambda d: bool(d) and not by_rule(d, "job-ask"))
        # A bad profile: one error message, and the previous settings stay in force.
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"outreach-lint": {"ignore": ["job-ask"], "profile": "nope"}}))
        (msg,) = await messages(client)
        assert "unknown profile 'nope'" in msg
        await asyncio.sleep(0.3)
        assert not any(p.diagnostics and by_rule(p.diagnostics, "job-ask")
                       for p in client.published[uri][-1:]), "previous settings still apply"
        # An unknown key is refused without relinting with it.
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"outreach-lint": {"ignroe": ["job-ask"]}}))
        msgs = await messages(client, 2)
        assert "unknown key 'ignroe'" in msgs[1]


async def test_workspace_configuration_pull() -> None:
    config = {"": {"outreach-lint": {"ignore": ["job-ask"]}}}
    async with running_server(capabilities("visual-studio-code@v1.65.2"),
                              configuration=config) as client:
        uri = "untitled:d.txt"
        open_doc(client, uri, JOB_ASK)
        diags = await wait_for(client, uri, version=1)
        assert diags and "job-ask" not in all_published_rules(client, uri)
        # didChangeConfiguration with no payload: the server pulls the new section.
        client.set_configuration({"ignore": []}, section="outreach-lint")
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=None))
        await wait_for(client, uri, where=lambda d: bool(by_rule(d, "job-ask")))


async def test_project_config_then_settings_over_it(tmp_path: Path) -> None:
    (tmp_path / ".outreach-lint.toml").write_text('ignore = ["job-ask"]\n', encoding="utf-8")
    draft = tmp_path / "notes" / "dana.txt"
    draft.parent.mkdir()
    draft.write_text(JOB_ASK, encoding="utf-8")
    uri = draft.as_uri()
    async with running_server(no_pull(), root_uri=tmp_path.as_uri()) as client:
        open_doc(client, uri, JOB_ASK)
        diags = await wait_for(client, uri, version=1)
        assert diags and not by_rule(diags, "job-ask")
    async with running_server(no_pull(), init_options={"ignore": []},
                              root_uri=tmp_path.as_uri()) as client:
        open_doc(client, uri, JOB_ASK)
        diags = await wait_for(client, uri, version=1)
        assert by_rule(diags, "job-ask"), "editor settings win over the project file"


async def test_broken_project_config_is_one_diagnostic(tmp_path: Path) -> None:
    (tmp_path / ".outreach-lint.toml").write_text("ignore = [job-ask\n", encoding="utf-8")
    uri = (tmp_path / "draft.txt").as_uri()
    async with running_server(no_pull()) as client:
        open_doc(client, uri, JOB_ASK)
        (diag,) = await wait_for(client, uri, version=1)
        assert diag.code == "config-error"
        assert ".outreach-lint.toml" in diag.message and "invalid TOML" in diag.message
        assert diag.range.start.line == 0


async def test_time_budget_gives_one_diagnostic() -> None:
    server = [*SERVER, "--budget-s", "0.000001"]
    async with running_server(no_pull(), server=server) as client:
        open_doc(client, "untitled:slow.txt", JOB_ASK)
        (diag,) = await wait_for(client, "untitled:slow.txt", version=1)
        assert diag.code == "lint-timeout"
        assert diag.severity == types.DiagnosticSeverity.Error
        # The server is still there and answers.
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri="untitled:slow.txt"),
            position=types.Position(line=0, character=0)))
        assert hover is None
