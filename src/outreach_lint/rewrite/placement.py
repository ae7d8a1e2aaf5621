"""Where rewrites may go: a draft's sentences and paragraphs, and the line nothing may cross.

The planner never looks at how a finding was detected; it sees the draft's segments (greeting,
body, sign-off, signature, quotes) and its sentences, and places every edit by them:
inserted sentences sit next to a sentence of the body, new paragraphs between body
paragraphs, and nothing ever lands on or after the sign-off, the name or the signature.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import regex

from ..draft import Draft
from ..models import SegmentKind, Span

#: Segments whose sentences the planner may rewrite.
EDITABLE = frozenset({SegmentKind.BODY, SegmentKind.POSTSCRIPT, SegmentKind.SUBJECT})
# A short closing line left inside the body ("Thanks!", "Thank you very much for your help.",
# "Looking forward to hearing from you."): inserts go before it, not after.
_CLOSING_SENTENCE_RE = regex.compile(
    r"(?i)^(?:thanks|thank\s+you|many\s+thanks|cheers|best(?:\s+regards|\s+wishes)?|regards|"
    r"all\s+the\s+best|looking\s+forward|i\s+look\s+forward|hop(?:e|ing)\s+to\s+(?:hear|speak|talk)|"
    r"talk\s+soon|have\s+a\s+(?:great|good|lovely|nice)\b|appreciate\s+it|i\s+appreciate\s+"
    r"(?:your|it|any)|grateful\s+for\s+your|much\s+appreciated)\b"
)
# A name signed inside the last paragraph ("... I'd be hugely grateful. Marcus.").
_NAME_SENTENCE_RE = regex.compile(r"^\p{Lu}[\p{Ll}'’-]+(?:[ \t]+\p{Lu}[\p{Ll}'’-]+){0,2}\.?$")
_WORD_RE = regex.compile(r"(?<!['’\p{L}])[\p{L}\p{N}]+")


def word_count(text: str) -> int:
    """Words as the length rule counts them ("I'd" is one word, "20-minute" two)."""
    return len(_WORD_RE.findall(text))


@dataclass(frozen=True, slots=True)
class Sent:
    """One sentence of the writer's text, with the paragraph it belongs to (-1: subject)."""

    index: int
    span: Span
    kind: SegmentKind
    para: int

    def text(self, source: str) -> str:
        return source[self.span.start : self.span.end]


@dataclass(frozen=True, slots=True)
class Para:
    index: int
    span: Span
    kind: SegmentKind
    sentences: tuple[int, ...]


@dataclass
class Layout:
    """The editable shape of one draft."""

    draft: Draft
    sentences: list[Sent]
    paras: list[Para]
    #: Offset nothing may be inserted at or after: the sign-off, name, signature or quote.
    limit: int
    closing: frozenset[int] = field(default_factory=frozenset)

    @property
    def text(self) -> str:
        return self.draft.text

    @property
    def nl(self) -> str:
        return "\r\n" if "\r\n" in self.draft.text else "\n"

    @property
    def subject(self) -> Sent | None:
        return next((s for s in self.sentences if s.kind is SegmentKind.SUBJECT), None)

    @property
    def body_paras(self) -> list[Para]:
        return [p for p in self.paras if p.kind is SegmentKind.BODY and p.span.end <= self.limit]

    def sentence_at(self, offset: int) -> Sent | None:
        starts = [s.span.start for s in self.sentences]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.sentences[i].span.start <= offset < max(
            self.sentences[i].span.end, self.sentences[i].span.start + 1
        ):
            return self.sentences[i]
        return None

    def para_sentences(self, para: Para) -> list[Sent]:
        return [self.sentences[i] for i in para.sentences]

    def end_slot(self) -> tuple[str, int]:
        """Where the closing ask goes: ("para", i) = a new paragraph before paragraph i's
        closing lines or after it; ("before", s) = before sentence s (a closing in the same
        paragraph, as in a one-paragraph note)."""
        paras = self.body_paras
        if not paras:
            return "none", -1
        last = paras[-1]
        sents = self.para_sentences(last)
        tail = [s for s in sents if s.index in self.closing]
        if tail and len(tail) < len(sents):
            return "before", tail[0].index
        if tail and len(paras) > 1:
            return "after-para", paras[-2].index
        return "after-para", last.index


def build_layout(draft: Draft, sentences: list[tuple[Span, SegmentKind | None]]) -> Layout:
    """Sentences and paragraphs of `draft`, given the sentence spans the linter found."""
    segs = [s for s in draft.segments]
    stop_kinds = (SegmentKind.SIGNOFF, SegmentKind.SIGNATURE, SegmentKind.QUOTE)
    own = [s for s in segs if s.kind in (SegmentKind.BODY, SegmentKind.POSTSCRIPT)]
    first_own = min((s.span.start for s in own), default=0)
    # The first sign-off, signature or quote after the writer's first body line.
    limit = min((s.span.start for s in segs if s.kind in stop_kinds and s.span.start >= first_own),
                default=len(draft.text))
    paras: list[Para] = []
    para_of: dict[int, int] = {}
    for seg in segs:
        if seg.kind in (SegmentKind.BODY, SegmentKind.POSTSCRIPT):
            para_of[seg.span.start] = len(paras)
            paras.append(Para(len(paras), seg.span, seg.kind, ()))
    out: list[Sent] = []
    members: dict[int, list[int]] = {}
    for span, kind in sentences:
        if kind not in EDITABLE:
            continue
        home = draft.segment_at(span.start)
        if home is None or home.kind is not kind:
            continue
        para = para_of.get(home.span.start, -1)
        out.append(Sent(len(out), span, kind, para))
        if para >= 0:
            members.setdefault(para, []).append(len(out) - 1)
    paras = [Para(p.index, p.span, p.kind, tuple(members.get(p.index, ()))) for p in paras]
    layout = Layout(draft, out, paras, limit)
    closing: set[int] = set()
    body = layout.body_paras
    if body:
        for s in reversed(layout.para_sentences(body[-1])):
            t = s.text(draft.text)
            if (_CLOSING_SENTENCE_RE.match(t) and word_count(t) <= 12) or _NAME_SENTENCE_RE.match(t):
                closing.add(s.index)
            else:
                break
    layout.closing = frozenset(closing)
    return layout
