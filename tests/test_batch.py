"""Batch linting: lint_many (nlp.pipe batches, worker processes) and external engines."""

from __future__ import annotations

from pathlib import Path

import pytest

import outreach_lint as ol

EXAMPLES = sorted(Path(__file__).resolve().parents[1].joinpath("examples").glob("*.txt"))


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in EXAMPLES]


def test_lint_many_matches_lint_one_by_one() -> None:
    texts = _texts()
    one_by_one = [ol.lint(t).model_dump() for t in texts]
    batched = [r.model_dump() for r in ol.lint_many(texts, batch_size=4)]  # type: ignore[union-attr]
    assert batched == one_by_one


def test_lint_many_in_worker_processes_keeps_order_and_results() -> None:
    texts = _texts()[:6]
    expected = [ol.lint(t).model_dump() for t in texts]
    got = [r.model_dump() for r in ol.lint_many(texts, n_process=2, batch_size=2)]  # type: ignore[union-attr]
    assert got == expected


def test_an_unreadable_draft_yields_its_error_in_place() -> None:
    results = list(ol.lint_many(["Hi Dana, any openings?", b"\x00\x01\x02junk", "Thanks!"]))
    assert isinstance(results[0], ol.Report)
    assert isinstance(results[1], ol.InputError) and "binary" in str(results[1])
    assert isinstance(results[2], ol.Report)


def test_lint_partition_runs_under_dask_processes() -> None:
    dask_bag = pytest.importorskip("dask.bag", reason="install the 'dask' extra to run this")
    texts = _texts()
    bag = dask_bag.from_sequence(texts, npartitions=2).map_partitions(ol.lint_partition)
    reports = bag.compute(scheduler="processes", num_workers=2)
    assert [r["score"]["total"] for r in reports] == [ol.lint(t).score.total for t in texts]
    assert all(r["schema_version"] == ol.SCHEMA_VERSION for r in reports)


# ------------------------------------ issue 16, finding 6: a batch never loses results

JOB_ASK = "Hi Dana,\n\nDo you have any openings on your team?\n\nBest,\nSam"
MEETING = "Hi Dana,\n\nCould we talk for 20 minutes next week?\n\nBest,\nSam"


def _ids(r: object) -> list[str]:
    assert isinstance(r, ol.Report), r
    return [f.rule_id for f in r.findings]


def test_a_rule_timeout_is_reported_in_place_and_the_rest_continue(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import outreach_lint.rules.detect as detect
    from test_reliability_limits import EVADES_PROBE, XS_DRAFT, _pack_with

    monkeypatch.setattr(detect, "times_out", lambda pattern: False)  # as if the probe missed it
    cfg = {"packs": [str(_pack_with(tmp_path, EVADES_PROBE))]}
    results = list(ol.lint_many([JOB_ASK, XS_DRAFT, MEETING, JOB_ASK], config=cfg, batch_size=8))
    assert len(results) == 4
    assert isinstance(results[1], ol.DraftNotChecked) and "my-rule" in str(results[1])
    assert "job-ask" in _ids(results[0]) and "job-ask" in _ids(results[3])
    assert "job-ask" not in _ids(results[2])


def test_a_crash_on_one_draft_is_reported_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated: a bug that raises (RecursionError, then any exception) on drafts with a marker.
    import outreach_lint.api as api

    real = api.lint_draft

    def flaky(draft: ol.Draft, cfg: ol.Config, doc: object = None) -> ol.Report:
        if "RECURSE" in draft.text:
            raise RecursionError("maximum recursion depth exceeded")
        if "BOOM" in draft.text:
            raise ZeroDivisionError("division by zero")
        return real(draft, cfg, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "lint_draft", flaky)
    results = list(ol.lint_many([JOB_ASK, JOB_ASK + " RECURSE", MEETING + " BOOM", MEETING]))
    assert "job-ask" in _ids(results[0]) and _ids(results[3])
    assert isinstance(results[1], ol.DraftNotChecked) and "nested too deeply" in str(results[1])
    assert isinstance(results[2], ol.DraftNotChecked) and "ZeroDivisionError" in str(results[2])


def test_an_oversized_draft_does_not_stop_the_batch() -> None:
    big = "Could we talk? " * 70_000  # over spaCy's 1,000,000-character limit
    results = list(ol.lint_many([JOB_ASK, big, MEETING], batch_size=8))
    assert _ids(results[1]) == ["draft-too-large"]
    assert "job-ask" in _ids(results[0]) and "job-ask" not in _ids(results[2])


def _fork_only() -> None:
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the worker-killing stand-in is patched in the parent: needs fork")


@pytest.mark.parametrize("persistent", [False, True], ids=["once", "every-time"])
def test_a_dead_worker_is_restarted_and_its_batch_retried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, persistent: bool) -> None:
    # Simulated: a draft marked KILL makes the worker process exit at once (os._exit, as an
    # out-of-memory kill would), the first time only or every time. Workers are forked, so
    # they inherit the patch.
    _fork_only()
    import os

    import outreach_lint.api as api

    real = api.lint_draft
    marker = tmp_path / "killed-once"

    def killer(draft: ol.Draft, cfg: ol.Config, doc: object = None) -> ol.Report:
        if "KILL" in draft.text and (persistent or not marker.exists()):
            marker.touch()
            os._exit(9)
        return real(draft, cfg, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "lint_draft", killer)
    texts = [JOB_ASK, MEETING] * 6
    texts[5] = JOB_ASK + "\n\nKILL"
    expected = [ol.lint(t).model_dump() if "KILL" not in t else None for t in texts]
    results = list(ol.lint_many(texts, n_process=2, batch_size=2))
    assert len(results) == len(texts)
    for i, (got, want) in enumerate(zip(results, expected, strict=True)):
        if want is None:
            if persistent:
                assert isinstance(got, ol.DraftNotChecked) and "died" in str(got)
            else:
                assert "job-ask" in _ids(got)  # the retry worked: a full report
        else:
            assert isinstance(got, ol.Report) and got.model_dump() == want, i


def test_check_j2_reports_every_file_around_a_timeout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from click.testing import CliRunner

    import outreach_lint.rules.detect as detect
    from outreach_lint.cli import cli
    from test_reliability_limits import EVADES_PROBE, XS_DRAFT, _pack_with

    _fork_only()  # the patched probe must reach the workers
    monkeypatch.setattr(detect, "times_out", lambda pattern: False)
    pack = _pack_with(tmp_path, EVADES_PROBE)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / ".outreach-lint.toml").write_text(f'packs = ["{pack}"]\n')
    names = [f"d{i:02d}.txt" for i in range(8)]
    for i, name in enumerate(names):
        (drafts / name).write_text(XS_DRAFT if i == 3 else (JOB_ASK if i % 2 else MEETING))
    monkeypatch.chdir(drafts)
    result = CliRunner().invoke(cli, ["check", "-j", "2", "--format", "json", "."])
    doc = json.loads(result.stdout)
    assert [Path(f["path"]).name for f in doc["files"]] == [n for n in names if n != "d03.txt"]
    assert [Path(e["path"]).name for e in doc["errors"]] == ["d03.txt"]
    assert "my-rule" in doc["errors"][0]["message"]
    assert result.exit_code == 2
