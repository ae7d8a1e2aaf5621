"""Fuzz the bytes path of `lint()` / `fix()`: plain-text bytes and RFC 822 / MIME messages.

    python fuzz/fuzz_eml.py fuzz/corpus-eml fuzz/seeds/eml -max_total_time=60

Only `outreach_lint.InputError` may escape, and a rule timing out is a finding too (binary
input must be an `InputError`, a broken message must still give a report); reports must
satisfy the invariants.

Besides raw bytes, the fuzzer builds hostile messages around a short body of words: MIME
nested up to 2,000 levels (multipart and message/rfc822), HTML nested up to 6,000 elements,
and header blocks of up to 25,000 lines. For those the body must never be read as "nothing
to check": it is linted, or the message is refused with a blocking finding.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Imported here, under instrumentation, so coverage guides the fuzzer; _invariants uses it.
with atheris.instrument_imports(include=["outreach_lint"]):
    import outreach_lint  # noqa: F401

from _invariants import check_source

HEAD = b"From: Sam <sam@example.org>\nTo: Dana <dana@example.org>\nSubject: Hello\nMIME-Version: 1.0\n"
TAGS = (b"div", b"span", b"b", b"p", b"table", b"td", b"font", b"blockquote", b"li", b"a")


def _words(fdp: atheris.FuzzedDataProvider) -> bytes:
    raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 200))
    words = bytes(c for c in raw if chr(c).isalpha() or c in b" ,.?")
    return b"Hi Dana, I would love to hear about your work " + words + b"."


def _deep_mime(fdp: atheris.FuzzedDataProvider) -> bytes:
    depth = fdp.ConsumeIntInRange(0, 2000)
    out = [HEAD]
    closers = []
    for i in range(depth):
        if fdp.ConsumeBool():
            out.append(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i))
            closers.append(b"\n--b%d--\n" % i)
        else:
            out.append(b"Content-Type: message/rfc822\n\n")
    out.append(b"Content-Type: text/plain\n\n" + _words(fdp) + b"\n")
    out.extend(reversed(closers))
    return b"".join(out)


def _deep_html(fdp: atheris.FuzzedDataProvider) -> bytes:
    depth = fdp.ConsumeIntInRange(0, 6000)
    tags = [TAGS[fdp.ConsumeIntInRange(0, len(TAGS) - 1)] for _ in range(min(depth, 50))] or [b"div"]
    opening = b"".join(b"<%s>" % tags[i % len(tags)] for i in range(depth))
    closing = b"".join(b"</%s>" % tags[i % len(tags)] for i in reversed(range(depth)))
    return (HEAD + b"Content-Type: text/html; charset=utf-8\n\n" + opening + b"<p>"
            + _words(fdp) + b"</p>" + closing)


def _long_headers(fdp: atheris.FuzzedDataProvider) -> bytes:
    n = fdp.ConsumeIntInRange(0, 25000)
    repeat = fdp.ConsumeBool()
    lines = [b"X-Trace: hop\n" if repeat else b"X-Trace-%d: hop %d\n" % (i, i) for i in range(n)]
    return HEAD + b"".join(lines) + b"Content-Type: text/plain\n\n" + _words(fdp) + b"\n"


def one_input(data: bytes) -> None:
    if not data or data[0] % 8 < 5:  # raw bytes, as before
        unsafe = bool(data[:1]) and data[0] & 1 == 1
        check_source(data, unsafe)
        return
    fdp = atheris.FuzzedDataProvider(data[1:])
    build = (_deep_mime, _deep_html, _long_headers)[data[0] % 8 - 5]
    message = build(fdp)
    report = check_source(message, False)
    assert report is not None, "a well-formed message was refused as unreadable"
    ids = [f.rule_id for f in report.findings]
    assert ids != ["nothing-to-check"], f"{build.__name__}: the body was read as empty"


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
