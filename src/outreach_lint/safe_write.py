"""Write a file so that a crash, a kill or a full disk never leaves it half written.

Every file outreach-lint changes (`fix` on a draft, `init`, `hook install`) goes through
`write_atomic`: the new bytes go to a temporary file in the same folder, are flushed to disk
(fsync), take over the original's mode (and owner, where allowed), and only then replace it
with one `rename`, after which the folder itself is flushed. At every moment the path holds
either the complete old content or the complete new content.

What a rename cannot keep: other hard links to the file keep the old content, and extended
attributes / ACLs are not copied. A process killed with SIGKILL mid-write leaves its
temporary file (`.NAME.XXXXXXXX.outreach-lint-tmp`) next to the original, which is intact.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import OutreachLintError

TEMP_SUFFIX = ".outreach-lint-tmp"


class WriteError(OutreachLintError):
    """A file could not be written; the message says why and that the original is unchanged."""


def write_atomic(path: Path | str, data: bytes, *, mode: int | None = None) -> Path:
    """Replace the content of `path` with `data`, all or nothing; returns the file written.

    A symlink is followed: its target gets the new content and the link stays a link.
    `mode` sets the permission bits; without it an existing file keeps its own and a new
    file gets the usual `0o666 & ~umask`.
    """
    target = Path(os.path.realpath(path))
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise _error(path, exc) from None
    if old is not None and not os.access(target, os.W_OK):
        # An in-place write would be refused too; a rename would quietly get around it.
        raise WriteError(f"{path}: the file is read-only; it was not changed")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX,
                                        dir=target.parent)
    except OSError as exc:
        raise _error(path, exc, "cannot create a temporary file next to it") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif old is not None:
            os.chmod(tmp, stat.S_IMODE(old.st_mode))
            _keep_owner(tmp, old)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise _error(path, exc) from None
        raise
    _sync_folder(target.parent)
    return target


def _error(path: Path | str, exc: OSError, what: str = "cannot write it") -> WriteError:
    reason = exc.strerror or str(exc)
    return WriteError(f"{path}: {what} ({reason}); the original is unchanged")


def _keep_owner(tmp: Path, old: os.stat_result) -> None:
    if (old.st_uid, old.st_gid) == (os.geteuid(), os.getegid()):
        return
    # Only root may give a file away; anyone may keep a group they belong to.
    with contextlib.suppress(OSError):
        os.chown(tmp, old.st_uid, old.st_gid)
        return
    with contextlib.suppress(OSError):
        os.chown(tmp, -1, old.st_gid)


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself; the new content is in place whether or not this works."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a folder (EINVAL); the data itself is synced
    finally:
        os.close(fd)


def _umask() -> int:
    """The process umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current
