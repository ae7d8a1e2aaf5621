"""`outreach-lint sendmail` (a sendmail-compatible wrapper) and `outreach-lint hook ...`.

The wrapper's promises: the MTA gets exactly the bytes and argv the mail client gave us, or
is not run at all; a draft that fails the policy is never sent (exit 1, the client keeps
it); if the linter itself fails, nothing is sent unless --fail-open was asked for.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from . import lint
from .catalog import rules as rules_of
from .cli_common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    ConfigChooser,
    Fatal,
    Group,
    blocks,
    colour,
    startup_gc,
)
from .errors import ConfigError, OutreachLintError, PackError
from .hooks import (
    EX_TEMPFAIL,
    as_message,
    install_git_hook,
    is_git_send_email,
    mta_path,
    patch_cover_text,
    run_mta,
    uninstall_git_hook,
)
from .models import Report
from .output import LintedFile
from .output.text import format_text


def _report_to_stderr(name: str, report: Report, why: str) -> None:
    err = sys.stderr
    text = format_text([LintedFile(name, report, True)], color=colour(err))
    click.echo(text, nl=False, err=True, color=colour(err))
    click.echo(f"outreach-lint: {why}", err=True)


def _config_problem(exc: Exception) -> NoReturn:
    reason = str(exc) if isinstance(exc, OutreachLintError) else f"{type(exc).__name__}: {exc}"
    click.echo(f"outreach-lint: error: could not load the configuration: {reason}", err=True)
    click.echo("outreach-lint: the message was NOT sent (not even with --fail-open: fix the"
               " configuration); the draft is kept.", err=True)
    sys.exit(EXIT_USAGE)


@click.command(context_settings={"ignore_unknown_options": True,
                                 "allow_interspersed_args": False})
@click.option("--mta", help="The real MTA (default: $OUTREACH_LINT_MTA or /usr/sbin/sendmail).")
@click.option("--fail-open", is_flag=True,
              help="If the linter itself fails, send anyway (default: keep the draft).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: the one found above the current folder).")
@click.argument("mta_args", nargs=-1, type=click.UNPROCESSED)
def sendmail(mta: str | None, fail_open: bool, config_path: str | None,
             mta_args: tuple[str, ...]) -> None:
    """Check a message on stdin, then hand it to the real MTA: `sendmail -- ARGS...`.

    Put `--` before the MTA's arguments. Exit 1 (not sent) when the draft fails the policy,
    75 when the check itself failed, 69 when the MTA cannot be run, else the MTA's code.
    """
    try:
        # A client that closed stdin (fd 0 not open) leaves sys.stdin as None.
        data = sys.stdin.buffer.read() if sys.stdin is not None else b""
    except OSError as exc:
        data, why = b"", f" ({exc.strerror or exc})"
    else:
        why = ""
    if not data.strip():
        # Nothing (or only blank lines) came in: there is no message to check or to send.
        # Not a linter failure, so --fail-open does not cover it either.
        click.echo(f"outreach-lint: error: no message on stdin: it was empty or closed{why}."
                   " Nothing was sent.", err=True)
        sys.exit(EXIT_USAGE)
    try:
        cfg = ConfigChooser(config_path).for_(Path.cwd() / "-")
        rules_of(cfg)  # packs and rule names load here: their mistakes are config mistakes
    except Exception as exc:
        # A config or pack the user can fix is not "the linter failed": --fail-open does not
        # cover it, or a typo would silently switch the check off until someone noticed.
        _config_problem(exc)
    try:
        # git send-email through this wrapper: lint the commit message, not the diff.
        with startup_gc():
            report = lint(as_message(patch_cover_text(data) if is_git_send_email(data) else data),
                          config=cfg)
    except (ConfigError, PackError) as exc:
        _config_problem(exc)
    except Exception as exc:  # fail closed on any failure of the linter itself
        reason = f"{type(exc).__name__}: {exc}"
        if not fail_open:
            click.echo(f"outreach-lint: could not check the message ({reason}); it was NOT"
                       " sent and the draft is kept. Use --fail-open to send anyway.", err=True)
            sys.exit(EX_TEMPFAIL)
        click.echo(f"outreach-lint: warning: could not check the message ({reason});"
                   " sending anyway (--fail-open).", err=True)
    else:
        if blocks(report, cfg):
            _report_to_stderr("message", report, "the message was NOT sent; the draft is kept."
                              " Fix it (outreach-lint fix) and send again.")
            sys.exit(EXIT_FINDINGS)
    code, problem = run_mta(mta_path(mta), mta_args, data)
    if problem:
        click.echo(f"outreach-lint: {problem}", err=True)
    sys.exit(code)


@click.group(cls=Group)
def hook() -> None:
    """Install, remove or run pre-send hooks (git send-email's sendemail-validate)."""


_target = click.argument("target", type=click.Choice(["git"]))


@hook.command()
@_target
@click.option("--force", is_flag=True, help="Replace a sendemail-validate hook not written by us.")
def install(target: str, force: bool) -> None:
    """Install the hook for TARGET (git: sendemail-validate in this repository)."""
    path = install_git_hook(force)
    click.echo(f"installed {path}", err=True)


@hook.command()
@_target
def uninstall(target: str) -> None:
    """Remove the hook for TARGET, only if outreach-lint wrote it."""
    path = uninstall_git_hook()
    click.echo(f"removed {path}", err=True)


@hook.command()
@_target
@click.argument("message", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("smtp_headers", required=False)
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
def run(target: str, message: Path, smtp_headers: str | None, config_path: str | None) -> None:
    """Check one message as sendemail-validate does (git 2.41+ also passes SMTP_HEADERS)."""
    try:
        data = message.read_bytes()
    except OSError as exc:
        raise Fatal(f"{message}: cannot read: {exc.strerror or exc}") from None
    chooser = ConfigChooser(config_path)
    cfg = chooser.for_(message)
    with startup_gc():
        report = lint(as_message(patch_cover_text(data)), config=cfg)
    if blocks(report, cfg):
        _report_to_stderr(str(message), report, "blocked: nothing was sent. Fix the draft, or"
                          " skip the check with `git send-email --no-validate`.")
        sys.exit(EXIT_FINDINGS)
