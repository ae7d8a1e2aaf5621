"""Turn the CLI's PATH arguments into units to lint: files, stdin, each message of an mbox."""

from __future__ import annotations

import glob
import mailbox
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

#: Suffixes picked up when a folder is given; an explicitly named file is linted whatever it is.
DRAFT_SUFFIXES = frozenset({".txt", ".eml", ".md", ".mbox"})
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class MboxMessage:
    """One message of an mbox, read only when it is linted (an mbox may hold thousands)."""

    box: mailbox.mbox
    key: str

    def read(self) -> bytes:
        try:
            return self.box.get_bytes(self.key)
        except (OSError, KeyError, mailbox.Error) as exc:
            raise InputError(f"cannot read message {self.key} of the mbox: {exc}") from exc


@dataclass(frozen=True)
class Unit:
    """One thing to lint: a path, the bytes of stdin, or one message of an mbox."""

    display: str
    source: Path | bytes | MboxMessage
    #: Where config discovery starts (the file, or --stdin-filename, or the cwd).
    near: Path

    def load(self) -> Path | bytes:
        """What to hand to lint: the path or bytes; an mbox message is read now."""
        return self.source.read() if isinstance(self.source, MboxMessage) else self.source


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        # Hidden folders (.git, .venv) hold no drafts and can be huge.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        found.extend(Path(root, f) for f in sorted(files)
                     if Path(f).suffix.lower() in DRAFT_SUFFIXES)
    return found


def expand(paths: tuple[str, ...]) -> list[Path]:
    """Files named, found under folders, or matched by globs, in order and without repeats."""
    out: dict[Path, None] = {}
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            out.update(dict.fromkeys(_walk(p)))
        elif p.exists():
            out[p] = None
        elif _GLOB_CHARS & set(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise InputError(f"{arg}: the pattern matches no files")
            for m in map(Path, matches):
                if m.is_dir():
                    out.update(dict.fromkeys(_walk(m)))
                else:
                    out[m] = None
        else:
            raise InputError(f"{arg}: no such file or folder")
    return list(out)


def mbox_units(path: Path) -> list[Unit]:
    """One unit per message, shown as `box.mbox#1`, `#2`, ... (1-based, file order)."""
    try:
        box = mailbox.mbox(path, create=False)
        keys = list(box.iterkeys())  # a table of offsets: the messages are read when linted
        return [Unit(f"{path}#{n}", MboxMessage(box, k), path) for n, k in enumerate(keys, 1)]
    except (OSError, mailbox.Error) as exc:
        raise InputError(f"{path}: cannot read mbox: {exc}") from exc


def read_stdin() -> bytes:
    """All of stdin; a closed stdin (fd 0 not open) is an input error, not a crash."""
    stream = sys.stdin
    try:
        if stream is None:  # Python sets sys.stdin to None when fd 0 is closed
            raise OSError("it is closed")
        return stream.buffer.read()
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or str(exc) or "it cannot be read"
        raise InputError(f"-: no draft on stdin: {why} (stdin closed). Pipe a draft in, or"
                         " give a file instead of -") from None


def units_for(
    paths: tuple[str, ...], stdin: bytes | None, stdin_filename: str | None
) -> list[Unit]:
    units: list[Unit] = []
    if stdin is not None:
        near = Path(stdin_filename) if stdin_filename else Path.cwd() / "-"
        units.append(Unit(stdin_filename or "-", stdin, near))
    named = tuple(a for a in paths if a != "-")
    for p in expand(named):
        if p.suffix.lower() == ".mbox":
            units.extend(mbox_units(p))
        else:
            units.append(Unit(str(p), p, p))
    if not units:
        looked = ", ".join(f"*{s}" for s in sorted(DRAFT_SUFFIXES))
        raise InputError(f"{' '.join(named)}: no drafts found (looked for {looked}, skipping"
                         " hidden folders); name a file to lint it whatever its suffix")
    return units
