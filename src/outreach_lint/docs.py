"""Generate docs/rules/*.md from rule metadata and docs/schema/*.json from the models.

    python -m outreach_lint.docs            # write
    python -m outreach_lint.docs --check    # exit 1 if anything is out of date (CI)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .packs import BUILTIN_PACK, Pack, builtin_packs_dir, load_pack
from .rules.schema import (
    ConditionalRule,
    ExistenceRule,
    MetricRule,
    RequiredRule,
    RuleBase,
    SubstitutionRule,
)
from .schemas import json_schemas

KIND_TEXT = {
    ExistenceRule: "Flags each sentence or phrase that matches.",
    RequiredRule: "Flags a draft that lacks this element, at the place the text belongs.",
    ConditionalRule: "Flags a draft that has the first element without the second.",
    MetricRule: "Flags a draft whose measure crosses a threshold.",
    SubstitutionRule: "Flags a phrase and offers replacements.",
}


def _quote(text: str) -> str:
    return "```text\n" + text.strip("\n") + "\n```"


def rule_page(rule: RuleBase, pack: Pack) -> str:
    out = [f"# {rule.id}", ""]
    out += [f"- Category: `{rule.category}`", f"- Default severity: `{rule.severity.value}`",
            f"- Kind: `{getattr(rule, 'kind', '')}`",
            f"- Pack: `{pack.name}`", ""]
    out += ["## What it does", "", rule.message, "", KIND_TEXT.get(type(rule), ""), ""]
    out += ["## Why is this bad?", "", rule.why.strip(), "", f"Source: {rule.source}", ""]
    out += ["## Example", ""]
    for ex in rule.examples.fail[:2]:
        out += [_quote(ex), ""]
    out += ["## Use instead", ""]
    for ex in rule.examples.pass_[:2]:
        out += [_quote(ex), ""]
    out += ["## Fix safety", ""]
    if rule.fix is None:
        out += ["This rule has no automatic fix.", ""]
    else:
        out += [f"Fix: *{rule.fix.title}* (`{rule.fix.applicability.value}`).", ""]
        if rule.fix.why_safe:
            out += [rule.fix.why_safe, ""]
        for case in rule.examples.fix[:1]:
            out += ["Before:", "", _quote(case.input), "", "After:", "", _quote(case.output), ""]
    out += ["## Options", ""]
    if isinstance(rule, MetricRule):
        out += [f"Measures `{rule.metric}`. Thresholds (first that holds wins):", ""]
        for th in rule.thresholds:
            key = f"{rule.metric}-{th.severity.value}"
            out.append(f"- `{key}` = {th.value:g} ({th.op}, {th.severity.value})")
        out.append("")
    if rule.options:
        for k, v in rule.options.items():
            out.append(f"- `{k}` (default: `{v!r}`)")
        out.append("")
    if not rule.options and not isinstance(rule, MetricRule):
        out += ["No options. Set `severity` in `[rules." + rule.id + "]`, or add it to"
                " `ignore`.", ""]
    else:
        out += [f"Set them in `[rules.{rule.id}]` of `.outreach-lint.toml`.", ""]
    return "\n".join(out).rstrip() + "\n"


def index_page(pack: Pack) -> str:
    rows = ["# Rules", "", pack.manifest.description.strip(), "",
            "| id | category | severity | fix |", "|---|---|---|---|"]
    for rid, (rule, _) in sorted(pack.rules.items()):
        fix = rule.fix.applicability.value if rule.fix else ""
        rows.append(f"| [{rid}]({rid}.md) | {rule.category} | {rule.severity.value} | {fix} |")
    return "\n".join(rows) + "\n"


def expected_files(root: Path) -> dict[Path, str]:
    pack = load_pack(builtin_packs_dir() / BUILTIN_PACK)
    files = {root / "docs" / "rules" / "index.md": index_page(pack)}
    for rid, (rule, _) in pack.rules.items():
        files[root / "docs" / "rules" / f"{rid}.md"] = rule_page(rule, pack)
    for name, schema in json_schemas().items():
        files[root / "docs" / "schema" / name] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate or check docs/rules and docs/schema.")
    ap.add_argument("--check", action="store_true", help="fail if generated files are stale")
    ap.add_argument("--root", type=Path, default=Path.cwd())
    args = ap.parse_args(argv)
    files = expected_files(args.root)
    stale = [p for p, text in files.items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    known = {p.name for p in files if p.parent.name == "rules"}
    extra = [p for p in (args.root / "docs" / "rules").glob("*.md") if p.name not in known]
    if args.check:
        for p in stale:
            print(f"out of date: {p.relative_to(args.root)}", file=sys.stderr)
        for p in extra:
            print(f"no rule for: {p.relative_to(args.root)}", file=sys.stderr)
        if stale or extra:
            print("run: python -m outreach_lint.docs", file=sys.stderr)
            return 1
        print(f"docs up to date ({len(files)} files)")
        return 0
    for p in extra:
        p.unlink()
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(files[p], encoding="utf-8")
    print(f"wrote {len(stale)} of {len(files)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
