"""Helpers for driving the language server with pytest-lsp.

Positions are worked out here independently of `outreach_lint.models.LineIndex` (by
splitting on "\\n" and counting code units with Python's codecs), so the tests check the
server's arithmetic instead of repeating it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER = [sys.executable, "-m", "outreach_lint.lsp", "--debounce-ms", "60"]
if os.environ.get("OUTREACH_LINT_LSP_TEST_LOG"):  # debugging: the server's own log
    SERVER += ["--log-file", os.environ["OUTREACH_LINT_LSP_TEST_LOG"], "--verbose"]
TIMEOUT = 30.0

JOB_ASK = "Hi Dana,\n\nDo you have any openings on your team?\n\nBest,\nSam"
JOB_ASK_SENTENCE = "Do you have any openings on your team?"

#: (pytest id, pytest-lsp client spec, the encoding the server must pick)
PROFILES = [
    ("neovim-0.7", "neovim@v0.7.0", "utf-16"),
    ("vscode-1.65", "visual-studio-code@v1.65.2", "utf-16"),
    ("emacs-29", "emacs@v29.1", "utf-32"),
    ("neovim-0.11", "neovim@v0.11.0", "utf-8"),
]


class RecordingClient(LanguageClient):
    """A pytest-lsp client that keeps every publishDiagnostics (with its version)."""

    published: dict[str, list[types.PublishDiagnosticsParams]]
    encoding: str


def _record(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.setdefault(params.uri, []).append(params)


def make_client(configuration: dict[str, Any] | None = None) -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter, configuration=configuration)
    client.published = {}
    client.encoding = "utf-16"
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record
    register_lsp_features(client, features)
    return client


def capabilities(spec: str, encodings: Sequence[str] | None = None) -> types.ClientCapabilities:
    """A real client's captured capabilities, optionally with other position encodings."""
    caps = client_capabilities(spec)
    if encodings is not None:
        caps.general = types.GeneralClientCapabilities(position_encodings=list(encodings))
    return caps


@contextlib.asynccontextmanager
async def running_server(
    caps: types.ClientCapabilities,
    *,
    init_options: Any = None,
    configuration: dict[str, Any] | None = None,
    root_uri: str | None = None,
    server: list[str] | None = None,
) -> AsyncIterator[RecordingClient]:
    """Start the server as a subprocess, initialize it and shut it down afterwards."""
    config = ClientServerConfig(server_command=server or SERVER,
                                client_factory=lambda: make_client(configuration))
    client = await config.start()
    assert isinstance(client, RecordingClient)
    try:
        result = await client.initialize_session(types.InitializeParams(
            capabilities=caps, initialization_options=init_options, root_uri=root_uri,
        ))
        enc = result.capabilities.position_encoding
        client.encoding = enc.value if isinstance(enc, types.PositionEncodingKind) else str(enc)
        yield client
        await client.shutdown_session()
    finally:
        # pygls' stop() waits for the server to exit: after a failed test it never would.
        proc = client._server
        if proc is not None and proc.returncode is None:
            proc.terminate()
        await client.stop()  # type: ignore[no-untyped-call]


async def wait_for(
    client: RecordingClient,
    uri: str,
    *,
    version: int | None = None,
    where: Callable[[Sequence[types.Diagnostic]], bool] = lambda _: True,
    timeout: float = TIMEOUT,
) -> Sequence[types.Diagnostic]:
    """The newest diagnostics for `uri` once they are for `version` and satisfy `where`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        got = client.published.get(uri, [])
        if got:
            last = got[-1]
            if (version is None or last.version == version) and where(last.diagnostics):
                return last.diagnostics
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no matching diagnostics for {uri}; got {got[-3:]!r}")
        await asyncio.sleep(0.01)


def open_doc(client: RecordingClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="text", version=version,
                                             text=text)
    ))


def change_doc(client: RecordingClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
    ))


def close_doc(client: RecordingClient, uri: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)
    ))


def by_rule(diags: Sequence[types.Diagnostic], rule_id: str) -> list[types.Diagnostic]:
    return [d for d in diags if d.code == rule_id]


# --------------------------------------------------------- independent position maths


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def position(text: str, offset: int, encoding: str) -> tuple[int, int]:
    """(line, column) of a code-point offset, lines broken only at "\\n"."""
    before = text[:offset]
    line = before.count("\n")
    return line, units(before[before.rfind("\n") + 1 :], encoding)


def offset(text: str, pos: types.Position, encoding: str) -> int:
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[: pos.line])
    count = 0
    for i, ch in enumerate(lines[pos.line]):
        if count >= pos.character:
            return start + i
        count += units(ch, encoding)
    return start + len(lines[pos.line])


def apply_text_edits(text: str, edits: Sequence[types.TextEdit], encoding: str) -> str:
    spans = sorted(((offset(text, e.range.start, encoding), offset(text, e.range.end, encoding),
                     e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
