"""Python rules, found by name: built-ins and third-party packs use one entry-point group.

A pack's rule file says `kind: python` and `function: "outreach.resume_attached.v1"`; the name
is looked up here. Code runs only from installed packages (entry points), never from a pack
folder, so a rule file stays data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

ENTRY_POINT_GROUP = "outreach_lint.rules"

_registry: dict[str, Callable[..., Any]] = {}
_loaded = False
_lock = threading.Lock()


def register(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: make a check function available to rule files under a versioned `name`."""

    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        _registry[name] = func
        return func

    return deco


def lookup(name: str) -> Callable[..., Any] | None:
    """The function registered as `name`, loading entry points on first use."""
    global _loaded
    if name not in _registry and not _loaded:
        with _lock:
            if not _loaded:
                from . import builtin  # noqa: F401  (registers the built-ins when run from source)

                for ep in entry_points(group=ENTRY_POINT_GROUP):
                    if ep.name not in _registry:
                        _registry[ep.name] = ep.load()
                _loaded = True
    return _registry.get(name)
