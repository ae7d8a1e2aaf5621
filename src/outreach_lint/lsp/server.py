"""The language server: live diagnostics, quick fixes, a fix-all action and rule hovers.

A thin layer over the public API. The server keeps its own copy of every open draft
(incremental sync, applied edit by edit against its own line index, `buffer.TextBuffer`;
never pygls' `splitlines`-based documents, which break lines at U+2028 and rescan the whole
text per edit), lints a draft a short while after the last keystroke and publishes only
results for the newest version of a draft.

A lint never runs on the event loop: a worker thread hands it to a worker process
(`bounded.Worker`, forked from the server) and waits; a worker that overruns the time budget
is killed (and forked anew for the next lint), so a slow rule pack costs one `lint-timeout`
diagnostic, never a frozen server. Two lints can run at once, so one slow draft does not hold
up the others. stdin is read through `framing.FramedStdin`,
which turns broken frames into errors instead of a deaf server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import queue
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pydantic import ValidationError
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from .. import __version__, bounded
from ..api import fix, lint, prepare
from ..catalog import rules
from ..config import Config, discover, load_config
from ..errors import ConfigError, OutreachLintError, PackError
from ..models import Applicability, Finding, FixResult, LineIndex, PositionEncoding, Report
from . import convert, framing
from . import settings as settings_mod
from .buffer import TextBuffer

log = logging.getLogger("outreach_lint.lsp")
T = TypeVar("T")

DEFAULT_DEBOUNCE = 0.15
DEFAULT_BUDGET = 10.0
DEFAULT_MAX_MESSAGE_MB = framing.DEFAULT_MAX_BYTES / (1024 * 1024)
#: Lints that may run at once (each in its own child process); more wait their turn.
LINT_WORKERS = 2
#: How long past the budget the event loop waits for a lint whose child could not be killed
#: (no `fork` on this system) before it stops waiting and reports the timeout anyway.
BUDGET_GRACE = 2.0
#: How long a first lint waits for the client's answer to `workspace/configuration`.
SETTINGS_WAIT = 3.0


@dataclass(frozen=True)
class Outcome:
    """The result of linting one version of a draft."""

    version: int
    text: str
    report: Report | None = None
    config: Config | None = None
    problem: tuple[str, str] | None = None  # (code, message) when the draft was not checked


@dataclass
class _Inflight:
    """A lint under way for one version of a draft, with the settings it runs with."""

    settings: object
    task: asyncio.Future[Outcome]
    waiters: int = 0


@dataclass
class Document:
    uri: str
    buffer: TextBuffer
    version: int
    outcome: Outcome | None = None

    @property
    def text(self) -> str:
        return self.buffer.text

    @property
    def index(self) -> LineIndex:
        return self.buffer.index

    def apply(self, change: types.TextDocumentContentChangeEvent,
              encoding: PositionEncoding) -> None:
        """One `didChange` content change: a range edit, or the whole new text."""
        if isinstance(change, types.TextDocumentContentChangePartial):
            buf = self.buffer
            start = buf.offset(change.range.start.line, change.range.start.character, encoding)
            end = buf.offset(change.range.end.line, change.range.end.character, encoding)
            buf.replace(start, max(start, end), change.text)
        else:
            self.buffer = TextBuffer(change.text)


class OutreachProtocol(LanguageServerProtocol):
    """pygls' protocol, except that a request it cannot read still gets an answer, and
    pygls keeps no copy of the documents (the server keeps its own, see `Document`).

    pygls turns a request whose params do not fit the method's type (`{"textDocument": 7}`
    for a hover) into an exception while parsing, which drops the request id: the client
    would wait for that reply forever. Answer it with the error (InvalidParams) first.
    """

    # pygls' own handlers would also apply every edit to a second copy of the document,
    # re-splitting its whole text per edit; these only pass the notification on.
    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Any:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

    def framing_error(self, request_id: int | str | None, reason: str) -> None:
        """Answer a broken frame (see framing.py): an error reply and a line in the log."""
        message = f"outreach-lint could not read a message from the editor: {reason}."
        self._send_data({"jsonrpc": "2.0", "id": request_id,
                         "error": {"code": -32700, "message": message}})
        self._send_data({"jsonrpc": "2.0", "method": types.WINDOW_LOG_MESSAGE,
                         "params": {"type": types.MessageType.Error.value,
                                    "message": message}})
        log.error("%s", message)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "method" in data and "id" in data and "error" not in data:
                self._send_response(data["id"], None, exc.to_response_error())
            raise  # pygls logs it and goes on with the next message


class OutreachLanguageServer(LanguageServer):
    """pygls server with outreach-lint's document store, settings and lint scheduling."""

    def __init__(self, *, debounce: float = DEFAULT_DEBOUNCE,
                 budget: float = DEFAULT_BUDGET) -> None:
        super().__init__("outreach-lint", __version__, protocol_cls=OutreachProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = debounce
        self.budget = budget
        self.documents: dict[str, Document] = {}
        self.encoding: PositionEncoding = "utf-16"
        self.root: Path | None = None
        self.init_settings: dict[str, Any] = {}
        self.client_settings: dict[str, Any] = {}
        self.settings: dict[str, Any] = {}
        self.markdown_hover = True
        self.pull_config = False
        self._tasks: dict[str, asyncio.Task[None]] = {}
        # One lint per (uri, version) and settings at a time: a hover during a lint waits
        # for that lint instead of starting a second one.
        self._inflight: dict[tuple[str, int], _Inflight] = {}
        self.shutdown_requested = False
        self.framing_token = ""
        # Set once the settings the client sends at start-up are in, so a draft opened
        # right away is not first linted (and flashed) with the wrong settings.
        self.settings_ready = asyncio.Event()
        # Lints run off the event loop, each in a child process that a worker thread waits
        # on, so the server keeps answering (hover, other drafts, shutdown) meanwhile.
        self._worker = ThreadPoolExecutor(max_workers=LINT_WORKERS,
                                          thread_name_prefix="outreach-lint")
        # Quick work (a cached rule set for a hover, checking new settings) never waits
        # behind lints.
        self._quick = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outreach-quick")
        self._processes: queue.Queue[bounded.Worker] = queue.Queue()
        for _ in range(LINT_WORKERS):
            self._processes.put(bounded.Worker())

    # ------------------------------------------------------------------ running work

    def warm_up(self) -> None:
        """Load spaCy and compile the rules in this process at `initialize`, on the quick
        thread: the settings check of `initialized` and so the first lint queue behind it,
        and the lint workers forked afterwards start warm."""
        settings = self.settings

        def load() -> None:
            try:
                prepare(self.config_for(None, settings))
            except Exception:  # the first lint reports a broken config or pack to the user
                log.info("warm-up failed", exc_info=True)
            finally:
                # What is loaded lives as long as the server: keep it out of every later full
                # collection (a pause that would land on some keystroke's lint, here or in a
                # forked worker), and collect again if `main` paused collection for start-up.
                gc.freeze()
                gc.enable()

        self._quick.submit(load)

    async def in_worker(self, fn: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, fn, *args)

    async def in_quick(self, fn: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._quick, fn, *args)

    def in_process(self, fn: Any, *args: Any) -> Any:
        """`fn(*args)` in a free worker process (from a worker thread), within the budget."""
        worker = self._processes.get()
        try:
            return worker.call(fn, *args, budget=self.budget)
        finally:
            self._processes.put(worker)

    def lint_sync(self, uri: str, text: str, version: int,
                  settings: dict[str, Any]) -> Outcome:
        """Lint one draft (in a worker thread); every failure becomes an `Outcome.problem`.

        The config is read here (a broken config file is reported from here); the lint runs
        in a worker process, killed when the budget runs out.
        """
        path = path_of(uri)
        try:
            cfg = self.config_for(path, settings)
            report = self.in_process(_lint_job, text, cfg, path)
        except bounded.BudgetExceeded:
            return self.timed_out(version, text)
        except (ConfigError, PackError) as exc:
            why = f"outreach-lint could not load its configuration: {exc}"
            return Outcome(version, text, problem=("config-error", why))
        except ValidationError as exc:
            why = f"outreach-lint settings do not fit the project config: {exc}"
            return Outcome(version, text, problem=("config-error", why))
        except OutreachLintError as exc:
            why = f"outreach-lint could not check this draft: {exc}"
            return Outcome(version, text, problem=("lint-error", why))
        except Exception as exc:  # never let one draft take the server down
            log.exception("lint failed for %s", uri)
            return Outcome(version, text, problem=(
                "internal-error",
                f"outreach-lint failed on this draft ({type(exc).__name__}: {exc}); please"
                " report it with the draft.",
            ))
        return Outcome(version, text, report=report, config=cfg)

    def config_for(self, path: Path | None, settings: dict[str, Any]) -> Config:
        """The project config found from the draft's path, with editor settings over it."""
        start = path or self.root
        found = discover(start) if start is not None else None
        base = load_config(found) if found is not None else Config()
        return base.merged(settings) if settings else base

    def timed_out(self, version: int, text: str) -> Outcome:
        return Outcome(version, text, problem=(
            "lint-timeout",
            f"outreach-lint took longer than {self.budget:g} s on this draft and stopped"
            " checking it; diagnostics will return after the next edit.",
        ))

    async def run_lint(self, uri: str, text: str, version: int) -> Outcome:
        """The lint of this version of a draft: the one already running, or a new one."""
        key, settings = (uri, version), self.settings
        entry = self._inflight.get(key)
        if entry is None or entry.settings is not settings or entry.task.done():
            entry = _Inflight(settings, asyncio.ensure_future(self._run_lint(uri, text, version)))
            self._inflight[key] = entry

            def forget(_: asyncio.Future[Outcome], entry: _Inflight = entry) -> None:
                if self._inflight.get(key) is entry:
                    del self._inflight[key]

            entry.task.add_done_callback(forget)
        entry.waiters += 1
        try:
            outcome = await asyncio.shield(entry.task)
        finally:
            entry.waiters -= 1
            if entry.waiters == 0 and not entry.task.done():
                # Nobody wants it any more (a newer edit came): a lint still queued is
                # dropped instead of piling up behind the running ones.
                entry.task.cancel()
        if outcome.text != text:  # the same version number for other text: lint that
            return await self._run_lint(uri, text, version)
        return outcome

    async def _run_lint(self, uri: str, text: str, version: int) -> Outcome:
        """Lint in a worker; the child is killed at the budget, so this does not wait longer.

        The budget counts from when the lint starts, not while it waits behind other work
        (such as loading the language model at start-up). Should the lint still not be
        done a little after the budget (no `fork` here to stop it), it is abandoned.
        """
        loop = asyncio.get_running_loop()
        started = asyncio.Event()
        settings = self.settings
        took: list[float] = []

        def job() -> Outcome:
            doc = self.documents.get(uri)
            if doc is None or doc.version != version:
                return Outcome(version, text, problem=("stale", "a newer version came"))
            loop.call_soon_threadsafe(started.set)
            t0 = time.monotonic()
            try:
                return self.lint_sync(uri, text, version, settings)
            finally:
                took.append(time.monotonic() - t0)

        future = asyncio.wrap_future(self._worker.submit(job))
        waiter = asyncio.ensure_future(started.wait())
        try:
            either: set[asyncio.Future[Any]] = {future, waiter}
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            outcome = await asyncio.wait_for(asyncio.shield(future),
                                             timeout=self.budget + BUDGET_GRACE)
            # A lint that finished before the loop noticed it start still counts its own time,
            # so the budget means the same however busy the machine is.
            if took and took[0] > self.budget:
                raise TimeoutError
            return outcome
        except TimeoutError:
            return self.timed_out(version, text)
        finally:
            waiter.cancel()
            future.cancel()  # no-op when done; drops the job if it never started

    async def current(self, uri: str) -> tuple[Document, Outcome] | None:
        """The open draft and a lint of its current text (reusing the last one if fresh)."""
        doc = self.documents.get(uri)
        if doc is None:
            return None
        outcome = doc.outcome
        if outcome is None or outcome.version != doc.version or outcome.text != doc.text:
            outcome = await self.run_lint(uri, doc.text, doc.version)
        fresh = self.documents.get(uri)
        if fresh is None or fresh.text != outcome.text:
            return None  # edited while we linted: the client will ask again
        return fresh, outcome

    # ------------------------------------------------------------------- diagnostics

    def schedule(self, uri: str, delay: float) -> None:
        """Lint `uri` after `delay` seconds; a newer request replaces a pending one."""
        pending = self._tasks.pop(uri, None)
        if pending is not None:
            pending.cancel()
        task = asyncio.get_running_loop().create_task(self._lint_and_publish(uri, delay))
        self._tasks[uri] = task

    async def _lint_and_publish(self, uri: str, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            if not self.settings_ready.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.settings_ready.wait(), SETTINGS_WAIT)
            doc = self.documents.get(uri)
            if doc is None:
                return
            outcome = await self.run_lint(uri, doc.text, doc.version)
            doc = self.documents.get(uri)
            if doc is None or doc.version != outcome.version or doc.text != outcome.text:
                return  # a newer version is on its way: the latest version wins
            doc.outcome = outcome
            self.publish(doc, outcome)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("publishing diagnostics for %s failed", uri)
        finally:
            if self._tasks.get(uri) is asyncio.current_task():
                del self._tasks[uri]

    def publish(self, doc: Document, outcome: Outcome) -> None:
        if outcome.problem is not None:
            code, message = outcome.problem
            diags = [convert.problem_diagnostic(code, message, doc.text, self.encoding)]
        else:
            assert outcome.report is not None
            diags = convert.diagnostics(outcome.report.findings, doc.text, self.encoding,
                                        doc.index)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=diags, version=doc.version)
        )

    def relint_all(self) -> None:
        for uri in list(self.documents):
            self.schedule(uri, 0)

    # ---------------------------------------------------------------------- settings

    def set_settings(self, *, init: dict[str, Any] | None = None,
                     client: dict[str, Any] | None = None) -> None:
        """Use new settings (already checked) and relint every open draft."""
        if init is not None:
            self.init_settings = init
        if client is not None:
            self.client_settings = client
        merged = settings_mod.merge(self.init_settings, self.client_settings)
        if merged != self.settings:
            self.settings = merged
            self.relint_all()

    def read_settings(self, payload: Any, origin: str) -> dict[str, Any] | None:
        """Checked settings from a payload; None (after telling the user) when unusable."""
        try:
            raw = settings_mod.extract(payload)
            if raw is None:
                return None
            return settings_mod.normalise(raw, self.root)
        except settings_mod.SettingsError as exc:
            self.bad_settings(origin, str(exc))
            return None

    def bad_settings(self, origin: str, reason: str) -> None:
        self.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Error,
            message=f"outreach-lint: ignoring the settings from {origin}: {reason}."
                    " Still linting with the previous settings.",
        ))

    async def rules_accept(self, candidate: dict[str, Any], origin: str) -> bool:
        """Whether the rule set compiles with these settings (profile, packs, rule ids).

        Runs in a thread of the server, so the first call also loads the language model
        before the first draft needs it, and the lint workers forked later inherit it. A
        broken project config is not blamed on the settings: it shows up as a diagnostic on
        the draft instead.
        """
        try:
            base = self.config_for(None, {})
        except (OutreachLintError, ValidationError):
            base = Config()
        try:
            cfg = base.merged(candidate) if candidate else base
            await self.in_quick(rules, cfg)
        except (OutreachLintError, ValidationError) as exc:
            self.bad_settings(origin, str(exc))
            return False
        return True

    async def pull_settings(self) -> Any:
        """Ask the client for the "outreach-lint" section (`workspace/configuration`)."""
        try:
            result = await asyncio.wait_for(
                self.workspace_configuration_async(types.ConfigurationParams(
                    items=[types.ConfigurationItem(section=settings_mod.SECTION)]
                )),
                timeout=SETTINGS_WAIT,
            )
        except Exception as exc:  # an old or partial client: keep what we have
            log.info("workspace/configuration failed: %s", exc)
            return None
        return result[0] if result else None


# ------------------------------------------------------------------------- helpers


def path_of(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


def _kinds(only: Sequence[types.CodeActionKind | str] | None) -> list[str] | None:
    if only is None:
        return None
    return [k.value if isinstance(k, types.CodeActionKind) else str(k) for k in only]


def _has_safe_fix(findings: Sequence[Finding]) -> bool:
    return any(fx.applicability is Applicability.SAFE and fx.edits
               for f in findings for fx in f.fixes)


def _lint_job(text: str, cfg: Config, path: Path | None) -> Report:
    """What a worker process runs for a lint (module level: it is sent by reference)."""
    return lint(text, config=cfg, filename=path)


def _fix_job(text: str, cfg: Config, path: Path | None) -> FixResult:
    return fix(text, unsafe=False, config=cfg, filename=path)


# -------------------------------------------------------------------------- server


def create_server(*, debounce: float = DEFAULT_DEBOUNCE,
                  budget: float = DEFAULT_BUDGET) -> OutreachLanguageServer:
    """A fresh server with every feature registered."""
    server = OutreachLanguageServer(debounce=debounce, budget=budget)

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.encoding = convert.encoding_name(server.workspace.position_encoding)
        root = params.root_uri or (
            params.workspace_folders[0].uri if params.workspace_folders else None)
        server.root = path_of(root) if root else None
        caps = params.capabilities
        hover = caps.text_document.hover if caps.text_document else None
        formats = hover.content_format if hover else None
        server.markdown_hover = formats is None or types.MarkupKind.Markdown in formats
        server.pull_config = bool(caps.workspace and caps.workspace.configuration)
        init = server.read_settings(params.initialization_options, "initializationOptions")
        if init is not None:
            server.init_settings = server.settings = init
        server.warm_up()

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        try:
            pulled = None
            if server.pull_config:
                pulled = server.read_settings(await server.pull_settings(),
                                              "workspace/configuration")
            candidate = settings_mod.merge(server.init_settings, pulled or {})
            if await server.rules_accept(candidate, "the editor"):
                if pulled is not None:
                    server.set_settings(client=pulled)
            else:
                server.set_settings(init={}, client={})
        finally:
            server.settings_ready.set()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        payload = params.settings
        if server.pull_config:
            pulled = await server.pull_settings()
            if pulled is not None:
                payload = pulled
        origin = "workspace/didChangeConfiguration"
        new = server.read_settings(payload, origin)
        if new is None:
            return
        if await server.rules_accept(settings_mod.merge(server.init_settings, new), origin):
            server.set_settings(client=new)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        server.documents[item.uri] = Document(item.uri, TextBuffer(item.text), item.version)
        server.schedule(item.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = server.documents.get(uri)
        if doc is None:
            return
        for change in params.content_changes:
            doc.apply(change, server.encoding)
        doc.version = params.text_document.version
        server.schedule(uri, server.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = server._tasks.pop(uri, None)
        if pending is not None:
            pending.cancel()
        server.documents.pop(uri, None)
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, convert.FIX_ALL_KIND],
            resolve_provider=False,
        ),
    )
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        got = await server.current(uri)
        if got is None:
            return []
        doc, outcome = got
        if outcome.report is None or outcome.config is None:
            return []
        only = _kinds(params.context.only)
        start = convert.to_offset(doc.index, params.range.start, server.encoding)
        end = convert.to_offset(doc.index, params.range.end, server.encoding)
        findings = outcome.report.findings
        actions: list[types.CodeAction] = []
        if convert.kind_wanted(types.CodeActionKind.QuickFix.value, only):
            preferred = False
            for finding in findings:
                if not convert.touches(finding.span, start, end):
                    continue
                found = convert.quick_fixes(finding, uri, doc.text, doc.index, server.encoding,
                                            preferred_taken=preferred)
                preferred = preferred or any(a.is_preferred for a in found)
                actions.extend(found)
        if convert.kind_wanted(convert.FIX_ALL_KIND, only) and _has_safe_fix(findings):
            try:
                result: FixResult = await server.in_worker(server.in_process, _fix_job,
                                                           doc.text, outcome.config,
                                                           path_of(uri))
            except bounded.BudgetExceeded:
                return actions
            if result.changed and server.documents.get(uri) is doc and doc.text == outcome.text:
                actions.append(convert.fix_all_action(uri, doc.text, result.text,
                                                      server.encoding))
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        got = await server.current(params.text_document.uri)
        if got is None:
            return None
        doc, outcome = got
        if outcome.report is None or outcome.config is None:
            return None
        offset = convert.to_offset(doc.index, params.position, server.encoding)
        hits = [f for f in outcome.report.findings if f.span.start <= offset <= f.span.end]
        if not hits:
            return None
        infos = await server.in_quick(rules, outcome.config)
        by_id = {r.id: r for r in infos}
        sections: list[str] = []
        seen: set[str] = set()
        for finding in hits:
            if finding.rule_id in seen:
                continue
            seen.add(finding.rule_id)
            doc_ = convert.rule_doc(by_id.get(finding.rule_id))
            sections.append(convert.hover_markdown(finding, doc_))
        text = "\n\n---\n\n".join(sections)
        if server.markdown_hover:
            contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
        else:
            contents = types.MarkupContent(kind=types.MarkupKind.PlainText,
                                           value=convert.hover_plaintext(text))
        return types.Hover(
            contents=contents,
            range=convert.to_range(doc.index, hits[0].span, server.encoding, len(doc.text)),
        )

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.shutdown_requested = True
        for task in server._tasks.values():
            task.cancel()
        server._tasks.clear()
        server._worker.shutdown(wait=False, cancel_futures=True)
        server._quick.shutdown(wait=False, cancel_futures=True)
        bounded.kill_children()  # a lint still running is not waited for

    @server.feature(types.EXIT)
    def exit_(params: None) -> None:
        # The LSP spec: exit code 0 after a shutdown request, 1 without one. pygls computes
        # that, then raises SystemExit inside its loop, which it catches: the process would
        # end with 0 either way. So end it here, before pygls joins its reader thread.
        bounded.kill_children()
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        os._exit(0 if server.shutdown_requested else 1)

    @server.feature(framing.FRAMING_ERROR)
    def framing_error(params: Any) -> None:
        if getattr(params, "token", None) != server.framing_token:
            return  # not from our reader: a client cannot make us send errors
        protocol = server.protocol
        assert isinstance(protocol, OutreachProtocol)
        protocol.framing_error(getattr(params, "id", None), str(getattr(params, "reason", "")))

    return server


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        log.warning("ignoring %s=%r: not a number", name, value)
        return default


def main(argv: Sequence[str] | None = None) -> None:
    """Run the language server on stdio (what every editor starts)."""
    parser = argparse.ArgumentParser(
        prog="outreach-lint lsp",
        description="The outreach-lint language server (LSP over stdio).",
    )
    parser.add_argument("--stdio", action="store_true",
                        help="Talk LSP over stdin/stdout (the default and only transport).")
    parser.add_argument(
        "--debounce-ms", type=float,
        default=_env_float("OUTREACH_LINT_LSP_DEBOUNCE_MS", DEFAULT_DEBOUNCE * 1000),
        help="Wait this long after the last edit before linting (default 150).",
    )
    parser.add_argument(
        "--budget-s", type=float,
        default=_env_float("OUTREACH_LINT_LSP_BUDGET_S", DEFAULT_BUDGET),
        help="Give up on a draft after this many seconds (default 10).",
    )
    parser.add_argument(
        "--max-message-mb", type=float,
        default=_env_float("OUTREACH_LINT_LSP_MAX_MESSAGE_MB", DEFAULT_MAX_MESSAGE_MB),
        help="Refuse a message from the editor larger than this (default 16).",
    )
    parser.add_argument("--log-file", help="Write the server's log here (stderr otherwise).")
    parser.add_argument("-v", "--verbose", action="store_true", help="Log debug messages.")
    parser.add_argument("--version", action="version", version=f"outreach-lint {__version__}")
    args = parser.parse_args(list(argv) if argv is not None else [])
    logging.basicConfig(
        filename=args.log_file,
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    started = time.monotonic()
    # Start-up allocates spaCy's and the rules' long-lived objects; full collections over
    # them slow the first diagnostics. Collection resumes when the warm-up has loaded them.
    gc.disable()
    server = create_server(debounce=max(args.debounce_ms, 0) / 1000, budget=args.budget_s)
    log.info("starting outreach-lint language server (%.0f ms)",
             (time.monotonic() - started) * 1000)
    if os.name == "posix":  # FramedStdin waits on the pipe with select(), POSIX only
        stdin = framing.FramedStdin(sys.stdin.fileno(),
                                    max_bytes=max(int(args.max_message_mb * 1024 * 1024), 1024))
        server.framing_token = stdin.token
        # pygls only calls readline() and read(n) on its stdin.
        server.start_io(stdin=stdin)  # type: ignore[arg-type]
    else:
        server.start_io()
    # The input ended (the editor went away) without an `exit`: 0 only after a shutdown.
    bounded.kill_children()
    sys.exit(0 if server.shutdown_requested else 1)
