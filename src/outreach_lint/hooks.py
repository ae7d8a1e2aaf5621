"""Pre-send hooks: the sendmail-compatible wrapper and git send-email's validate hook.

Kept apart from the click commands so the guarantees (bytes untouched, fail closed) are
readable in one place.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, BinaryIO

from .draft import Draft, parse_message_bytes
from .errors import OutreachLintError
from .safe_write import write_atomic

# sysexits.h codes that mail clients and MTAs understand.
EX_UNAVAILABLE = 69
EX_TEMPFAIL = 75
DEFAULT_MTA = "/usr/sbin/sendmail"
MTA_ENV = "OUTREACH_LINT_MTA"
#: Set for the MTA we run, so a wrapper that is (by mistake) its own MTA cannot loop forever.
DEPTH_ENV = "OUTREACH_LINT_IN_SENDMAIL"

HOOK_NAME = "sendemail-validate"
HOOK_MARKER = "# outreach-lint: managed hook"

_PATCH_SPLIT = re.compile(rb"^---\r?$", re.MULTILINE)
_BODY_START = re.compile(rb"\r?\n\r?\n")


def patch_cover_text(data: bytes) -> bytes:
    """A git patch email up to its first `---` line: headers + the commit message / cover text.

    Everything after that line is the diffstat and the diff, which is not prose to lint.
    Messages without such a line (and multipart ones, where cutting would break the MIME
    structure) are returned unchanged.
    """
    body = _BODY_START.search(data)
    if body is None or re.search(rb"(?im)^content-type:\s*multipart/", data[: body.start()]):
        return data
    cut = _PATCH_SPLIT.search(data, body.end())
    return data if cut is None else data[: cut.start()]


def as_message(data: bytes) -> Draft:
    """Parse bytes as a message: what a hook receives is always one, even without MIME headers.

    (`lint(bytes)` guesses between text and a message; a git patch file, which starts with an
    mbox `From <sha>` line and has no MIME-Version, would be guessed wrong.) The MIME limits
    of `parse_message_bytes` apply: a hostile structure is reported, never sent unchecked.
    """
    return parse_message_bytes(data)


def is_git_send_email(data: bytes) -> bool:
    body = _BODY_START.search(data)
    head = data[: body.start()] if body else data
    return re.search(rb"(?im)^x-mailer:\s*git-send-email", head) is not None


def mta_path(option: str | None) -> str:
    return option or os.environ.get(MTA_ENV) or DEFAULT_MTA


def run_mta(mta: str, args: tuple[str, ...], data: bytes) -> tuple[int, str | None]:
    """Run the real MTA with `args` and exactly `data` on stdin; (exit code, error message).

    The MTA reads the message from a file, not a pipe, so it can only meet the end of its
    input at the end of the message: a wrapper that dies (even by SIGKILL) cannot make it
    see a clean, early end of a half-written pipe and send a truncated message. The MTA runs
    in its own process group; SIGTERM, SIGINT or SIGHUP to the wrapper kill that group and
    the wrapper exits 128+N (the client keeps the draft).
    """
    if os.environ.get(DEPTH_ENV):
        return EX_UNAVAILABLE, (f"the MTA {mta} is outreach-lint's sendmail wrapper again;"
                                " point --mta at the real MTA")
    env = {**os.environ, DEPTH_ENV: "1"}
    try:
        stdin = _staged(data)
    except OSError as exc:
        return EX_TEMPFAIL, (f"cannot hold the message for the MTA ({exc.strerror or exc});"
                             " it was NOT sent")
    with stdin, _ChildGuard() as guard:
        if guard.signum:
            return _interrupted(guard.signum, mta, started=False)
        try:
            proc = subprocess.Popen([mta, *args], stdin=stdin, env=env, process_group=0)
        except FileNotFoundError:
            return EX_UNAVAILABLE, f"MTA not found: {mta} (set --mta or ${MTA_ENV})"
        except PermissionError:
            return EX_UNAVAILABLE, f"MTA is not executable: {mta}"
        except OSError as exc:
            return EX_UNAVAILABLE, f"cannot run the MTA {mta}: {exc.strerror or exc}"
        guard.own(proc)
        returncode = proc.wait()
        if guard.signum:
            return _interrupted(guard.signum, mta, started=True)
    if returncode < 0:
        # Killed by a signal: report it the way a shell does, never as success.
        return 128 - returncode, f"the MTA {mta} was killed by {_signal_name(-returncode)}"
    return returncode, None


def _staged(data: bytes) -> BinaryIO:
    """`data` in an unlinked file (in memory where the system has memfd), read from the start."""
    fh: BinaryIO
    if hasattr(os, "memfd_create"):
        fh = os.fdopen(os.memfd_create("outreach-lint-message"), "w+b")
    else:
        fh = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the caller)
    try:
        fh.write(data)
        fh.flush()
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    return fh


def _signal_name(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"


def _interrupted(sig: int, mta: str, *, started: bool) -> tuple[int, str]:
    what = (f"the MTA {mta} was stopped before it finished, so the message was most likely"
            " NOT sent" if started else "the MTA was not started; the message was NOT sent")
    return 128 + sig, f"interrupted by {_signal_name(sig)}: {what}. The draft is kept."


class _ChildGuard:
    """While the MTA runs, a terminating signal kills the MTA's process group first."""

    SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n))

    def __init__(self) -> None:
        self.signum = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._old: dict[int, Any] = {}

    def __enter__(self) -> _ChildGuard:
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)

    def own(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        if self.signum:  # the signal came while the MTA was being started
            self._kill()

    def _handle(self, signum: int, _frame: object) -> None:
        # Only kill here: the main thread's proc.wait() then returns and reports it.
        self.signum = self.signum or signum
        self._kill()

    def _kill(self) -> None:
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(OSError):
                os.killpg(self._proc.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------- git hook


def git_hooks_dir(cwd: Path | None = None) -> Path:
    """The hooks folder git uses here (honours `core.hooksPath`)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--git-path", "hooks"], cwd=cwd, check=True,
            capture_output=True, text=True,
        ).stdout.strip()
    except FileNotFoundError:
        raise OutreachLintError("git is not installed") from None
    except subprocess.CalledProcessError as exc:
        reason = (exc.stderr or "").strip().splitlines()
        raise OutreachLintError(
            "not inside a git repository" + (f" ({reason[-1]})" if reason else "")
        ) from None
    return (cwd or Path.cwd()) / out  # `out` may be relative to the cwd, or absolute


def hook_script(python: str | None = None) -> str:
    py = shlex.quote(python or sys.executable)
    return f"""#!/bin/sh
{HOOK_MARKER} (remove with `outreach-lint hook uninstall git`).
# git send-email runs this once per message, before anything is sent; a non-zero exit
# cancels the whole series. $1 is the message file; git 2.41+ adds $2 (SMTP headers).
# The interpreter path is absolute so the hook works with a virtualenv that is not active.
exec {py} -m outreach_lint hook run git -- "$@"
"""


def install_git_hook(force: bool, cwd: Path | None = None) -> Path:
    hooks = git_hooks_dir(cwd)
    target = hooks / HOOK_NAME
    if target.exists() and not force and HOOK_MARKER not in _read(target):
        raise OutreachLintError(
            f"{target} exists and was not written by outreach-lint; use --force to replace it"
        )
    hooks.mkdir(parents=True, exist_ok=True)
    write_atomic(target, hook_script().encode("utf-8"), mode=0o755)
    return target


def uninstall_git_hook(cwd: Path | None = None) -> Path:
    target = git_hooks_dir(cwd) / HOOK_NAME
    if not target.exists():
        raise OutreachLintError(f"no {HOOK_NAME} hook at {target}")
    if HOOK_MARKER not in _read(target):
        raise OutreachLintError(f"{target} was not written by outreach-lint; left in place")
    target.unlink()
    return target


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
