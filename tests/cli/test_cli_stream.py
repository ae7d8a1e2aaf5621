"""Issue 16, finding 9: `check` writes each report as it is linted (memory flat in the
number of drafts). The memory figure itself is in benchmarks/hostile.py."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

import pytest
from click.testing import CliRunner

from outreach_lint.cli import cli

HEAD = "From: Sam <sam@example.org>\nTo: Dana <dana@example.org>\nSubject: Hello\nMIME-Version: 1.0\n"


def test_mbox_output_is_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The bound behind flat memory: at most one batch (64) of messages is read ahead of the
    # output; before, all of them were read, linted and kept before anything was written.
    box = mailbox.mbox(tmp_path / "sent.mbox")
    for i in range(200):
        box.add(f"{HEAD}Message-ID: <m{i}@example.org>\nContent-Type: text/plain\n\n"
                f"Hi Dana,\n\nCould we talk for 20 minutes? ({i})\n\nSam\n")
    box.flush()
    events: list[str] = []
    real_get_bytes = mailbox.mbox.get_bytes

    def reading(self: mailbox.mbox, key: str, *a: object) -> bytes:
        events.append("read")
        return real_get_bytes(self, key, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(mailbox.mbox, "get_bytes", reading)
    monkeypatch.chdir(tmp_path)
    import click

    real_echo = click.echo

    def echo(message: object = None, *a: object, **k: object) -> None:
        if message and not k.get("err"):
            events.append("write")
        real_echo(message, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(click, "echo", echo)
    result = CliRunner().invoke(cli, ["check", "--format", "json", "sent.mbox"])
    doc = json.loads(result.stdout)
    assert [f["path"] for f in doc["files"]] == [f"sent.mbox#{i}" for i in range(1, 201)]
    ahead = max(events[: i + 1].count("read") - events[: i + 1].count("write") + 1
                for i, e in enumerate(events) if e == "write")
    assert events.count("read") == 200
    assert ahead <= 64 + 1, f"{ahead} messages were read before their output was written"


@pytest.mark.parametrize("n_files", [0, 1, 3])
@pytest.mark.parametrize("with_errors", [False, True])
def test_streamed_json_is_the_same_document(n_files: int, with_errors: bool) -> None:
    import outreach_lint as ol
    from outreach_lint.output import LintedFile
    from outreach_lint.output.json import format_json
    from outreach_lint.output.sarif import format_sarif

    texts = ["Hi Dana, any openings?", "Thanks!", "Hi\n\nCould we talk for 20 minutes?"]
    files = [LintedFile(f"d{i}.txt", ol.lint(t), i % 2 == 0) for i, t in enumerate(texts)]
    files = files[:n_files]
    errors = [("x.txt", "cannot read"), ("y.eml", "binary")] if with_errors else []
    doc: dict[str, object] = {
        "schema_version": ol.SCHEMA_VERSION,
        "files": [{"path": f.path, "blocked": f.blocked, "report": f.report.model_dump(mode="json")}
                  for f in files],
    }
    if errors:
        doc["errors"] = [{"path": p, "message": m} for p, m in errors]
    assert format_json(files, errors) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    sarif = json.loads(format_sarif(files, "9.9"))
    run = sarif["runs"][0]
    results = [(r["ruleId"], r["properties"]["unit"]) for r in run["results"]]
    assert results == [(f.rule_id, lf.path) for lf in files for f in lf.report.findings]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
