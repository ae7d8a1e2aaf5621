"""The `outreach-lint` command line: check, fix, rules, explain, schema, init, and hooks.

Front ends use only the public API (`lint`, `fix`, `lint_many`, `rules`, `Config`, the
models): rule metadata comes from `rules(config)`, never from the engine.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import click

from . import __version__, fix, lint_many
from .catalog import RuleInfo
from .catalog import rules as rules_of
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
    startup_gc,
)
from .cli_hooks import hook, sendmail
from .cli_inputs import MboxMessage, Unit, read_stdin, units_for
from .config import CONFIG_FILENAME, STARTER, Config
from .draft import looks_like_message, parse
from .eml import file_lines, rewrite_body
from .errors import InputError
from .models import Applicability, FixResult, LineIndex, Report
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
    stdin = read_stdin() if "-" in paths else None
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
    configs: dict[str, Config] = {}
    blocked = False
    click.echo(stream.start(), nl=False, color=color)
    for unit, cfg, res in _progress(units, _lint_units(units, chooser, jobs),
                                    show=fmt == "text" and not quiet):
        configs.setdefault(cfg.cache_key(), cfg)
        if isinstance(res, InputError):
            errors.append((unit.display, str(res)))
            continue
        lf = LintedFile(unit.display, res, blocks(res, cfg), _message_lines(unit, res))
        blocked |= lf.blocked
        click.echo(stream.add(lf), nl=False, color=color)
    if isinstance(stream, SarifStream):  # rules are described from their own metadata
        stream.rule_infos = _rules_of(configs.values())
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
    with startup_gc() as resume:  # the first result loads spaCy and the rules
        if not (show and len(units) >= PROGRESS_FROM and err.isatty()):
            for result in results:
                resume()
                yield result
            return
        with click.progressbar(results, length=len(units), label="Linting", file=err) as bar:
            for result in bar:
                resume()
                yield result


def _rules_of(configs: Iterable[Config]) -> list[RuleInfo]:
    """The rules of every config the drafts were linted with (the first config wins an id)."""
    found: dict[str, RuleInfo] = {}
    for cfg in configs:
        for info in rules_of(cfg):
            found.setdefault(info.id, info)
    return list(found.values())


def _message_lines(unit: Unit, report: Report) -> tuple[int, ...] | None:
    """For a message file, its own line numbers (the report's text is the decoded body)."""
    if report.source_kind != "eml" or not isinstance(unit.source, Path):
        return None
    try:
        return file_lines(unit.source.read_bytes(), report.text)
    except OSError:
        return None


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
@click.option("--medium", type=click.Choice(["auto", "email", "linkedin-note"]), default=None,
              help="Write for an email or a LinkedIn note (300 characters); default: the"
              " config's `medium`, else told from the draft's shape.")
@click.option("--placeholders", is_flag=True,
              help="Also insert suggestions that need your facts, as [bracketed] blanks to fill.")
@click.option("--stdin-filename", help="Name for stdin: used to find the config and shown.")
@click.option("-v", "--verbose", is_flag=True,
              help="Say what was fixed and what remains on stderr even when stdout is not a"
              " terminal.")
@_config_option
def fix_cmd(paths: tuple[str, ...], unsafe: bool, show_diff: bool, medium: str | None,
            placeholders: bool, stdin_filename: str | None, verbose: bool,
            config_path: str | None) -> None:
    """Rewrite drafts in place (or print a --diff); - filters stdin to stdout.

    A message file (.eml) keeps its headers, encoding and attachments byte for byte: only its
    plain-text body is rewritten. After fixing, the draft is linted again; what remains is
    listed on stderr when stdout is a terminal or with --verbose (as a filter, `fix -` in a
    pipe or an editor, only the text is written). Exit 1 when findings at the blocking level
    remain, else 0.
    """
    if not paths:
        raise click.UsageError("give at least one PATH, or - to read stdin")
    chooser = ConfigChooser(config_path)
    stdin = read_stdin() if "-" in paths else None
    units = units_for(paths, stdin, stdin_filename)
    if not show_diff and any(isinstance(u.source, MboxMessage) for u in units):
        raise Fatal("will not rewrite an mbox in place (it holds many messages): use --diff, or"
                    " save the message as an .eml and fix that")
    # Read and check every input before changing any: binary data is refused as `check` does.
    data = {i: _read_draft(u) for i, u in enumerate(units)}
    med = None if medium in (None, "auto") else medium
    say = verbose or sys.stdout.isatty()
    blocked = False
    for i, u in enumerate(units):
        cfg = chooser.for_(u.near)
        with startup_gc():  # only the first draft loads anything
            raw = data[i]
            lines: tuple[int, ...] | None = None
            if _is_message_file(u) and looks_like_message(raw):
                result = fix(raw, unsafe=unsafe, placeholders=placeholders, medium=med, config=cfg)
                new = rewrite_body(raw, result.original, result.text)
                lines = file_lines(new, result.text)
                if show_diff:
                    sys.stdout.flush()
                    sys.stdout.buffer.write(_diff(raw.decode("latin-1"), new.decode("latin-1"),
                                                  u.display).encode("latin-1"))
                    sys.stdout.buffer.flush()
                elif new != raw and isinstance(u.source, Path):
                    write_atomic(u.source, new)
            else:
                text, encoding = _decode(raw)
                result = fix(text, unsafe=unsafe, placeholders=placeholders, medium=med, config=cfg)
                if show_diff:
                    click.echo(_diff(result.original, result.text, u.display), nl=False)
                elif isinstance(u.source, Path):
                    if result.changed:
                        write_atomic(u.source, _encode(result.text, encoding, u.display))
                else:  # stdin (or one message of an mbox): the text goes to stdout
                    sys.stdout.buffer.write(_encode(result.text, encoding, u.display))
                    sys.stdout.buffer.flush()
        blocked |= any(f.severity.rank >= cfg.fail_on.rank for f in result.remaining)
        if say:
            _fix_summary(u.display, result, unsafe=unsafe, would=show_diff, lines=lines)
    sys.exit(EXIT_FINDINGS if blocked else EXIT_OK)


def _is_message_file(unit: Unit) -> bool:
    return isinstance(unit.source, Path) and unit.source.suffix.lower() in _MESSAGE_SUFFIXES


def _read_draft(unit: Unit) -> bytes:
    """The bytes of a draft to fix; binary data is an input error (exit 2), as for `check`."""
    loaded = unit.load()
    raw = loaded if isinstance(loaded, bytes) else _read(loaded)
    if not (_is_message_file(unit) and looks_like_message(raw)):
        try:
            parse(raw)
        except InputError as exc:
            raise InputError(f"{unit.display}: {exc}") from None
    return raw


def _fix_summary(display: str, result: FixResult, *, unsafe: bool, would: bool,
                 lines: tuple[int, ...] | None = None) -> None:
    """What was done and, from a fresh lint of the result, what is left and how it scores."""
    more = sum(1 for f in result.remaining
               if any(x.applicability is Applicability.UNSAFE for x in f.fixes))
    hint = f" ({more} more with --unsafe)" if more and not unsafe else ""
    verb = "would apply" if would else "applied"
    click.echo(f"{display}: {verb} {len(result.applied)} fixes, "
               f"{len(result.remaining)} findings remain{hint}", err=True)
    index = LineIndex(result.text)
    for f in result.remaining:
        line, col = index.position(min(f.span.start, len(result.text)))
        if lines and line < len(lines):
            line = lines[line]  # the message file's own line
        click.echo(f"  {line + 1}:{col + 1} {f.severity.value} {f.rule_id} {f.message}", err=True)
    if result.left_out:
        click.echo(f"  left out to stay short: {', '.join(result.left_out)}", err=True)
    if result.not_a_request:
        click.echo(f"  this reads as {result.not_a_request}, not a request: no meeting ask,"
                   " fallback or framing was added", err=True)
    if result.score is not None:
        s = result.score
        head = f"score {s.total}/100 ({s.grade})" if s.checked else "not scored"
        click.echo(f"  {head}: {s.verdict}", err=True)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


# ------------------------------------------------------------- rules, explain, schema, init


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json: every rule's full description (`outreach-lint schema rule-info`).")
@_config_option
def rules(fmt: str, config_path: str | None) -> None:
    """List every rule the config loads: id, severity, category, kind and its fix.

    The config is --config, or the one found in the current folder or above it.
    """
    infos = rules_of(ConfigChooser(config_path).here())
    if fmt == "json":
        click.echo(json.dumps([r.model_dump(mode="json", by_alias=True) for r in infos],
                              indent=2, ensure_ascii=False))
        return
    rows = [{"id": r.id, "severity": r.severity.value if r.enabled else "off",
             "category": r.category, "kind": r.kind,
             "fixable": r.fix.applicability.value if r.fix else "no"} for r in infos]
    cols = ["id", "severity", "category", "kind", "fixable"]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in cols).rstrip())
    for r in rows:
        click.echo("  ".join(str(r[c]).ljust(widths[c]) for c in cols).rstrip())


@cli.command()
@click.argument("rule_id")
@_config_option
def explain(rule_id: str, config_path: str | None) -> None:
    """Explain a rule: what it flags, why, where the advice comes from, examples, its fix.

    Rules from the packs of --config, or of the config found in the current folder or above.
    """
    infos = {r.id: r for r in rules_of(ConfigChooser(config_path).here())}
    if rule_id not in infos:
        close = difflib.get_close_matches(rule_id, sorted(infos), n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else " (see `outreach-lint rules`)"
        raise Fatal(f"unknown rule {rule_id!r}{hint}")
    rule = infos[rule_id]
    state = rule.severity.value if rule.enabled else "off in this config"
    out = [
        click.style(rule.id, bold=True)
        + f" ({state}, {rule.category}, {rule.kind}; pack {rule.pack})",
        "", f"Message: {rule.message}", "", f"What it does: {rule.what_it_does}", "",
        "Why:", _indent(rule.why), "", "Sources:",
        *(_indent(str(src), "  - ") for src in rule.sources),
    ]
    if rule.fix:
        out += ["", f"Fix: {rule.fix.title} [{rule.fix.applicability.value}]"]
        if rule.fix.why_safe:
            out.append(_indent(rule.fix.why_safe))
    if rule.options:
        out += ["", f"Options ([rules.{rule.id}]):"]
        out += [f"  - {o.name} ({o.type}, default {o.default!r})"
                + (f": {o.description}" if o.description else "") for o in rule.options]
    out += ["", "Flagged:"] + [_indent(e, "  - ") for e in rule.examples.fail]
    out += ["", "Not flagged:"] + [_indent(e, "  - ") for e in rule.examples.pass_]
    for ex in rule.examples.fix:
        out += ["", "Fix example:", _indent(ex.input, "  before: "),
                _indent(ex.output, "  after:  ")]
    out += ["", f"Defined in {rule.path}"]
    if rule.docs_url:
        out.append(f"Docs: {rule.docs_url}")
    click.echo("\n".join(out), color=colour(sys.stdout))


@cli.command("test-pack")
@click.argument("pack_path", metavar="PATH", type=click.Path(exists=True, file_okay=False,
                                                             path_type=Path))
@click.option("--rule", "rule_id", help="Only this rule's examples.")
def test_pack(pack_path: Path, rule_id: str | None) -> None:
    """Run a pack's own examples: each `fail` draft is flagged (exactly as given), each `pass`
    draft is not, and each `fix` input gives exactly its output.

    The pack is tested on top of the built-in pack, as a config with `packs = [PATH]` uses it.
    Exit 0 when every example holds, 1 when one does not, 2 when the pack does not load.
    """
    from .packtest import run_pack

    pack, outcomes = run_pack(pack_path, rule_id)
    if rule_id is not None and rule_id not in pack.rules:
        raise Fatal(f"{pack_path}: no rule {rule_id!r} in pack {pack.name!r}")
    for o in outcomes:
        if not o.ok:
            click.echo(f"{o.case.where}: {o.case.name}: {o.problem}")
    failed = sum(1 for o in outcomes if not o.ok)
    click.echo(f"{pack.name}: {len(pack.rules)} rules, {len(outcomes)} examples")
    click.echo(f"test-pack: {len(outcomes) - failed} passed, {failed} failed")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


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

    cfg = ConfigChooser(config_path).here()
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
