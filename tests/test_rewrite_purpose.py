"""What a draft is for, and what the fix may add to it: only a request gets asks added, and a
writer who is job hunting is never made to say "I'm not looking for a job"."""

from __future__ import annotations

import regex
from click.testing import CliRunner

import outreach_lint as ol
from outreach_lint.cli import cli
from outreach_lint.draft import parse
from outreach_lint.models import SegmentKind
from outreach_lint.rewrite.jobtalk import talks_of_a_job
from outreach_lint.rewrite.meeting import is_meeting_ask
from outreach_lint.rewrite.purpose import Purpose, purpose_of

MEETING_WORDS = regex.compile(r"(?i)\b(?:coffee|call|chat|minutes|colleague)\b")

THANKS = ("Dear Priya,\n\nThank you for talking with me Tuesday afternoon about the analyst role"
          " at Bramble. I really appreciated hearing about the migration your team is doing."
          "\n\nMany thanks for your time,\nEdith")
EMPLOYER = ("Hi Sam,\n\nThanks for sending this email applying for a designer role. We are not"
            " recruiting right now, but a few tips: visit studios before you apply, and keep in"
            " touch.\n\nArvind")


def test_a_thank_you_after_a_talk_gets_no_ask_added_and_says_why() -> None:
    assert any(f.rule_id == "missing-meeting-request" for f in ol.lint(THANKS).findings)
    result = ol.fix(THANKS, unsafe=True)
    assert result.text == THANKS  # no coffee, no fallback, no framing
    assert result.not_a_request == Purpose.THANKS.value
    # the findings stay: a writer who meant to ask for more still sees what is missing
    assert "missing-meeting-request" in {f.rule_id for f in result.remaining}


def test_the_employers_side_is_left_alone() -> None:
    result = ol.fix(EMPLOYER, unsafe=True)
    assert result.text == EMPLOYER
    assert result.not_a_request == Purpose.EMPLOYER.value


def test_a_thank_you_that_asks_to_meet_again_is_a_request() -> None:
    text = ("Hi Priya,\n\nThank you for talking with me at the career fair. I'd love to hear more"
            " about how you moved into data work. Could we set up a call next week?\n\nBest,\nSam")
    result = ol.fix(text, unsafe=True)
    assert result.not_a_request is None
    assert result.text != text
    assert purpose_of(["Thank you for talking with me.", "Could we set up a call?"]) is \
        Purpose.REQUEST
    assert purpose_of(["Thank you for talking with me.", "I learned a lot."]) is Purpose.THANKS
    assert purpose_of(["Thank you for the offer; I'm pleased to accept."]) is Purpose.OFFER_REPLY


def test_a_job_ask_in_a_thank_you_is_removed_never_turned_into_a_request() -> None:
    text = ("Dear Ms. Lee,\n\nIt was a pleasure to meet you today, and thank you for making time"
            " to interview me. I enjoyed hearing about the clinic's new wing. Please keep me in"
            " mind for the nursing position.\n\nRegards,\nAna")
    assert any(f.rule_id == "job-ask" for f in ol.lint(text).findings)
    result = ol.fix(text, unsafe=True)
    assert "keep me in mind" not in result.text
    assert not MEETING_WORDS.search(result.text.replace(text.split("I enjoyed")[0], ""))
    assert "perspective" not in result.text


def test_the_cli_says_when_a_draft_is_not_a_request(tmp_path) -> None:
    draft = tmp_path / "thanks.txt"
    draft.write_text(THANKS, encoding="utf-8")
    out = CliRunner().invoke(cli, ["fix", "-v", "--unsafe", str(draft)],
                              catch_exceptions=False)
    assert "reads as thanks after a conversation, not a request" in out.stderr
    assert draft.read_text(encoding="utf-8") == THANKS


def test_a_job_seeker_is_never_made_to_say_they_are_not_looking_for_a_job() -> None:
    text = ("Hi Priya,\n\nI'm a third-year in IB recruiting this summer, and healthcare coverage"
            " interests me most. Could you spare 15-20 minutes for a short call? I'd love to hear"
            " what the group has been like for you.\n\nBest,\nDana")
    result = ol.fix(text, unsafe=True)
    assert "missing-no-expectation" not in {f.rule_id for f in result.remaining}
    assert "not expecting a job" in result.text or "not asking you for a job" in result.text
    assert "not looking for a job" not in result.text.lower()
    assert "job hunting" not in result.text.lower()


def test_a_job_search_in_a_field_is_not_a_job_wanted_from_the_reader() -> None:
    for general in ("I'm exploring opportunities in public health consulting after graduation.",
                    "Any tips on how I can get ready for my job search in Pittsburgh?",
                    "I'm going through recruiting for IB summer roles.",
                    "If a short call would work for you, I'd love tips on getting into [role].",
                    "I see you're working at (company name) as a (position).",
                    "Could you fit in a short conversation next week?"):
        assert not talks_of_a_job(general), general
    for wanted in ("I'm looking for my next job.", "I'm looking at openings there.",
                   "If not, I'm excited about the next stages of the hiring process!",
                   "I'd love to be part of a team like yours.", "I would love to work for you.",
                   "I'm determined to join this program."):
        assert talks_of_a_job(wanted), wanted


def test_nothing_goes_between_a_sentence_and_the_if_not_that_leans_on_it() -> None:
    text = ("Hi [First Name],\n\nFollowing up a final time. If things are too hectic, no need to"
            " write back. If not, glad to set up a time.\n\nBest,\n[Your Name]")
    result = ol.fix(text, unsafe=True)
    assert "no need to write back. If not, glad to set up a time" in result.text
    assert "missing-meeting-request" not in {f.rule_id for f in ol.lint(text).findings}
    assert is_meeting_ask("Glad to treat you to a virtual coffee!")


def test_a_line_that_starts_with_hi_but_talks_is_not_a_greeting() -> None:
    d = parse("hi im free to work whatever day of the week, I dont have a lot of experience.")
    assert not [s for s in d.segments if s.kind is SegmentKind.GREETING]
    d = parse("Hi all, I'm a nurse.\n\nCould we talk?")
    assert [s.span.text(d.text) for s in d.segments if s.kind is SegmentKind.GREETING] == ["Hi all,"]


def test_a_name_with_a_title_line_and_no_sign_off_is_a_signature_and_nothing_goes_after() -> None:
    text = ("Hi Dana,\n\nI am a data analyst and I would love to hear how you moved into research."
            " I know you are busy.\nSam Lee\nData Analyst, Acme Corp (www.acme.com)\n")
    d = parse(text)
    assert [s.span.text(text) for s in d.segments if s.kind is SegmentKind.SIGNATURE] == \
        ["Sam Lee\nData Analyst, Acme Corp (www.acme.com)"]
    fixed = ol.fix(text, unsafe=True).text
    assert fixed != text
    assert fixed.rstrip().endswith("Sam Lee\nData Analyst, Acme Corp (www.acme.com)")
    # a sentence under the name is still the writer's text, not a signature
    d = parse("Hi Dana,\n\nCould we talk next week?\nSam Lee\nI will be in town Monday.\n")
    assert not [s for s in d.segments if s.kind is SegmentKind.SIGNATURE]
