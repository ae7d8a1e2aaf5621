"""Every example draft in examples/ against its labels in examples/expected.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

import outreach_lint as ol

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED: dict[str, dict[str, bool]] = yaml.safe_load(
    (EXAMPLES / "expected.yaml").read_text(encoding="utf-8")
)
RULE_IDS = [
    "job-ask", "missing-info-framing", "missing-referral-fallback", "missing-no-expectation",
    "missing-meeting-request", "missing-time-box", "missing-in-person", "resume-attached",
]


@cache
def fired(filename: str) -> frozenset[str]:
    report = ol.lint(EXAMPLES / filename, config=ol.Config())  # the built-in defaults
    return frozenset(f.rule_id for f in report.findings)


def _cases() -> list[pytest.param]:
    return [pytest.param(filename, rule_id, labels[rule_id], id=f"{filename}-{rule_id}")
            for filename, labels in EXPECTED.items() for rule_id in RULE_IDS]


def test_expected_yaml_covers_every_example_with_all_rules() -> None:
    drafts = {p.name for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".eml")}
    assert drafts == set(EXPECTED), "examples/ and examples/expected.yaml disagree"
    for filename, labels in EXPECTED.items():
        assert set(labels) == set(RULE_IDS), filename
        assert all(isinstance(v, bool) for v in labels.values()), filename


@pytest.mark.parametrize(("filename", "rule_id", "expected"), _cases())
def test_example(filename: str, rule_id: str, expected: bool) -> None:
    got = rule_id in fired(filename)
    assert got == expected, (
        f"{rule_id} {'fired' if got else 'did not fire'} on {filename}; expected.yaml says"
        f" it should {'' if expected else 'not '}fire"
    )
