"""Rule metadata as public, typed values: `rules(config)` describes every rule a config loads.

The CLI (`rules`, `explain`), the language server's hover, SARIF output and the docs generator
all read rules through here, so none of them reaches into the engine or guesses fields.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from .config import Config, resolve
from .models import Applicability, Severity
from .rules.schema import OptionValue

if TYPE_CHECKING:
    from .engine import RuleSet


class _Info(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class SourceInfo(_Info):
    """Where a rule's advice comes from: a title, and an address when the pack gives one."""

    title: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.title} <{self.url}>" if self.url else self.title


class OptionInfo(_Info):
    """An option a rule takes in `[rules.<id>]`: its type, default and meaning."""

    name: str
    type: str = Field(description="boolean, number, string or list of strings")
    default: OptionValue
    description: str = ""


class FixInfo(_Info):
    title: str
    applicability: Applicability
    why_safe: str = ""


class FixExampleInfo(_Info):
    input: str
    output: str


class ExamplesInfo(_Info):
    fail: tuple[str, ...] = Field(description="Drafts the rule flags.")
    pass_: tuple[str, ...] = Field(alias="pass", description="Drafts it does not flag.")
    fix: tuple[FixExampleInfo, ...] = ()


class RuleInfo(_Info):
    """What a rule is, as loaded by one config: `outreach-lint rules --format json` prints these."""

    id: str
    kind: str
    what_it_does: str = Field(description="What a rule of this kind flags, in a sentence.")
    category: str
    severity: Severity = Field(description="The severity under this config (profile, overrides).")
    default_severity: Severity = Field(description="The severity the rule file gives.")
    enabled: bool = Field(description="Whether this config runs the rule.")
    message: str
    why: str
    sources: tuple[SourceInfo, ...]
    fix: FixInfo | None = None
    examples: ExamplesInfo
    options: tuple[OptionInfo, ...] = ()
    profiles: tuple[str, ...] = Field((), description="Profiles it is on in; empty means all.")
    pack: str
    path: str = Field(description="The rule file.")
    docs_url: str | None = None

    @property
    def source_text(self) -> str:
        return "; ".join(str(s) for s in self.sources)


ConfigArg = Config | dict[str, Any] | str | Path | None


def rules(config: ConfigArg = None, *, near: str | os.PathLike[str] | None = None) -> list[RuleInfo]:
    """Every rule the config loads (enabled or not), sorted by id.

    `config` is what `lint()` takes; when omitted, the nearest config file above `near` is
    used (or the defaults). Raises `ConfigError` / `PackError` for a broken config or pack.
    """
    from .engine import ruleset_for

    cfg = resolve(config, Path(near) if near is not None else None)
    rs = ruleset_for(cfg)
    cached = rs.infos
    if cached is None:
        cached = rs.infos = _describe(rs)
    return list(cached)


def _describe(rs: RuleSet) -> list[RuleInfo]:
    from .rules.kinds import kind_of

    enabled = {r.id: r.severity for r in rs.rules}
    sources = {key: ref for pack in rs.packs for key, ref in pack.manifest.sources.items()}
    out = []
    for rid, (rule, path, pack) in sorted(rs.all_rules.items()):
        if isinstance(rule.source, list):
            srcs = tuple(SourceInfo(title=sources[k].title, url=sources[k].url)
                         for k in rule.source)
        else:
            srcs = (SourceInfo(title=rule.source.strip()),)
        out.append(RuleInfo(
            id=rid, kind=rule.kind_name, what_it_does=kind_of(rule).doc(rule),
            category=rule.category, severity=enabled.get(rid, rule.severity),
            default_severity=rule.severity, enabled=rid in enabled,
            message=rule.message, why=rule.why.strip(), sources=srcs,
            fix=FixInfo(title=rule.fix.title, applicability=rule.fix.applicability,
                        why_safe=rule.fix.why_safe.strip()) if rule.fix else None,
            examples=ExamplesInfo(
                fail=tuple(rule.examples.fail_drafts), pass_=tuple(rule.examples.pass_),
                fix=tuple(FixExampleInfo(input=e.input, output=e.output)
                          for e in rule.examples.fix),
            ),
            options=tuple(OptionInfo(name=name, type=spec.type_name, default=spec.default,
                                     description=spec.description)
                          for name, spec in rule.declared_options().items()),
            profiles=tuple(rule.profiles), pack=pack.name, path=str(path),
            docs_url=pack.manifest.docs_link(rid),
        ))
    return out


class RulesEntry:
    """`outreach_lint.rules`: call it for the rule descriptions; it is also the package.

    `outreach_lint.rules` has long been the subpackage that holds the rule kinds, and code
    (tests, `monkeypatch.setattr("outreach_lint.rules.detect.X", ...)`, `import
    outreach_lint.rules.detect as detect`) reaches it through the package attribute. The
    public function needs the same name, so this object is callable and hands every other
    attribute to the subpackage.
    """

    __doc__ = rules.__doc__

    def __call__(self, config: ConfigArg = None, *,
                 near: str | os.PathLike[str] | None = None) -> list[RuleInfo]:
        return rules(config, near=near)

    def __getattr__(self, name: str) -> Any:
        package = _package()
        try:
            return getattr(package, name)
        except AttributeError:
            if name.startswith("__"):
                raise
            return importlib.import_module(f"{package.__name__}.{name}")

    def __dir__(self) -> list[str]:
        return sorted(set(dir(_package())) | {"__call__"})

    def __repr__(self) -> str:
        return "<function outreach_lint.rules(config=None, *, near=None)>"


def _package() -> ModuleType:
    return importlib.import_module("outreach_lint.rules")
