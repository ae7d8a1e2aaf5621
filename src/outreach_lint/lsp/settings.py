"""Editor settings: the config-file keys, sent by the client, merged over the project config.

Clients send settings three ways: `initializationOptions`, `workspace/didChangeConfiguration`
and answers to `workspace/configuration`. Each may hold our keys under an "outreach-lint"
key or at the top level. The keys are those of `.outreach-lint.toml` (select, ignore,
profile, rules, ...), so a setting reads the same in a config file and in an editor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..config import Config, did_you_mean, merge_settings

SECTION = "outreach-lint"
_SECTION_ALIASES = (SECTION, "outreach_lint", "outreachLint")
_HYPHEN_KEYS = {"fail_under": "fail-under", "fail_on": "fail-on", "max_chars": "max-chars",
                "failUnder": "fail-under", "failOn": "fail-on", "maxChars": "max-chars",
                "time_budget": "time-budget", "timeBudget": "time-budget"}
_KNOWN_KEYS = frozenset(
    {"extends", "packs", "select", "ignore", "profile", "fail-under", "fail-on", "rules",
     "model", "max-chars", "time-budget"}
)


class SettingsError(ValueError):
    """Editor settings that cannot be used; the message names the key."""


def extract(payload: Any) -> dict[str, Any] | None:
    """Our settings in a client payload, or None when it carries none.

    `{"outreach-lint": {...}}` and a bare `{...}` are both accepted: the first is what
    VS Code-style clients send, the second what Helix and Neovim users often write.
    """
    if payload is None:
        return None
    if not isinstance(payload, dict):
        raise SettingsError(f"settings must be an object of keys, got {type(payload).__name__}")
    for key in _SECTION_ALIASES:
        if key in payload:
            inner = payload[key]
            if inner is None:
                return {}
            if not isinstance(inner, dict):
                raise SettingsError(f"{key!r} must be an object of keys, got "
                                    f"{type(inner).__name__}")
            return dict(inner)
    return dict(payload)


def normalise(raw: dict[str, Any], root: Path | None) -> dict[str, Any]:
    """Check the keys and value shapes and make pack paths absolute (relative to `root`)."""
    data = {_HYPHEN_KEYS.get(k, k): v for k, v in raw.items()}
    unknown = sorted(k for k in data if k not in _KNOWN_KEYS)
    if unknown:
        raise SettingsError(
            f"unknown key {unknown[0]!r}{did_you_mean(unknown[0], sorted(_KNOWN_KEYS))};"
            f" expected one of: {', '.join(sorted(_KNOWN_KEYS))}"
        )
    for key in ("select", "ignore", "packs", "extends"):
        value = data.get(key)
        if key in data and not (isinstance(value, list)
                                and all(isinstance(v, str) for v in value)):
            raise SettingsError(f"key {key!r}: expected a list of strings, got {value!r}")
    if any(item.endswith(".toml") for item in data.get("extends", [])):
        raise SettingsError(
            "key 'extends': config files can only be extended from a config file; put the"
            " .toml path in .outreach-lint.toml, and pack names here"
        )
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or any(not isinstance(v, dict) for v in rules.values()):
        raise SettingsError(
            'key \'rules\': expected one object per rule id, like {"job-ask": {"severity":'
            ' "warning"}}'
        )
    if "packs" in data:
        base = root or Path.cwd()
        data["packs"] = [str((base / Path(p).expanduser()).resolve()) for p in data["packs"]]
    validate(data)
    return data


def validate(settings: dict[str, Any]) -> Config:
    """The default config with `settings` over it; raises `SettingsError` naming the key."""
    try:
        return Config().merged(settings)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            problems.append(f"key {key!r}: {msg}")
        raise SettingsError("; ".join(problems)) from None


# Editor settings merge exactly like config files do.
merge = merge_settings
