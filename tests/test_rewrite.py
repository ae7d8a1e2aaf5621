"""The rewrite planner: ordering and placement rules, budgets, voice, and its edit plans."""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import outreach_lint as ol
from outreach_lint.api import apply_edits, plan_fix
from outreach_lint.draft import parse
from outreach_lint.rewrite import near_duplicate, overlapping
from outreach_lint.rewrite.jobtalk import talks_of_a_job
from outreach_lint.rewrite.medium import Medium, detect_medium
from outreach_lint.rewrite.meeting import clause_edit, duration_edits
from outreach_lint.rewrite.phrases import Phrasebook
from outreach_lint.rewrite.voice import voice_of

NO_EXPECTATION = regex.compile(
    r"(?i)\bnot\s+(?:looking\s+for|asking\s+about|expecting|job\s+hunting|after)\b")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in regex.findall(r"[^.!?\n]+[.!?]*", text) if s.strip()]


def added(before: str, after: str) -> list[str]:
    old = set(sentences(before))
    return [s for s in sentences(after) if s not in old]


# --------------------------------------------------------------------------- job asks first

BLUNT = ("Hi Dana,\n\nI'm a data analyst. Are you hiring? Could we talk about open positions"
         " on your team?\n\nThanks,\nSam")


def test_safe_fixes_never_add_no_expectation_beside_a_job_ask_they_leave() -> None:
    result = ol.fix(BLUNT)  # safe only: the job ask cannot be rewritten
    assert "job-ask" in {f.rule_id for f in result.remaining}
    assert not any(NO_EXPECTATION.search(s) for s in added(BLUNT, result.text))


def test_unsafe_fix_rewrites_or_removes_every_job_ask_first() -> None:
    result = ol.fix(BLUNT, unsafe=True)
    assert "Are you hiring?" not in result.text
    assert "open positions" not in result.text
    assert "job-ask" not in {f.rule_id for f in result.remaining}


def test_no_expectation_is_not_added_next_to_talk_of_getting_a_job() -> None:
    # Job-search context is no ask ("I'm applying for analyst roles this spring" is not
    # flagged), but saying "I'm not looking for a job" beside it would contradict it.
    text = ("Hi Dana,\n\nI'm applying for analyst roles this spring. I'd love to hear how you"
            " got started. Would you have 20 minutes for coffee near your office?\n\nBest,\nSam")
    assert not any(f.rule_id == "job-ask" for f in ol.lint(text).findings)
    result = ol.fix(text, unsafe=True)
    assert not any(NO_EXPECTATION.search(s) for s in added(text, result.text))
    assert talks_of_a_job("I just applied for the analyst role at Acme.")
    assert not talks_of_a_job("How did you land your role at Acme?")
    assert not talks_of_a_job("I'm not asking about openings.")


# --------------------------------------------------------------------------- the meeting

def test_time_box_and_in_person_adjust_the_writers_own_meeting_sentence() -> None:
    text = ("Hi Dana,\n\nI'm a nurse exploring informatics and I'd love to hear how you moved"
            " into it. I'm not looking for a job. Could we set up a quick call sometime?\n\n"
            "If you're busy, a colleague's name would help.\n\nBest,\nSam")
    result = ol.fix(text, unsafe=True)
    assert "a quick 20-minute call sometime, or a coffee near your office if that's easier?" \
        in result.text
    assert result.text.count("?") == text.count("?")  # no second meeting question


def test_a_missing_meeting_becomes_one_sentence_with_time_and_place() -> None:
    text = ("Hi Dana,\n\nI'm a nurse exploring informatics. I'd love to hear how you moved into"
            " it. I'm not looking for a job.\n\nBest,\nSam")
    result = ol.fix(text)
    new = added(text, result.text)
    meeting = [s for s in new if "20" in s]
    assert len(meeting) == 1 and "coffee" in meeting[0]
    rules = {f.rule_id for f in result.remaining}
    assert not rules & {"missing-meeting-request", "missing-time-box", "missing-in-person"}


def test_the_fallback_goes_right_after_the_meeting_ask() -> None:
    text = ("Hi Dana,\n\nI'm a nurse exploring informatics. I'd love to hear how you moved into"
            " it. I'm not looking for a job. Would you have 20 minutes for coffee near your"
            " office? I'm happy to work around your schedule.\n\nBest,\nSam")
    result = ol.fix(text)
    ask = result.text.index("near your office?")
    rest = result.text[ask + len("near your office?"):].lstrip()
    assert rest.startswith(tuple(("If ", "And if", "Is there"))) or "colleague" in \
        rest.split(".")[0] or "someone" in rest.split("?")[0]


def test_a_meeting_sentence_the_linter_missed_is_not_asked_twice() -> None:
    # "Can we set up a call this week?" is a meeting ask even when no rule sees one there:
    # the fix adjusts it and never adds a second meeting question beside it.
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "examples" / "blunt-job-ask.txt").read_text()
    result = ol.fix(text, unsafe=True)
    asks = [s for s in sentences(result.text) if regex.search(r"(?i)\b(?:call|coffee)\b", s)
            and s.endswith("?")]
    assert len(asks) == 1 and "20-minute" in asks[0]


def test_duration_and_clause_edits() -> None:
    s = "Would you have time for a quick call?"
    edits = duration_edits(s, 0, "20-minute", "20 minutes")
    assert edits is not None and apply_edits(s, edits) == \
        "Would you have time for a quick 20-minute call?"
    s = "Could we do an informational interview?"
    edits = duration_edits(s, 0, "20-minute", "20 minutes")
    assert edits and apply_edits(s, edits) == "Could we do a 20-minute informational interview?"
    s = "Do you have a few minutes for a phone call?"
    edits = duration_edits(s, 0, "20-minute", "20 minutes")
    assert edits and apply_edits(s, edits) == "Do you have 20 minutes for a phone call?"
    assert duration_edits("Could we meet for 15 minutes?", 0, "20-minute", "20 minutes") is None
    edit = clause_edit("Would a Zoom call work?", 0, ", or a coffee")
    assert edit and apply_edits("Would a Zoom call work?", [edit]) == \
        "Would a Zoom call work, or a coffee?"
    assert clause_edit("Would a Zoom call work", 0, ", or a coffee") is None


# --------------------------------------------------------------------------- placement

def test_nothing_goes_after_a_sign_off_like_thanks_for_considering_it() -> None:
    text = ("Hi Dana,\n\nI'm a designer and I admire your accessibility work.\n\n"
            "Thanks for considering it,\nJordan")
    result = ol.fix(text, unsafe=True)
    assert result.text.endswith("Thanks for considering it,\nJordan")


def test_nothing_goes_after_a_bare_name_under_the_last_sentence() -> None:
    text = "Hi Dana,\n\nI'm a designer and I admire your accessibility work.\nJordan Lee"
    result = ol.fix(text, unsafe=True)
    assert result.changed and result.text.endswith("work.\nJordan Lee") is False
    assert result.text.endswith("\nJordan Lee")


def test_a_note_gets_its_additions_before_its_closing_words() -> None:
    text = "Hi Sam, I'm a UX bootcamp grad and your move into research inspired me. Thanks!"
    result = ol.fix(text, unsafe=True)
    assert result.text.endswith("Thanks!")


def test_nothing_already_said_is_said_again() -> None:
    text = ("Hi Dana,\n\nI'm a nurse and I'd love to hear about your path into informatics."
            " Could we talk for 20 minutes over coffee near your office? I understand"
            " completely if you're too busy.\n\nBest,\nSam")
    result = ol.fix(text, unsafe=True)
    for new in added(text, result.text):
        for old in sentences(text):
            assert not near_duplicate(new, old), (new, old)


def test_near_duplicate() -> None:
    assert near_duplicate("If you're too busy to meet, is there someone else?",
                          "I understand completely if you're too busy.")
    assert near_duplicate("I'd love to hear about your experience at Acme.",
                          "I'd love to hear how you moved into research.")
    assert not near_duplicate("Would you have 20 minutes for coffee?",
                              "I'm a nurse exploring informatics.")


# --------------------------------------------------------------------------- budgets

NOTE = ("Hi Sam, I'm a UX bootcamp grad and your move from teaching into research inspired me."
        " I'd love to learn more about what you do at Acme. Would you be open to connecting?")


def test_a_linkedin_note_stays_under_300_characters() -> None:
    assert detect_medium(parse(NOTE)) is Medium.NOTE
    result = ol.fix(NOTE, unsafe=True)
    assert result.changed
    assert len(result.text) <= 300


def test_medium_can_be_set_and_a_long_note_does_not_grow() -> None:
    long_note = NOTE + " I have followed your work for a long time and admire it." * 4
    assert len(long_note) > 300
    result = ol.fix(long_note, unsafe=True, medium="linkedin-note")
    assert len(result.text) <= len(long_note)
    cfg = ol.fix(NOTE, unsafe=True, config={"medium": "email"})
    assert len(cfg.text) > len(ol.fix(NOTE, unsafe=True).text)


def test_an_email_fix_never_pushes_the_draft_over_too_long() -> None:
    filler = " ".join(["I have worked in retail operations for several years now."] * 12)
    text = f"Hi Dana,\n\n{filler} I'd love your advice on moving into research.\n\nBest,\nSam"
    assert "too-long" not in {f.rule_id for f in ol.lint(text).findings}
    result = ol.fix(text, unsafe=True)
    assert result.changed
    assert "too-long" not in {f.rule_id for f in result.remaining}


# --------------------------------------------------------------------------- voice

def test_phrasings_use_the_writers_facts_and_differ_between_drafts() -> None:
    a = "Hi Dana,\n\nDo you have any openings in marketing at Acme?\n\nBest,\nSam"
    fixed = ol.fix(a, unsafe=True).text
    assert "Acme" in fixed or "marketing" in fixed
    outs = {ol.fix(f"Hi Dana,\n\nI'm a {job}. Are you hiring?\n\nBest,\nSam", unsafe=True).text
            .split("\n\n")[1].split(". ", 1)[-1]
            for job in ("nurse", "teacher", "designer", "chemist", "welder", "lawyer")}
    assert len(outs) >= 2  # not every draft gets the same sentence


def test_register_follows_the_greeting() -> None:
    book = Phrasebook({})
    formal = voice_of(parse("Dear Dr. Okafor,\n\nHello.\n\nSincerely,\nSam"), book.captures())
    casual = voice_of(parse("Hi Dana,\n\nHello.\n\nCheers,\nSam"), book.captures())
    assert formal.register == "formal" and casual.register == "casual"
    assert not formal.suits("I'd love to hear about it.") and casual.suits("I'd love to.")


def test_a_missing_fact_is_a_placeholder_never_applied_without_the_flag() -> None:
    text = "Hi Dana,\n\nWould you have 20 minutes for coffee near your office?\n\nBest,\nSam"
    plain = ol.fix(text, unsafe=True)
    assert "[" not in plain.text
    with_blanks = ol.fix(text, unsafe=True, placeholders=True)
    assert "[your role or studies]" in with_blanks.text
    assert with_blanks.placeholders == 1
    assert with_blanks.score is not None and "Ready" not in with_blanks.score.verdict


# --------------------------------------------------------------------------- verdicts

def test_empty_and_unchecked_drafts_are_never_ready() -> None:
    for text in ("", "   \n", "Subject: Coffee?\n\n"):
        score = ol.lint(text).score
        assert not score.checked and "Ready" not in score.verdict
    huge = ol.lint("Hi Dana, hello there. " * 6000)
    assert not huge.score.checked and "Ready" not in huge.score.verdict


def test_a_flagged_job_ask_never_scores_as_ready() -> None:
    result = ol.fix(BLUNT)  # safe: the ask is only flagged
    assert result.score is not None and result.score.total < 85
    assert not result.score.verdict.startswith("Ready")
    text = ("Hi Dana,\n\nI'd love to hear how you moved into research; I'm not looking for a"
            " job. Would you have 20 minutes for coffee near your office? If you're busy, a"
            " colleague's name would help. And if your team ever grows, keep me in mind."
            "\n\nThank you,\nSam")
    report = ol.lint(text)
    assert "job-ask" in {f.rule_id for f in report.findings}
    assert report.score.total <= 69


# --------------------------------------------------------------------------- plans

WORDS = st.sampled_from([
    "I'm a nurse.", "Are you hiring?", "Could we talk?", "Would you have time for a call?",
    "I'd love to hear about your path.", "Sorry to bother you.", "Please reply by Friday.",
    "I've attached my resume.", "Any openings at Acme?", "Thanks!", "I'm exploring design.",
    "If you're busy, a colleague's name would help.", "I'm not looking for a job.",
])
DRAFTS = st.builds(
    lambda greet, paras, sign: "\n\n".join([greet, *(" ".join(p) for p in paras), sign]),
    st.sampled_from(["Hi Dana,", "Dear Dr. Okafor,", "Hey", ""]),
    st.lists(st.lists(WORDS, min_size=1, max_size=4), min_size=1, max_size=3),
    st.sampled_from(["Best,\nSam", "Thanks for considering it,\nJordan", "Sam", ""]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DRAFTS, st.booleans())
def test_plans_never_overlap_and_keep_text_outside_their_edits(text: str, unsafe: bool) -> None:
    report, plan = plan_fix(text, unsafe=unsafe)
    if plan is None:
        return
    edits = sorted(plan.edits, key=lambda e: (e.span.start, e.span.end))
    assert not overlapping(edits)
    out = apply_edits(report.text, edits)
    pos = at = 0
    for e in edits:
        keep = report.text[pos : e.span.start]
        assert out[at : at + len(keep)] == keep
        at += len(keep) + len(e.replacement)
        pos = e.span.end
    assert out[at:] == report.text[pos:]
    # Nothing lands on or after the sign-off, name or signature.
    draft = parse(report.text)
    tail = [s.span.start for s in draft.segments
            if s.kind.value in ("signoff", "signature") and s.span.start > 0]
    if tail:
        assert all(e.span.end <= min(tail) for e in edits if e.replacement)


def test_new_sentences_go_before_a_closing_smiley() -> None:
    text = "Hi Bea, I'm a data engineer and I'd love to hear how you got into analytics :)"
    result = ol.fix(text, unsafe=True)
    assert result.changed and result.text.endswith(":)")
    assert "analytics. " in result.text  # the writer's sentence gets its full stop


def test_neighbouring_job_asks_are_all_removed_and_fix_is_idempotent() -> None:
    # Regression: two deleted sentences on one line both claimed the space between them, the
    # plan overlapped, and the last job ask was silently left for a second run.
    text = ("Hi Dana,\n\nAre you hiring for any openings on your team? Do you have any open"
            " marketing positions at Acme? Please keep me in mind if anything opens up."
            "\n\nBest,\nSam")
    once = ol.fix(text, unsafe=True)
    assert "keep me in mind" not in once.text and "positions" not in once.text
    assert " \n" not in once.text  # no stray space left at a line's end
    twice = ol.fix(once.text, unsafe=True)
    assert twice.text == once.text and twice.passes == 0
