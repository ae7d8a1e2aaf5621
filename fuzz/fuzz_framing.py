"""Fuzz the language server's stdin framing (`outreach_lint.lsp.framing.FramedStdin`).

    python fuzz/fuzz_framing.py fuzz/corpus-framing fuzz/seeds/framing -max_total_time=60

The input is the byte stream an editor would write. It is read the way pygls reads it
(pygls.io_.run_async: header lines until a blank one, then `read(Content-Length)`), and:
nothing but `OSError`-free, exception-free reading; header lines are only the canonical
Content-Length or the blank line; every body handed on is either a framing-error
notification or bytes of the input no larger than the limit; reading ends at end of input
after a bounded number of calls (no loop, no wait: a closed pipe never stalls).
"""

from __future__ import annotations

import json
import os
import re
import sys

import atheris

with atheris.instrument_imports(include=["outreach_lint.lsp.framing"]):
    from outreach_lint.lsp.framing import FRAMING_ERROR, FramedStdin

MAX_BYTES = 2048
PYGLS_HEADER = re.compile(rb"^Content-Length: (\d+)\r\n$")


def one_input(data: bytes) -> None:
    read_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, data)  # -max_len keeps it below the pipe's buffer
    finally:
        os.close(write_fd)
    reader = FramedStdin(read_fd, max_bytes=MAX_BYTES, stall=0.05)
    try:
        content_length = 0
        for _ in range(4 * len(data) + 64):
            header = reader.readline()
            if not header:
                return
            assert header == b"\r\n" or PYGLS_HEADER.fullmatch(header), header
            if not content_length and (m := PYGLS_HEADER.fullmatch(header)):
                content_length = int(m.group(1))
            if content_length and not header.strip():
                body = reader.read(content_length)
                if not body:
                    return
                check_body(body, data)
                content_length = 0
        raise AssertionError("reading did not end at the end of the input")
    finally:
        os.close(read_fd)


def check_body(body: bytes, data: bytes) -> None:
    if body.startswith(b'{"jsonrpc": "2.0", "method": "' + FRAMING_ERROR.encode()):
        notice = json.loads(body)
        assert notice["params"]["reason"], notice
        return
    assert len(body) <= MAX_BYTES, len(body)
    assert body in data, body[:80]


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
