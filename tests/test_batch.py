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
