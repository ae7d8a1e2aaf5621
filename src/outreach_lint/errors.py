"""Errors a user can act on. Every failure outreach-lint reports is one of these."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class OutreachLintError(Exception):
    """Base class: catch this to handle every error the library raises on purpose."""


class InputError(OutreachLintError):
    """The draft could not be read (binary data, an unreadable file, an unknown source type)."""


class ConfigError(OutreachLintError):
    """A configuration file or value is invalid; the message names the file and the key."""


class PackError(OutreachLintError):
    """A rule pack or rule file is invalid; the message names the file, line, rule and key."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        rule_id: str | None = None,
        key: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.rule_id = rule_id
        self.key = key
        self.reason = message
        where = ""
        if self.path:
            where = self.path + (f":{line}" if line else "")
        parts = [p for p in (where, f"rule {rule_id!r}" if rule_id else "",
                             f"key {key!r}" if key else "") if p]
        prefix = "[" + ", ".join(parts) + "] " if parts else ""
        #: Every problem this error stands for (itself, unless it combines several).
        self.problems: tuple[PackError, ...] = (self,)
        super().__init__(prefix + message)

    @classmethod
    def combine(cls, errors: Sequence[PackError]) -> PackError:
        """One error for several problems: the message lists each on its own line."""
        flat = [p for e in errors for p in e.problems]
        if len(flat) == 1:
            return flat[0]
        first = flat[0]
        lines = "\n".join(str(p) for p in flat)
        combined = cls(f"{len(flat)} problems in rule packs:\n{lines}")
        combined.path, combined.line = first.path, first.line
        combined.rule_id, combined.key = first.rule_id, first.key
        combined.problems = tuple(flat)
        return combined


class RuleTimeoutError(OutreachLintError):
    """A rule's regular expression ran past its time limit (a catastrophic pattern)."""


class DraftNotChecked(InputError):
    """A draft in a batch was read but could not be checked: a rule ran out of time, a worker
    process died on it, or outreach-lint failed on it. `lint_many` yields it in the draft's
    place and goes on with the others."""
