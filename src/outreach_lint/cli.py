"""The `outreach-lint` command line: check, fix, rules, explain, schema, init, and hooks.

Front ends use only the public API (`lint`, `fix`, `lint_many`, `Config`, the models); the
rule listing reads the compiled rule set, which is the one place rule metadata lives.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__, discover, fix, lint_many, load_config
from .cli_common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    ConfigChooser,
    Fatal,
    Group,
    blocks,
    colour,
    comma_list,
)
from .cli_hooks import hook, sendmail
from .cli_inputs import Unit, units_for
from .config import CONFIG_FILENAME, STARTER, Config
from .errors import InputError
from .models import Applicability, Report
from .output import LintedFile, OutputStream
from .output.github import GithubStream
from .output.json import JsonStream
from .output.sarif import SarifStream
from .output.text import TextStream
from .safe_write import write_atomic

#: Show a progress bar (on a terminal) from this many drafts on.
PROGRESS_FROM = 20


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="outreach-lint")
def cli() -> None:
    """Lint informational-interview request emails the way ruff lints code."""


# ------------------------------------------------------------------------------ check

_config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False),
    help="Use this config file instead of searching above each draft.",
)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--stdin-filename", help="Name for stdin: used to find the config and shown.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text", show_default=True)
@click.option("--select", callback=comma_list, help="Comma list of rules/categories to run.")
@click.option("--ignore", callback=comma_list, help="Comma list of rules/categories to skip.")
@_config_option
@click.option("--fail-under", type=click.IntRange(0, 100), help="Exit 1 below this score.")
@click.option("-q", "--quiet", is_flag=True, help="Text: findings only, no snippets or summary.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=1, show_default=True,
              help="Lint in this many worker processes.")
def check(paths: tuple[str, ...], stdin_filename: str | None, fmt: str,
          select: list[str] | None, ignore: list[str] | None, config_path: str | None,
          fail_under: int | None, quiet: bool, jobs: int) -> None:
    """Lint drafts: files, folders, globs, .eml, .mbox, or - for stdin.

    Exit 0 when nothing blocks, 1 when a draft has findings at the `fail-on` level (error by
    default) or scores under `fail-under`, 2 on a usage, config or input error.
    """
    if not paths:
        raise click.UsageError("give at least one PATH, or - to read stdin")
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    units = units_for(paths, stdin, stdin_filename)
    chooser = ConfigChooser(config_path, select=select, ignore=ignore,
                            **{"fail-under": fail_under})
    out = sys.stdout
    color = colour(out)
    stream: OutputStream
    if fmt == "json":
        stream = JsonStream()
    elif fmt == "sarif":
        stream = SarifStream(__version__)
    elif fmt == "github":
        stream = GithubStream()
    else:
        stream = TextStream(color=color, quiet=quiet)
    # Each report is written as soon as it is ready and then dropped: memory stays flat
    # however many drafts (or mbox messages) there are.
    errors: list[tuple[str, str]] = []
    blocked = False
    click.echo(stream.start(), nl=False, color=color)
    for unit, cfg, res in _progress(units, _lint_units(units, chooser, jobs),
                                    show=fmt == "text" and not quiet):
        if isinstance(res, InputError):
            errors.append((unit.display, str(res)))
            continue
        lf = LintedFile(unit.display, res, blocks(res, cfg))
        blocked |= lf.blocked
        click.echo(stream.add(lf), nl=False, color=color)
    click.echo(stream.end(errors), nl=False, color=color)
    for path, message in errors:
        click.echo(f"outreach-lint: error: {path}: {message}", err=True)
    if errors:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if blocked else EXIT_OK)


Result = tuple[Unit, Config, Report | InputError]


def _lint_units(units: Sequence[Unit], chooser: ConfigChooser, jobs: int) -> Iterator[Result]:
    """Each unit with its config and result, in input order, as soon as it is linted.

    lint_many takes one config, so each run of consecutive units sharing a config is one
    lint_many stream; mbox messages are read only as that stream reaches them.
    """
    run: list[Unit] = []
    run_cfg: Config | None = None
    for unit in units:
        cfg = chooser.for_(unit.near)
        if run and run_cfg is not None and cfg.cache_key() != run_cfg.cache_key():
            yield from _lint_run(run, run_cfg, jobs)
            run = []
        run.append(unit)
        run_cfg = cfg
    if run and run_cfg is not None:
        yield from _lint_run(run, run_cfg, jobs)


def _lint_run(run: list[Unit], cfg: Config, jobs: int) -> Iterator[Result]:
    stream = lint_many((u.load() for u in run), config=cfg, n_process=jobs)
    for unit, res in zip(run, stream, strict=True):
        yield unit, cfg, res


def _progress(units: Sequence[Unit], results: Iterator[Result], *, show: bool,
              ) -> Iterator[Result]:
    err = sys.stderr
    if not (show and len(units) >= PROGRESS_FROM and err.isatty()):
        yield from results
        return
    with click.progressbar(results, length=len(units), label="Linting", file=err) as bar:
        yield from bar


# -------------------------------------------------------------------------------- fix

_MESSAGE_SUFFIXES = {".eml", ".msg", ".mbox"}


def _decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding to write it back in, so untouched bytes stay identical."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"  # what lint() reads it as, too


def _encode(text: str, encoding: str, where: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise Fatal(f"{where}: the fixed text has {exc.object[exc.start]!r}, which Latin-1 cannot"
                    " hold; save the draft as UTF-8 first") from None


def _diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True),
                                 after.splitlines(keepends=True), f"a/{name}", f"b/{name}")
    return "".join(ln if ln.endswith("\n") else ln + "\n\\ No newline at end of file\n"
                   for ln in lines)


@cli.command("fix")
@click.argument("paths", nargs=-1)
@click.option("--unsafe", is_flag=True, help="Also apply fixes that change what you say.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--stdin-filename", help="Name for stdin: used to find the config and shown.")
@_config_option
def fix_cmd(paths: tuple[str, ...], unsafe: bool, show_diff: bool, stdin_filename: str | None,
            config_path: str | None) -> None:
    """Apply fixes in place (text drafts), or print a --diff; - filters stdin to stdout.

    Exit 1 when findings at the blocking level remain after fixing, else 0.
    """
    if not paths:
        raise click.UsageError("give at least one PATH, or - to read stdin")
    chooser = ConfigChooser(config_path)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    units = units_for(paths, stdin, stdin_filename)
    if not show_diff:
        for u in units:
            if isinstance(u.source, Path) and u.source.suffix.lower() in _MESSAGE_SUFFIXES:
                raise Fatal(f"{u.display}: will not rewrite a message file in place (its MIME"
                            " encoding would be lost); use --diff, or pipe the body through"
                            " `outreach-lint fix -`")
    blocked = False
    for u in units:
        cfg = chooser.for_(u.near)
        source = u.load()
        if isinstance(source, Path) and source.suffix.lower() in _MESSAGE_SUFFIXES:
            result = fix(source, unsafe=unsafe, config=cfg)  # only reached with --diff
            encoding = "utf-8"
        else:
            data = source if isinstance(source, bytes) else _read(source)
            text, encoding = _decode(data)
            result = fix(text, unsafe=unsafe, config=cfg)
        if show_diff:
            click.echo(_diff(result.original, result.text, u.display), nl=False)
        elif isinstance(source, bytes):
            sys.stdout.buffer.write(_encode(result.text, encoding, u.display))
        elif result.changed:
            write_atomic(source, _encode(result.text, encoding, u.display))
        blocked |= any(f.severity.rank >= cfg.fail_on.rank for f in result.remaining)
        more = sum(1 for f in result.remaining
                   if any(x.applicability is Applicability.UNSAFE for x in f.fixes))
        hint = f" ({more} more with --unsafe)" if more and not unsafe else ""
        verb = "would apply" if show_diff else "applied"
        click.echo(f"{u.display}: {verb} {len(result.applied)} fixes, "
                   f"{len(result.remaining)} findings remain{hint}", err=True)
    sys.exit(EXIT_FINDINGS if blocked else EXIT_OK)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


# ------------------------------------------------------------- rules, explain, schema, init


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_config_option
def rules(fmt: str, config_path: str | None) -> None:
    """List every rule: id, severity, category, kind and whether it can be fixed."""
    rows = [
        {"id": rid, "severity": r.severity.value, "category": r.category,
         "kind": getattr(r, "kind", "?"),
         "fixable": r.fix.applicability.value if r.fix else "no", "pack": pack.manifest.name}
        for rid, (r, _path, pack) in sorted(_all_rules(config_path).items())
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    cols = ["id", "severity", "category", "kind", "fixable"]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in cols).rstrip())
    for r in rows:
        click.echo("  ".join(str(r[c]).ljust(widths[c]) for c in cols).rstrip())


def _all_rules(config_path: str | None) -> dict[str, Any]:
    from .engine import ruleset_for  # the compiled rule set is where rule metadata lives

    cfg = load_config(config_path) if config_path else Config()
    return dict(ruleset_for(cfg).all_rules)


@cli.command()
@click.argument("rule_id")
@_config_option
def explain(rule_id: str, config_path: str | None) -> None:
    """Explain a rule: what it flags, why, where the advice comes from, examples, its fix."""
    all_rules = _all_rules(config_path)
    if rule_id not in all_rules:
        close = difflib.get_close_matches(rule_id, sorted(all_rules), n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else " (see `outreach-lint rules`)"
        raise Fatal(f"unknown rule {rule_id!r}{hint}")
    rule, path, pack = all_rules[rule_id]
    out = [
        click.style(rule.id, bold=True)
        + f" ({rule.severity.value}, {rule.category}, {getattr(rule, 'kind', '?')};"
        f" pack {pack.manifest.name})",
        "", f"Message: {rule.message}", "", "Why:", _indent(rule.why), "",
        f"Source: {rule.source}",
    ]
    if rule.fix:
        out += ["", f"Fix: {rule.fix.title} [{rule.fix.applicability.value}]"]
        if rule.fix.why_safe:
            out.append(_indent(rule.fix.why_safe))
    out += ["", "Flagged:"] + [_indent(e, "  - ") for e in rule.examples.fail]
    out += ["", "Not flagged:"] + [_indent(e, "  - ") for e in rule.examples.pass_]
    for ex in rule.examples.fix:
        out += ["", "Fix example:", _indent(ex.input, "  before: "),
                _indent(ex.output, "  after:  ")]
    out += ["", f"Defined in {path}"]
    click.echo("\n".join(out), color=colour(sys.stdout))


def _indent(text: str, first: str = "  ") -> str:
    lines = text.strip().splitlines() or [""]
    return "\n".join([first + lines[0], *(" " * len(first) + ln for ln in lines[1:])])


@cli.command()
@click.argument("name", required=False)
def schema(name: str | None) -> None:
    """Print the JSON Schemas (all, or one: report, fix-result, rule, pack, config)."""
    from . import json_schemas

    schemas = json_schemas()
    if name is None:
        click.echo(json.dumps(schemas, indent=2))
        return
    key = name if name.endswith(".schema.json") else f"{name}.schema.json"
    if key not in schemas:
        known = ", ".join(k.removesuffix(".schema.json") for k in schemas)
        raise Fatal(f"unknown schema {name!r}; known: {known}")
    click.echo(json.dumps(schemas[key], indent=2))


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
def init(force: bool, folder: Path) -> None:
    """Write a starter .outreach-lint.toml (in FOLDER, default the current one)."""
    target = folder / CONFIG_FILENAME
    if target.exists() and not force:
        raise Fatal(f"{target} already exists; use --force to overwrite it")
    write_atomic(target, STARTER.encode("utf-8"))
    click.echo(f"wrote {target}", err=True)


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def lsp(ctx: click.Context) -> None:
    """Run the language server on stdio (for editors); extra options go to the server."""
    from .lsp import main as lsp_main  # imported here: pygls is only needed by editors

    lsp_main(list(ctx.args))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; see docs/web.md).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Lint worker processes.")
@_config_option
@click.option("--rate-limit", type=click.IntRange(0), default=120, show_default=True,
              help="Checks a minute per client address (0: no limit).")
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True,
              help="Proxies whose X-Forwarded-For is trusted (comma list, or *).")
def serve(host: str, port: int, open_browser: bool, workers: int, config_path: str | None,
          rate_limit: int, forwarded_allow_ips: str) -> None:
    """Serve the web page and JSON API (docs/web.md)."""
    # imported here: only `serve` needs uvicorn and Starlette
    from .web.serve import ServeOptions, serve_forever

    found = config_path or discover(Path.cwd())
    cfg = load_config(found) if found else Config()
    try:
        serve_forever(cfg, ServeOptions(host, port, open_browser, workers, rate_limit, forwarded_allow_ips))
    except OSError as exc:
        raise Fatal(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


cli.add_command(sendmail)
cli.add_command(hook)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="outreach-lint")
    except Exception as exc:
        # click has already handled its own errors and ours (Fatal); anything else is a bug.
        if os.environ.get("OUTREACH_LINT_DEBUG"):
            raise
        click.echo(f"outreach-lint: internal error: {type(exc).__name__}: {exc} (please report"
                   " it; OUTREACH_LINT_DEBUG=1 shows the traceback)", err=True)
        sys.exit(EXIT_USAGE)
