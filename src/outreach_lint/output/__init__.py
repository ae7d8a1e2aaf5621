"""Formatters for `outreach-lint check`: text, json, sarif and github.

Each takes the linted files in input order and returns the whole output as one string, so
the CLI decides where it goes (stdout, or stderr for the sendmail wrapper).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import LineIndex, Report


@dataclass(frozen=True)
class LintedFile:
    """One linted unit: a file, stdin, or one message of an mbox (`inbox.mbox#2`)."""

    path: str
    report: Report
    blocked: bool = False
    #: For a message file: the file's line (0-based) of each line of `report.text`, so line
    #: numbers refer to the file as the user has it, not to the decoded text.
    lines: tuple[int, ...] | None = None


def one_based(report: Report, index: LineIndex, offset: int,
              lines: tuple[int, ...] | None = None) -> tuple[int, int]:
    """1-based (line, column) of an offset into `report.text`, columns in code points."""
    line, col = index.position(min(offset, len(report.text)))
    if lines and line < len(lines):
        line = lines[line]
    return line + 1, col + 1


__all__ = ["LintedFile", "one_based"]
