"""Turn a rule's FixSpec into concrete `Fix` values: templates filled from captured context."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

import regex

from ..models import Edit, Fix, Span

if TYPE_CHECKING:
    from .context import Context
    from .detect import Hit
    from .schema import FixSpec

_FORMATTER = string.Formatter()
#: Seconds a capture regex may search one draft before it is given up.
CAPTURE_TIMEOUT = 0.1


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def pick_template(
    templates: list[str], values: dict[str, str], avoid: set[str] | frozenset[str] = frozenset()
) -> str | None:
    """The first template whose every {field} has a value (most specific first).

    Results in `avoid` (already proposed for another finding of the same draft) are skipped,
    so two flagged sentences never get the same rewrite.
    """
    for t in templates:
        if template_fields(t) <= values.keys():
            filled = t.format(**values)
            if filled not in avoid:
                return filled
    return None


class CaptureSet:
    """A FixSpec's capture regexes, compiled once.

    Unlike match patterns, captures are case-sensitive (a proper name is told apart by its
    capital letter); a capture that should ignore case starts with `(?i)`.
    """

    def __init__(self, captures: dict[str, str]) -> None:
        self.sources = captures
        self._patterns: dict[str, regex.Pattern[str]] | None = None

    @property
    def patterns(self) -> dict[str, regex.Pattern[str]]:
        # Compiled on first use, not when the pack loads: a draft needs only the captures of
        # the rules it breaks.
        if self._patterns is None:
            # VERSION0: full case folding (VERSION1) backtracks pathologically on long words.
            self._patterns = {
                name: regex.compile(src, regex.VERSION0) for name, src in self.sources.items()
            }
        return self._patterns

    def values(self, ctx: Context, near: Span | None, hit: Hit | None = None) -> dict[str, str]:
        """Captures from the hit, then its sentence, then the writer's whole text."""
        out: dict[str, str] = dict(hit.groups) if hit else {}
        texts = []
        if near is not None:
            texts.append(ctx.analysis.text[near.start : near.end])
        texts.append(ctx.analysis.text)
        for name, pattern in self.patterns.items():
            if name in out:
                continue
            for t in texts:
                try:
                    m = pattern.search(t, timeout=CAPTURE_TIMEOUT)
                except TimeoutError:
                    break  # a capture is optional: the templates fall back to plainer ones
                if m:
                    value = next((g for g in m.groups() if g), m.group(0))
                    out[name] = _tidy(value)
                    break
        return out


def _tidy(value: str) -> str:
    return " ".join(value.split()).strip(" ,.;:!?\"'“”‘’")


def preserve_case(original: str, replacement: str) -> str:
    """Give the replacement the original's casing: UPPER, Title-first or as written."""
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    if original[:1].islower() and replacement[:1].isupper() and not _proper(replacement):
        return replacement[:1].lower() + replacement[1:]
    return replacement


def _proper(word: str) -> bool:
    first = word.split(" ", 1)[0]
    return first in ("I", "I'd", "I'm", "I’d", "I’m") or (len(first) > 1 and first.isupper())


def newline_of(text: str) -> str:
    """The draft's own line break (CRLF, CR-only or LF), so a fix never mixes them."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def insertion_edit(ctx: Context, offset: int, sentence: str, as_: str, at_start: bool) -> Edit:
    """An insertion that reads naturally: a new sentence or a new paragraph at `offset`."""
    text = ctx.draft.text
    nl = newline_of(text)
    if as_ == "paragraph":
        if at_start:
            return Edit(span=Span(start=offset, end=offset), replacement=sentence + nl + nl)
        if offset == 0 or not text[:offset].strip():
            return Edit(span=Span(start=offset, end=offset), replacement=sentence + nl + nl)
        return Edit(span=Span(start=offset, end=offset), replacement=nl + nl + sentence)
    if at_start:
        return Edit(span=Span(start=offset, end=offset), replacement=sentence + " ")
    before = text[offset - 1 : offset] if offset else ""
    sep = "" if not before or before.isspace() else " "
    return Edit(span=Span(start=offset, end=offset), replacement=sep + sentence)


def build_fix(
    spec: FixSpec,
    captures: CaptureSet,
    ctx: Context,
    *,
    hit: Hit | None,
    sentence: Span | None,
    insert_at: tuple[int, bool] | None = None,
    avoid: set[str] | None = None,
    redundant: bool = False,
) -> Fix | None:
    """The concrete fix for one finding, or None when no template can be filled.

    `avoid` collects the rewrites already proposed in this draft: when every template would
    repeat one, or when `redundant` says a rewrite was already proposed for the same
    paragraph, the sentence is removed instead (the earlier rewrite already says it).
    """
    values = captures.values(ctx, sentence, hit)
    seen = avoid if avoid is not None else set()
    text = ctx.draft.text
    title = spec.title
    edits: list[Edit] = []
    in_subject = sentence is not None and _segment_kind(ctx, sentence.start) == "subject"
    if in_subject and (spec.replace_sentence or spec.replace_subject):
        new = pick_template(spec.replace_subject, values, seen)
        if new is None or sentence is None:
            return None
        seen.add(new)
        edits.append(Edit(span=sentence, replacement=new))
    elif spec.replace_sentence and sentence is not None:
        new = None if redundant else pick_template(spec.replace_sentence, values, seen)
        if new is None:
            if not redundant and not any(
                template_fields(t) <= values.keys() for t in spec.replace_sentence
            ):
                return None
            title = "Remove this sentence (the rewrite above covers it)"
            edits.append(_deletion(text, sentence))
        else:
            seen.add(new)
            edits.append(Edit(span=sentence, replacement=new))
    elif spec.replace_match and hit is not None:
        new = pick_template(spec.replace_match, values)
        if new is None:
            return None
        original = text[hit.start : hit.end]
        edits.append(Edit(span=Span(start=hit.start, end=hit.end),
                          replacement=preserve_case(original, new)))
    elif spec.delete is not None:
        target = sentence if spec.delete == "sentence" else (
            Span(start=hit.start, end=hit.end) if hit else None
        )
        if target is None:
            return None
        edits.append(_deletion(text, target))
    elif spec.insert is not None and insert_at is not None:
        new = pick_template(spec.insert.text, values)
        if new is None:
            return None
        offset, at_start = insert_at
        edits.append(insertion_edit(ctx, offset, new, spec.insert.as_, at_start))
    if not edits and spec.applicability.value != "display-only":
        return None
    return Fix(title=title, edits=tuple(edits), applicability=spec.applicability)


def _deletion(text: str, target: Span) -> Edit:
    """Delete a span with the spaces after it (or, at a line's end, before it), so no stray
    space is left behind."""
    start, end = target.start, target.end
    while end < len(text) and text[end] in " \t":
        end += 1
    if end == target.end:
        while start > 0 and text[start - 1] in " \t":
            start -= 1
    return Edit(span=Span(start=start, end=end), replacement="")


def _segment_kind(ctx: Context, offset: int) -> str | None:
    seg = ctx.draft.segment_at(offset)
    return seg.kind.value if seg else None
