"""docs/reliability.md claims nothing untested: every test it names exists, and every row of
its tables names at least one test (or the script that measures it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def _defined() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        out[str(path.relative_to(ROOT))] = set(re.findall(r"^(?:async )?def (test_\w+)", text,
                                                         re.M))
    return out


def test_every_named_test_exists() -> None:
    defined = _defined()
    every = set().union(*defined.values())
    for path, name in re.findall(r"(tests/[\w/]+\.py)::(test_\w+)", DOC):
        assert path in defined, f"reliability.md names a missing file {path}"
        assert name in defined[path], f"reliability.md names {path}::{name}, which does not exist"
    for name in re.findall(r"`(test_\w+)", DOC):
        assert name in every, f"reliability.md names {name}, which no test file defines"


def test_every_row_names_its_test() -> None:
    rows = [ln for ln in DOC.splitlines()
            if ln.startswith("|") and not ln.startswith("|---") and "expected behaviour" not in ln
            and not re.match(r"\| (promise|property|input|limit|fault or (input|load)|target) \|", ln)]
    assert rows
    for row in rows:
        assert "test_" in row or "benchmarks/" in row or "fuzz_" in row, f"untested row: {row}"
