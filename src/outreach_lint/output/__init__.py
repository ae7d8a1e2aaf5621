"""Formatters for `outreach-lint check`: text, json, sarif and github.

Each is a stream: `start()`, then `add(file)` for each linted file in input order, then
`end(errors)`, every call returning the next piece of output, so `check` writes a file's
report as soon as it is linted and holds no more than one report at a time (memory stays
flat on a 15,000-message mbox). `format_*()` returns the whole output of a list at once; the
CLI decides where it goes (stdout, or stderr for the sendmail wrapper).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

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


class OutputStream(Protocol):
    def start(self) -> str: ...

    def add(self, lf: LintedFile) -> str: ...

    def end(self, errors: Sequence[tuple[str, str]] = ()) -> str: ...


def render(stream: OutputStream, files: Iterable[LintedFile],
           errors: Sequence[tuple[str, str]] = ()) -> str:
    """The whole output of `stream` for `files`, as one string."""
    return stream.start() + "".join(stream.add(lf) for lf in files) + stream.end(errors)


__all__ = ["LintedFile", "OutputStream", "one_based", "render"]
