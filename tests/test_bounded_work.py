"""Finding 7 of issue 16: rule work is bounded.

Token patterns that would make spaCy's matcher explode are refused at load time, a special
file in a pack folder is refused instead of blocking the load, and a draft's matching stops
at its time budget (a slow user regex gives a `lint-timeout` finding, not minutes of work).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

import outreach_lint as ol
from outreach_lint.packs import builtin_packs_dir, load_pack
from outreach_lint.rules.bounds import repeats, too_costly
from test_packs import MINIMAL_RULE, new_pack

BUILTIN = builtin_packs_dir() / "informational-interview"


def token_rule(tokens: str, rule_id: str = "cubic") -> str:
    return MINIMAL_RULE.format(id=rule_id, regex="zzzz").replace(
        "match:\n  regex:\n    - 'zzzz'\n", f"match:\n  tokens:\n    - {tokens}\n"
    )


# ------------------------------------------------------------------ token patterns


def test_the_cubic_token_pattern_is_refused_naming_file_rule_and_key(tmp_path: Path) -> None:
    pack = new_pack(tmp_path)
    rule_file = pack / "rules" / "cubic.yaml"
    rule_file.write_text(token_rule('[{OP: "*"}, {OP: "*"}, {LOWER: zzzz}]'), encoding="utf-8")
    with pytest.raises(ol.PackError) as info:
        ol.lint("Hi Dana,\n\nCould we talk?\n\nSam", config={"packs": [str(pack)]})
    err = info.value
    assert err.path == str(rule_file) and err.rule_id == "cubic"
    assert err.key == "match.tokens.0" and err.line is not None
    assert "cube" in str(err) and "'{0,4}'" in str(err)


@pytest.mark.parametrize("tokens", [
    '[{LOWER: a, OP: "+"}, {LOWER: b}, {OP: "*"}]',
    '[{OP: "{2,}"}, {LOWER: b, OP: "+"}]',
    '[{OP: "{0,8}"}, {OP: "{0,8}"}, {LOWER: zzzz}]',
    '[{OP: "?"}, {OP: "?"}, {OP: "?"}, {OP: "?"}, {OP: "?"}, {OP: "{0,5}"}]',
], ids=["plus-star", "range-open-plus", "two-ranges", "many-optional"])
def test_other_exploding_token_patterns_are_refused(tmp_path: Path, tokens: str) -> None:
    pack = new_pack(tmp_path)
    (pack / "rules" / "cubic.yaml").write_text(token_rule(tokens), encoding="utf-8")
    with pytest.raises(ol.PackError, match=r"key 'match\.tokens\.0'"):
        load_and_compile(pack)


@pytest.mark.parametrize("tokens", [
    '[{LOWER: open}, {LOWER: jobs, OP: "+"}]',
    '[{LOWER: a}, {OP: "{0,4}"}, {LOWER: b, OP: "?"}, {LOWER: c}]',
    '[{LOWER: a}, {LOWER: b, OP: "{1,3}"}]',
], ids=["one-plus", "bounded-range", "range"])
def test_bounded_token_patterns_are_accepted(tmp_path: Path, tokens: str) -> None:
    pack = new_pack(tmp_path)
    (pack / "rules" / "ok.yaml").write_text(token_rule(tokens, "fine"), encoding="utf-8")
    load_and_compile(pack)


def load_and_compile(pack: Path) -> None:
    ol.lint("Hi Dana,\n\nCould we talk?\n\nSam", config={"packs": [str(pack)]})


def test_the_builtin_pack_has_no_unbounded_token_so_its_matching_is_linear() -> None:
    # Why the built-in pack may run in-process: with no unbounded token and few optional
    # slots, the matcher's work per draft grows linearly with its length.
    pack = load_pack(BUILTIN)
    patterns: list[list[dict[str, object]]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "tokens":
                    patterns.extend(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for rule, _ in pack.rules.values():
        walk(rule.model_dump(by_alias=True))
    for det, _ in pack.detectors.values():
        walk(det.model_dump(by_alias=True))
    assert patterns, "the walk found no token pattern"
    for pattern in patterns:
        assert repeats(pattern).unbounded == 0, pattern
        assert too_costly(pattern) is None, pattern


def test_a_run_of_job_nouns_still_counts_once() -> None:
    # The built-in 'open jobs+' became 'open jobs{1,3}': same findings on real phrasing.
    report = ol.lint("Hi Dana,\n\nDo you have any open roles positions at Acme?\n\nBest,\nSam")
    assert [f.rule_id for f in report.findings].count("job-ask") == 1


# ------------------------------------------------------------------ special files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("where", ["rules/fifo.yaml", "classes.yaml", "detectors.yaml",
                                   "pack.yaml"])
def test_a_fifo_in_a_pack_is_refused_not_waited_on(tmp_path: Path, where: str) -> None:
    pack = new_pack(tmp_path)
    (pack / "rules" / "ok.yaml").write_text(MINIMAL_RULE.format(id="fine", regex="zzzz"),
                                            encoding="utf-8")
    fifo = pack / where
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            load_and_compile(pack)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # unblock the reader so the thread ends, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("loading the pack blocked on a FIFO")
    (err,) = outcome
    assert isinstance(err, ol.PackError), err
    assert "not a regular file" in str(err) and err.path == str(fifo)



# ------------------------------------------------------------------ the time budget

SLOW_RULE = """\
id: slow-regex
kind: existence
category: ask
severity: warning
message: Slow.
why: Because.
source: tests
match:
  sentence: request
  regex:
    - '(?:qp|qp)+z'
examples:
  fail: ["Could we talk qpz?"]
  pass: ["Hello."]
"""


def slow_regex_draft(sentences: int) -> str:
    # '(?:qp|qp)+z' passes the load-time probe, then takes ~0.1 s on each sentence below:
    # under the 0.25 s per-call limit, so only a per-draft budget stops it.
    return "Hi Dana,\n\n" + " ".join(["Could we talk about " + "qp" * 17 + "?"] * sentences) \
        + "\n\nBest,\nSam"


def test_a_slow_user_regex_stops_at_the_drafts_time_budget(tmp_path: Path) -> None:
    pack = new_pack(tmp_path)
    (pack / "rules" / "slow.yaml").write_text(SLOW_RULE, encoding="utf-8")
    config = {"packs": [str(pack)], "select": ["slow-regex"], "time-budget": 1}
    started = time.monotonic()
    report = ol.lint(slow_regex_draft(150), config=config)  # ~15 s of regex work
    took = time.monotonic() - started
    assert [f.rule_id for f in report.findings] == ["lint-timeout"]
    (finding,) = report.findings
    assert finding.severity is ol.Severity.ERROR
    assert "1 s time budget" in finding.message and "'slow-regex'" in finding.message
    assert took < 8, f"took {took:.1f} s: the budget did not stop the regexes"
    # A draft the same regex gets through in time is checked as usual.
    quick = ol.lint(slow_regex_draft(1), config={**config, "time-budget": 5})
    assert [f.rule_id for f in quick.findings] == []


def test_a_quadratic_token_pattern_in_a_user_pack_is_killed_at_the_budget(tmp_path: Path
                                                                          ) -> None:
    # One unbounded token is allowed, but still quadratic: 20,000 words take about a minute
    # inside one uninterruptible matcher call. The user pack's matching runs in a child
    # process, which is killed at the budget.
    pack = new_pack(tmp_path)
    (pack / "rules" / "quad.yaml").write_text(
        token_rule('[{LOWER: word}, {OP: "*"}, {LOWER: zzzz}]', "quadratic"), encoding="utf-8")
    config = {"packs": [str(pack)], "select": ["quadratic"], "time-budget": 1,
              "max-chars": 200_000}
    # The closing 'zzzz' is needed: without a word the pattern requires, the matcher is not
    # run on the sentence at all (candidates first, rules/candidates.py).
    text = "Hi Dana,\n\n" + "word " * 20_000 + "zzzz\n\nSam"
    started = time.monotonic()
    report = ol.lint(text, config=config)
    took = time.monotonic() - started
    assert [f.rule_id for f in report.findings] == ["lint-timeout"]
    assert report.text == text  # nothing lost: the report carries the draft
    assert took < 10, f"took {took:.1f} s"
    # The same pack on a normal draft works, through the same child process path.
    fine = ol.lint("Hi Dana,\n\nword one two zzzz\n\nSam", config=config)
    assert [f.rule_id for f in fine.findings] == ["quadratic"]


def test_time_budget_must_be_positive() -> None:
    with pytest.raises(ol.ConfigError, match="time-budget"):
        ol.lint("Hi", config={"time-budget": 0})
