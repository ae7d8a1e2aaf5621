"""Inputs the fuzzers (fuzz/) found crashing, kept as regression tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import outreach_lint as ol

ROOT = Path(__file__).resolve().parents[1]

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


# fuzz_eml, seed 1: a 40-letter "word" made job-ask's `role` capture backtrack for seconds
# under full case folding, and the capture's TimeoutError escaped lint().
LONG_WORD = (
    "Hi Priya,\n\nPFA my resume for your reference. Kindly do the needful and refer me for any "
    + "i" * 40
    + "=\nsuitable opening in your team or organisation.\n\nThanks and regards,\nRahul\n"
)


def test_a_long_word_in_a_job_ask_does_not_stall_the_rewrite() -> None:
    report = ol.lint(LONG_WORD)
    job_asks = [f for f in report.findings if f.rule_id == "job-ask"]
    assert job_asks and all(f.fixes for f in job_asks)


def test_a_catastrophic_capture_in_a_user_pack_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: p\nversion: '1'\ndescription: d\n")
    rule = (ROOT / "rules" / "informational-interview" / "rules" / "apologetic-tone.yaml")
    text = rule.read_text(encoding="utf-8").replace(
        "fix:\n", "fix:\n  captures:\n    bad: '(\\w+\\s?)+$'\n", 1
    )
    (pack / "rules" / "apologetic-tone.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ol.PackError) as info:
        ol.lint("Hi", config={"packs": [str(pack)]})
    assert info.value.key == "fix.captures.bad" and info.value.line is not None


# fuzz_eml, issue 16 long run: the MIME shape check asked a leaf part for its payload, which
# decodes 8-bit bytes with the part's charset: ValueError for a charset with a NUL in it.
NUL_CHARSET_8BIT = NUL_CHARSET.replace(b"quoted-printable", b"8bit").replace(
    b"policy work.", "policy work, café.".encode())


def test_the_mime_shape_check_never_decodes_a_leaf() -> None:
    report = ol.lint(NUL_CHARSET_8BIT)
    assert "unknown-charset" in {n.code for n in report.notices}
    assert "policy work, café" in report.text
