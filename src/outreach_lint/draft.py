"""Parse a source (text, text with a header block, RFC 822 / MIME) into a `Draft` of segments.

Every segment carries an exact half-open span into `Draft.text`. For text input `Draft.text`
is the input string itself; for a message it is the decoded message rendered as
`Subject: ...` plus a blank line plus the plain-text body, and `Draft.spans_refer_to` says so.
"""

from __future__ import annotations

import bisect
import email
import email.policy
import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Literal

import regex

from .errors import InputError
from .html_text import html_text
from .models import LINTABLE_KINDS, Attachment, Notice, SegmentKind, Span

# Header names an editor buffer (mutt's edit_headers, aerc, git format-patch) puts on top.
_KNOWN_HEADERS = frozenset(
    ["from", "to", "cc", "bcc", "subject", "reply-to", "date", "in-reply-to", "references", "message-id", "sender", "organization", "mime-version", "content-type", "content-transfer-encoding", "user-agent", "fcc", "attach", "newsgroups", "followup-to", "mail-followup-to", "return-path", "received", "delivered-to", "list-id", "precedence", "importance", "x-mailer"]
)
# Headers people paste above a draft, sometimes with blank lines between them.
_PASTED_HEADERS = frozenset(["from", "to", "cc", "bcc", "subject", "date", "reply-to"])
# Headers that only a real message (not an editor buffer) carries.
_MESSAGE_HEADERS = frozenset(
    ["mime-version", "content-type", "content-transfer-encoding", "received", "message-id", "return-path", "delivered-to"]
)
# "Subject line:" and "Email subject:" are how templates and pasted drafts label a subject.
_HEADER_RE = regex.compile(
    r"([A-Za-z][A-Za-z0-9-]*|(?i:subject[ \t]+line|e-?mail[ \t]+subject(?:[ \t]+line)?)):[ \t]?(.*)")


def _header_name(m: regex.Match[str]) -> str:
    """The header's name, lowercase; the subject's spelled-out variants are "subject"."""
    name = m.group(1).lower()
    return "subject" if "subject" in name else name
_QUOTE_LINE_RE = regex.compile(r"[ \t]{0,3}>")
_ATTRIBUTION_RE = regex.compile(
    r"(?i)^\s*(?:on\b.{0,200}\bwrote:|le\b.{0,200}a écrit\s?:|am\b.{0,200}schrieb\b.{0,80}:|"
    r"el\b.{0,200}escribió:)\s*$"
)
_ATTRIBUTION_START_RE = regex.compile(r"(?i)^\s*on\s+\S")
_FORWARD_RE = regex.compile(
    r"(?i)^\s*(?:-{2,}\s*(?:original message|forwarded message)\s*-{2,}|begin forwarded message:)"
)
_OUTLOOK_FROM_RE = regex.compile(r"(?i)^\s*\*?from:\*?\s+\S")
_OUTLOOK_NEXT_RE = regex.compile(r"(?i)^\s*\*?(?:sent|date|to|subject):\*?\s")
_SIG_DELIM_RE = regex.compile(r"^--[ \t]?$")
_MOBILE_SIG_RE = regex.compile(r"(?i)^\s*sent from my \w+")
_GREETING_RE = regex.compile(
    r"(?i)^[ \t]*(?:hi|hello|hey|dear|greetings|good\s+(?:morning|afternoon|evening|day)|hiya|"
    r"howdy|to\s+whom\s+it\s+may\s+concern|salutations)\b"
    # who is greeted, never the writer talking ("hi im free to work any day,")
    r"(?:(?!\b(?:i|im|i['’](?:m|ve|d|ll)|my|me|we|am)\b)[^\n,!:;?]){0,50}?(?:[,!:;]|[ \t]*$)"
)
_CLOSING_WORDS = (
    r"(?:best(?:\s+(?:regards|wishes))?|kind(?:est)?\s+regards|warm(?:est)?\s+(?:regards|wishes)|"
    r"regards|many\s+thanks|"
    # "Thanks so much", "Thank you again for your time", "Thanks for considering it"
    r"(?:thanks|thank\s+you)(?:\s+(?:so|very)\s+much|\s+again|\s+a\s+(?:lot|ton|million)|"
    r"\s+in\s+advance|\s+either\s+way|\s+kindly)?(?:\s+for\s+[^\n,.!?]{1,50})?|"
    r"sincerely(?:\s+yours)?|yours(?:\s+(?:sincerely|truly|faithfully))?|"
    r"cheers|all\s+the\s+best|(?:most\s+|very\s+)?respectfully(?:\s+yours|\s+submitted)?|gratefully|with\s+(?:gratitude|thanks|appreciation)|"
    r"warmly|take\s+care|talk\s+soon|cordially|with\s+best\s+regards|best\s+of\s+luck|"
    r"looking\s+forward\s+to\s+hearing\s+from\s+you|hop(?:e|ing)\s+to\s+hear\s+from\s+you(?:\s+soon)?)"
)
# A closing on a line of its own ("Best regards,") or followed by a short name ("Thanks, Sam").
_CLOSING_RE = regex.compile(
    rf"(?i)^[ \t]*(?P<closing>{_CLOSING_WORDS}[ \t]*[,.!—–-]*)[ \t]*"
    r"(?P<name>(?:\p{Lu}[\p{L}.'’-]*(?:[ \t]+\p{Lu}[\p{L}.'’-]*){0,3}))?[ \t]*$"
)
# A first line that is only a name or title with a comma: "Mr. Whitfield,", "Dr. Okafor,".
_BARE_ADDRESS_RE = regex.compile(
    r"^[ \t]*(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?[ \t]+|Professor[ \t]+)?\p{Lu}[\p{L}'’.-]*"
    r"(?:[ \t]+\p{Lu}[\p{L}'’.-]*){0,2}[ \t]*,[ \t]*$"
)
_PS_RE = regex.compile(r"(?i)^[ \t]*p\.?[ \t]?(?:p\.?[ \t]?)?s\b\.?[:.]?")
_NAME_LINE_RE = regex.compile(r"^[ \t]*\p{Lu}[\p{L}.'’-]*(?:[ \t]+\p{Lu}?[\p{L}.'’-]+){0,3}[ \t]*$")

#: Drafts longer than this many characters are reported, not linted (outreach is ~200 words).
DEFAULT_MAX_CHARS = 100_000
#: The most `max-chars` may be: spaCy's tokenizer refuses longer texts (`nlp.max_length`).
MAX_CHARS_LIMIT = 1_000_000
#: A message with more MIME parts than this, or nested deeper, is reported as not checked: no
#: outreach email has them, parsing them costs seconds to minutes, and the stdlib parser
#: recurses once per level (a RecursionError near 1,000 levels).
MAX_MIME_PARTS = 1000
MAX_MIME_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Segment:
    """One part of a draft, with its exact span in `Draft.text`."""

    kind: SegmentKind
    span: Span

    @property
    def lintable(self) -> bool:
        return self.kind in LINTABLE_KINDS


@dataclass(frozen=True, slots=True)
class Draft:
    """A parsed draft: its text, the segments it divides into, and what came with it."""

    text: str
    segments: tuple[Segment, ...]
    source_kind: Literal["text", "eml"] = "text"
    spans_refer_to: Literal["source", "decoded-text"] = "source"
    headers: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    notices: tuple[Notice, ...] = field(default=())
    #: Why the draft cannot be checked at all (a hostile MIME structure); lint reports it.
    refused: str | None = None
    _index: tuple[tuple[Segment, ...], list[int], list[int]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.segments, key=lambda s: (s.span.start, s.span.end)))
        reach = list(itertools.accumulate((s.span.end for s in ordered), max))
        object.__setattr__(self, "_index", (ordered, [s.span.start for s in ordered], reach))

    def lintable_segments(self) -> Iterator[Segment]:
        return (s for s in self.segments if s.lintable)

    def segments_of(self, *kinds: SegmentKind) -> Iterator[Segment]:
        return (s for s in self.segments if s.kind in kinds)

    def segment_at(self, offset: int) -> Segment | None:
        """The first segment (in start order) holding `offset`, by bisection: rules ask this
        for every hit and word, and a header block can hold tens of thousands of segments."""
        ordered, starts, reach = self._index
        i = bisect.bisect_right(starts, offset) - 1
        found = None
        while i >= 0 and reach[i] > offset:  # reach[i]: the furthest end of segments 0..i
            seg = ordered[i]
            if seg.span.start <= offset < seg.span.end:
                found = seg
            i -= 1
        return found

    @property
    def subject(self) -> str | None:
        for s in self.segments:
            if s.kind is SegmentKind.SUBJECT:
                return s.span.text(self.text)
        return None

    def header(self, name: str) -> str | None:
        low = name.lower()
        for k, v in self.headers:
            if k.lower() == low:
                return v
        return None


#: What `lint()` accepts; a `Draft` (already parsed, e.g. by a hook) is used as it is.
Source = str | bytes | os.PathLike[str] | Message | Draft


# --------------------------------------------------------------------------- entry points


def parse(source: Source) -> Draft:
    """Parse any supported source into a `Draft`. Raises `InputError` for unreadable input."""
    if isinstance(source, Draft):
        return source
    if isinstance(source, Message):
        return parse_message(source)
    if isinstance(source, bytes | bytearray | memoryview):
        return parse_bytes(bytes(source))
    if isinstance(source, str):
        return parse_text(source)
    if isinstance(source, os.PathLike):
        return parse_path(Path(os.fspath(source)))
    raise InputError(
        f"cannot lint a {type(source).__name__}: pass text (str), bytes, a path (pathlib.Path)"
        " or an email.message.Message"
    )


def parse_path(path: Path) -> Draft:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() in {".eml", ".msg", ".mbox"} and _looks_like_message(data):
        return parse_message_bytes(data)
    return parse_bytes(data)


def parse_bytes(data: bytes) -> Draft:
    """Bytes are a MIME message when they start with message headers, else encoded text."""
    if _looks_like_message(data):
        return parse_message_bytes(data)
    text, notices = decode_text_bytes(data)
    draft = parse_text(text)
    spans: Literal["source", "decoded-text"] = "decoded-text"
    return Draft(draft.text, draft.segments, "text", spans, draft.headers, (),
                 (*notices, *draft.notices))


def decode_text_bytes(data: bytes) -> tuple[str, list[Notice]]:
    """Decode draft bytes without losing any: UTF-8 (with or without BOM), else Windows-1252."""
    if _is_binary(data):
        raise InputError(
            "this looks like binary data, not a draft: save the email as plain text or .eml"
        )
    try:
        return data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"), []
    except UnicodeDecodeError as exc:
        # Latin-1 maps every byte to one character, so nothing is lost and offsets stay exact.
        notice = Notice(
            code="decoded-latin-1",
            message=f"the draft is not valid UTF-8 (byte {exc.start}); read it as Latin-1",
        )
        return data.decode("latin-1"), [notice]


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.1


def looks_like_message(data: bytes) -> bool:
    """True when the bytes start with the headers of a real message (not an editor buffer)."""
    return _looks_like_message(data)


def _looks_like_message(data: bytes) -> bool:
    head = data[:16384].lstrip(b"\r\n")
    if head.startswith(b"From ") and b"\n" in head:  # mbox "From " separator line
        head = head.split(b"\n", 1)[1]
    lines = head.splitlines()
    if len(data) > 16384 and lines:
        lines.pop()  # cut off at the window's edge: judge only complete lines
    names: set[str] = set()
    for raw in lines:
        if not raw.strip():
            break
        if raw[:1] in (b" ", b"\t"):
            continue
        m = _HEADER_RE.match(raw.decode("latin-1"))
        if not m:
            return False
        names.add(m.group(1).lower())
    return bool(names & _MESSAGE_HEADERS)


# --------------------------------------------------------------------------- MIME


def parse_message_bytes(data: bytes) -> Draft:
    """Parse the bytes of an RFC 822 / MIME message (an mbox `From ` line is skipped)."""
    if data.startswith(b"From ") and b"\n" in data:
        data = data.split(b"\n", 1)[1]
    parts = _count_parts(data)
    if parts > MAX_MIME_PARTS:  # checked before parsing: the parse itself is what is slow
        return _refused(f"This message has {parts:,} MIME parts (more than {MAX_MIME_PARTS:,});"
                        " it was not checked. Send your note as a plain-text email.")
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except RecursionError:
        return _too_deep(None)
    return parse_message(msg)


def parse_message(msg: Message) -> Draft:
    """Render a message as `Subject:` + blank line + its plain-text body, then parse that."""
    depth, parts = _shape(msg)
    if depth > MAX_MIME_DEPTH:
        return _too_deep(depth)
    if parts > MAX_MIME_PARTS:
        return _refused(f"This message has {parts:,} MIME parts (more than {MAX_MIME_PARTS:,});"
                        " it was not checked. Send your note as a plain-text email.")
    try:
        return _render_message(msg)
    except RecursionError:
        return _too_deep(None)


def _render_message(msg: Message) -> Draft:
    if not isinstance(msg, EmailMessage):
        converted = email.message_from_bytes(bytes(msg), policy=email.policy.default)
        assert isinstance(converted, EmailMessage)
        msg = converted
    notices: list[Notice] = []
    if msg.defects:
        kinds = ", ".join(sorted({type(d).__name__ for d in msg.defects}))
        notices.append(Notice(code="mime-defects", message=f"the message is malformed ({kinds})"))
    subject = _header_str(msg, "subject", notices)
    body = _body_text(msg, notices)
    attachments = tuple(_attachments(msg))
    text = f"Subject: {subject}\n\n{body}" if subject else body
    parsed = parse_text(text)
    headers = _headers(msg, notices)
    return Draft(parsed.text, parsed.segments, "eml", "decoded-text", headers, attachments,
                 (*notices, *parsed.notices))


def _refused(reason: str) -> Draft:
    return Draft("", (), "eml", "decoded-text", refused=reason)


def _too_deep(depth: int | None) -> Draft:
    how = f"{depth} levels deep" if depth else "too deeply to read"
    return _refused(f"This message's MIME parts are nested {how} (the limit is"
                    f" {MAX_MIME_DEPTH}); it was not checked. Send your note as a plain-text"
                    " email.")


_BOUNDARY_RE = re.compile(rb'(?i)\bboundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))')
_DELIMITER_RE = re.compile(rb"^--([^\r\n]{1,200}?)(--)?[ \t]*\r?$", re.MULTILINE)


def _count_parts(data: bytes) -> int:
    """How many MIME part delimiters the raw message has (one linear scan, no parsing)."""
    if data.count(b"\n--") <= MAX_MIME_PARTS:
        return 0  # too few delimiter-like lines to matter: skip the exact count
    boundaries = {m.group(1) or m.group(2) for m in _BOUNDARY_RE.finditer(data)}
    # A part starts at each delimiter line; the closing one (`--B--`) starts none.
    return sum(1 for m in _DELIMITER_RE.finditer(data)
               if m.group(2) is None and m.group(1) in boundaries)


def _shape(msg: Message) -> tuple[int, int]:
    """(nesting depth, number of parts) of a parsed message, without recursion."""
    depth = parts = 0
    stack: list[tuple[Message, int]] = [(msg, 1)]
    while stack:
        part, level = stack.pop()
        parts += 1
        depth = max(depth, level)
        if depth > MAX_MIME_DEPTH or parts > MAX_MIME_PARTS:
            break
        if part.is_multipart():  # get_payload() of a leaf would decode it (and may raise)
            payload = part.get_payload()
            stack.extend((p, level + 1) for p in payload if isinstance(p, Message))
    return depth, parts


def _headers(msg: EmailMessage, notices: list[Notice]) -> tuple[tuple[str, str], ...]:
    """The first value of each header, decoded, in one pass (`msg.get` per name rescans every
    header: quadratic on a message with thousands of header lines)."""
    out: dict[str, tuple[str, str]] = {}
    for name, raw in msg.raw_items():
        key = name.lower()
        if not name or key in out:
            continue
        try:
            value = " ".join(str(msg.policy.header_fetch_parse(name, raw)).split())
        except Exception:
            notices.append(Notice(code="bad-header", message=f"could not decode the {name} header"))
            value = str(raw)
        out[key] = (name, _replace_surrogates(value)[0])
    return tuple(out.values())


def _header_str(msg: EmailMessage, name: str, notices: list[Notice]) -> str:
    try:
        value = msg.get(name)
        return " ".join(str(value).split()) if value is not None else ""
    except Exception:
        notices.append(Notice(code="bad-header", message=f"could not decode the {name} header"))
        raw = msg.get_all(name, failobj=[""])
        return str(raw[0]) if raw else ""


def _body_text(msg: EmailMessage, notices: list[Notice]) -> str:
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        part = next((p for p in msg.walk() if p.get_content_maintype() == "text"), None)
    if part is None:
        if not msg.is_multipart() and msg.get_content_maintype() != "text":
            notices.append(Notice(code="no-text-body", message="the message has no text body"))
        return ""
    text = _decode_part(part, notices)
    if part.get_content_subtype() == "html":
        notices.append(Notice(code="html-body", message="the message is HTML only; read as text"))
        text = html_text(text, notices)
    return text.replace("\r\n", "\n")


def _decode_part(part: Message, notices: list[Notice]) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload())
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except UnicodeDecodeError:
        notices.append(
            Notice(code="bad-charset", message=f"the body is not valid {charset}; read as UTF-8")
        )
    except (LookupError, ValueError):  # an unknown name, or one no codec takes ("\x00utf-8")
        notices.append(
            Notice(code="unknown-charset", message=f"unknown charset {charset!r}; read as UTF-8")
        )
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("latin-1")


def _attachments(msg: EmailMessage) -> Iterator[Attachment]:
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        if disposition == "attachment" or (filename and disposition != "inline") or (
            filename and part.get_content_maintype() != "text"
        ):
            payload = part.get_payload(decode=True)
            size = len(payload) if isinstance(payload, bytes) else 0
            yield Attachment(filename=filename, content_type=part.get_content_type(), size=size)


# --------------------------------------------------------------------------- plain text


@dataclass(slots=True)
class _Line:
    start: int  # offset of the first character
    end: int  # offset after the last character, before the line break
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    i, n = 0, len(text)
    start = 0
    while i < n:
        c = text[i]
        if c == "\n" or c == "\r":
            out.append(_Line(start, i, text[start:i]))
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            start = i + 1
        i += 1
    if start < n or not out or text[-1:] in ("\n", "\r"):
        out.append(_Line(start, n, text[start:n]))
    return out


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end) if end > start else None


def parse_text(text: str) -> Draft:
    """Split plain text (optionally with a leading header block) into segments.

    Lone surrogates (possible in a Python `str`, never in real text) become U+FFFD, one
    character for one so every offset still indexes the input, with a notice.
    """
    text, notices = _replace_surrogates(text)
    lines = _lines(text)
    segs: list[Segment] = []
    headers: list[tuple[str, str]] = []
    first = _parse_header_block(text, lines, segs, headers)
    body_lines = lines[first:]
    own_end = _split_quotes(text, body_lines, segs)
    own = [ln for ln in body_lines[:own_end]]
    _split_own_text(text, own, segs)
    segs.sort(key=lambda s: (s.span.start, s.span.end))
    return Draft(text=text, segments=tuple(segs), headers=tuple(headers), notices=tuple(notices))


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(text: str) -> tuple[str, list[Notice]]:
    found = len(_SURROGATE_RE.findall(text))
    if not found:
        return text, []
    notice = Notice(code="replaced-surrogates",
                    message=f"the text has {found} lone surrogate code point(s), which no"
                    " encoding can hold; each was read as U+FFFD (\ufffd)")
    return _SURROGATE_RE.sub("\ufffd", text), [notice]


def _parse_header_block(
    text: str, lines: list[_Line], segs: list[Segment], headers: list[tuple[str, str]]
) -> int:
    """Recognise `Name: value` lines up to a blank line; returns the index of the body's first line."""
    i = 0
    while i < len(lines) and lines[i].blank and i < 2:
        i += 1
    start_i = i
    names: list[str] = []
    while i < len(lines):
        ln = lines[i]
        if ln.blank:
            # Pasted headers often have blank lines between them ("To: ...", "", "Subject: ...").
            j = i
            while j < len(lines) and lines[j].blank:
                j += 1
            nxt = _HEADER_RE.fullmatch(lines[j].text) if names and j < len(lines) else None
            if nxt is None or _header_name(nxt) not in _PASTED_HEADERS:
                break
            i = j
            continue
        if ln.text[:1] in (" ", "\t") and names:
            i += 1
            continue
        m = _HEADER_RE.fullmatch(ln.text)
        if not m or (_header_name(m) not in _KNOWN_HEADERS and not _header_name(m).startswith("x-")):
            break
        names.append(_header_name(m))
        i += 1
    if not names:
        return 0
    block_ends_cleanly = i >= len(lines) or lines[i].blank
    if not block_ends_cleanly and names != ["subject"] and len(names) < 2:
        return 0
    for ln in lines[start_i:i]:
        m = _HEADER_RE.fullmatch(ln.text)
        if not m:  # a folded continuation line belongs to the header above
            span = _trimmed(text, ln.start, ln.end)
            if span and headers:
                prev_name, prev_value = headers[-1]
                headers[-1] = (prev_name, f"{prev_value} {span.text(text)}".strip())
                if prev_name.lower() == "subject":  # a folded subject is still the subject
                    if segs[-1].kind is SegmentKind.SUBJECT:
                        span = Span(start=segs.pop().span.start, end=span.end)
                    segs.append(Segment(SegmentKind.SUBJECT, span))
                    continue
            if span:
                segs.append(Segment(SegmentKind.HEADER, span))
            continue
        name = m.group(1)
        value_start = ln.start + m.start(2)
        label = _trimmed(text, ln.start, value_start)
        if label:
            segs.append(Segment(SegmentKind.HEADER, label))
        value = _trimmed(text, value_start, ln.end)
        if value:
            kind = SegmentKind.SUBJECT if _header_name(m) == "subject" else SegmentKind.HEADER
            segs.append(Segment(kind, value))
        headers.append(("Subject" if _header_name(m) == "subject" else name, m.group(2).strip()))
    return i


def _split_quotes(text: str, lines: list[_Line], segs: list[Segment]) -> int:
    """Mark quoted earlier messages; returns the index where the writer's own text ends."""
    tail = len(lines)
    for idx, ln in enumerate(lines):
        t = ln.text
        if _FORWARD_RE.match(t) or _ATTRIBUTION_RE.match(t):
            tail = idx
            break
        # "On Tue, 3 Mar 2026, Jane Doe <jane@\nexample.org> wrote:" wrapped over two lines.
        if (
            _ATTRIBUTION_START_RE.match(t)
            and idx + 1 < len(lines)
            and lines[idx + 1].text.rstrip().lower().endswith("wrote:")
            and len(t) + len(lines[idx + 1].text) < 300
        ):
            tail = idx
            break
        if idx > 0 and any(not p.blank for p in lines[:idx]) and _OUTLOOK_FROM_RE.match(t) and any(
            _OUTLOOK_NEXT_RE.match(nxt.text) for nxt in lines[idx + 1 : idx + 4]
        ):
            tail = idx
            break
    if tail < len(lines):
        span = _trimmed(text, lines[tail].start, lines[-1].end)
        if span:
            segs.append(Segment(SegmentKind.QUOTE, span))
    # Interleaved "> " lines above the tail are quotes too (inline replies).
    run_start: _Line | None = None
    prev: _Line | None = None
    for ln in lines[:tail]:
        if _QUOTE_LINE_RE.match(ln.text):
            run_start = run_start or ln
            prev = ln
            continue
        if run_start and prev:
            segs.append(Segment(SegmentKind.QUOTE, Span(start=run_start.start, end=prev.end)))
        run_start = prev = None
    if run_start and prev:
        segs.append(Segment(SegmentKind.QUOTE, Span(start=run_start.start, end=prev.end)))
    return tail


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Blocks of non-blank, non-quoted lines."""
    paras: list[list[_Line]] = []
    cur: list[_Line] = []
    for ln in lines:
        if ln.blank or _QUOTE_LINE_RE.match(ln.text):
            if cur:
                paras.append(cur)
                cur = []
            continue
        cur.append(ln)
    if cur:
        paras.append(cur)
    return paras


def _split_own_text(text: str, lines: list[_Line], segs: list[Segment]) -> None:
    # A "-- " line (or a mobile footer) starts the signature; nothing below it is the writer's prose.
    for idx, ln in enumerate(lines):
        if _SIG_DELIM_RE.match(ln.text) or _MOBILE_SIG_RE.match(ln.text):
            # ">" lines below it are already quote segments: the signature stops before them.
            sig_end = next((q.start for q in lines[idx + 1 :] if _QUOTE_LINE_RE.match(q.text)),
                           lines[-1].end)
            span = _trimmed(text, ln.start, sig_end)
            if span:
                segs.append(Segment(SegmentKind.SIGNATURE, span))
            lines = lines[:idx]
            break
    paras = _paragraphs(lines)
    if not paras:
        return
    # P.S. paragraphs can sit anywhere after the body; they are the writer's words.
    ps_paras = [p for p in paras if _PS_RE.match(p[0].text)]
    main = [p for p in paras if not _PS_RE.match(p[0].text)]
    for p in ps_paras:
        span = _trimmed(text, p[0].start, p[-1].end)
        if span:
            segs.append(Segment(SegmentKind.POSTSCRIPT, span))
    flat = [ln for p in main for ln in p]
    if not flat:
        return
    body_from, body_to = 0, len(flat)
    inline_body = False  # the greeting line goes on with body text ("Hi Dana, I hope ...")
    # Greeting: the first line, or its leading "Hi Dana," when the sentence goes on.
    g = _GREETING_RE.match(flat[0].text)
    if g and len(flat[0].text[g.end() :].split()) != 0:
        span = _trimmed(text, flat[0].start, flat[0].start + g.end())
        if span:
            segs.append(Segment(SegmentKind.GREETING, span))
        rest = _trimmed(text, flat[0].start + g.end(), flat[0].end)
        if rest:
            segs.append(Segment(SegmentKind.BODY, rest))
            inline_body = True
        body_from = 1
    elif g or (len(flat) > 1 and _BARE_ADDRESS_RE.match(flat[0].text)):
        # "Hi Dana," or just "Mr. Whitfield," on the first line.
        span = _trimmed(text, flat[0].start, flat[0].end)
        if span:
            segs.append(Segment(SegmentKind.GREETING, span))
        body_from = 1
    # Sign-off: a closing line near the end, followed only by a short name/contact block.
    closing_idx = None
    for idx in range(len(flat) - 1, max(body_from, len(flat) - 8) - 1, -1):
        ln = flat[idx]
        m = _CLOSING_RE.match(ln.text)
        after = flat[idx + 1 :]
        if m and len(ln.text.strip()) <= 60 and len(after) <= 6 and all(
            len(a.text.strip()) <= 80 for a in after
        ):
            closing_idx = idx
            c_span = _trimmed(text, ln.start, ln.start + m.end("closing"))
            if c_span:
                segs.append(Segment(SegmentKind.SIGNOFF, c_span))
            if m.group("name"):
                n_span = _trimmed(text, ln.start + m.start("name"), ln.end)
                if n_span:
                    segs.append(Segment(SegmentKind.SIGNATURE, n_span))
            if after:
                sig = _trimmed(text, after[0].start, after[-1].end)
                if sig:
                    segs.append(Segment(SegmentKind.SIGNATURE, sig))
            body_to = idx
            break
    if closing_idx is None:
        # No closing, but a bare name under a finished sentence ("... anytime.\nYour Name"),
        # perhaps with up to three short title, company or contact lines below it ("Data
        # Analyst, Acme (acme.com)"): that block is a signature, not the end of the body.
        for k in range(len(flat) - 1, max(body_from + 1, len(flat) - 4) - 1, -1):
            below = flat[k + 1 :]
            if _name_like(flat[k].text) and len(flat[k].text.split()) <= 3 and \
                    flat[k - 1].text.rstrip().endswith((".", "!", "?")) and \
                    text[flat[k - 1].end : flat[k].start] in ("\n", "\r", "\r\n") and \
                    all(len(b.text.strip()) <= 80 and not _SENTENCE_END_RE.search(b.text)
                        for b in below):
                sig = _trimmed(text, flat[k].start, flat[-1].end)
                if sig:
                    segs.append(Segment(SegmentKind.SIGNATURE, sig))
                body_to = k
                closing_idx = body_to
                break
    if closing_idx is None:
        # No closing: a last paragraph of one to three short name-like lines is a signature.
        last = main[-1]
        if (
            len(main) > 1
            and len(last) <= 3
            and _name_like(last[0].text)
            and all(len(ln.text.strip()) <= 60 for ln in last)
            and (inline_body or len(flat) - len(last) > body_from)  # keep some body text
        ):
            sig = _trimmed(text, last[0].start, last[-1].end)
            if sig:
                segs.append(Segment(SegmentKind.SIGNATURE, sig))
            body_to = len(flat) - len(last)
    body_lines = flat[body_from:body_to]
    for para in _paragraphs_of(text, body_lines):
        span = _trimmed(text, para[0].start, para[-1].end)
        if span:
            segs.append(Segment(SegmentKind.BODY, span))


# A template's name blank on its own line: "[Your Name]", "{name}", "<Full Name>".
_NAME_BLANK_RE = regex.compile(
    r"(?i)^[ \t]*[\[<{(]{1,2}[ \t]*(?:your[ \t]+)?(?:full[ \t]+|first[ \t]+)?name[ \t]*[\]>})]{1,2}[ \t]*$"
)


# A line that ends like a sentence ("... next week.", "Thanks!"), not like a title or an address.
_SENTENCE_END_RE = regex.compile(r"\p{L}{2,}[.!?][\"”’')\]]*[ \t]*$")


def _name_like(line: str) -> bool:
    """A name line ("Sam Lee", "Sam Lee Jr.", "[Your Name]"), not a short sentence."""
    if _NAME_BLANK_RE.match(line):
        return True
    if not _NAME_LINE_RE.match(line):
        return False
    last = line.split()[-1]
    return not last.endswith(".") or len(last) <= 3 or last.count(".") > 1


def _paragraphs_of(text: str, lines: list[_Line]) -> list[list[_Line]]:
    """Regroup already-filtered lines into paragraphs: lines one line break apart stay together."""
    paras: list[list[_Line]] = []
    for ln in lines:
        if paras and text[paras[-1][-1].end : ln.start] in ("\n", "\r", "\r\n"):
            paras[-1].append(ln)
        else:
            paras.append([ln])
    return paras
