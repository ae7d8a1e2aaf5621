"""The rule kinds: one module each, holding its schema, compile step, check and doc text.

Adding a kind is adding a module and one entry in `KINDS`; the pack loader, the JSON Schema,
the engine and the docs all read this list.
"""

from __future__ import annotations

import functools
import operator
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from ..schema import RuleBase
from .base import Build, CompiledRule, check_captures
from .conditional import Conditional, ConditionalRule
from .existence import Existence, ExistenceRule
from .metric import Metric, MetricRule, Threshold
from .python import Python, PythonRule
from .required import Required, RequiredRule
from .substitution import Substitution, SubstitutionRule, Swap

KINDS: tuple[type[CompiledRule], ...] = (
    Existence, Substitution, Required, Conditional, Metric, Python,
)
KIND_NAMES: frozenset[str] = frozenset(k.name for k in KINDS)
_BY_SCHEMA: dict[type[RuleBase], type[CompiledRule]] = {k.Schema: k for k in KINDS}

# The union of every kind's schema, told apart by `kind:`.
_RULE: Any = Annotated[
    functools.reduce(operator.or_, (k.Schema for k in KINDS)), Field(discriminator="kind")
]
RULE_ADAPTER: TypeAdapter[RuleBase] = TypeAdapter(_RULE)


def kind_of(rule: RuleBase) -> type[CompiledRule]:
    return _BY_SCHEMA[type(rule)]


def rule_file_json_schema() -> dict[str, Any]:
    """JSON Schema for a single rule file (one rule at the top level)."""
    return RULE_ADAPTER.json_schema(by_alias=True)


__all__ = [
    "KINDS", "KIND_NAMES", "RULE_ADAPTER", "Build", "CompiledRule", "Conditional",
    "ConditionalRule", "Existence", "ExistenceRule", "Metric", "MetricRule", "Python",
    "PythonRule", "Required", "RequiredRule", "Substitution", "SubstitutionRule", "Swap",
    "Threshold", "check_captures", "kind_of", "rule_file_json_schema",
]
