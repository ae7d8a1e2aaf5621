"""Run batches of drafts in worker processes without losing any draft's result.

`lint_many(..., n_process=N)` hands batches to a process pool. A worker that dies (killed,
out of memory, a crash in native code) breaks the whole pool, and with `pool.map` every
result after it was lost. Here, instead:

1. batches go to a pool of N workers, at most 2N in flight (memory stays flat however many
   drafts there are), and come back in order;
2. when the pool breaks, every unfinished batch is retried once, one at a time, in a fresh
   one-worker pool, so a batch that kills its worker again is known;
3. that batch's drafts are then linted one by one (the pool restarted after each death), and
   only a draft that kills its worker on its own is reported, in its place, as
   `DraftNotChecked`;
4. then a fresh N-worker pool goes on with the rest.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from .errors import DraftNotChecked

S = TypeVar("S")
R = TypeVar("R")
C = TypeVar("C")

Work = Callable[[list[S], C], list[R]]


def run_batches(batches: Iterable[list[S]], work: Work[S, C, R], arg: C, workers: int,
                ) -> Iterator[list[R | DraftNotChecked]]:
    """`work(batch, arg)` for each batch in worker processes; results in input order."""
    todo = iter(batches)
    while True:
        unfinished = yield from _until_broken(todo, work, arg, workers)
        if unfinished is None:
            return
        yield from _retry(unfinished, work, arg)


def _until_broken(todo: Iterator[list[S]], work: Work[S, C, R], arg: C, workers: int,
                  ) -> Generator[list[R | DraftNotChecked], None, list[list[S]] | None]:
    # A generator that returns the unfinished batches when the pool breaks, None when done.
    queue: deque[tuple[list[S], Future[list[R]]]] = deque()
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        while True:
            while len(queue) < 2 * workers and (batch := next(todo, None)) is not None:
                queue.append((batch, pool.submit(work, batch, arg)))
            if not queue:
                return None
            batch, future = queue[0]
            try:
                results = future.result()
            except BrokenProcessPool:
                return [b for b, _ in queue]
            queue.popleft()
            yield list(results)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _retry(batches: list[list[S]], work: Work[S, C, R], arg: C,
           ) -> Iterator[list[R | DraftNotChecked]]:
    pool = ProcessPoolExecutor(max_workers=1)
    try:
        for batch in batches:
            try:
                yield list(pool.submit(work, batch, arg).result())
                continue
            except BrokenProcessPool:
                pool = _restart(pool)
            # The batch killed its worker twice: find the draft(s) that do it on their own.
            out: list[R | DraftNotChecked] = []
            for source in batch:
                try:
                    out.extend(pool.submit(work, [source], arg).result())
                except BrokenProcessPool:
                    pool = _restart(pool)
                    out.append(DraftNotChecked(
                        "the worker process linting this draft died (killed, out of memory or a"
                        " crash), also when retried on its own; it was not checked"))
            yield out
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _restart(pool: ProcessPoolExecutor) -> ProcessPoolExecutor:
    pool.shutdown(wait=True, cancel_futures=True)
    return ProcessPoolExecutor(max_workers=1)
