"""Shared by the web tests: drafts, an in-process app, and the real server from the benchmark.

A uniquely named module rather than `conftest`, so imports cannot pick up another test
folder's conftest. The subprocess server and the load driver live in
benchmarks/web_load.py (the benchmark and the tests must measure the same thing), loaded
here by path.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from outreach_lint import Config
from outreach_lint.web import LintPool, create_app

ROOT = Path(__file__).resolve().parents[2]

# An emoji (two UTF-16 units, one code point) before the job ask, so any mix-up of offset
# units shows as a highlight one character off.
JOB_ASK = (
    "Hi Dana 👋,\n\n"
    "I'm Sam, a junior designer at a small agency. Do you have any openings on your team?\n\n"
    "Thanks,\nSam\n"
)
JOB_ASK_SENTENCE = "Do you have any openings on your team?"


def _load_benchmark() -> ModuleType:
    path = ROOT / "benchmarks" / "web_load.py"
    spec = importlib.util.spec_from_file_location("web_load", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_load"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


web_load = _load_benchmark()
Server = web_load.Server


def make_app(cfg: Config | None = None, *, workers: int = 2, rate: float = 0, burst: int | None = None,
             max_pending: int | None = None):  # type: ignore[no-untyped-def]
    """The real app linting in threads: processes cost seconds to start in every test."""
    pool = LintPool(cfg or Config(), workers, processes=False, max_pending=max_pending)
    return create_app(cfg or Config(), pool, rate_per_minute=rate, burst=burst)


def require_program(name: str, path: str | None = None) -> str:
    """Path of a real program, or skip (fail when CI says the program must be there)."""
    found = path if path and os.access(path, os.X_OK) else shutil.which(name)
    if found:
        return found
    if os.environ.get("OUTREACH_LINT_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"{name} is not installed but OUTREACH_LINT_REQUIRE_INTEGRATION=1")
    pytest.skip(f"{name} is not installed (apt-get install {name})")
