"""The compiled rule kinds: each turns its validated schema into findings for one draft."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import regex

from ..errors import RuleTimeoutError
from ..models import Applicability, Edit, Finding, Fix, Severity, Span
from .detect import REGEX_TIMEOUT, CompiledSpec, Hit
from .fixes import CaptureSet, build_fix, pick_template, preserve_case
from .schema import (
    SCOPE_KINDS,
    ConditionalRule,
    ExistenceRule,
    MetricRule,
    PythonRule,
    RequiredRule,
    RuleBase,
    SubstitutionRule,
)

if TYPE_CHECKING:
    from .context import Context

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}


@dataclass
class CompiledRule:
    """A rule ready to run: its schema, effective severity and options, and compiled parts."""

    schema: RuleBase
    severity: Severity
    docs_url: str | None
    path: str
    options: dict[str, Any] = field(default_factory=dict)
    detectors: dict[str, CompiledSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.captures = CaptureSet(self.schema.fix.captures if self.schema.fix else {})

    @property
    def id(self) -> str:
        return self.schema.id

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    # ------------------------------------------------------------- helpers for every kind

    def finding(
        self,
        ctx: Context,
        span: Span,
        *,
        message: str | None = None,
        severity: Severity | None = None,
        fixes: tuple[Fix, ...] = (),
    ) -> Finding:
        seg = ctx.draft.segment_at(span.start)
        return Finding(
            rule_id=self.schema.id,
            category=self.schema.category,
            severity=severity or self.severity,
            message=message or self.schema.message,
            span=span,
            segment=seg.kind if seg else None,
            excerpt=span.text(ctx.draft.text),
            fixes=fixes,
            docs_url=self.docs_url,
        )

    def fix_for(
        self,
        ctx: Context,
        *,
        hit: Hit | None = None,
        sentence: Span | None = None,
        insert_at: tuple[int, bool] | None = None,
        avoid: set[str] | None = None,
        redundant: bool = False,
    ) -> tuple[Fix, ...]:
        spec = self.schema.fix
        if spec is None:
            return ()
        fix = build_fix(spec, self.captures, ctx, hit=hit, sentence=sentence,
                        insert_at=insert_at, avoid=avoid, redundant=redundant)
        return (fix,) if fix else ()

    def insertion_point(self, ctx: Context, default_anchor: str) -> tuple[int, bool]:
        """Where a fix inserts text: after a detector's sentence, or at a named anchor."""
        spec = self.schema.fix
        at = spec.insert.at if spec and spec.insert else default_anchor
        if at.startswith("after:"):
            det = self.detectors.get(at[6:])
            hits = det.hits(ctx) if det else []
            if hits:
                idx = ctx.sentence_index(hits[0].start)
                if idx is not None:
                    return ctx.analysis.sentences[idx].end, False
            at = default_anchor
        _, offset = ctx.anchor_span(at)
        return offset, at in ("body-start",)

    def sentence_of(self, ctx: Context, hit: Hit) -> Span | None:
        idx = ctx.sentence_index(hit.start)
        return ctx.sentence_span(idx) if idx is not None else None


@dataclass
class Existence(CompiledRule):
    spec: CompiledSpec | None = None

    def check(self, ctx: Context) -> Iterator[Finding]:
        assert self.spec is not None and isinstance(self.schema, ExistenceRule)
        seen_sentences: set[int | None] = set()
        proposed: set[str] = set()
        rewritten_segments: set[int] = set()
        count = 0
        for hit in self.spec.hits(ctx):
            idx = ctx.sentence_index(hit.start)
            if idx is not None and idx in seen_sentences:
                continue  # one finding per sentence, however many phrases it has
            seen_sentences.add(idx)
            sentence = ctx.sentence_span(idx) if idx is not None else None
            span = sentence if self.schema.report == "sentence" and sentence else Span(
                start=hit.start, end=hit.end
            )
            seg = ctx.draft.segment_at(hit.start)
            seg_start = seg.span.start if seg else -1
            fixes = self.fix_for(ctx, hit=hit, sentence=sentence, avoid=proposed,
                                 redundant=seg_start in rewritten_segments)
            rewritten_segments.add(seg_start)
            yield self.finding(ctx, span, fixes=fixes)
            count += 1
            if count >= self.schema.max_findings:
                return


@dataclass
class Required(CompiledRule):
    spec: CompiledSpec | None = None
    unless: CompiledSpec | None = None
    only_if: CompiledSpec | None = None

    def check(self, ctx: Context) -> Iterator[Finding]:
        assert self.spec is not None and isinstance(self.schema, RequiredRule)
        if not ctx.own_words:
            return
        if self.unless is not None and self.unless.hits(ctx):
            return
        if self.only_if is not None and not self.only_if.hits(ctx):
            return
        if len(self.spec.hits(ctx)) >= self.schema.min:
            return
        span, _ = ctx.anchor_span(self.schema.anchor)
        insert_at = self.insertion_point(ctx, self.schema.anchor)
        yield self.finding(ctx, span, fixes=self.fix_for(ctx, sentence=span, insert_at=insert_at))


@dataclass
class Conditional(CompiledRule):
    if_spec: CompiledSpec | None = None
    then_spec: CompiledSpec | None = None

    def check(self, ctx: Context) -> Iterator[Finding]:
        assert self.if_spec is not None and self.then_spec is not None
        hits = self.if_spec.hits(ctx)
        if not hits or self.then_spec.hits(ctx):
            return
        hit = hits[0]
        sentence = self.sentence_of(ctx, hit)
        insert_at = (sentence.end, False) if sentence else None
        spec = self.schema.fix
        if spec and spec.insert and spec.insert.at != "sentence":
            insert_at = self.insertion_point(ctx, "sentence")
        yield self.finding(
            ctx, Span(start=hit.start, end=hit.end),
            fixes=self.fix_for(ctx, hit=hit, sentence=sentence, insert_at=insert_at),
        )


@dataclass
class Metric(CompiledRule):
    def check(self, ctx: Context) -> Iterator[Finding]:
        assert isinstance(self.schema, MetricRule)
        rule = self.schema
        if ctx.stats.words < rule.min_words:
            return
        value = ctx.metric(rule.metric)
        for th in rule.thresholds:
            limit = self.options.get(f"{rule.metric}-{th.severity.value}", th.value)
            if _OPS[th.op](value, limit):
                span = self._span(ctx, rule, int(limit))
                message = (th.message or rule.message).format(
                    value=_num(value), limit=_num(limit)
                )
                severity = self.severity if self.severity != rule.severity else th.severity
                yield self.finding(
                    ctx, span, message=message, severity=severity,
                    fixes=self.fix_for(ctx, sentence=span,
                                       insert_at=self.insertion_point(ctx, "before-signoff")),
                )
                return

    def _span(self, ctx: Context, rule: MetricRule, limit: int) -> Span:
        if rule.anchor == "overflow":
            start = ctx.overflow_offset(limit)
            body = [s for s in ctx.draft.segments if s.kind.value in ("body", "postscript")]
            if start is not None and body:
                end = max(s.span.end for s in body)
                idx = ctx.sentence_index(start)
                if idx is not None:
                    start = ctx.analysis.sentences[idx].start
                return Span(start=start, end=max(end, start))
        span, _ = ctx.anchor_span("body-start" if rule.anchor == "overflow" else rule.anchor)
        return span


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


@dataclass
class Substitution(CompiledRule):
    patterns: list[tuple[regex.Pattern[str], list[str]]] = field(default_factory=list)

    def check(self, ctx: Context) -> Iterator[Finding]:
        assert isinstance(self.schema, SubstitutionRule)
        kinds = {SCOPE_KINDS[s] for s in self.schema.scope}
        text = ctx.analysis.text
        title = self.schema.fix.title if self.schema.fix else "Replace"
        applicability = self.schema.fix.applicability if self.schema.fix else None
        for pattern, replacements in self.patterns:
            for m in _finditer(pattern, text, self, ctx):
                seg = ctx.draft.segment_at(m.start())
                if seg is None or seg.kind not in kinds or m.end() == m.start():
                    continue
                values = {k: v for k, v in m.groupdict().items() if v}
                values["match"] = m.group(0)
                fixes = []
                for template in replacements:
                    new = pick_template([template], values)
                    if new is None:
                        continue
                    new = preserve_case(m.group(0), new)
                    fixes.append(Fix(
                        title=f"{title}: “{new}”",
                        edits=(Edit(span=Span(start=m.start(), end=m.end()), replacement=new),),
                        applicability=applicability or Applicability.UNSAFE,
                    ))
                message = self.schema.message.format(**{"match": m.group(0), **values})
                yield self.finding(
                    ctx, Span(start=m.start(), end=m.end()), message=message, fixes=tuple(fixes)
                )


def _finditer(pattern: regex.Pattern[str], text: str, rule: CompiledRule,
              ctx: Context) -> list[regex.Match[str]]:
    where = f"a regex of rule {rule.id!r} in {rule.path}"
    timeout = ctx.deadline.regex_timeout(where) if ctx.deadline else REGEX_TIMEOUT
    try:
        return list(pattern.finditer(text, timeout=timeout))
    except TimeoutError:
        if ctx.deadline is not None:
            ctx.deadline.check(where)
        raise RuleTimeoutError(
            f"[{rule.path}, rule {rule.id!r}] regex {pattern.pattern[:80]!r} ran past"
            f" {REGEX_TIMEOUT}s on this draft"
        ) from None


PythonCheck = Callable[[Any, "Context"], Iterator[Finding]]


@dataclass
class Python(CompiledRule):
    function: PythonCheck | None = None

    def check(self, ctx: Context) -> Iterator[Finding]:
        assert self.function is not None and isinstance(self.schema, PythonRule)
        yield from self.function(self, ctx)


KIND_TYPES: dict[type[RuleBase], type[CompiledRule]] = {
    ExistenceRule: Existence,
    RequiredRule: Required,
    ConditionalRule: Conditional,
    MetricRule: Metric,
    SubstitutionRule: Substitution,
    PythonRule: Python,
}
