"""What the writer already said, so rewrites can use it: field, organisation, role, register.

Facts come from the rule packs' `fix.captures` regexes (data, searched in the writer's own
words only); a captured value that is not a fact ("a possible role", "the new position") is
dropped rather than echoed. The register decides between "I'd love to" and "I'd be grateful":
a draft that opens "Dear Dr. Okafor" and closes "Sincerely" gets the formal phrasings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

import regex

from ..draft import Draft
from ..models import SegmentKind

Register = Literal["formal", "casual"]
CAPTURE_TIMEOUT = 0.1

# Words a role capture picks up that describe the opening, not the work ("a possible role").
_NOT_A_ROLE = frozenset(
    [
        "possible", "potential", "new", "open", "current", "available", "suitable", "similar",
        "relevant", "such", "this", "that", "the", "my", "your", "our", "their", "any", "some",
        "same", "other", "next", "first", "dream", "right", "good", "great", "perfect", "full-time",
        "part-time", "permanent", "temporary", "remote", "paid", "unpaid", "exciting", "interesting"
    ]
)
_FORMAL_GREETING_RE = regex.compile(
    r"(?i)^\s*(?:dear|good\s+(?:morning|afternoon|evening)|to\s+whom)\b|"
    r"\b(?:dr|mr|mrs|ms|mx|prof|professor|sir|madam)\b\.?"
)
_FORMAL_CLOSING_RE = regex.compile(r"(?i)\b(?:sincerely|respectfully|regards|cordially|faithfully)\b")
_CASUAL_RE = regex.compile(r"(?i)^\s*(?:hi|hey|hiya|hello)\b")
#: Words that sound chatty next to "Dear Dr. ..."; formal drafts avoid phrasings with them.
CASUAL_WORDS = regex.compile(r"(?i)\b(?:love|great|grab|awesome|super|hey)\b|!")


@dataclass(frozen=True)
class Voice:
    """The writer's facts and register, and a seed that makes phrasing choices differ by draft."""

    values: dict[str, str] = field(default_factory=dict)
    register: Register = "casual"
    address: str | None = None
    seed: int = 0

    def pick(self, n: int, salt: str) -> int:
        """A stable index in range(n) for this draft and this choice."""
        digest = hashlib.sha256(f"{self.seed}:{salt}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % max(n, 1)

    def suits(self, phrasing: str) -> bool:
        return self.register == "casual" or not CASUAL_WORDS.search(phrasing)


def own_text(draft: Draft) -> str:
    """The writer's own words (subject, greeting, body, postscript, sign-off), in order."""
    return "\n".join(s.span.text(draft.text) for s in draft.lintable_segments())


def voice_of(draft: Draft, captures: dict[str, list[str]]) -> Voice:
    """The writer's voice: `captures` maps a fact name to the regexes that may find it."""
    text = own_text(draft)
    values: dict[str, str] = {}
    for name, patterns in captures.items():
        for src in patterns:
            value = _capture(src, text)
            if value and _plausible(name, value):
                values[name] = value
                break
    greeting = next((s.span.text(draft.text) for s in draft.segments_of(SegmentKind.GREETING)), "")
    closing = next((s.span.text(draft.text) for s in draft.segments_of(SegmentKind.SIGNOFF)), "")
    formal = bool(_FORMAL_GREETING_RE.search(greeting) or _FORMAL_CLOSING_RE.search(closing))
    if _CASUAL_RE.match(greeting) and not regex.search(r"(?i)\b(?:dr|prof|professor)\b", greeting):
        formal = False
    address = _address(greeting)
    seed = int.from_bytes(hashlib.sha256(draft.text.encode("utf-8", "surrogatepass")).digest()[:8],
                          "big")
    return Voice(values, "formal" if formal else "casual", address, seed)


# "five years of experience in HVAC design": the writer's background, not where they hope to go.
_BACKGROUND_RE = regex.compile(
    r"(?i)\b(?:experience|background|degree|years?|worked|working|career|studies|studying|"
    r"majored|majoring|work|job|role|position)\s+(?:\w+\s+){0,2}$"
)


def _capture(src: str, text: str) -> str | None:
    try:
        pattern = regex.compile(src, regex.VERSION0)
        for m in pattern.finditer(text, timeout=CAPTURE_TIMEOUT):
            if _BACKGROUND_RE.search(text[max(0, m.start() - 40) : m.start()]):
                continue
            value = next((g for g in m.groups() if g), m.group(0))
            return " ".join(value.split()).strip(" ,.;:!?\"'“”‘’") or None
    except (TimeoutError, regex.error):
        return None
    return None


def _plausible(name: str, value: str) -> bool:
    if "[" in value or "{" in value or "_" in value:  # a template's blank, not a fact
        return False
    if name == "role":
        words = value.lower().split()
        return not any(w in _NOT_A_ROLE for w in words) and len(value) <= 40
    return len(value) <= 60


def _address(greeting: str) -> str | None:
    m = regex.match(r"(?i)^\s*(?:hi|hello|hey|dear|good\s+\w+)[ \t]+([^,!:;\n]{1,40})", greeting)
    return m.group(1).strip() if m else None
