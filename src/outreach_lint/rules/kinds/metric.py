"""`metric`: compare a measure of the draft (metrics.py) with thresholds users can tune."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from ...models import Finding, Severity, Span
from ..metrics import METRICS
from ..schema import RULE_ID_PATTERN, Anchor, OptionSpec, RuleBase, Strict
from .base import Build, CompiledRule

if TYPE_CHECKING:
    from ..context import Context

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}


def _known_metric(name: str) -> str:
    if name not in METRICS:
        raise ValueError(f"unknown metric {name!r}; known: {', '.join(sorted(METRICS))}")
    return name


MetricName = Annotated[
    str,
    AfterValidator(_known_metric),
    WithJsonSchema({"type": "string", "enum": sorted(METRICS)}),
]


class Threshold(Strict):
    op: Literal[">", ">=", "<", "<="]
    value: float
    severity: Severity
    message: str = Field(
        "", description="Overrides the rule message; {value} and {limit} are filled in."
    )
    option: str | None = Field(
        None, pattern=RULE_ID_PATTERN,
        description="The option users set this limit with (default: <metric>-<severity>,"
        " e.g. words-warning).",
    )


class MetricRule(RuleBase):
    """Compare a number computed from the draft with thresholds; the first that holds wins,
    so list the most severe first."""

    kind_doc: ClassVar[str] = "Flags a draft whose measure crosses a threshold."

    kind: Literal["metric"]
    metric: MetricName
    thresholds: list[Threshold] = Field(min_length=1)
    anchor: Anchor | Literal["overflow"] = "body-start"
    min_words: int = Field(0, ge=0, description="Skip drafts shorter than this.")

    def option_name(self, th: Threshold) -> str:
        return th.option or f"{self.metric.replace('_', '-')}-{th.severity.value}"

    def declared_options(self) -> dict[str, OptionSpec]:
        out = super().declared_options()
        for th in self.thresholds:
            out[self.option_name(th)] = OptionSpec(
                default=th.value,
                description=f"flag as {th.severity.value} when {self.metric} {th.op} this",
            )
        return out

    @model_validator(mode="after")
    def _distinct_option_names(self) -> MetricRule:
        names = [self.option_name(th) for th in self.thresholds]
        clash = sorted({n for n in names if names.count(n) > 1} | (set(names) & set(self.options)))
        if clash:
            raise ValueError(
                f"two limits or options share the name {clash[0]!r}: give each threshold its"
                " own `option` name"
            )
        return self


@dataclass
class Metric(CompiledRule):
    name: ClassVar[str] = "metric"
    Schema: ClassVar[type[RuleBase]] = MetricRule

    @classmethod
    def build(cls, rule: MetricRule, env: Build, **common: Any) -> CompiledRule:
        return cls(schema=rule, **common)

    @classmethod
    def doc(cls, rule: RuleBase) -> str:
        if isinstance(rule, MetricRule):
            return f"{rule.kind_doc} It measures {METRICS[rule.metric].doc} (`{rule.metric}`)."
        return rule.kind_doc

    def check(self, ctx: Context) -> Iterator[Finding]:
        assert isinstance(self.schema, MetricRule)
        rule = self.schema
        if ctx.stats.words < rule.min_words:
            return
        value = ctx.metric(rule.metric)
        for th in rule.thresholds:
            limit = float(self.options.get(rule.option_name(th), th.value))
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
