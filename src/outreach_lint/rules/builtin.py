"""Built-in Python rules: checks that need more than patterns (MIME attachments, counting asks)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import regex

from ..models import Applicability, Finding, Fix, Span
from .registry import register

if TYPE_CHECKING:
    from .context import Context
    from .kinds import Python

_RESUME_FILE_RE = regex.compile(
    r"(?i)(?:\bres[uú]m[eé]s?\b|\bcv\b|curriculum|lebenslauf|\bresume\b|_cv[._]|cv[_.-])"
)


@register("outreach.resume_attached.v1")
def resume_attached(rule: Python, ctx: Context) -> Iterator[Finding]:
    """A MIME attachment named like a resume, or text saying one is attached (via `match`)."""
    for att in ctx.draft.attachments:
        name = att.filename or ""
        if _RESUME_FILE_RE.search(name):
            span, _ = ctx.anchor_span("before-signoff")
            yield rule.finding(
                ctx, span,
                message=rule.options.get(
                    "attachment_message",
                    f"“{name}” is attached. Leave the resume off the first note; offer it later.",
                ),
                fixes=(Fix(title="Remove the attachment before sending", edits=(),
                           applicability=Applicability.DISPLAY_ONLY),),
            )
            return
    spec = rule.detectors.get("resume-attached-text")
    if spec is None:
        return
    for hit in spec.hits(ctx):
        sentence = rule.sentence_of(ctx, hit)
        yield rule.finding(
            ctx, sentence or Span(start=hit.start, end=hit.end),
            fixes=rule.fix_for(ctx, hit=hit, sentence=sentence),
        )
        return
