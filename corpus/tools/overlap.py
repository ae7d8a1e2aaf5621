"""Check that no paraphrase shares a run of more than 6 words with its original.

    python corpus/tools/overlap.py ORIGINALS_DIR [CORPUS_DIR]

ORIGINALS_DIR holds the original message of each item as `<id>.txt` (kept outside the
repository; originals are never committed). Words are compared lowercased with punctuation
ignored, so a run cannot hide behind a changed comma. Exit 1 if any item shares a longer run,
differs from its original's length by more than 15% (in words), or has no original on file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import regex
import yaml

MAX_RUN = 6
WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)*")


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def longest_shared_run(a: list[str], b: list[str]) -> tuple[int, list[str]]:
    """Longest common contiguous run of words (dynamic programming, O(len(a) * len(b)))."""
    best, end = 0, 0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        ai = a[i - 1]
        for j in range(1, len(b) + 1):
            if ai == b[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best, end = cur[j], i
        prev = cur
    return best, a[end - best:end]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    originals = Path(argv[0])
    corpus = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "real"
    bad = checked = 0
    worst = 0
    for f in sorted(corpus.glob("*.yaml")):
        for item in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            orig = originals / f"{item['id']}.txt"
            if not orig.is_file():
                print(f"{f.name}: {item['id']}: no original at {orig}")
                bad += 1
                continue
            mine, theirs = words(item["text"]), words(orig.read_text(encoding="utf-8"))
            n, run = longest_shared_run(mine, theirs)
            checked += 1
            ratio = len(mine) / max(1, len(theirs))
            if not 0.85 <= ratio <= 1.15:
                bad += 1
                print(f"{f.name}: {item['id']}: {len(mine)} words vs {len(theirs)} in the original "
                      f"({ratio:.0%}); keep the length within 15%")
            worst = max(worst, n)
            if n > MAX_RUN:
                bad += 1
                print(f"{f.name}: {item['id']}: shares {n} words: {' '.join(run)!r}")
    print(f"{checked} items checked against originals; longest shared run {worst} words; "
          f"{bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
