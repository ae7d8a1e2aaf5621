"""Finding 8 of issue 16, transport side: broken framing over a raw stdio pipe.

pytest-lsp always frames correctly, so these tests write bytes to `python -m
outreach_lint.lsp` themselves (the `RawClient` of test_lsp_load.py). A wrong Content-Length
gets an error reply and the server reads on (it used to go deaf for good); one above the
limit is refused without being read into memory (it used to crash or hang the server);
`exit` without `shutdown` exits 1, as the LSP spec says.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest
from lsp_support import JOB_ASK, SERVER
from test_lsp_load import Msg, RawClient, assert_answers, open_doc

STALL = 3.0  # framing.DEFAULT_STALL: how long a body may stop arriving
HOVER_PARAMS = {"textDocument": {"uri": "untitled:warm-up.txt"},
                "position": {"line": 2, "character": 5}}


@pytest.fixture(scope="module")
def server() -> Iterator[RawClient]:
    client = RawClient([*SERVER, "--max-message-mb", "1"])
    try:
        client.initialize()
        open_doc(client, "untitled:warm-up.txt", JOB_ASK)
        client.wait_diagnostics("untitled:warm-up.txt", 1, timeout=60)
        yield client
    finally:
        client.close()


def frame(msg: Msg, wrong_by: int = 0) -> bytes:
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % (len(body) + wrong_by) + body


def hover_request(rid: int) -> Msg:
    return {"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover", "params": HOVER_PARAMS}


def reply_to(client: RawClient, rid: int | None, since: int, timeout: float = 15) -> Msg:
    return client.wait(lambda m: "method" not in m and m.get("id") == rid
                       and ("result" in m or "error" in m), timeout, since)


def answered(reply: Msg) -> bool:
    return "**job-ask**" in reply["result"]["contents"]["value"]


def test_content_length_too_long_then_silence_gets_an_error_not_a_deaf_server(
        server: RawClient) -> None:
    # The client declares 20 bytes more than it sends, then waits for the reply.
    rid, since = server.next_id(), server.mark()
    server.send_raw(frame(hover_request(rid), wrong_by=20))
    reply = reply_to(server, rid, since, timeout=STALL + 15)
    assert reply["error"]["code"] == -32700 and "Content-Length" in reply["error"]["message"]
    logged = server.wait(lambda m: m.get("method") == "window/logMessage", 5, since)
    assert "could not read a message" in logged["params"]["message"]
    assert_answers(server)


def test_content_length_too_long_followed_by_the_next_message(server: RawClient) -> None:
    bad, good, since = server.next_id(), server.next_id(), server.mark()
    server.send_raw(frame(hover_request(bad), wrong_by=30) + frame(hover_request(good)))
    assert reply_to(server, bad, since)["error"]["code"] == -32700
    assert answered(reply_to(server, good, since))  # the next message was not swallowed
    assert_answers(server)


def test_content_length_too_short_is_an_error_and_the_next_message_is_read(
        server: RawClient) -> None:
    bad, good, since = server.next_id(), server.next_id(), server.mark()
    server.send_raw(frame(hover_request(bad), wrong_by=-7) + frame(hover_request(good)))
    assert reply_to(server, bad, since)["error"]["code"] == -32700
    assert answered(reply_to(server, good, since))
    assert_answers(server)


@pytest.mark.parametrize("length", [10**12, 2**63 + 5, 2 * 1024 * 1024],
                         ids=["a-terabyte", "over-int64", "two-megabytes"])
def test_content_length_over_the_limit_is_refused_without_reading_it(
        server: RawClient, length: int) -> None:
    # The module's server takes at most 1 MB (--max-message-mb 1). The declared bytes are
    # never allocated: the server's memory stays put, and it reads the next message.
    since, before = server.mark(), server.rss_mb()
    body = b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": ' + b"x" * 4000
    server.send_raw(b"Content-Length: %d\r\n\r\n" % length + body)
    good = server.next_id()
    server.send(hover_request(good))
    refused = reply_to(server, None, since, timeout=STALL + 15)
    assert refused["error"]["code"] == -32700
    shown = f"{length:,}" if length < 10**18 else str(length)
    assert f"{shown} bytes is over the 1,048,576-byte limit" in refused["error"]["message"]
    assert answered(reply_to(server, good, since, timeout=STALL + 15))
    assert server.rss_mb() < before + 50
    assert server.alive()


def test_a_real_message_over_the_limit_is_skipped_whole(server: RawClient) -> None:
    # Correctly framed, just too big: its 2 MB are skipped as they come, and the message
    # right behind it is read.
    since = server.mark()
    big = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "untitled:big.txt", "languageId": "text", "version": 1,
        "text": "Hi Dana,\n\n" + "word " * 420_000}}}
    good = server.next_id()
    server.send_raw(frame(big) + frame(hover_request(good)))
    assert "over the 1,048,576-byte limit" in reply_to(server, None, since)["error"]["message"]
    assert answered(reply_to(server, good, since))
    assert server.published("untitled:big.txt", since) == []


def test_junk_instead_of_headers_is_reported_once_and_skipped(server: RawClient) -> None:
    since, good = server.mark(), server.next_id()
    server.send_raw(b"hello there\r\nthis is not LSP\r\n" + b"z" * 20_000 + b"\r\n"
                    + frame(hover_request(good)))
    assert answered(reply_to(server, good, since))
    errors = [m for m in server.messages[since:] if "error" in m and m.get("id") is None]
    assert len(errors) == 1, errors


def test_a_draft_with_mime_headers_inside_is_not_taken_for_framing(server: RawClient) -> None:
    # A .eml draft carries "Content-Type:" lines; inside a JSON string they are escaped.
    since = server.mark()
    text = ("Content-Type: text/plain; charset=utf-8\r\nContent-Length: 12\r\n"
            "Subject: Hello\r\n\r\n" + JOB_ASK)
    open_doc(server, "untitled:mail.eml", text)
    diags = server.wait_diagnostics("untitled:mail.eml", 1, since=since)
    assert any(d["code"] == "job-ask" for d in diags)
    assert not [m for m in server.messages[since:] if "error" in m]


# ---------------------------------------------------------------------- exit codes


def run_session(*messages: Msg) -> subprocess.CompletedProcess[bytes]:
    data = b"".join(frame(m) for m in messages)
    return subprocess.run(SERVER, input=data, capture_output=True, timeout=60, check=False)


INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": None, "rootUri": None, "capabilities": {}}}


def test_exit_without_shutdown_exits_1() -> None:
    done = run_session(INIT, {"jsonrpc": "2.0", "method": "initialized", "params": {}},
                       {"jsonrpc": "2.0", "method": "exit"})
    assert done.returncode == 1, done.stderr.decode()[-500:]


def test_exit_after_shutdown_exits_0() -> None:
    done = run_session(INIT, {"jsonrpc": "2.0", "method": "initialized", "params": {}},
                       {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
                       {"jsonrpc": "2.0", "method": "exit"})
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert b'"id": 2' in done.stdout  # the shutdown was answered before exiting


def test_input_closed_without_exit_exits_1() -> None:
    done = run_session(INIT)
    assert done.returncode == 1, done.stderr.decode()[-500:]
