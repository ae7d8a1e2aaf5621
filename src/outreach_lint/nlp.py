"""The spaCy layer: one pipeline, built once, and a `Doc` whose offsets are the draft's own.

Choice (measured in benchmarks/run.py and docs/nlp.md): a blank English pipeline (tokenizer
only) plus our own sentence boundaries. It needs no model download, loads in ~0.1 s and
tokenizes a 200-word draft in well under a millisecond. The rules rely on word classes,
negation and question cues over tokens, not on a parser. A statistical model can be named in
the config (`model = "en_core_web_sm"`); when it is not installed the blank pipeline is used
and the report carries a notice saying so.

The doc is built over a *masked* copy of the draft: every character outside the writer's own
segments (quotes, signature, header labels) becomes a space, newlines are kept. The masked
text has the same length as the draft, so a token's `idx` is its offset in `Draft.text`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import regex

from .models import Notice, SegmentKind
from .template import neutralise

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from .draft import Draft

_lock = threading.Lock()
_pipelines: dict[str, tuple[Language, Notice | None]] = {}

BLANK = "blank:en"


def get_nlp(model: str | None = None) -> tuple[Language, Notice | None]:
    """The cached pipeline for `model` (default: blank English), and a notice if degraded."""
    name = model or BLANK
    cached = _pipelines.get(name)
    if cached is not None:
        return cached
    with _lock:
        cached = _pipelines.get(name)
        if cached is None:
            cached = _build(name)
            _pipelines[name] = cached
    return cached


def _build(name: str) -> tuple[Language, Notice | None]:
    import spacy  # heavy: imported only when the first draft is linted

    if name == BLANK:
        return spacy.blank("en"), None
    try:
        nlp = spacy.load(name, exclude=["ner", "lemmatizer", "textcat"])
    except (OSError, ImportError) as exc:
        notice = Notice(
            code="model-missing",
            message=f"spaCy model {name!r} is not installed ({exc.__class__.__name__});"
            " using the blank English pipeline. Install it with: pip install 'outreach-lint[model]'",
        )
        return spacy.blank("en"), notice
    return nlp, None


# "Re: ..." / "Fwd: ..." repeats the other side's subject: not the writer's words.
_REPLY_SUBJECT_RE = regex.compile(r"(?i)^\s*(?:re|fwd?|aw|wg|sv|vs|tr)\s*(?:\[\d+\])?\s*:")


def masked_text(draft: Draft) -> str:
    """The draft with every character that is not the writer's own words blanked (newlines
    kept), template placeholders turned into neutral tokens (see template.py); same length."""
    text = draft.text
    keep = bytearray(len(text))
    for seg in draft.lintable_segments():
        if seg.kind is SegmentKind.SUBJECT and _REPLY_SUBJECT_RE.match(seg.span.text(text)):
            continue
        keep[seg.span.start : seg.span.end] = b"\x01" * len(seg.span)
    if not all(keep):
        # Blank each run of dropped characters with one substitution, not char by char.
        parts: list[str] = []
        pos = 0
        for run in _DROPPED_RE.finditer(keep):
            parts.append(text[pos : run.start()])
            parts.append(_NOT_NEWLINE_RE.sub(" ", text[run.start() : run.end()]))
            pos = run.end()
        parts.append(text[pos:])
        text = "".join(parts)
    return neutralise(text)


_DROPPED_RE = regex.compile(rb"\x00+")
_NOT_NEWLINE_RE = regex.compile(r"[^\n\r]")


_SENT_END = frozenset({".", "!", "?", "…", "?!", "!?", "..."})
_CLOSERS = frozenset({'"', "'", "”", "’", ")", "]"})
_BULLET_RE = regex.compile(r"^(?:[-*•·]|\d{1,2}[.)])$")
_BLANK_LINE_RE = regex.compile(r"\n[ \t\r]*\n|\r[ \t]*\r")


def set_sentences(doc: Doc, draft: Draft) -> None:
    """Sentence starts from punctuation, blank lines, bullets and segment boundaries.

    The flags are written once with `Doc.from_array`: setting `Token.is_sent_start` token by
    token re-checks the whole doc's annotation each time, which made long drafts quadratic.
    """
    import numpy as np
    from spacy.attrs import SENT_START

    starts = {seg.span.start for seg in draft.lintable_segments()}
    n = len(doc)
    if not n:
        return
    flags = np.full(n, -1, dtype="int32")
    flags[0] = 1
    after_end = True
    whole = doc.text  # built once: `Doc.text` joins every token on each access
    for tok in doc:
        i, text = tok.i, tok.text
        if tok.is_space:
            if _BLANK_LINE_RE.search(text) or ("\n" in text and not _continues_line(doc, i, whole)):
                after_end = True
            continue
        if after_end and _attached_end(doc, i):
            continue  # `."` or `?!`: it ends the sentence before it; the next token starts one
        # (A bullet at a line's start needs no case here: the line break before it already
        # ended the sentence, see _continues_line.)
        if after_end or tok.idx in starts:
            flags[i] = 1
        # (spaCy splits runs of marks, "!!!", "?!", into one token each, all in _SENT_END; a
        # segment that starts right after this token is a sentence start through `starts`.)
        after_end = text in _SENT_END
        if text in _CLOSERS and i > 0 and doc[i - 1].text in _SENT_END:
            after_end = True
    doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))  # type: ignore[arg-type]


def _attached_end(doc: Doc, i: int) -> bool:
    """A closing quote or more end punctuation written right after a sentence's end."""
    if i == 0 or doc[i - 1].whitespace_:
        return False
    return doc[i].text in _CLOSERS or doc[i].text in _SENT_END


def _continues_line(doc: Doc, i: int, text: str) -> bool:
    """A single line break continues a sentence unless the next line is clearly a new one."""
    if i + 1 >= len(doc) or i == 0:
        return True
    prev, nxt = doc[i - 1], doc[i + 1]
    if _BULLET_RE.match(nxt.text):
        return False
    # Short unpunctuated lines followed by a capital ("Thanks so much\nI was hoping ...")
    # are separate sentences in chatty notes; hard-wrapped prose has long lines.
    line_start = text.rfind("\n", 0, prev.idx) + 1
    return not (prev.idx + len(prev) - line_start < 40 and nxt.is_title and not prev.is_punct)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the writer's text with its offsets in `Draft.text`."""

    span: Span
    start: int
    end: int
    kind: SegmentKind | None


class Analysis:
    """The spaCy doc of a draft plus what rules ask of it, each computed at most once."""

    def __init__(self, draft: Draft, model: str | None = None, doc: Doc | None = None) -> None:
        """Analyse `draft`; `doc` is a doc of `masked_text(draft)` already made by `nlp.pipe`."""
        self.draft = draft
        nlp, self.notice = get_nlp(model)
        self.text = masked_text(draft)
        if doc is None:
            doc = nlp.make_doc(self.text) if model in (None, BLANK) else nlp(self.text)
        elif doc.text != self.text:
            raise ValueError("the doc was not made from this draft's masked text")
        self.doc: Doc = doc
        set_sentences(self.doc, draft)

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        out = []
        for sent in self.doc.sents:
            toks = [t for t in sent if not t.is_space]
            if not toks:
                continue
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
            seg = self.draft.segment_at(start)
            out.append(
                Sentence(self.doc[toks[0].i : toks[-1].i + 1], start, end, seg.kind if seg else None)
            )
        return tuple(out)
