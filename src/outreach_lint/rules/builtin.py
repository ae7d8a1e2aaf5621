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

# Underscores and dots separate words in file names ("Jordan_Lee_Resume.pdf"), and \b
# treats "_" as a word character, so the edges are spelled out.
_RESUME_FILE_RE = regex.compile(
    r"(?i)(?:^|[^a-z])(?:r[eé]sum[eé]s?|cv|curriculum[ _-]?vitae|lebenslauf)(?:[^a-z]|$)"
)


@register("outreach.resume_attached.v1")
def resume_attached(rule: Python, ctx: Context) -> Iterator[Finding]:
    """a MIME attachment named like a resume, or a sentence saying one is attached (the
    pack's `resume-attached-text` detector)."""
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
    seen: set[int] = set()
    for hit in spec.hits(ctx):
        sentence = rule.sentence_of(ctx, hit)
        span = sentence or Span(start=hit.start, end=hit.end)
        if span.start in seen:
            continue
        seen.add(span.start)
        yield rule.finding(ctx, span, fixes=rule.fix_for(ctx, hit=hit, sentence=sentence))
