"""Configuration: one model for the library, CLI, hooks and language server.

Found in `.outreach-lint.toml` or `[tool.outreach-lint]` in `pyproject.toml`, searched upward
from the linted file. `extends` names other config files (merged first) or rule packs.
Merging: later wins per key, lists are replaced, tables (`rules.<id>`) are merged key by key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .bounded import DEFAULT_BUDGET
from .draft import DEFAULT_MAX_CHARS
from .errors import ConfigError
from .models import Severity

CONFIG_FILENAME = ".outreach-lint.toml"
PYPROJECT = "pyproject.toml"
TOOL_KEY = "outreach-lint"


class Config(BaseModel):
    """Settings for a lint run. Every key is optional; defaults lint with the built-in pack."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    extends: list[str] = Field(
        default_factory=list,
        description="Config files (paths ending in .toml) merged before this one, or pack names.",
    )
    packs: list[str] = Field(
        default_factory=list, description="Extra pack folders; their rules override same ids."
    )
    select: list[str] = Field(
        default_factory=lambda: ["ALL"], description="Rule ids or categories to run, or ALL."
    )
    ignore: list[str] = Field(default_factory=list, description="Rule ids or categories to skip.")
    profile: str | None = Field(None, description="A profile of the pack (default: the pack's).")
    fail_under: int | None = Field(
        None, alias="fail-under", ge=0, le=100, description="Hooks block below this score."
    )
    fail_on: Severity = Field(
        Severity.ERROR, alias="fail-on", description="Hooks block on findings at this level."
    )
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Per-rule settings: `severity` and the rule's options.",
    )
    model: str | None = Field(None, description="spaCy pipeline, e.g. en_core_web_sm.")
    max_chars: int = Field(DEFAULT_MAX_CHARS, alias="max-chars", ge=1000)
    time_budget: float = Field(
        DEFAULT_BUDGET, alias="time-budget", gt=0, le=3600,
        description="Seconds a draft's matching may take; past it the draft gets a"
        " lint-timeout finding instead of a report.",
    )
    medium: Literal["auto", "email", "linkedin-note"] = Field(
        "auto", description="What `fix` writes for: an email, or a LinkedIn connection note"
        " (300 characters); auto tells them apart by shape.",
    )
    root: Path | None = Field(None, exclude=True, description="Folder relative paths resolve in.")

    def cache_key(self) -> str:
        return self.model_dump_json(by_alias=True) + str(self.root)

    def merged(self, other: dict[str, Any]) -> Config:
        """A new config with `other`'s keys over this one's."""
        return Config.model_validate({**merge_settings(self.as_dict(), other), "root": self.root})

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude={"root"}, exclude_unset=True)


def merge_settings(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over`'s keys win; lists are replaced; `rules` tables merge per rule id and key.

    The one merge used for `extends`, `Config.merged` and editor settings.
    """
    out = dict(base)
    for key, value in over.items():
        if key == "rules" and isinstance(value, dict) and isinstance(out.get(key), dict):
            rules = {k: dict(v) for k, v in out[key].items()}
            for rid, settings in value.items():
                rules[rid] = {**rules.get(rid, {}), **settings}
            out[key] = rules
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_config(path: Path | str, _seen: tuple[Path, ...] = ()) -> Config:
    """Load a config file (.outreach-lint.toml or pyproject.toml), following `extends`."""
    path = Path(path).expanduser().resolve()
    if path in _seen:
        chain = " -> ".join(str(p) for p in (*_seen, path))
        raise ConfigError(f"config files extend each other in a loop: {chain}")
    raw = _read_toml(path)
    if path.name == PYPROJECT:
        raw = raw.get("tool", {}).get(TOOL_KEY, {})
    data = _normalise(raw, path)
    merged: dict[str, Any] = {}
    packs_from_extends: list[str] = []
    for item in data.get("extends", []):
        if item.endswith(".toml"):
            parent = load_config(path.parent / Path(item).expanduser(), (*_seen, path))
            merged = merge_settings(merged, _absolute_packs(parent))
        else:
            packs_from_extends.append(item)
    merged = merge_settings(merged, data)
    merged["extends"] = packs_from_extends
    try:
        return Config.model_validate({**merged, "root": path.parent})
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path)) from None


def _absolute_packs(cfg: Config) -> dict[str, Any]:
    """Pack folders named in a parent config resolve relative to that config's folder."""
    data = cfg.as_dict()
    if cfg.root is not None and "packs" in data:
        data["packs"] = [str((cfg.root / p).resolve()) for p in data["packs"]]
    return data


def _normalise(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    """Accept both `fail-under` and `fail_under`; check the value types of tables."""
    data = {k.replace("_", "-") if k in ("fail_under", "max_chars", "fail_on", "time_budget") else k: v
            for k, v in raw.items()}
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or any(not isinstance(v, dict) for v in rules.values()):
        raise ConfigError(f"{path}: [rules] must hold one table per rule id, like [rules.job-ask]")
    if "packs" in data and isinstance(data["packs"], list):
        data["packs"] = [str((path.parent / Path(p).expanduser()).resolve())
                         if isinstance(p, str) else p for p in data["packs"]]
    return data


def _describe(exc: ValidationError, path: Path | None) -> str:
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key" + did_you_mean(str(err["loc"][-1]), config_keys())
        lines.append(f"{path or 'config'}: key {key!r}: {msg}")
    return "; ".join(lines)


def config_keys() -> list[str]:
    """The keys a config file takes, as spelt there (`fail-under`, not `fail_under`)."""
    return sorted(info.alias or name for name, info in Config.model_fields.items()
                  if name != "root")


def did_you_mean(name: str, options: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def discover(start: Path | str) -> Path | None:
    """The nearest config file at or above `start` (a file or folder), or None."""
    here = Path(start).expanduser().resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            # A pyproject.toml that does not parse may hold our table: linting with the
            # defaults instead would silently ignore the user's settings, so it is an error.
            data = _read_toml(pyproject)
            if TOOL_KEY in data.get("tool", {}):
                return pyproject
    return None


def resolve(config: Config | dict[str, Any] | str | Path | None, near: Path | None) -> Config:
    """Turn any accepted config argument into a `Config`."""
    if isinstance(config, Config):
        return config
    if isinstance(config, dict):
        try:
            return Config.model_validate(_normalise(config, Path("<dict>")))
        except ValidationError as exc:
            raise ConfigError(_describe(exc, None)) from None
    if isinstance(config, str | Path):
        return load_config(config)
    if near is not None:
        found = discover(near)
        if found is not None:
            return load_config(found)
    return Config()


STARTER = """\
# outreach-lint configuration. Every key is optional.
# Docs: docs/configuration.md

# Extra rule packs (folders with pack.yaml); a rule with the same id overrides the built-in.
# packs = ["./my-pack"]

# Rule ids or categories (framing, ask, fallback, meeting, tone, length, format).
select = ["ALL"]
ignore = []

# "default" follows the seed post; "strict" also makes soft advice warnings.
# profile = "default"

# Pre-send hooks block when the score is below this, or on error findings.
fail-under = 60

# [rules.missing-no-expectation]
# severity = "info"     # some career centres advise never mentioning jobs at all

# [rules.too-long]
# words-warning = 150
# words-error = 250
"""
