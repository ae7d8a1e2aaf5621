"""The value types every part of outreach-lint speaks: spans, edits, fixes, findings, reports.

These models know nothing of parsing, spaCy or rules, so every other module may import them.
All are frozen: a finding handed to an editor or a hook cannot be changed behind its back.
"""

from __future__ import annotations

import bisect
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

PositionEncoding = Literal["utf-8", "utf-16", "utf-32"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    """How much a finding matters; `error` blocks a send by default."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Applicability(StrEnum):
    """Whether a fix may be applied without asking (ruff's fix safety)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class SegmentKind(StrEnum):
    """The parts of a draft. Only the writer's own new text is linted."""

    HEADER = "header"
    SUBJECT = "subject"
    GREETING = "greeting"
    BODY = "body"
    POSTSCRIPT = "postscript"
    SIGNOFF = "signoff"
    SIGNATURE = "signature"
    QUOTE = "quote"


#: Segments that rules see by default: the writer's own new words.
LINTABLE_KINDS = frozenset(
    {
        SegmentKind.SUBJECT,
        SegmentKind.GREETING,
        SegmentKind.BODY,
        SegmentKind.POSTSCRIPT,
        SegmentKind.SIGNOFF,
    }
)


class LineIndex:
    """Line starts of a text, splitting only on \\n, \\r\\n and \\r as editors do.

    `str.splitlines()` also breaks on U+2028, U+0085 and form feed, which would put
    positions on the wrong line in every editor, so it is never used for positions.
    """

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        starts = [0]
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\n":
                starts.append(i + 1)
            elif c == "\r":
                if i + 1 < n and text[i + 1] == "\n":
                    i += 1
                starts.append(i + 1)
            i += 1
        self._starts = starts

    @classmethod
    def from_starts(cls, text: str, starts: list[int]) -> LineIndex:
        """An index over `text` whose line starts are already known (lsp/buffer.py keeps
        them up to date through edits, so a 2 MB draft is not rescanned per keystroke)."""
        index = cls.__new__(cls)
        index._text, index._starts = text, starts
        return index

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        return self._starts[line]

    def line_end(self, line: int) -> int:
        """Offset of the end of `line`, before its line break."""
        if line + 1 < len(self._starts):
            end = self._starts[line + 1]
            if end >= 2 and self._text[end - 2 : end] == "\r\n":
                return end - 2
            return end - 1
        return len(self._text)

    def position(self, offset: int, encoding: PositionEncoding = "utf-32") -> tuple[int, int]:
        """Zero-based (line, column) of a code-point offset; column counted in `encoding` units."""
        if not 0 <= offset <= len(self._text):
            raise ValueError(f"offset {offset} outside text of length {len(self._text)}")
        line = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        return line, column_units(self._text[start:offset], encoding)

    def offset(self, line: int, column: int, encoding: PositionEncoding = "utf-32") -> int:
        """Code-point offset of an editor position; positions past a line's end clamp to it."""
        if line >= len(self._starts):
            return len(self._text)
        if line < 0:
            return 0
        start, end = self._starts[line], self.line_end(line)
        if encoding == "utf-32":
            return min(start + max(column, 0), end)
        units = 0
        for i in range(start, end):
            if units >= column:
                return i
            units += column_units(self._text[i], encoding)
        return end


def column_units(text: str, encoding: PositionEncoding) -> int:
    """Length of `text` in the units an editor counts columns in."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


class Span(_Frozen):
    """A half-open `[start, end)` range of code points in the source text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        return self

    def __len__(self) -> int:
        return self.end - self.start

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        """True when the spans share a character, or are both insertions at one point."""
        if self.start == self.end == other.start == other.end:
            return True
        return self.start < other.end and other.start < self.end

    def start_position(
        self, source: str, encoding: PositionEncoding = "utf-32", index: LineIndex | None = None
    ) -> tuple[int, int]:
        return (index or LineIndex(source)).position(self.start, encoding)

    def end_position(
        self, source: str, encoding: PositionEncoding = "utf-32", index: LineIndex | None = None
    ) -> tuple[int, int]:
        return (index or LineIndex(source)).position(self.end, encoding)


class Edit(_Frozen):
    """Replace the text in `span` with `replacement` (an insertion when the span is empty)."""

    span: Span
    replacement: str


class Fix(_Frozen):
    """One way to resolve a finding: a set of edits applied together."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.UNSAFE


class Finding(_Frozen):
    """One problem found in a draft."""

    rule_id: str
    category: str
    severity: Severity
    message: str
    span: Span
    segment: SegmentKind | None = None
    excerpt: str = Field(description="The source text under the span (empty for insertions).")
    fixes: tuple[Fix, ...] = ()
    docs_url: str | None = None

    @property
    def fixable(self) -> bool:
        return any(f.applicability is not Applicability.DISPLAY_ONLY for f in self.fixes)


class Deduction(_Frozen):
    """Points a single finding cost, so every lost point has a reason."""

    rule_id: str
    points: float
    reason: str


class CategoryScore(_Frozen):
    name: str
    score: float
    max_points: float
    deductions: tuple[Deduction, ...] = ()


class Score(_Frozen):
    """A 0-100 score built only from findings, with its breakdown and a short verdict."""

    total: int = Field(ge=0, le=100)
    grade: Literal["A", "B", "C", "D", "F"]
    verdict: str
    categories: tuple[CategoryScore, ...]
    checked: bool = Field(
        True, description="False when the draft was not checked (empty, too large): the total"
        " then means nothing and the verdict says why.",
    )


class DraftStats(_Frozen):
    words: int
    sentences: int
    questions: int
    paragraphs: int
    self_references: int
    reader_references: int


class Attachment(_Frozen):
    filename: str | None
    content_type: str
    size: int


class Notice(_Frozen):
    """Something the user should know about the run itself (not the draft)."""

    code: str
    message: str


class Report(_Frozen):
    """Everything `lint()` found in one draft."""

    schema_version: str = SCHEMA_VERSION
    source_kind: Literal["text", "eml"]
    spans_refer_to: Literal["source", "decoded-text"] = Field(
        description="'source': spans index the input string; 'decoded-text': they index `text`,"
        " the decoded message rendered as a header block plus plain-text body."
    )
    text: str = Field(description="The text every span indexes.")
    findings: tuple[Finding, ...]
    score: Score
    stats: DraftStats
    attachments: tuple[Attachment, ...] = ()
    notices: tuple[Notice, ...] = ()

    @property
    def worst(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


class FixResult(_Frozen):
    """The outcome of `fix()`: the rewritten text and what was and was not fixed."""

    schema_version: str = SCHEMA_VERSION
    text: str
    original: str
    applied: tuple[Finding, ...]
    remaining: tuple[Finding, ...]
    passes: int
    score: Score | None = Field(None, description="The fixed draft's score, from a fresh lint.")
    left_out: tuple[str, ...] = Field(
        (), description="Additions the planner dropped to stay within the length budget.",
    )
    placeholders: int = Field(
        0, description="Suggestions inserted with [bracketed] blanks to fill in (only with"
        " `placeholders=True`); the verdict says so.",
    )
    not_a_request: str | None = Field(
        None, description="Set when the draft reads as something other than a request (a"
        " thank-you after a conversation, the employer's side, a reply to an offer): the fix"
        " then adds no meeting ask, fallback, framing or no-expectation sentence, and says why.",
    )

    @property
    def changed(self) -> bool:
        return self.text != self.original
