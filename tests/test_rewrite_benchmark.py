"""benchmarks/rewrites.py: what it counts, and that it never names a test-split item."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import rewrites  # noqa: E402


def test_test_items_are_counted_but_never_named() -> None:
    tally = rewrites.Tally()
    secret = rewrites.Item("real-x-999", "Hi Dana,\n\nAre you hiring?\n\nBest,\nSam", "other", "test")
    rewrites.measure(secret, tally)
    tally.flag("core-left", secret)
    assert tally.drafts == 1
    assert all("real-x-999" not in ids for ids in tally.problems.values())


def test_counts_an_insert_after_the_sign_off_and_a_contradiction() -> None:
    original = "Hi Dana,\n\nCould we talk?\n\nThanks for considering it,\nJordan"
    assert rewrites.inserted_after(original, original + "\nWould you have 20 minutes?",
                                   rewrites.tail_start(original))
    assert not rewrites.inserted_after(original, original.replace("talk?", "talk? Yes."),
                                       rewrites.tail_start(original))
    blank_name = "Hi,\n\nI'd love to chat.\n\n[Your Name]\n"
    assert rewrites.tail_start(blank_name) <= blank_name.index("[Your Name]")
    tally = rewrites.Tally()
    item = rewrites.Item("t", "Hi Dana,\n\nI applied for the analyst role. Could we talk for 20"
                         " minutes over coffee near your office?\n\nBest,\nSam", "x", "train",
                         ["I applied for the analyst role."])
    rewrites.measure(item, tally)
    assert tally.contradictions == 0  # the planner saw the job talk and added no denial
