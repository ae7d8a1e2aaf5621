"""Generate docs/rules/*.md from rule metadata and docs/schema/*.json from the models.

    python -m outreach_lint.docs            # write
    python -m outreach_lint.docs --check    # exit 1 if anything is out of date (CI)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .catalog import RuleInfo, rules
from .config import Config
from .packs import BUILTIN_PACK, builtin_packs_dir, load_pack
from .schemas import json_schemas


def _quote(text: str) -> str:
    return "```text\n" + text.strip("\n") + "\n```"


def rule_page(rule: RuleInfo) -> str:
    out = [f"# {rule.id}", ""]
    out += [f"- Category: `{rule.category}`", f"- Default severity: `{rule.default_severity.value}`",
            f"- Kind: `{rule.kind}`", f"- Pack: `{rule.pack}`", ""]
    out += ["## What it does", "", rule.message, "", rule.what_it_does, ""]
    out += ["## Why is this bad?", "", rule.why, ""]
    out += ["Sources:", ""]
    out += [f"- [{s.title}]({s.url})" if s.url else f"- {s.title}" for s in rule.sources]
    out += ["", "## Example", ""]
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
    if rule.options:
        for o in rule.options:
            meaning = f": {o.description}" if o.description else ""
            out.append(f"- `{o.name}` ({o.type}, default `{_value(o.default)}`){meaning}")
        out += ["", f"Set them in `[rules.{rule.id}]` of `.outreach-lint.toml`.", ""]
    else:
        out += ["No options. Set `severity` in `[rules." + rule.id + "]`, or add it to"
                " `ignore`.", ""]
    return "\n".join(out).rstrip() + "\n"


def _value(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return json.dumps(v, ensure_ascii=False) if isinstance(v, str | list) else str(v).lower()


def index_page(description: str, infos: list[RuleInfo]) -> str:
    rows = ["# Rules", "", description.strip(), "",
            "| id | category | severity | fix |", "|---|---|---|---|"]
    for rule in infos:
        fix = rule.fix.applicability.value if rule.fix else ""
        rows.append(f"| [{rule.id}]({rule.id}.md) | {rule.category} | {rule.default_severity.value}"
                    f" | {fix} |")
    return "\n".join(rows) + "\n"


def expected_files(root: Path) -> dict[Path, str]:
    pack = load_pack(builtin_packs_dir() / BUILTIN_PACK)
    infos = [r for r in rules(Config(extends=[BUILTIN_PACK])) if r.pack == pack.name]
    files = {root / "docs" / "rules" / "index.md": index_page(pack.manifest.description, infos)}
    for rule in infos:
        files[root / "docs" / "rules" / f"{rule.id}.md"] = rule_page(rule)
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
