"""Rule packs: user packs through the public API, and schema errors located to file and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

import outreach_lint as ol
from outreach_lint.packs import BUILTIN_PACK, builtin_packs_dir, load_pack

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = builtin_packs_dir() / BUILTIN_PACK
SENTENCE = "Would you lend me the blue umbrella from your porch?"
DRAFT = f"Hi Dana,\n\nI love your bridge work. {SENTENCE}\n\nBest,\nSam"
DRAFTING_TABLE_RE = r"\blend\s+me\s+the\s+blue\s+umbrella\b"


def new_pack(root: Path, name: str = "my-pack", *, with_builtin_data: bool = True) -> Path:
    pack = root / name
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text(
        f"name: {name}\nversion: '0.1'\ndescription: A test pack.\n", encoding="utf-8"
    )
    if with_builtin_data:
        shutil.copy(BUILTIN / "classes.yaml", pack / "classes.yaml")
        shutil.copy(BUILTIN / "detectors.yaml", pack / "detectors.yaml")
    return pack


def job_asks(report: ol.Report) -> list[str]:
    return [f.excerpt for f in report.findings if f.rule_id == "job-ask"]


# --------------------------------------------------------------------------- acceptance


def test_user_pack_overrides_a_builtin_rule(tmp_path: Path) -> None:
    # The built-in job-ask does not know this phrasing...
    assert job_asks(ol.lint(DRAFT)) == []
    # ...so copy its rule file into a pack of our own and teach it one more pattern.
    pack = new_pack(tmp_path)
    rule = yaml.safe_load((BUILTIN / "rules" / "job-ask.yaml").read_text(encoding="utf-8"))
    rule["match"].setdefault("regex", []).append(DRAFTING_TABLE_RE)
    (pack / "rules" / "job-ask.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True),
                                                encoding="utf-8")
    report = ol.lint(DRAFT, config={"packs": [str(pack)]})
    flagged = job_asks(report)
    assert len(flagged) == 1 and SENTENCE in flagged[0]
    # everything else the built-in pack checks still runs alongside the override
    builtin_ids = {f.rule_id for f in ol.lint(DRAFT).findings}
    assert builtin_ids <= {f.rule_id for f in report.findings}


def test_user_pack_from_a_config_file_resolves_relative_to_it(tmp_path: Path) -> None:
    pack = new_pack(tmp_path / "cfg", "extra-pack")
    rule = yaml.safe_load((BUILTIN / "rules" / "job-ask.yaml").read_text(encoding="utf-8"))
    rule["match"].setdefault("regex", []).append(DRAFTING_TABLE_RE)
    (pack / "rules" / "job-ask.yaml").write_text(yaml.safe_dump(rule), encoding="utf-8")
    (tmp_path / "cfg" / ".outreach-lint.toml").write_text('packs = ["extra-pack"]\n')
    draft = tmp_path / "cfg" / "d.txt"
    draft.write_text(DRAFT)
    assert len(job_asks(ol.lint(draft))) == 1


def test_user_pack_edits_are_picked_up_without_restart(tmp_path: Path) -> None:
    pack = new_pack(tmp_path)
    rule = yaml.safe_load((BUILTIN / "rules" / "job-ask.yaml").read_text(encoding="utf-8"))
    path = pack / "rules" / "job-ask.yaml"
    path.write_text(yaml.safe_dump(rule), encoding="utf-8")
    config = {"packs": [str(pack)]}
    assert job_asks(ol.lint(DRAFT, config=config)) == []
    rule["match"].setdefault("regex", []).append(DRAFTING_TABLE_RE)
    path.write_text(yaml.safe_dump(rule), encoding="utf-8")
    import os
    st = path.stat()
    os.utime(path, (st.st_atime + 5, st.st_mtime + 5))  # a visible mtime change
    assert len(job_asks(ol.lint(DRAFT, config=config))) == 1


def test_a_new_rule_in_a_user_pack(tmp_path: Path) -> None:
    pack = new_pack(tmp_path, with_builtin_data=False)
    (pack / "rules" / "no-drafting-table.yaml").write_text(
        MINIMAL_RULE.format(id="no-drafting-table", regex=DRAFTING_TABLE_RE), encoding="utf-8"
    )
    report = ol.lint(DRAFT, config={"packs": [str(pack)], "select": ["no-drafting-table"]})
    assert [f.rule_id for f in report.findings] == ["no-drafting-table"]
    assert report.findings[0].excerpt == "lend me the blue umbrella"


def test_missing_pack_folder_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(ol.PackError, match="no rule pack"):
        ol.lint(DRAFT, config={"packs": [str(tmp_path / "nope")]})


# --------------------------------------------------------------------------- schema errors

MINIMAL_RULE = """\
id: {id}
kind: existence
category: ask
severity: warning
message: Do not ask for a seat at their table.
why: Because.
source: tests
match:
  regex:
    - '{regex}'
examples:
  fail: ["Can I have a seat at your drafting table?"]
  pass: ["Hello."]
"""


def broken_pack(tmp_path: Path, rule_text: str, name: str = "bad.yaml") -> Path:
    pack = new_pack(tmp_path)
    (pack / "rules" / name).write_text(rule_text, encoding="utf-8")
    return pack


def pack_error(pack: Path) -> ol.PackError:
    with pytest.raises(ol.PackError) as info:
        ol.lint(DRAFT, config={"packs": [str(pack)]})
    return info.value


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def assert_located(err: ol.PackError, path: Path, *, line: int | None = None,
                   rule_id: str | None = None, key: str | None = None) -> None:
    message = str(err)
    assert err.path == str(path) and str(path) in message
    if line is not None:
        assert err.line == line and f"{path}:{line}" in message
    if rule_id is not None:
        assert err.rule_id == rule_id and repr(rule_id) in message
    if key is not None:
        # Pattern errors name the pattern's index too ("match.tokens.0").
        assert err.key is not None and (err.key == key or err.key.startswith(key + "."))
        assert repr(err.key) in message


BASE = MINIMAL_RULE.format(id="my-rule", regex=DRAFTING_TABLE_RE)


def test_unknown_key(tmp_path: Path) -> None:
    text = BASE.replace("severity: warning\n", "severity: warning\nseverty: error\n")
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", line=line_of(text, "severty"),
                   rule_id="my-rule", key="severty")
    assert "unknown key" in str(err)


def test_unknown_nested_key(tmp_path: Path) -> None:
    text = BASE.replace("match:\n", "match:\n  sentense: question\n")
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", line=line_of(text, "sentense"),
                   rule_id="my-rule", key="match.sentense")


def test_wrong_type(tmp_path: Path) -> None:
    text = BASE.replace("severity: warning\n", "severity: warning\nmax_findings: lots\n")
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", line=line_of(text, "max_findings"),
                   rule_id="my-rule", key="max_findings")
    assert "integer" in str(err)


def test_bad_enum_value(tmp_path: Path) -> None:
    text = BASE.replace("severity: warning", "severity: critical")
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", line=line_of(text, "critical"),
                   rule_id="my-rule", key="severity")


def test_missing_required_key(tmp_path: Path) -> None:
    text = BASE.replace("why: Because.\n", "")
    err = pack_error(broken_pack(tmp_path, text))
    assert err.key == "why" and "missing" in str(err)


def test_unknown_kind(tmp_path: Path) -> None:
    err = pack_error(broken_pack(tmp_path, BASE.replace("kind: existence", "kind: exist")))
    assert "exist" in str(err) and err.path is not None


def test_invalid_spacy_token_pattern(tmp_path: Path) -> None:
    text = BASE.replace(
        "  regex:\n", '  tokens:\n    - [{LOWER: {INN: ["seat"]}}]\n  regex:\n'
    )
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", rule_id="my-rule", key="match.tokens")
    assert "INN" in str(err) and "token pattern" in str(err)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)+$", r"(a|aa)+$"])
def test_catastrophic_regex(tmp_path: Path, pattern: str) -> None:
    pack = broken_pack(tmp_path, MINIMAL_RULE.format(id="my-rule", regex=pattern))
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", rule_id="my-rule", key="match.regex")
    assert "catastroph" in str(err)


def test_regex_that_does_not_compile(tmp_path: Path) -> None:
    pack = broken_pack(tmp_path, MINIMAL_RULE.format(id="my-rule", regex=r"(unclosed"))
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", rule_id="my-rule", key="match.regex")


def test_duplicate_rule_id_within_a_pack(tmp_path: Path) -> None:
    pack = broken_pack(tmp_path, BASE, "a.yaml")
    (pack / "rules" / "b.yaml").write_text(BASE, encoding="utf-8")
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "b.yaml", rule_id="my-rule", key="id")
    assert "duplicate" in str(err) and "a.yaml" in str(err)


def test_duplicate_rule_id_within_one_file(tmp_path: Path) -> None:
    item = "\n".join("    " + ln for ln in BASE.splitlines())
    item = "  - " + item[4:] + "\n"
    text = "rules:\n" + item + item
    assert yaml.safe_load(text)["rules"][1]["id"] == "my-rule"
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert err.rule_id == "my-rule" and "duplicate" in str(err)


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    text = BASE.replace("severity: warning\n", "severity: warning\nseverity: error\n")
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    second = [i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("severity")][1]
    assert_located(err, pack / "rules" / "bad.yaml", line=second)
    assert "duplicate key 'severity'" in str(err)


def test_unknown_word_class(tmp_path: Path) -> None:
    text = BASE.replace("  regex:\n", '  tokens:\n    - [{LOWER: {IN: ["$nope"]}}]\n  regex:\n')
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", rule_id="my-rule", key="match.tokens")
    assert "$nope" in str(err) and "job_noun" in str(err)  # lists the known classes


def test_unknown_word_class_in_regex(tmp_path: Path) -> None:
    pack = broken_pack(tmp_path, MINIMAL_RULE.format(id="my-rule", regex=r"\b${nope}\b"))
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", rule_id="my-rule", key="match.regex")
    assert "nope" in str(err)


def test_unknown_detector_in_use(tmp_path: Path) -> None:
    text = BASE.replace("match:\n", "match:\n  use: [no-such-detector]\n")
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", rule_id="my-rule", key="match.use")
    assert "no-such-detector" in str(err) and "meeting-request" in str(err)


def test_python_rule_naming_an_unregistered_function(tmp_path: Path) -> None:
    text = (
        "id: my-python-rule\nkind: python\nfunction: acme.not_installed.v1\ncategory: ask\n"
        "severity: info\nmessage: m\nwhy: w\nsource: s\n"
        "examples:\n  fail: ['a']\n  pass: ['b']\n"
    )
    pack = broken_pack(tmp_path, text)
    err = pack_error(pack)
    assert_located(err, pack / "rules" / "bad.yaml", rule_id="my-python-rule", key="function")
    assert "acme.not_installed.v1" in str(err)


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']\n",
        "id: !!python/object/apply:os.system ['touch {marker}']\nkind: existence\n",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]\n",
    ],
)
def test_yaml_python_tags_are_rejected_and_never_run(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "PWNED"
    pack = broken_pack(tmp_path, payload.format(marker=marker))
    err = pack_error(pack)
    assert err.path == str(pack / "rules" / "bad.yaml")
    assert "python/object" in str(err)
    assert not marker.exists()


def test_rules_symlink_outside_the_pack_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.yaml").write_text(BASE, encoding="utf-8")
    pack = new_pack(tmp_path / "p")
    (pack / "rules" / "ok.yaml").write_text(
        MINIMAL_RULE.format(id="ok-rule", regex=r"\bhello\b"), encoding="utf-8")
    (pack / "rules" / "evil.yaml").symlink_to(outside / "evil.yaml")
    err = pack_error(pack)
    assert err.path == str(pack / "rules" / "evil.yaml")
    assert "outside" in str(err)


def test_rules_folder_symlinked_outside_the_pack_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside-rules"
    outside.mkdir()
    (outside / "r.yaml").write_text(BASE, encoding="utf-8")
    pack = new_pack(tmp_path / "p")
    (pack / "rules").rmdir()
    (pack / "rules").symlink_to(outside, target_is_directory=True)
    err = pack_error(pack)
    assert "outside" in str(err)


def test_symlink_inside_the_pack_is_fine(tmp_path: Path) -> None:
    pack = new_pack(tmp_path)
    (pack / "shared").mkdir()
    (pack / "shared" / "r.yaml").write_text(BASE, encoding="utf-8")
    (pack / "rules" / "r.yaml").symlink_to(pack / "shared" / "r.yaml")
    assert "my-rule" in load_pack(pack).rules


def test_pack_without_rules_is_an_error(tmp_path: Path) -> None:
    pack = new_pack(tmp_path)
    err = pack_error(pack)
    assert "no rules" in str(err)


def test_bad_manifest_is_located(tmp_path: Path) -> None:
    pack = new_pack(tmp_path)
    (pack / "rules" / "r.yaml").write_text(BASE, encoding="utf-8")
    (pack / "pack.yaml").write_text("name: my-pack\nversion: '1'\ndescription: d\nprofils: {}\n")
    err = pack_error(pack)
    assert_located(err, pack / "pack.yaml", line=4, key="profils")


# Compile-time pack errors (raised while building matchers, not by the schema) carry the file,
# rule and key but no line number, although PackError promises "file, line, rule and key".
COMPILE_TIME_ERRORS = {
    "token-pattern": (BASE.replace("  regex:\n", '  tokens:\n    - [{LOWER: {INN: ["x"]}}]\n'
                                                 "  regex:\n"), "INN"),
    "catastrophic-regex": (MINIMAL_RULE.format(id="my-rule", regex="(a+)+$"), "(a+)+$"),
    "unknown-class": (BASE.replace("  regex:\n", '  tokens:\n    - [{LOWER: {IN: ["$nope"]}}]\n'
                                                 "  regex:\n"), "$nope"),
    "unknown-detector": (BASE.replace("match:\n", "match:\n  use: [no-such-detector]\n"),
                         "no-such-detector"),
}


@pytest.mark.parametrize("case", sorted(COMPILE_TIME_ERRORS))
def test_compile_time_errors_have_a_line(tmp_path: Path, case: str) -> None:
    text, needle = COMPILE_TIME_ERRORS[case]
    err = pack_error(broken_pack(tmp_path, text))
    assert err.line == line_of(text, needle)


# --------------------------------------------------------------------------- JSON schemas


@pytest.mark.parametrize("name", sorted(ol.json_schemas()))
def test_json_schema_matches_the_committed_file(name: str) -> None:
    committed = ROOT / "docs" / "schema" / name
    assert committed.is_file(), f"{committed} is missing: regenerate docs/schema/"
    assert json.loads(committed.read_text(encoding="utf-8")) == ol.json_schemas()[name], (
        f"{name} is out of date: the models changed; regenerate docs/schema/"
    )


def test_every_committed_schema_is_generated() -> None:
    on_disk = {p.name for p in (ROOT / "docs" / "schema").glob("*.json")}
    assert on_disk == set(ol.json_schemas())

