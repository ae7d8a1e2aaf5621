"""Guarded LSP framing on stdin: a wrong or huge Content-Length never leaves the server deaf.

pygls 2 owns the transport: `LanguageServer.start_io(stdin=...)` reads headers with
`stdin.readline()` and a body with `stdin.read(n)` (pygls.io_.run_async). With a plain
stdin, one wrong Content-Length desynchronises it for good: too long, and `read(n)` waits for
bytes the client will never send (it is waiting for our reply); too short, and the rest of
the body is taken for headers, swallowing the next message's header; a huge one is
allocated at once (MemoryError, OverflowError).

`FramedStdin` is what we hand to `start_io` instead. It reads the file descriptor itself and
gives pygls only well-formed frames:

- a Content-Length over `max_bytes` (16 MB by default) is refused before anything is read
  into memory; its bytes are skipped in 64 KB chunks up to the next header;
- a body that stops arriving before its Content-Length (`stall` seconds with nothing new)
  and a body that runs into the next message's header are cut there, and the next message
  is read normally (a JSON body cannot contain a raw "Content-Length:" line);
- junk where a header should be is skipped up to the next "Content-Length:".

Each broken frame is replaced by a notification (`FRAMING_ERROR`) that the server answers
on its own thread: an error reply to the request's id when the id can be read, and a
message in the client's log. The notification carries a per-process token so that a client
cannot forge one.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import select
from dataclasses import dataclass, field

FRAMING_ERROR = "$/outreach-lint/framingError"
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_STALL = 3.0
MAX_HEADER_LINE = 8192
_CHUNK = 1 << 16
_HEADER = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*?)[ \t]*\r?\n$")
# The start of a frame header inside bytes that were taken for a body. A JSON body cannot hold
# one: a raw line break cannot appear inside a JSON string, and these words cannot appear
# outside one (a draft's own "Content-Type: text/plain" line arrives as an escaped string).
_NEXT_HEADER = re.compile(
    rb'content-(?:length[ \t]*:[ \t]*\d+|type[ \t]*:[^\r\n"]*)[ \t]*\r?\n', re.IGNORECASE)
_ID = re.compile(rb'"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")')


@dataclass
class FramingProblem:
    """A broken frame, as passed to the server in a FRAMING_ERROR notification."""

    reason: str
    request_id: int | str | None = None


@dataclass
class FramedStdin:
    """A stdin for pygls whose `readline` / `read` only ever yield well-formed frames."""

    fd: int
    max_bytes: int = DEFAULT_MAX_BYTES
    stall: float = DEFAULT_STALL
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    _buf: bytearray = field(default_factory=bytearray)
    _eof: bool = False
    _length: int | None = None  # the Content-Length of the frame whose headers we are in
    _queue: list[bytes] = field(default_factory=list)  # notifications to hand out as frames
    _stage: int = 0  # of the first queued one: 1 = its header given, 2 = its blank line too
    _in_junk: bool = False  # junk is reported once per stretch, not per line

    # ------------------------------------------------------------------ raw reading

    def _fill(self, timeout: float | None = None) -> bool:
        """Read what is available into the buffer; False at end of input or on timeout."""
        if self._eof:
            return False
        if timeout is not None:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return False
        chunk = os.read(self.fd, _CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        return True

    def _take(self, n: int) -> bytes:
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    # ------------------------------------------------------------- pygls' interface

    def readline(self) -> bytes:
        """The next header line (or the blank line that ends the headers)."""
        while True:
            if self._queue and self._stage < 2:
                self._stage += 1
                return b"Content-Length: %d\r\n" % len(self._queue[0]) if self._stage == 1 \
                    else b"\r\n"
            line = self._raw_line()
            if line is None:
                return b""  # end of input: pygls stops, and the server exits
            if line.strip() == b"":
                if self._length is None:
                    continue  # stray blank lines between frames are harmless
                return b"\r\n"
            m = _HEADER.match(line)
            if m is None:
                self._junk(line)
                continue
            name, value = m.group(1).lower(), m.group(2)
            if name != b"content-length":
                continue  # Content-Type and unknown headers: pygls ignores them too
            if not value.isdigit():
                self._problem(f"the Content-Length header {value[:40]!r} is not a number")
                continue
            # Past 18 digits it is over any limit; int() of thousands of digits is refused.
            length = int(value) if len(value) <= 18 else 10**18
            if length > self.max_bytes:
                shown = f"{length:,}" if len(value) <= 18 else value[:40].decode() + (
                    "..." if len(value) > 40 else "")
                self._skip(length, shown)
                continue
            self._length = length
            self._in_junk = False
            # pygls only reads a body after a Content-Length it has seen in this exact form.
            return b"Content-Length: %d\r\n" % length

    def read(self, n: int) -> bytes:
        """The body of the current frame (pygls asks for exactly its Content-Length)."""
        if self._stage == 2:
            self._stage = 0
            return self._queue.pop(0)
        self._length = None
        while True:
            # A header starting inside the body's length: this message was shorter than that.
            m = _NEXT_HEADER.search(self._buf, 0, n + 64)
            if m is not None and m.start() < n:
                return self._bad_frame(self._take(m.start()), f"the message was shorter than"
                                       f" its Content-Length of {n:,} bytes")
            have = len(self._buf)
            if have >= n + 64 or (have >= n and _complete(self._buf[:n])):
                break
            if not self._fill(self.stall):
                if have >= n:
                    break
                if self._eof and not self._buf:
                    return b""
                body = self._take(have)
                return self._bad_frame(body, f"the message had {len(body):,} bytes, not the"
                                             f" {n:,} its Content-Length said")
        body = self._take(n)
        if not _complete(body):  # a Content-Length too small: the rest follows
            while (m := _NEXT_HEADER.search(self._buf)) is None and self._fill(self.stall):
                pass
            rest = self._take(m.start() if m is not None else len(self._buf))
            return self._bad_frame(body + rest, "the message did not end where its"
                                                f" Content-Length of {n:,} bytes said")
        return body

    def close(self) -> None:
        """Nothing to close: the descriptor belongs to the process."""

    # ------------------------------------------------------------------ helpers

    def _raw_line(self) -> bytes | None:
        while True:
            nl = self._buf.find(b"\n")
            if nl >= 0:
                return self._take(nl + 1)
            if len(self._buf) > MAX_HEADER_LINE:
                self._junk(bytes(self._buf[:MAX_HEADER_LINE]))
                del self._buf[:MAX_HEADER_LINE]
                continue
            if not self._fill():
                if self._buf:
                    return self._take(len(self._buf))
                return None

    def _junk(self, line: bytes) -> None:
        """Bytes where a header should be: what was left of a body that was longer than its
        Content-Length said (or plain garbage). Skip up to the next Content-Length header."""
        m = _NEXT_HEADER.search(line)
        if m is not None:
            self._buf[:0] = line[m.start():]
            line = line[: m.start()]
        if self._in_junk:
            return
        self._in_junk = True
        self._problem(
            "bytes where a header should be (was a Content-Length too small?)",
            _request_id(line),
        )

    def _skip(self, length: int, shown: str) -> None:
        """Refuse a frame over the size limit: drop its bytes as they come, keeping none."""
        self._problem(f"a message of {shown} bytes is over the {self.max_bytes:,}-byte limit"
                      " and was not read", None)
        while (line := self._raw_line()) is not None and line.strip():
            pass  # the rest of its header block
        left = length
        while left > 0:
            if len(self._buf) < min(left, 64) and not self._fill(self.stall):
                del self._buf[: min(left, len(self._buf))]
                return  # the rest never came: go on with whatever comes next
            m = _NEXT_HEADER.search(self._buf, 0, min(len(self._buf), left))
            if m is not None:  # the refused message was shorter than it said
                del self._buf[: m.start()]
                return
            # Drop what was searched, but keep a header's worth in case one is split.
            drop = left if len(self._buf) >= left else max(len(self._buf) - 64, 0)
            if drop == 0:
                if not self._fill(self.stall):
                    del self._buf[: min(left, len(self._buf))]
                    return
                continue
            del self._buf[:drop]
            left -= drop

    def _bad_frame(self, body: bytes, reason: str) -> bytes:
        return self._notification(FramingProblem(reason, _request_id(body)))

    def _problem(self, reason: str, request_id: int | str | None = None) -> None:
        """Queue a FRAMING_ERROR notification as the next frame pygls reads."""
        self._queue.append(self._notification(FramingProblem(reason, request_id)))

    def _notification(self, problem: FramingProblem) -> bytes:
        return json.dumps({
            "jsonrpc": "2.0", "method": FRAMING_ERROR,
            "params": {"token": self.token, "reason": problem.reason, "id": problem.request_id},
        }).encode()


def _complete(body: bytes | bytearray) -> bool:
    """Whether a body can be a whole JSON-RPC message (an object, or a batch array)."""
    return bytes(body[-64:]).rstrip().endswith((b"}", b"]"))


def _request_id(body: bytes) -> int | str | None:
    """The id of a (possibly cut) JSON-RPC message, if one can be read from its bytes."""
    m = _ID.search(body)
    if m is None:
        return None
    try:
        value = json.loads(m.group(1))
    except ValueError:
        return None
    return value if isinstance(value, int | str) else None
