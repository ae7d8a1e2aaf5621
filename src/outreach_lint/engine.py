"""Compile packs + config into a `RuleSet` once, and run it over drafts."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from .config import Config
from .draft import Draft
from .errors import ConfigError, PackError
from .models import Finding, Severity
from .nlp import Analysis, get_nlp
from .packs import BUILTIN_PACK, Pack, find_pack, load_pack_cached, with_line
from .rules.context import Context
from .rules.detect import CompiledSpec, MatcherBank, Where, compile_spec, times_out
from .rules.kinds import (
    KIND_TYPES,
    CompiledRule,
    Conditional,
    Existence,
    Python,
    Required,
    Substitution,
)
from .rules.registry import lookup

if TYPE_CHECKING:
    from spacy.tokens import Doc

from .rules.schema import (
    ConditionalRule,
    Detector,
    ExistenceRule,
    PythonRule,
    RequiredRule,
    RuleBase,
    SubstitutionRule,
)


@dataclass
class RuleSet:
    """Every enabled rule of a config, compiled: one matcher bank, shared detectors."""

    config: Config
    packs: list[Pack]
    rules: list[CompiledRule]
    all_rules: dict[str, tuple[RuleBase, Path, Pack]]
    bank: MatcherBank
    categories: dict[str, float] = field(default_factory=dict)

    def run(self, draft: Draft, doc: Doc | None = None) -> tuple[list[Finding], Context]:
        analysis = Analysis(draft, self.config.model, doc)
        ctx = Context(draft, analysis)
        ctx.raw_hits = self.bank.run(ctx)
        findings: list[Finding] = []
        for rule in self.rules:
            findings.extend(rule.check(ctx))
        findings.sort(key=lambda f: (f.span.start, f.span.end, f.rule_id))
        return findings, ctx


_lock = threading.Lock()
_cache: dict[str, RuleSet] = {}


def ruleset_for(config: Config) -> RuleSet:
    """The compiled rule set for a config, cached (editors and batch runs reuse it)."""
    key = config.cache_key()
    cached = _cache.get(key)
    if cached is not None and not _stale(cached):
        return cached
    with _lock:
        built = compile_ruleset(config)
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = built
    return built


def _stale(rs: RuleSet) -> bool:
    return any(load_pack_cached(p.path) is not p for p in rs.packs)


def pack_paths(config: Config) -> list[Path]:
    base = config.root
    names = config.extends or [BUILTIN_PACK]
    return [find_pack(n, base) for n in names] + [find_pack(p, base) for p in config.packs]


def compile_ruleset(config: Config) -> RuleSet:
    packs = [load_pack_cached(p) for p in pack_paths(config)]
    nlp, _ = get_nlp(config.model)
    classes: dict[str, list[str]] = {}
    detectors_src: dict[str, tuple[Detector, Path]] = {}
    all_rules: dict[str, tuple[RuleBase, Path, Pack]] = {}
    categories: dict[str, float] = {}
    for pack in packs:  # later packs override earlier ones, per class, detector and rule id
        classes.update(pack.classes)
        detectors_src.update(pack.detectors)
        categories.update(pack.manifest.categories)
        for rid, (rule, path) in pack.rules.items():
            all_rules[rid] = (rule, path, pack)
    bank = MatcherBank(nlp, classes)
    enabled = _enabled(config, packs, all_rules)
    for rid in config.rules:  # a typo in a rule's options is an error even when it is off
        _options(config, all_rules[rid][0])
    try:
        detectors = _compile_detectors(bank, detectors_src)
        rules = [
            _compile_rule(bank, rule, path, pack, config, sev, detectors)
            for rid, (rule, path, pack) in all_rules.items()
            if (sev := enabled.get(rid)) is not None
        ]
    except PackError as exc:
        raise with_line(exc) from None
    return RuleSet(config, packs, rules, all_rules, bank, categories)


def _options(config: Config, rule: RuleBase) -> dict[str, Any]:
    settings = {k: v for k, v in config.rules.get(rule.id, {}).items() if k != "severity"}
    unknown = set(settings) - set(rule.options)
    if unknown:
        allowed = ", ".join(sorted(rule.options)) or "none"
        raise ConfigError(
            f"{_where(config)}key 'rules.{rule.id}': unknown option(s) {', '.join(sorted(unknown))}"
            f" (options of {rule.id}: {allowed})"
        )
    return {**rule.options, **settings}


def _compile_detectors(
    bank: MatcherBank, sources: dict[str, tuple[Detector, Path]]
) -> dict[str, CompiledSpec]:
    done: dict[str, CompiledSpec] = {}

    def build(name: str, stack: tuple[str, ...]) -> CompiledSpec:
        if name in done:
            return done[name]
        det, path = sources[name]
        for dep in [*det.use, *(det.clause.detector_names if det.clause else [])]:
            if dep in stack:
                raise PackError(f"detectors use each other in a loop: {' -> '.join((*stack, dep))}",
                                path=path, key=f"{name}.use")
            if dep in sources:
                build(dep, (*stack, dep))
        done[name] = compile_spec(bank, f"detector:{name}", det, Where(str(path), name, name), done)
        return done[name]

    for name in sources:
        build(name, (name,))
    return done


def _enabled(
    config: Config, packs: list[Pack], rules: dict[str, tuple[RuleBase, Path, Pack]]
) -> dict[str, Severity]:
    """Rule id -> effective severity for every enabled rule; unknown ids are config errors."""
    ids = set(rules)
    cats = {r.category for r, _, _ in rules.values()}

    def check(names: list[str], key: str) -> None:
        for n in names:
            if n != "ALL" and n not in ids and n not in cats:
                hint = _closest(n, ids | cats)
                raise ConfigError(
                    f"{_where(config)}key {key!r}: unknown rule or category {n!r}"
                    + (f" (did you mean {hint!r}?)" if hint else "")
                )

    check(config.select, "select")
    check(config.ignore, "ignore")
    check(list(config.rules), "rules")
    profile_name = config.profile or packs[0].manifest.default_profile
    profile = None
    for pack in packs:
        if profile_name in pack.manifest.profiles:
            profile = pack.manifest.profiles[profile_name]
    if profile is None:
        known = sorted({p for pack in packs for p in pack.manifest.profiles})
        raise ConfigError(f"{_where(config)}key 'profile': unknown profile {profile_name!r};"
                          f" known: {', '.join(known)}")
    out: dict[str, Severity] = {}
    for rid, (rule, _, _) in rules.items():
        names = {rid, rule.category}
        if rule.profiles and profile_name not in rule.profiles:
            continue
        if "ALL" not in config.select and not names & set(config.select):
            continue
        # An explicit select of the id wins over a profile's ignore, never over `ignore`.
        if names & set(config.ignore) or (names & set(profile.ignore) and rid not in config.select):
            continue
        severity = profile.severity.get(rid, rule.severity)
        override = config.rules.get(rid, {}).get("severity")
        if override is not None:
            try:
                severity = Severity(override)
            except ValueError:
                raise ConfigError(
                    f"{_where(config)}key 'rules.{rid}.severity': expected error, warning or info,"
                    f" got {override!r}"
                ) from None
        out[rid] = severity
    return out


def _where(config: Config) -> str:
    return f"{config.root}: " if config.root else ""


def _closest(name: str, options: set[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.6)
    return found[0] if found else None


def _compile_rule(
    bank: MatcherBank,
    rule: RuleBase,
    path: Path,
    pack: Pack,
    config: Config,
    severity: Severity,
    detectors: dict[str, CompiledSpec],
) -> CompiledRule:
    options = _options(config, rule)
    docs = (pack.manifest.docs_url + rule.id) if pack.manifest.docs_url else None
    cls = KIND_TYPES[type(rule)]
    compiled = cls(schema=rule, severity=severity, docs_url=docs, path=str(path),
                   options=options, detectors=detectors)
    where = Where(str(path), rule.id, "match")
    if isinstance(compiled, Existence) and isinstance(rule, ExistenceRule):
        compiled.spec = compile_spec(bank, f"rule:{rule.id}", rule.match, where, detectors)
    elif isinstance(compiled, Required) and isinstance(rule, RequiredRule):
        compiled.spec = compile_spec(bank, f"rule:{rule.id}", rule.match, where, detectors)
        if rule.unless:
            compiled.unless = compile_spec(bank, f"rule:{rule.id}:unless", rule.unless,
                                           Where(str(path), rule.id, "unless"), detectors)
        if rule.only_if:
            compiled.only_if = compile_spec(bank, f"rule:{rule.id}:only_if", rule.only_if,
                                            Where(str(path), rule.id, "only_if"), detectors)
    elif isinstance(compiled, Conditional) and isinstance(rule, ConditionalRule):
        compiled.if_spec = compile_spec(bank, f"rule:{rule.id}:if", rule.if_,
                                        Where(str(path), rule.id, "if"), detectors)
        compiled.then_spec = compile_spec(bank, f"rule:{rule.id}:then", rule.then,
                                          Where(str(path), rule.id, "then"), detectors)
    elif isinstance(compiled, Substitution) and isinstance(rule, SubstitutionRule):
        for i, swap in enumerate(rule.swaps):
            pat = bank._compile_regex(swap.regex, Where(str(path), rule.id, f"swaps.{i}"), 0)
            compiled.patterns.append((pat, swap.replace))
    elif isinstance(compiled, Python) and isinstance(rule, PythonRule):
        func = lookup(rule.function)
        if func is None:
            raise PackError(
                f"no Python rule registered as {rule.function!r}: install the package that"
                f" provides it (entry-point group 'outreach_lint.rules')",
                path=path, rule_id=rule.id, key="function",
            )
        compiled.function = func
    if rule.fix:
        for name, src in rule.fix.captures.items():
            try:
                compiled_capture = regex.compile(src, regex.VERSION0)
            except regex.error as exc:
                raise PackError(f"capture regex does not compile: {exc}", path=path,
                                rule_id=rule.id, key=f"fix.captures.{name}") from None
            if times_out(compiled_capture):
                raise PackError(
                    "capture regex can backtrack catastrophically (nested quantifiers such as"
                    " '(a+)+'); rewrite it without a repeated group that itself repeats",
                    path=path, rule_id=rule.id, key=f"fix.captures.{name}",
                )
    return compiled
