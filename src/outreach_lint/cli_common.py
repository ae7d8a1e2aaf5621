"""What the CLI commands share: the error type, config resolution, the blocking policy."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import click
from pydantic import ValidationError

from . import Config, Report, discover, load_config
from .config import describe
from .errors import ConfigError, OutreachLintError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class Fatal(click.ClickException):
    """A problem the user can act on: one line on stderr, exit 2, never a traceback."""

    exit_code = EXIT_USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        # Several problems (a pack with many errors) are one per line, each with its file:line.
        first, *rest = self.format_message().splitlines() or [""]
        click.echo(f"outreach-lint: error: {first}", err=True)
        for line in rest:
            click.echo(f"  {line}", err=True)


class Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OutreachLintError as exc:
            raise Fatal(str(exc)) from None


def colour(stream: IO[Any]) -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return not os.environ.get("NO_COLOR") and stream.isatty()


def comma_list(_ctx: click.Context, _param: click.Parameter, value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


class ConfigChooser:
    """Resolve each draft's config once per config file, with command-line overrides on top."""

    def __init__(self, path: str | None = None, **overrides: Any) -> None:
        self.path = path
        self.overrides = {k: v for k, v in overrides.items() if v is not None}
        self._cache: dict[str, Config] = {}

    def here(self) -> Config:
        """The config for the current folder (what `rules` and `explain` describe)."""
        return self.for_(Path.cwd() / "-")

    def for_(self, near: Path) -> Config:
        found = self.path or discover(near)
        key = str(found)
        if key not in self._cache:
            base = load_config(found) if found else Config()
            try:
                self._cache[key] = base.merged(self.overrides) if self.overrides else base
            except ValidationError as exc:
                raise ConfigError(describe(exc, "command line")) from None
        return self._cache[key]


def blocks(report: Report, cfg: Config) -> bool:
    """The hook policy: a finding at or above `fail-on`, or a score under `fail-under`."""
    if any(f.severity.rank >= cfg.fail_on.rank for f in report.findings):
        return True
    return cfg.fail_under is not None and report.score.total < cfg.fail_under




@contextlib.contextmanager
def startup_gc() -> Iterator[Callable[[], None]]:
    """Pause the cyclic garbage collector while a command loads spaCy and the rules.

    Loading allocates a few hundred thousand objects that live as long as the process, and
    each full collection during the load walks all of them again: 60-90 ms of a one-draft
    `check`. Collection resumes when the command calls the `resume` it is given (after its
    first draft, so a long batch collects as usual) or leaves the block; what was loaded is
    frozen first (`gc.freeze`), so later collections do not walk it either.
    """
    paused = gc.isenabled()
    gc.disable()

    def resume() -> None:
        nonlocal paused
        if paused:
            paused = False
            gc.freeze()
            gc.enable()

    try:
        yield resume
    finally:
        resume()
