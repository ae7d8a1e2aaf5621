"""`hook install/uninstall/run git`: the sendemail-validate hook, without git send-email."""

from __future__ import annotations

import stat
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
    git_env,
    invoke,
    make_repo,
    require_program,
)

from outreach_lint.hooks import HOOK_MARKER, patch_cover_text


def _patch(subject: str, body: str) -> bytes:
    """A `git format-patch` file: mbox From line, headers, commit message, `---`, the diff."""
    head = f"From 1234 Mon Sep 17 00:00:00 2001\nFrom: Sam Lee <sam@example.org>\n" \
        f"Subject: [PATCH] {subject}\n\n"
    return (head + body + DIFF).encode()


def _hook_cmd(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "outreach_lint", "hook", *args], cwd=repo,
                          env=env, capture_output=True, text=True, check=False)


def test_patch_cover_text_cuts_at_first_triple_dash() -> None:
    data = _patch(GOOD_SUBJECT, GOOD_BODY)
    cover = patch_cover_text(data)
    assert cover.endswith(GOOD_BODY.encode()) and b"openings" not in cover
    plain = b"Subject: x\n\nno diff here\n--- not alone on its line\n"
    assert patch_cover_text(plain) == plain


def test_hook_run_lints_only_the_cover_text(tmp_path: Path) -> None:
    good = tmp_path / "0001-good.patch"
    good.write_bytes(_patch(GOOD_SUBJECT, GOOD_BODY))
    assert invoke(["hook", "run", "git", "--", str(good)]).exit_code == 0
    bad = tmp_path / "0001-bad.patch"
    bad.write_bytes(_patch(BAD_SUBJECT, BAD_BODY))
    result = invoke(["hook", "run", "git", "--", str(bad), str(tmp_path / "smtp-headers")])
    assert result.exit_code == 1  # git 2.41+'s second argument is accepted
    assert "job-ask" in result.stderr and "--no-validate" in result.stderr


@pytest.mark.integration
def test_install_and_uninstall(tmp_path: Path) -> None:
    repo, env = make_repo(tmp_path)
    proc = _hook_cmd(repo, env, "install", "git")
    assert proc.returncode == 0, proc.stderr
    hook = repo / ".git" / "hooks" / "sendemail-validate"
    text = hook.read_text()
    assert HOOK_MARKER in text and sys.executable in text and '"$@"' in text
    assert hook.stat().st_mode & stat.S_IXUSR
    assert _hook_cmd(repo, env, "install", "git").returncode == 0  # ours: replaced quietly
    assert _hook_cmd(repo, env, "uninstall", "git").returncode == 0
    assert not hook.exists()


@pytest.mark.integration
def test_foreign_hook_is_protected(tmp_path: Path) -> None:
    repo, env = make_repo(tmp_path)
    hook = repo / ".git" / "hooks" / "sendemail-validate"
    hook.write_text("#!/bin/sh\nexit 0\n")
    proc = _hook_cmd(repo, env, "install", "git")
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert proc.stderr.count("\n") == 1
    proc = _hook_cmd(repo, env, "uninstall", "git")
    assert proc.returncode == 2 and hook.read_text() == "#!/bin/sh\nexit 0\n"
    assert _hook_cmd(repo, env, "install", "git", "--force").returncode == 0
    assert HOOK_MARKER in hook.read_text()


@pytest.mark.integration
def test_core_hooks_path_is_respected(tmp_path: Path) -> None:
    repo, env = make_repo(tmp_path)
    subprocess.run(["git", "config", "core.hooksPath", ".githooks"], cwd=repo, env=env,
                   check=True)
    assert _hook_cmd(repo, env, "install", "git").returncode == 0
    assert (repo / ".githooks" / "sendemail-validate").is_file()
    assert not (repo / ".git" / "hooks" / "sendemail-validate").exists()


@pytest.mark.integration
def test_install_outside_a_repository_is_exit_2(tmp_path: Path) -> None:
    require_program("git")
    proc = _hook_cmd(tmp_path, {**git_env(tmp_path), "GIT_CEILING_DIRECTORIES": str(tmp_path)},
                     "install", "git")
    assert proc.returncode == 2 and "not inside a git repository" in proc.stderr
