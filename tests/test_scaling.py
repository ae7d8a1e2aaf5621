"""Lint time grows linearly with the draft: no step may be quadratic in its length.

Two measurements of one run are compared (CPU time per word at 20,000 words against 200
words), so the test holds on a slow or busy machine; absolute speed targets live in
benchmarks/run.py. Hard-wrapped text is its own case: a line break inside a sentence once
rebuilt the whole document text (13 s for 20,000 words).
"""

from __future__ import annotations

import random
import textwrap
import time

import pytest

import outreach_lint as ol

CONFIG = ol.Config(max_chars=1_000_000)
SENTENCES = [
    "I spent the last two years working on {topic} projects in a small team.",
    "Would you be open to a 20-minute call sometime in the next few weeks?",
    "I'd love to hear how you got started and what you wish you had known early on.",
    "Are you hiring for any {topic} roles right now, or do you know of any openings?",
    "If you're too busy, is there a colleague you'd suggest I speak with instead?",
    "My capstone project looked at {topic}, and it is what got me interested in the field.",
    "To be clear, I'm not asking for a job or a referral; I'm just trying to learn.",
    "Honestly, the job descriptions I read all sound alike, which is why I'm asking people.",
]
TOPICS = ["usability testing", "payments reliability", "supply chains", "battery recycling"]


def _draft(words: int, wrapped: bool) -> str:
    rng = random.Random(words)
    paras: list[str] = []
    count = 0
    while count < words:
        para = " ".join(rng.choice(SENTENCES).format(topic=rng.choice(TOPICS))
                        for _ in range(rng.randint(2, 4)))
        count += len(para.split())
        paras.append("\n".join(textwrap.wrap(para, 72)) if wrapped else para)
    return "Hi Dana,\n\n" + "\n\n".join(paras) + "\n\nBest,\nSam\n"


def _us_per_word(text: str, reps: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(reps):
            ol.lint(text, config=CONFIG)
        best = min(best, (time.process_time() - start) / reps)
    return best / len(text.split()) * 1e6


@pytest.mark.parametrize("wrapped", [False, True], ids=["paragraphs", "hard-wrapped"])
def test_time_per_word_at_20000_words_is_within_1_5x_of_200_words(wrapped: bool) -> None:
    small, large = _draft(200, wrapped), _draft(20_000, wrapped)
    assert len(large) > ol.Config().max_chars  # past the default limit: CONFIG lifts it
    _us_per_word(small, 5)  # warm-up: pipeline, rule set, lazily compiled patterns
    ratio = _us_per_word(large, 1) / _us_per_word(small, 20)
    assert ratio <= 1.5, f"{ratio:.2f}x the time per word at 20,000 words"
