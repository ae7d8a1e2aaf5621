"""The 0-100 score and its grade bands, pinned (docs/scoring.md): the factor of each severity,
the cap per category, the scaling to 100, and every grade boundary on both sides."""

from __future__ import annotations

import pytest

from outreach_lint.models import Finding, Severity, Span
from outreach_lint.scoring import score


def finding(category: str, severity: Severity, rule_id: str = "r", message: str = "m") -> Finding:
    return Finding(rule_id=rule_id, category=category, severity=severity, message=message,
                   span=Span(start=0, end=0), segment=None, excerpt="")


def test_no_findings_is_100_and_an_a() -> None:
    s = score([], {"ask": 25, "tone": 75})
    assert (s.total, s.grade, s.verdict) == (100, "A", "Ready to send.")
    assert [(c.name, c.score, c.max_points, c.deductions) for c in s.categories] == [
        ("ask", 25, 25, ()), ("tone", 75, 75, ())]


@pytest.mark.parametrize(("severity", "lost"), [
    (Severity.ERROR, 20.0), (Severity.WARNING, 10.0), (Severity.INFO, 3.0)])
def test_each_severity_costs_its_factor_of_the_category_weight(severity: Severity,
                                                               lost: float) -> None:
    s = score([finding("ask", severity, "job-ask", "why")], {"ask": 20, "rest": 80})
    (ask, rest) = s.categories
    assert ask.score == 20 - lost and rest.score == 80
    (d,) = ask.deductions
    assert (d.rule_id, d.points, d.reason) == ("job-ask", lost, "why")
    # an error also caps the total (see test_an_error_caps_the_total_below_b)
    assert s.total == (min(round(100 - lost), 69) if severity is Severity.ERROR
                       else round(100 - lost))


def test_an_error_caps_the_total_below_b() -> None:
    s = score([finding("a", Severity.ERROR)], {"a": 1, "b": 99})
    assert s.categories[1].score == 99  # the arithmetic says 99 ...
    assert (s.total, s.grade) == (69, "C")  # ... but a draft that asks for a job is not ready
    assert not s.verdict.startswith("Ready")
    warned = score([finding("a", Severity.WARNING)], {"a": 1, "b": 99})
    assert warned.total == 100 and warned.grade == "A"  # only errors cap


def test_a_category_never_loses_more_than_its_weight() -> None:
    s = score([finding("ask", Severity.WARNING)] * 3 + [finding("tone", Severity.INFO)],
              {"ask": 10, "tone": 90})
    ask, tone = s.categories
    assert ask.score == 0 and len(ask.deductions) == 3 and sum(d.points for d in ask.deductions) == 15
    assert tone.score == 90 - 13.5
    assert s.total == round(100 * (0 + 76.5) / 100)


def test_weights_not_adding_to_100_are_scaled() -> None:
    s = score([finding("a", Severity.WARNING)], {"a": 20, "b": 20})
    assert s.total == 75  # keeps 30 of 40


def test_a_category_no_pack_defines_costs_the_default_weight() -> None:
    s = score([finding("other", Severity.WARNING)], {"a": 95})
    other = next(c for c in s.categories if c.name == "other")
    assert other.max_points == 5 and other.score == 2.5 and s.total == 98  # 97.5 of 100


def test_deduction_points_are_rounded_to_cents() -> None:
    s = score([finding("a", Severity.INFO)], {"a": 3.33, "b": 96.67})
    assert s.categories[0].deductions[0].points == 0.5  # 3.33 * 0.15 = 0.4995


@pytest.mark.parametrize(("lost", "total", "grade"), [
    (15, 85, "A"), (16, 84, "B"),
    (30, 70, "B"), (31, 69, "C"),
    (45, 55, "C"), (46, 54, "D"),
    (60, 40, "D"), (61, 39, "F"),
    (100, 0, "F"),
])
def test_grade_boundaries(lost: int, total: int, grade: str) -> None:
    weights = {"a": float(lost), "b": float(100 - lost)} if lost < 100 else {"a": 100.0}
    s = score([finding("a", Severity.WARNING)] * 2, weights)  # two warnings: all of "a" lost
    assert (s.total, s.grade) == (total, grade)


@pytest.mark.parametrize(("lost", "verdict"), [
    (16, "Nearly there: a few touches will make this easier to say yes to."
         " Biggest gain: a (16 points)."),
    (31, "Worth another pass before sending. Biggest gain: a (31 points)."),
    (46, "Likely to get a polite 'send your resume to HR'. Rework the flagged parts."
         " Biggest gain: a (46 points)."),
    (61, "As written this reads as a job request. Start from the suggested rewrites."
         " Biggest gain: a (61 points)."),
])
def test_verdicts_name_the_biggest_gain(lost: int, verdict: str) -> None:
    s = score([finding("a", Severity.WARNING)] * 2, {"a": float(lost), "b": float(100 - lost)})
    assert s.verdict == verdict


def test_an_a_with_a_small_loss_does_not_nag() -> None:
    s = score([finding("a", Severity.INFO)], {"a": 10, "b": 90})
    assert s.grade == "A" and s.verdict == "Ready to send."


def test_biggest_gain_is_the_category_that_lost_most() -> None:
    s = score([finding("a", Severity.WARNING), finding("b", Severity.WARNING)],
              {"a": 50, "b": 20, "c": 30})
    assert s.verdict.endswith("Biggest gain: a (25 points).")
    assert s.total == 65 and s.grade == "C"


def test_no_weights_and_no_findings() -> None:
    s = score([], {})
    assert (s.total, s.grade, s.categories) == (100, "A", ())
