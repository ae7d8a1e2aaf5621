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
    hidden = [f for f in result.applied if f.rule_id == "hidden-characters"]
    if hidden:
        # Hidden characters and look-alike letters are replaced first (one edit each), then
        # the planner rewrites the plain text: the same as fixing the plain text directly.
        plain = apply_edits(report.text, hidden[0].fixes[0].edits)
        assert ol.fix(plain, unsafe=unsafe).text == result.text, (
            "fix() of a draft with hidden characters is not fix() of its plain text")
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


# ------------------------------------------------------------------ hostile input builders

SNIPPETS = ("Hi Dana,\n\n", "Are you hiring? ", "Do you have any openings on your team? ",
            "Could we talk for 20 minutes? ", "I'm not expecting a job. ", "\n\nBest,\nSam",
            "job", "hiring", "openings", "\r", "\n", "\r\n", " ", "> ", "-- \n", "Subject: ")
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u180e")
LOOKALIKES = ("а", "е", "о", "р", "с", "у", "х", "і", "ј", "ο", "α", "ι", "Ο", "ｊ", "𝐨")


def hostile_text(fdp: Any, max_chars: int) -> str:
    """A str built from pieces chosen by the fuzzer: lone surrogates, hidden characters and
    look-alike letters between job-ask snippets and arbitrary text."""
    out: list[str] = []
    size = 0
    while size < max_chars and fdp.remaining_bytes():
        kind = fdp.ConsumeIntInRange(0, 5)
        if kind == 0:
            piece = chr(0xD800 + fdp.ConsumeIntInRange(0, 0x7FF))  # a lone surrogate
        elif kind == 1:
            piece = INVISIBLE[fdp.ConsumeIntInRange(0, len(INVISIBLE) - 1)]
        elif kind == 2:
            piece = LOOKALIKES[fdp.ConsumeIntInRange(0, len(LOOKALIKES) - 1)]
        elif kind == 3:
            piece = SNIPPETS[fdp.ConsumeIntInRange(0, len(SNIPPETS) - 1)]
        elif kind == 4:
            piece = fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 40))
        else:
            piece = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 40)).decode("latin-1")
        out.append(piece)
        size += len(piece)
    return "".join(out)[:max_chars]


def without_surrogates(text: str) -> str:
    """What lint() reads a str as: each lone surrogate becomes U+FFFD."""
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
