"""The 0-100 score: built only from findings, so every lost point names the finding that cost it.

Formula (docs/scoring.md): each category has a weight (points out of 100, from the pack
manifest). A finding costs `weight x factor` points of its category, where the factor is 1.0
for an error, 0.5 for a warning and 0.15 for an info; a category never loses more than its
weight. The total is the sum of what every category keeps, scaled to 100 when the weights do
not add up to 100. Grades follow Coldsmith's bands (A 85+, B 70+, C 55+, D 40+, F).
An error (a job ask, no information framing) caps the total at 69: a draft that still asks
for a job is never "Ready to send", however good the rest. A draft that was not checked
(empty, too large) gets `checked=False`, a total of 0 and a verdict that says why.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import CategoryScore, Deduction, Finding, Score, Severity

FACTORS = {Severity.ERROR: 1.0, Severity.WARNING: 0.5, Severity.INFO: 0.15}
DEFAULT_WEIGHT = 5.0
#: The highest total a draft with an error-level finding can get (below the A and B bands).
ERROR_CAP = 69
_BANDS = (
    (85, "A", "Ready to send."),
    (70, "B", "Nearly there: a few touches will make this easier to say yes to."),
    (55, "C", "Worth another pass before sending."),
    (40, "D", "Likely to get a polite 'send your resume to HR'. Rework the flagged parts."),
    (0, "F", "As written this reads as a job request. Start from the suggested rewrites."),
)


def score(findings: Iterable[Finding], weights: dict[str, float]) -> Score:
    findings_list = list(findings)
    by_cat: dict[str, list[Deduction]] = {name: [] for name in weights}
    for f in findings_list:
        w = weights.get(f.category, DEFAULT_WEIGHT)
        by_cat.setdefault(f.category, [])
        by_cat[f.category].append(
            Deduction(rule_id=f.rule_id, points=round(w * FACTORS[f.severity], 2), reason=f.message)
        )
    cats = []
    total_weight = kept = 0.0
    for name, deductions in by_cat.items():
        w = weights.get(name, DEFAULT_WEIGHT)
        lost = min(w, sum(d.points for d in deductions))
        cats.append(CategoryScore(name=name, score=round(w - lost, 2), max_points=w,
                                  deductions=tuple(deductions)))
        total_weight += w
        kept += w - lost
    total = round(100 * kept / total_weight) if total_weight else 100
    if _has_error(findings_list):
        total = min(total, ERROR_CAP)
    grade, verdict = next((g, v) for floor, g, v in _BANDS if total >= floor)
    worst = min(cats, key=lambda c: c.score - c.max_points, default=None)
    if worst is not None and worst.score < worst.max_points and grade != "A":
        verdict += f" Biggest gain: {worst.name} ({worst.max_points - worst.score:g} points)."
    return Score(total=total, grade=grade, verdict=verdict, categories=tuple(cats))


def _has_error(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def unchecked(verdict: str) -> Score:
    """The score of a draft that was not checked: no total to trust, no "Ready to send"."""
    return Score(total=0, grade="F", verdict=verdict, categories=(), checked=False)
