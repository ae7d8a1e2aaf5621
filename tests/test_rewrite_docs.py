"""docs/rewrites.md shows what `fix --unsafe` really does: every before/after pair is re-run."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

import outreach_lint as ol

DOC = Path(__file__).resolve().parents[1] / "docs" / "rewrites.md"
_PAIR_RE = regex.compile(r"Before:\n\n```text\n(.*?)\n```\n\nAfter [^\n]*\n\n```text\n(.*?)\n```",
                         regex.DOTALL)
PAIRS = _PAIR_RE.findall(DOC.read_text(encoding="utf-8"))


def test_the_doc_has_ten_pairs() -> None:
    assert len(PAIRS) == 10


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=[str(i) for i in range(len(PAIRS))])
def test_each_pair_is_what_fix_produces(before: str, after: str) -> None:
    # Examples end with a newline that the code block does not show.
    for text in (before + "\n", before):
        fixed = ol.fix(text, unsafe=True).text.rstrip("\n")
        if fixed == after:
            return
    assert ol.fix(before + "\n", unsafe=True).text.rstrip("\n") == after
