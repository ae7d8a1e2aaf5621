"""An open draft's text and its line starts, updated edit by edit.

`didChange` with incremental sync sends small edits by (line, column). Rebuilding a
`LineIndex` for every edit walks the whole text in Python: 0.4 s per edit on a 2 MB draft,
on the event loop. Here an edit rescans only the lines it touches (plus one character on
each side, for a CR LF split or joined by the edit) and shifts the line starts after it
(a numpy array: one vectorised add, not a Python loop over 50,000 lines); a position is
turned into an offset by looking at its own line only, with C-speed encoding. What is left
per edit is copying the text once (about 1 ms for 2 MB): linear, with a small constant.
Lines break only at \\n, \\r\\n and \\r, as editors do (never at U+2028; see models.LineIndex).
"""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray

from ..models import LineIndex, PositionEncoding

_UNIT_CODEC = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2)}
_BREAK = re.compile(r"\r\n?|\n")


def line_starts(text: str, begin: int = 0, end: int | None = None) -> list[int]:
    """Offsets just after each line break that ends in `text[begin:end]`.

    A "\\r" at `end - 1` followed by "\\n" in `text` is not a break there (the "\\n" ends it).
    """
    end = len(text) if end is None else end
    out = [m.end() for m in _BREAK.finditer(text, begin, end)]
    if out and out[-1] == end and end < len(text) and text[end - 1] == "\r" \
            and text[end] == "\n":
        out.pop()  # a CR LF cut in two by `end`: its start lies past `end`
    return out


class TextBuffer:
    """Text plus the start offset of every line, kept in step through edits."""

    __slots__ = ("_index", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: NDArray[np.int64] = np.array([0, *line_starts(text)], dtype=np.int64)
        self._index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        """A `LineIndex` over the current text, with these line starts (no rescan)."""
        if self._index is None:
            self._index = LineIndex.from_starts(self.text, self.starts.tolist())
        return self._index

    def line_end(self, line: int) -> int:
        if line + 1 < len(self.starts):
            end = int(self.starts[line + 1])
            return end - 2 if self.text[end - 2 : end] == "\r\n" else end - 1
        return len(self.text)

    def offset(self, line: int, column: int, encoding: PositionEncoding) -> int:
        """Code-point offset of an editor position; past a line's end clamps to it."""
        if line >= len(self.starts):
            return len(self.text)
        if line < 0:
            return 0
        start, end = int(self.starts[line]), self.line_end(line)
        column = max(column, 0)
        if encoding == "utf-32" or column == 0:
            return min(start + column, end)
        codec, width = _UNIT_CODEC[encoding]
        # Encode at most the column's worth of characters (a character is >= 1 unit).
        chunk = self.text[start : min(start + column, end)]
        data = chunk.encode(codec, "surrogatepass")[: column * width]
        count = len(data.decode(codec, "ignore"))
        if len(chunk[:count].encode(codec, "surrogatepass")) < column * width and count < len(chunk):
            count += 1  # the column falls inside a character: the position after it
        return start + count

    def replace(self, start: int, end: int, new: str) -> None:
        """Replace `text[start:end]` with `new`, updating the line starts."""
        old_len = len(self.text)
        if not 0 <= start <= end <= old_len:
            raise ValueError(f"edit {start}..{end} outside text of length {old_len}")
        text = self.text[:start] + new + self.text[end:]
        delta = len(new) - (end - start)
        starts = self.starts
        # First line to rescan: the one before the edit's line, in case the edit puts a "\n"
        # right after a "\r" that ended it. Last offset to rescan: one past the new text.
        first = max(int(np.searchsorted(starts, start, side="right")) - 2, 0)
        scan_from = int(starts[first])
        scan_to = min(start + len(new) + 2, len(text))
        keep_tail = int(np.searchsorted(starts, end + 2, side="right"))
        rescanned = np.array(line_starts(text, scan_from, scan_to), dtype=np.int64)
        self.starts = np.concatenate((starts[: first + 1], rescanned, starts[keep_tail:] + delta))
        self.text = text
        self._index = None
