"""The draft's clauses, split one sentence at a time, when a rule first asks about it.

Most sentences never hold a hit whose clause matters (about a third do on the benchmark
corpus), so splitting every sentence up front was a third of a lint. `at(tok)` gives the same
clause `Clauses.at` gives; the clauses of one sentence are split once and kept, so a clause
compared with `is` stays the same object. Iterating splits whatever is left.

Note: `Clause.governor` counts from the first clause of its own sentence here, since the
clauses of earlier sentences may not have been split.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..clauses import Clause, Clauses

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


class LazyClauses:
    def __init__(self, doc: Doc, sentences: Sequence[Span]) -> None:
        self._doc = doc
        self._sents = sentences
        self._tok_starts = [s.start for s in sentences]
        self._split: dict[int, Clauses] = {}

    def _of(self, index: int) -> Clauses:
        done = self._split.get(index)
        if done is None:
            done = self._split[index] = Clauses(self._doc, [(index, self._sents[index])])
        return done

    def at(self, tok_i: int) -> Clause | None:
        i = bisect.bisect_right(self._tok_starts, tok_i) - 1
        return self._of(i).at(tok_i) if i >= 0 else None

    def of_sentence(self, index: int) -> list[Clause]:
        return list(self._of(index).items)

    @property
    def items(self) -> list[Clause]:
        return [c for i in range(len(self._sents)) for c in self._of(i).items]

    def __iter__(self) -> Iterator[Clause]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
