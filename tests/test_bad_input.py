"""Input the linter cannot or need not check: always a clear report or a clear InputError."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import outreach_lint as ol
from outreach_lint.models import Severity


def _only_nothing_to_check(report: ol.Report) -> None:
    assert isinstance(report, ol.Report)
    assert [f.rule_id for f in report.findings] == ["nothing-to-check"]
    finding = report.findings[0]
    assert finding.severity is Severity.INFO
    assert finding.excerpt == report.text[finding.span.start : finding.span.end]
    assert report.worst is Severity.INFO


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\n\t \r\n", "\u2028\u00a0\u3000", "Subject: hi\n\n", "Subject: hi\n",
     "From: sam@example.org\nTo: dana@example.org\nSubject: Coffee?\n\n\n"],
    ids=["empty", "spaces", "blank-lines", "unicode-space", "subject-blank", "subject-only",
         "header-block-only"],
)
def test_nothing_to_check(text: str) -> None:
    report = ol.lint(text)
    _only_nothing_to_check(report)
    assert report.text == text
    # Nothing checked, nothing to praise: no score and never "Ready to send".
    assert not report.score.checked
    assert "Ready to send" not in report.score.verdict


def test_nothing_to_check_for_bytes_and_quote_only_reply() -> None:
    _only_nothing_to_check(ol.lint(b""))
    # A reply with nothing written yet above the quote: nothing of the writer's to check.
    _only_nothing_to_check(ol.lint("\n\nOn Tue, 3 Mar 2026, Jane wrote:\n> Any openings?\n"))


def test_header_block_with_body_is_checked() -> None:
    report = ol.lint("Subject: Coffee?\n\nHi Dana,\n\nAre you hiring?\n\nBest,\nSam")
    assert "nothing-to-check" not in {f.rule_id for f in report.findings}
    assert report.findings


def test_five_megabyte_draft_is_reported_not_linted() -> None:
    text = ("Hi Dana, are you hiring for any openings on your team? " * 100_000)[:5_000_000]
    start = time.perf_counter()
    report = ol.lint(text)
    elapsed = time.perf_counter() - start
    assert [f.rule_id for f in report.findings] == ["draft-too-large"]
    finding = report.findings[0]
    assert finding.severity is Severity.ERROR
    assert "5,000,000" in finding.message
    assert finding.excerpt == report.text[finding.span.start : finding.span.end]
    assert len(report.text) == 5_000_000
    assert elapsed < 30, f"a too-large draft took {elapsed:.1f}s"


def test_max_chars_is_configurable() -> None:
    text = "Hi Dana,\n\n" + "I'd love to hear about your path. " * 40 + "\n\nBest,\nSam"
    assert "draft-too-large" not in {f.rule_id for f in ol.lint(text).findings}
    small = ol.lint(text, config={"max-chars": 1000})
    assert [f.rule_id for f in small.findings] == ["draft-too-large"]


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02\x03binary\x00\xff" * 50, b"%PDF-1.4\n\x00\x00\x00" + bytes(range(256)),
     b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
    ids=["nul-junk", "pdf-ish", "png-header"],
)
def test_binary_junk_is_an_input_error(data: bytes) -> None:
    with pytest.raises(ol.InputError) as info:
        ol.lint(data)
    message = str(info.value)
    assert "binary" in message
    assert "plain text" in message or ".eml" in message  # tells the user what to do instead
    assert isinstance(info.value, ol.OutreachLintError)


def test_binary_file_on_disk_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_bytes(b"\x00" * 64 + b"hello")
    with pytest.raises(ol.InputError, match="binary"):
        ol.lint(path)


def test_invalid_utf8_is_read_as_latin1_with_a_notice() -> None:
    data = b"Hi Dana,\n\nWould you have 20 minutes for a caf\xe9 au lait? \xff\xfe\x80\n\nBest,\nSam"
    report = ol.lint(data)
    codes = [n.code for n in report.notices]
    assert codes == ["decoded-latin-1"]
    assert report.spans_refer_to == "decoded-text"
    # every byte became exactly one character, so nothing was lost and offsets are byte offsets
    assert len(report.text) == len(data)
    assert [ord(c) for c in report.text] == list(data)
    assert "café au lait" in report.text
    for f in report.findings:
        assert f.excerpt == report.text[f.span.start : f.span.end]


def test_utf8_with_bom_is_decoded_without_the_bom() -> None:
    report = ol.lint("\ufeffHi Dana,\n\nWould you have 20 minutes?\n".encode())
    assert not report.text.startswith("\ufeff")
    assert report.notices == ()


@pytest.mark.parametrize("source", [42, 3.5, None, ["Hi Dana"], object()],
                         ids=["int", "float", "none", "list", "object"])
def test_unknown_source_type_is_an_input_error(source: object) -> None:
    with pytest.raises(ol.InputError) as info:
        ol.lint(source)  # type: ignore[arg-type]
    assert type(source).__name__ in str(info.value)
    assert "str" in str(info.value)  # and says what it accepts


def test_nonexistent_path_is_an_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "draft.txt"
    with pytest.raises(ol.InputError) as info:
        ol.lint(missing)
    assert str(missing) in str(info.value)


def test_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ol.InputError):
        ol.lint(tmp_path)


def test_lint_many_yields_errors_in_place() -> None:
    results = list(ol.lint_many(["Hi Dana,\n\nAre you hiring?\n", b"\x00\x00\x00junk", ""]))
    assert isinstance(results[0], ol.Report)
    assert isinstance(results[1], ol.InputError)
    assert isinstance(results[2], ol.Report)
    assert [f.rule_id for f in results[2].findings] == ["nothing-to-check"]
