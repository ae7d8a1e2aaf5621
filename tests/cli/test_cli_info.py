"""`rules`, `explain`, `schema`, `init`, `--version`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import invoke

import outreach_lint as ol
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
    assert job["fix"]["applicability"] == "unsafe" and job["pack"] == "informational-interview"
    assert job["docs_url"].endswith("/docs/rules/job-ask.md")
    # The same descriptions as the public API, so scripts and the library agree.
    assert data == [r.model_dump(mode="json", by_alias=True) for r in ol.rules()]


def test_explain_known_rule() -> None:
    result = invoke(["explain", "job-ask"])
    assert result.exit_code == 0
    for heading in ("Message:", "What it does:", "Why:", "Sources:", "Fix:", "Flagged:",
                    "Not flagged:"):
        assert heading in result.stdout
    # Sources a user can read: titles with web addresses, never files outside the repository.
    sources = result.stdout.split("Sources:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert sources and all(" <https://" in s for s in sources), sources
    assert "seed/" not in result.stdout and "RESEARCH.md" not in result.stdout


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


LOCAL_RULE = """\
id: seat-ask
kind: existence
category: ask
severity: warning
message: Do not ask for a seat at their table.
why: A seat at the table is a job.
source: tests
match:
  regex: ['\\bseat\\s+at\\s+your\\s+table\\b']
examples:
  fail: ["Can I have a seat at your table?"]
  pass: ["How did you start?"]
"""


def _local_pack(folder: Path) -> None:
    pack = folder / "my-pack"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: my-pack\nversion: '1'\ndescription: Mine.\n")
    (pack / "rules" / "seat-ask.yaml").write_text(LOCAL_RULE)
    (folder / ".outreach-lint.toml").write_text(
        'packs = ["my-pack"]\nignore = ["too-long"]\n[rules.job-ask]\nseverity = "warning"\n')


def test_rules_and_explain_read_the_config_in_the_current_folder(tmp_path: Path) -> None:
    _local_pack(tmp_path)
    listed = {ln.split()[0]: ln.split() for ln in invoke(["rules"]).stdout.splitlines()[1:]}
    assert "seat-ask" in listed
    assert listed["job-ask"][1] == "warning" and listed["too-long"][1] == "off"
    explained = invoke(["explain", "seat-ask"])
    assert explained.exit_code == 0, explained.stderr
    assert "Do not ask for a seat" in explained.stdout and "pack my-pack" in explained.stdout
    data = {r["id"]: r for r in json.loads(invoke(["rules", "--format", "json"]).stdout)}
    assert data["too-long"]["enabled"] is False and data["seat-ask"]["enabled"] is True


def test_rules_from_a_subfolder_find_the_config_above(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _local_pack(tmp_path)
    (tmp_path / "drafts").mkdir()
    monkeypatch.chdir(tmp_path / "drafts")
    assert invoke(["explain", "seat-ask"]).exit_code == 0
