"""Clauses and their features: what a sentence does, not which words it has."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outreach_lint.clauses import Act, Actor, Clauses, Time
from outreach_lint.draft import parse
from outreach_lint.nlp import Analysis


def clauses(text: str) -> list[tuple[str, set[str], str, str, bool, bool]]:
    a = Analysis(parse(text))
    cl = Clauses(a.doc, [(i, s.span) for i, s in enumerate(a.sentences)])
    return [(a.text[c.start:c.end], set(c.act_names()), c.time.value, c.agent.value, c.negated,
             c.conditional) for c in cl]


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("Any roles going?", "question"),
        ("You're hiring?", "question"),
        ("Would you have time for a call?", "question"),
        ("Please keep me in mind.", "request"),
        ("Shout if anything's open on your side.", "request"),
        ("I was wondering if you would be open to a call.", "request"),
        ("I don't know if you have any openings.", "request"),
        ("I'd be thrilled to spend next summer with your group.", "wish"),
        ("I need a job.", "wish"),
        ("Even a short call next month would be a huge help.", "wish"),
        ("Glad to do a phone chat, up to you!", "offer"),
        ("Thanks for coming to talk to our class.", "thanks"),
        ("I work in finance.", "statement"),
    ],
)
def test_speech_act(text: str, act: str) -> None:
    assert act in clauses(text)[0][1]


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("I applied for the analyst post last week.", "past"),
        ("Thanks for coming to talk to our class.", "past"),
        ("You gave a talk at my school.", "past"),
        ("I was wondering if we could talk.", "future"),
        ("Could we meet next week?", "future"),
        ("I work in finance at a bank.", "present"),
    ],
)
def test_time(text: str, time: str) -> None:
    assert clauses(text)[0][2] == time


@pytest.mark.parametrize(
    ("text", "agent"),
    [
        ("Could you keep me in mind?", "reader"),
        ("Please send it over.", "reader"),
        ("I'd love to chat.", "writer"),
        ("Would love to chat.", "writer"),
        ("Could we meet?", "both"),
        ("Someone on your team might know.", "third"),
    ],
)
def test_agent(text: str, agent: str) -> None:
    assert clauses(text)[0][3] == agent


def test_conditions_share_the_acts_of_their_main_clause() -> None:
    got = clauses("If anything opens up on your team, please keep me in mind.")
    assert [c[0] for c in got] == ["If anything opens up on your team", "please keep me in mind."]
    assert got[0][5] and "request" in got[0][1] and "hint" in got[0][1]
    assert not got[1][5]


def test_inverted_should_is_a_condition() -> None:
    got = clauses("Should a slot appear, I'd be glad to be kept in mind.")
    assert got[0][0] == "Should a slot appear" and got[0][5]


def test_negation_stays_in_its_clause() -> None:
    got = clauses("I'm not asking for a job, but I'd love to hear how you got started.")
    assert got[0][4] and not got[1][4]
    got = clauses("Not looking for a job, just your perspective on the switch.")
    assert got[0][4] and not got[1][4]


def test_pseudo_negations_and_indirect_questions_do_not_negate() -> None:
    assert not clauses("Don't hesitate to reach out.")[0][4]
    assert not clauses("I don't know if you have any openings.")[0][4]
    assert clauses("Rather than a call, email is fine.")[0][4]


def test_if_after_wondering_opens_no_condition() -> None:
    got = clauses("I was wondering if you could point me to someone.")
    assert len(got) == 1 and not got[0][5]


def test_enum_values_are_the_schema_names() -> None:
    from typing import get_args

    from outreach_lint.rules.schema import ActName, ActorName, TimeName

    assert {a.name.lower() for a in Act if a} | {"statement"} == set(get_args(ActName))
    assert {t.value for t in Time} == set(get_args(TimeName))
    assert {a.value for a in Actor} == set(get_args(ActorName))


words = st.sampled_from(
    ["I", "you", "would", "love", "to", "chat", ",", "and", "if", "not", "any", "roles", "?",
     "please", "keep", "me", "in", "mind", ".", "should", "a", "slot", "appear", "—", "but",
     "we", "could", "meet", "thanks", "for", "coming", "(", ")", ";", "just", "rather", "than"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=1, max_size=40))
def test_clauses_tile_their_sentence_in_order(tokens: list[str]) -> None:
    text = " ".join(tokens)
    a = Analysis(parse(text))
    cl = list(Clauses(a.doc, [(i, s.span) for i, s in enumerate(a.sentences)]))
    for c in cl:
        sent = a.sentences[c.sentence]
        # Every clause lies inside its sentence, and its offsets are the doc's own.
        assert sent.start <= c.start < c.end <= sent.end
        assert a.text[c.start:c.end] == a.doc[c.tok_start:c.tok_end].text
    for x, y in itertools.pairwise(cl):
        assert x.tok_end <= y.tok_start  # no overlap, in order
    # No word is lost: every non-punctuation token belongs to some clause.
    covered = {i for c in cl for i in range(c.tok_start, c.tok_end)}
    for t in a.doc:
        if not t.is_space and not t.is_punct:
            assert t.i in covered, (text, t.text)
