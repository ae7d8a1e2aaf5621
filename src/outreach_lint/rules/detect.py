"""Compile pattern sets once into a shared Matcher / PhraseMatcher / regex bank, and filter hits.

All token patterns of a rule set go into one spaCy `Matcher` and all literal phrases into one
`PhraseMatcher`, so a draft is scanned once however many rules there are.
"""

from __future__ import annotations

import copy
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import regex

from .. import bounded
from ..clauses import Act
from ..errors import PackError, RuleTimeoutError
from .anchors import anchors
from .bounds import too_costly
from .candidates import Plan, TokenIndex
from .cues import is_negated
from .learned import LinearModel, load_model
from .schema import SCOPE_KINDS, Exceptions, MatchSpec, PatternSet

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..rulecache import RegexFacts
    from .context import Context

#: Seconds one regex call may run (defined with the per-draft budget in bounded.py). A call
#: gets one sentence; the built-in pack's patterns (probed at load and fuzzed) skip the limit
#: on sentences up to UNTIMED_CHARS long, where `timeout=` would be most of the call's cost.
REGEX_TIMEOUT = bounded.REGEX_TIMEOUT
UNTIMED_CHARS = 4000
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


#: How the bank compiles rule regexes. VERSION0: simple case folding, measurably faster than
#: VERSION1's full folding.
FLAGS = int(regex.IGNORECASE | regex.VERSION0)


@dataclass(slots=True)
class _Planned:
    """One regex of the bank and what decides where it runs; compiled when first needed."""

    key: str
    source: str
    timeout: float | None
    requests_only: bool
    compiled: regex.Pattern[str] | None = None

    def pattern(self) -> regex.Pattern[str]:
        if self.compiled is None:
            # Known (from the rule cache) to compile and to pass the probe.
            self.compiled = regex.compile(self.source, FLAGS)
        return self.compiled


@dataclass
class MatcherBank:
    """Every phrase, token pattern and regex of a rule set, keyed by the spec that owns it."""

    nlp: Language
    classes: dict[str, list[str]]
    regexes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # What earlier processes learned about these regexes (rulecache.py); None: no cache.
    facts: RegexFacts | None = None

    def __post_init__(self) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._regex_where: dict[str, Where] = {}
        self._requests_only: set[str] = set()
        self.models: dict[str, tuple[LinearModel, float]] = {}
        self.token_index = TokenIndex()
        self.plan: Plan[_Planned] = Plan()

    def add(self, key: str, spec: PatternSet, where: Where) -> None:
        if spec.model:
            try:
                model = load_model(spec.model)
            except PackError as exc:
                raise PackError(exc.reason, path=where.path, rule_id=where.rule_id,
                                key=f"{where.key}.model") from None
            self.models[key] = (model, spec.threshold or model.threshold)
        if isinstance(spec, MatchSpec) and spec.sentence in ("request", "question"):
            # Hits outside request sentences would be dropped anyway: don't scan there.
            self._requests_only.add(key)
        if spec.phrases:
            docs = [self.nlp.make_doc(p) for p in spec.phrases]
            self.phrase_matcher.add(key, docs)
        for n, pattern in enumerate(spec.tokens):
            costly = too_costly(pattern)
            if costly is not None:
                raise PackError(
                    f"token pattern #{n + 1} {costly}",
                    path=where.path, rule_id=where.rule_id, key=f"{where.key}.tokens.{n}",
                )
            expanded = [self._expand_token(t, where, n) for t in pattern]
            try:
                self.matcher.add(key, [expanded])
            except (ValueError, KeyError, TypeError) as exc:
                detail = " ".join(str(exc).split())[:400]
                raise PackError(
                    f"invalid token pattern #{n + 1}: {detail}",
                    path=where.path, rule_id=where.rule_id, key=f"{where.key}.tokens.{n}",
                ) from None
            self.token_index.add(expanded)
        for n, source in enumerate(spec.regex):
            full = self._expand_classes(source, where, n)
            known = self.facts.get(full, FLAGS) if self.facts is not None else None
            compiled = None
            if known is None:  # not seen before: compile and probe it now, derive its anchors
                compiled = self._compile_expanded(full, where, n)
                known = anchors(full, FLAGS)
                if self.facts is not None:
                    self.facts.put(full, FLAGS, known)
            self.regexes[key].append(full)
            self._regex_where[key] = where
            timeout = None if _trusted(where.path) else REGEX_TIMEOUT
            self.plan.add(_Planned(key, full, timeout, key in self._requests_only, compiled),
                          known)

    def compile_all(self) -> None:
        """Compile every regex now (a long-running server pays this once, at start-up)."""
        for planned, _ in self.plan.entries:
            planned.pattern()

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
        expanded = self._expand_classes(source, where, n)
        if self.facts is not None and self.facts.get(expanded, FLAGS) is not None:
            return regex.compile(expanded, FLAGS)  # probed by an earlier process
        compiled = self._compile_expanded(expanded, where, n)
        if self.facts is not None:
            self.facts.put(expanded, FLAGS, anchors(expanded, FLAGS))
        return compiled

    def _expand_classes(self, source: str, where: Where, n: int) -> str:
        def class_alt(m: regex.Match[str]) -> str:
            name = m.group(1)
            if name not in self.classes:
                raise PackError(
                    f"regex #{n + 1} names unknown word class ${{{name}}}",
                    path=where.path, rule_id=where.rule_id, key=f"{where.key}.regex.{n}",
                )
            words = sorted(self.classes[name], key=len, reverse=True)
            return "(?:" + "|".join(regex.escape(w) for w in words) + ")"

        return _CLASS_REF_RE.sub(class_alt, source)

    def _compile_expanded(self, expanded: str, where: Where, n: int) -> regex.Pattern[str]:
        try:
            compiled = regex.compile(expanded, FLAGS)
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
        """Scan the draft: hits per key, in source order.

        Candidates first: token patterns run only on sentences holding a word they need, and
        each regex only on sentences holding its anchors (see candidates.py), one sentence
        per call.
        """
        doc = ctx.analysis.doc
        strings = self.nlp.vocab.strings
        out: dict[str, list[Hit]] = defaultdict(list)
        sents = ctx.analysis.sentences
        if self.token_index:
            for i in self.token_index.sentences(doc, [s.span.start for s in sents]):
                span = sents[i].span
                for match_id, s, e in self.matcher(span):
                    s, e = s + span.start, e + span.start
                    out[strings[match_id]].append(
                        Hit(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), s, e))
        for match_id, s, e in self.phrase_matcher(doc):
            out[strings[match_id]].append(Hit(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), s, e))
        for key, (model, threshold) in self.models.items():
            for feats, (start, end), (ts, te) in zip(*ctx.sentence_features, strict=True):
                if model.score(feats) >= threshold:
                    out[key].append(Hit(start, end, ts, te))
        text = ctx.analysis.text
        starts = [s.start for s in sents]
        limits = [*starts[1:], len(text)]  # a sentence runs up to the next one's start
        for planned, where in self.plan.candidates(text, starts):
            for i in where:
                if planned.requests_only and not ctx.is_request(i):
                    continue
                self._scan(planned, text, starts[i], limits[i], doc, out, ctx.deadline)
        for hits in out.values():
            hits.sort(key=lambda h: (h.start, -h.end))
        return out

    def _scan(
        self,
        planned: _Planned,
        text: str,
        start: int,
        end: int,
        doc: Doc,
        out: dict[str, list[Hit]],
        deadline: bounded.Deadline | None = None,
    ) -> None:
        key = planned.key
        timeout = planned.timeout
        if timeout is None and end - start > UNTIMED_CHARS:
            timeout = REGEX_TIMEOUT  # a built-in pattern on a very long sentence
        if deadline is not None:
            if timeout is not None:
                timeout = deadline.regex_timeout(self._where_text(key))
            elif deadline.remaining() <= 0:  # a clock check instead of timeout= per call
                deadline.check(self._where_text(key))
        try:
            for m in planned.pattern().finditer(text, start, end, timeout=timeout):
                if m.end() == m.start():
                    continue
                tokens = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if tokens is None:
                    continue
                groups = tuple((k, v) for k, v in m.groupdict().items() if v)
                out[key].append(Hit(m.start(), m.end(), tokens.start, tokens.end, groups))
        except TimeoutError:
            if deadline is not None:
                deadline.check(self._where_text(key))
            w = self._regex_where[key]
            raise RuleTimeoutError(
                f"[{w.path}, rule {w.rule_id!r}] regex {planned.source[:80]!r} ran past"
                f" {REGEX_TIMEOUT}s on this draft"
            ) from None


    def _where_text(self, key: str) -> str:
        w = self._regex_where[key]
        return f"a regex of rule {w.rule_id!r} in {w.path}"


@functools.lru_cache(maxsize=256)
def _trusted(path: str) -> bool:
    """Patterns of the built-in packs (probed and fuzzed) skip the per-call timeout."""
    from ..packs import builtin_packs_dir

    try:
        return Path(path).resolve().is_relative_to(builtin_packs_dir().resolve())
    except (OSError, ValueError):
        return False


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


def probe_settings() -> tuple[object, ...]:
    """What the probe tries, for the rule cache's key (a stronger probe re-probes)."""
    return _PROBES, _PROBE_TIMEOUT, sorted(_CLASS_PROBES.items()), 400


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
    draft_without: list[CompiledSpec] = field(default_factory=list)

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
            if any(other.hits(ctx) for other in self.draft_without):
                result = []
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
        apart = cond.sentences_apart if cond is not None else 0
        for other in self.sentence_with:
            if not any(abs(c.sentence - clause.sentence) <= apart
                       for h in other.hits(ctx) if (c := ctx.clauses.at(h.tok_start)) is not None):
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
    frame: dict[str, list[CompiledSpec]] = {
        "with": [], "with_sentence": [], "without": [], "not_in_draft": []}
    if spec.clause is not None:
        for slot, names in (("with", spec.clause.with_), ("with_sentence", spec.clause.with_sentence),
                            ("without", spec.clause.without),
                            ("not_in_draft", spec.clause.not_in_draft)):
            for name in names:
                if name not in detectors:
                    raise PackError(
                        f"unknown detector {name!r} in clause.{slot}; known:"
                        f" {', '.join(sorted(detectors)) or 'none'}",
                        path=where.path, rule_id=where.rule_id, key=f"{where.key}.clause.{slot}",
                    )
                frame[slot].append(detectors[name])
    return CompiledSpec(key, spec, uses, excs, frame["with"], frame["with_sentence"],
                        frame["without"], frame["not_in_draft"])


def _as_spec(exc: Exceptions) -> MatchSpec:
    return MatchSpec(phrases=exc.phrases, tokens=exc.tokens, regex=exc.regex, use=exc.use)


