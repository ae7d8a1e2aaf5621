"""Text as a reader sees it, for matching only: hidden characters out, look-alike letters folded.

A zero-width space inside a word (`j\u200bob`) or a Cyrillic `о` in "jоb" looks like "job" to
the person reading the email but matches no rule, so a job ask could hide behind them. Before
the rules run, the draft's text is normalised:

- invisible characters (zero-width space, joiner and non-joiner, word joiner, soft hyphen,
  BOM inside the text, Mongolian vowel separator, invisible operators) are removed;
- letters that are drawn like a Latin letter are folded to it: compatibility forms whose
  NFKC form is one ASCII letter (fullwidth `ｊ`, mathematical `𝐣`), and the Cyrillic and
  Greek letters of Unicode's confusables list that are the same glyph as one ASCII letter.
  A word is folded only when each of its letters is Latin or such a look-alike, and it has a
  Latin letter or the draft is mostly Latin: a Russian or Greek sentence is left as it is.

The result keeps an offset map, and every span found in the normalised text is mapped back
to the original: findings, excerpts and fix edits always index `Report.text`, the text as
written. `api.lint_draft` uses this module; the rules and the NLP layer never see it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from .models import Edit, Finding, Fix, Span

INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062"
    "\u2063\u2064\ufeff"
)

# From Unicode's confusables.txt: Cyrillic and Greek letters whose glyph is that of one ASCII
# letter (prototype of length one). Letters that only resemble one (Cyrillic к, Greek κ) are
# left out, so a word is folded only when a reader cannot tell the difference.
_LOOKALIKES = {
    # Cyrillic lower case
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
    # Cyrillic upper case
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ү": "Y", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    # Greek lower case
    "ο": "o", "α": "a", "ν": "v", "ι": "i", "ρ": "p", "υ": "u",
    # Greek upper case
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A word for folding purposes: letters, digits, marks and the invisible characters inside it.
_WORD_RE = regex.compile(r"[\w\p{M}" + "".join(sorted(INVISIBLE)) + r"]+")


@lru_cache(maxsize=4096)
def lookalike(ch: str) -> str | None:
    """The ASCII letter `ch` is drawn as, or None."""
    if ch in _LOOKALIKES:
        return _LOOKALIKES[ch]
    if ch.isascii() or not ch.isalpha():
        return None
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 and folded in _ASCII_LETTERS else None


@dataclass(frozen=True, slots=True)
class Folded:
    """The normalised text and, for each of its characters, its offset in the original."""

    original: str
    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> Span:
        """The original span of the normalised `[start, end)`: from the first kept character
        to just after the last one (hidden characters between them included)."""
        o_start = self.origin[start] if start < len(self.origin) else len(self.original)
        if end <= start:
            return Span(start=o_start, end=o_start)
        return Span(start=o_start, end=self.origin[end - 1] + 1)

    def finding(self, f: Finding) -> Finding:
        """`f` (found in the normalised text) with every span and excerpt in the original."""
        span = self.to_original(f.span.start, f.span.end)
        fixes = tuple(
            Fix(title=fx.title, applicability=fx.applicability, edits=tuple(
                Edit(span=self.to_original(e.span.start, e.span.end), replacement=e.replacement)
                for e in fx.edits))
            for fx in f.fixes
        )
        return f.model_copy(update={"span": span, "excerpt": span.text(self.original),
                                    "fixes": fixes})


def fold(text: str) -> Folded | None:
    """The text normalised for matching, or None when there is nothing to change."""
    if not _suspicious(text):
        return None
    latin_draft = _mostly_latin(text)
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _WORD_RE.finditer(text):
        for i in range(pos, m.start()):  # between words: only hidden characters go
            if text[i] not in INVISIBLE:
                out.append(text[i])
                origin.append(i)
        word = m.group()
        letters = [c for c in word if c.isalpha() and c not in INVISIBLE]
        has_latin = any(c in _ASCII_LETTERS for c in letters)
        all_lookalike = bool(letters) and all(
            c in _ASCII_LETTERS or lookalike(c) is not None for c in letters)
        folding = all_lookalike and (has_latin or latin_draft)
        for i, c in enumerate(word, m.start()):
            if c in INVISIBLE:
                continue
            out.append((lookalike(c) or c) if folding else c)
            origin.append(i)
        pos = m.end()
    for i in range(pos, len(text)):
        if text[i] not in INVISIBLE:
            out.append(text[i])
            origin.append(i)
    folded = "".join(out)
    return None if folded == text else Folded(text, folded, tuple(origin))


def _suspicious(text: str) -> bool:
    # Cheap pre-check: plain ASCII (most drafts) has nothing to fold.
    return not text.isascii() and any(c in INVISIBLE or lookalike(c) for c in set(text))


def _mostly_latin(text: str) -> bool:
    latin = sum(1 for c in text if c in _ASCII_LETTERS)
    other = sum(1 for c in text if c.isalpha() and c not in _ASCII_LETTERS)
    return latin > other
