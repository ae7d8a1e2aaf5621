"""Compile pattern sets once into a shared Matcher / PhraseMatcher / regex bank, and filter hits.

All token patterns of a rule set go into one spaCy `Matcher` and all literal phrases into one
`PhraseMatcher`, so a draft is scanned once however many rules there are.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import regex

from ..clauses import Act
from ..errors import PackError, RuleTimeoutError
from .cues import is_negated
from .schema import SCOPE_KINDS, Exceptions, MatchSpec, PatternSet

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .context import Context

#: Seconds one regex may run on one draft before the rule is reported as too slow.
REGEX_TIMEOUT = 0.25
_PROBE_TIMEOUT = 0.05
_CLASS_REF_RE = regex.compile(r"\$\{([a-z_][a-z0-9_]*)\}")
_PROBES = ("a" * 3000 + "!", " " * 3000 + "!", "ab" * 1500 + "!", "a a " * 800 + "!")


@dataclass(frozen=True, slots=True)
class Hit:
    """A match in `Draft.text` coordinates, with token bounds and regex captures."""

    start: int
    end: int
    tok_start: int
    tok_end: int
    groups: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Where:
    """Where a pattern came from, for error messages."""

    path: str
    rule_id: str
    key: str


@dataclass
class MatcherBank:
    """Every phrase, token pattern and regex of a rule set, keyed by the spec that owns it."""

    nlp: Language
    classes: dict[str, list[str]]
    regexes: dict[str, list[regex.Pattern[str]]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._regex_where: dict[str, Where] = {}
        self._needles: dict[regex.Pattern[str], tuple[str, ...] | None] = {}
        self._requests_only: set[str] = set()

    def add(self, key: str, spec: PatternSet, where: Where) -> None:
        if isinstance(spec, MatchSpec) and spec.sentence in ("request", "question"):
            # Hits outside request sentences would be dropped anyway: don't scan there.
            self._requests_only.add(key)
        if spec.phrases:
            docs = [self.nlp.make_doc(p) for p in spec.phrases]
            self.phrase_matcher.add(key, docs)
        for n, pattern in enumerate(spec.tokens):
            expanded = [self._expand_token(t, where, n) for t in pattern]
            try:
                self.matcher.add(key, [expanded])
            except (ValueError, KeyError, TypeError) as exc:
                detail = " ".join(str(exc).split())[:400]
                raise PackError(
                    f"invalid token pattern #{n + 1}: {detail}",
                    path=where.path, rule_id=where.rule_id, key=f"{where.key}.tokens.{n}",
                ) from None
        for n, source in enumerate(spec.regex):
            compiled = self._compile_regex(source, where, n)
            self._needles[compiled] = leading_literals(compiled.pattern)
            self.regexes[key].append(compiled)
            self._regex_where[key] = where

    def _expand_token(self, tok: dict[str, Any], where: Where, n: int) -> dict[str, Any]:
        tok = copy.deepcopy(tok)
        for attr, value in tok.items():
            if isinstance(value, dict):
                for op in ("IN", "NOT_IN"):
                    if isinstance(value.get(op), list):
                        value[op] = self._expand_list(value[op], where, n)
            if attr == "_":
                raise PackError(
                    "custom extension attributes are not allowed in rule packs",
                    path=where.path, rule_id=where.rule_id, key=f"{where.key}.tokens.{n}",
                )
        return tok

    def _expand_list(self, values: list[Any], where: Where, n: int) -> list[Any]:
        out: list[Any] = []
        for v in values:
            if isinstance(v, str) and v.startswith("$"):
                name = v[1:]
                if name not in self.classes:
                    raise PackError(
                        f"token pattern #{n + 1} names unknown word class {v!r};"
                        f" known: {', '.join(sorted(self.classes)) or 'none'}",
                        path=where.path, rule_id=where.rule_id, key=f"{where.key}.tokens.{n}",
                    )
                out.extend(self.classes[name])
            else:
                out.append(v)
        return out

    def _compile_regex(self, source: str, where: Where, n: int) -> regex.Pattern[str]:
        def class_alt(m: regex.Match[str]) -> str:
            name = m.group(1)
            if name not in self.classes:
                raise PackError(
                    f"regex #{n + 1} names unknown word class ${{{name}}}",
                    path=where.path, rule_id=where.rule_id, key=f"{where.key}.regex.{n}",
                )
            words = sorted(self.classes[name], key=len, reverse=True)
            return "(?:" + "|".join(regex.escape(w) for w in words) + ")"

        expanded = _CLASS_REF_RE.sub(class_alt, source)
        try:
            # VERSION0: simple case folding, measurably faster than VERSION1's full folding.
            compiled = regex.compile(expanded, regex.IGNORECASE | regex.VERSION0)
        except regex.error as exc:
            raise PackError(
                f"regex #{n + 1} does not compile: {exc}",
                path=where.path, rule_id=where.rule_id, key=f"{where.key}.regex.{n}",
            ) from None
        if times_out(compiled):
            raise PackError(
                f"regex #{n + 1} can backtrack catastrophically (nested quantifiers such as"
                " '(a+)+'); rewrite it without a repeated group that itself repeats",
                path=where.path, rule_id=where.rule_id, key=f"{where.key}.regex.{n}",
            )
        return compiled

    def run(self, ctx: Context) -> dict[str, list[Hit]]:
        """Scan the draft once; hits per key, in source order."""
        doc = ctx.analysis.doc
        strings = self.nlp.vocab.strings
        out: dict[str, list[Hit]] = defaultdict(list)
        for match_id, s, e in self.matcher(doc):
            out[strings[match_id]].append(Hit(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), s, e))
        for match_id, s, e in self.phrase_matcher(doc):
            out[strings[match_id]].append(Hit(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), s, e))
        text = ctx.analysis.text
        lowered = text.lower()
        whole = [(0, len(text))]
        requests = [
            (sent.start, sent.end)
            for i, sent in enumerate(ctx.analysis.sentences)
            if ctx.is_request(i)
        ]
        for key, patterns in self.regexes.items():
            ranges = requests if key in self._requests_only else whole
            for pattern in patterns:
                needles = self._needles.get(pattern)
                if needles is not None and not any(n in lowered for n in needles):
                    continue  # no match can start without one of its leading words
                for start, end in ranges:
                    self._scan(pattern, key, text, start, end, doc, out)
        for hits in out.values():
            hits.sort(key=lambda h: (h.start, -h.end))
        return out


    def _scan(
        self,
        pattern: regex.Pattern[str],
        key: str,
        text: str,
        start: int,
        end: int,
        doc: Doc,
        out: dict[str, list[Hit]],
    ) -> None:
        try:
            for m in pattern.finditer(text, start, end, timeout=REGEX_TIMEOUT):
                if m.end() == m.start():
                    continue
                tokens = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if tokens is None:
                    continue
                groups = tuple((k, v) for k, v in m.groupdict().items() if v)
                out[key].append(Hit(m.start(), m.end(), tokens.start, tokens.end, groups))
        except TimeoutError:
            w = self._regex_where[key]
            raise RuleTimeoutError(
                f"[{w.path}, rule {w.rule_id!r}] regex {pattern.pattern[:80]!r} ran past"
                f" {REGEX_TIMEOUT}s on this draft"
            ) from None


_META = set("\\()[]{}?*+.|^$")


def leading_literals(source: str) -> tuple[str, ...] | None:
    """Lowercase literals one of which every match must contain, or None if unknown.

    Handles the common shape `\b(?:word|other word|...)...`: each alternative's literal
    prefix is a needle. A cheap substring test on the draft then skips most regexes, which
    otherwise dominate lint time (most never match a given draft).
    """
    i = 0
    if source.startswith("\\b"):
        i = 2
    if source.startswith("(?:", i):
        close = _matching_paren(source, i)
        if close is None or source[close + 1 : close + 2] in ("?", "*", "{"):
            return None
        alts = _split_top(source[i + 3 : close])
    else:
        alts = _split_top(source[i:])
    out = []
    for alt in alts:
        lit = _literal_prefix(alt)
        if not lit:
            return None
        out.append(lit.lower())
    return tuple(out)


def _matching_paren(s: str, start: int) -> int | None:
    depth, i = 0, start
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            end = s.find("]", i + 2)
            if end < 0:
                return None
            i = end + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _split_top(s: str) -> list[str]:
    parts, depth, cur, i = [], 0, [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            cur.append(s[i : i + 2])
            i += 2
            continue
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _literal_prefix(alt: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(alt):
        c = alt[i]
        if c == "\\" and i + 1 < len(alt) and not alt[i + 1].isalnum():
            out.append(alt[i + 1])
            i += 2
            continue
        if c in _META:
            if c in "?*{" and out:
                out.pop()  # the last character is optional
            break
        out.append(c)
        i += 1
    return "".join(out)


_CLASS_PROBES = {"d": "1", "w": "a", "s": " ", "S": "a", "W": "!", "D": "a"}


def _probes(source: str) -> list[str]:
    """Adversarial strings for a pattern: long runs of the characters it is made of.

    Catastrophic backtracking shows on a long run of what a repeated group can eat, followed
    by something that makes the overall match fail; runs of the pattern's own literal letters
    and of its character classes (\\d, \\w, \\s) cover `(x|xx)+y` and `(\\d|\\d\\d)+$` shapes.
    """
    chars: list[str] = []
    i = 0
    while i < len(source) and len(chars) < 8:
        c = source[i]
        if c == "\\" and i + 1 < len(source):
            probe_char = _CLASS_PROBES.get(source[i + 1])
            if probe_char and probe_char not in chars:
                chars.append(probe_char)
            i += 2
            continue
        if c.isalnum() and c.lower() not in chars:
            chars.append(c.lower())
        i += 1
    probes = list(_PROBES)
    probes.extend(c * 400 + "\x00" for c in chars)
    return probes


def times_out(pattern: regex.Pattern[str]) -> bool:
    """True when the pattern backtracks catastrophically on adversarial probe strings."""
    try:
        for probe in _probes(pattern.pattern):
            pattern.search(probe, timeout=_PROBE_TIMEOUT)
    except TimeoutError:
        return True
    return False


@dataclass
class CompiledSpec:
    """A MatchSpec bound to its patterns in the bank; `hits(ctx)` applies its filters."""

    key: str
    spec: MatchSpec
    uses: list[CompiledSpec]
    exceptions: list[tuple[CompiledSpec, Literal["match", "sentence"]]] = field(default_factory=list)
    # A frame's other slots: detectors that must (not) hit in the same clause or sentence.
    clause_with: list[CompiledSpec] = field(default_factory=list)
    sentence_with: list[CompiledSpec] = field(default_factory=list)
    clause_without: list[CompiledSpec] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Derived once at compile time; `_keep` checks it for every candidate hit.
        self.scope_kinds = frozenset(SCOPE_KINDS[s] for s in self.spec.scope)
        cond = self.spec.clause
        self.acts_any = _acts(cond.acts) if cond else None
        self.acts_none = _acts(cond.not_acts) if cond else None
        self.times = frozenset(cond.time) if cond else frozenset()
        self.agents = frozenset(cond.agent) if cond else frozenset()

    def hits(self, ctx: Context) -> list[Hit]:
        cached = ctx.spec_hits.get(self.key)
        if cached is not None:
            return cached
        # Antipattern hits are gathered once per draft, not once per candidate hit.
        excluded = [(spec.raw(ctx), within) for spec, within in self.exceptions]
        result = [h for h in _dedupe(self.raw(ctx)) if self._keep(ctx, h, excluded)]
        if self.spec.clause is not None:
            result = [h for h in result if self._frame(ctx, h)]
        ctx.spec_hits[self.key] = result
        return result

    def raw(self, ctx: Context) -> list[Hit]:
        """This spec's own pattern hits plus the (filtered) hits of the detectors it uses."""
        raw = list(ctx.raw_hits.get(self.key, ()))
        for used in self.uses:
            raw.extend(used.hits(ctx))
        return raw

    def _keep(
        self,
        ctx: Context,
        hit: Hit,
        excluded: list[tuple[list[Hit], Literal["match", "sentence"]]],
    ) -> bool:
        seg = ctx.draft.segment_at(hit.start)
        if seg is None or seg.kind not in self.scope_kinds:
            return False
        sent = ctx.sentence_index(hit.start)
        if self.spec.sentence != "any":
            if sent is None:
                return False
            if self.spec.sentence == "question" and not ctx.is_question(sent):
                return False
            if self.spec.sentence == "request" and not ctx.is_request(sent):
                return False
            if self.spec.sentence == "statement" and ctx.is_request(sent):
                return False
        if self.spec.negation != "ignore" and sent is not None:
            clause = ctx.clauses.at(hit.tok_start)
            negated = clause.negates(hit.tok_start) if clause is not None else is_negated(
                ctx.analysis.sentences[sent].span, hit.tok_start)
            if negated != (self.spec.negation == "only"):
                return False
        for exc_hits, within in excluded:
            for e in exc_hits:
                if within == "match" and e.start < hit.end and hit.start < e.end:
                    return False
                if within == "sentence" and sent is not None and ctx.sentence_index(e.start) == sent:
                    return False
        return True



    def _frame(self, ctx: Context, hit: Hit) -> bool:
        """The clause conditions of a frame (`clause:` in the spec)."""
        clause = ctx.clauses.at(hit.tok_start)
        if clause is None:
            return False
        acts = clause.effective_acts
        if self.acts_any is not None and self.spec.clause and self.spec.clause.acts:
            wants_statement = "statement" in self.spec.clause.acts
            if not (acts & self.acts_any or (wants_statement and not acts)):
                return False
        if self.acts_none and acts & self.acts_none:
            return False
        cond = self.spec.clause
        if cond is not None and "statement" in cond.not_acts and not acts:
            return False
        if self.times and clause.time.value not in self.times:
            return False
        if self.agents and clause.agent.value not in self.agents:
            return False
        if cond is not None and cond.conditional is not None and clause.conditional != cond.conditional:
            return False
        for other in self.clause_with:
            if not any(ctx.clauses.at(h.tok_start) is clause for h in other.hits(ctx)):
                return False
        for other in self.sentence_with:
            if not any(ctx.clauses.at(h.tok_start) is not None
                       and ctx.clauses.at(h.tok_start).sentence == clause.sentence  # type: ignore[union-attr]
                       for h in other.hits(ctx)):
                return False
        return all(ctx.clauses.at(h.tok_start) is not clause
                   for other in self.clause_without for h in other.hits(ctx))


def _acts(names: Sequence[str]) -> Act:
    out = Act.NONE
    for n in names:
        if n != "statement":
            out |= Act.parse(n)
    return out


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """Drop hits contained in an earlier, longer hit (one finding per phrase)."""
    hits = sorted(hits, key=lambda h: (h.start, -h.end))
    out: list[Hit] = []
    for h in hits:
        if out and out[-1].start <= h.start and h.end <= out[-1].end:
            continue
        out.append(h)
    return out


def compile_spec(
    bank: MatcherBank,
    key: str,
    spec: MatchSpec,
    where: Where,
    detectors: dict[str, CompiledSpec],
) -> CompiledSpec:
    """Register a spec's patterns under `key` and resolve its `use:` detector references."""
    bank.add(key, spec, where)
    uses = []
    for name in spec.use:
        if name not in detectors:
            raise PackError(
                f"unknown detector {name!r}; known: {', '.join(sorted(detectors)) or 'none'}",
                path=where.path, rule_id=where.rule_id, key=f"{where.key}.use",
            )
        uses.append(detectors[name])
    excs = []
    for i, exc in enumerate(spec.exceptions):
        if exc.empty:
            continue
        compiled = compile_spec(
            bank, f"{key}/except{i}", _as_spec(exc),
            Where(where.path, where.rule_id, f"{where.key}.exceptions.{i}"), detectors,
        )
        excs.append((compiled, exc.within))
    frame: dict[str, list[CompiledSpec]] = {"with": [], "with_sentence": [], "without": []}
    if spec.clause is not None:
        for slot, names in (("with", spec.clause.with_), ("with_sentence", spec.clause.with_sentence),
                            ("without", spec.clause.without)):
            for name in names:
                if name not in detectors:
                    raise PackError(
                        f"unknown detector {name!r} in clause.{slot}; known:"
                        f" {', '.join(sorted(detectors)) or 'none'}",
                        path=where.path, rule_id=where.rule_id, key=f"{where.key}.clause.{slot}",
                    )
                frame[slot].append(detectors[name])
    return CompiledSpec(key, spec, uses, excs, frame["with"], frame["with_sentence"], frame["without"])


def _as_spec(exc: Exceptions) -> MatchSpec:
    return MatchSpec(phrases=exc.phrases, tokens=exc.tokens, regex=exc.regex, use=exc.use)


