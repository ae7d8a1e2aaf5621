"""The language server under load and with bad clients, over a raw JSON-RPC pipe.

pytest-lsp cannot send malformed frames or stop reading the server's output, so these tests
talk to `python -m outreach_lint.lsp` (the same command as lsp_support.SERVER) through a
small client, as benchmarks/run.py does: one thread writes (so a blocked pipe never blocks
the test), one thread reads and can be paused to make the client stop reading stdout.

One server is shared by the module; the back-pressure test starts its own so its memory
reading is not mixed with the other tests' work.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lsp_support import JOB_ASK, SERVER

import outreach_lint as ol

TIMEOUT = 30.0
RSS_LIMIT_MB = 400
Msg = dict[str, Any]


class RawClient:
    """A minimal LSP client over the server's stdio (Content-Length framing)."""

    def __init__(self, cmd: list[str]) -> None:
        # The server's stderr goes to a file: a pipe nobody reads could block it.
        fd, name = tempfile.mkstemp(prefix="lsp-load-", suffix=".log")
        self.log = Path(name)
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=fd)
        finally:
            os.close(fd)
        self.messages: list[Msg] = []
        self.cond = threading.Condition()
        self.reading = threading.Event()
        self.reading.set()
        self.outbox: queue.Queue[bytes | None] = queue.Queue()
        self.closed = False
        self._id = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()

    # -------------------------------------------------------------- the two pipes

    def _write(self) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        while (data := self.outbox.get()) is not None:
            try:
                stdin.write(data)
                stdin.flush()
            except (BrokenPipeError, ValueError):
                return
            finally:
                self.outbox.task_done()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                self.reading.wait()
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                assert length is not None, "a frame without Content-Length from the server"
                msg = json.loads(out.read(length))
                if "method" in msg and "id" in msg:  # a server request: answer null
                    self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                with self.cond:
                    self.messages.append(msg)
                    self.cond.notify_all()
        finally:
            with self.cond:
                self.closed = True
                self.cond.notify_all()

    # ------------------------------------------------------------------- sending

    def send_raw(self, data: bytes) -> None:
        self.outbox.put(data)

    def send(self, msg: Msg) -> None:
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def next_id(self) -> int:
        self._id += 1
        return self._id

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Msg:
        rid = self.next_id()
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    # ----------------------------------------------------------------- receiving

    def mark(self) -> int:
        with self.cond:
            return len(self.messages)

    def wait(self, pred: Callable[[Msg], bool], timeout: float = TIMEOUT, since: int = 0) -> Msg:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for msg in self.messages[since:]:
                    if pred(msg):
                        return msg
                since = len(self.messages)
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    why = "closed its output" if self.closed else f"sent nothing matching in {timeout}s"
                    raise AssertionError(f"the server {why}; log: {self.log_tail()}")
                self.cond.wait(left)

    def published(self, uri: str, since: int = 0) -> list[Msg]:
        with self.cond:
            return [m["params"] for m in self.messages[since:]
                    if m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == uri]

    def wait_diagnostics(self, uri: str, version: int, since: int = 0,
                         timeout: float = TIMEOUT) -> list[Msg]:
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri and m["params"].get("version") == version,
                        timeout, since)
        return list(msg["params"]["diagnostics"])

    # --------------------------------------------------------------------- state

    def alive(self) -> bool:
        return self.proc.poll() is None

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        kb = next(int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:"))
        return kb / 1024

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-1500:]

    def initialize(self) -> None:
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": None, "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {"publishDiagnostics": {"versionSupport": True},
                                 "hover": {"contentFormat": ["markdown", "plaintext"]}},
            },
        }, timeout=60)
        self.notify("initialized", {})

    def close(self) -> None:
        self.reading.set()
        try:
            if self.alive():
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self.proc.wait(timeout=10)
        except Exception:  # best effort: never leave a server behind
            pass
        finally:
            if self.alive():
                self.proc.kill()
                self.proc.wait()
            self.outbox.put(None)
            self.log.unlink(missing_ok=True)


def open_doc(client: RawClient, uri: str, text: str, version: int = 1) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "plaintext", "version": version, "text": text}})


def change_doc(client: RawClient, uri: str, text: str, version: int) -> None:
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})


def close_doc(client: RawClient, uri: str) -> None:
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


def hover(client: RawClient, uri: str, line: int, character: int) -> Msg:
    return client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})


def expected(text: str) -> list[tuple[str, str, int]]:
    """What the library finds in `text`: (rule, message, line) per finding."""
    return [(f.rule_id, f.message, text.count("\n", 0, f.span.start))
            for f in ol.lint(text).findings]


def got(diags: list[Msg]) -> list[tuple[str, str, int]]:
    return [(d["code"], d["message"], d["range"]["start"]["line"]) for d in diags]


@pytest.fixture(scope="module")
def server() -> Iterator[RawClient]:
    client = RawClient(SERVER)
    try:
        client.initialize()
        open_doc(client, "untitled:warm-up.txt", JOB_ASK)  # the model is loaded once, here
        client.wait_diagnostics("untitled:warm-up.txt", 1, timeout=60)
        yield client
    finally:
        client.close()


def assert_answers(client: RawClient) -> None:
    """The server is running and answers a real request about an open draft."""
    assert client.alive(), client.log_tail()
    reply = hover(client, "untitled:warm-up.txt", 2, 5)
    assert "error" not in reply, reply
    assert "**job-ask**" in reply["result"]["contents"]["value"]


# ------------------------------------------------------------------------- load


def test_a_thousand_rapid_changes_end_with_the_final_texts_diagnostics(server: RawClient
                                                                       ) -> None:
    uri = "untitled:rapid.txt"
    since = server.mark()
    open_doc(server, uri, "Hi Dana,\n\nI loved your talk.\n\nBest,\nSam")
    # Alternate drafts with and without a job ask (on another line), so a stale result
    # published late would not look like the final one.
    for v in range(2, 1001):
        text = (f"Hi Dana,\n\nI loved talk {v}.\n\nAre you hiring for any openings?\n\nSam"
                if v % 2 else f"Hi Dana,\n\nI loved your talk number {v}.\n\nBest,\nSam")
        change_doc(server, uri, text, v)
    final = JOB_ASK.replace("Hi Dana", "Hi Dana Roe")
    change_doc(server, uri, final, 1001)
    diags = server.wait_diagnostics(uri, 1001, since=since)
    assert got(diags) == expected(final)
    assert next(d for d in got(diags) if d[0] == "job-ask")[2] == 2
    time.sleep(0.5)  # nothing stale may follow
    versions = [p.get("version") for p in server.published(uri, since)]
    assert versions[-1] == 1001 and versions == sorted(versions), versions
    # ... and it still answers, about the final text.
    reply = hover(server, uri, 2, 5)
    assert "**job-ask**" in reply["result"]["contents"]["value"]
    close_doc(server, uri)


# ------------------------------------------------------------------ bad clients


BAD_FRAMES = {
    "garbage body": b"not json at all!",
    "truncated JSON": b'{"jsonrpc": "2.0", "id": 9001, "method": "textDocument/hover", "params": {',
    "invalid UTF-8": b'\xff\xfe{"jsonrpc": "2.0"}',
    "array": b"[1, 2, 3]",
    "number": b"42",
    "null": b"null",
    "no jsonrpc": b'{"id": 9002, "method": "textDocument/hover"}',
    "wrong jsonrpc": b'{"jsonrpc": "1.0", "id": 9003, "method": "shutdown"}',
    "empty object": b"{}",
}


@pytest.mark.parametrize("body", list(BAD_FRAMES.values()), ids=list(BAD_FRAMES))
def test_malformed_message_is_survived(server: RawClient, body: bytes) -> None:
    server.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert_answers(server)


def test_request_with_invalid_params_gets_an_error_reply(server: RawClient) -> None:
    # pygls alone drops such a request while parsing it: the client would wait forever.
    reply = server.request("textDocument/hover", {"textDocument": 7}, timeout=10)
    assert reply["error"]["code"] == -32602, reply  # InvalidParams
    assert "result" not in reply
    assert_answers(server)


def test_unknown_method_is_method_not_found(server: RawClient) -> None:
    reply = server.request("outreach/noSuchMethod", {"x": 1})
    assert reply["error"]["code"] == -32601, reply  # MethodNotFound
    server.notify("outreach/noSuchNotification", {})  # ignored, no reply
    server.notify("$/noSuchNotification", {})
    assert_answers(server)


def test_no_diagnostics_after_a_draft_is_closed_mid_lint(server: RawClient) -> None:
    # ~90,000 characters with a job ask: about a second of linting, under the size limit.
    big = "Hi Dana,\n\nDo you have any openings on your team?\n\n" + (
        "I'm Sam, a junior designer, and I loved your talk on accessible forms last week. "
        * 1000)[:90_000] + "\n\nBest,\nSam"
    for n, delay in enumerate([0, 0.05, 0.2, 0.4, 0.7]):
        uri = f"untitled:closed-{n}.txt"
        since = server.mark()
        open_doc(server, uri, big)
        time.sleep(delay)
        close_doc(server, uri)
        # One worker lints in order: once a draft opened later has its diagnostics, the
        # closed draft's lint has finished too, and it had its chance to (wrongly) publish.
        sentinel = f"untitled:sentinel-{n}.txt"
        open_doc(server, sentinel, JOB_ASK)
        server.wait_diagnostics(sentinel, 1, since=since)
        time.sleep(0.2)
        close_doc(server, sentinel)
        published = server.published(uri, since)
        closing = [i for i, p in enumerate(published) if p.get("version") is None]
        assert closing, f"delay {delay}: no empty list on close: {published}"
        after = published[closing[0]:]
        assert all(p["diagnostics"] == [] for p in after), f"delay {delay}: published after close"
    assert_answers(server)


def test_too_large_draft_is_one_diagnostic(server: RawClient) -> None:
    uri = "untitled:huge.txt"
    since = server.mark()
    open_doc(server, uri, "Hi Dana,\n\n" + "Do you have any openings? " * 8000)
    diags = server.wait_diagnostics(uri, 1, since=since)
    assert [d["code"] for d in diags] == ["draft-too-large"]
    close_doc(server, uri)


# ------------------------------------------------------------------ back-pressure


def test_a_client_that_stops_reading_then_reads_again() -> None:
    client = RawClient(SERVER)
    uri, static = "untitled:pressure.txt", "untitled:static.txt"
    try:
        client.initialize()
        open_doc(client, static, JOB_ASK)
        open_doc(client, uri, JOB_ASK)
        client.wait_diagnostics(static, 1, timeout=60)
        client.wait_diagnostics(uri, 1, timeout=60)
        peak = client.rss_mb()
        client.reading.clear()  # from here the client reads nothing
        hover_ids = []
        rounds = 400
        for v in range(2, rounds + 2):
            change_doc(client, uri, JOB_ASK.replace("Dana", f"Dana {v}"), v)
            # A hover on the unchanged draft's job ask: ~1 KB of Markdown per reply, so the
            # replies soon fill the pipe nobody reads.
            rid = client.next_id()
            hover_ids.append(rid)
            client.send({"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover",
                         "params": {"textDocument": {"uri": static},
                                    "position": {"line": 2, "character": 5}}})
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            assert client.alive(), client.log_tail()
            peak = max(peak, client.rss_mb())
            time.sleep(0.1)
        # Both pipes are full: the server waits on its stdout, and our writes wait on it.
        assert client.outbox.qsize() > 0, "the server never pushed back"
        client.reading.set()
        for rid in hover_ids:
            reply = client.wait(lambda m, rid=rid: m.get("id") == rid and "method" not in m)
            assert "**job-ask**" in reply["result"]["contents"]["value"], reply
            peak = max(peak, client.rss_mb())
        last = rounds + 1
        diags = client.wait_diagnostics(uri, last)
        final = JOB_ASK.replace("Dana", f"Dana {last}")
        assert got(diags) == expected(final)
        reply = hover(client, uri, 2, 5)
        assert "**job-ask**" in reply["result"]["contents"]["value"]
        peak = max(peak, client.rss_mb())
        assert peak < RSS_LIMIT_MB, f"server RSS peaked at {peak:.0f} MB"
    finally:
        client.close()
