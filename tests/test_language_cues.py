"""Sentence boundaries, questions, requests and negation, as behaviour: text in, answer out.

Detection is being rewritten, so these tests go through four small adapters (`sentences`,
`question`, `request`, `negated`) and assert only what a reader would agree with; a rewrite
changes the adapters, not the cases. They are also what keeps the mutation score of nlp.py
and rules/cues.py honest (benchmarks/mutation.py).
"""

from __future__ import annotations

import pytest

from outreach_lint.draft import parse
from outreach_lint.nlp import BLANK, Analysis, get_nlp, masked_text
from outreach_lint.rules.context import Context
from outreach_lint.rules.cues import is_negated


def sentences(text: str) -> list[str]:
    analysis = Analysis(parse(text))
    return [text[s.start : s.end] for s in analysis.sentences]


def _ctx(sentence: str) -> Context:
    draft = parse(sentence)
    return Context(draft, Analysis(draft))


def question(sentence: str) -> bool:
    return _ctx(sentence).is_question(0)


def request(sentence: str) -> bool:
    return _ctx(sentence).is_request(0)


def negated(sentence: str, word: str) -> bool:
    """Whether `word` (its first occurrence) sits inside a negated clause."""
    analysis = Analysis(parse(sentence))
    (tok,) = [t for t in analysis.doc if t.lower_ == word][:1]
    sent = next(s.span for s in analysis.sentences if s.start <= tok.idx < s.end)
    return is_negated(sent, tok.i)


def body(*lines: str) -> str:
    return "Hi Dana,\n\n" + "\n".join(lines) + "\n\nBest,\nSam"


# ------------------------------------------------------------------ sentence boundaries


@pytest.mark.parametrize(("text", "expected"), [
    (body("I love your work. Do you have time? Thanks!"),
     ["Hi Dana,", "I love your work.", "Do you have time?", "Thanks!", "Best,"]),
    # hard-wrapped prose: a long line continues into the next
    (body("I have worked in retail for six years and I am curious about",
          "how people move into research."),
     ["Hi Dana,", "I have worked in retail for six years and I am curious about\n"
      "how people move into research.", "Best,"]),
    # a short unpunctuated line followed by a capital is its own sentence
    (body("Hope you are well", "I was hoping to ask about your path."),
     ["Hi Dana,", "Hope you are well", "I was hoping to ask about your path.", "Best,"]),
    # ... but not after a comma, and not before a lowercase word
    (body("Hope you are well,", "I was hoping to ask."),
     ["Hi Dana,", "Hope you are well,\nI was hoping to ask.", "Best,"]),
    (body("Hope you are well", "and I was hoping to ask."),
     ["Hi Dana,", "Hope you are well\nand I was hoping to ask.", "Best,"]),
    # a long line is prose even before a capital
    (body("This line is long enough to be prose wrapped by a mail client",
          "And it goes on."),
     ["Hi Dana,", "This line is long enough to be prose wrapped by a mail client\n"
      "And it goes on.", "Best,"]),
    # bullets start sentences
    (body("Two questions:", "- how you started", "* what you like", "• the pay"),
     ["Hi Dana,", "Two questions:", "- how you started", "* what you like", "• the pay",
      "Best,"]),
    # a closing quote or a second mark ends the same sentence
    (body('She said "go." Then I went. Really?! Yes… Good.'),
     ["Hi Dana,", 'She said "go."', "Then I went.", "Really?!", "Yes…", "Good.", "Best,"]),
    # abbreviations and hyphens do not end sentences; a spaced dash does not either
    (body("I met Dr. Lee at 3 p.m. - a well-known designer."),
     ["Hi Dana,", "I met Dr. Lee at 3 p.m. - a well-known designer.", "Best,"]),
    # blank lines end a sentence even without punctuation
    (body("First thought here", "", "Second thought here"),
     ["Hi Dana,", "First thought here", "Second thought here", "Best,"]),
])
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_a_bullet_mid_line_is_not_a_bullet() -> None:
    assert sentences(body("Pick a - b or c.")) == ["Hi Dana,", "Pick a - b or c.", "Best,"]


def test_sentences_never_span_two_segments() -> None:
    # The greeting has no period, yet the body starts a new sentence.
    assert sentences("Hi Dana\nI love your work.\n\nBest,\nSam")[:2] == ["Hi Dana",
                                                                     "I love your work."]


def test_a_text_with_only_a_newline_has_no_sentences() -> None:
    assert sentences("\n") == []


# ------------------------------------------------------------------ questions


@pytest.mark.parametrize("text", [
    "Do you have time?", "You did what?", "Would you have time next week",
    "Could I ask a quick favour", "Is there anyone else", "Would you",
    "What is it like", "How did you start", "Who would be good to ask", "Which is better",
    "Where is the office", "When is a good time", "Why is that",
])
def test_questions(text: str) -> None:
    assert question(text)


@pytest.mark.parametrize("text", [
    "I would love that.", "You are free.", "Would", "What makes a strong analyst.",
    "How I started is a long story.", "Thanks so much!",
])
def test_not_questions(text: str) -> None:
    assert not question(text)


# ------------------------------------------------------------------ requests


@pytest.mark.parametrize("text", [
    "Would you have time next week", "Please send me the deck.", "I'd love to hear more.",
    "Send me the deck.", "Keep me in mind.", "If you could spare 20 minutes, that would help.",
])
def test_requests(text: str) -> None:
    assert request(text)


@pytest.mark.parametrize("text", [
    "The deck is ready.", "I work in retail.", "Thanks for the talk.", "…",
])
def test_not_requests(text: str) -> None:
    assert not request(text)


# ------------------------------------------------------------------ negation


@pytest.mark.parametrize(("text", "word"), [
    ("I'm not asking about openings.", "openings"),
    ("I don't want openings.", "openings"),
    ("I do n't want openings.", "openings"),
    ("I never asked for openings.", "openings"),
    ("I want advice rather than openings.", "openings"),
    ("I am not really all that keen on openings.", "openings"),
    ("I am not a job-openings person.", "openings"),
    ("No openings, please.", "openings"),
    ("I cannot ask about openings.", "openings"),
])
def test_negated(text: str, word: str) -> None:
    assert negated(text, word)


@pytest.mark.parametrize(("text", "word"), [
    ("I'm asking about openings.", "openings"),
    ("I am not only curious about openings.", "openings"),
    ("I can't wait to hear about openings.", "openings"),
    ("I won't hesitate to ask about openings.", "openings"),
    ("No doubt there are openings.", "openings"),
    ("Not that I would ever in a million years ask about openings.", "openings"),
    ("I am not sure yet, but openings interest me.", "openings"),
    ("I was not there but openings interest me.", "openings"),
    ("I am not sure - openings matter.", "openings"),
    ("Openings are not why I write.", "openings"),
])
def test_not_negated(text: str, word: str) -> None:
    assert not negated(text, word)


# ------------------------------------------------------------------ the pipeline and masking


def test_the_pipeline_is_built_once() -> None:
    first, notice = get_nlp()
    assert notice is None and get_nlp(None)[0] is first and get_nlp(BLANK)[0] is first


def test_a_missing_model_falls_back_to_the_blank_pipeline_with_a_notice() -> None:
    nlp, notice = get_nlp("no_such_model_for_tests")
    assert notice is not None and notice.code == "model-missing"
    assert "no_such_model_for_tests" in notice.message and "pip install" in notice.message
    assert nlp.pipe_names == []


def test_masked_text_blanks_what_is_not_the_writers_own_and_keeps_offsets() -> None:
    text = "Hi Dana,\n\nThanks!\n\nOn Tue, Jo wrote:\n> We have openings.\n\n-- \nSam Lee\nCEO"
    draft = parse(text)
    masked = masked_text(draft)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert "Thanks!" in masked and "openings" not in masked and "CEO" not in masked
    plain = parse("Hi Dana,\n\nThanks!")
    assert masked_text(plain) == plain.text


def test_analysis_refuses_a_doc_of_other_text() -> None:
    draft = parse("Hi Dana, thanks.")
    nlp, _ = get_nlp()
    with pytest.raises(ValueError, match="masked text"):
        Analysis(draft, None, nlp.make_doc("something else"))
    doc = nlp.make_doc(masked_text(draft))
    assert Analysis(draft, None, doc).doc is doc


# ------------------------------------------------------------------ edges the mutation run found


@pytest.mark.parametrize(("first", "joined"), [
    ("x" * 37 + " y", False),  # 39 characters: a short line, so a new sentence
    ("x" * 38 + " y", True),   # 40: a wrapped line of prose, so one sentence
])
def test_the_short_line_limit_is_forty_characters(first: str, joined: bool) -> None:
    got = sentences(body(first, "Then more."))
    assert (got[1] == f"{first}\nThen more.") is joined, got


@pytest.mark.parametrize(("gap", "expected"), [(7, True), (8, False)])
def test_negation_looks_back_eight_words(gap: int, expected: bool) -> None:
    words = " ".join(["very"] * gap)
    assert negated(f"I am not {words} openings.", "openings") is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("I am not a job–openings person.", True),
    ("I am not a job—openings person.", True),
    ("I am not sure – openings matter.", False),
    ("I am not sure — openings matter.", False),
    ("I am not sure,openings matter.", False),
])
def test_dashes_inside_a_word_do_not_end_a_clause(text: str, expected: bool) -> None:
    assert negated(text, "openings") is expected


@pytest.mark.parametrize("text", ['"Would you be open to a chat', "— How did you start"])
def test_a_question_after_leading_punctuation(text: str) -> None:
    assert question(text)


def test_build_blank_and_a_missing_model_exactly() -> None:
    from outreach_lint.nlp import _build

    nlp, notice = _build(BLANK)
    assert notice is None and nlp.lang == "en" and nlp.pipe_names == []
    nlp, notice = _build("no_such_model_for_tests")
    assert nlp.lang == "en" and notice is not None and notice.code == "model-missing"
    assert notice.message == (
        "spaCy model 'no_such_model_for_tests' is not installed (OSError); using the blank"
        " English pipeline. Install it with: pip install 'outreach-lint[model]'")


def test_analysis_with_a_missing_model_says_so_and_still_works() -> None:
    draft = parse(body("I enjoyed the talk."))
    analysis = Analysis(draft, "no_such_model_for_tests")
    assert analysis.notice is not None and analysis.notice.code == "model-missing"
    assert [draft.text[s.start : s.end] for s in analysis.sentences][1] == "I enjoyed the talk."
    assert Analysis(draft, BLANK).notice is None


def test_masking_blanks_every_character_of_a_quote() -> None:
    text = "Hi Dana,\n\nThanks!\n\nOn Tue, Xavier wrote:\n> XX marks the spot.\n"
    masked = masked_text(parse(text))
    assert "X" not in masked and "\r" not in masked


def test_a_foreign_doc_is_refused_with_its_reason() -> None:
    draft = parse("Hi Dana, thanks.")
    nlp, _ = get_nlp()
    with pytest.raises(ValueError, match=r"^the doc was not made from this draft's masked text$"):
        Analysis(draft, None, nlp.make_doc("other"))


def test_a_pseudo_negation_does_not_hide_a_real_one_before_it() -> None:
    assert negated("I'm not saying no doubt about openings.", "openings")


def test_a_comma_without_a_space_still_ends_the_clause() -> None:
    assert not negated("I did not ask,openings came up anyway.", "openings")


@pytest.mark.parametrize(("text", "expected"), [
    ('He said go. " Then more.', "Then more."),
    ("Is that OK ?! Then go.", "Is that OK ?!"),
])
def test_what_follows_a_quoted_or_spaced_end_is_its_own_sentence(text: str,
                                                                 expected: str) -> None:
    assert expected in sentences(body(text))
