"""`python`: a check written in Python, found by name among installed entry points."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field

from ...errors import PackError
from ...models import Finding
from ..registry import lookup
from ..schema import RuleBase
from .base import Build, CompiledRule

if TYPE_CHECKING:
    from ..context import Context


class PythonRule(RuleBase):
    """A rule implemented in Python, found by name in the `outreach_lint.rules` registry."""

    kind_doc: ClassVar[str] = "Runs a check written in Python, registered by an installed package."

    kind: Literal["python"]
    function: str = Field(pattern=r"^[A-Za-z0-9_.:-]+$")


PythonCheck = Callable[[Any, "Context"], Iterator[Finding]]


@dataclass
class Python(CompiledRule):
    name: ClassVar[str] = "python"
    Schema: ClassVar[type[RuleBase]] = PythonRule

    function: PythonCheck | None = None

    @classmethod
    def build(cls, rule: PythonRule, env: Build, **common: Any) -> CompiledRule:
        func = lookup(rule.function)
        if func is None:
            raise PackError(
                f"no Python rule registered as {rule.function!r}: install the package that"
                f" provides it (entry-point group 'outreach_lint.rules')",
                path=env.path, rule_id=rule.id, key="function",
            )
        return cls(schema=rule, function=func, **common)

    @classmethod
    def doc(cls, rule: RuleBase) -> str:
        # The registered function's docstring says what this particular check looks for.
        func = lookup(rule.function) if isinstance(rule, PythonRule) else None
        own = inspect.getdoc(func) if func is not None else None
        return f"{rule.kind_doc} It checks: {own}" if own else rule.kind_doc

    def check(self, ctx: Context) -> Iterator[Finding]:
        assert self.function is not None and isinstance(self.schema, PythonRule)
        yield from self.function(self, ctx)
