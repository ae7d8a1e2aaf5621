"""What compiling a rule set's regexes found out, kept on disk for the next process.

Compiling the built-in pack's ~170 regexes, probing each for catastrophic backtracking and
deriving its anchors (rules/anchors.py) was most of a cold start. The findings are plain data,
so they are cached as JSON, never as a pickle (a pickle can run code when loaded):

- one file per rule set, named by a SHA-256 over the cache format, outreach-lint's and the
  `regex` module's versions, the probe strings, the source of rules/anchors.py, the relative
  path and bytes of every file of every pack in use, and the config's cache key: any change
  to any of these is another file;
- each file holds, per regex (source and flags), its anchor sets and that it compiled and
  passed the probe; the file also carries its own key and a checksum of its payload, and a
  file that does not parse, does not check out or has the wrong shape is ignored and rebuilt;
- written to a temporary file and renamed into place, so a reader never sees half a file.

With a cache hit a regex is compiled only when a draft first holds its anchors (an editor's
language server compiles them all at start-up instead).

Location: `$OUTREACH_LINT_CACHE_DIR`, else the user cache folder (platformdirs:
`$XDG_CACHE_HOME/outreach-lint` or `~/.cache/outreach-lint` on Linux). `OUTREACH_LINT_NO_CACHE=1`
turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1
#: Files kept per cache folder; older ones are removed when a new one is written.
KEEP_FILES = 32

Anchors = tuple[tuple[str, ...], ...]


def cache_dir() -> Path | None:
    """Where cache files go, or None when caching is off."""
    if os.environ.get("OUTREACH_LINT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    override = os.environ.get("OUTREACH_LINT_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("outreach-lint", appauthor=False))


def pack_files(pack_dir: Path) -> list[Path]:
    """The files a pack is read from (see packs.load_pack)."""
    files = [pack_dir / n for n in ("pack.yaml", "classes.yaml", "detectors.yaml")]
    rules = pack_dir / "rules"
    if rules.is_dir():
        files.extend(sorted(rules.glob("*.yaml")))
    return [f for f in files if f.is_file()]


def ruleset_key(pack_dirs: Iterable[Path], config_key: str, extra: Iterable[str] = ()) -> str:
    """The SHA-256 naming one rule set's cache file (see the module docstring)."""
    import regex

    from . import __version__
    from .rules import anchors, detect

    h = hashlib.sha256()

    def part(data: bytes) -> None:
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)

    for text in (str(FORMAT), __version__, regex.__version__, repr(detect.probe_settings()),
                 config_key, *extra):
        part(text.encode())
    part(Path(anchors.__file__).read_bytes())  # how anchors are derived is part of the answer
    for pack_dir in pack_dirs:
        part(str(pack_dir).encode())
        for f in pack_files(pack_dir):
            part(f.relative_to(pack_dir).as_posix().encode())
            part(f.read_bytes())
    return h.hexdigest()


@dataclass
class RegexFacts:
    """Per regex (`flags:source`): its anchor sets, known to compile and pass the probe."""

    key: str
    path: Path | None
    known: dict[str, Anchors] = field(default_factory=dict)
    dirty: bool = False

    @staticmethod
    def entry(source: str, flags: int) -> str:
        return f"{flags}:{source}"

    def get(self, source: str, flags: int) -> Anchors | None:
        return self.known.get(self.entry(source, flags))

    def put(self, source: str, flags: int, anchors: Anchors) -> None:
        self.known[self.entry(source, flags)] = anchors
        self.dirty = True

    # ------------------------------------------------------------------ disk

    @classmethod
    def load(cls, key: str) -> RegexFacts:
        folder = cache_dir()
        path = folder / f"rules-{key}.json" if folder is not None else None
        facts = cls(key, path)
        if path is None:
            return facts
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return facts  # missing or corrupt: rebuilt and rewritten
        known = _checked(data, key)
        if known is not None:
            facts.known = known
        return facts

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        payload = {e: [list(group) for group in a] for e, a in sorted(self.known.items())}
        data = {"format": FORMAT, "key": self.key, "sum": _sum(payload), "patterns": payload}
        tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".rules-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return  # a read-only or full disk only costs the next start its speed
        self.dirty = False
        _prune(self.path.parent)


def _sum(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _checked(data: Any, key: str) -> dict[str, Anchors] | None:
    """The cached entries when the file is this rule set's, whole and well formed."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    payload = data.get("patterns")
    if not isinstance(payload, dict) or data.get("sum") != _sum(payload):
        return None
    out: dict[str, Anchors] = {}
    for entry, groups in payload.items():
        if not (isinstance(entry, str) and isinstance(groups, list) and all(
            isinstance(g, list) and g and all(isinstance(a, str) and a for a in g)
            for g in groups
        )):
            return None
        out[entry] = tuple(tuple(g) for g in groups)
    return out


def _prune(folder: Path) -> None:
    try:
        files = sorted(folder.glob("rules-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in files[KEEP_FILES:]:
        with contextlib.suppress(OSError):
            old.unlink()
