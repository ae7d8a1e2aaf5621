"""benchmarks/quality.py fails when detection gets worse on real writing (it used to exit 0
whatever it measured), so CI's quality step can go red."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _quality() -> Any:
    spec = importlib.util.spec_from_file_location("quality", ROOT / "benchmarks" / "quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality"] = module
    spec.loader.exec_module(module)
    return module


def test_macro_f1_averages_both_classes() -> None:
    q = _quality()
    assert q.Counts(5, 0, 0, 5).macro_f1 == 1.0
    # fires: P 1/2, R 1 -> F1 2/3; does not fire: its one item was fired on -> recall 0, F1 0
    assert q.Counts(1, 1, 0, 0).macro_f1 == pytest.approx((2 / 3 + 0.0) / 2)
    # a rule that never fires on a corpus where it should once: fires F1 0, other class 18/19
    assert q.Counts(0, 0, 1, 9).macro_f1 == pytest.approx((0 + 2 * 9 / 19) / 2)


def test_exit_1_under_the_floor_and_on_a_missing_corpus(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    q = _quality()
    labels = {r: False for r in q.RULES}
    items = [{"id": "x", "split": "test", "job_ask_quotes": [],
              "text": "Hi Dana,\n\nDo you have any openings?\n\nBest,\nSam",
              "labels": labels}]  # wrong on purpose: job-ask fires
    monkeypatch.setattr(q, "load", lambda name: items if name == "real-test" else [])
    monkeypatch.setattr(q, "floors", lambda: {"job-ask": 0.99})
    assert q.main(["--set", "real-test"]) == 1
    assert "FAIL job-ask: real-test macro-F1" in capsys.readouterr().err
    monkeypatch.setattr(q, "floors", lambda: {"job-ask": 0.0})
    assert q.main(["--set", "real-test"]) == 0
    assert q.main(["--set", "dev"]) == 1  # no corpus: a failure, not a silent pass
    assert "no items" in capsys.readouterr().err


def test_blind_sets_never_print_their_items() -> None:
    q = _quality()
    assert q.main(["--set", "real-test", "--errors", "job-ask"]) == 2
    assert q.main(["--set", "heldout", "--errors", "job-ask"]) == 2


def test_the_floor_file_covers_the_three_core_rules() -> None:
    q = _quality()
    assert set(q.floors()) >= {"job-ask", "missing-info-framing", "missing-referral-fallback"}
