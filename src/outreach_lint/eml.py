"""Write a fixed body back into a raw message (.eml), keeping every other byte as it was.

`fix` sees a message as `Subject: ...` plus its decoded plain-text body. Writing the result
back must not re-serialise the message (that would re-fold headers, re-encode attachments and
change boundaries), so the plain-text part is found in the raw bytes and only its body bytes
are replaced: re-encoded with the part's own charset, transfer encoding and line endings.
"""

from __future__ import annotations

import base64
import itertools
import quopri
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default

from .errors import InputError

_BLANK_RE = re.compile(rb"\r?\n\r?\n")


@dataclass(frozen=True)
class BodyPart:
    """Where a text/plain body sits in the raw bytes, and how it is encoded."""

    start: int
    end: int
    charset: str
    encoding: str
    crlf: bool

    def decode(self, data: bytes) -> str:
        raw = data[self.start : self.end]
        if self.encoding == "base64":
            payload = base64.b64decode(raw)
        elif self.encoding == "quoted-printable":
            payload = quopri.decodestring(raw.replace(b"\r\n", b"\n"))
        else:
            payload = raw
        try:
            return payload.decode(self.charset).replace("\r\n", "\n")
        except (LookupError, UnicodeDecodeError):
            return payload.decode("utf-8", "replace").replace("\r\n", "\n")

    def encode(self, text: str) -> bytes:
        try:
            payload = text.encode(self.charset)
        except (LookupError, UnicodeEncodeError):
            raise InputError(f"the fixed text has characters the message's charset"
                             f" ({self.charset}) cannot hold; fix the body by hand") from None
        if self.encoding == "base64":
            out = base64.encodebytes(payload).rstrip(b"\n")
        elif self.encoding == "quoted-printable":
            out = quopri.encodestring(payload)
        else:
            out = payload
        return out.replace(b"\n", b"\r\n") if self.crlf else out


def find_body(data: bytes) -> BodyPart:
    """The first text/plain part that is not an attachment; InputError when there is none."""
    start = _skip_mbox_line(data)
    found = _find(data, start, len(data))
    if found is None:
        raise InputError("the message has no plain-text body to fix (HTML only?)")
    return found


def rewrite_body(data: bytes, before: str, after: str) -> bytes:
    """`data` with its body rewritten from the fixed draft text.

    `before` and `after` are the draft as `fix` saw it ("Subject: ..." + blank line + body):
    the part up to the body must be unchanged (headers are never rewritten).
    """
    part = find_body(data)
    body = part.decode(data)
    if not before.endswith(body) or not after.startswith(before[: len(before) - len(body)]):
        raise InputError("the fixed text no longer matches the message's headers; not written")
    new_body = after[len(before) - len(body) :]
    if new_body == body:
        return data
    # The part's own trailing line break (before a boundary) stays outside the body bytes.
    return data[: part.start] + part.encode(new_body) + data[part.end :]


def _skip_mbox_line(data: bytes) -> int:
    if data.startswith(b"From ") and b"\n" in data:
        return data.index(b"\n") + 1
    return 0


def _headers(data: bytes, start: int, end: int) -> tuple[EmailMessage, int]:
    m = _BLANK_RE.search(data, start, end)
    if data[start:end].startswith((b"\n", b"\r\n")):  # no headers: defaults apply
        body = start + (2 if data[start:end].startswith(b"\r\n") else 1)
        return EmailMessage(policy=default), body
    hdr_end, body = (m.start(), m.end()) if m else (end, end)
    msg = BytesHeaderParser(policy=default).parsebytes(data[start:hdr_end] + b"\n\n")
    assert isinstance(msg, EmailMessage)
    return msg, body


def _find(data: bytes, start: int, end: int) -> BodyPart | None:
    msg, body = _headers(data, start, end)
    if msg.get_content_maintype() == "multipart":
        boundary = msg.get_boundary()
        if not boundary:
            return None
        delim = re.compile(rb"(?m)^--" + re.escape(boundary.encode("latin-1")) + rb"(--)?[ \t]*\r?$")
        marks = list(delim.finditer(data, body, end))
        for a, b in itertools.pairwise(marks):
            if a.group(1):  # the closing delimiter
                break
            p_start = a.end() + (2 if data[a.end() : a.end() + 2] == b"\r\n" else 1)
            p_end = b.start()
            if data[p_end - 2 : p_end] == b"\r\n":
                p_end -= 2
            elif data[p_end - 1 : p_end] == b"\n":
                p_end -= 1
            found = _find(data, p_start, max(p_start, p_end))
            if found is not None:
                return found
        return None
    if msg.get_content_type() != "text/plain" or msg.get_content_disposition() == "attachment":
        return None
    charset = msg.get_content_charset() or "utf-8"
    encoding = str(msg.get("content-transfer-encoding", "7bit")).strip().lower()
    crlf = b"\r\n" in data[start:end]
    return BodyPart(body, end, charset, encoding, crlf)


def file_lines(data: bytes, draft_text: str) -> tuple[int, ...] | None:
    """The raw file's line (0-based) for each line of the draft text `fix` and `lint` show
    ("Subject: ..." + blank line + decoded body); None when they cannot be matched.

    7bit and 8bit bodies map line for line; a quoted-printable soft break joins raw lines;
    a base64 body has no lines of its own, so all of it maps to its first line.
    """
    try:
        part = find_body(data)
    except InputError:
        return None
    body = part.decode(data)
    if not draft_text.endswith(body):
        return None
    head_lines = draft_text[: len(draft_text) - len(body)].count("\n")
    head = data[: part.start]
    subject = next((i for i, ln in enumerate(head.split(b"\n"))
                    if ln.lower().startswith(b"subject:")), 0)
    first = head.count(b"\n")
    out = [subject] * head_lines
    n = body.count("\n") + 1
    if part.encoding == "quoted-printable":
        raw = data[part.start : part.end].split(b"\n")
        starts = [first]
        for j, ln in enumerate(raw[:-1]):
            if not ln.rstrip(b"\r").endswith(b"="):  # a hard break: the next raw line starts one
                starts.append(first + j + 1)
        out += (starts + [starts[-1]] * n)[:n]
    elif part.encoding == "base64":
        out += [first] * n
    else:
        out += [first + j for j in range(n)]
    return tuple(out)
