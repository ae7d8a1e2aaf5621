"""Adjusting the writer's own meeting sentence instead of adding one beside it.

"Could we set up a quick call?" becomes "Could we set up a quick 20-minute call?"; a call
with no in-person option gets ", or a coffee near your office if that's easier" before its
question mark. When the sentence has no shape these edits fit, the planner falls back to one
short sentence after it.
"""

from __future__ import annotations

import regex

from ..models import Edit, Span

# Words a writer uses for the meeting itself; a sentence with one of them and a question or a
# request is the meeting ask when the findings do not point at one.
MEETING_WORD_RE = regex.compile(
    r"(?i)\b(?:call|chat|coffee|meet|meeting|zoom|conversation|talk|speak|phone|video|"
    r"informational\s+interview|catch\s+up|connect\s+for|\d+\s*-?\s*min\w*|at\s+your\s+office|"
    r"set\s+up\s+(?:a\s+)?time)\b"
)
ASKING_RE = regex.compile(
    r"(?i)\?|\b(?:would|could|can|might|may)\s+(?:you|i|we)\b|"
    r"\b(?:we|i)\s+(?:could|can|might)\s+(?:meet|grab|get|do|talk|chat|hop|find)\b|\bi['’]?d\s+(?:also\s+|really\s+|"
    r"so\s+|still\s+)?(?:love|like|welcome|be\s+(?:glad|grateful|happy))|\bi\s+would\s+(?:also\s+)?"
    r"(?:love|like|welcome|be)\b|\bare\s+you\s+(?:free|open|"
    r"available)|\bif\s+you(?:'re|\s+are)\s+(?:free|open|available)|"
    # an offer is an ask too ("Glad to treat you to a virtual coffee!", "happy to set up a time")
    r"\b(?:glad|happy|keen|eager|delighted|love)\s+to\s+(?:treat|buy|set\s+up|hop|jump|do|grab|"
    r"meet|chat|talk|speak|call)\b"
)
_EVALUATIVE = r"(?:quick|brief|short|little|informal|casual|friendly|short\s+informal)"
_MODIFIER = r"(?:phone|video|zoom|teams|virtual|online|in-person|face-to-face|informational|coffee)"
_NOUN = r"(?:call|chat|coffee|conversation|meeting|meet-up|meetup|interview|catch-up|talk|visit)"
_DURATION_SLOT_RE = regex.compile(
    rf"(?i)\b(?P<det>an?|one)\s+(?P<eval>(?:{_EVALUATIVE}\s+){{0,2}})(?=(?:{_MODIFIER}\s+){{0,2}}{_NOUN}\b)"
)
_BARE_COFFEE_RE = regex.compile(r"(?i)\b(?:for|over|grab|grabbing|get|have|buy\s+you)\s+(?=coffee\b)")
_HAS_DURATION_RE = regex.compile(r"(?i)\b(?:\d+|fifteen|twenty|thirty)[\s-]*(?:min|minute|hour)")
# A vague length ("a few minutes", "a moment") that the time box replaces.
_VAGUE_RE = regex.compile(
    r"(?i)\b(?:a\s+few|some|a\s+couple\s+of|a\s+little|a\s+bit\s+of|a\s+short|a\s+spare)\s+"
    r"(?:minutes|moments|mins)\b|\ba\s+(?:moment|minute)\b(?!\s+(?:ago|later))"
)
REMOTE_RE = regex.compile(r"(?i)\b(?:call|phone|zoom|video|virtual|online|teams|skype|meet\s+link)\b")
IN_PERSON_RE = regex.compile(r"(?i)\b(?:coffee|in\s+person|your\s+office|lunch|stop\s+by|come\s+by|visit)\b")


def duration_edits(sentence: str, start: int, duration: str, plain: str) -> list[Edit] | None:
    """Edits that put `duration` ("20-minute") before the meeting noun, or `plain`
    ("20 minutes") in place of a vague "a few minutes"; None when neither fits."""
    if _HAS_DURATION_RE.search(sentence):
        return None
    m = _VAGUE_RE.search(sentence)
    if m:
        return [Edit(span=Span(start=start + m.start(), end=start + m.end()), replacement=plain)]
    m = _DURATION_SLOT_RE.search(sentence)
    if m:
        edits = []
        det = m.group("det")
        if det.lower() in ("an", "one"):  # "an informational interview" -> "a 20-minute ..."
            a = "A" if det[0].isupper() else "a"
            edits.append(Edit(span=Span(start=start + m.start("det"), end=start + m.end("det")),
                              replacement=a))
        at = start + m.end()
        edits.append(Edit(span=Span(start=at, end=at), replacement=f"{duration} "))
        return edits
    m = _BARE_COFFEE_RE.search(sentence)
    if m:
        at = start + m.end()
        return [Edit(span=Span(start=at, end=at), replacement=f"a {duration} ")]
    return None


def clause_edit(sentence: str, start: int, clause: str) -> Edit | None:
    """An edit that adds `clause` (", or a coffee near your office if that's easier") before
    the sentence's final "?" or ".", or None when it does not end that way."""
    body = sentence.rstrip()
    if not body.endswith(("?", ".")) or body.endswith(("...", "…")):
        return None
    if body[:-1].rstrip().endswith((",", ";", ":", "-")):
        return None
    at = start + len(body) - 1
    return Edit(span=Span(start=at, end=at), replacement=clause)


def is_meeting_ask(sentence: str) -> bool:
    return bool(MEETING_WORD_RE.search(sentence) and ASKING_RE.search(sentence))


# The writer's own logistics right after the ask ("I'm happy to work around your schedule"):
# part of the meeting ask, so the fallback follows them rather than splitting them off.
FLEXIBLE_RE = regex.compile(
    r"(?i)\b(?:work\s+around|fit\s+(?:around|your)|whenever|any\s+(?:day|time)|suits\s+you|"
    r"your\s+(?:schedule|calendar|convenience)|flexible|at\s+your\s+convenience|"
    r"i\s+can\s+come\s+to\s+you|come\s+to\s+you|(?:a\s+)?better\s+(?:day|time)|another\s+(?:day|time)|"
    r"other\s+(?:day|time)s?|works?\s+(?:better\s+)?for\s+you)\b"
)
