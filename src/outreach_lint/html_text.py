"""The text of an HTML-only email, also when the HTML is built to hide it.

inscriptis gives the best layout, but its parser (libxml2) silently drops every element from
depth 255 on, and everything after it: an HTML mail nested that deep read as empty ("nothing
to check") while its job ask went out unchecked. So every HTML body is also read by a flat,
linear tag scan that measures the nesting depth and keeps all the text; when the HTML is
nested deeper than `MAX_HTML_DEPTH`, or inscriptis loses words the scan has, the scan's text
is used, with a notice.
"""

from __future__ import annotations

import html

import regex

from .models import Notice

MAX_HTML_DEPTH = 200

# One token at a time, each alternative linear: an unclosed comment or <script> runs to the
# end (as in a browser), and a tag stops at the next '<', so nothing is rescanned.
_TOKEN_RE = regex.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(?P<raw>script|style|head|title|template)\b[^<>]*>.*?(?:</(?P=raw)\s*>|\Z)"
    r"|<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9:-]*)[^<>]*?(?P<self>/?)>"
    r"|<![^<>]*>",
    regex.DOTALL | regex.IGNORECASE,
)
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
})
# Opening one of these closes an open one of the same name (HTML's implied end tags).
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
_WORD_RE = regex.compile(r"\w+")


def scan(markup: str) -> tuple[str, int]:
    """(text, nesting depth) of HTML by one linear scan; block tags become line breaks."""
    out: list[str] = []
    stack: list[str] = []
    open_count: dict[str, int] = {}
    depth = pos = 0
    for m in _TOKEN_RE.finditer(markup):
        out.append(html.unescape(markup[pos : m.start()]))
        pos = m.end()
        tag = (m.group("tag") or "").lower()
        if not tag:
            continue
        if tag in _BLOCK:
            out.append("\n")
        if m.group("close"):
            if open_count.get(tag):
                while stack:  # close up to the matching element (amortised linear)
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == tag:
                        break
            continue
        if tag in _VOID or m.group("self"):
            continue
        if tag in _SELF_CLOSING_SIBLINGS and stack and stack[-1] == tag:
            stack.pop()
            open_count[tag] -= 1
        stack.append(tag)
        open_count[tag] = open_count.get(tag, 0) + 1
        depth = max(depth, len(stack))
    out.append(html.unescape(markup[pos:]))
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line), depth


def html_text(markup: str, notices: list[Notice]) -> str:
    """The readable text of an HTML body; a notice says when the flat scan had to be used."""
    flat, depth = scan(markup)
    if depth > MAX_HTML_DEPTH:
        notices.append(Notice(
            code="html-too-deep",
            message=f"the HTML is nested {depth} elements deep (more than {MAX_HTML_DEPTH});"
            " its text was read without the layout",
        ))
        return flat
    from inscriptis import get_text  # imported lazily: only HTML-only mail needs it

    try:
        text: str = get_text(markup)
    except (RecursionError, ValueError) as exc:
        notices.append(Notice(code="html-unreadable",
                              message=f"the HTML could not be laid out ({type(exc).__name__});"
                              " its text was read without the layout"))
        return flat
    if _lost_words(text, flat):
        notices.append(Notice(code="html-text-lost",
                              message="the HTML reader dropped part of the text; the text was"
                              " read without the layout instead"))
        return flat
    return text


def _lost_words(laid_out: str, flat: str) -> bool:
    """True when the flat scan has words the laid-out text lacks (beyond small differences)."""
    have = len(_WORD_RE.findall(laid_out))
    want = len(_WORD_RE.findall(flat))
    return want > have + 5 and want > have * 1.1
