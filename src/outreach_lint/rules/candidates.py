"""Candidates first: one pass finds which anchors are in a draft and in which sentences.

Every regex of a rule set has anchor sets (`anchors.anchors`: each match contains a member of
each set) and every token pattern has required words (a token it cannot match without). One
Aho-Corasick pass over the folded draft text finds every anchor at once, and one numpy lookup
over the token array finds every required word; a regex then runs only on the sentences that
hold one anchor of each of its sets, and the spaCy Matcher only on sentences that hold a
required word of some token pattern. Both filters are sound: a skipped pattern could not have
matched (see tests/test_anchors.py). Patterns run one sentence at a time, which also bounds the
input of every regex call.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import regex

from .anchors import FOLDING, Anchors, Folding

if TYPE_CHECKING:
    from spacy.tokens import Doc

T = TypeVar("T")

_COUNT_RE = regex.compile(r"\{\s*(\d*)\s*(?:,\s*\d*\s*)?\}")


class AnchorIndex:
    """Every anchor of a rule set in one automaton; `scan` says which sentences hold each."""

    def __init__(self, folding: Folding = FOLDING) -> None:
        self.folding = folding
        self._ids: dict[str, int] = {}
        self._lengths: list[int] = []
        self._automaton: Any = None

    def add(self, anchors: Anchors) -> tuple[tuple[int, ...], ...]:
        """Register a pattern's anchor sets; returns them as anchor ids."""
        out = []
        for group in anchors:
            ids = []
            for a in group:
                for c in a:  # the fold must map every case variant of c (anchors may come
                    self.folding.canon(c)  # from the disk cache, not derived here)
                if a not in self._ids:
                    self._ids[a] = len(self._lengths)
                    self._lengths.append(len(a))
                    self._automaton = None
                ids.append(self._ids[a])
            out.append(tuple(ids))
        return tuple(out)

    def _build(self) -> Any:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for anchor, i in self._ids.items():
            auto.add_word(anchor, i)
        auto.make_automaton()
        self._automaton = auto
        return auto

    def scan(self, text: str, starts: Sequence[int]) -> dict[int, int]:
        """Anchor id -> the sentences it occurs in, as a bit mask (bit i: sentence i).

        Sentence i runs from `starts[i]` to the next sentence's start (or the end of `text`);
        an anchor counts where it lies wholly inside one sentence.
        """
        if not self._ids or not starts:
            return {}
        auto = self._automaton or self._build()
        found: dict[int, int] = {}
        lengths = self._lengths
        i, last = -1, len(starts) - 1
        nxt = starts[0]
        bit = 0
        for end, aid in auto.iter(self.folding.fold(text)):  # in order of `end`
            while end >= nxt:  # the sentence holding `end`: a pointer, not a search
                i += 1
                bit = 1 << i
                nxt = starts[i + 1] if i < last else len(text) + 1
            if i >= 0 and end + 1 - lengths[aid] >= starts[i]:
                found[aid] = found.get(aid, 0) | bit
        return found


class Plan(Generic[T]):
    """Patterns (any payload) with their anchor sets; `candidates` says where each may match."""

    def __init__(self, index: AnchorIndex | None = None) -> None:
        self.index = index or AnchorIndex()
        self.entries: list[tuple[T, tuple[tuple[int, ...], ...]]] = []
        self._by_first: dict[int, list[int]] = {}  # anchor id of a first set -> entries
        self._always: list[int] = []  # entries without anchors

    def add(self, payload: T, anchors: Anchors) -> None:
        sets = self.index.add(anchors)
        n = len(self.entries)
        self.entries.append((payload, sets))
        if not sets:
            self._always.append(n)
        for aid in sets[0] if sets else ():
            self._by_first.setdefault(aid, []).append(n)

    def candidates(self, text: str, starts: Sequence[int]) -> Iterator[tuple[T, list[int]]]:
        """(payload, sentence indices) for every pattern that may match, in the order added."""
        found = self.index.scan(text, starts)
        todo = set(self._always)
        for aid in found:
            todo.update(self._by_first.get(aid, ()))
        every = (1 << len(starts)) - 1
        for n in sorted(todo):
            payload, sets = self.entries[n]
            mask = sentences_with(sets, found, every)
            if mask:
                yield payload, _bits(mask)


def sentences_with(sets: tuple[tuple[int, ...], ...], found: dict[int, int], every: int) -> int:
    """The mask of sentences holding one anchor of every set (`every` when there are none)."""
    cand = every
    for ids in sets:
        here = 0
        for aid in ids:
            here |= found.get(aid, 0)
        cand &= here
        if not cand:
            return 0
    return cand


def _bits(mask: int) -> list[int]:
    out = []
    i = 0
    while mask:
        if mask & 1:
            out.append(i)
        mask >>= 1
        i += 1
    return out


# ------------------------------------------------------------------------- token patterns


def required_words(pattern: list[dict[str, Any]]) -> list[frozenset[str]]:
    """Word sets (lowercase) a token pattern needs: it matches only where a token's `LOWER`
    is in each set. Only tokens that must occur are used, and only `LOWER`, `ORTH` and
    `TEXT` given as a string or an `IN` list; anything else tells nothing."""
    out: list[frozenset[str]] = []
    for tok in pattern:
        if not _must_occur(tok.get("OP")):
            continue
        for attr in ("LOWER", "ORTH", "TEXT"):
            value = tok.get(attr)
            words: list[str] | None = None
            if isinstance(value, str):
                words = [value]
            elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
                words = value["IN"] if all(isinstance(w, str) for w in value["IN"]) else None
            if words is not None:
                out.append(frozenset(w.lower() for w in words))
                break
    return out


def _must_occur(op: Any) -> bool:
    """Whether a token with this `OP` occurs in every match: none, `+`, or `{n,...}` n >= 1."""
    if op is None or op == "+":
        return True
    m = _COUNT_RE.fullmatch(op) if isinstance(op, str) else None
    return m is not None and m.group(1) not in ("", "0") and int(m.group(1)) >= 1


class TokenIndex:
    """Required words of every token pattern, and the sentences a draft holds them in."""

    def __init__(self) -> None:
        self._patterns: list[list[frozenset[str]]] = []
        self.always = False  # a token pattern without required words: run on every sentence
        # word hash -> (pattern, word set) pairs it satisfies; built on first use
        self._by_hash: dict[int, list[tuple[int, int]]] | None = None

    def add(self, pattern: list[dict[str, Any]]) -> None:
        words = required_words(pattern)
        if not words:
            self.always = True
        self._patterns.append(words)
        self._by_hash = None

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def sentences(self, doc: Doc, tok_starts: Sequence[int]) -> list[int]:
        """Sentences (by first token index) where some token pattern may match."""
        import bisect

        from spacy.attrs import LOWER

        count = len(tok_starts)
        if self.always:
            return list(range(count))
        by_hash = self._by_hash
        if by_hash is None:
            by_hash = {}
            strings = doc.vocab.strings
            for p, groups in enumerate(self._patterns):
                for g, words in enumerate(groups):
                    for w in words:
                        by_hash.setdefault(strings.add(w), []).append((p, g))
            self._by_hash = by_hash
        # One pass over the token array: which word sets each sentence satisfies.
        seen: dict[int, set[tuple[int, int]]] = {}
        for t, h in enumerate(doc.to_array(LOWER).tolist()):
            satisfied = by_hash.get(h)
            if satisfied:
                i = bisect.bisect_right(tok_starts, t) - 1
                if i >= 0:
                    seen.setdefault(i, set()).update(satisfied)
        needed = [len(groups) for groups in self._patterns]
        out = []
        for i, pairs in seen.items():
            have = [0] * len(needed)
            for p, _ in pairs:
                have[p] += 1
            if any(h == n for h, n in zip(have, needed, strict=True)):
                out.append(i)
        return sorted(out)
