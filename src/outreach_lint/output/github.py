"""`--format github`: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import LineIndex, Severity
from . import LintedFile, one_based

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    # The escaping GitHub's runner expects for the message part of a workflow command.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(files: Sequence[LintedFile]) -> str:
    out: list[str] = []
    for lf in files:
        index = LineIndex(lf.report.text)
        for f in lf.report.findings:
            line, col = one_based(lf.report, index, f.span.start, lf.lines)
            end_line, end_col = one_based(lf.report, index, f.span.end, lf.lines)
            props = (f"file={_prop(lf.path)},line={line},col={col},endLine={end_line},"
                     f"endColumn={end_col},title={_prop(f.rule_id)}")
            out.append(f"::{_LEVEL[f.severity]} {props}::{_data(f.message)}\n")
    return "".join(out)
