"""`--format text`: `path:line:col: severity rule-id message`, the line, a caret, a suggestion."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import click

from ..models import Applicability, Finding, LineIndex, Report, Severity
from . import LintedFile, one_based

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, **kw: str | bool) -> str:
        return click.style(text, **kw) if self.color else text  # type: ignore[arg-type]


def _pad(prefix: str) -> str:
    """Blank space as wide as `prefix` on a terminal: tabs kept, wide characters doubled."""
    out = []
    for ch in prefix:
        if ch == "\t":
            out.append("\t")
        elif unicodedata.combining(ch):
            continue
        else:
            out.append("  " if unicodedata.east_asian_width(ch) in "WF" else " ")
    return "".join(out)


def _snippet(report: Report, index: LineIndex, f: Finding, style: _Style,
             lines: tuple[int, ...] | None = None) -> list[str]:
    line, col = index.position(f.span.start)
    start, end = index.line_start(line), index.line_end(line)
    source_line = report.text[start:end]
    # A span over several lines is underlined on its first line only; an insertion gets one ^.
    underlined = report.text[f.span.start : min(f.span.end, end)]
    carets = "^" * max(1, len(_pad(underlined)))
    shown = lines[line] if lines and line < len(lines) else line  # the file's own line
    gutter = f"{shown + 1:>5} | "
    return [
        style(gutter, dim=True) + source_line,
        style(" " * (len(gutter) - 2) + "| ", dim=True) + _pad(source_line[:col])
        + style(carets, fg=_COLOURS[f.severity], bold=True),
    ]


def _suggestion(f: Finding) -> str | None:
    for fx in f.fixes:
        if not fx.edits:
            continue
        edit = fx.edits[0]
        if not edit.replacement.strip():
            return f"  remove ({fx.applicability.value}): {fx.title}"
        verb = "insert" if edit.span.start == edit.span.end else "suggestion"
        body = edit.replacement.strip().replace("\n", "\n      ")
        return f"  {verb} ({fx.applicability.value}): {body}"
    return None


def _summary(lf: LintedFile, style: _Style) -> str:
    s = lf.report.score
    if not s.checked:  # an empty or oversized draft has no score worth printing
        return style(f"{lf.path}: not scored", fg="yellow", bold=True) + f" {s.verdict}"
    lost = [
        f"{c.name} -{c.max_points - c.score:g}"
        for c in s.categories if c.max_points - c.score > 0.05
    ]
    colour = "green" if s.total >= 80 and not lf.blocked else "red" if lf.blocked else "yellow"
    head = style(f"{lf.path}: score {s.total}/100 ({s.grade})", fg=colour, bold=True)
    tail = f"  [lost: {', '.join(lost)}]" if lost else ""
    return f"{head} {s.verdict}{tail}"


def format_file(lf: LintedFile, *, color: bool = False, quiet: bool = False) -> str:
    style = _Style(color)
    index = LineIndex(lf.report.text)
    out: list[str] = []
    for n in lf.report.notices:
        out.append(f"{lf.path}: note: {n.message} [{n.code}]")
    for f in lf.report.findings:
        line, col = one_based(lf.report, index, f.span.start, lf.lines)
        sev = style(f.severity.value, fg=_COLOURS[f.severity], bold=True)
        out.append(f"{style(f'{lf.path}:{line}:{col}:', bold=True)} {sev} "
                   f"{style(f.rule_id, bold=True)} {f.message}")
        if quiet:
            continue
        out.extend(_snippet(lf.report, index, f, style, lf.lines))
        suggestion = _suggestion(f)
        if suggestion:
            out.append(style(suggestion, fg="green"))
        elif any(fx.applicability is Applicability.DISPLAY_ONLY for fx in f.fixes):
            out.append("  (see `outreach-lint explain " + f.rule_id + "`)")
    if not quiet:
        out.append(_summary(lf, style))
    return "\n".join(out) + "\n" if out else ""


def format_text(
    files: Sequence[LintedFile], *, color: bool = False, quiet: bool = False
) -> str:
    parts = [format_file(lf, color=color, quiet=quiet) for lf in files]
    if quiet:
        return "".join(parts)
    counts = {s: sum(lf.report.count(s) for lf in files) for s in Severity}
    blocked = sum(1 for lf in files if lf.blocked)
    if len(files) > 1:
        parts.append(
            f"\n{len(files)} drafts checked: {counts[Severity.ERROR]} errors, "
            f"{counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} info; "
            f"{blocked} would be blocked.\n"
        )
    return "".join(parts)
