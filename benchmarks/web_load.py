"""Load on `outreach-lint serve`: many lint requests from concurrent clients, on 127.0.0.1 only.

    python benchmarks/web_load.py                       # 2,000 requests from 20 clients
    python benchmarks/web_load.py --requests 200 --clients 10 --workers 1

Starts the server as a user would (`python -m outreach_lint serve --port 0`), warms it up,
then sends POST /api/lint with the example drafts from N client threads, each on its own
keep-alive connection. The run is bounded in count (`--requests`) and time (`--deadline`);
it prints the status counts, latency percentiles, throughput and the resident memory of the
server and its worker processes before and after. Exit 1 when a request went unanswered or
failed, or when memory grew by more than `--max-growth-mb` (it should stay flat: nothing is
kept per request).

tests/web/test_web_load.py runs a smaller version of the same code in the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # load goes to this machine's loopback only, never anywhere else


# ------------------------------------------------------------------------- the server


class Server:
    """`python -m outreach_lint serve --port 0 ...` in a subprocess; stderr goes to a file."""

    def __init__(self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float = 90.0) -> None:
        fd, name = tempfile.mkstemp(prefix="outreach-serve-", suffix=".log")
        self.log = Path(name)
        cmd = [sys.executable, "-m", "outreach_lint", "serve", "--host", HOST, "--port", "0", *args]
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fd, stderr=fd,
                                         cwd=cwd, env=env)
        finally:
            os.close(fd)
        self.url = self._wait_for_url(timeout)
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname or HOST, parts.port or 80

    def _wait_for_url(self, timeout: float) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in self.output().splitlines():
                if line.startswith("outreach-lint: serving "):
                    return line.split()[2]
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}:\n{self.output()}")
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def rss_mb(self) -> float:
        """Resident memory of the server and every process under it (the lint workers)."""
        return sum(_rss_kb(p) for p in _tree(self.proc.pid)) / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.log.unlink(missing_ok=True)


def _tree(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# ------------------------------------------------------------------------- the load


def drafts() -> list[str]:
    found = sorted((ROOT / "examples").glob("*.txt"))
    if not found:
        raise SystemExit("no examples/*.txt to send")
    return [p.read_text(encoding="utf-8") for p in found]


@dataclass
class Result:
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    unsent: int = 0
    seconds: float = 0.0

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def hammer(server: Server, texts: Sequence[str], total: int, clients: int,
           deadline_s: float, timeout_s: float = 60.0) -> Result:
    """Send `total` lint requests from `clients` threads; stop early at the deadline."""
    result = Result()
    lock = threading.Lock()
    next_index = iter(range(total))
    stop_at = time.monotonic() + deadline_s
    bodies = [json.dumps({"text": t}).encode("utf-8") for t in texts]

    def client() -> None:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout_s)
        try:
            while time.monotonic() < stop_at:
                with lock:
                    i = next(next_index, None)
                if i is None:
                    return
                t0 = time.perf_counter()
                try:
                    conn.request("POST", "/api/lint", body=bodies[i % len(bodies)],
                                 headers={"Content-Type": "application/json"})
                    resp = conn.getresponse()
                    data = resp.read()
                    status = resp.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout_s)
                    with lock:
                        result.failures.append(f"request {i}: {type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - t0
                with lock:
                    result.statuses[status] += 1
                    result.latencies.append(elapsed)
                    if status != 200 or b'"report"' not in data:
                        result.failures.append(f"request {i}: HTTP {status}: {data[:200]!r}")
        finally:
            conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, stop_at - time.monotonic()) + timeout_s)
    result.seconds = time.perf_counter() - t0
    result.unsent = total - result.answered - len(result.failures)
    return result


def run(requests: int, clients: int, workers: int, deadline_s: float,
        max_growth_mb: float) -> dict[str, Any]:
    texts = drafts()
    # --rate-limit 0: every client here is 127.0.0.1, so a per-client limit would measure
    # the limiter, not the server.
    with Server("--workers", str(workers), "--rate-limit", "0", cwd=ROOT) as server:
        warm = hammer(server, texts, total=max(clients * 2, 40), clients=clients,
                      deadline_s=deadline_s)
        rss_before = server.rss_mb()
        res = hammer(server, texts, total=requests, clients=clients, deadline_s=deadline_s)
        rss_after = server.rss_mb()
    out = {
        "requests": requests, "clients": clients, "workers": workers,
        "answered": res.answered, "statuses": dict(res.statuses), "failures": len(res.failures),
        "unsent": res.unsent, "seconds": round(res.seconds, 2),
        "throughput_rps": round(res.answered / res.seconds, 1) if res.seconds else 0.0,
        "p50_ms": round(1000 * res.percentile(0.50), 1),
        "p95_ms": round(1000 * res.percentile(0.95), 1),
        "p99_ms": round(1000 * res.percentile(0.99), 1),
        "max_ms": round(1000 * max(res.latencies, default=float("nan")), 1),
        "rss_before_mb": round(rss_before, 1), "rss_after_mb": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "warmup_failures": len(warm.failures),
    }
    out["ok"] = (res.answered == requests and not res.failures and not warm.failures
                 and out["rss_growth_mb"] <= max_growth_mb)
    out["first_failures"] = res.failures[:5] + warm.failures[:5]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--deadline", type=float, default=300.0, help="seconds for the whole run")
    ap.add_argument("--max-growth-mb", type=float, default=40.0)
    args = ap.parse_args(argv)
    out = run(args.requests, args.clients, args.workers, args.deadline, args.max_growth_mb)
    print(f"{out['answered']}/{out['requests']} answered from {out['clients']} clients"
          f" ({out['workers']} lint workers) in {out['seconds']} s,"
          f" {out['throughput_rps']} requests/s; statuses {out['statuses']};"
          f" failures {out['failures']}, unsent {out['unsent']}")
    print(f"latency p50 {out['p50_ms']} ms, p95 {out['p95_ms']} ms, p99 {out['p99_ms']} ms,"
          f" max {out['max_ms']} ms")
    print(f"RSS (server + workers) before {out['rss_before_mb']} MB, after"
          f" {out['rss_after_mb']} MB, growth {out['rss_growth_mb']} MB"
          f" (limit {args.max_growth_mb} MB)")
    for line in out["first_failures"]:
        print("  failure:", line)
    print(json.dumps({k: v for k, v in out.items() if k != "first_failures"}))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
