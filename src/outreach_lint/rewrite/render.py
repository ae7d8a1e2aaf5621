"""Turn the planner's sentence-level operations into one list of non-overlapping edits.

Operations name a sentence or paragraph of the layout, never an offset worked out by a rule,
so two needs that touch the same place (a rewrite and an insertion after it, two insertions
after the meeting ask) become one edit instead of two that collide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import regex

from ..models import Edit, Span
from .placement import Layout

OpKind = Literal["replace", "delete", "before", "after", "adjust", "para", "subject", "raw"]
# A sentence that ends in a smiley has no full stop of its own: new sentences go before it.
_SMILEY_RE = regex.compile(r"(?<=[\p{L}\p{N}])[ \t]*(?:[:;]-?[)(DPp]|\p{Extended_Pictographic})+$")
_END_PUNCT = (".", "!", "?", "…", '"', "”", "’", "'", ")", "]", ":", ";")


@dataclass(frozen=True)
class Op:
    """One change: `target` is a sentence index (a paragraph index for "para")."""

    kind: OpKind
    target: int
    text: str = ""
    order: int = 0
    group: str = "ask"
    edit: Edit | None = None


def render(layout: Layout, ops: Iterable[Op]) -> list[Edit]:
    text = layout.text
    nl = layout.nl
    replace: dict[int, str] = {}
    delete: set[int] = set()
    before: dict[int, list[Op]] = {}
    after: dict[int, list[Op]] = {}
    adjust: dict[int, list[Edit]] = {}
    paras: dict[int, list[Op]] = {}
    raw: list[Edit] = []
    for op in ops:
        if op.kind in ("replace", "subject"):
            replace[op.target] = op.text
        elif op.kind == "delete":
            delete.add(op.target)
        elif op.kind == "before":
            before.setdefault(op.target, []).append(op)
        elif op.kind == "after":
            after.setdefault(op.target, []).append(op)
        elif op.kind == "adjust" and op.edit is not None:
            adjust.setdefault(op.target, []).append(op.edit)
        elif op.kind == "para":
            paras.setdefault(op.target, []).append(op)
        elif op.kind == "raw" and op.edit is not None:
            raw.append(op.edit)
    edits: list[Edit] = []
    inserts: dict[int, list[str]] = {}

    def words(ops_: list[Op]) -> list[str]:
        return [o.text for o in sorted(ops_, key=lambda o: o.order)]

    dropped_paras = _dropped_paragraphs(layout, delete, before, after, replace)
    for s in layout.sentences:
        i = s.index
        pre, post = words(before.get(i, [])), words(after.get(i, []))
        if s.para in dropped_paras:
            continue
        if i in replace or (i in delete and (pre or post)):
            core = [] if i in delete else [replace[i]]
            edits.append(Edit(span=s.span, replacement=" ".join(pre + core + post)))
            continue
        if i in delete:
            edits.append(_deletion(text, s.span))
            continue
        if pre:
            inserts.setdefault(s.span.start, []).append(" ".join(pre) + " ")
        edits.extend(adjust.get(i, []))
        if post:
            own = s.text(text).rstrip()
            smiley = _SMILEY_RE.search(own)
            if smiley:  # "... connect :)" -> "... connect. Would you ...? :)"
                at = s.span.start + smiley.start()
                inserts.setdefault(at, []).append(". " + " ".join(post))
            else:
                stop = "" if own.endswith(_END_PUNCT) else "."
                inserts.setdefault(s.span.end, []).append(stop + " " + " ".join(post))
    for p in layout.paras:
        if p.index in dropped_paras:
            edits.append(_paragraph_deletion(layout, p.index))
    for pi, ops_ in sorted(paras.items()):
        para = layout.paras[pi]
        groups: dict[str, list[Op]] = {}
        for o in ops_:
            groups.setdefault(o.group, []).append(o)
        blocks = [" ".join(words(g)) for _, g in sorted(groups.items(), key=lambda kv: _group_rank(kv[0]))]
        inserts.setdefault(para.span.end, []).append("".join(nl + nl + b for b in blocks))
    for at, parts in inserts.items():
        edits.append(Edit(span=Span(start=at, end=at), replacement="".join(parts)))
    edits.extend(raw)
    edits.sort(key=lambda e: (e.span.start, e.span.end))
    return _merge_deletions(text, edits)


def _merge_deletions(text: str, edits: list[Edit]) -> list[Edit]:
    """Two neighbouring deletions may both claim the space between them: make them one
    (which, when it reaches the end of its line, also takes the spaces before it)."""
    out: list[Edit] = []
    for e in edits:
        last = out[-1] if out else None
        if last is not None and not last.replacement and not e.replacement and \
                len(last.span) and len(e.span) and e.span.start <= last.span.end:
            start, end = last.span.start, max(last.span.end, e.span.end)
            if end >= len(text) or text[end] in "\r\n":
                while start > 0 and text[start - 1] in " \t" and (
                        len(out) < 2 or out[-2].span.end < start):
                    start -= 1
            out[-1] = Edit(span=Span(start=start, end=end), replacement="")
            continue
        out.append(e)
    return out


def conflicts(edit: Edit, others: Iterable[Edit]) -> bool:
    """True when `edit` overlaps or touches text another edit replaces."""
    a = edit.span
    for o in others:
        b = o.span
        if a.overlaps(b):
            return True
        if len(a) == 0 and len(b) > 0 and b.start <= a.start <= b.end:
            return True
        if len(b) == 0 and len(a) > 0 and a.start <= b.start <= a.end:
            return True
    return False


def _group_rank(name: str) -> int:
    return {"ask": 0, "thanks": 1}.get(name, 2)


def _dropped_paragraphs(layout: Layout, delete: set[int], before: dict[int, list[Op]],
                        after: dict[int, list[Op]], replace: dict[int, str]) -> set[int]:
    """Paragraphs whose every sentence is deleted and that get nothing new: removed whole."""
    out = set()
    for p in layout.paras:
        idx = p.sentences
        if idx and all(i in delete and i not in before and i not in after and i not in replace
                       for i in idx) and _only_sentences(layout, p.index):
            out.add(p.index)
    return out


def _only_sentences(layout: Layout, pi: int) -> bool:
    """True when the paragraph's sentences cover all its text (no stray words left)."""
    p = layout.paras[pi]
    covered = "".join(layout.sentences[i].text(layout.text) for i in p.sentences)
    return len(covered.split()) == len(p.span.text(layout.text).split())


def _paragraph_deletion(layout: Layout, pi: int) -> Edit:
    """Delete a paragraph with the blank line before it (after it, for the first one)."""
    text = layout.text
    p = layout.paras[pi]
    start = p.span.start
    while start > 0 and text[start - 1] in " \t\r\n":
        start -= 1
    if start == 0:  # nothing before it: take the break after it instead
        end = p.span.end
        while end < len(text) and text[end] in " \t\r\n":
            end += 1
        return Edit(span=Span(start=p.span.start, end=end), replacement="")
    return Edit(span=Span(start=start, end=p.span.end), replacement="")


def _deletion(text: str, target: Span) -> Edit:
    """Delete a sentence with the spaces after it when more text follows on its line, else
    with the spaces before it (trailing spaces at a line's end belong to nobody's edit)."""
    start, end = target.start, target.end
    j = end
    while j < len(text) and text[j] in " \t":
        j += 1
    if j < len(text) and text[j] not in "\r\n":
        end = j
    else:
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        # A sentence alone on its line goes with its line break, so no blank line opens up.
        if start > 0 and text[start - 1] in "\r\n" and j < len(text):
            end = j + (2 if text[j : j + 2] == "\r\n" else 1)
    return Edit(span=Span(start=start, end=end), replacement="")
