"""A bounded pool of lint workers, so CPU-bound linting never runs on the event loop.

Worker *processes* (the default) lint in parallel, which threads cannot under the GIL, and a
worker that dies takes no request state with it: the pool is rebuilt and the request gets a
503. Threads are kept for tests and tiny hosts (`processes=False`). Work waiting for a worker
is bounded too (`max_pending`); past it a request is told to retry instead of queueing
without limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..config import Config
from . import jobs

#: Requests that may wait for a worker, per worker, before the server answers 503.
PENDING_PER_WORKER = 32


class Busy(Exception):
    """Every worker is busy and the waiting line is full."""


class WorkerLost(Exception):
    """A worker process died mid-draft (it is replaced; the request may be retried)."""


def _warm_worker(cfg: Config) -> None:
    # The server's own warm-up reports a bad config; here a worker just stays usable.
    with contextlib.suppress(Exception):
        jobs.warm(cfg)


class LintPool:
    def __init__(self, cfg: Config, workers: int = 2, *, processes: bool = True,
                 max_pending: int | None = None) -> None:
        self.cfg = cfg
        self.workers = max(1, workers)
        self.processes = processes
        self.max_pending = max_pending or self.workers * PENDING_PER_WORKER
        self._pending = 0
        self._lock = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> Executor:
        if not self.processes:
            return ThreadPoolExecutor(self.workers, thread_name_prefix="outreach-lint")
        # spawn, not fork: the server has threads (uvicorn, this pool's manager) by the time a
        # worker is replaced, and forking a threaded process can deadlock.
        ctx = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_warm_worker,
                                   initargs=(self.cfg,))

    @property
    def pending(self) -> int:
        return self._pending

    def warm(self) -> None:
        """Start every worker and check the config; raises what a bad config raises."""
        futures = [self._executor.submit(jobs.warm, self.cfg) for _ in range(self.workers)]
        for f in futures:
            f.result()

    async def run(self, fn: Callable[..., bytes], *args: Any) -> bytes:
        if self._pending >= self.max_pending:
            raise Busy
        self._pending += 1  # only the event loop thread touches this counter
        executor = self._executor
        try:
            return await asyncio.wrap_future(executor.submit(fn, self.cfg, *args))
        except BrokenProcessPool:
            self._replace(executor)
            raise WorkerLost from None
        finally:
            self._pending -= 1

    def _replace(self, broken: Executor) -> None:
        with self._lock:
            if self._executor is broken:
                self._executor = self._new_executor()
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
