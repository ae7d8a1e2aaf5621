"""Required literals ("anchors") of a regex, derived from the `regex` module's own parse tree.

`anchors(source, flags)` returns sets of strings such that every match of the pattern
contains at least one string of *each* set (a conjunction of alternatives), or `()` when
nothing can be derived, in which case the pattern must always run. The derivation is sound by
construction rather than a guess about the pattern's text:

- The tree comes from the parser the `regex` module compiles with (`_regex_core`), so a
  pattern means here exactly what it means when it runs: a fuzzy group, a `\\p{..}` class, a
  POSIX class or a named list is a node of its own kind, never misread as literal text.
- Only node kinds whose meaning is known are looked into (literals, small positive sets,
  sequences, alternations, groups, counted repeats, zero-width assertions). Every other node
  is opaque: it matches *something*, and nothing is claimed about it. A tree holding a node
  kind not known at all gives no anchors.
- Case: anchors are in the *folded* form of `Folding`, which maps every character the engine
  treats as a case variant of an anchor character (`_regex.get_all_cases`, closed under
  repetition: `K` (Kelvin) ~ `k`, `ſ` ~ `s`, `İ` ~ `i` ~ `ı` ~ `I`) to one representative.
  A pattern whose case-insensitive matching is *full* folding (`ß` ~ `ss`) gets no anchor
  from those characters.

`tests/test_anchors.py` checks the property with hypothesis: whenever a pattern matches a
text, each of its anchor sets has a member in the folded text.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

#: At most this many alternative strings are tracked for one node (then it is opaque).
MAX_EXACT = 48
#: Repeats with a larger upper bound are not expanded into their exact strings.
MAX_REPEAT_EXPAND = 3
#: Anchor sets kept per pattern (the most selective); each one must be present.
MAX_SETS = 3
#: Anchors shorter than this are too common to be worth checking (but see `_usable`).
MIN_LEN = 2

Anchors = tuple[tuple[str, ...], ...]


class _Unknown(Exception):
    """A parse-tree node of a kind this module does not know: derive nothing."""


@dataclass(frozen=True, slots=True)
class _Info:
    exact: frozenset[str] | None  # every string the node can match, when few and all known
    req: tuple[frozenset[str], ...]  # each match contains a member of each set


_OPAQUE = _Info(None, ())
_EMPTY = _Info(frozenset({""}), ())


# ------------------------------------------------------------------------------- case folding


class Folding:
    """The engine's case-insensitive character classes, and a length-preserving text fold.

    `canon(c)` is one representative of every character the engine may match for `c` under
    IGNORECASE (the closure of `get_all_cases`). `fold(text)` maps each character of such a
    class to its representative, so an anchor (stored folded) occurs in `fold(text)` wherever
    the pattern could have matched it. Offsets are kept: `len(fold(t)) == len(t)`.
    """

    def __init__(self) -> None:
        self._all_cases = importlib.import_module("regex._regex").get_all_cases
        self._flags = int(regex.IGNORECASE) | int(regex.UNICODE)
        self._canon: dict[str, str] = {}
        self.table: dict[int, str] = {}
        # `str.lower()` folds ASCII text the same way, as long as every ASCII member of a
        # class lowercases to its representative (checked as classes are added).
        self.ascii_lower_ok = True

    def canon(self, ch: str) -> str:
        found = self._canon.get(ch)
        if found is not None:
            return found
        members = {ch}
        todo = [ch]
        while todo:
            for code in self._all_cases(self._flags, ord(todo.pop())):
                c = chr(code)
                if c not in members:
                    members.add(c)
                    todo.append(c)
        ascii_members = sorted(m for m in members if m.isascii())
        lower = sorted(m for m in members if m == m.lower())
        rep = ascii_members[0].lower() if ascii_members else (lower or sorted(members))[0]
        for m in members:
            self._canon[m] = rep
            if m != rep:
                self.table[ord(m)] = rep
            if m.isascii() and m.lower() != rep:
                self.ascii_lower_ok = False
        return rep

    def fold_literal(self, text: str) -> str:
        return "".join(self.canon(c) for c in text)

    def fold(self, text: str) -> str:
        """The text with every anchor character's case variants mapped to one form."""
        if text.isascii() and self.ascii_lower_ok:
            return text.lower()
        return text.translate(self.table)


FOLDING = Folding()


# ------------------------------------------------------------------------------- parsing


def _core() -> Any:
    """The `regex` module's own parser (private, so any change there means: no anchors)."""
    return importlib.import_module("regex._regex_core")


def _parse(source: str, flags: int) -> Any:
    core = _core()

    global_flags = flags
    while True:
        src = core.Source(source)
        info = core.Info(global_flags, src.char_type, {})
        info.guess_encoding = core.UNICODE
        src.ignore_space = bool(info.flags & core.VERBOSE)
        try:
            parsed = core._parse_pattern(src, info)
        except core._UnscopedFlagSet:
            global_flags = info.global_flags  # a leading (?i): parse again with it global
            continue
        if not src.at_end():
            raise _Unknown("unbalanced pattern")
        return parsed


def anchors(source: str, flags: int, folding: Folding = FOLDING) -> Anchors:
    """Anchor sets of a pattern (see the module docstring); `()` when none can be derived."""
    try:
        tree = _parse(source, flags)
        info = _Deriver(folding).info(tree)
    except (_Unknown, RecursionError, regex.error, AttributeError, TypeError, ValueError):
        return ()
    sets = list(info.req)
    if info.exact is not None and "" not in info.exact:
        sets.append(info.exact)
    usable = {s for s in sets if s and all(map(_usable, s))}
    best = sorted(usable, key=_score, reverse=True)[:MAX_SETS]
    return tuple(tuple(sorted(s)) for s in best)


def _usable(anchor: str) -> bool:
    """Long enough to be selective: two characters, or one that is not a letter, digit or
    space (a quote mark, an emoji)."""
    return len(anchor) >= MIN_LEN or (len(anchor) == 1 and not anchor.isalnum()
                                      and not anchor.isspace())


def _score_set(s: Iterable[str]) -> tuple[int, int, tuple[str, ...]]:
    return _score(frozenset(s))


def _score(s: frozenset[str]) -> tuple[int, int, tuple[str, ...]]:
    # Longer anchors are rarer; fewer alternatives are more selective; then a stable order.
    return min(len(a) for a in s), -len(s), tuple(sorted(s))


class _Deriver:
    def __init__(self, folding: Folding) -> None:
        core = self.core = _core()
        self.fold = folding
        self.full_case = int(core.FULLCASE)
        self.zero_width = tuple(
            getattr(core, name) for name in (
                "Boundary", "DefaultBoundary", "StartOfWord", "EndOfWord", "DefaultStartOfWord",
                "DefaultEndOfWord", "StartOfLine", "StartOfLineU", "EndOfLine", "EndOfLineU",
                "StartOfString", "EndOfString", "EndOfStringLine", "EndOfStringLineU",
                "SearchAnchor", "LookAround",
            )
        )
        # Kinds that match some text about which nothing is claimed.
        self.opaque = tuple(
            getattr(core, name) for name in (
                "Any", "AnyAll", "AnyU", "Property", "SetInter", "SetDiff", "SetSymDiff", "Range",
                "RefGroup", "CallGroup", "Grapheme", "Conditional", "LookAroundConditional",
                "Fuzzy", "StringSet", "Keep", "Failure", "Prune", "Skip", "GraphemeBoundary",
            )
            if hasattr(core, name)
        )
        self.repeats = (core.GreedyRepeat, core.LazyRepeat, core.PossessiveRepeat)

    def info(self, node: Any) -> _Info:
        core = self.core
        kind = type(node)  # exact kinds only: a subclass may mean something else
        if kind is core.Character:
            if node.zerowidth or not node.positive or int(node.case_flags) & self.full_case:
                return _OPAQUE
            return _Info(frozenset({self.fold.canon(chr(node.value))}), ())
        if kind is core.String:
            if int(node.case_flags) & self.full_case:
                return _OPAQUE
            return _Info(frozenset({"".join(self.fold.canon(chr(c)) for c in node.characters)}), ())
        if kind is core.Sequence:
            return self.sequence([self.info(item) for item in node.items])
        if kind is core.Branch:
            return self.branch([self.info(b) for b in node.branches])
        if kind in (core.Group, core.Atomic):
            return self.info(node.subpattern)
        if kind in self.repeats:
            return self.repeat(self.info(node.subpattern), node.min_count, node.max_count)
        if kind is core.SetUnion:
            return self.char_set(node)
        if kind in self.zero_width:
            return _EMPTY
        if kind in self.opaque:
            return _OPAQUE
        raise _Unknown(kind.__name__)

    def char_set(self, node: Any) -> _Info:
        core = self.core
        if node.zerowidth or not node.positive or int(node.case_flags) & self.full_case:
            return _OPAQUE
        chars: set[str] = set()
        for item in node.items:
            if type(item) is core.Character and item.positive and not item.zerowidth:
                chars.add(self.fold.canon(chr(item.value)))
            elif type(item) is core.Range and item.positive and item.upper - item.lower < 16:
                chars.update(self.fold.canon(chr(c)) for c in range(item.lower, item.upper + 1))
            else:
                return _OPAQUE
        return _Info(frozenset(chars), ()) if 0 < len(chars) <= MAX_EXACT else _OPAQUE

    def sequence(self, items: list[_Info]) -> _Info:
        req: list[frozenset[str]] = []
        run: frozenset[str] = frozenset({""})
        whole: frozenset[str] | None = run  # the exact strings of the whole sequence, if known

        def close(strings: frozenset[str]) -> None:
            if "" not in strings:
                req.append(strings)

        for item in items:
            if item.exact is None:
                close(run)
                run = frozenset({""})
                whole = None
                req.extend(item.req)
                continue
            joined = _product(run, item.exact)
            if joined is None:  # too many alternatives: keep what we have, start again
                close(run)
                run = item.exact
                whole = None
            else:
                run = joined
                if whole is not None:
                    whole = run
        close(run)
        return _Info(whole, tuple(dict.fromkeys(req)))

    def branch(self, branches: list[_Info]) -> _Info:
        if all(b.exact is not None for b in branches):
            union = frozenset().union(*(b.exact or () for b in branches))
            if len(union) <= MAX_EXACT:
                return _Info(union, ())
        # One set for the whole alternation: the best set of each branch, pooled.
        pooled: set[str] = set()
        for b in branches:
            sets = list(b.req)
            if b.exact is not None and "" not in b.exact:
                sets.append(b.exact)
            if not sets:
                return _OPAQUE
            pooled.update(max(sets, key=_score_set))
        return _Info(None, (frozenset(pooled),))

    def repeat(self, sub: _Info, low: int, high: int | None) -> _Info:
        req = sub.req
        if low >= 1 and sub.exact is not None and "" not in sub.exact:
            req = (*req, sub.exact)
        if low == 0:
            req = ()
        if sub.exact is not None and high is not None and high <= MAX_REPEAT_EXPAND:
            strings: set[str] = set()
            for n in range(low, high + 1):
                joined: frozenset[str] | None = frozenset({""})
                for _ in range(n):
                    joined = _product(joined, sub.exact) if joined is not None else None
                if joined is None:
                    return _Info(None, req)
                strings.update(joined)
            if len(strings) <= MAX_EXACT:
                return _Info(frozenset(strings), req)
        return _Info(None, req)


def _product(left: Iterable[str], right: Iterable[str]) -> frozenset[str] | None:
    out = frozenset(a + b for a, b in itertools.product(left, right))
    return out if len(out) <= MAX_EXACT else None
