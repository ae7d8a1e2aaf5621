"""Every rule's own examples (in its YAML file) are test cases, collected automatically.

A rule without failing and passing examples cannot load (the schema requires both), and a
fixable rule's `fix` examples must produce exactly the expected text.
"""

from __future__ import annotations

import pytest

import outreach_lint as ol
from outreach_lint.packs import BUILTIN_PACK, builtin_packs_dir, load_pack

PACK = load_pack(builtin_packs_dir() / BUILTIN_PACK)
RULES = sorted(PACK.rules.items())


def _cases(kind: str) -> list[tuple[str, str]]:
    out = []
    for rid, (rule, _) in RULES:
        examples = {"fail": rule.examples.fail, "pass": rule.examples.pass_}[kind]
        out.extend((rid, text) for text in examples)
    return out


def _ids(rule_id: str) -> list[str]:
    return [rule_id]


@pytest.mark.parametrize(("rule_id", "text"), _cases("fail"))
def test_fail_examples_are_flagged(rule_id: str, text: str) -> None:
    report = ol.lint(text, config={"select": [rule_id]})
    assert rule_id in {f.rule_id for f in report.findings}, text


@pytest.mark.parametrize(("rule_id", "text"), _cases("pass"))
def test_pass_examples_are_clean(rule_id: str, text: str) -> None:
    report = ol.lint(text, config={"select": [rule_id]})
    hits = [f.excerpt for f in report.findings if f.rule_id == rule_id]
    assert not hits, f"{rule_id} flagged {hits!r} in:\n{text}"


@pytest.mark.parametrize(
    ("rule_id", "case"),
    [(rid, c) for rid, (rule, _) in RULES for c in rule.examples.fix],
)
def test_fix_examples(rule_id: str, case: ol.Fix) -> None:
    result = ol.fix(case.input, unsafe=True, config={"select": [rule_id]})  # type: ignore[attr-defined]
    assert result.text == case.output  # type: ignore[attr-defined]


def test_every_fixable_rule_has_a_fix_example() -> None:
    missing = [rid for rid, (rule, _) in RULES
               if rule.fix and rule.fix.applicability != "display-only" and not rule.examples.fix]
    assert not missing, f"rules with a fix but no fix example: {missing}"


def test_rule_file_is_named_for_its_rule() -> None:
    for rid, (_, path) in RULES:
        assert path.stem == rid, f"{path.name} defines {rid}"
