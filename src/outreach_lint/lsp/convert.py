"""Pure conversions between outreach-lint values and LSP values.

Everything here works on code-point offsets into the buffer text and turns them into LSP
positions with `LineIndex`, in the position encoding negotiated with the client. Nothing here
touches pygls, so it is easy to test.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lsprotocol import types

from ..catalog import RuleInfo
from ..models import Applicability, Finding, Fix, LineIndex, PositionEncoding, Severity, Span
from .buffer import TextBuffer

SOURCE = "outreach-lint"
FIX_ALL_KIND = "source.fixAll.outreach-lint"
FIX_ALL_TITLE = "Fix all safe problems (outreach-lint)"
EXAMPLE_LIMIT = 400

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def encoding_name(kind: types.PositionEncodingKind | str | None) -> PositionEncoding:
    """The `LineIndex` name of a negotiated LSP position encoding (UTF-16 when unknown)."""
    value = kind.value if isinstance(kind, types.PositionEncodingKind) else kind
    if value == "utf-8":
        return "utf-8"
    if value == "utf-32":
        return "utf-32"
    return "utf-16"


def choose_encoding(offered: Sequence[types.PositionEncodingKind | str] | None) -> PositionEncoding:
    """The client's most preferred encoding that we support; UTF-16 when it lists none.

    The spec lets the server pick from the client's list, in the client's order of
    preference; UTF-16 is the mandatory default for clients that list nothing.
    """
    for kind in offered or ():
        value = kind.value if isinstance(kind, types.PositionEncodingKind) else kind
        if value in ("utf-8", "utf-16", "utf-32"):
            return encoding_name(value)
    return "utf-16"


# ------------------------------------------------------------------------- positions


def to_position(index: LineIndex, offset: int, encoding: PositionEncoding) -> types.Position:
    line, col = index.position(offset, encoding)
    return types.Position(line=line, character=col)


def to_range(
    index: LineIndex, span: Span, encoding: PositionEncoding, length: int | None = None
) -> types.Range:
    """The LSP range of a span; offsets past the text (a stale report) are clamped."""
    limit = length if length is not None else span.end
    start, end = min(span.start, limit), min(span.end, limit)
    return types.Range(
        start=to_position(index, start, encoding), end=to_position(index, end, encoding)
    )


def to_offset(index: LineIndex, position: types.Position, encoding: PositionEncoding) -> int:
    return index.offset(position.line, position.character, encoding)


def apply_change(
    text: str,
    change: types.TextDocumentContentChangeEvent,
    encoding: PositionEncoding,
) -> str:
    """Apply one `didChange` content change with our own line index (never `splitlines`).

    The server applies changes to a `TextBuffer` it keeps per draft; this is the same for
    one change to a plain string.
    """
    if isinstance(change, types.TextDocumentContentChangePartial):
        buf = TextBuffer(text)
        start = buf.offset(change.range.start.line, change.range.start.character, encoding)
        end = buf.offset(change.range.end.line, change.range.end.character, encoding)
        buf.replace(start, max(start, end), change.text)
        return buf.text
    return change.text


# ----------------------------------------------------------------------- diagnostics


def diagnostic(finding: Finding, index: LineIndex, encoding: PositionEncoding,
               length: int) -> types.Diagnostic:
    """The diagnostic an editor shows for a finding."""
    return types.Diagnostic(
        range=to_range(index, finding.span, encoding, length),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.rule_id,
        code_description=(
            types.CodeDescription(href=finding.docs_url) if finding.docs_url else None
        ),
        source=SOURCE,
        data={"rule": finding.rule_id, "fixable": finding.fixable},
    )


def diagnostics(findings: Iterable[Finding], text: str, encoding: PositionEncoding,
                index: LineIndex | None = None) -> list[types.Diagnostic]:
    index = index or LineIndex(text)
    return [diagnostic(f, index, encoding, len(text)) for f in findings]


def problem_diagnostic(code: str, message: str, text: str,
                       encoding: PositionEncoding) -> types.Diagnostic:
    """One diagnostic explaining why the draft could not be checked, on its first line."""
    index = LineIndex(text)
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=0, character=0),
                          end=to_position(index, index.line_end(0), encoding)),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code=code,
        source=SOURCE,
    )


# ---------------------------------------------------------------------- code actions


def touches(span: Span, start: int, end: int) -> bool:
    """True when a finding's span meets the requested offsets (ends included)."""
    return span.start <= end and start <= span.end


def kind_wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP kinds are hierarchical: asking for `source` includes `source.fixAll.x`."""
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def fix_title(finding: Finding, fx: Fix) -> str:
    if fx.applicability is Applicability.DISPLAY_ONLY:
        return f"Suggestion: {fx.title} ({finding.rule_id})"
    if fx.applicability is Applicability.UNSAFE:
        return f"{fx.title} ({finding.rule_id}, review the wording)"
    return f"{fx.title} ({finding.rule_id})"


def quick_fixes(
    finding: Finding,
    uri: str,
    text: str,
    index: LineIndex,
    encoding: PositionEncoding,
    *,
    preferred_taken: bool,
) -> list[types.CodeAction]:
    """A finding's fixes as quick fixes; a fix without edits is skipped."""
    diag = diagnostic(finding, index, encoding, len(text))
    actions: list[types.CodeAction] = []
    for fx in finding.fixes:
        if not fx.edits:
            continue
        preferred = (
            not preferred_taken and fx.applicability is Applicability.SAFE
        )
        preferred_taken = preferred_taken or preferred
        edits = [
            types.TextEdit(range=to_range(index, e.span, encoding, len(text)),
                           new_text=e.replacement)
            for e in sorted(fx.edits, key=lambda e: (e.span.start, e.span.end))
        ]
        actions.append(
            types.CodeAction(
                title=fix_title(finding, fx),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=True if preferred else None,
                edit=types.WorkspaceEdit(changes={uri: edits}),
            )
        )
    return actions


def fix_all_action(uri: str, old: str, new: str, encoding: PositionEncoding) -> types.CodeAction:
    """Replace the whole document with the fixed text (one edit, like ruff's fixAll)."""
    index = LineIndex(old)
    whole = types.Range(
        start=types.Position(line=0, character=0),
        end=to_position(index, len(old), encoding),
    )
    return types.CodeAction(
        title=FIX_ALL_TITLE,
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=whole, new_text=new)]}),
    )


# ------------------------------------------------------------------------------ hover


@dataclass(frozen=True)
class RuleDoc:
    """What the hover shows about a rule (taken from its pack entry)."""

    rule_id: str
    message: str
    why: str
    source: str
    fail: str | None
    pass_: str | None


def rule_doc(rule: RuleInfo | None) -> RuleDoc | None:
    """The hover fields of a rule, from its public description."""
    if rule is None:
        return None
    fails, passes = rule.examples.fail, rule.examples.pass_
    return RuleDoc(
        rule_id=rule.id,
        message=rule.message,
        why=rule.why,
        source=rule.source_text,
        fail=fails[0] if fails else None,
        pass_=passes[0] if passes else None,
    )


def _example(text: str) -> str:
    text = text.strip()
    if len(text) > EXAMPLE_LIMIT:
        text = text[:EXAMPLE_LIMIT].rstrip() + " …"
    fence = "````" if "```" in text else "```"
    return f"{fence}text\n{text}\n{fence}"


def hover_markdown(finding: Finding, doc: RuleDoc | None) -> str:
    """Markdown for one finding: message, why, source, one failing and one passing example."""
    head = f"**{finding.rule_id}** ({finding.severity.value}): {finding.message}"
    parts = [head]
    if doc is not None:
        if doc.message and doc.message != finding.message:
            parts.append(f"*Rule:* {doc.message}")
        if doc.why:
            parts.append(f"**Why:** {doc.why}")
        if doc.source:
            parts.append(f"*Source:* {doc.source}")
        if doc.fail:
            parts.append("**Flagged:**\n\n" + _example(doc.fail))
        if doc.pass_:
            parts.append("**Fine:**\n\n" + _example(doc.pass_))
    if finding.docs_url:
        parts.append(f"[Rule documentation]({finding.docs_url})")
    return "\n\n".join(parts)


def hover_plaintext(markdown: str) -> str:
    """A plain-text rendering for clients that do not take markdown."""
    out = markdown.replace("**", "")
    for fence in ("````text\n", "```text\n", "\n````", "\n```"):
        out = out.replace(fence, "\n")
    return out
