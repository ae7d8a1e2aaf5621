"""Candidates first must never skip a pattern that could match: anchors are sound.

The property: whenever a pattern matches a text (or a slice of it, as the bank runs patterns
one sentence at a time), each of its anchor sets has a member in the folded text (slice).
Patterns come from a grammar that mixes literals with everything that must *not* be read as
literal text (fuzzy groups, classes, POSIX classes, lookarounds, backreferences, case
variants such as the Kelvin sign and the long s), and from the built-in rule pack.
"""

from __future__ import annotations

import json

import pytest
import regex
import spacy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

import outreach_lint as ol
from outreach_lint.draft import parse
from outreach_lint.engine import ruleset_for
from outreach_lint.nlp import Analysis
from outreach_lint.rules.anchors import FOLDING, anchors
from outreach_lint.rules.candidates import TokenIndex, required_words
from outreach_lint.rules.context import Context

FLAGS = int(regex.IGNORECASE | regex.VERSION0)
PROPS = settings(max_examples=300, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Characters with case variants outside ASCII: K (Kelvin) ~ k, ſ (long s) ~ s, İ ~ i ~ ı ~ I.
ALPHABET = "abksKſSİıI’'- ."
_LITERALS = st.text(alphabet=ALPHABET, min_size=1, max_size=4)


def _lit(s: str) -> str:
    return regex.escape(s, special_only=True)


_ATOMS = st.one_of(
    _LITERALS.map(_lit),
    st.sampled_from([
        ".", r"\w", r"\s", r"\S", r"\d", "[ab]", "[^a]", "[a-c]", "[ſk]", r"\p{L}", r"\b", "^",
        "$", "(?=a)", "(?<!b)", "(?<=k)", "[[:alpha:]]", r"\m", r"\M", r"\X", "(?i:K)",
        "(?-i:S)", "(?:ab){e<=1}", "(?:kſ){s<=1}", r"(?f:ss)", r"\N{LATIN SMALL LETTER A}",
        "[ß]", r"(a)\1", r"\G", "(?r:ab)",
    ]),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(children, min_size=2, max_size=4).map("".join),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
        st.lists(children, min_size=2, max_size=3).map("|".join),
        st.tuples(children, st.sampled_from(["?", "*", "+", "{2}", "{1,3}", "{0,2}", "??",
                                             "+?", "*+", "{2,}"]))
        .map(lambda t: "(?:" + t[0] + ")" + t[1]),
        children.map(lambda c: "(" + c + ")"),
        children.map(lambda c: "(?>" + c + ")"),
        children.map(lambda c: "(?:" + c + "){e<=1}"),
    )


PATTERNS = st.recursive(_ATOMS, _combine, max_leaves=8)
TEXTS = st.lists(st.one_of(_LITERALS, st.sampled_from([*list(ALPHABET), "ss", "ß", "\n"])),
                 max_size=12).map("".join)


def _compiled(pattern: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern, FLAGS)
    except (regex.error, ValueError, OverflowError):
        assume(False)
        raise


def _assert_sound(pattern: str, text: str, pos: int, endpos: int) -> None:
    compiled = _compiled(pattern)
    sets = anchors(pattern, FLAGS)
    folded = FOLDING.fold(text)
    assert len(folded) == len(text)
    try:
        m = compiled.search(text, pos, endpos, timeout=1.0)
    except TimeoutError:
        assume(False)
        raise
    if m is None:
        return
    for group in sets:
        assert any(a in folded[pos:endpos] for a in group), (
            f"{pattern!r} matched {m.group(0)!r} in {text!r}[{pos}:{endpos}] but none of {group}")


@PROPS
@given(PATTERNS, TEXTS)
def test_a_pattern_that_matches_holds_one_anchor_of_each_set(pattern: str, text: str) -> None:
    _assert_sound(pattern, text, 0, len(text))


@PROPS
@given(PATTERNS, TEXTS, st.integers(0, 20), st.integers(0, 20))
def test_anchors_are_sound_on_a_slice_as_the_bank_runs_them(
    pattern: str, text: str, a: int, b: int
) -> None:
    pos, endpos = min(a, b, len(text)), min(max(a, b), len(text))
    _assert_sound(pattern, text, pos, endpos)


@pytest.mark.parametrize(("pattern", "text"), [
    (r"foo[)]|hello", "hello there"),  # the old leading-literal filter skipped this one
    (r"\bask\b", "ASK"), (r"\bask\b", "aſK"), (r"\bask\b", "aſ\u212a"),  # long s, Kelvin sign
    (r"\bit\b", "İT"), (r"(?:hire){e<=1}", "hike"), (r"[[:alpha:]]ey", "hey"),
    (r"(?f)strasse", "STRAßE"), ("☕", "a ☕ please"), (r"\bcall\s+(?:up)?on\s+you\b", "call on you"),
])
def test_known_cases(pattern: str, text: str) -> None:
    assert regex.search(pattern, text, FLAGS), "the example must match"
    _assert_sound(pattern, text, 0, len(text))


def test_anchors_come_from_the_parse_not_the_text() -> None:
    assert anchors(r"foo[)]|hello", FLAGS) == (("foo)", "hello"),)
    assert anchors(r"\b(?:job\s+)?(?:openings|vacanc(?:y|ies))\b", FLAGS) == (
        ("openings", "vacancies", "vacancy"),)
    assert anchors(r"(?:hire){e<=1}", FLAGS) == ()  # fuzzy: no literal is required
    assert anchors(r"[[:alpha:]]+", FLAGS) == ()
    assert anchors(r"(?f)strasse", FLAGS) == ()  # full case folding: 'ß' matches 'ss'
    assert set(anchors(r"(?<!let\s+me\s+)\bknow\s+more\b", FLAGS)) == {("know",), ("more",)}
    assert anchors("(", FLAGS) == ()  # does not parse: always run


# ---------------------------------------------------------------------- the built-in pack


def _builtin_patterns() -> list[str]:
    rs = ruleset_for(ol.Config())
    return sorted({p.source for p, _ in rs.bank.plan.entries})


def _words_of(pattern: str) -> list[str]:
    return regex.findall(r"[a-z’'-]{2,}", pattern) or ["a"]


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_builtin_patterns_are_sound_on_texts_made_of_their_words(data: st.DataObject) -> None:
    pattern = data.draw(st.sampled_from(_builtin_patterns()))
    words = _words_of(pattern)
    pieces = st.one_of(st.sampled_from(words), st.sampled_from([" ", "  ", "\n", "-", "’", "'",
                                                                 "20", " minutes", "a", "you"]))
    text = data.draw(st.lists(pieces, max_size=14).map("".join))
    text = data.draw(st.sampled_from([text, text.upper(), text.title()]))
    _assert_sound(pattern, text, 0, len(text))


# ---------------------------------------------------------------------- token patterns


_NLP = spacy.blank("en")
_VOCAB = ["keep", "me", "in", "mind", "hire", "Hire", "job", "jobs", "open", "roles", "."]
_TOKENS = st.fixed_dictionaries(
    {"LOWER": st.one_of(st.sampled_from(_VOCAB[:-1]),
                        st.builds(lambda ws: {"IN": ws}, st.lists(st.sampled_from(_VOCAB),
                                                                  min_size=1, max_size=3)))},
    optional={"OP": st.sampled_from(["?", "*", "+", "!", "{1,2}", "{0,2}", "{2}"])},
)


@PROPS
@given(st.lists(_TOKENS, min_size=1, max_size=3),
       st.lists(st.sampled_from([*_VOCAB, "Keep", "MIND", "x"]), max_size=10))
def test_token_pattern_required_words_are_sound(pattern: list[dict[str, object]],
                                                words: list[str]) -> None:
    matcher = Matcher(_NLP.vocab, validate=True)
    matcher.add("P", [pattern])
    doc = _NLP(" ".join(words))
    if not matcher(doc):
        return
    lowers = {t.lower_ for t in doc}
    for group in required_words(pattern):
        assert lowers & group, (pattern, words, group)
    index = TokenIndex()
    index.add(pattern)
    assert index.sentences(doc, [0]) == [0]


# ---------------------------------------------------------------------- the whole bank


def _brute_force(ctx: Context) -> dict[str, list[tuple[int, int]]]:
    """Every pattern of the bank on every sentence: what candidates-first must reproduce."""
    bank = ruleset_for(ol.Config()).bank
    doc = ctx.analysis.doc
    sents = ctx.analysis.sentences
    out: dict[str, set[tuple[int, int]]] = {}
    for s in sents:
        for match_id, a, b in bank.matcher(s.span):
            start, end = s.span.start + a, s.span.start + b
            out.setdefault(bank.nlp.vocab.strings[match_id], set()).add(
                (doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
    text = ctx.analysis.text
    starts = [s.start for s in sents]
    limits = [*starts[1:], len(text)]
    for planned, _ in bank.plan.entries:
        for i, (a, b) in enumerate(zip(starts, limits, strict=True)):
            if planned.requests_only and not ctx.is_request(i):
                continue
            for m in planned.pattern().finditer(text, a, b):
                if m.end() > m.start() and doc.char_span(m.start(), m.end(),
                                                         alignment_mode="expand") is not None:
                    out.setdefault(planned.key, set()).add((m.start(), m.end()))
    return {k: sorted(v) for k, v in out.items()}


def _dev_texts() -> list[str]:
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1]
    texts: list[str] = []
    for path in sorted((root / "corpus" / "dev").glob("*.yaml"))[:4]:
        texts += [i["text"] for i in yaml.safe_load(path.read_text(encoding="utf-8"))
                  if isinstance(i, dict) and isinstance(i.get("text"), str)]
    return texts


DEV = _dev_texts()


@settings(max_examples=80, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(DEV), st.sampled_from(["", "upper", "title", "’", "ſ"]))
def test_the_bank_finds_what_every_pattern_on_every_sentence_finds(text: str, how: str) -> None:
    if how == "upper":
        text = text.upper()
    elif how == "title":
        text = text.title()
    elif how:
        text = text.replace("'", how) if how == "’" else text.replace("s", how)
    draft = parse(text)
    ctx = Context(draft, Analysis(draft))
    bank = ruleset_for(ol.Config()).bank
    got = bank.run(ctx)
    expected = _brute_force(ctx)
    patterns_only = {k: sorted({(h.start, h.end) for h in v}) for k, v in got.items()
                     if v and k not in bank.models}  # learned detectors are not patterns
    assert patterns_only == expected, json.dumps(text)
