"""The measures a `metric` rule can compare with its thresholds: one registry, one place.

Each measure is a function of the draft's `Context` with a one-line meaning. The rule schema
takes its list of allowed names from here, and the rule docs their meaning, so adding a
measure is adding one function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context


@dataclass(frozen=True)
class Measure:
    name: str
    doc: str
    compute: Callable[[Context], float]


METRICS: dict[str, Measure] = {}


def measure(name: str, doc: str) -> Callable[[Callable[[Context], float]], Callable[[Context], float]]:
    def deco(func: Callable[[Context], float]) -> Callable[[Context], float]:
        METRICS[name] = Measure(name, doc, func)
        return func

    return deco


@measure("words", "words in the body and postscript")
def _words(ctx: Context) -> float:
    return ctx.stats.words


@measure("sentences", "sentences in the body and postscript")
def _sentences(ctx: Context) -> float:
    return ctx.stats.sentences


@measure("questions", "questions in the body and postscript")
def _questions(ctx: Context) -> float:
    return ctx.stats.questions


@measure("paragraphs", "paragraphs of body and postscript")
def _paragraphs(ctx: Context) -> float:
    return ctx.stats.paragraphs


@measure("avg_sentence_words", "average words per sentence")
def _avg_sentence_words(ctx: Context) -> float:
    st = ctx.stats
    return st.words / st.sentences if st.sentences else 0.0


@measure("self_focus_ratio", "'I/me/my' words for each 'you/your' word")
def _self_focus_ratio(ctx: Context) -> float:
    st = ctx.stats
    return st.self_references / max(st.reader_references, 1)


@measure("reading_grade", "Flesch-Kincaid grade of the body")
def _reading_grade(ctx: Context) -> float:
    return ctx.reading_grade()


@measure("subject_words", "words in the subject line")
def _subject_words(ctx: Context) -> float:
    subj = ctx.draft.subject
    return len(subj.split()) if subj else 0


@measure("subject_caps_ratio", "share of capital letters in the subject (0 under 4 letters)")
def _subject_caps_ratio(ctx: Context) -> float:
    subj = ctx.draft.subject or ""
    letters = [c for c in subj if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 4 else 0.0


@measure("exclamations", "exclamation marks in the writer's text")
def _exclamations(ctx: Context) -> float:
    return sum(1 for t in ctx.analysis.doc if t.text.startswith("!"))


@measure("request_sentences", "sentences that ask for something")
def _request_sentences(ctx: Context) -> float:
    return ctx.request_count()
