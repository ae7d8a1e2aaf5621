"""The rewrite planner: one edit plan for a draft from all of its findings (see plan.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import SegmentKind, Span
from .jobtalk import talks_of_a_job
from .medium import Budget, Medium, budget_for, detect_medium
from .phrases import Phrasebook, near_duplicate
from .placement import Layout, build_layout, word_count
from .plan import PLANNED, Plan, Planner, Settings, Step, overlapping
from .purpose import Purpose, purpose_of
from .voice import Voice, voice_of

if TYPE_CHECKING:
    from ..draft import Draft
    from ..engine import RuleSet
    from ..models import Finding
    from ..rules.context import Context


def plan_for(draft: Draft, ctx: Context, findings: tuple[Finding, ...], rs: RuleSet,
             settings: Settings, *, medium: str | None = None,
             word_limit: int | None = None, answered: tuple[Finding, ...] = ()) -> Plan:
    """Plan the rewrite of a linted draft: its findings, its sentences, the rules' phrasings.

    `answered` are findings of `findings` that an earlier round already answered: the plan
    sees them (a job ask still there forbids a no-expectation sentence) but does not answer
    them again."""
    specs = {r.id: r.schema.fix for r in rs.rules if r.schema.fix is not None}
    book = Phrasebook(specs)
    sentences = [(Span(start=s.start, end=s.end), s.kind) for s in ctx.analysis.sentences]
    layout = build_layout(draft, sentences)
    voice = voice_of(draft, book.captures())
    med = detect_medium(draft, medium)
    limit = word_limit if word_limit is not None else words_limit(rs)
    budget = budget_for(draft, med, limit, ctx.stats.words)
    probable = probable_job_asks(ctx)
    purpose = purpose_of([s.text(draft.text) for s in layout.sentences
                          if s.kind in (SegmentKind.BODY, SegmentKind.POSTSCRIPT)])
    plan = Planner(layout, findings, book, voice, budget, settings, answered, probable,
                   purpose).plan()
    if plan.left_out and not settings.compact:
        # Over budget: the shortest phrasings may fit what the hash-picked ones could not.
        tight = Settings(settings.unsafe, settings.placeholders, settings.subject_editable, True)
        second = Planner(layout, findings, book, voice, budget, tight, answered, probable,
                         purpose).plan()
        if _worth(second) > _worth(plan):
            return second
    return plan


#: A sentence the job-ask model scores at least this high may be an ask the rule did not flag
#: (the rule needs 0.85): no "I'm not expecting a job" goes beside it.
PROBABLE_ASK = 0.3


def probable_job_asks(ctx: Context) -> list[tuple[int, int]]:
    """Spans of the writer's sentences that may be job asks the rule did not flag: the
    learned model gives them some weight as asks, or they talk of getting a job at all."""
    from ..rules.learned import load_model

    model = load_model("job-ask-v1")
    feats, spans, _ = ctx.sentence_features
    out = []
    for f, (start, end) in zip(feats, spans, strict=True):
        if model.score(f) >= PROBABLE_ASK:
            out.append((start, end))
            continue
        if talks_of_a_job(ctx.draft.text[start:end]):
            # Any talk of getting a job: unflagged asks come in every shape, and "I'm not
            # expecting a job" beside one would contradict it; a missing line costs less.
            out.append((start, end))
    return out


def _worth(plan: Plan) -> tuple[int, int]:
    """What a plan achieves: the needs it meets (weighted by importance), then fewer edits."""
    return sum(s.priority + 1 for s in plan.steps), -len(plan.edits)


def words_limit(rs: RuleSet) -> int | None:
    """The word count `too-long` warns above, as configured; None when the rule is off."""
    for r in rs.rules:
        schema = r.schema
        if schema.id != "too-long" or getattr(schema, "metric", None) != "words":
            continue
        limits = [r.options.get(f"words-{t.severity.value}", t.value)
                  for t in getattr(schema, "thresholds", []) if t.op in (">", ">=")]
        return int(min(limits)) if limits else None
    return None


__all__ = [
    "PLANNED", "Budget", "Layout", "Medium", "Phrasebook", "Plan", "Planner", "Purpose", "Settings",
    "Step", "Voice",
    "budget_for", "build_layout", "detect_medium", "near_duplicate", "overlapping", "plan_for", "purpose_of",
    "voice_of", "word_count", "words_limit",
]
