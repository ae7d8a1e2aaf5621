"""Run a pack's own examples: `outreach-lint test-pack PATH` (sqlfluff's yaml test cases).

Every rule carries drafts it must flag (`fail`, optionally with the exact text each finding
underlines), drafts it must not flag (`pass`) and fix cases (`fix`: the exact output of
`fix --unsafe`). Each case runs with only that rule selected, on top of the config a user
would have: the built-in pack plus this one (a pack may use the built-in detectors).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .api import fix, lint
from .catalog import rules
from .config import Config
from .models import LineIndex
from .packs import Pack, builtin_packs_dir, load_pack, locate

CaseKind = Literal["fail", "pass", "fix"]


@dataclass(frozen=True)
class Case:
    """One example of one rule, located in its rule file."""

    rule_id: str
    kind: CaseKind
    index: int
    path: Path
    line: int | None

    @property
    def name(self) -> str:
        return f"{self.rule_id} {self.kind}[{self.index}]"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class Outcome:
    case: Case
    problem: str | None  # None when the example holds

    @property
    def ok(self) -> bool:
        return self.problem is None


def config_for_pack(pack_dir: Path) -> Config:
    """The config a user of this pack has: the built-in pack, then this pack over it."""
    pack_dir = pack_dir.resolve()
    builtin = builtin_packs_dir().resolve()
    if pack_dir.parent == builtin:
        return Config(extends=[pack_dir.name])
    return Config(packs=[str(pack_dir)])


def cases(pack: Pack, rule_id: str | None = None) -> list[Case]:
    out = []
    for rid, (rule, path) in sorted(pack.rules.items()):
        if rule_id is not None and rid != rule_id:
            continue
        prefix = _prefix(path, rid)
        counts = {"fail": len(rule.examples.fail), "pass": len(rule.examples.pass_),
                  "fix": len(rule.examples.fix)}
        for kind, n in counts.items():
            for i in range(n):
                out.append(Case(rid, kind, i, path,  # type: ignore[arg-type]
                                locate(path, (*prefix, "examples", kind, i))))
    return out


def _prefix(path: Path, rule_id: str) -> tuple[int | str, ...]:
    """Where a rule sits in its file: the top level, or one item of a `rules:` list."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("rules"), list):
        ids = [r.get("id") if isinstance(r, dict) else None for r in data["rules"]]
        if rule_id in ids:
            return ("rules", ids.index(rule_id))
    return ()


def run_case(pack: Pack, case: Case, base: Config) -> Outcome:
    rule, _ = pack.rules[case.rule_id]
    settings: dict[str, object] = {"select": [case.rule_id], "ignore": []}
    if rule.profiles:
        settings["profile"] = rule.profiles[0]
    cfg = base.merged(settings)
    if case.kind == "fix":
        fix_case = rule.examples.fix[case.index]
        got = fix(fix_case.input, unsafe=True, config=cfg).text
        if got == fix_case.output:
            return Outcome(case, None)
        diff = "".join(difflib.unified_diff(
            fix_case.output.splitlines(keepends=True), got.splitlines(keepends=True),
            "expected", "got"))
        return Outcome(case, f"the fix gives different text:\n{diff}")
    if case.kind == "pass":
        draft = rule.examples.pass_[case.index]
        report = lint(draft, config=cfg)
        hits = [f for f in report.findings if f.rule_id == case.rule_id]
        if not hits:
            return Outcome(case, None)
        return Outcome(case, "flagged, but it is a `pass` example: "
                       + "; ".join(_at(report.text, f.span.start, f.excerpt) for f in hits))
    example = rule.examples.fail[case.index]
    draft = example if isinstance(example, str) else example.draft
    report = lint(draft, config=cfg)
    hits = [f for f in report.findings if f.rule_id == case.rule_id]
    if not hits:
        return Outcome(case, "not flagged, but it is a `fail` example")
    if not isinstance(example, str):
        got_texts = [f.excerpt for f in hits]
        if got_texts != example.flagged:
            return Outcome(case, f"flagged {got_texts!r}, expected exactly {example.flagged!r}")
    return Outcome(case, None)


def _at(text: str, offset: int, excerpt: str) -> str:
    line, col = LineIndex(text).position(offset)
    return f"{line + 1}:{col + 1} {excerpt!r}"


def run_pack(pack_dir: Path, rule_id: str | None = None) -> tuple[Pack, list[Outcome]]:
    """Load the pack (raising `PackError` with every problem) and run all its examples."""
    base = config_for_pack(pack_dir)
    rules(base)  # compiles every rule with the packs it is used with: all problems at once
    pack = load_pack(pack_dir)
    return pack, [run_case(pack, c, base) for c in cases(pack, rule_id)]
