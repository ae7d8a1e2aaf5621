"""Fixtures for the command-line and hook tests; shared drafts live in cli_helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import Stub


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No config from the developer's machine or the repo may leak into a test.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("OUTREACH_LINT_MTA", raising=False)
    monkeypatch.delenv("OUTREACH_LINT_IN_SENDMAIL", raising=False)


@pytest.fixture
def stub(tmp_path: Path) -> Stub:
    return Stub(tmp_path / "mta")
