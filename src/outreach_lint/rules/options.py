"""Rule options, typed: each rule declares its options (name, default, meaning) and the
config's `[rules.<id>]` table is checked against them like any other schema.

The default's type is the option's type, so `words-warning = "many"` is an error that names
the rule and the option, and a misspelt option gets a did-you-mean.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ConfigDict, Field, ValidationError, create_model

from ..errors import ConfigError
from .schema import OptionSpec, RuleBase

#: Keys of `[rules.<id>]` that are not options of the rule.
RESERVED = frozenset({"severity"})

_TYPES: dict[str, Any] = {
    "boolean": bool, "number": float, "string": str, "list of strings": list[str],
}


def options_model(rule: RuleBase) -> type[Any]:
    """A pydantic model of the rule's options (aliases are the option names, with hyphens)."""
    fields: dict[str, Any] = {}
    for n, (name, spec) in enumerate(rule.declared_options().items()):
        fields[f"o{n}"] = (_TYPES[spec.type_name], Field(spec.default, alias=name))
    return create_model(  # type: ignore[no-any-return]
        f"Options[{rule.id}]",
        __config__=ConfigDict(extra="forbid", strict=True, populate_by_name=False),
        **fields,
    )


def options_for(rule: RuleBase, settings: dict[str, Any], where: str = "") -> dict[str, Any]:
    """The rule's options with the config's settings over the defaults, checked."""
    declared = rule.declared_options()
    given = {k: v for k, v in settings.items() if k not in RESERVED}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ConfigError(f"{where}key 'rules.{rule.id}': {_unknown(unknown, declared, rule.id)}")
    try:
        model = options_model(rule).model_validate(given)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "?"
        expected = declared[name].type_name if name in declared else "a valid value"
        raise ConfigError(
            f"{where}key 'rules.{rule.id}.{name}': expected a {expected}, got"
            f" {err.get('input')!r}"
        ) from None
    return dict(model.model_dump(by_alias=True))


def _unknown(names: list[str], declared: dict[str, OptionSpec], rule_id: str) -> str:
    hints = [difflib.get_close_matches(n, sorted(declared), n=1, cutoff=0.6) for n in names]
    did = "".join(f" (did you mean {h[0]!r}?)" for h in hints if h)
    allowed = ", ".join(sorted(declared)) or "none"
    return f"unknown option(s) {', '.join(names)}{did} (options of {rule_id}: {allowed})"
