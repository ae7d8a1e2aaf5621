"""Packs that check themselves: references checked against the packs, every problem reported at
once with file:line, typed options, and `outreach-lint test-pack` running a pack's examples."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

import outreach_lint as ol
from outreach_lint.packs import BUILTIN_PACK, builtin_packs_dir, load_pack
from outreach_lint.packtest import run_pack

sys.path.insert(0, str(Path(__file__).parent / "cli"))
from cli_helpers import invoke

BUILTIN = builtin_packs_dir() / BUILTIN_PACK
RULE = """\
id: {id}
kind: existence
category: {category}
severity: warning
message: Do not ask for a seat at their table.
why: Because a seat is a job.
source: tests
match:
  regex:
    - '\\bseat\\s+at\\s+your\\s+table\\b'
examples:
  fail: ["Hi Dana,\\n\\nCan I have a seat at your table?\\n\\nBest,\\nSam"]
  pass: ["Hi Dana,\\n\\nHow did you start?\\n\\nBest,\\nSam"]
"""


def make_pack(root: Path, rules: dict[str, str], manifest_extra: str = "") -> Path:
    pack = root / "my-pack"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text(
        f"name: my-pack\nversion: '0.1'\ndescription: A test pack.\n{manifest_extra}",
        encoding="utf-8")
    for name, text in rules.items():
        (pack / "rules" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return pack


def lint_with(pack: Path) -> ol.Report:
    return ol.lint("Hi Dana,\n\nCan I have a seat at your table?\n\nBest,\nSam",
                   config={"packs": [str(pack)]})


# ------------------------------------------------------------------ references and categories


def test_builtin_profiles_name_only_rules_and_categories_that_exist() -> None:
    pack = load_pack(BUILTIN)
    names = set(pack.rules) | set(pack.manifest.categories)
    for pname, profile in pack.manifest.profiles.items():
        named = set(profile.severity) | set(profile.ignore)
        assert named <= names, f"profile {pname} names {sorted(named - names)}"


def test_strict_profile_raises_self_focus_which_invites_their_story() -> None:
    strict = {r.id: r for r in ol.rules({"profile": "strict"})}
    assert strict["self-focus"].severity is ol.Severity.WARNING
    assert strict["self-focus"].default_severity is ol.Severity.INFO


def test_a_profile_naming_no_rule_is_an_error_at_its_line(tmp_path: Path) -> None:
    extra = "profiles:\n  default: {}\n  strict:\n    severity:\n      seat-asks: error\n"
    pack = make_pack(tmp_path, {"seat-ask": RULE.format(id="seat-ask", category="ask")}, extra)
    with pytest.raises(ol.PackError) as info:
        lint_with(pack)
    err = info.value
    assert err.path == str(pack / "pack.yaml") and err.line == 8
    assert "'seat-asks'" in str(err) and "did you mean 'seat-ask'" in str(err)


def test_an_undefined_category_is_an_error_not_weight_5(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, {"seat-ask": RULE.format(id="seat-ask", category="seating")})
    with pytest.raises(ol.PackError) as info:
        lint_with(pack)
    err = info.value
    assert err.path == str(pack / "rules" / "seat-ask.yaml") and err.line == 3
    assert "category 'seating' is not defined" in str(err) and "categories:" in str(err)


def test_a_category_the_pack_defines_gets_its_weight(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, {"seat-ask": RULE.format(id="seat-ask", category="seating")},
                     "categories:\n  seating: 7\n")
    report = lint_with(pack)
    seating = next(c for c in report.score.categories if c.name == "seating")
    assert seating.max_points == 7 and seating.score == 3.5  # a warning costs half


def test_every_problem_of_a_pack_is_reported_at_once_with_file_and_line(tmp_path: Path) -> None:
    bad_key = RULE.format(id="one", category="ask").replace("severity:", "severty:")
    bad_enum = RULE.format(id="two", category="ask").replace("kind: existence", "kind: existance")
    bad_regex = RULE.format(id="three", category="nowhere").replace(
        "'\\bseat\\s+at\\s+your\\s+table\\b'", "'(unclosed'")
    pack = make_pack(tmp_path, {"one": bad_key, "two": bad_enum, "three": bad_regex})
    with pytest.raises(ol.PackError) as info:
        lint_with(pack)
    problems = info.value.problems
    where = sorted((Path(p.path or "").name, p.line, p.key) for p in problems)
    assert ("one.yaml", 4, "severty") in where
    assert ("one.yaml", 1, "severity") in where  # the required key it then lacks
    assert any(w[0] == "two.yaml" and w[1] == 2 for w in where)
    assert any(w[0] == "three.yaml" and w[2] == "category" for w in where)
    assert any(w[0] == "three.yaml" and (w[2] or "").startswith("match.regex") for w in where)
    text = str(info.value)
    assert text.startswith(f"{len(problems)} problems in rule packs:")
    assert all(f"{p.path}:{p.line}" in text for p in problems)
    assert "did you mean 'severity'" in text


def test_the_cli_prints_each_problem_on_its_own_line(tmp_path: Path) -> None:
    one = RULE.format(id="one", category="ask").replace("severity:", "severty:")
    two = RULE.format(id="two", category="nowhere")
    pack = make_pack(tmp_path, {"one": one, "two": two})
    (tmp_path / "d.txt").write_text("Hi Dana,\n\nHello.\n\nSam")
    result = invoke(["check", "--config", str(_config(tmp_path, pack)), str(tmp_path / "d.txt")])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("outreach-lint: error: ") and "problems" in lines[0]
    assert any("one.yaml:4" in ln for ln in lines[1:])
    assert any("two.yaml:3" in ln for ln in lines[1:])


def _config(root: Path, pack: Path) -> Path:
    cfg = root / "cfg.toml"
    cfg.write_text(f'packs = ["{pack}"]\n')
    return cfg


# ------------------------------------------------------------------ typed options


def test_threshold_options_are_named_and_typed() -> None:
    too_long = next(r for r in ol.rules() if r.id == "too-long")
    assert {(o.name, o.type, o.default) for o in too_long.options} == {
        ("words-warning", "number", 150), ("words-error", "number", 250)}
    words = " ".join(["word"] * 130)
    draft = f"Hi Dana,\n\n{words}.\n\nBest,\nSam"
    assert "too-long" not in {f.rule_id for f in ol.lint(draft).findings}
    tight = ol.lint(draft, config={"rules": {"too-long": {"words-warning": 120}}})
    (finding,) = [f for f in tight.findings if f.rule_id == "too-long"]
    assert finding.severity is ol.Severity.WARNING and "under 120" in finding.message


def test_an_option_of_the_wrong_type_names_rule_option_and_type() -> None:
    with pytest.raises(ol.ConfigError, match=r"rules\.too-long\.words-warning.*expected a number"):
        ol.lint("Hi", config={"rules": {"too-long": {"words-warning": "many"}}})


def test_a_misspelt_option_gets_a_did_you_mean() -> None:
    with pytest.raises(ol.ConfigError, match="did you mean 'words-warning'"):
        ol.lint("Hi", config={"rules": {"too-long": {"word-warning": 120}}})


def test_declared_option_with_a_description(tmp_path: Path) -> None:
    rule = RULE.format(id="seat-ask", category="ask") + (
        "options:\n  polite:\n    default: true\n    description: Be polite.\n  limit: 3\n")
    pack = make_pack(tmp_path, {"seat-ask": rule})
    info = next(r for r in ol.rules({"packs": [str(pack)]}) if r.id == "seat-ask")
    assert [(o.name, o.type, o.default, o.description) for o in info.options] == [
        ("polite", "boolean", True, "Be polite."), ("limit", "number", 3, "")]
    with pytest.raises(ol.ConfigError, match="expected a boolean"):
        ol.rules({"packs": [str(pack)], "rules": {"seat-ask": {"polite": "yes"}}})


# ------------------------------------------------------------------ test-pack


def test_the_builtin_pack_passes_its_own_examples() -> None:
    _, outcomes = run_pack(BUILTIN)
    failed = [(o.case.name, o.problem) for o in outcomes if not o.ok]
    assert not failed
    kinds = {o.case.kind for o in outcomes}
    assert kinds == {"fail", "pass", "fix"} and len(outcomes) > 50


def test_test_pack_command_on_a_good_pack(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, {"seat-ask": RULE.format(id="seat-ask", category="ask")})
    result = invoke(["test-pack", str(pack)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "test-pack: 2 passed, 0 failed"


def test_test_pack_reports_each_broken_example_with_its_line(tmp_path: Path) -> None:
    rule = yaml.safe_load(RULE.format(id="seat-ask", category="ask"))
    rule["examples"]["pass"].append("Hi Dana,\n\nA seat at your table, please.\n\nSam")
    rule["examples"]["fail"].append({"draft": "Hi Dana,\n\nCan I get a seat at your table?\n",
                                     "flagged": ["a seat at your table"]})
    rule["fix"] = {"title": "Remove it", "applicability": "safe", "delete": "match"}
    rule["examples"]["fix"] = [{"input": "Hi Dana,\n\nA seat at your table.\n",
                                "output": "Hi Dana,\n\nA chair.\n"}]
    pack = make_pack(tmp_path, {"seat-ask": yaml.safe_dump(rule, sort_keys=False)})
    result = invoke(["test-pack", str(pack)])
    assert result.exit_code == 1
    out = result.stdout
    assert out.splitlines()[-1] == "test-pack: 2 passed, 3 failed"
    assert "seat-ask pass[1]: flagged, but it is a `pass` example" in out
    assert "seat-ask fail[1]: flagged ['seat at your table'], expected exactly" in out
    assert "seat-ask fix[0]: the fix gives different text" in out
    assert "\n-A chair.\n+A.\n" in out
    path = pack / "rules" / "seat-ask.yaml"
    text = path.read_text().splitlines()
    for marker in ("pass[1]", "fail[1]", "fix[0]"):
        line = next(ln for ln in out.splitlines() if marker in ln)
        number = int(line.split(":")[1])
        assert line.startswith(f"{path}:") and 1 <= number <= len(text)


def test_test_pack_on_a_broken_pack_is_exit_2_with_every_problem(tmp_path: Path) -> None:
    pack = make_pack(tmp_path, {"a": RULE.format(id="a", category="nowhere"),
                                "b": RULE.format(id="b", category="ask").replace("why:", "wy:")})
    result = invoke(["test-pack", str(pack)])
    assert result.exit_code == 2
    assert "a.yaml:3" in result.stderr and "b.yaml" in result.stderr


# ------------------------------------------------------------------ one place per kind


def test_every_kind_is_one_registered_module_with_its_doc_text() -> None:
    from outreach_lint.rules.kinds import KIND_NAMES, KINDS, rule_file_json_schema

    schema = rule_file_json_schema()
    tags = set(schema["discriminator"]["mapping"])
    assert tags == KIND_NAMES == {k.name for k in KINDS}
    for kind in KINDS:
        assert kind.Schema.kind_doc, f"{kind.name} has no doc text"
        assert kind.__module__ == f"outreach_lint.rules.kinds.{kind.name}"
    for rule in ol.rules():
        assert rule.what_it_does.startswith(
            next(k.Schema.kind_doc for k in KINDS if k.name == rule.kind)), rule.id
    page = (Path(__file__).parents[1] / "docs" / "rules" / "resume-attached.md").read_text()
    assert "## What it does" in page and "resume-attached-text" in page


def test_metric_names_come_from_the_one_registry() -> None:
    from outreach_lint.rules.kinds import rule_file_json_schema
    from outreach_lint.rules.metrics import METRICS

    enum = rule_file_json_schema()["$defs"]["MetricRule"]["properties"]["metric"]["enum"]
    assert enum == sorted(METRICS)


def test_unknown_metric_is_an_error_naming_the_known_ones(tmp_path: Path) -> None:
    rule = (RULE.format(id="m", category="length").split("match:")[0].replace(
        "kind: existence", "kind: metric")
        + "metric: wordz\nthresholds: [{op: '>', value: 1, severity: info}]\n"
        + "examples:\n  fail: ['x']\n  pass: ['y']\n")
    pack = make_pack(tmp_path, {"m": rule})
    with pytest.raises(ol.PackError, match=r"unknown metric 'wordz'; known: .*words"):
        lint_with(pack)


def test_front_ends_use_the_public_api_not_the_engine() -> None:
    src = Path(__file__).parents[1] / "src" / "outreach_lint"
    front = [*src.glob("cli*.py"), *(src / "lsp").glob("*.py"), *(src / "output").glob("*.py"),
             src / "docs.py"]
    for path in front:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) .*engine", text, re.M), path.name
        assert "getattr(rule" not in text, path.name
