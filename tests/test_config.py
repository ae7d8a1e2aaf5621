"""Configuration: discovery from the linted file, extends, select/ignore, overrides, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import outreach_lint as ol
from outreach_lint.config import discover, load_config, resolve
from outreach_lint.engine import ruleset_for
from outreach_lint.models import Severity

JOB_ASK_DRAFT = "Hi Dana,\n\nAre you hiring for any openings on your team?\n\nBest,\nSam"


def enabled(config: ol.Config | dict) -> dict[str, Severity]:
    cfg = resolve(config, None)
    return {r.id: r.severity for r in ruleset_for(cfg).rules}


def fired(report: ol.Report) -> set[str]:
    return {f.rule_id for f in report.findings}


ALL_RULES = enabled({})
CATEGORY = {r.id: r.schema.category for r in ruleset_for(ol.Config()).rules}


def test_defaults_fire_more_than_job_ask() -> None:
    # The premise the discovery tests rely on: by default this draft draws other findings too.
    assert {"job-ask"} < fired(ol.lint(JOB_ASK_DRAFT))


# --------------------------------------------------------------------------- discovery


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a nested draft; the working directory is somewhere else."""
    (tmp_path / "proj" / "drafts" / "deep").mkdir(parents=True)
    (tmp_path / "proj" / "drafts" / "deep" / "dana.txt").write_text(JOB_ASK_DRAFT)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".outreach-lint.toml").write_text('select = ["framing"]\n')
    monkeypatch.chdir(elsewhere)
    return tmp_path / "proj"


def test_outreach_lint_toml_is_found_upward_from_the_file(project: Path) -> None:
    (project / ".outreach-lint.toml").write_text('select = ["job-ask"]\n')
    draft = project / "drafts" / "deep" / "dana.txt"
    assert discover(draft) == (project / ".outreach-lint.toml").resolve()
    assert fired(ol.lint(draft)) == {"job-ask"}
    # a string source with filename= is discovered the same way
    assert fired(ol.lint(JOB_ASK_DRAFT, filename=draft)) == {"job-ask"}
    # and the cwd's config is not used for the file
    assert fired(ol.lint(JOB_ASK_DRAFT, filename=Path.cwd() / "x.txt")) <= {
        r for r in ALL_RULES if CATEGORY[r] == "framing"}


def test_pyproject_tool_table_is_found(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.outreach-lint]\nselect = ["job-ask"]\n'
    )
    draft = project / "drafts" / "deep" / "dana.txt"
    assert discover(draft) == (project / "pyproject.toml").resolve()
    assert fired(ol.lint(draft)) == {"job-ask"}


def test_pyproject_without_the_tool_table_is_skipped(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (project / "drafts" / ".outreach-lint.toml").write_text("")  # nearer but not in a parent
    draft = project / "drafts" / "deep" / "dana.txt"
    assert discover(draft) == (project / "drafts" / ".outreach-lint.toml").resolve()
    (project / "drafts" / ".outreach-lint.toml").unlink()
    (project.parent / ".outreach-lint.toml").write_text('select = ["job-ask"]\n')
    assert discover(draft) == (project.parent / ".outreach-lint.toml").resolve()


def test_nearest_config_wins(project: Path) -> None:
    (project / ".outreach-lint.toml").write_text('select = ["framing"]\n')
    (project / "drafts" / ".outreach-lint.toml").write_text('select = ["job-ask"]\n')
    assert fired(ol.lint(project / "drafts" / "deep" / "dana.txt")) == {"job-ask"}


def test_explicit_path_config_and_dict(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('select = ["job-ask"]\n[rules.job-ask]\nseverity = "info"\n')
    for config in (path, str(path), load_config(path),
                   {"select": ["job-ask"], "rules": {"job-ask": {"severity": "info"}}}):
        report = ol.lint(JOB_ASK_DRAFT, config=config)
        assert fired(report) == {"job-ask"}
        assert {f.severity for f in report.findings} == {Severity.INFO}


def test_explicit_config_beats_discovery(tmp_path: Path) -> None:
    (tmp_path / ".outreach-lint.toml").write_text('select = ["framing"]\n')
    draft = tmp_path / "d.txt"
    draft.write_text(JOB_ASK_DRAFT)
    assert fired(ol.lint(draft, config={"select": ["job-ask"]})) == {"job-ask"}


def test_dict_accepts_underscore_and_dash_keys() -> None:
    assert resolve({"fail_under": 70}, None).fail_under == 70
    assert resolve({"fail-under": 70}, None).fail_under == 70


# --------------------------------------------------------------------------- extends


def test_extends_merges_later_wins_lists_replaced_rules_merged(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(
        'select = ["job-ask", "framing"]\nignore = ["missing-info-framing"]\nfail-under = 50\n'
        '[rules.job-ask]\nseverity = "info"\n'
        '[rules.missing-no-expectation]\nseverity = "error"\n'
    )
    (tmp_path / "child.toml").write_text(
        'extends = ["base.toml"]\nselect = ["job-ask", "missing-no-expectation"]\n'
        'fail-under = 80\n[rules.job-ask]\nseverity = "warning"\n'
    )
    cfg = load_config(tmp_path / "child.toml")
    assert cfg.select == ["job-ask", "missing-no-expectation"]  # list replaced, not appended
    assert cfg.ignore == ["missing-info-framing"]  # inherited
    assert cfg.fail_under == 80  # later wins
    assert cfg.rules == {"job-ask": {"severity": "warning"},
                         "missing-no-expectation": {"severity": "error"}}
    assert cfg.extends == []  # config files are consumed, not treated as packs
    assert enabled(cfg) == {"job-ask": Severity.WARNING,
                            "missing-no-expectation": Severity.ERROR}


def test_extends_chain_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "a.toml").write_text('select = ["job-ask"]\nfail-under = 10\n')
    (tmp_path / "shared" / "b.toml").write_text('extends = ["a.toml"]\nfail-under = 20\n')
    (tmp_path / "c.toml").write_text('extends = ["shared/b.toml"]\n')
    cfg = load_config(tmp_path / "c.toml")
    assert cfg.select == ["job-ask"] and cfg.fail_under == 20


def test_extends_loop_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text('extends = ["y.toml"]\n')
    (tmp_path / "y.toml").write_text('extends = ["x.toml"]\n')
    with pytest.raises(ol.ConfigError, match="loop") as info:
        load_config(tmp_path / "x.toml")
    assert "x.toml" in str(info.value) and "y.toml" in str(info.value)
    (tmp_path / "self.toml").write_text('extends = ["self.toml"]\n')
    with pytest.raises(ol.ConfigError, match="loop"):
        ol.lint("Hi", config=tmp_path / "self.toml")


def test_extends_missing_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text('extends = ["nope.toml"]\n')
    with pytest.raises(ol.ConfigError, match=r"nope\.toml"):
        load_config(tmp_path / "c.toml")


# --------------------------------------------------------------------------- select / ignore


def test_select_all_is_the_default() -> None:
    assert enabled({"select": ["ALL"]}) == ALL_RULES
    assert "job-ask" in ALL_RULES and "missing-no-expectation" in ALL_RULES


def test_select_by_id_and_by_category() -> None:
    assert set(enabled({"select": ["job-ask"]})) == {"job-ask"}
    framing = {r for r, c in CATEGORY.items() if c == "framing"}
    assert framing and set(enabled({"select": ["framing"]})) == framing
    both = set(enabled({"select": ["framing", "job-ask"]}))
    assert both == framing | {"job-ask"}


def test_ignore_by_id_and_by_category() -> None:
    assert set(enabled({"ignore": ["job-ask"]})) == set(ALL_RULES) - {"job-ask"}
    framing = {r for r, c in CATEGORY.items() if c == "framing"}
    assert set(enabled({"ignore": ["framing"]})) == set(ALL_RULES) - framing
    # ignore beats select
    assert enabled({"select": ["job-ask"], "ignore": ["job-ask"]}) == {}
    assert "job-ask" not in fired(ol.lint(JOB_ASK_DRAFT, config={"ignore": ["ask"]}))


def test_per_rule_severity_override() -> None:
    default = ALL_RULES["job-ask"]
    other = Severity.INFO if default is not Severity.INFO else Severity.WARNING
    sev = enabled({"rules": {"job-ask": {"severity": other.value}}})
    assert sev["job-ask"] is other
    report = ol.lint(JOB_ASK_DRAFT, config={"rules": {"job-ask": {"severity": other.value}}})
    assert {f.severity for f in report.findings if f.rule_id == "job-ask"} == {other}


def test_bad_severity_value_is_a_config_error() -> None:
    with pytest.raises(ol.ConfigError, match="job-ask") as info:
        enabled({"rules": {"job-ask": {"severity": "loud"}}})
    assert "loud" in str(info.value)


@pytest.mark.parametrize("key", ["select", "ignore"])
def test_unknown_rule_id_names_it_with_did_you_mean(key: str) -> None:
    with pytest.raises(ol.ConfigError) as info:
        ol.lint(JOB_ASK_DRAFT, config={key: ["jobb-ask"]})
    message = str(info.value)
    assert "jobb-ask" in message and key in message
    assert "did you mean 'job-ask'" in message


def test_unknown_rule_id_without_close_match() -> None:
    with pytest.raises(ol.ConfigError, match="zzzzqqq") as info:
        ol.lint(JOB_ASK_DRAFT, config={"select": ["zzzzqqq"]})
    assert "did you mean" not in str(info.value)


def test_unknown_rules_table_names_it() -> None:
    with pytest.raises(ol.ConfigError, match="jobask"):
        ol.lint(JOB_ASK_DRAFT, config={"rules": {"jobask": {"severity": "info"}}})


def test_unknown_option_names_rule_and_option(tmp_path: Path) -> None:
    path = tmp_path / ".outreach-lint.toml"
    path.write_text('[rules.job-ask]\nseverity = "info"\nmax-findigns = 3\n')
    with pytest.raises(ol.ConfigError) as info:
        ol.lint(JOB_ASK_DRAFT, config=path)
    message = str(info.value)
    assert "job-ask" in message and "max-findigns" in message
    assert str(tmp_path) in message  # says which config file


def test_unknown_option_is_reported_even_when_the_rule_is_not_selected() -> None:
    with pytest.raises(ol.ConfigError, match="bogus"):
        ol.lint(JOB_ASK_DRAFT, config={"select": ["framing"], "rules": {"job-ask": {"bogus": 1}}})


def test_unknown_top_level_key_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / ".outreach-lint.toml"
    path.write_text('selcet = ["job-ask"]\n')
    with pytest.raises(ol.ConfigError) as info:
        load_config(path)
    assert "selcet" in str(info.value) and str(path) in str(info.value)
    with pytest.raises(ol.ConfigError, match="selcet"):
        ol.lint("Hi", config={"selcet": ["job-ask"]})


def test_rules_must_be_tables(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('rules = { job-ask = "info" }\n')
    with pytest.raises(ol.ConfigError, match=r"rules\.job-ask|\[rules"):
        load_config(path)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / ".outreach-lint.toml"
    path.write_text('select = ["job-ask"\n')
    with pytest.raises(ol.ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and "TOML" in str(info.value)
    # discovered configs fail the same way, through lint()
    draft = tmp_path / "d.txt"
    draft.write_text(JOB_ASK_DRAFT)
    with pytest.raises(ol.ConfigError, match="invalid TOML"):
        ol.lint(draft)


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    with pytest.raises(ol.ConfigError, match="cannot read"):
        ol.lint("Hi", config=tmp_path / "missing.toml")


# --------------------------------------------------------------------------- profiles


def test_no_job_mention_profile_disables_missing_no_expectation() -> None:
    assert "missing-no-expectation" in ALL_RULES
    profiled = enabled({"profile": "no-job-mention"})
    assert "missing-no-expectation" not in profiled
    assert set(profiled) == set(ALL_RULES) - {"missing-no-expectation"}
    text = "Hi Dana,\n\nI'd love to hear about your path. Would you have 20 minutes for coffee?\n\nBest,\nSam"
    assert "missing-no-expectation" in fired(ol.lint(text))
    assert "missing-no-expectation" not in fired(ol.lint(text, config={"profile": "no-job-mention"}))


def test_explicit_select_wins_over_a_profile_ignore_but_not_over_ignore() -> None:
    cfg = {"profile": "no-job-mention", "select": ["missing-no-expectation"]}
    assert set(enabled(cfg)) == {"missing-no-expectation"}
    cfg["ignore"] = ["missing-no-expectation"]
    assert enabled(cfg) == {}


def test_strict_profile_raises_severities() -> None:
    strict = enabled({"profile": "strict"})
    assert set(strict) == set(ALL_RULES)
    raised = [r for r in strict if strict[r].rank > ALL_RULES[r].rank]
    assert raised, "the strict profile should make some advice louder"


def test_unknown_profile_is_a_config_error() -> None:
    with pytest.raises(ol.ConfigError) as info:
        ol.lint(JOB_ASK_DRAFT, config={"profile": "nope"})
    assert "nope" in str(info.value)
    assert "no-job-mention" in str(info.value)  # lists the known profiles


# ------------------------------------------------------------------ issue 15 edges


def test_unknown_top_level_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / ".outreach-lint.toml"
    path.write_text('selct = ["job-ask"]\n')
    with pytest.raises(ol.ConfigError, match=r"key 'selct': unknown key \(did you mean 'select'\?\)"):
        ol.load_config(path)
    with pytest.raises(ol.ConfigError, match="did you mean 'fail-under'"):
        ol.lint("Hi Dana", config={"fail-undr": 50})


def test_a_pyproject_that_does_not_parse_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.outreach-lint]\nselect = ["job-ask"\n')
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi Dana,\n\nDo you have any openings?\n\nSam")
    with pytest.raises(ol.ConfigError, match=r"pyproject\.toml: invalid TOML"):
        ol.lint(draft)


def test_the_options_the_docs_show_are_accepted() -> None:
    # docs/configuration.md and the starter config show `words-warning` for too-long.
    cfg = {"rules": {"too-long": {"words-warning": 200, "words-error": 300}}}
    assert isinstance(ol.lint("Hi Dana, a question.", config=cfg), ol.Report)
    from outreach_lint.config import STARTER

    block = STARTER[STARTER.index("# [rules.too-long]"):]
    uncommented = "\n".join(ln.removeprefix("# ") for ln in block.splitlines())
    assert "words-warning" in uncommented
    import tomllib

    assert isinstance(ol.lint("Hi Dana, a question.", config=tomllib.loads(uncommented)),
                      ol.Report)


def test_an_unknown_profile_gets_a_did_you_mean() -> None:
    with pytest.raises(ol.ConfigError, match="did you mean 'strict'"):
        ol.lint("Hi Dana", config={"profile": "strcit"})


# ------------------------------------------ issue 16, finding 5: user mistakes are ConfigErrors


def _deep_chain(folder: Path, depth: int) -> Path:
    for i in range(depth):
        (folder / f"c{i}.toml").write_text(f'extends = ["c{i + 1}.toml"]\n')
    (folder / f"c{depth}.toml").write_text('select = ["ALL"]\n')
    return folder / "c0.toml"


CONFIG_MISTAKES = {
    "not-utf8": (b'select = ["ALL"]\n# caf\xe9 \xff\n', "not UTF-8"),
    "extends-int": (b"extends = [5]\n", "extends"),
    "extends-string": (b'extends = "base.toml"\n', "extends"),
    "select-empty": (b"select = []\n", "select"),
    "max-chars-over-tokenizer": (b"max-chars = 5000000\n", "max-chars"),
    "pyproject-tool-not-table": (b'[tool]\noutreach-lint = 3\n', "must be a table"),
}


def _write_mistake(tmp_path: Path, name: str) -> Path:
    if name == "deep-extends-chain":
        return _deep_chain(tmp_path, 1200)
    data, _ = CONFIG_MISTAKES[name]
    path = tmp_path / ("pyproject.toml" if name.startswith("pyproject") else ".outreach-lint.toml")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", [*CONFIG_MISTAKES, "deep-extends-chain"])
def test_user_config_mistakes_are_config_errors(tmp_path: Path, name: str) -> None:
    path = _write_mistake(tmp_path, name)
    with pytest.raises(ol.ConfigError) as info:
        load_config(path)
    expected = CONFIG_MISTAKES[name][1] if name in CONFIG_MISTAKES else "levels deep"
    assert expected in str(info.value) and str(path.parent) in str(info.value)


@pytest.mark.parametrize("name", [*CONFIG_MISTAKES, "deep-extends-chain"])
def test_check_reports_config_mistakes_as_config_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from click.testing import CliRunner

    from outreach_lint.cli import cli

    path = _write_mistake(tmp_path, name)
    (tmp_path / "d.txt").write_text(JOB_ASK_DRAFT)
    monkeypatch.chdir(tmp_path)
    args = ["check", "d.txt"] + ([] if path.name in (".outreach-lint.toml", "pyproject.toml")
                                 else ["--config", str(path)])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "internal error" not in result.stderr and result.stderr.startswith("outreach-lint: error:")
    assert result.stderr.count("\n") == 1


def test_select_on_the_command_line_cannot_be_empty(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from outreach_lint.cli import cli

    (tmp_path / "d.txt").write_text(JOB_ASK_DRAFT)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--select", " , ", "d.txt"])
    assert result.exit_code == 2
    assert "key 'select': an empty list would run no check" in result.stderr
    with pytest.raises(ol.ConfigError, match="select"):
        ol.lint(JOB_ASK_DRAFT, config={"select": []})


def test_a_chain_of_32_extends_is_still_fine(tmp_path: Path) -> None:
    assert load_config(_deep_chain(tmp_path, 31)).select == ["ALL"]
