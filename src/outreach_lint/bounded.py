"""Bounded work: a per-draft time budget, and a child process that can be stopped at it.

Two kinds of work cannot be interrupted from inside Python: spaCy's `Matcher` (one call into
compiled code, however long it takes) and a rule function that loops. So work that is not
known to be bounded, the matching of a user's rule pack, runs in a forked child process; at
the deadline the child is killed (SIGKILL) and the caller gets `BudgetExceeded`. A forked
child inherits the loaded pipeline and the compiled rule set, so it starts in milliseconds
and nothing is pickled on the way in; only its result comes back, pickled, through a pipe.

The built-in pack runs in-process: its token patterns have no unbounded repeat (so the
matcher is linear, see rules/bounds.py), and its regexes are bounded per call and by the
same deadline (`Deadline.regex_timeout`).

Where `os.fork` does not exist (Windows) user packs run in-process too, bounded only by the
per-regex and per-draft regex limits; docs/reliability.md says so.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import RuleTimeoutError

T = TypeVar("T")

#: Seconds a draft's matching may take unless the config says otherwise (`time-budget`):
#: three times what the built-in pack takes on a draft at the 100,000-character limit on a
#: busy 2-core machine (about 6-10 s), so only runaway work reaches it.
DEFAULT_BUDGET = 30.0
#: Seconds one regex may run on one stretch of a draft (a catastrophic pattern stops here).
REGEX_TIMEOUT = 0.25

CAN_FORK = hasattr(os, "fork")
_in_child = False
_live: set[int] = set()  # children still running, so a server shutting down can stop them
_live_lock = threading.Lock()


class BudgetExceeded(RuleTimeoutError):
    """A draft's matching ran past its time budget; the draft was not checked."""

    def __init__(self, budget: float, detail: str = "") -> None:
        self.budget = budget
        self.detail = detail
        super().__init__(f"checking this draft took longer than its {budget:g} s time budget"
                         + (f" ({detail})" if detail else ""))

    def __reduce__(self) -> tuple[Any, ...]:  # keyword-free pickling, for the child's answer
        return (BudgetExceeded, (self.budget, self.detail))


class Deadline:
    """The moment a draft's matching must be done by."""

    __slots__ = ("budget", "end")

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.end = time.monotonic() + budget

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self, detail: str = "") -> None:
        if self.remaining() <= 0:
            raise BudgetExceeded(self.budget, detail)

    def regex_timeout(self, detail: str = "") -> float:
        """The timeout for one regex call: the per-call limit, or what is left if less.

        A regex that takes just under the per-call limit on each of many sentences is thus
        still stopped at the draft's budget (0.25 s x 364 request sentences was 91 s).
        """
        left = self.remaining()
        if left <= 0:
            raise BudgetExceeded(self.budget, detail)
        return min(REGEX_TIMEOUT, left)


# The package's own locks, in the order its code takes them (a rule set is compiled under
# engine's lock, and loads the pipeline and Python rules under theirs).
_FORK_LOCKS = ("outreach_lint.engine", "outreach_lint.nlp", "outreach_lint.rules.registry")


def _fork() -> int:
    """`os.fork()` with no other thread inside one of the package's locked sections.

    A child has only the forking thread: a lock another thread held at the fork stays held
    in the child for good, and the child would wait on it until killed (a language server
    compiling a rule set in one thread while it forks a lint worker in another). Holding
    every such lock across the fork makes the child's copies free.
    """
    held: list[threading.Lock] = []
    try:
        for name in _FORK_LOCKS:
            lock = getattr(sys.modules.get(name), "_lock", None)
            if isinstance(lock, type(_live_lock)):
                lock.acquire()
                held.append(lock)
        return os.fork()
    finally:
        for lock in reversed(held):  # in the parent and in the child alike
            lock.release()


def in_child() -> bool:
    """True inside a child started by `run_in_child` (which runs nested work in-process)."""
    return _in_child


def run_in_child(fn: Callable[[], T], budget: float) -> T:
    """`fn()` in a forked child, killed after `budget` seconds (then `BudgetExceeded`).

    The child's exception, if it raised one, is raised here. Runs `fn()` in-process when
    forking is not possible or this already is such a child.
    """
    if not CAN_FORK or _in_child:
        return fn()
    read_fd, write_fd = os.pipe()
    with _live_lock:  # no other thread forks or reaps while this one does
        pid = _fork()
        if pid == 0:  # pragma: no cover  (the child; coverage cannot follow it)
            _child(fn, read_fd, write_fd)
        _live.add(pid)
    os.close(write_fd)
    killed = False
    chunks: list[bytes] = []
    end = time.monotonic() + budget
    try:
        while True:
            left = end - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                killed = True
                raise BudgetExceeded(budget)
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        if not killed:  # interrupted (Ctrl-C, a cancelled caller): never leave it running
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(read_fd)
        _reap(pid)
    if not chunks:
        raise RuntimeError("the worker process checking this draft died without an answer")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "error":
        raise value
    return value  # type: ignore[no-any-return]


def _child(fn: Callable[[], Any], read_fd: int, write_fd: int) -> None:  # pragma: no cover
    global _in_child
    code = 0
    try:
        os.close(read_fd)
        _in_child = True
        # The parent's handlers (the sendmail wrapper's, an editor's) are not the child's.
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        try:
            answer: tuple[str, Any] = ("ok", fn())
        except BaseException as exc:
            answer = ("error", exc)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an unpicklable result or exception
            data = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view):]
    except BaseException:
        code = 70
    finally:
        # Never return into the parent's code, run its atexit hooks or flush its buffers.
        os._exit(code)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    with _live_lock:
        _live.discard(pid)


def kill_children() -> None:
    """Stop every child still running (a language server that is exiting)."""
    with _live_lock:
        for pid in _live:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Worker:
    """A forked child that runs one call at a time, and is killed when a call overruns.

    `run_in_child` forks per call, which costs tens of milliseconds (the child faults in the
    pages it touches): fine for a user pack in a CLI run, too slow per keystroke. An editor
    keeps one of these per lint slot instead: forked once from the warm server, it keeps its
    own caches between calls; after a kill the next call forks a fresh one. Calls are
    module-level functions and plain arguments, pickled both ways. One thread at a time.
    """

    def __init__(self) -> None:
        self.pid: int | None = None
        self._to: int = -1
        self._from: int = -1

    def call(self, fn: Callable[..., T], *args: Any, budget: float) -> T:
        if not CAN_FORK or _in_child:
            return fn(*args)
        if self.pid is None:
            self._start()
        assert self.pid is not None
        try:
            _send(self._to, (fn, args))
            kind, value = pickle.loads(_receive(self._from, time.monotonic() + budget, budget))
        except BudgetExceeded:
            self.stop()
            raise
        except (OSError, EOFError) as exc:
            self.stop()
            raise RuntimeError(f"the worker process died ({exc or 'no answer'})") from None
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def _start(self) -> None:
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        with _live_lock:
            pid = _fork()
            if pid == 0:  # pragma: no cover  (the child)
                os.close(down_w)
                os.close(up_r)
                _serve(down_r, up_w)
            _live.add(pid)
        os.close(down_r)
        os.close(up_w)
        self.pid, self._to, self._from = pid, down_w, up_r

    def stop(self) -> None:
        """Kill the child (if any); the next call starts a new one."""
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        for fd in (self._to, self._from):
            with contextlib.suppress(OSError):
                os.close(fd)
        _reap(self.pid)
        self.pid = None


def _send(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int, end: float | None, budget: float = 0.0) -> bytes:
    """One length-prefixed message; BudgetExceeded at `end`, EOFError if the pipe closes."""
    buf = bytearray()
    need = 8
    while len(buf) < need:
        if end is not None:
            left = end - time.monotonic()
            if left <= 0:
                raise BudgetExceeded(budget)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
        chunk = os.read(fd, min(need - len(buf), 1 << 20))
        if not chunk:
            raise EOFError
        buf += chunk
        if need == 8 and len(buf) >= 8:
            need = 8 + int.from_bytes(buf[:8], "big")
    return bytes(buf[8:need])


def _serve(down: int, up: int) -> None:  # pragma: no cover  (runs in the worker child)
    global _in_child
    code = 0
    try:
        _in_child = True
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        while True:
            try:
                fn, args = pickle.loads(_receive(down, None))
            except EOFError:
                break
            try:
                answer: tuple[str, Any] = ("ok", fn(*args))
            except BaseException as exc:
                answer = ("error", exc)
            try:
                _send(up, answer)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                _send(up, ("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    except BaseException:
        code = 70
    finally:
        os._exit(code)
