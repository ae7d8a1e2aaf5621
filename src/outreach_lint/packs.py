"""Load and validate rule packs: folders of YAML data, read safely, errors located to the line.

A pack folder holds `pack.yaml` (the manifest), optional `classes.yaml` (word classes),
optional `detectors.yaml` (named, reusable pattern sets) and `rules/*.yaml` (one rule per
file, or several under `rules:`). Nothing in a pack is executed: YAML is read with the safe
loader, Python rules are looked up by name among installed entry points, and every file must
resolve inside the pack folder.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import PackError
from .rules.kinds import KIND_NAMES, RULE_ADAPTER
from .rules.schema import Detector, PackManifest, RuleBase, Strict

BUILTIN_PACK = "informational-interview"
T = TypeVar("T")


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


def _errors(
    exc: ValidationError, path: Path, node: NodeRef, prefix: tuple[int | str, ...] = ()
) -> list[PackError]:
    """Every problem pydantic found, each located to its line, with a did-you-mean for keys."""
    rule_id = _rule_id_at(node, prefix)
    found: list[tuple[tuple[int | str, ...], Any]] = []
    for err in exc.errors():
        # Unions add the tag ("existence", "str", "FlaggedExample") to the location: drop it.
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _is_tag(p)))
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "kind")  # the error is about the `kind:` key itself
        found.append((loc, err))
    locs = [loc for loc, _ in found]
    out: list[PackError] = []
    seen: set[tuple[int | str, ...]] = set()
    for loc, err in found:
        # A union reports one error per branch; keep the one from the branch that got furthest.
        if loc in seen or any(o[: len(loc)] == loc and len(o) > len(loc) for o in locs):
            continue
        seen.add(loc)
        key = ".".join(str(p) for p in loc) or None
        out.append(PackError(_explain(err, loc), path=path, line=_line_of(node, prefix + loc),
                             rule_id=rule_id, key=key))
    return out


def _explain(err: Any, loc: tuple[int | str, ...]) -> str:
    if err["type"] == "extra_forbidden":
        hint = _closest(str(loc[-1]), known_keys()) if loc else None
        did = f" (did you mean {hint!r}?)" if hint else ""
        return f"unknown key{did}; see docs/schema/rule.schema.json for the keys a rule takes"
    if err["type"] == "missing":
        return "required key is missing"
    if err["type"] == "union_tag_invalid":
        tag = str(err.get("ctx", {}).get("tag", ""))
        hint = _closest(tag, set(KIND_NAMES))
        did = f" (did you mean {hint!r}?)" if hint else ""
        return f"unknown kind {tag!r}{did}; kinds: {', '.join(sorted(KIND_NAMES))}"
    if err["type"] == "union_tag_not_found":
        return f"required key is missing: a rule needs a kind ({', '.join(sorted(KIND_NAMES))})"
    return str(err["msg"])


def _is_tag(part: str) -> bool:
    if part in KIND_NAMES:
        return True
    return part[:1].isupper() or part in _TYPE_TAGS or part.startswith(("function-", "list["))


_TYPE_TAGS = frozenset({"str", "int", "float", "bool", "dict", "list"})


@functools.cache
def known_keys() -> frozenset[str]:
    """Every key any pack schema takes (for did-you-mean on an unknown key)."""
    keys: set[str] = set()
    todo: list[type[BaseModel]] = [Strict]
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        for name, info in model.model_fields.items():
            keys.add(info.alias or name)
    return frozenset(keys)


def _closest(name: str, options: frozenset[str] | set[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.6)
    return found[0] if found else None


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
        raise PackError.combine(_errors(exc, path, node, prefix)) from None


def locate(path: Path, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the value at `loc` in a YAML file, or None if it cannot be read."""
    try:
        _, node = load_yaml(path)
    except PackError:
        return None
    return _line_of(node, loc)


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
    """Read and validate one pack folder; every problem in it is reported at once."""
    pack, errors = read_pack(pack_dir)
    if errors:
        raise PackError.combine(errors)
    return pack


def read_pack(pack_dir: Path) -> tuple[Pack, list[PackError]]:
    """The valid part of a pack and every problem found in it (a missing pack.yaml or a pack
    without rules raises at once: there is nothing to go on)."""
    pack_dir = Path(pack_dir)
    manifest_path = pack_dir / "pack.yaml"
    if not manifest_path.exists():
        raise PackError("not a rule pack: pack.yaml is missing", path=pack_dir)
    errors: list[PackError] = []

    def collect(step: Callable[[], T]) -> T | None:
        try:
            return step()
        except PackError as exc:
            errors.extend(exc.problems)
            return None

    def read_manifest() -> PackManifest:
        data, node = load_yaml(_inside(pack_dir, manifest_path))
        return cast(PackManifest, _validate(PackManifest, data, manifest_path, node))

    manifest = collect(read_manifest)
    pack = Pack(path=pack_dir, manifest=manifest or PackManifest.model_construct(
        name=pack_dir.name, version="", description="", profiles={}, categories={},
        sources={}, default_profile="default", docs_url=""))

    classes_path = pack_dir / "classes.yaml"
    if classes_path.exists():
        def read_classes() -> dict[str, list[str]]:
            data, node = load_yaml(_inside(pack_dir, classes_path))
            return cast(dict[str, list[str]], _validate(
                TypeAdapter(dict[str, list[str]]), data or {}, classes_path, node))

        pack.classes = collect(read_classes) or {}

    detectors_path = pack_dir / "detectors.yaml"
    if detectors_path.exists():
        loaded = collect(lambda: load_yaml(_inside(pack_dir, detectors_path)))
        if loaded is not None:
            data, node = loaded
            if not isinstance(data, dict):
                errors.append(PackError("expected a mapping of detector name to pattern set",
                                        path=detectors_path, line=1))
                data = {}
            for name, spec in data.items():
                det = collect(functools.partial(_validate, Detector, spec, detectors_path, node,
                                                (name,)))
                if det is not None:
                    pack.detectors[str(name)] = (det, detectors_path)

    rules_dir = pack_dir / "rules"
    for path in sorted(rules_dir.glob("*.yaml")) if rules_dir.is_dir() else []:
        loaded_rules = collect(functools.partial(_load_rules_inside, pack_dir, path))
        for rule in loaded_rules or []:
            if rule.id in pack.rules:
                first = pack.rules[rule.id][1]
                errors.append(with_line(PackError(
                    f"duplicate rule id (first defined in {first.name})",
                    path=path, rule_id=rule.id, key="id")))
                continue
            pack.rules[rule.id] = (rule, path)
    if manifest is not None:
        errors.extend(check_manifest(pack))
    if not pack.rules and not errors:
        raise PackError("the pack has no rules (expected rules/*.yaml)", path=pack_dir)
    return pack, errors


def _load_rules_inside(pack_dir: Path, path: Path) -> list[RuleBase]:
    return load_rule_file(_inside(pack_dir, path), display=path)


def check_manifest(pack: Pack) -> list[PackError]:
    """What pack.yaml says that can be checked against the pack itself."""
    m = pack.manifest
    where = pack.path / "pack.yaml"
    out: list[PackError] = []
    if m.default_profile not in m.profiles:
        out.append(PackError(
            f"default profile {m.default_profile!r} is not among the profiles"
            f" ({', '.join(sorted(m.profiles)) or 'none'})", path=where, key="default_profile"))
    return [with_line(e) for e in out]


def load_rule_file(path: Path, display: Path | None = None) -> list[RuleBase]:
    """A rule file holds one rule mapping, or several under a top-level `rules:` list."""
    shown = display or path
    data, node = load_yaml(path)
    if isinstance(data, dict) and set(data) == {"rules"} and isinstance(data["rules"], list):
        rules: list[RuleBase] = []
        errors: list[PackError] = []
        for i, item in enumerate(data["rules"]):
            try:
                rules.append(_validate(RULE_ADAPTER, item, shown, node, ("rules", i)))
            except PackError as exc:
                errors.extend(exc.problems)
        if errors:
            raise PackError.combine(errors)
        return rules
    if not isinstance(data, dict):
        raise PackError("expected a rule (a mapping with id, kind, ...)", path=shown, line=1)
    return [_validate(RULE_ADAPTER, data, shown, node)]


_cache: dict[Path, tuple[tuple[int, ...], Pack, list[PackError]]] = {}
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
    pack, errors = read_pack_cached(pack_dir)
    if errors:
        raise PackError.combine(errors)
    return pack


def read_pack_cached(pack_dir: Path) -> tuple[Pack, list[PackError]]:
    """`read_pack`, cached until a file of the pack changes."""
    key = pack_dir.resolve()
    stamp = _stamp(key)
    hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1], hit[2]
    pack, errors = read_pack(key)
    _cache[key] = (stamp, pack, errors)
    return pack, errors


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
