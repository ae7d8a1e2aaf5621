"""Segmentation of drafts: plain text, header blocks, greetings, sign-offs, quotes and MIME.

Every test checks segment kinds *and* the exact text each span covers, so an off-by-one in a
span or a line ending fails here before it reaches a rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import outreach_lint as ol
from outreach_lint.draft import Draft, parse
from outreach_lint.models import SegmentKind as K

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
JOB_ASK = "Are you hiring for any openings on your team?"


def segs(draft: Draft) -> list[tuple[K, str]]:
    return [(s.kind, s.span.text(draft.text)) for s in draft.segments]


def texts(draft: Draft, kind: K) -> list[str]:
    return [s.span.text(draft.text) for s in draft.segments if s.kind is kind]


def assert_well_formed(draft: Draft) -> None:
    prev_end = 0
    for s in draft.segments:
        assert 0 <= s.span.start <= s.span.end <= len(draft.text)
        assert s.span.start >= prev_end, f"segments overlap: {segs(draft)}"
        prev_end = s.span.end


# --------------------------------------------------------------------------- plain text


def test_plain_text_greeting_body_signoff_signature() -> None:
    text = "Hi Dana,\n\nI'd love to hear how you moved into research.\n\nBest,\nSam"
    d = parse(text)
    assert d.text == text
    assert d.source_kind == "text"
    assert d.spans_refer_to == "source"
    assert segs(d) == [
        (K.GREETING, "Hi Dana,"),
        (K.BODY, "I'd love to hear how you moved into research."),
        (K.SIGNOFF, "Best,"),
        (K.SIGNATURE, "Sam"),
    ]
    assert_well_formed(d)


def test_text_without_any_structure_is_one_body() -> None:
    text = "would love to hear about your path into design sometime"
    d = parse(text)
    assert segs(d) == [(K.BODY, text)]


def test_paragraphs_become_separate_body_segments() -> None:
    text = "Hi Dana,\n\nFirst paragraph,\nwrapped here.\n\nSecond paragraph.\n\nThanks,\nSam"
    assert texts(parse(text), K.BODY) == ["First paragraph,\nwrapped here.", "Second paragraph."]


@pytest.mark.parametrize(
    ("greeting_line", "greeting", "rest"),
    [
        ("Hi Dana,", "Hi Dana,", None),
        ("Dear Dr. Smith,", "Dear Dr. Smith,", None),
        ("Hello Ms. Brandt!", "Hello Ms. Brandt!", None),
        ("Hi Dana, I hope your week is going well.", "Hi Dana,",
         "I hope your week is going well."),
    ],
)
def test_greeting(greeting_line: str, greeting: str, rest: str | None) -> None:
    text = f"{greeting_line}\n\nWould you have 20 minutes for a coffee?\n\nBest,\nSam"
    d = parse(text)
    assert texts(d, K.GREETING) == [greeting]
    body = texts(d, K.BODY)
    expected = ([rest] if rest else []) + ["Would you have 20 minutes for a coffee?"]
    assert body == expected


def test_signoff_with_name_and_contact_block() -> None:
    text = (
        "Dear Dr. Smith,\n\nI'd love to chat.\n\nThank you,\nSam Lee\n"
        "sam@example.com | +1 555 0100\nlinkedin.com/in/samlee\n"
    )
    d = parse(text)
    assert texts(d, K.SIGNOFF) == ["Thank you,"]
    assert texts(d, K.SIGNATURE) == ["Sam Lee\nsam@example.com | +1 555 0100\nlinkedin.com/in/samlee"]
    assert texts(d, K.BODY) == ["I'd love to chat."]


def test_signoff_and_name_on_one_line() -> None:
    d = parse("Hi Dana,\n\nI'd love to chat.\n\nThanks, Sam")
    assert texts(d, K.SIGNOFF) == ["Thanks,"]
    assert texts(d, K.SIGNATURE) == ["Sam"]


def test_dash_dash_signature() -> None:
    text = "Hi Dana,\n\nI'd love to chat about your path.\n\n-- \nSam Lee\nHiring Coordinator, Acme"
    d = parse(text)
    assert texts(d, K.SIGNATURE) == ["-- \nSam Lee\nHiring Coordinator, Acme"]
    assert texts(d, K.BODY) == ["I'd love to chat about your path."]
    assert_well_formed(d)


def test_short_body_sentence_before_dash_dash_is_not_a_signature() -> None:
    # Regression: a short last paragraph was taken for a name line ("I'd love to chat.").
    d = parse("Hi Dana,\n\nI'd love to chat.\n\n-- \nSam")
    assert texts(d, K.BODY) == ["I'd love to chat."]
    assert texts(d, K.SIGNATURE) == ["-- \nSam"]


def test_name_paragraph_without_closing_is_a_signature() -> None:
    d = parse("Hi Dana,\n\nWould you have 20 minutes for a coffee next week?\n\nSam Lee Jr.")
    assert texts(d, K.SIGNATURE) == ["Sam Lee Jr."]
    assert texts(d, K.BODY) == ["Would you have 20 minutes for a coffee next week?"]


def test_sent_from_my_iphone() -> None:
    d = parse("Hi Dana,\n\nCould we grab a coffee next week?\n\nSent from my iPhone")
    assert texts(d, K.SIGNATURE) == ["Sent from my iPhone"]
    assert texts(d, K.BODY) == ["Could we grab a coffee next week?"]


def test_postscript_after_the_name_is_linted() -> None:
    text = "Hi Dana,\n\nI'd love to chat.\n\nBest,\nSam\n\nP.S. Could I also ask about your team?"
    d = parse(text)
    assert texts(d, K.POSTSCRIPT) == ["P.S. Could I also ask about your team?"]
    assert texts(d, K.SIGNATURE) == ["Sam"]
    ps = next(s for s in d.segments if s.kind is K.POSTSCRIPT)
    assert ps.lintable
    assert ps in list(d.lintable_segments())


def test_job_ask_in_postscript_is_flagged() -> None:
    text = f"Hi Dana,\n\nI'd love to hear about your path.\n\nBest,\nSam\n\nP.S. {JOB_ASK}"
    report = ol.lint(text, config={"select": ["job-ask"]})
    hits = [f for f in report.findings if f.rule_id == "job-ask"]
    assert hits and all(f.segment is K.POSTSCRIPT for f in hits)


# --------------------------------------------------------------------------- header block


def test_mutt_header_block() -> None:
    text = (
        "From: Owen <owen@example.org>\nTo: Lena <lena@example.org>\nCc: Ruth <ruth@bu.edu>\n"
        "Subject: A question about computational biology\n\nDear Dr. Fischer,\n\n"
        "I'd love your perspective.\n\nThank you,\nOwen"
    )
    d = parse(text)
    assert d.subject == "A question about computational biology"
    assert d.header("to") == "Lena <lena@example.org>"
    assert d.header("CC") == "Ruth <ruth@bu.edu>"
    assert [k for k, _ in d.headers] == ["From", "To", "Cc", "Subject"]
    assert texts(d, K.HEADER) == [
        "From:", "Owen <owen@example.org>", "To:", "Lena <lena@example.org>", "Cc:",
        "Ruth <ruth@bu.edu>", "Subject:",
    ]
    assert texts(d, K.GREETING) == ["Dear Dr. Fischer,"]
    assert texts(d, K.BODY) == ["I'd love your perspective."]
    assert not any(s.lintable for s in d.segments if s.kind is K.HEADER)


def test_header_block_example_file() -> None:
    d = parse(EXAMPLES / "header-block-mutt.txt")
    assert d.header("From") is not None and "owen" in d.header("From").lower()
    assert texts(d, K.GREETING) == ["Dear Dr. Fischer,"]
    assert d.subject and d.subject.startswith("Prof. Adler suggested")
    # No header text is linted: the headers' e-mail addresses are not in any lintable segment.
    for s in d.lintable_segments():
        assert "@" not in s.span.text(d.text)


def test_folded_header_lines() -> None:
    text = (
        "To: Dana Smith\n <dana@example.org>\nSubject: A question about your move\n"
        "  into museum exhibition design\n\nHi Dana,\n\nI'd love to chat.\n\nBest,\nSam"
    )
    d = parse(text)
    assert d.header("To") == "Dana Smith <dana@example.org>"
    assert d.header("Subject") == "A question about your move into museum exhibition design"
    subject = texts(d, K.SUBJECT)
    assert subject == ["A question about your move\n  into museum exhibition design"]
    # the folded "To" continuation stays a (non-lintable) header line
    assert "<dana@example.org>" in texts(d, K.HEADER)
    assert texts(d, K.GREETING) == ["Hi Dana,"]
    assert_well_formed(d)


@pytest.mark.parametrize(
    "text",
    [
        "Note: I'm writing on behalf of our alumni group.\nWould you have 20 minutes?\n",
        "Note: I'm writing on behalf of our alumni group.\n\nWould you have 20 minutes?\n",
        "Re: your talk last week\n\nWould you have 20 minutes?\n",
    ],
)
def test_body_line_with_colon_is_not_a_header(text: str) -> None:
    d = parse(text)
    assert d.headers == ()
    assert not list(d.segments_of(K.HEADER, K.SUBJECT))
    first = d.segments[0]
    assert first.kind is K.BODY
    assert first.span.text(d.text).startswith(text.split(":")[0])


def test_body_note_line_after_header_block_stays_body() -> None:
    text = "Subject: Coffee?\n\nNote: this is from my personal address.\n\nHi Dana, hope you're well."
    d = parse(text)
    assert [k for k, _ in d.headers] == ["Subject"]
    assert "Note: this is from my personal address." in texts(d, K.BODY)


def test_header_block_interrupted_by_a_body_line_keeps_known_headers() -> None:
    text = "From: Sam <sam@example.org>\nTo: Dana <dana@example.org>\nNote: hello there\n"
    d = parse(text)
    assert [k for k, _ in d.headers] == ["From", "To"]
    assert texts(d, K.BODY) == ["Note: hello there"]


# --------------------------------------------------------------------------- quotes


def test_quoted_lines_are_quotes() -> None:
    text = "Hi Jane,\n> Can you send your resume?\n> Thanks\nI'd rather just chat first.\n\nBest,\nSam"
    d = parse(text)
    assert texts(d, K.QUOTE) == ["> Can you send your resume?\n> Thanks"]
    assert texts(d, K.BODY) == ["I'd rather just chat first."]
    assert_well_formed(d)


@pytest.mark.parametrize(
    "attribution",
    [
        "On Tue, 3 Mar 2026 at 10:02, Jane Doe <jane@example.org> wrote:",
        "On Tue, 3 Mar 2026, Jane Doe <jane@\nexample.org> wrote:",
        "Le mar. 3 mars 2026, Jane Doe a écrit :",
    ],
)
def test_attribution_line_starts_the_quote(attribution: str) -> None:
    tail = f"{attribution}\n> We have no openings right now.\n> Jane"
    text = f"Hi Jane,\n\nThanks for the reply!\n\nBest,\nSam\n\n{tail}\n"
    d = parse(text)
    assert texts(d, K.QUOTE) == [tail]
    assert texts(d, K.SIGNATURE) == ["Sam"]
    assert_well_formed(d)


def test_outlook_reply_block() -> None:
    tail = (
        "From: Jane Doe <jane@example.org>\nSent: Tuesday, March 3, 2026 10:02 AM\n"
        "To: Sam Lee\nSubject: RE: Coffee?\n\nWe are hiring! Send your resume to HR."
    )
    text = f"Hi Jane,\n\nThank you, that's kind.\n\nBest,\nSam\n\n{tail}"
    d = parse(text)
    assert texts(d, K.QUOTE) == [tail]
    assert d.headers == ()


@pytest.mark.parametrize(
    "marker",
    ["-----Original Message-----", "---------- Forwarded message ---------",
     "Begin forwarded message:"],
)
def test_original_and_forwarded_messages_are_quotes(marker: str) -> None:
    tail = f"{marker}\nFrom: Jane\nAre there any openings on your team?"
    text = f"Hi Jane,\n\nSee below.\n\n{tail}"
    d = parse(text)
    assert texts(d, K.QUOTE) == [tail]
    assert texts(d, K.BODY) == ["See below."]


def test_quotes_and_signature_are_excluded_from_every_rule() -> None:
    clean = (
        "Hi Jane,\n\nI'd love to hear how you moved into exhibition design.\n\n"
        "Best,\nSam\n\n"
    )
    outside = (
        clean
        + f"-- \nSam Lee\n{JOB_ASK}\n\nOn Tue, 3 Mar 2026, Jane Doe wrote:\n> {JOB_ASK}\n"
    )
    report = ol.lint(outside)
    quote_or_sig = [
        s.span for s in parse(outside).segments if s.kind in (K.QUOTE, K.SIGNATURE)
    ]
    assert "job-ask" not in {f.rule_id for f in report.findings}
    for f in report.findings:  # no rule anchors a finding inside quoted text or a signature
        assert not any(span.contains(f.span) and len(f.span) for span in quote_or_sig), f
    # the very same sentence in the writer's own body is flagged
    inside = clean.replace("exhibition design.", f"exhibition design. {JOB_ASK}")
    assert "job-ask" in {f.rule_id for f in ol.lint(inside).findings}


def test_quoted_job_words_do_not_reach_the_nlp_layer() -> None:
    from outreach_lint.nlp import masked_text

    d = parse(f"Hi Jane,\n\nThanks!\n\nOn Tue, Jane wrote:\n> {JOB_ASK}\n")
    masked = masked_text(d)
    assert len(masked) == len(d.text)
    assert "hiring" not in masked and "openings" not in masked


# --------------------------------------------------------------------------- line endings


@pytest.mark.parametrize("nl", ["\r\n", "\r"])
def test_crlf_and_lone_cr(nl: str) -> None:
    lf = "Subject: Coffee?\n\nHi Dana,\n\nWould you have 20 minutes?\n\nBest,\nSam\n"
    text = lf.replace("\n", nl)
    d, ref = parse(text), parse(lf)
    assert d.text == text
    assert [(k, t) for k, t in segs(d)] == [(k, t.replace("\n", nl)) for k, t in segs(ref)]
    assert d.subject == "Coffee?"
    assert texts(d, K.SIGNOFF) == ["Best,"]
    for s in d.segments:
        assert not s.span.text(d.text).endswith(("\r", "\n"))
    assert_well_formed(d)


def test_unicode_line_separators_do_not_split_lines() -> None:
    text = "Hi Dana,\n\nI'd love to chat\u2028about design\x85and research.\n\nBest,\nSam"
    d = parse(text)
    assert texts(d, K.BODY) == ["I'd love to chat\u2028about design\x85and research."]


# --------------------------------------------------------------------------- MIME


def test_reply_with_quote_eml() -> None:
    path = EXAMPLES / "reply-with-quote.eml"
    d = parse(path)
    assert d.source_kind == "eml"
    assert d.spans_refer_to == "decoded-text"
    # quoted-printable is decoded (no "=E2=80=99"), text/plain is preferred over text/html
    assert "=E2" not in d.text and "<p>" not in d.text and "</html>" not in d.text
    assert "I’m not looking for a role at Atelier Nord" in d.text
    assert "Montréal" in d.text
    assert d.text.startswith("Subject: Re: Exhibition design question\n\n")
    assert d.subject == "Re: Exhibition design question"
    assert d.header("From") == "Zoé Lefèvre <zoe.lefevre@studiobrume.ca>"
    assert texts(d, K.GREETING) == ["Hi Jane,"]
    quote = texts(d, K.QUOTE)
    assert len(quote) == 1 and quote[0].startswith("On Tue, 3 Mar 2026 at 10:02, Jane Doe")
    assert "we have no openings" in quote[0]
    assert d.attachments == ()
    assert_well_formed(d)


def test_eml_spans_index_the_decoded_text() -> None:
    report = ol.lint(EXAMPLES / "reply-with-quote.eml")
    assert report.spans_refer_to == "decoded-text"
    assert report.text == parse(EXAMPLES / "reply-with-quote.eml").text
    for f in report.findings:
        assert f.excerpt == report.text[f.span.start : f.span.end]
    # quoted job talk ("no openings", "apply for any role") never becomes a job-ask
    assert "job-ask" not in {f.rule_id for f in report.findings}


def test_eml_bytes_and_message_objects_parse_alike() -> None:
    import email
    import email.policy

    data = (EXAMPLES / "reply-with-quote.eml").read_bytes()
    from_bytes = parse(data)
    from_msg = parse(email.message_from_bytes(data, policy=email.policy.default))
    from_path = parse(EXAMPLES / "reply-with-quote.eml")
    assert from_bytes.text == from_msg.text == from_path.text
    assert segs(from_bytes) == segs(from_path)


def test_resume_attached_eml_lists_the_attachment_without_linting_it() -> None:
    d = parse(EXAMPLES / "resume-attached.eml")
    assert d.source_kind == "eml"
    assert len(d.attachments) == 1
    att = d.attachments[0]
    assert att.filename == "Jordan_Lee_Resume.pdf"
    assert att.content_type == "application/pdf"
    assert att.size > 0
    # the base64 payload is not part of the text rules see
    assert "JVBERi0" not in d.text and "application/pdf" not in d.text
    report = ol.lint(EXAMPLES / "resume-attached.eml")
    assert report.attachments == d.attachments


def _mime(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode() + b"\r\n" + body


def test_html_only_message_is_read_as_text() -> None:
    data = _mime(
        "From: sam@example.org\nTo: dana@example.org\nSubject: Coffee?\nMIME-Version: 1.0\n"
        "Content-Type: text/html; charset=utf-8\n",
        b"<html><body><p>Hi Dana,</p><p>Would you have <b>20 minutes</b> for a coffee?</p>"
        b"<p>Best,<br>Sam</p></body></html>\n",
    )
    d = parse(data)
    assert "<" not in d.text and "<b>" not in d.text
    assert "Would you have 20 minutes for a coffee?" in texts(d, K.BODY)
    assert texts(d, K.GREETING) == ["Hi Dana,"]
    assert "html-body" in {n.code for n in d.notices}


def test_unknown_charset_gives_a_notice_not_an_exception() -> None:
    data = _mime(
        "From: sam@example.org\nSubject: Coffee?\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=x-no-such-charset\n",
        "Hi Dana,\n\nWould you have 20 minutes for a café?\n\nBest,\nSam\n".encode(),
    )
    report = ol.lint(data)
    assert "unknown-charset" in {n.code for n in report.notices}
    assert "café" in report.text


def test_broken_mime_tree_gives_a_notice_not_an_exception() -> None:
    data = _mime(
        "From: sam@example.org\nSubject: Coffee?\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="XYZ"\n',
        b"--XYZ\r\nContent-Type: text/plain\r\n\r\nHi Dana, would you have 20 minutes?\r\n",
    )
    report = ol.lint(data)
    assert "mime-defects" in {n.code for n in report.notices}
    assert "would you have 20 minutes?" in report.text


def test_multipart_without_boundary_is_reported() -> None:
    data = _mime(
        "From: sam@example.org\nSubject: Coffee?\nMIME-Version: 1.0\n"
        "Content-Type: multipart/mixed\n",
        b"Hi Dana, would you have 20 minutes?\r\n",
    )
    report = ol.lint(data)
    assert {n.code for n in report.notices} & {"mime-defects", "no-text-body"}
    assert isinstance(report, ol.Report)


def test_mbox_from_line() -> None:
    body = "Hi Dana,\n\nWould you have 20 minutes for a coffee?\n\nBest,\nSam\n"
    data = (
        b"From sam@example.org Tue Mar  3 10:02:00 2026\n"
        b"From: sam@example.org\nSubject: Coffee?\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=utf-8\n\n" + body.encode()
    )
    d = parse(data)
    assert d.source_kind == "eml"
    assert d.subject == "Coffee?"
    assert "sam@example.org Tue" not in d.text
    assert texts(d, K.BODY) == ["Would you have 20 minutes for a coffee?"]


def test_mbox_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "draft.mbox"
    path.write_bytes(
        b"From sam@example.org Tue Mar  3 10:02:00 2026\nFrom: sam@example.org\n"
        b"Subject: Coffee?\nMIME-Version: 1.0\nContent-Type: text/plain\n\nHi Dana,\n\nHello.\n"
    )
    d = parse(path)
    assert d.source_kind == "eml" and d.subject == "Coffee?"


def test_quote_below_a_signature_does_not_overlap_it() -> None:
    # Regression: the "-- " signature ran to the end of the text, over "> " quote segments.
    d = parse("Hi Dana,\n\nThanks for the reply!\n\n-- \nSam\n> Any openings?\n")
    assert texts(d, K.SIGNATURE) == ["-- \nSam"]
    assert texts(d, K.QUOTE) == ["> Any openings?"]
    assert_well_formed(d)


def _eml_with_attachment(filename: str) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "sam@example.org", "dana@example.org", "Coffee?"
    msg.set_content("Hi Dana,\n\nI'd love to hear how you moved into research. Would you have"
                    " 20 minutes for a coffee?\n\nBest,\nSam\n")
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename=filename)
    return msg.as_bytes()


@pytest.mark.parametrize(
    "filename",
    ["Resume.pdf", "jordan-lee-resume.pdf", "Lee_CV.pdf", "Jordan_Lee_Resume.pdf"],
)
def test_attached_resume_file_is_flagged(filename: str) -> None:
    report = ol.lint(_eml_with_attachment(filename), config={"select": ["resume-attached"]})
    assert [a.filename for a in report.attachments] == [filename]
    assert [f.rule_id for f in report.findings] == ["resume-attached"]


def test_attachment_that_is_not_a_resume_is_not_flagged() -> None:
    report = ol.lint(_eml_with_attachment("portfolio-slides.pdf"),
                     config={"select": ["resume-attached"]})
    assert report.attachments and report.findings == ()


def test_pasted_headers_with_blank_lines_between_them_are_headers_not_a_quote() -> None:
    text = ("To: dana@example.org\n\nFrom: sam@example.org\n\nSubject: Thanks\n\n"
            "Dear Dana,\n\nThanks for meeting me.\n\nBest,\nSam\n")
    d = parse(text)
    kinds = [s.kind for s in d.segments]
    assert K.QUOTE not in kinds
    assert d.subject == "Thanks"
    assert any(s.kind is K.BODY and "Thanks for meeting me." in s.span.text(text)
               for s in d.segments)


# ------------------------------------------------- sign-offs the rewrite planner relies on

@pytest.mark.parametrize(("text", "signoff", "signature"), [
    ("Hi Jo,\n\nCould we talk?\n\nThanks for considering it,\nJordan",
     "Thanks for considering it,", "Jordan"),
    ("Hi Jo,\n\nCould we talk?\nThank you very much for your help.\nAhmed Saleh",
     "Thank you very much for your help.", "Ahmed Saleh"),
    ("Hi Jo,\n\nCould we talk?\n\nHoping to hear from you soon,\n\nMateo",
     "Hoping to hear from you soon,", "Mateo"),
    ("Hi Jo,\n\nCould we talk?\n\nThanks so much!\nJordan", "Thanks so much!", "Jordan"),
])
def test_more_sign_offs_are_recognised(text: str, signoff: str, signature: str) -> None:
    d = parse(text)
    parts = {s.kind: s.span.text(d.text) for s in d.segments}
    assert parts[K.SIGNOFF] == signoff
    assert parts[K.SIGNATURE] == signature
    assert parts[K.BODY] == "Could we talk?"


@pytest.mark.parametrize("text", [
    "Hi Jo,\n\nCould we talk? I would love that.\nYour Name",
    "Hi Jo,\n\nCould we talk? I would love that.\n\n[Your Name]\n",
    "Hi Jo,\n\nCould we talk? I would love that.\nJordan Lee",
])
def test_a_bare_name_or_name_blank_under_the_last_sentence_is_a_signature(text: str) -> None:
    d = parse(text)
    kinds = [s.kind for s in d.segments]
    assert kinds[-1] is K.SIGNATURE
    assert [s.span.text(d.text) for s in d.segments if s.kind is K.BODY] == [
        "Could we talk? I would love that."]


def test_a_bare_title_and_name_line_is_the_greeting() -> None:
    d = parse("Mr. Whitfield,\n\nCould we talk for 20 minutes?\n\nRegards,\nJake")
    assert d.segments[0].kind is K.GREETING
    assert d.segments[0].span.text(d.text) == "Mr. Whitfield,"
