"""What a rule sees of one draft: the draft, its analysis, the shared hits, anchors and metrics."""

from __future__ import annotations

import bisect
from functools import cached_property
from typing import TYPE_CHECKING

import regex

from ..models import DraftStats, SegmentKind, Span
from .cues import has_request_cue, is_question

if TYPE_CHECKING:
    from ..bounded import Deadline
    from ..draft import Draft, Segment
    from ..nlp import Analysis
    from .detect import Hit
    from .lazy_clauses import LazyClauses
    from .learned import SentenceFeatures

_SELF = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"})
_READER = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll"})
# Curly apostrophes count the same ("i’m"): both spellings, so no per-word replace.
_SELF |= {w.replace("'", "’") for w in _SELF}
_READER |= {w.replace("'", "’") for w in _READER}
_VOWELS_RE = regex.compile(r"[aeiouy]+")


class Context:
    """Per-draft state shared by every rule; all derived values are computed at most once."""

    def __init__(self, draft: Draft, analysis: Analysis) -> None:
        self.draft = draft
        self.analysis = analysis
        self.raw_hits: dict[str, list[Hit]] = {}
        self.spec_hits: dict[str, list[Hit]] = {}
        self._q: dict[int, bool] = {}
        self._r: dict[int, bool] = {}
        self._starts = [s.start for s in analysis.sentences]
        # The draft's time budget (bounded.Deadline); regex calls and the rule loop honour it.
        self.deadline: Deadline | None = None

    # ---------------------------------------------------------------- sentences

    def sentence_index(self, offset: int) -> int | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        s = self.analysis.sentences[i]
        return i if offset < s.end or offset == s.start else None

    def sentence_span(self, index: int) -> Span:
        s = self.analysis.sentences[index]
        return Span(start=s.start, end=s.end)

    def is_question(self, index: int) -> bool:
        if index not in self._q:
            self._q[index] = is_question(self.analysis.sentences[index].span)
        return self._q[index]

    def is_request(self, index: int) -> bool:
        if index not in self._r:  # the question cue comes from the cache, not computed again
            self._r[index] = self.is_question(index) or has_request_cue(
                self.analysis.sentences[index].span)
        return self._r[index]

    @cached_property
    def clauses(self) -> LazyClauses:
        from .lazy_clauses import LazyClauses

        return LazyClauses(self.analysis.doc, [s.span for s in self.analysis.sentences])

    @cached_property
    def sentence_features(self) -> SentenceFeatures:
        """Features of the writer's prose sentences, for learned detectors (computed once)."""
        from .learned import draft_sentence_features

        return draft_sentence_features(self)

    # ---------------------------------------------------------------- anchors

    def _own(self, *kinds: SegmentKind) -> list[Segment]:
        return list(self.draft.segments_of(*kinds))

    @cached_property
    def body_segments(self) -> list[Segment]:
        return self._own(SegmentKind.BODY)

    def anchor_span(self, anchor: str) -> tuple[Span, int]:
        """(where to show a finding, where to insert text) for a named anchor.

        Findings about missing text sit on the line the text belongs next to, never at 0.
        """
        text = self.draft.text
        body = self.body_segments
        if anchor == "subject":
            for seg in self._own(SegmentKind.SUBJECT):
                return seg.span, seg.span.end
            first = self._first_own_span()
            return first, first.start
        if anchor in ("after-greeting", "body-start"):
            if anchor == "after-greeting":
                for seg in self._own(SegmentKind.GREETING):
                    return seg.span, seg.span.end
            if body:
                first_sent = self.sentences_in(body[0].span)
                span = first_sent[0] if first_sent else body[0].span
                return span, body[0].span.start
            first = self._first_own_span()
            return first, first.start
        # before-signoff / end-of-body: after the last body sentence that precedes the sign-off.
        limit = len(text)
        if anchor == "before-signoff":
            for seg in self._own(SegmentKind.SIGNOFF):
                limit = seg.span.start
                break
        candidates = [s for s in body if s.span.end <= limit] or body
        if candidates:
            last = candidates[-1]
            sents = self.sentences_in(last.span)
            return (sents[-1] if sents else last.span), last.span.end
        first = self._first_own_span()
        return first, first.end

    def _first_own_span(self) -> Span:
        for seg in self.draft.lintable_segments():
            return seg.span
        return Span(start=0, end=0)

    def sentences_in(self, span: Span) -> list[Span]:
        return [
            Span(start=s.start, end=s.end)
            for s in self.analysis.sentences
            if span.start <= s.start and s.end <= span.end
        ]

    # ---------------------------------------------------------------- metrics

    @cached_property
    def own_words(self) -> list[str]:
        return self._tokens[0]

    @cached_property
    def body_word_tokens(self) -> list[tuple[int, str]]:
        """(offset, word) of words in body and postscript, for length and overflow."""
        return self._tokens[1]

    @cached_property
    def _tokens(self) -> tuple[list[str], list[tuple[int, str]], int]:
        """One pass over the token array: own words, body words and the count of '!' tokens."""
        from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER, ORTH

        doc = self.analysis.doc
        strings = doc.vocab.strings
        own: list[str] = []
        body: list[tuple[int, str]] = []
        bangs = 0
        segs = [s.span for s in self.draft.segments if s.kind in _PROSE]
        k = 0
        rows = doc.to_array([IS_SPACE, IS_ALPHA, LIKE_NUM, IS_PUNCT, LOWER, ORTH, IDX]).tolist()
        for space, alpha, num, punct, lower, orth, idx in rows:
            if space:
                continue
            word = alpha or num
            if punct or not word:  # only these can start with '!' or hold an apostrophe
                text = strings[orth]
                bangs += text.startswith("!")
                if not punct and ("'" in text or "’" in text):
                    own.append(strings[lower])
                if not word:
                    continue
            else:
                own.append(strings[lower])
            while k < len(segs) and segs[k].end <= idx:  # tokens come in order
                k += 1
            if k < len(segs) and segs[k].start <= idx:
                body.append((idx, strings[lower]))
        return own, body, bangs

    @cached_property
    def stats(self) -> DraftStats:
        sents = [s for s in self.analysis.sentences if s.kind in _PROSE]
        questions = sum(1 for i, s in enumerate(self.analysis.sentences)
                        if s.kind in _PROSE and self.is_question(i))
        self_refs = reader_refs = 0
        for w in self.own_words:
            if w in _SELF:
                self_refs += 1
            elif w in _READER:
                reader_refs += 1
        return DraftStats(
            words=len(self.body_word_tokens),
            sentences=len(sents),
            questions=questions,
            paragraphs=len(self.body_segments) + len(self._own(SegmentKind.POSTSCRIPT)),
            self_references=self_refs,
            reader_references=reader_refs,
        )

    def metric(self, name: str) -> float:
        """A measure from the registry in metrics.py (KeyError for an unknown name)."""
        from .metrics import METRICS

        return METRICS[name].compute(self)

    def request_count(self) -> int:
        return sum(1 for i, s in enumerate(self.analysis.sentences)
                   if s.kind in _PROSE and self.is_request(i))

    def reading_grade(self) -> float:
        """Flesch-Kincaid grade over body words (syllables estimated from vowel groups)."""
        words = [w for _, w in self.body_word_tokens if w.isalpha()]
        st = self.stats
        if not words or not st.sentences:
            return 0.0
        syllables = sum(max(1, len(_VOWELS_RE.findall(w)) - (w.endswith("e") and len(w) > 3))
                        for w in words)
        return 0.39 * len(words) / st.sentences + 11.8 * syllables / len(words) - 15.59

    def overflow_offset(self, limit: int) -> int | None:
        words = self.body_word_tokens
        return words[limit][0] if len(words) > limit else None


_PROSE = frozenset({SegmentKind.BODY, SegmentKind.POSTSCRIPT})
