"""The shipped job-ask model is what `python benchmarks/train_job_ask.py` makes, byte for byte."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "src" / "outreach_lint" / "data" / "job-ask-model.json"


def test_retraining_reproduces_the_shipped_weights(tmp_path: Path) -> None:
    pytest.importorskip("sklearn", reason="pip install -e '.[train]' (part of .[dev])")
    # Train in a copy of the tree, so a failing run never leaves the real file changed.
    for part in ("benchmarks", "corpus", "rules", "src"):
        shutil.copytree(ROOT / part, tmp_path / part)
    out = subprocess.run([sys.executable, "benchmarks/train_job_ask.py"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=600,
                         env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    retrained = tmp_path / "src" / "outreach_lint" / "data" / "job-ask-model.json"
    assert retrained.read_bytes() == MODEL.read_bytes()
