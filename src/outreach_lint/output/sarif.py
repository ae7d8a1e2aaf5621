"""`--format sarif`: SARIF 2.1.0 for code-scanning UIs (GitHub, VS Code SARIF viewer).

Columns are counted in code points (`columnKind: unicodeCodePoints`), matching the spans.
For a message (.eml, mbox) the regions index the decoded text (`Report.text`), not the raw
file; each result says so in `properties.spansReferTo`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from ..catalog import RuleInfo
from ..models import Finding, LineIndex, Report, Severity, Span
from . import LintedFile, one_based

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    # An mbox message is shown as `box.mbox#2`; the artifact is the mbox file itself.
    return quote(path.split("#", 1)[0].replace("\\", "/"))


def _region(report: Report, index: LineIndex, span: Span,
            lines: tuple[int, ...] | None = None) -> dict[str, Any]:
    line, col = one_based(report, index, span.start, lines)
    end_line, end_col = one_based(report, index, span.end, lines)
    # SARIF's endColumn is exclusive, like our span end.
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def _result(lf: LintedFile, f: Finding, index: LineIndex, rule_index: int) -> dict[str, Any]:
    region = _region(lf.report, index, f.span, lf.lines)
    if f.excerpt:
        region["snippet"] = {"text": f.excerpt}
    uri = _uri(lf.path)
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "properties": {"category": f.category, "spansReferTo": lf.report.spans_refer_to,
                       "unit": lf.path},
    }
    fixes = [
        {
            "description": {"text": f"{fx.title} ({fx.applicability.value})"},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri},
                "replacements": [
                    {"deletedRegion": _region(lf.report, index, e.span),
                     "insertedContent": {"text": e.replacement}}
                    for e in fx.edits
                ],
            }],
        }
        for fx in f.fixes if fx.edits
    ]
    if fixes:
        result["fixes"] = fixes
    return result


def _descriptor(info: RuleInfo) -> dict[str, Any]:
    """A SARIF reportingDescriptor from the rule itself (not from whichever finding came first)."""
    rule: dict[str, Any] = {
        "id": info.id, "name": info.id,
        "shortDescription": {"text": _summary(info.message)},
        "fullDescription": {"text": info.why},
        "help": {"text": f"{info.why}\n\nSources: {info.source_text}"},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {"category": info.category, "kind": info.kind},
    }
    if info.docs_url:
        rule["helpUri"] = info.docs_url
    return rule


def _summary(message: str) -> str:
    # A metric rule's message has placeholders ("runs to {value} words"): name them.
    return message.replace("{value}", "N").replace("{limit}", "the limit")


def _from_finding(f: Finding) -> dict[str, Any]:
    # Only for findings no rule describes (the built-in `nothing-to-check`, `draft-too-large`).
    rule: dict[str, Any] = {"id": f.rule_id, "name": f.rule_id,
                            "shortDescription": {"text": f.message},
                            "defaultConfiguration": {"level": _LEVEL[f.severity]},
                            "properties": {"category": f.category}}
    if f.docs_url:
        rule["helpUri"] = f.docs_url
    return rule


def format_sarif(files: Sequence[LintedFile], version: str = "",
                 rule_infos: Sequence[RuleInfo] = ()) -> str:
    known = {r.id: r for r in rule_infos}
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for lf in files:
        index = LineIndex(lf.report.text)
        for f in lf.report.findings:
            if f.rule_id not in rules:
                info = known.get(f.rule_id)
                rules[f.rule_id] = _descriptor(info) if info else _from_finding(f)
            results.append(_result(lf, f, index, list(rules).index(f.rule_id)))
    driver: dict[str, Any] = {
        "name": "outreach-lint",
        "informationUri": "https://github.com/outreach-lint/outreach-lint",
        "rules": list(rules.values()),
    }
    if version:
        driver["version"] = version
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results,
                  "columnKind": "unicodeCodePoints"}],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
