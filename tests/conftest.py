"""Fixtures for every test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _rule_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The compiled-rule cache (rulecache.py) of each test is its own: nothing from the
    # developer's cache folder is trusted, and a test that switches the regex probe off
    # cannot leave a "passed the probe" entry behind for another test.
    folder = tmp_path_factory.mktemp("rule-cache")
    monkeypatch.setenv("OUTREACH_LINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("OUTREACH_LINT_NO_CACHE", raising=False)
    return folder
