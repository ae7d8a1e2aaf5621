""".eml in, .eml out: only the plain-text body bytes change, re-encoded as they came."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import outreach_lint as ol
from outreach_lint.eml import find_body, rewrite_body

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BODY = ("Hi Dana,\n\nI'm a nurse exploring informatics, and I'd love to hear how you moved into"
        " it. Could we set up a quick call sometime?\n\nThanks,\nSam\n")
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4


def message(body: str, *, cte: str | None = None, charset: str = "utf-8",
            crlf: bool = False, attach: bool = True) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = "Sam <sam@example.org>", "Dana <dana@example.org>"
    msg["Subject"] = "Question about your move into informatics"
    msg.set_content(body, charset=charset, cte=cte)
    if attach:
        msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="notes.pdf")
    policy = email.policy.default.clone(linesep="\r\n" if crlf else "\n")
    return msg.as_bytes(policy=policy)


def outside_body(data: bytes) -> tuple[bytes, bytes]:
    part = find_body(data)
    return data[: part.start], data[part.end :]


def body_of(data: bytes) -> str:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


CASES = [
    ("7bit", {"cte": "7bit", "charset": "us-ascii"}),
    ("8bit-latin1", {"cte": "8bit", "charset": "latin-1"}),
    ("quoted-printable-crlf", {"cte": "quoted-printable", "crlf": True}),
    ("base64", {"cte": "base64"}),
    ("single-part", {"cte": "quoted-printable", "attach": False}),
]


@pytest.mark.parametrize(("name", "kw"), CASES, ids=[c[0] for c in CASES])
def test_fix_rewrites_the_body_and_keeps_headers_and_attachments(name: str, kw: dict) -> None:
    body = BODY.replace("nurse", "nurse (café shifts)") if "latin1" in name else BODY
    raw = message(body, **kw)
    result = ol.fix(raw, unsafe=True)
    assert result.changed
    new = rewrite_body(raw, result.original, result.text)
    head, tail = outside_body(raw)
    assert new.startswith(head) and new.endswith(tail)  # headers and attachments, byte for byte
    part_before, part_after = find_body(raw), find_body(new)
    assert (part_after.charset, part_after.encoding, part_after.crlf) == \
        (part_before.charset, part_before.encoding, part_before.crlf)
    # The new body decodes to exactly the fixed text's body, as any mail program reads it.
    assert body_of(new) == part_after.decode(new)
    assert result.text.endswith(part_after.decode(new))
    # And it lints as the fixed draft did.
    assert ol.lint(new).text == result.text


def test_the_example_with_a_resume_attached_round_trips() -> None:
    raw = (EXAMPLES / "resume-attached.eml").read_bytes()
    result = ol.fix(raw, unsafe=True)
    new = rewrite_body(raw, result.original, result.text)
    head, tail = outside_body(raw)
    assert new.startswith(head) and new.endswith(tail)
    assert ol.lint(new).attachments == ol.lint(raw).attachments
    # The subject is a header: a job ask there would be reported, never rewritten.
    assert email.message_from_bytes(new)["Subject"] == email.message_from_bytes(raw)["Subject"]


def test_unchanged_body_gives_the_same_bytes_and_html_only_is_refused() -> None:
    raw = (EXAMPLES / "reply-with-quote.eml").read_bytes()
    draft = ol.lint(raw).text
    assert rewrite_body(raw, draft, draft) == raw
    html = EmailMessage()
    html["Subject"] = "Hi"
    html.set_content("<p>Hello</p>", subtype="html")
    with pytest.raises(ol.InputError, match="plain-text body"):
        find_body(html.as_bytes())


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               max_size=60),
       st.sampled_from(["7bit", "8bit", "quoted-printable", "base64"]))
def test_any_body_text_round_trips_through_its_encoding(extra: str, cte: str) -> None:
    if cte == "7bit":
        extra = extra.encode("ascii", "ignore").decode()
    body = BODY.replace("informatics", f"informatics {extra}".rstrip())
    raw = message(body, cte=cte)
    part = find_body(raw)
    text = part.decode(raw)
    again = raw[: part.start] + part.encode(text) + raw[part.end :]
    assert find_body(again).decode(again) == text


def test_line_numbers_refer_to_the_message_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from outreach_lint.cli import cli
    from outreach_lint.eml import file_lines

    raw = (EXAMPLES / "resume-attached.eml").read_bytes()
    report = ol.lint(raw)
    lines = file_lines(raw, report.text)
    assert lines is not None
    raw_lines = raw.decode().split("\n")
    text_lines = report.text.split("\n")
    for i, text in enumerate(text_lines):
        if text.strip() and not text.startswith("Subject:"):
            assert raw_lines[lines[i]] == text  # a 7bit body maps line for line
    assert raw_lines[lines[0]].startswith("Subject:")
    path = tmp_path / "resume.eml"
    path.write_bytes(raw)
    out = CliRunner().invoke(cli, ["check", str(path)]).output
    want = next(i for i, ln in enumerate(raw_lines) if ln.startswith("I've attached")) + 1
    assert f"resume.eml:{want}:1:" in out


def test_quoted_printable_soft_breaks_join_file_lines() -> None:
    from outreach_lint.eml import file_lines

    long_line = "I'd love to hear how you moved into informatics " * 3
    raw = message(f"Hi Dana,\n\n{long_line.strip()}\nCould we talk?\n", cte="quoted-printable",
                  attach=False)
    text = ol.lint(raw).text
    lines = file_lines(raw, text)
    assert lines is not None
    raw_lines = raw.decode().split("\n")
    i = text.split("\n").index("Could we talk?")
    assert raw_lines[lines[i]] == "Could we talk?"
