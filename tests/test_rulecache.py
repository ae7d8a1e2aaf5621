"""The on-disk rule cache: used when it fits, rebuilt when anything changed or it is damaged."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import outreach_lint as ol
from outreach_lint import engine
from outreach_lint.packs import builtin_packs_dir

BUILTIN = builtin_packs_dir() / "informational-interview"
DRAFT = ("Hi Dana,\n\nI'm a student at Rutgers. Are you hiring for any analyst roles? Could we "
         "talk for 20 minutes next week?\n\nThanks,\nSam")
# Not ASCII, capitals where anchors are lowercase: the text is folded with the case classes
# of anchors that came from the cache, not derived in this process.
DRAFT_UNICODE = ("Subject: COFFEE — A QUESTION?\n\nHi Dana —\n\nI’M A STUDENT AT RUTGERS. COULD WE"
                 " TALK OVER COFFEE FOR 20 MINUTES? ARE YOU HIRING FOR ANY ANALYST ROLES? IF YOU’RE"
                 " BUSY, IS THERE SOMEONE ELSE ON YOUR"
                 " TEAM I COULD ASK?\n\nThanks,\nSam")


def _findings(rs: engine.RuleSet, text: str = DRAFT) -> list[tuple[str, int, int]]:
    findings, _ = rs.run(ol.parse(text))
    return [(f.rule_id, f.span.start, f.span.end) for f in findings]


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.json"))


def _compiled_at_load(rs: engine.RuleSet) -> bool:
    """Every regex was compiled (and probed) while the rule set loaded: no cache was used."""
    entries = [p for p, _ in rs.bank.plan.entries]
    return {p.source for p in entries if p.compiled is not None} == {p.source for p in entries}


def test_second_start_reads_the_cache_and_compiles_regexes_only_when_needed(
    _rule_cache: Path,
) -> None:
    first = engine.compile_ruleset(ol.Config())
    assert len(_files(_rule_cache)) == 1
    assert _compiled_at_load(first)
    second = engine.compile_ruleset(ol.Config())
    entries = [p for p, _ in second.bank.plan.entries]
    assert all(p.compiled is None for p in entries)  # warm: nothing compiled at load
    assert _findings(second) == _findings(first)
    compiled = sum(p.compiled is not None for p in entries)
    assert 0 < compiled < len(entries)  # only the regexes whose anchors the draft holds


def test_a_fresh_process_with_the_cache_finds_the_same(_rule_cache: Path) -> None:
    # In a new process no anchor was derived: the text fold must still know the case
    # variants of every cached anchor (capitals and non-ASCII text below).
    expected = _findings(engine.compile_ruleset(ol.Config()), DRAFT_UNICODE)
    code = ("import json, sys, outreach_lint as ol\n"
            "r = ol.lint(sys.stdin.read())\n"
            "print(json.dumps([[f.rule_id, f.span.start, f.span.end] for f in r.findings]))\n")
    out = subprocess.run([sys.executable, "-c", code], input=DRAFT_UNICODE, text=True,
                         capture_output=True, check=True,
                         env={**os.environ, "OUTREACH_LINT_CACHE_DIR": str(_rule_cache)})
    assert [tuple(f) for f in json.loads(out.stdout)] == expected
    assert any(r == "job-ask" for r, _, _ in expected)


def test_no_cache_env_writes_nothing(_rule_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTREACH_LINT_NO_CACHE", "1")
    rs = engine.compile_ruleset(ol.Config())
    assert _files(_rule_cache) == []
    assert _findings(rs)


def _user_pack(tmp_path: Path, extra_regex: str | None = None) -> Path:
    pack = tmp_path / "pack"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: mine\nversion: '1'\ndescription: mine\n",
                                    encoding="utf-8")
    rule = yaml.safe_load((BUILTIN / "rules" / "apologetic-tone.yaml").read_text(encoding="utf-8"))
    rule["id"] = "drafting-table"
    rule["match"] = {"regex": [r"\bdrafting\s+table\b"] + ([extra_regex] if extra_regex else [])}
    rule.pop("fix", None)
    rule["report"] = "match"
    rule["examples"] = {"fail": ["Hi, my drafting table is new."], "pass": ["Hi there."]}
    (pack / "rules" / "drafting-table.yaml").write_text(yaml.safe_dump(rule), encoding="utf-8")
    return pack


def test_any_change_to_a_pack_or_the_config_is_another_cache_file(
    _rule_cache: Path, tmp_path: Path
) -> None:
    pack = _user_pack(tmp_path)
    cfg = ol.Config(packs=[str(pack)])
    text = "Hi Dana,\n\nMy drafting table is new. So is my easel.\n\nBest,\nSam"
    assert "drafting-table" in [r for r, _, _ in _findings(engine.compile_ruleset(cfg), text)]
    assert len(_files(_rule_cache)) == 1
    # Edit the pack: the new regex is compiled, probed and used, never a stale answer.
    _user_pack(tmp_path / "v2", r"\beasel\b")
    (pack / "rules" / "drafting-table.yaml").write_bytes(
        (tmp_path / "v2" / "pack" / "rules" / "drafting-table.yaml").read_bytes())
    hits = [(s, e) for r, s, e in _findings(engine.compile_ruleset(cfg), text)
            if r == "drafting-table"]
    assert len(hits) == 2 and text[hits[1][0]:hits[1][1]] == "easel"
    assert len(_files(_rule_cache)) == 2
    engine.compile_ruleset(ol.Config(packs=[str(pack)], ignore=["too-long"]))
    assert len(_files(_rule_cache)) == 3


def test_an_edit_that_adds_a_catastrophic_regex_is_still_refused(
    _rule_cache: Path, tmp_path: Path
) -> None:
    pack = _user_pack(tmp_path)
    cfg = ol.Config(packs=[str(pack)])
    engine.compile_ruleset(cfg)
    _user_pack(tmp_path / "v2", r"(x|xx)+y")
    (pack / "rules" / "drafting-table.yaml").write_bytes(
        (tmp_path / "v2" / "pack" / "rules" / "drafting-table.yaml").read_bytes())
    with pytest.raises(ol.PackError, match="catastroph"):
        engine.compile_ruleset(cfg)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong-sum", "wrong-key",
                                    "wrong-shape", "pickle"])
def test_a_damaged_cache_file_is_rebuilt_not_trusted(_rule_cache: Path, damage: str) -> None:
    expected = _findings(engine.compile_ruleset(ol.Config()))
    (path,) = _files(_rule_cache)
    data = json.loads(path.read_text(encoding="utf-8"))
    # A lie that would hide every match: anchors no draft contains.
    lie = {k: [["\u2603never\u2603"]] for k in data["patterns"]}
    if damage == "garbage":
        path.write_bytes(b"\x00\xff not json")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    elif damage == "wrong-sum":
        path.write_text(json.dumps({**data, "patterns": lie}), encoding="utf-8")
    elif damage == "wrong-key":
        path.write_text(json.dumps({**data, "key": "0" * 64}), encoding="utf-8")
    elif damage == "wrong-shape":
        bad = {k: "not a list" for k in data["patterns"]}
        path.write_text(json.dumps({**data, "patterns": bad}), encoding="utf-8")
    else:  # a pickle is never loaded, whatever it holds
        path.write_bytes(pickle.dumps({"format": 1}))
    rebuilt = engine.compile_ruleset(ol.Config())
    assert _compiled_at_load(rebuilt)
    assert _findings(rebuilt) == expected
    assert json.loads(path.read_text(encoding="utf-8"))["patterns"] == data["patterns"]


def test_nothing_is_read_from_a_pack_folder(_rule_cache: Path, tmp_path: Path) -> None:
    pack = _user_pack(tmp_path)
    cfg = ol.Config(packs=[str(pack)])
    text = "Hi Dana,\n\nMy drafting table is new.\n\nBest,\nSam"
    engine.compile_ruleset(cfg)
    (path,) = _files(_rule_cache)
    planted = json.loads(path.read_text(encoding="utf-8"))
    planted["patterns"] = {k: [["\u2603never\u2603"]] for k in planted["patterns"]}
    for name in (path.name, "rules.json", ".outreach-lint-cache.json"):
        (pack / name).write_text(json.dumps(planted), encoding="utf-8")
        (pack / "rules" / name).write_text(json.dumps(planted), encoding="utf-8")
    path.unlink()
    found = [r for r, _, _ in _findings(engine.compile_ruleset(cfg), text)]
    assert "drafting-table" in found


def test_an_unwritable_cache_folder_only_costs_speed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("OUTREACH_LINT_CACHE_DIR", str(blocker / "cache"))
    assert _findings(engine.compile_ruleset(ol.Config()))
