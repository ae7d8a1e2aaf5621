"""Email or LinkedIn connection note, and how much room each leaves a fix.

A connection note holds 300 characters; an email should stay under the `too-long` rule's
warning threshold. A note is recognised from its shape (no subject, at most two blocks of
text, 300 characters or fewer) unless `medium` is set in the config or with `--medium`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..draft import Draft
from .placement import word_count

NOTE_LIMIT = 300


class Medium(StrEnum):
    EMAIL = "email"
    NOTE = "linkedin-note"


def detect_medium(draft: Draft, configured: str | None = None) -> Medium:
    if configured in (Medium.EMAIL.value, Medium.NOTE.value):
        return Medium(configured)
    text = draft.text.strip()
    if draft.source_kind == "eml" or draft.subject is not None or draft.headers:
        return Medium.EMAIL
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    if len(text) <= NOTE_LIMIT and len(blocks) <= 2:
        return Medium.NOTE
    return Medium.EMAIL


@dataclass(frozen=True)
class Budget:
    """How far a draft may grow: characters for a note, words for an email.

    `strict` is false for an email already over its word limit: a fix cannot push it over, so
    only the core asks may still be added (no extras such as a thank-you line).
    """

    medium: Medium
    max_chars: int | None
    max_words: int | None
    strict: bool = True

    def fits(self, text: str, words: int) -> bool:
        if self.max_chars is not None and len(text.strip()) > self.max_chars:
            return False
        return self.max_words is None or words <= self.max_words


def budget_for(draft: Draft, medium: Medium, word_limit: int | None, body_words: int) -> Budget:
    if medium is Medium.NOTE:
        # A note already over the limit is an InMail: keep it from growing, not from existing.
        limit = max(NOTE_LIMIT, len(draft.text.strip()))
        return Budget(medium, limit, None)
    if word_limit is None:
        return Budget(medium, None, None)
    if body_words > word_limit:
        return Budget(medium, None, None, strict=False)
    return Budget(medium, None, word_limit)


__all__ = ["NOTE_LIMIT", "Budget", "Medium", "budget_for", "detect_medium", "word_count"]
