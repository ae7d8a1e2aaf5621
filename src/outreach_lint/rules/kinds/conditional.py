"""`conditional`: if `if` matches, `then` must match too."""

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


class ConditionalRule(RuleBase):
    """If `if` matches, `then` must match too (anywhere in `then.scope`)."""

    kind_doc: ClassVar[str] = "Flags a draft that has the first element without the second."

    kind: Literal["conditional"]
    if_: MatchSpec = Field(alias="if")
    then: MatchSpec


@dataclass
class Conditional(CompiledRule):
    name: ClassVar[str] = "conditional"
    Schema: ClassVar[type[RuleBase]] = ConditionalRule

    if_spec: CompiledSpec | None = None
    then_spec: CompiledSpec | None = None

    @classmethod
    def build(cls, rule: ConditionalRule, env: Build, **common: Any) -> CompiledRule:
        return cls(schema=rule, if_spec=env.spec(rule.id, "if", rule.if_),
                   then_spec=env.spec(rule.id, "then", rule.then), **common)

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
