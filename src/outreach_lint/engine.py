"""Compile packs + config into a `RuleSet` once, and run it over drafts."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from .bounded import Deadline, run_in_child
from .config import Config
from .draft import Draft
from .errors import ConfigError, PackError
from .models import DraftStats, Finding, Notice, Severity
from .nlp import Analysis, get_nlp
from .packs import (
    BUILTIN_PACK,
    Pack,
    builtin_packs_dir,
    find_pack,
    read_pack_cached,
    with_line,
)
from .rules.context import Context
from .rules.detect import CompiledSpec, MatcherBank, Where, compile_spec
from .rules.kinds import Build, CompiledRule, check_captures, kind_of
from .rules.options import options_for
from .rules.schema import Detector, RuleBase

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .catalog import RuleInfo
    from .rulecache import RegexFacts


@dataclass
class RuleSet:
    """Every enabled rule of a config, compiled: one matcher bank, shared detectors."""

    config: Config
    packs: list[Pack]
    rules: list[CompiledRule]
    all_rules: dict[str, tuple[RuleBase, Path, Pack]]
    bank: MatcherBank
    categories: dict[str, float] = field(default_factory=dict)
    # (path, mtime) of the packs' folders and files when compiled: the cheap staleness check.
    stamps: tuple[tuple[str, int], ...] = ()
    checked_at: float = 0.0  # time.monotonic() of the last staleness check
    # Every pack ships with outreach-lint (bounded, see rules/bounds.py); set when compiled.
    builtin_only: bool = False
    #: The public descriptions of the rules (catalog.rules), made on first request.
    infos: list[RuleInfo] | None = None

    def run(self, draft: Draft, doc: Doc | None = None,
            deadline: Deadline | None = None) -> tuple[list[Finding], Context]:
        analysis = Analysis(draft, self.config.model, doc)
        ctx = Context(draft, analysis)
        ctx.deadline = deadline
        ctx.raw_hits = self.bank.run(ctx)
        findings: list[Finding] = []
        for rule in self.rules:
            if deadline is not None:
                deadline.check(f"before rule {rule.id!r}")
            findings.extend(rule.check(ctx))
        findings.sort(key=lambda f: (f.span.start, f.span.end, f.rule_id))
        return findings, ctx

    def run_bounded(self, draft: Draft, doc: Doc | None, budget: float
                    ) -> tuple[list[Finding], DraftStats, Notice | None]:
        """`run` within `budget` seconds, or `BudgetExceeded`.

        A user pack's matching runs in a child process that is killed at the budget; the
        built-in pack's runs here, where its regexes and the rule loop honour the deadline.
        """

        def work() -> tuple[list[Finding], DraftStats, Notice | None]:
            findings, ctx = self.run(draft, doc, Deadline(budget))
            return findings, ctx.stats, ctx.analysis.notice

        if self.builtin_only:
            return work()
        # The child's own deadline fires first where it can (naming the slow rule); the
        # kill is for work that cannot look at a clock, such as a matcher call.
        return run_in_child(work, budget * 1.1 + 0.2)


_lock = threading.Lock()
_cache: dict[str, RuleSet] = {}


def ruleset_for(config: Config) -> RuleSet:
    """The compiled rule set for a config, cached (editors and batch runs reuse it)."""
    key = _key_of(config)
    cached = _cache.get(key)
    if cached is not None and not _stale(cached):
        return cached
    with _lock:
        built = compile_ruleset(config)
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = built
    return built


_keys: dict[int, tuple[Config, str]] = {}


def _key_of(config: Config) -> str:
    """`config.cache_key()`, computed once per config object (a JSON dump per lint adds up)."""
    known = _keys.get(id(config))
    if known is not None and known[0] is config:
        return known[1]
    key = config.cache_key()
    if len(_keys) > 256:
        _keys.clear()
    _keys[id(config)] = (config, key)  # holding the config keeps its id from being reused
    return key


#: Seconds between checks of the built-in packs' files: they change only when outreach-lint
#: itself is edited or upgraded. A user's packs are checked on every lint.
BUILTIN_RECHECK = 1.0


def _stale(rs: RuleSet) -> bool:
    now = time.monotonic()
    if rs.builtin_only and now - rs.checked_at < BUILTIN_RECHECK:
        return False
    if rs.stamps and all(_mtime(path) == t for path, t in rs.stamps):
        # No pack folder changed (so no file came or went) and no file was edited.
        rs.checked_at = now
        return False
    return any(read_pack_cached(p.path)[0] is not p for p in rs.packs)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _stamps(packs: list[Pack]) -> tuple[tuple[str, int], ...]:
    from .rulecache import pack_files

    paths = [str(f) for p in packs for f in (p.path, p.path / "rules", *pack_files(p.path))]
    return tuple((f, _mtime(f)) for f in paths)


def _builtin_only(packs: list[Pack]) -> bool:
    base = builtin_packs_dir().resolve()
    return all(p.path.resolve().is_relative_to(base) for p in packs)


def pack_paths(config: Config) -> list[Path]:
    base = config.root
    names = config.extends or [BUILTIN_PACK]
    return [find_pack(n, base) for n in names] + [find_pack(p, base) for p in config.packs]


def compile_ruleset(config: Config) -> RuleSet:
    # Every problem of every pack is reported at once: schema errors from reading the packs,
    # then what only shows when the rules compile (patterns, references).
    errors: list[PackError] = []
    packs = []
    for path in pack_paths(config):
        pack, problems = read_pack_cached(path)
        packs.append(pack)
        errors.extend(problems)
    nlp, _ = get_nlp(config.model)
    facts = _facts_for(packs, config)
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
    errors.extend(check_references(packs, all_rules, categories))
    bank = MatcherBank(nlp, classes, facts=facts)
    enabled = _enabled(config, packs, all_rules)
    # A typo in a rule's options is an error even when the rule is off.
    options = {rid: options_for(rule, config.rules.get(rid, {}), _where(config))
               for rid, (rule, _, _) in all_rules.items()}
    detectors: dict[str, CompiledSpec] = {}
    try:
        detectors = _compile_detectors(bank, detectors_src)
    except PackError as exc:
        errors.extend(with_line(e) for e in exc.problems)
    rules: list[CompiledRule] = []
    for rid, (rule, path, pack) in all_rules.items():
        try:
            _check_captures(bank, rule, str(path))
            sev = enabled.get(rid)
            if sev is not None:
                rules.append(_compile_rule(bank, rule, path, pack, sev, options[rid], detectors))
        except PackError as exc:
            errors.extend(with_line(e) for e in exc.problems)
    if errors:
        raise PackError.combine(errors)
    if facts is not None:
        facts.save()
    return RuleSet(config, packs, rules, all_rules, bank, categories, _stamps(packs),
                   time.monotonic(), _builtin_only(packs))


def _facts_for(packs: list[Pack], config: Config) -> RegexFacts | None:
    """The disk cache of this rule set's regex facts (rulecache.py), or None when it is off."""
    from .rulecache import RegexFacts, cache_dir, ruleset_key

    if cache_dir() is None:
        return None
    try:
        key = ruleset_key([p.path for p in packs], config.cache_key(), [config.model or ""])
    except OSError:
        return None  # a pack file vanished since it was read: compile without the cache
    return RegexFacts.load(key)


_CAPTURE_FLAGS = int(regex.VERSION0)  # how fixes.CaptureSet compiles captures


def _check_captures(bank: MatcherBank, rule: RuleBase, path: str) -> None:
    """`check_captures`, skipped when an earlier process compiled and probed them all."""
    captures = list(rule.fix.captures.values()) if rule.fix else []
    facts = bank.facts
    if facts is not None and all(facts.get(src, _CAPTURE_FLAGS) is not None for src in captures):
        return
    check_captures(rule, path)
    if facts is not None:
        for src in captures:
            facts.put(src, _CAPTURE_FLAGS, ())


def check_references(packs: list[Pack], rules: dict[str, tuple[RuleBase, Path, Pack]],
                     categories: dict[str, float]) -> list[PackError]:
    """What packs name must exist: categories, profile entries, rule profiles.

    Checked over all the config's packs together, since a user pack may refer to the
    built-in pack's rules and categories. Each error points at the line that names it.
    """
    out: list[PackError] = []
    profiles = {name for pack in packs for name in pack.manifest.profiles}
    cats = set(categories)
    for rid, (rule, path, _) in rules.items():
        if rule.category not in cats:
            hint = _closest(rule.category, cats)
            out.append(PackError(
                f"category {rule.category!r} is not defined"
                + (f" (did you mean {hint!r}?)" if hint else "")
                + f"; defined: {', '.join(sorted(cats)) or 'none'}. Add it under `categories:`"
                " in pack.yaml with its score weight", path=path, rule_id=rid, key="category"))
        for i, name in enumerate(rule.profiles):
            if name not in profiles:
                out.append(PackError(
                    f"unknown profile {name!r}; known: {', '.join(sorted(profiles))}",
                    path=path, rule_id=rid, key=f"profiles.{i}"))
    sources = {key for pack in packs for key in pack.manifest.sources}
    for rid, (rule, path, _) in rules.items():
        for i, key in enumerate(rule.source if isinstance(rule.source, list) else []):
            if key not in sources:
                hint = _closest(key, sources)
                out.append(PackError(
                    f"unknown source {key!r}" + (f" (did you mean {hint!r}?)" if hint else "")
                    + "; define it under `sources:` in pack.yaml with a title and an address",
                    path=path, rule_id=rid, key=f"source.{i}"))
    names = set(rules) | cats
    for pack in packs:
        manifest = pack.path / "pack.yaml"
        for pname, profile in pack.manifest.profiles.items():
            listed = [(f"profiles.{pname}.severity.{rid}", rid) for rid in profile.severity]
            listed += [(f"profiles.{pname}.ignore.{i}", n) for i, n in enumerate(profile.ignore)]
            for key, name in listed:
                if name not in names:
                    hint = _closest(name, names)
                    out.append(PackError(
                        f"profile {pname!r} names {name!r}, which is no rule or category"
                        + (f" (did you mean {hint!r}?)" if hint else ""), path=manifest, key=key))
    return [with_line(e) for e in out]


def _compile_detectors(
    bank: MatcherBank, sources: dict[str, tuple[Detector, Path]]
) -> dict[str, CompiledSpec]:
    done: dict[str, CompiledSpec] = {}

    def build(name: str, stack: tuple[str, ...]) -> CompiledSpec:
        if name in done:
            return done[name]
        det, path = sources[name]
        deps = [*det.use, *(det.clause.detector_names if det.clause else []),
                *(name for exc in det.exceptions for name in exc.use)]
        for dep in deps:
            if dep in stack:
                raise PackError(f"detectors use each other in a loop: {' -> '.join((*stack, dep))}",
                                path=path, key=f"{name}.use")
            if dep in sources:
                build(dep, (*stack, dep))
        done[name] = compile_spec(bank, f"detector:{name}", det, Where(str(path), name, name), done)
        return done[name]

    errors: list[PackError] = []
    for name in sources:
        try:
            build(name, (name,))
        except PackError as exc:
            errors.extend(exc.problems)
    if errors:
        raise PackError.combine(errors)
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
        hint = _closest(profile_name, set(known))
        raise ConfigError(f"{_where(config)}key 'profile': unknown profile {profile_name!r}"
                          + (f" (did you mean {hint!r}?)" if hint else "")
                          + f"; known: {', '.join(known)}")
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
    severity: Severity,
    options: dict[str, Any],
    detectors: dict[str, CompiledSpec],
) -> CompiledRule:
    return kind_of(rule).build(
        rule, Build(bank, detectors, str(path)), severity=severity,
        docs_url=pack.manifest.docs_link(rule.id), path=str(path), options=options,
        detectors=detectors,
    )
