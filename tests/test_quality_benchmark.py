"""benchmarks/quality.py fails when detection gets worse (it used to exit 0 whatever it
measured), so CI's quality step can go red."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _quality():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("quality", ROOT / "benchmarks" / "quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality"] = module
    spec.loader.exec_module(module)
    return module


def test_macro_f1() -> None:
    q = _quality()
    perfect = {"a": [5, 0, 0, 5]}
    assert q.macro_f1(perfect) == 1.0
    assert q.macro_f1({"a": [1, 1, 0, 0], "b": [0, 0, 0, 9]}) == pytest.approx((2 / 3 + 1) / 2)


def test_exit_1_under_the_floor_and_on_a_missing_corpus(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    q = _quality()
    items = [{"id": "x", "text": "Hi Dana,\n\nDo you have any openings?\n\nBest,\nSam",
              "labels": {r: False for r in q.RULES}}]  # wrong on purpose: job-ask fires
    monkeypatch.setattr(q, "load", lambda name: items if name == "dev" else [])
    assert q.main(["--set", "dev", "--min-macro-f1", "0.99"]) == 1
    assert "quality: FAIL dev: macro F1" in capsys.readouterr().err
    assert q.main(["--set", "dev", "--min-macro-f1", "0.0"]) == 0
    assert q.main(["--set", "heldout", "--min-macro-f1", "0.0"]) == 1
