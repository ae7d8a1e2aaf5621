"""`rules`, `explain`, `schema`, `init`, `--version`."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import invoke

from outreach_lint.config import STARTER


def test_rules_table_and_json() -> None:
    result = invoke(["rules"])
    assert result.exit_code == 0
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["ID", "SEVERITY", "CATEGORY", "KIND", "FIXABLE"]
    assert any(r.split()[0] == "job-ask" for r in rows)
    data = json.loads(invoke(["rules", "--format", "json"]).stdout)
    job = next(r for r in data if r["id"] == "job-ask")
    assert job["severity"] == "error" and job["kind"] == "existence"
    assert {"category", "fixable", "pack"} <= set(job)


def test_explain_known_rule() -> None:
    result = invoke(["explain", "job-ask"])
    assert result.exit_code == 0
    for heading in ("Message:", "Why:", "Source:", "Fix:", "Flagged:", "Not flagged:"):
        assert heading in result.stdout


def test_explain_unknown_rule_suggests() -> None:
    result = invoke(["explain", "job-aks"])
    assert result.exit_code == 2
    assert "did you mean 'job-ask'" in result.stderr


def test_schema_all_and_one() -> None:
    every = json.loads(invoke(["schema"]).stdout)
    assert "report.schema.json" in every
    one = json.loads(invoke(["schema", "report"]).stdout)
    assert one == every["report.schema.json"]
    assert invoke(["schema", "nope"]).exit_code == 2


def test_init_writes_starter_and_refuses_overwrite(tmp_path: Path) -> None:
    assert invoke(["init"]).exit_code == 0
    target = tmp_path / ".outreach-lint.toml"
    assert target.read_text() == STARTER
    target.write_text("# mine\n")
    result = invoke(["init"])
    assert result.exit_code == 2 and "--force" in result.stderr
    assert target.read_text() == "# mine\n"
    assert invoke(["init", "--force"]).exit_code == 0
    assert target.read_text() == STARTER


def test_starter_config_is_valid(tmp_path: Path) -> None:
    invoke(["init"])
    (tmp_path / "a.txt").write_text("Subject: Hi\n\nHello Dana, a quick question.\n")
    assert invoke(["check", "a.txt"]).exit_code in (0, 1)


def test_version() -> None:
    assert invoke(["--version"]).stdout.startswith("outreach-lint, version ")
