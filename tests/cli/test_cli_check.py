"""`outreach-lint check`: exit codes, inputs (files, folders, globs, stdin, mbox), formats."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

from cli_helpers import BAD, BAD_BODY, BAD_SUBJECT, GOOD, GOOD_BODY, GOOD_SUBJECT, invoke, message

import outreach_lint as ol


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_good_draft_exits_0(tmp_path: Path) -> None:
    _write(tmp_path, "good.txt", GOOD)
    result = invoke(["check", "good.txt"])
    assert result.exit_code == 0, result.output
    assert "good.txt: score" in result.stdout


def test_bad_draft_exits_1_with_located_findings(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    result = invoke(["check", "bad.txt"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    job = next(ln for ln in lines if " job-ask " in ln)
    # path:line:col: severity rule-id message, then the source line and a caret under it
    assert job.startswith("bad.txt:5:1: error job-ask ")
    i = lines.index(job)
    assert lines[i + 1].endswith("| Do you have any openings? I've attached my resume.")
    assert lines[i + 2].rstrip().endswith("| " + "^" * len("Do you have any openings?"))
    assert lines[i + 3].startswith("  suggestion (unsafe): ")
    summary = lines[-1]
    assert summary.startswith("bad.txt: score ") and "lost:" in summary


def test_warnings_only_exit_0_and_fail_under_exits_1(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    # Only warnings left once the error rules are off: still exit 0 ...
    result = invoke(["check", "--ignore", "job-ask,missing-info-framing", "bad.txt"])
    assert result.exit_code == 0, result.output
    # ... until a score floor is set.
    result = invoke(["check", "--ignore", "job-ask,missing-info-framing", "--fail-under", "99",
                     "bad.txt"])
    assert result.exit_code == 1


def test_config_fail_under_and_fail_on_apply(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    _write(tmp_path, ".outreach-lint.toml",
           'ignore = ["job-ask", "missing-info-framing"]\nfail-on = "warning"\n')
    assert invoke(["check", "bad.txt"]).exit_code == 1


def test_select_overrides_config(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    result = invoke(["check", "--select", "resume-attached", "--format", "json", "bad.txt"])
    ids = {f["rule_id"] for f in json.loads(result.stdout)["files"][0]["report"]["findings"]}
    assert ids == {"resume-attached"}
    assert result.exit_code == 0  # a warning does not block


def test_quiet_prints_only_finding_lines(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    result = invoke(["check", "-q", "bad.txt"])
    assert result.exit_code == 1
    assert all(ln.startswith("bad.txt:") for ln in result.stdout.splitlines())
    assert "score" not in result.stdout


def test_stdin_with_stdin_filename(tmp_path: Path) -> None:
    _write(tmp_path, "drafts/.outreach-lint.toml", 'ignore = ["job-ask", "missing-info-framing"]\n')
    result = invoke(["check", "--stdin-filename", "drafts/note.txt", "-"], input=BAD)
    # The config next to the stdin filename applies, and the name is what is shown.
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("drafts/note.txt:")
    assert invoke(["check", "-"], input=BAD).exit_code == 1


def test_folders_and_globs_recurse(tmp_path: Path) -> None:
    _write(tmp_path, "drafts/a.txt", GOOD)
    _write(tmp_path, "drafts/sub/b.md", BAD)
    _write(tmp_path, "drafts/sub/c.eml", message(GOOD_SUBJECT, GOOD_BODY).decode())
    _write(tmp_path, "drafts/notes.json", "{}")  # not a draft suffix: skipped in folders
    _write(tmp_path, "drafts/.hidden/x.txt", BAD)  # hidden folders are skipped
    result = invoke(["check", "--format", "json", "drafts"])
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert sorted(Path(p).name for p in paths) == ["a.txt", "b.md", "c.eml"]
    assert result.exit_code == 1
    result = invoke(["check", "--format", "json", "drafts/**/*.txt"])
    assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["a.txt"]
    assert result.exit_code == 0


def test_mbox_messages_are_reported_separately(tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "sent.mbox")
    box.add(message(GOOD_SUBJECT, GOOD_BODY))
    box.add(message(BAD_SUBJECT, BAD_BODY))
    box.flush()
    result = invoke(["check", "--format", "json", "sent.mbox"])
    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == ["sent.mbox#1", "sent.mbox#2"]
    assert [f["blocked"] for f in files] == [False, True]
    assert files[1]["report"]["source_kind"] == "eml"
    assert result.exit_code == 1


def test_json_format(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    result = invoke(["check", "--format", "json", "bad.txt"])
    doc = json.loads(result.stdout)
    assert doc["schema_version"]
    [entry] = doc["files"]
    assert entry["path"] == "bad.txt"
    assert entry["report"]["schema_version"] == doc["schema_version"]
    assert any(f["rule_id"] == "job-ask" for f in entry["report"]["findings"])


def test_sarif_format(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    result = invoke(["check", "--format", "sarif", "bad.txt"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["version"] == "2.1.0" and "sarif-2.1.0" in doc["$schema"]
    [run] = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "outreach-lint"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert all(r["helpUri"].startswith("http") for r in driver["rules"])
    assert run["results"]
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in {"error", "warning", "note"}
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "bad.txt"
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"],
                                                            region["startColumn"])
    job = next(r for r in run["results"] if r["ruleId"] == "job-ask")
    assert job["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert job["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]


def test_github_format(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    result = invoke(["check", "--format", "github", "bad.txt"])
    lines = result.stdout.splitlines()
    assert any(ln.startswith("::error file=bad.txt,line=5,col=1,endLine=5,endColumn=26,"
                             "title=job-ask::") for ln in lines)
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)


def test_missing_file_is_a_one_line_usage_error(tmp_path: Path) -> None:
    result = invoke(["check", "nope.txt"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["outreach-lint: error: nope.txt: no such file"
                                                  " or folder"]


def test_bad_config_is_exit_2_one_line(tmp_path: Path) -> None:
    _write(tmp_path, "good.txt", GOOD)
    _write(tmp_path, ".outreach-lint.toml", "fail-under = 60\ncolour = true\n")
    result = invoke(["check", "good.txt"])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("outreach-lint: error: ") and "colour" in line
    _write(tmp_path, ".outreach-lint.toml", "fail-under = [\n")
    result = invoke(["check", "good.txt"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    (tmp_path / ".outreach-lint.toml").unlink()
    result = invoke(["check", "--select", "job-aks", "good.txt"])
    assert result.exit_code == 2 and "job-ask" in result.stderr  # did-you-mean


def test_no_paths_is_a_usage_error() -> None:
    assert invoke(["check"]).exit_code == 2


def test_binary_input_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = invoke(["check", "x.txt"])
    assert result.exit_code == 2
    assert "x.txt" in result.stderr and "Traceback" not in result.output


def test_jobs_gives_the_same_reports(tmp_path: Path) -> None:
    for i in range(3):
        _write(tmp_path, f"d/{i}.txt", BAD if i % 2 else GOOD)
    one = json.loads(invoke(["check", "--format", "json", "d"]).stdout)
    two = json.loads(invoke(["check", "--format", "json", "--jobs", "2", "d"]).stdout)
    assert one == two


def test_no_colour_when_not_a_terminal(tmp_path: Path) -> None:
    _write(tmp_path, "bad.txt", BAD)
    assert "\x1b[" not in invoke(["check", "bad.txt"]).stdout


def test_a_redundant_job_ask_is_shown_as_a_removal_not_an_empty_rewrite(tmp_path: Path) -> None:
    text = ("Hi Dana,\n\nIs your team hiring? I would like to talk about open positions at"
            " Northwind.\n\nBest,\nSam\n")
    _write(tmp_path, "two.txt", text)
    lines = invoke(["check", "two.txt"]).stdout.splitlines()
    hints = [ln for ln in lines if ln.startswith("  ") and "(unsafe)" in ln]
    assert any(ln.startswith("  suggestion (unsafe): I'd love") for ln in hints), hints
    assert any(ln.startswith("  remove (unsafe): ") for ln in hints), hints
    assert not any(ln.rstrip().endswith("(unsafe):") for ln in hints), hints


def test_sarif_rule_descriptions_come_from_the_rule_not_the_first_finding(tmp_path: Path) -> None:
    # Over 250 words: too-long reports an *error* with the word count in its message, while
    # the rule itself is a warning whose message has placeholders.
    words = " ".join(["word"] * 260)
    _write(tmp_path, "long.txt", f"Hi Dana,\n\n{words}.\n\nBest,\nSam\n")
    doc = json.loads(invoke(["check", "--format", "sarif", "long.txt"]).stdout)
    [run] = doc["runs"]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "too-long")
    (result,) = [r for r in run["results"] if r["ruleId"] == "too-long"]
    info = next(r for r in ol.rules() if r.id == "too-long")
    assert result["level"] == "error" and "260" in result["message"]["text"]
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert "260" not in rule["shortDescription"]["text"]
    assert rule["shortDescription"]["text"].startswith("This runs to N words")
    assert rule["fullDescription"]["text"] == info.why
    assert info.sources[0].url in rule["help"]["text"]
    assert rule["helpUri"] == info.docs_url
