"""Every rule's own examples (in its YAML file) are test cases, run by the same code as
`outreach-lint test-pack` (src/outreach_lint/packtest.py), one test per example.

A rule without failing and passing examples cannot load (the schema requires both); a
fixable rule's `fix` examples must produce exactly the expected text.
"""

from __future__ import annotations

import pytest

from outreach_lint.packs import BUILTIN_PACK, builtin_packs_dir, load_pack
from outreach_lint.packtest import cases, config_for_pack, run_case

PACK_DIR = builtin_packs_dir() / BUILTIN_PACK
PACK = load_pack(PACK_DIR)
BASE = config_for_pack(PACK_DIR)
RULES = sorted(PACK.rules.items())


@pytest.mark.parametrize("case", cases(PACK), ids=lambda c: c.name.replace(" ", "-"))
def test_example(case: object) -> None:
    outcome = run_case(PACK, case, BASE)  # type: ignore[arg-type]
    assert outcome.ok, f"{outcome.case.where}: {outcome.case.name}: {outcome.problem}"


def test_every_rule_has_examples_of_each_kind_it_needs() -> None:
    for rid, (rule, _) in RULES:
        assert rule.examples.fail and rule.examples.pass_, rid


def test_every_fixable_rule_has_a_fix_example() -> None:
    missing = [rid for rid, (rule, _) in RULES
               if rule.fix and rule.fix.applicability != "display-only" and not rule.examples.fix]
    assert not missing, f"rules with a fix but no fix example: {missing}"


def test_rule_file_is_named_for_its_rule() -> None:
    for rid, (_, path) in RULES:
        assert path.stem == rid, f"{path.name} defines {rid}"
