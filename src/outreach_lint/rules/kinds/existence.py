"""`existence`: flag every hit of `match`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from ...models import Finding, Span
from ..detect import CompiledSpec
from ..schema import MatchSpec, RuleBase
from .base import Build, CompiledRule

if TYPE_CHECKING:
    from ..context import Context


class ExistenceRule(RuleBase):
    """Flag every hit of `match`."""

    kind_doc: ClassVar[str] = "Flags each sentence or phrase that matches."

    kind: Literal["existence"]
    match: MatchSpec
    report: Literal["match", "sentence"] = Field(
        "match", description="Underline the matched words, or their whole sentence."
    )
    max_findings: int = Field(5, ge=1)


@dataclass
class Existence(CompiledRule):
    name: ClassVar[str] = "existence"
    Schema: ClassVar[type[RuleBase]] = ExistenceRule

    spec: CompiledSpec | None = None

    @classmethod
    def build(cls, rule: ExistenceRule, env: Build, **common: Any) -> CompiledRule:
        return cls(schema=rule, spec=env.spec(rule.id, "match", rule.match), **common)

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
