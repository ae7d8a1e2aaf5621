"""`required`: the draft must contain `match`; otherwise flag where the text belongs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from ...models import Finding
from ..detect import CompiledSpec
from ..schema import Anchor, MatchSpec, RuleBase
from .base import Build, CompiledRule

if TYPE_CHECKING:
    from ..context import Context


class RequiredRule(RuleBase):
    """The draft must contain `match` at least `min` times; otherwise flag where it belongs."""

    kind_doc: ClassVar[str] = (
        "Flags a draft that lacks this element, at the place the text belongs."
    )

    kind: Literal["required"]
    match: MatchSpec
    min: int = Field(1, ge=1)
    anchor: Anchor = "before-signoff"
    unless: MatchSpec | None = Field(None, description="Skip the rule when this matches.")
    only_if: MatchSpec | None = Field(None, description="Run the rule only when this matches.")


@dataclass
class Required(CompiledRule):
    name: ClassVar[str] = "required"
    Schema: ClassVar[type[RuleBase]] = RequiredRule

    spec: CompiledSpec | None = None
    unless: CompiledSpec | None = None
    only_if: CompiledSpec | None = None

    @classmethod
    def build(cls, rule: RequiredRule, env: Build, **common: Any) -> CompiledRule:
        return cls(
            schema=rule, spec=env.spec(rule.id, "match", rule.match),
            unless=env.spec(rule.id, "unless", rule.unless) if rule.unless else None,
            only_if=env.spec(rule.id, "only_if", rule.only_if) if rule.only_if else None,
            **common,
        )

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
