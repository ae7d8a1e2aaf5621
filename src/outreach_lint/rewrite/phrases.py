"""Phrasings from the rule packs' `fix:` blocks, picked per draft, and the near-duplicate test.

Every phrasing a rewrite uses is data in a rule file: `replace_sentence`, `replace_subject`,
`insert.text`, `note` (LinkedIn-sized) and `fragments` (pieces spliced into the writer's own
sentence). Among the phrasings whose facts the draft supplies, one is picked from a hash of
the draft, so ten students' emails do not read alike; a phrasing that would repeat something
already in the draft is skipped.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex

from ..rules.schema import FixSpec
from .voice import Voice

_FORMATTER = string.Formatter()
_TOKEN_RE = regex.compile(r"[\p{L}\p{N}]+")
_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "if", "so", "to", "of", "in", "on", "at", "for",
        "with", "from", "by", "about", "into", "over", "as", "is", "are", "was", "were", "be",
        "been", "being", "am", "i", "i'd", "i'm", "me", "my", "we", "our", "you", "your", "you're",
        "you'd", "it", "its", "this", "that", "there", "would", "could", "can", "will", "might",
        "may", "do", "does", "did", "have", "has", "had", "just", "also", "any", "some", "very",
        "really", "s", "d", "m", "re", "ll", "ve", "t", "not", "no"
    ]
)


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


@dataclass(frozen=True)
class Phrase:
    text: str
    #: True when a fact was missing and a bracketed stand-in fills it: shown, never applied.
    placeholder: bool = False


class Phrasebook:
    """The phrasing lists of every rule that has a `fix:` block, by rule id."""

    def __init__(self, specs: dict[str, FixSpec]) -> None:
        self.specs = specs

    def captures(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for spec in self.specs.values():
            for name, src in spec.captures.items():
                out.setdefault(name, []).append(src)
        return out

    def templates(self, rule_id: str, kind: str) -> list[str]:
        spec = self.specs.get(rule_id)
        if spec is None:
            return []
        if kind == "replace":
            return list(spec.replace_sentence)
        if kind == "subject":
            return list(spec.replace_subject)
        if kind == "insert":
            return list(spec.insert.text) if spec.insert else []
        if kind == "note":
            return list(spec.note)
        return list(spec.fragments.get(kind, []))

    def choose(
        self,
        rule_id: str,
        kinds: Iterable[str],
        voice: Voice,
        *,
        ok: Callable[[str], bool] = lambda _: True,
        salt: str = "",
        shortest: bool = False,
    ) -> Phrase | None:
        """A phrasing for `rule_id` from the first of `kinds` that has a usable one.

        Usable: every {fact} is known (or, failing all of those, has a placeholder), it suits
        the register, and `ok` accepts it (not a near-duplicate, within budget). Phrasings
        that use more of the writer's facts come first; among equals the draft's hash picks
        (or, with `shortest`, the shortest: for a draft with little room left).
        """
        spec = self.specs.get(rule_id)
        for kind in kinds:
            known: list[tuple[int, str]] = []
            stand_in: list[str] = []
            for t in self.templates(rule_id, kind):
                names = fields_of(t)
                if names <= voice.values.keys():
                    known.append((len(names), t.format(**voice.values)))
                elif spec and names <= voice.values.keys() | spec.placeholders.keys():
                    stand_in.append(t.format(**{**spec.placeholders, **voice.values}))
            groups = [[t for _, t in known]] if shortest else _tiers(known)
            for group in groups:
                picked = _pick(group, voice, ok, f"{rule_id}:{kind}:{salt}", shortest)
                if picked:
                    return Phrase(picked)
            picked = _pick(stand_in, voice, ok, f"{rule_id}:{kind}:{salt}:p", shortest)
            if picked:
                return Phrase(picked, placeholder=True)
        return None


def _tiers(known: list[tuple[int, str]]) -> list[list[str]]:
    """Candidates grouped by how many facts they use, most first; a lone top candidate is
    grouped with the next tier so drafts with the same facts still differ."""
    counts = sorted({n for n, _ in known}, reverse=True)
    groups = [[t for n, t in known if n == c] for c in counts]
    if len(groups) > 1 and len(groups[0]) == 1:
        groups = [groups[0] + groups[1], *groups[2:]]
    return groups


def _pick(options: list[str], voice: Voice, ok: Callable[[str], bool], salt: str,
          shortest: bool = False) -> str | None:
    suited = [t for t in options if voice.suits(t)] or options
    if not suited:
        return None
    if shortest:
        return next((t for t in sorted(suited, key=len) if ok(t)), None)
    # The hash picks among the shorter half first (short notes get answered), then the rest.
    by_len = sorted(suited, key=len)
    half = max(1, (len(by_len) + 1) // 2)
    suited = sorted(by_len[:half]) + sorted(by_len[half:])
    start = voice.pick(half, salt)
    for i in range(len(suited)):
        cand = suited[(start + i) % len(suited)]
        if ok(cand):
            return cand
    return None


# --------------------------------------------------------------------------- repetition


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN_RE.findall(text.replace("’", "'"))]


def content_words(text: str) -> set[str]:
    return {_stem(t) for t in tokens(text) if t not in _STOP and len(t) > 1}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _grams(text: str, n: int) -> set[tuple[str, ...]]:
    toks = tokens(text)
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)
            if sum(t not in _STOP for t in toks[i : i + n]) >= 2}


def near_duplicate(a: str, b: str, *, overlap: float = 0.5, gram: int = 4) -> bool:
    """True when two sentences say the same thing: most content words shared, or a run of
    `gram` words with two content words in common ("if you're too busy", "I'd love to hear")."""
    ca, cb = content_words(a), content_words(b)
    if ca and cb and len(ca & cb) / len(ca | cb) >= overlap:
        return True
    return bool(_grams(a, gram) & _grams(b, gram))
