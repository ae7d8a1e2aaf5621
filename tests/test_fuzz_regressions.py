"""Inputs the fuzzers (fuzz/) found crashing, kept as regression tests."""

from __future__ import annotations

import outreach_lint as ol

# fuzz_eml, first CI run: a charset parameter with a NUL in it made bytes.decode() raise
# ValueError("embedded null character"), which is not a LookupError.
NUL_CHARSET = (
    b"From: a@example.org\nTo: b@example.org\nSubject: Question about your path\n"
    b'Content-Type: text/plain; charset="\x01\x00utf-8"\n'
    b"Content-Transfer-Encoding: quoted-printable\nMIME-Version: 1.0\n\n"
    b"Hi Dana, I'd love to hear how you got into policy work.\n"
)


def test_a_charset_name_with_a_nul_is_an_unknown_charset_not_a_crash() -> None:
    report = ol.lint(NUL_CHARSET)
    assert "unknown-charset" in {n.code for n in report.notices}
    assert "how you got into policy work" in report.text
    # fix() takes the same path and works on the same decoded text.
    assert ol.fix(NUL_CHARSET).original == report.text
