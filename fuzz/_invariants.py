"""Checks shared by the fuzz targets: what must hold for any input outreach-lint accepts."""

from __future__ import annotations

from typing import Any

import outreach_lint as ol
from outreach_lint.api import apply_edits, plan_fix
from outreach_lint.rewrite import overlapping


def check_report(report: ol.Report) -> None:
    text = report.text
    n = len(text)
    for f in report.findings:
        s = f.span
        assert 0 <= s.start <= s.end <= n, f"{f.rule_id}: span {s} outside text of length {n}"
        assert f.excerpt == text[s.start : s.end], (
            f"{f.rule_id}: excerpt {f.excerpt!r} != text slice {text[s.start:s.end]!r}")
        for fx in f.fixes:
            for e in fx.edits:
                assert 0 <= e.span.start <= e.span.end <= n, (
                    f"{f.rule_id}: fix edit {e.span} outside text of length {n}")
    assert 0 <= report.score.total <= 100


def check_fix(source: Any, report: ol.Report, unsafe: bool) -> None:
    """fix() returns text that keeps everything outside the edits it applied.

    The first round is recomputed with the public pieces (plan_fix + apply_edits): the plan's
    edits never overlap and every character outside them survives in order; when fix()
    stopped after one round its output must equal that recomputation exactly.
    """
    result = ol.fix(source, unsafe=unsafe)
    assert result.original == report.text, "FixResult.original is not the linted text"
    if not result.applied:
        assert result.text == result.original, "text changed although no fix was applied"
        return
    _, plan = plan_fix(source, unsafe=unsafe)
    assert plan is not None, "fix() applied fixes to a draft that was not checked"
    edits = sorted(plan.edits, key=lambda e: (e.span.start, e.span.end))
    assert not overlapping(edits), "the plan's edits overlap"
    first = apply_edits(report.text, edits)
    pos = out = 0
    for e in edits:  # the kept stretches appear verbatim, in order
        keep = report.text[pos : e.span.start]
        assert first[out : out + len(keep)] == keep, "text outside an edit changed"
        out += len(keep) + len(e.replacement)
        pos = e.span.end
    assert first[out:] == report.text[pos:], "text after the last edit changed"
    if result.passes == 1:
        assert result.text == first, "fix() output differs from its own first round"
    for f in result.remaining:
        assert 0 <= f.span.start <= f.span.end <= len(result.text)


def check_source(source: Any, unsafe: bool) -> ol.Report | None:
    """Lint and fix one fuzz input and check every invariant; None for unreadable input.

    Only `InputError` is an expected outcome: a rule timing out is a finding too.
    """
    try:
        report = ol.lint(source)
    except ol.InputError:
        return None
    check_report(report)
    try:
        check_fix(source, report, unsafe)
    except ol.InputError:
        return None
    return report
