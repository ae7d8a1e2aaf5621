"""A smaller run of benchmarks/web_load.py: every request answered, none failed.

The numbers (p95 latency, memory before and after 2,000 requests) come from the benchmark
itself (`python benchmarks/web_load.py`, also run by .ci/run); this test only asserts what
must hold on any machine: concurrent clients all get a full report back from real worker
processes, and the server does not grow per request.
"""

from __future__ import annotations

from web_support import web_load


def test_concurrent_clients_are_all_answered() -> None:
    out = web_load.run(requests=240, clients=12, workers=2, deadline_s=240,
                       max_growth_mb=60)
    assert out["answered"] == 240, out
    assert out["statuses"] == {200: 240}, out
    assert out["failures"] == 0 and out["unsent"] == 0 and out["warmup_failures"] == 0, out
    assert out["rss_growth_mb"] <= 60, out
    assert out["ok"], out
