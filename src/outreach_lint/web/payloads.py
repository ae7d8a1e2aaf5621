"""What the JSON API reads and writes: request models, response envelopes, UTF-16 offsets.

Responses wrap the library's own models (`Report`, `FixResult`), serialised exactly as
`--format json` writes them, so docs/schema/report.schema.json describes `report` here too.
Spans in those models count code points; browsers count UTF-16 units, so each response also
carries every finding's span and fix edits in UTF-16 units (`utf16`, parallel to findings).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..models import SCHEMA_VERSION, Finding, FixResult, Report

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class _Request(BaseModel):
    # strict: 5 is not the text "5" and "yes" is not true; unknown keys are typos worth saying.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    profile: str | None = Field(None, description="A profile of the pack, e.g. 'strict'.")


class LintRequest(_Request):
    text: str | None = Field(None, description="The draft as plain text.")
    eml: str | None = Field(None, description="A whole .eml message, base64-encoded.")

    @model_validator(mode="after")
    def _one_source(self) -> LintRequest:
        if (self.text is None) == (self.eml is None):
            raise ValueError("give exactly one of 'text' (the draft) or 'eml' (base64 message)")
        return self


class FixRequest(_Request):
    text: str
    unsafe: bool = Field(False, description="Also apply fixes that change what you say.")


class Utf16Span(BaseModel):
    start: int
    end: int


class Utf16Finding(BaseModel):
    """One finding's span, and each of its fixes' edit spans, in UTF-16 code units."""

    span: Utf16Span
    fixes: list[list[Utf16Span]]


class LintResponse(BaseModel):
    schema_version: str = SCHEMA_VERSION
    blocked: bool = Field(description="Whether a pre-send hook would block this draft.")
    report: Report
    utf16: list[Utf16Finding] = Field(description="Parallel to report.findings.")


class FixResponse(BaseModel):
    schema_version: str = SCHEMA_VERSION
    blocked: bool
    result: FixResult
    utf16: list[Utf16Finding] = Field(description="Parallel to result.remaining.")


class Utf16:
    """Code-point offset -> UTF-16 offset: each astral character before it adds one unit."""

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def span(self, start: int, end: int) -> Utf16Span:
        return Utf16Span(start=self(start), end=self(end))


def utf16_findings(text: str, findings: Sequence[Finding]) -> list[Utf16Finding]:
    conv = Utf16(text)
    return [
        Utf16Finding(
            span=conv.span(f.span.start, f.span.end),
            fixes=[[conv.span(e.span.start, e.span.end) for e in fx.edits] for fx in f.fixes],
        )
        for f in findings
    ]


def looks_binary(text: str) -> bool:
    """The rule `parse()` applies to bytes, applied to text: a NUL, or over 10% control codes."""
    sample = text[:8192]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\f\r\x1b")
    return controls / len(sample) > 0.1
