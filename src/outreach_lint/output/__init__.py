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


def one_based(report: Report, index: LineIndex, offset: int) -> tuple[int, int]:
    """1-based (line, column) of an offset into `report.text`, columns in code points."""
    line, col = index.position(min(offset, len(report.text)))
    return line + 1, col + 1


__all__ = ["LintedFile", "one_based"]
