"""Real mail programs driving the hooks: git send-email and neomutt (batch mode).

Skipped when a program is missing, unless OUTREACH_LINT_REQUIRE_INTEGRATION=1 (CI).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import (
    BAD_BODY,
    BAD_SUBJECT,
    DIFF,
    GOOD_BODY,
    GOOD_SUBJECT,
    Stub,
    git_env,
    make_repo,
    require_program,
)

pytestmark = pytest.mark.integration


def _draft(subject: str, body: str) -> str:
    return f"From: Sam Lee <sam@example.org>\nSubject: {subject}\n\n{body}"


def _send_email(repo: Path, env: dict[str, str], name: str, *extra: str
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "send-email", "--confirm=never", "--suppress-cc=all", "--to", "x@example.org",
         *extra, name], cwd=repo, env=env, stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=300, check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo, env = make_repo(tmp_path)
    exec_path = subprocess.run(["git", "--exec-path"], env=env, capture_output=True, text=True,
                               check=True).stdout.strip()
    if not (Path(exec_path) / "git-send-email").exists():
        require_program("git-send-email")  # the git-email package is missing
    proc = subprocess.run([sys.executable, "-m", "outreach_lint", "hook", "install", "git"],
                          cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    (repo / "bad.eml").write_text(_draft(BAD_SUBJECT, BAD_BODY))
    (repo / "good.eml").write_text(_draft(GOOD_SUBJECT, GOOD_BODY))
    return repo, env


def test_git_send_email_dry_run(repo: tuple[Path, dict[str, str]]) -> None:
    path, env = repo
    bad = _send_email(path, env, "bad.eml", "--dry-run")
    assert bad.returncode != 0  # not always 1: git reports the hook's failure its own way
    assert "job-ask" in bad.stderr + bad.stdout
    good = _send_email(path, env, "good.eml", "--dry-run")
    assert good.returncode == 0, good.stderr


def test_git_send_email_to_stub_smtp_server(repo: tuple[Path, dict[str, str]],
                                            stub: Stub) -> None:
    path, env = repo
    assert _send_email(path, env, "bad.eml", f"--smtp-server={stub.path}").returncode != 0
    assert not stub.called
    good = _send_email(path, env, "good.eml", f"--smtp-server={stub.path}")
    assert good.returncode == 0, good.stderr
    sent = stub.stdin.decode()
    assert f"Subject: {GOOD_SUBJECT}" in sent
    assert "is there someone else on your team" in sent
    assert "x@example.org" in stub.argv


def test_git_send_email_patch_with_a_diff(repo: tuple[Path, dict[str, str]]) -> None:
    """A real patch: the commit message is linted, the diff after `---` is not."""
    path, env = repo
    patch = f"From: Sam Lee <sam@example.org>\nSubject: [PATCH] {GOOD_SUBJECT}\n\n{GOOD_BODY}{DIFF}"
    (path / "0001.patch").write_text(patch)
    assert _send_email(path, env, "0001.patch", "--dry-run").returncode == 0


def _neomutt_setup(tmp_path: Path, stub: Stub) -> tuple[Path, dict[str, str]]:
    """muttrc -> tee (records what neomutt gave) -> our wrapper -> the stub MTA."""
    wrapper = tmp_path / "outreach-sendmail"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"exec {shlex.quote(sys.executable)} -m outreach_lint sendmail"
        f" --mta {shlex.quote(str(stub.path))} -- \"$@\"\n"
    )
    tee = tmp_path / "tee-sendmail"
    tee.write_text(f"#!/bin/sh\ntee {tmp_path / 'given.bin'} | {wrapper} \"$@\"\n")
    for script in (wrapper, tee):
        script.chmod(0o755)
    muttrc = tmp_path / "muttrc"
    muttrc.write_text(
        f'set sendmail="{tee}"\nset from="Sam Lee <sam@example.org>"\nset use_from=yes\n'
        'set record=""\nset copy=no\nset sendmail_wait=0\nset charset="utf-8"\n'
    )
    env = git_env(tmp_path)
    env.pop("MAIL", None)
    return muttrc, env


def _neomutt(muttrc: Path, env: dict[str, str], subject: str, body: str
             ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["neomutt", "-n", "-F", str(muttrc), "-s", subject, "--", "x@example.org"],
        input=body.encode(), env=env, capture_output=True, timeout=300, check=False,
    )


def test_neomutt_sendmail_wrapper(tmp_path: Path, stub: Stub) -> None:
    require_program("neomutt")
    muttrc, env = _neomutt_setup(tmp_path, stub)
    bad = _neomutt(muttrc, env, BAD_SUBJECT, BAD_BODY)
    assert bad.returncode != 0
    assert not stub.called
    assert (tmp_path / "given.bin").exists()  # the wrapper did get the message
    good = _neomutt(muttrc, env, GOOD_SUBJECT, GOOD_BODY)
    assert good.returncode == 0, good.stderr
    given = (tmp_path / "given.bin").read_bytes()
    assert stub.stdin == given  # byte for byte what neomutt handed over
    assert stub.argv[-2:] == ["--", "x@example.org"]
    assert b"is there someone else on your team" in stub.stdin
