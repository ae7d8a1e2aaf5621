"""The server's copy of a draft under incremental edits (lsp/buffer.py), against a rebuild.

`TextBuffer.replace` rescans only the lines an edit touches and shifts the rest; these
properties check it against a `LineIndex` built from scratch after every edit, with the
characters that make line breaking hard (CR, LF, CR LF split or joined by an edit, U+2028,
U+0085, form feed) and astral characters for the column arithmetic.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from outreach_lint.lsp.buffer import TextBuffer, line_starts
from outreach_lint.models import LineIndex, PositionEncoding

PIECES = st.sampled_from(["a", "bc", "\r", "\n", "\r\n", "\u2028", "\x85", "\x0c", "é", "😀", " "])
TEXTS = st.lists(PIECES, max_size=40).map("".join)
ENCODINGS: tuple[PositionEncoding, ...] = ("utf-8", "utf-16", "utf-32")


@st.composite
def edit_sequences(draw: st.DrawFn) -> tuple[str, list[tuple[float, float, str]]]:
    text = draw(TEXTS)
    edits = draw(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), TEXTS), max_size=8))
    return text, edits


@given(edit_sequences())
@settings(max_examples=400, deadline=None)
def test_line_starts_after_edits_equal_a_rebuild(case: tuple[str, list[tuple[float, float, str]]]
                                                 ) -> None:
    text, edits = case
    buf = TextBuffer(text)
    assert buf.starts.tolist() == LineIndex(text)._starts
    for a, b, new in edits:
        start = int(a * len(buf.text))
        end = start + int(b * (len(buf.text) - start))
        expected = buf.text[:start] + new + buf.text[end:]
        buf.replace(start, end, new)
        assert buf.text == expected  # nothing outside the edit changes
        assert buf.starts.tolist() == LineIndex(expected)._starts


@given(TEXTS, st.integers(-1, 12), st.integers(-1, 14))
@settings(max_examples=400, deadline=None)
def test_positions_map_like_line_index(text: str, line: int, column: int) -> None:
    buf, index = TextBuffer(text), LineIndex(text)
    for encoding in ENCODINGS:
        assert buf.offset(line, column, encoding) == index.offset(line, column, encoding)
    assert buf.index.line_count == index.line_count


def test_a_cr_lf_split_by_an_edit_and_joined_again() -> None:
    buf = TextBuffer("one\r\ntwo")
    buf.replace(4, 4, "x")  # "one\rx\ntwo": now three lines
    assert buf.starts.tolist() == [0, 4, 6]
    buf.replace(4, 5, "")  # back to CR LF: two lines
    assert buf.starts.tolist() == [0, 5]
    assert line_starts("a\r\nb", 0, 2) == []  # a CR LF cut by the end is not a break yet
