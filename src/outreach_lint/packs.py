"""Load and validate rule packs: folders of YAML data, read safely, errors located to the line.

A pack folder holds `pack.yaml` (the manifest), optional `classes.yaml` (word classes),
optional `detectors.yaml` (named, reusable pattern sets) and `rules/*.yaml` (one rule per
file, or several under `rules:`). Nothing in a pack is executed: YAML is read with the safe
loader, Python rules are looked up by name among installed entry points, and every file must
resolve inside the pack folder.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import PackError
from .rules.schema import Detector, PackManifest, Rule, RuleBase

BUILTIN_PACK = "informational-interview"
_RULE_ADAPTER: TypeAdapter[RuleBase] = TypeAdapter(Rule)


def builtin_packs_dir() -> Path:
    """Packs ship inside the wheel as outreach_lint/_packs; from a checkout they are in rules/."""
    here = Path(__file__).resolve().parent
    shipped = here / "_packs"
    if shipped.is_dir():
        return shipped
    return here.parents[1] / "rules"


@dataclass
class Pack:
    """A validated pack: manifest, word classes, detectors and rules, each with its file."""

    path: Path
    manifest: PackManifest
    classes: dict[str, list[str]] = field(default_factory=dict)
    detectors: dict[str, tuple[Detector, Path]] = field(default_factory=dict)
    rules: dict[str, tuple[RuleBase, Path]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.manifest.name


# ------------------------------------------------------------------------ YAML with lines


# libyaml's parser when available: parsing the pack is most of a cold start otherwise.
_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeBase):  # type: ignore[misc]
    """The safe loader, refusing duplicate keys (a silently dropped key is a dropped rule)."""


class LazyNode:
    """The YAML node tree of a file, composed only when an error needs line numbers."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._node: yaml.Node | None = None
        self._done = False

    def get(self) -> yaml.Node | None:
        if not self._done:
            self._node = yaml.compose(self._text, Loader=_SafeBase)
            self._done = True
        return self._node


NodeRef = LazyNode | yaml.Node | None


def _resolve(node: NodeRef) -> yaml.Node | None:
    return node.get() if isinstance(node, LazyNode) else node


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=True)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


#: A pack file larger than this is refused (the built-in pack's largest is ~40 KB).
MAX_FILE_BYTES = 8 * 1024 * 1024


def _read_regular(path: Path) -> str:
    """The text of a regular file; a FIFO, device or socket is refused, never opened to block.

    Opening a FIFO for reading waits for a writer, forever: so open without blocking, then
    check what was opened (no window between a check and the open).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise PackError(f"cannot read file: {exc}", path=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PackError("not a regular file (a FIFO, device or socket?); a pack holds only"
                            " plain YAML files", path=path)
        if info.st_size > MAX_FILE_BYTES:
            raise PackError(f"file is {info.st_size:,} bytes, over the {MAX_FILE_BYTES:,}-byte"
                            " limit for a pack file", path=path)
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise PackError(f"file is over the {MAX_FILE_BYTES:,}-byte limit for a pack file",
                            path=path)
    except OSError as exc:
        raise PackError(f"cannot read file: {exc}", path=path) from None
    finally:
        if fd >= 0:
            os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"cannot read file: {exc}", path=path) from None


def load_yaml(path: Path) -> tuple[Any, LazyNode]:
    """Parse a YAML file safely; returns the data and its (lazy) node tree for line numbers."""
    text = _read_regular(path)
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PackError(f"invalid YAML: {problem}", path=path, line=line) from None
    return data, LazyNode(text)


def _line_of(ref: NodeRef, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the value at `loc` (a pydantic error location) in the node tree."""
    node = _resolve(ref)
    if node is None:
        return None
    best = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == part:
                    nxt = v
                    best = k.start_mark.line + 1
                    break
            if nxt is None:
                return best
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return best
            node = node.value[part]
            best = node.start_mark.line + 1
        else:
            return best
    return best


def _first_error(
    exc: ValidationError, path: Path, node: NodeRef, prefix: tuple[int | str, ...] = ()
) -> PackError:
    err = exc.errors()[0]
    # Discriminated unions add the tag ("existence") to the location: drop it from the key path.
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _KIND_TAGS))
    full = prefix + loc
    key = ".".join(str(p) for p in loc) or None
    rule_id = _rule_id_at(node, prefix)
    expected = err["msg"]
    if err["type"] == "extra_forbidden":
        expected = "unknown key (check its spelling; see docs/schema/rule.schema.json)"
    elif err["type"] == "missing":
        expected = "required key is missing"
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return PackError(expected + suffix, path=path, line=_line_of(node, full), rule_id=rule_id,
                     key=key)


_KIND_TAGS = frozenset({"existence", "substitution", "required", "conditional", "metric", "python"})


def _rule_id_at(node: NodeRef, prefix: tuple[int | str, ...]) -> str | None:
    cur = _resolve(node)
    for part in prefix:
        if isinstance(cur, yaml.MappingNode):
            cur = next((v for k, v in cur.value if k.value == part), None)
        elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and part < len(cur.value):
            cur = cur.value[part]
        else:
            return None
    if isinstance(cur, yaml.MappingNode):
        for k, v in cur.value:
            if k.value == "id" and isinstance(v, yaml.ScalarNode):
                return str(v.value)
    return None


def _validate(model: type[BaseModel] | TypeAdapter[Any], data: Any, path: Path,
              node: NodeRef, prefix: tuple[int | str, ...] = ()) -> Any:
    try:
        if isinstance(model, TypeAdapter):
            return model.validate_python(data)
        return model.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, path, node, prefix) from None


def with_line(err: PackError) -> PackError:
    """Add the line number to an error raised after validation (while compiling patterns).

    The key is a dotted path inside the rule (`match.tokens`) or, for detectors.yaml, inside
    the detector named by `rule_id`.
    """
    if err.line is not None or not err.path or not err.key:
        return err
    path = Path(err.path)
    try:
        data, node = load_yaml(path)
    except PackError:
        return err
    parts: list[int | str] = [int(p) if p.isdigit() else p for p in err.key.split(".")]
    prefix: tuple[int | str, ...] = ()
    if isinstance(data, dict) and isinstance(data.get("rules"), list):
        ids = [r.get("id") if isinstance(r, dict) else None for r in data["rules"]]
        if err.rule_id in ids:
            prefix = ("rules", ids.index(err.rule_id))
    elif isinstance(data, dict) and err.rule_id and err.rule_id in data:
        prefix = (err.rule_id,)
        if parts and parts[0] == err.rule_id:
            parts = parts[1:]
    line = _line_of(node, (*prefix, *parts))
    return PackError(err.reason, path=err.path, line=line, rule_id=err.rule_id, key=err.key)


# ------------------------------------------------------------------------ pack loading


def _inside(pack_dir: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(pack_dir.resolve()):
        raise PackError("file resolves outside its pack folder (symlink?); refusing to read it",
                        path=path)
    return resolved


def load_pack(pack_dir: Path) -> Pack:
    """Read and validate one pack folder."""
    pack_dir = Path(pack_dir)
    manifest_path = pack_dir / "pack.yaml"
    if not manifest_path.exists():
        raise PackError("not a rule pack: pack.yaml is missing", path=pack_dir)
    data, node = load_yaml(_inside(pack_dir, manifest_path))
    manifest = _validate(PackManifest, data, manifest_path, node)
    pack = Pack(path=pack_dir, manifest=manifest)

    classes_path = pack_dir / "classes.yaml"
    if classes_path.exists():
        data, node = load_yaml(_inside(pack_dir, classes_path))
        pack.classes = _validate(TypeAdapter(dict[str, list[str]]), data or {}, classes_path, node)

    detectors_path = pack_dir / "detectors.yaml"
    if detectors_path.exists():
        data, node = load_yaml(_inside(pack_dir, detectors_path))
        if not isinstance(data, dict):
            raise PackError("expected a mapping of detector name to pattern set",
                            path=detectors_path, line=1)
        for name, spec in data.items():
            det = _validate(Detector, spec, detectors_path, node, (name,))
            pack.detectors[str(name)] = (det, detectors_path)

    rules_dir = pack_dir / "rules"
    for path in sorted(rules_dir.glob("*.yaml")) if rules_dir.is_dir() else []:
        for rule in load_rule_file(_inside(pack_dir, path), display=path):
            if rule.id in pack.rules:
                first = pack.rules[rule.id][1]
                raise PackError(f"duplicate rule id (first defined in {first.name})",
                                path=path, rule_id=rule.id, key="id")
            pack.rules[rule.id] = (rule, path)
    if not pack.rules:
        raise PackError("the pack has no rules (expected rules/*.yaml)", path=pack_dir)
    return pack


def load_rule_file(path: Path, display: Path | None = None) -> list[RuleBase]:
    """A rule file holds one rule mapping, or several under a top-level `rules:` list."""
    shown = display or path
    data, node = load_yaml(path)
    if isinstance(data, dict) and set(data) == {"rules"} and isinstance(data["rules"], list):
        return [
            _validate(_RULE_ADAPTER, item, shown, node, ("rules", i))
            for i, item in enumerate(data["rules"])
        ]
    if not isinstance(data, dict):
        raise PackError("expected a rule (a mapping with id, kind, ...)", path=shown, line=1)
    return [_validate(_RULE_ADAPTER, data, shown, node)]


_cache: dict[Path, tuple[tuple[int, ...], Pack]] = {}
_files: dict[Path, tuple[tuple[int, ...], list[Path]]] = {}


def _stamp(key: Path) -> tuple[int, ...]:
    """Modification times of the pack's folders and YAML files.

    The file list is re-globbed only when a folder changed (a file added or removed); an edit
    in place changes a file's own time. Cheaper than a glob per lint, which editors do often.
    """
    dirs = [key, key / "rules"]
    dir_times = tuple(d.stat().st_mtime_ns if d.exists() else 0 for d in dirs)
    known = _files.get(key)
    if known is None or known[0] != dir_times:
        known = (dir_times, sorted(key.rglob("*.yaml")))
        _files[key] = known
    times = []
    for p in known[1]:
        try:
            times.append(p.stat().st_mtime_ns)
        except OSError:
            times.append(-1)
    return dir_times + tuple(times)


def load_pack_cached(pack_dir: Path) -> Pack:
    """Packs are reloaded only when a file in them changed (editors keep a server running)."""
    key = pack_dir.resolve()
    stamp = _stamp(key)
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    pack = load_pack(key)
    _cache[key] = (stamp, pack)
    return pack


def find_pack(name_or_path: str, base: Path | None = None) -> Path:
    """A built-in pack by name, or a pack folder path (relative to `base`)."""
    builtin = builtin_packs_dir() / name_or_path
    if "/" not in name_or_path and "\\" not in name_or_path and (builtin / "pack.yaml").is_file():
        return builtin
    candidate = Path(name_or_path).expanduser()
    if not candidate.is_absolute() and base is not None:
        candidate = base / candidate
    if (candidate / "pack.yaml").exists():  # a FIFO or device there is refused when read
        return candidate
    known = sorted(p.name for p in builtin_packs_dir().iterdir() if (p / "pack.yaml").is_file())
    raise PackError(f"no rule pack named {name_or_path!r} (built-in packs: {', '.join(known)};"
                    " or give a folder containing pack.yaml)")
