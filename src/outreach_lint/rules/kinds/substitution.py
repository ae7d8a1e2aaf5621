"""`substitution`: flag a phrase and offer replacements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import regex
from pydantic import Field

from ...models import Applicability, Edit, Finding, Fix, Span
from ..fixes import pick_template, preserve_case
from ..schema import ALL_SCOPES, SCOPE_KINDS, RuleBase, Scope, Strict
from .base import Build, CompiledRule, finditer

if TYPE_CHECKING:
    from ..context import Context


class Swap(Strict):
    regex: str
    replace: list[str] = Field(min_length=1)


class SubstitutionRule(RuleBase):
    """Flag a phrase and offer replacements; named groups are usable as {name}, case kept."""

    kind_doc: ClassVar[str] = "Flags a phrase and offers replacements."

    kind: Literal["substitution"]
    swaps: list[Swap] = Field(min_length=1)
    scope: list[Scope] = Field(default_factory=lambda: list(ALL_SCOPES))


@dataclass
class Substitution(CompiledRule):
    name: ClassVar[str] = "substitution"
    Schema: ClassVar[type[RuleBase]] = SubstitutionRule

    patterns: list[tuple[regex.Pattern[str], list[str]]] = field(default_factory=list)

    @classmethod
    def build(cls, rule: SubstitutionRule, env: Build, **common: Any) -> CompiledRule:
        patterns = [(env.regex(rule.id, f"swaps.{i}", swap.regex), swap.replace)
                    for i, swap in enumerate(rule.swaps)]
        return cls(schema=rule, patterns=patterns, **common)

    def check(self, ctx: Context) -> Iterator[Finding]:
        assert isinstance(self.schema, SubstitutionRule)
        kinds = {SCOPE_KINDS[s] for s in self.schema.scope}
        text = ctx.analysis.text
        title = self.schema.fix.title if self.schema.fix else "Replace"
        applicability = self.schema.fix.applicability if self.schema.fix else None
        for pattern, replacements in self.patterns:
            for m in finditer(pattern, text, self, ctx):
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
