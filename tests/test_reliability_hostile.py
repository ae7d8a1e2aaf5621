"""Issue 16, findings 4, 5 and 9: hostile mail and crashing inputs get a clear answer.

Each test names the finding it covers. Speed and memory figures for the same inputs are in
`benchmarks/hostile.py`; here only behaviour is asserted (a bound is respected, a notice or
finding is given, the slow step is never reached).
"""

from __future__ import annotations

import email
import json
from email.message import Message
from pathlib import Path

import pytest
from click.testing import CliRunner

import outreach_lint as ol
from outreach_lint.cli import cli
from outreach_lint.hooks import as_message

# The documented limits (docs/reliability.md; draft.py and html_text.py hold them, checked in
# test_the_documented_limits_are_the_code_s). Literal here so that the behaviour tests also
# run, and fail, against the code before issue 16.
MAX_MIME_DEPTH, MAX_MIME_PARTS, MAX_HTML_DEPTH = 64, 1000, 200

JOB_ASK = "Hi Dana, do you have any openings on your team? Please send me the application."
HEAD = "From: Sam <sam@example.org>\nTo: Dana <dana@example.org>\nSubject: Hello\nMIME-Version: 1.0\n"


def ids(report: ol.Report) -> list[str]:
    return [f.rule_id for f in report.findings]


def codes(report: ol.Report) -> list[str]:
    return [n.code for n in report.notices]


def html_mail(depth: int, tag: str = "div") -> bytes:
    body = (f"<p>Hello Dana, I admire your work.</p>{f'<{tag}>' * depth}<p>{JOB_ASK}</p>"
            f"{f'</{tag}>' * depth}<p>Thanks, Sam</p>")
    return (HEAD + "Content-Type: text/html; charset=utf-8\n\n" + body).encode()


def nested_multipart(depth: int) -> bytes:
    out = [HEAD]
    for i in range(depth):
        out.append(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n')
    out.append(f"Content-Type: text/plain\n\n{JOB_ASK}\n")
    out.extend(f"--b{i}--\n" for i in reversed(range(depth)))
    return "".join(out).encode()


def nested_rfc822(depth: int) -> bytes:
    # message/rfc822 parts nest without any boundary: the stdlib parser recurses per level.
    return (HEAD + "Content-Type: message/rfc822\n\n" * depth
            + f"Content-Type: text/plain\n\n{JOB_ASK}\n").encode()


def many_parts(n: int) -> bytes:
    parts = [HEAD + 'Content-Type: multipart/mixed; boundary="B"\n\n',
             f"--B\nContent-Type: text/plain\n\n{JOB_ASK}\n"]
    parts.extend("--B\nContent-Type: text/plain\n\nx\n" for _ in range(n - 1))
    parts.append("--B--\n")
    return "".join(parts).encode()


# ------------------------------------------------------------ finding 4: hostile mail


@pytest.mark.parametrize("depth", [10, 254, 255, 300, 5000])
def test_html_only_mail_nested_deep_is_still_linted(depth: int) -> None:
    report = ol.lint(html_mail(depth))
    assert "job-ask" in ids(report), f"depth {depth}: {ids(report)}"
    assert "nothing-to-check" not in ids(report)
    assert ("html-too-deep" in codes(report)) == (depth > MAX_HTML_DEPTH)
    assert "Thanks, Sam" in report.text  # nothing after the deep part is lost either


def test_html_reader_that_drops_text_is_replaced_by_the_flat_scan(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated: inscriptis returns only the first paragraph, as libxml2 does past depth 254.
    import inscriptis

    monkeypatch.setattr(inscriptis, "get_text", lambda _html: "Hello Dana, I admire your work.\n")
    report = ol.lint(html_mail(3))
    assert "job-ask" in ids(report) and "html-text-lost" in codes(report)


def test_sendmail_blocks_a_deeply_nested_html_job_ask(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "cli"))
    from cli_helpers import Stub

    stub = Stub(tmp_path / "mta")
    result = CliRunner().invoke(cli, ["sendmail", "--fail-open", "--mta", str(stub.path), "--",
                                      "dana@example.org"], input=html_mail(300))
    assert result.exit_code == 1 and not stub.called
    assert "job-ask" in result.stderr


@pytest.mark.parametrize("depth", [MAX_MIME_DEPTH - 2, MAX_MIME_DEPTH + 1, 400])
def test_mime_nesting_over_the_limit_is_an_error_finding(depth: int) -> None:
    report = ol.lint(nested_multipart(depth))
    if depth + 1 <= MAX_MIME_DEPTH:  # the message itself is level 1
        assert "job-ask" in ids(report)
    else:
        assert ids(report) == ["draft-not-checked"]
        assert report.findings[0].severity is ol.Severity.ERROR
        assert "nested" in report.findings[0].message


def test_too_many_mime_parts_are_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The bound: a message over MAX_MIME_PARTS never reaches the (slow) stdlib parser.
    def parser_reached(*_a: object, **_k: object) -> Message:
        raise AssertionError("the MIME parser ran on a message with 50,000 parts")

    monkeypatch.setattr(email, "message_from_bytes", parser_reached)
    report = ol.lint(many_parts(50_000))
    assert ids(report) == ["draft-not-checked"]
    assert "50,000 MIME parts" in report.findings[0].message


def test_a_message_at_the_parts_limit_is_linted() -> None:
    assert "job-ask" in ids(ol.lint(many_parts(MAX_MIME_PARTS // 2)))


def test_long_header_block_is_still_read_as_a_message() -> None:
    # 2,000 header lines run past the 16 KiB sniffing window: judged on the complete lines.
    data = (HEAD + "".join(f"X-Trace-{i}: hop {i}\n" for i in range(2000))
            + f"Content-Type: text/plain\n\n{JOB_ASK}\n").encode()
    report = ol.lint(data)
    assert report.source_kind == "eml" and "job-ask" in ids(report)


def test_header_block_is_read_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # The bound: header lookups (each a scan of every header) do not grow with their number.
    calls = {"get": 0}
    real_get = Message.get

    def counting_get(self: Message, *a: object, **k: object) -> object:
        calls["get"] += 1
        return real_get(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Message, "get", counting_get)
    counts = []
    for n in (200, 2000):
        calls["get"] = 0
        data = (HEAD + "".join(f"X-Trace-{i}: hop {i}\n" for i in range(n))
                + f"Content-Type: text/plain\n\n{JOB_ASK}\n").encode()
        # as the sendmail wrapper and hooks parse it: always as a message
        report = ol.lint(as_message(data))
        assert "job-ask" in ids(report)
        counts.append(calls["get"])
    assert counts[1] == counts[0], f"header lookups grow with the header count: {counts}"


# ------------------------------------------------------------ finding 5: crashes


@pytest.mark.parametrize("make", [nested_multipart, nested_rfc822], ids=["multipart", "rfc822"])
def test_mime_nested_a_thousand_levels_is_reported_not_a_crash(make: object) -> None:
    report = ol.lint(make(1000))  # type: ignore[operator]
    assert ids(report) == ["draft-not-checked"]


def test_check_dir_reports_the_other_files_around_a_deep_mime(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(JOB_ASK)
    (tmp_path / "b.eml").write_bytes(nested_rfc822(1000))
    (tmp_path / "c.txt").write_text("Hi Dana,\n\nCould we talk for 20 minutes?\n\nSam\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--format", "json", "."])
    doc = json.loads(result.stdout)
    by_path = {Path(f["path"]).name: f for f in doc["files"]}
    assert set(by_path) == {"a.txt", "b.eml", "c.txt"}, result.stderr
    assert [x["rule_id"] for x in by_path["b.eml"]["report"]["findings"]] == ["draft-not-checked"]
    assert "job-ask" in [x["rule_id"] for x in by_path["a.txt"]["report"]["findings"]]
    assert result.exit_code == 1 and "internal error" not in result.stderr


@pytest.mark.parametrize("where", ["start", "middle", "end", "many"])
def test_lone_surrogates_are_replaced_with_a_notice(where: str) -> None:
    text = {"start": "\ud800" + JOB_ASK, "middle": JOB_ASK.replace("any", "a\udc80ny"),
            "end": JOB_ASK + "\udfff", "many": "\ud83d" * 50 + JOB_ASK}[where]
    report = ol.lint(text)
    assert len(report.text) == len(text)  # one for one: every offset still indexes the input
    assert not any("\ud800" <= c <= "\udfff" for c in report.text)
    assert "replaced-surrogates" in codes(report)
    report.model_dump_json()  # serialisable: no UnicodeEncodeError anywhere
    for f in report.findings:
        assert f.excerpt == report.text[f.span.start : f.span.end]
    fixed = ol.fix(text, unsafe=True)
    fixed.text.encode("utf-8")
    results = list(ol.lint_many([text, JOB_ASK]))
    assert all(isinstance(r, ol.Report) for r in results)


def test_surrogates_from_a_message_header_are_replaced() -> None:
    msg = email.message_from_bytes(HEAD.encode() + b"X-Note: caf\xe9 \xff\n\n" + JOB_ASK.encode(),
                                   policy=email.policy.compat32)
    report = ol.lint(msg)
    report.model_dump_json()
    assert "job-ask" in ids(report)


def test_drafts_over_a_million_characters_in_lint_many() -> None:
    big = "Hi Dana,\n\n" + "Could we talk? " * 70_000  # 1,050,010 characters
    assert len(big) > 1_000_000
    results = list(ol.lint_many([JOB_ASK, big, JOB_ASK], config={"max-chars": 1_000_000}))
    assert [type(r) for r in results] == [ol.Report] * 3
    assert ids(results[1]) == ["draft-too-large"]  # type: ignore[arg-type]
    assert "job-ask" in ids(results[0]) and "job-ask" in ids(results[2])  # type: ignore[arg-type]


def test_check_on_a_draft_over_a_million_characters(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "big.txt").write_text("Could we talk? " * 70_000)
    (tmp_path / "ask.txt").write_text(JOB_ASK)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--format", "json", "big.txt", "ask.txt"])
    doc = json.loads(result.stdout)
    rules = [[x["rule_id"] for x in f["report"]["findings"]] for f in doc["files"]]
    assert rules[0] == ["draft-too-large"] and "job-ask" in rules[1]
    assert "internal error" not in result.stderr


def test_max_chars_cannot_exceed_what_the_tokenizer_takes() -> None:
    from outreach_lint.draft import MAX_CHARS_LIMIT
    from outreach_lint.nlp import get_nlp

    assert get_nlp()[0].max_length >= MAX_CHARS_LIMIT
    with pytest.raises(ol.ConfigError, match="max-chars"):
        ol.lint(JOB_ASK, config={"max-chars": MAX_CHARS_LIMIT + 1})
    assert ol.Config.model_validate({"max-chars": MAX_CHARS_LIMIT}).max_chars == MAX_CHARS_LIMIT


def test_the_documented_limits_are_the_code_s() -> None:
    from outreach_lint import draft, html_text

    assert (draft.MAX_MIME_DEPTH, draft.MAX_MIME_PARTS, html_text.MAX_HTML_DEPTH) == (
        MAX_MIME_DEPTH, MAX_MIME_PARTS, MAX_HTML_DEPTH)
    doc = (Path(__file__).parents[1] / "docs" / "reliability.md").read_text(encoding="utf-8")
    for phrase in ("64 levels", "1,000 MIME parts", "200 elements deep", "1,000,000"):
        assert phrase in doc, phrase
