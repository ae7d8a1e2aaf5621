"""Limits: the maximum draft size and catastrophic user regexes, end to end.

Already covered elsewhere (not repeated): a 5 MB draft is reported, not linted, in bounded
time and `max-chars` is configurable (tests/test_bad_input.py); three classic catastrophic
regexes are a located PackError (tests/test_packs.py::test_catastrophic_regex); the language
server's --budget-s (tests/lsp/test_lsp_settings.py::test_time_budget_gives_one_diagnostic).

Here: the exact boundary of the documented 100,000-character limit, that nothing of a
too-large draft is lost (lint, fix, `check`, `fix` in place, the sendmail wrapper), and how
long a catastrophic regex can hold anything up, including one the load-time probe misses.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import outreach_lint as ol
from outreach_lint.cli import cli
from outreach_lint.config import Config
from outreach_lint.draft import DEFAULT_MAX_CHARS

sys.path.insert(0, str(Path(__file__).parent / "cli"))
from cli_helpers import Stub

from test_packs import MINIMAL_RULE, new_pack

PARA = "I'm Sam, a junior designer, and I loved your talk on accessible forms last week. "
HEAD, TAIL = "Hi Dana,\n\n", "\n\nBest,\nSam"


def draft_of(length: int) -> str:
    """A plausible draft of exactly `length` characters."""
    body_len = length - len(HEAD) - len(TAIL)
    body = (PARA * (body_len // len(PARA) + 1))[:body_len]
    text = HEAD + body + TAIL
    assert len(text) == length
    return text


def rule_ids(report: ol.Report) -> list[str]:
    return [f.rule_id for f in report.findings]


# ------------------------------------------------------------------- maximum size


def test_documented_default_is_100000_characters() -> None:
    assert DEFAULT_MAX_CHARS == 100_000
    assert Config().max_chars == 100_000
    doc = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert "| `max-chars` |" in doc and "100000" in doc


def test_the_limit_is_inclusive_and_one_more_character_is_too_large() -> None:
    at_limit = ol.lint(draft_of(100_000))
    assert "draft-too-large" not in rule_ids(at_limit)
    assert at_limit.stats.words > 0  # really linted
    text = draft_of(100_001)
    over = ol.lint(text)
    assert rule_ids(over) == ["draft-too-large"]
    (finding,) = over.findings
    assert finding.severity is ol.Severity.ERROR
    assert "100,001" in finding.message and "100,000" in finding.message
    assert over.text == text  # nothing lost: the report carries the whole draft


def test_max_chars_below_1000_is_a_config_error() -> None:
    with pytest.raises(ol.ConfigError):
        ol.lint("Hi", config={"max-chars": 999})


def test_fix_leaves_a_too_large_draft_untouched() -> None:
    text = draft_of(100_001).replace("Hi Dana,", "Hi Dana,\n\nDo you have any openings?", 1)
    result = ol.fix(text, unsafe=True)
    assert result.text == result.original == text
    assert result.applied == () and result.passes == 0
    assert [f.rule_id for f in result.remaining] == ["draft-too-large"]


def test_cli_check_and_fix_keep_a_too_large_file_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    data = ("Subject: Hello\r\n\r\n" + draft_of(150_000) + "\r\n").encode("utf-8")
    path.write_bytes(data)
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(path)], catch_exceptions=False)
    assert checked.exit_code == 1 and "draft-too-large" in checked.output
    fixed = runner.invoke(cli, ["fix", "--unsafe", str(path)], catch_exceptions=False)
    assert fixed.exit_code == 1
    assert path.read_bytes() == data


def test_sendmail_blocks_a_too_large_message_and_sends_nothing(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OUTREACH_LINT_IN_SENDMAIL", raising=False)
    stub = Stub(tmp_path / "mta")
    data = ("From: sam@example.org\nTo: dana@example.org\nSubject: Hello\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\n" + draft_of(120_000)).encode()
    result = CliRunner().invoke(cli, ["sendmail", "--mta", str(stub.path), "--", "x"],
                                input=data, catch_exceptions=False)
    assert result.exit_code == 1
    assert not stub.called
    assert "draft-too-large" in result.stderr and "NOT sent" in result.stderr


# ------------------------------------------------------------ catastrophic regexes


def _pack_with(tmp_path: Path, pattern: str) -> Path:
    pack = new_pack(tmp_path)
    (pack / "rules" / "bad.yaml").write_text(MINIMAL_RULE.format(id="my-rule", regex=pattern),
                                             encoding="utf-8")
    return pack


# Shapes not in test_packs.py (the regex module itself defuses many textbook ones, such as
# `(\w+)*!`, which are therefore accepted).
@pytest.mark.parametrize("pattern", [r"(a|a?)+$", r"(\s*\w+)+$", r"(x|xx)+y", r"(\d|\d\d)+$"])
def test_catastrophic_regex_is_refused_quickly(tmp_path: Path, pattern: str) -> None:
    ol.lint("Hi Dana, warm-up.")  # model and built-in pack loaded before the clock starts
    pack = _pack_with(tmp_path, pattern)
    start = time.perf_counter()
    with pytest.raises(ol.PackError) as info:
        ol.lint("Hi Dana,\n\nA question.\n\nBest,\nSam", config={"packs": [str(pack)]})
    elapsed = time.perf_counter() - start
    assert info.value.rule_id == "my-rule" and info.value.key == "match.regex.0"
    assert "catastroph" in str(info.value)
    assert elapsed < 10, f"refusing the pack took {elapsed:.1f}s"


# The load-time probe (runs of the pattern's own characters) cannot see every pattern. To show
# what happens when one slips through, the probe is switched off for this pack: the per-regex
# time limit (0.25 s) is then what keeps a draft with a run of x from hanging anything.
EVADES_PROBE = r"(x|xx)+y"
XS_DRAFT = "Hi Dana,\n\nMy handle is " + "x" * 60 + ".\n\nBest,\nSam"


def test_catastrophic_regex_the_probe_misses_times_out_not_hangs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import outreach_lint.rules.detect as detect

    monkeypatch.setattr(detect, "times_out", lambda pattern: False)
    ol.lint("Hi Dana, warm-up.")
    pack = _pack_with(tmp_path, EVADES_PROBE)
    cfg = {"packs": [str(pack)]}
    ol.lint("Hi Dana,\n\nA question.\n\nBest,\nSam", config=cfg)  # loads: the probe passes it
    start = time.perf_counter()
    with pytest.raises(ol.RuleTimeoutError) as info:
        ol.lint(XS_DRAFT, config=cfg)
    elapsed = time.perf_counter() - start
    assert "my-rule" in str(info.value) and "bad.yaml" in str(info.value)
    assert elapsed < 10, f"the runaway regex held lint() for {elapsed:.1f}s"


def test_runaway_regex_in_the_hooks_fails_closed(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import outreach_lint.rules.detect as detect

    monkeypatch.setattr(detect, "times_out", lambda pattern: False)  # as if the probe missed it
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OUTREACH_LINT_IN_SENDMAIL", raising=False)
    pack = _pack_with(tmp_path, EVADES_PROBE)
    (tmp_path / ".outreach-lint.toml").write_text(f'packs = ["{pack}"]\n', encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(XS_DRAFT, encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(draft)], catch_exceptions=False)
    assert checked.exit_code == 2
    assert "my-rule" in checked.stderr and "Traceback" not in checked.stderr
    stub = Stub(tmp_path / "mta")
    message = ("From: sam@example.org\nTo: dana@example.org\nSubject: Hello\n\n" + XS_DRAFT)
    sent = runner.invoke(cli, ["sendmail", "--mta", str(stub.path), "--", "x"],
                         input=message.encode(), catch_exceptions=False)
    assert sent.exit_code == 75 and not stub.called
    assert "NOT sent" in sent.stderr
