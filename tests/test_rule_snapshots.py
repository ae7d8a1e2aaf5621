"""Per-rule snapshots of what each rule reports on its own examples: positions, severity,
message, underlined text and every fix's edits (ruff-style snapshot tests).

The committed files are tests/snapshots/<rule-id>.yaml. A change in detection or fixes shows
up here as a diff to review; after reviewing it, update the files with

    OUTREACH_LINT_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_rule_snapshots.py

and commit them with the change.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

import outreach_lint as ol
from outreach_lint.packs import BUILTIN_PACK, builtin_packs_dir, load_pack
from outreach_lint.packtest import config_for_pack

SNAPSHOTS = Path(__file__).parent / "snapshots"
PACK_DIR = builtin_packs_dir() / BUILTIN_PACK
PACK = load_pack(PACK_DIR)
UPDATE = os.environ.get("OUTREACH_LINT_UPDATE_SNAPSHOTS") == "1"


def _pos(index: ol.LineIndex, offset: int) -> str:
    line, col = index.position(offset)
    return f"{line + 1}:{col + 1}"


def _span(index: ol.LineIndex, span: ol.Span) -> str:
    return f"{_pos(index, span.start)}-{_pos(index, span.end)}"


def snapshot(rule_id: str) -> dict[str, Any]:
    rule, _ = PACK.rules[rule_id]
    cfg = config_for_pack(PACK_DIR).merged({"select": [rule_id], "ignore": []})
    drafts = [(f"fail[{i}]", d) for i, d in enumerate(rule.examples.fail_drafts)]
    drafts += [(f"pass[{i}]", d) for i, d in enumerate(rule.examples.pass_)]
    drafts += [(f"fix[{i}]", c.input) for i, c in enumerate(rule.examples.fix)]
    out: dict[str, Any] = {}
    for name, draft in drafts:
        report = ol.lint(draft, config=cfg)
        index = ol.LineIndex(report.text)
        findings = []
        for f in report.findings:
            if f.rule_id != rule_id:
                continue
            findings.append({
                "at": _span(index, f.span), "severity": f.severity.value,
                "message": f.message, "text": f.excerpt,
                "fixes": [{"title": fx.title, "applicability": fx.applicability.value,
                           "edits": [f"{_span(index, e.span)} -> {e.replacement!r}"
                                     for e in fx.edits]} for fx in f.fixes],
            })
        out[name] = findings
    for i, case in enumerate(rule.examples.fix):
        out[f"fix[{i}] result"] = ol.fix(case.input, unsafe=True, config=cfg).text
    return out


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


@pytest.mark.parametrize("rule_id", sorted(PACK.rules))
def test_rule_snapshot(rule_id: str) -> None:
    path = SNAPSHOTS / f"{rule_id}.yaml"
    text = _dump(snapshot(rule_id))
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), (f"no snapshot for {rule_id}: run OUTREACH_LINT_UPDATE_SNAPSHOTS=1"
                            " python -m pytest tests/test_rule_snapshots.py and review it")
    assert text == path.read_text(encoding="utf-8"), (
        f"{rule_id} reports differently on its examples than tests/snapshots/{rule_id}.yaml;"
        " review the diff, then update with OUTREACH_LINT_UPDATE_SNAPSHOTS=1"
    )


def test_no_snapshot_without_a_rule() -> None:
    stale = {p.stem for p in SNAPSHOTS.glob("*.yaml")} - set(PACK.rules)
    assert not stale, f"snapshots of rules that no longer exist: {sorted(stale)}"
