"""Drafts and helpers shared by the command-line and hook tests (fixtures: conftest.py).

A uniquely named module rather than `conftest`, so imports cannot pick up another test
folder's conftest.

The rule pack is still changing, so the drafts are extreme on purpose: GOOD follows every
piece of advice the pack encodes, BAD is a blunt job ask with an attached resume.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from outreach_lint.cli import cli

GOOD_SUBJECT = "Question about your path into product design"
GOOD_BODY = """\
Hi Dana,

I'm Sam, a junior designer at a small agency, and I enjoyed your talk on accessible forms at \
the Design Week meetup.

I'm trying to learn how people move from agency work into in-house product design, and I'd \
value your perspective on how you made that move. I'm not expecting a job or a referral; I'm \
just gathering information.

Would you have 20 minutes for a coffee near your office sometime in the next few weeks? I'm \
happy to work around your schedule.

If you're too busy, is there someone else on your team who might be able to speak with me?

Thanks so much for considering it,
Sam
"""
GOOD = f"Subject: {GOOD_SUBJECT}\n\n{GOOD_BODY}"

BAD_SUBJECT = "Job"
BAD_BODY = """\
Hi,

Do you have any openings? I've attached my resume.

Sam
"""
BAD = f"Subject: {BAD_SUBJECT}\n\n{BAD_BODY}"


def message(subject: str, body: str, *, charset: str = "utf-8", extra: str = "") -> bytes:
    """A plain-text RFC 5322 message as a mail client hands it to sendmail."""
    head = (
        "From: Sam Lee <sam@example.org>\nTo: Dana Roe <dana@example.org>\n"
        f"Subject: {subject}\nMessage-ID: <draft-1@example.org>\nMIME-Version: 1.0\n"
        f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit\n{extra}\n"
    )
    # Headers as Latin-1 so a test can put raw 8-bit bytes in one.
    return head.encode("latin-1") + body.encode(charset)


def invoke(args: Sequence[str], input: bytes | str | None = None,
           env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process; stdout and stderr are kept apart (`result.stderr`)."""
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def run_module(args: Sequence[str], *, input: bytes | None = None, cwd: Path | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m outreach_lint` for real, as a user or a hook would."""
    return subprocess.run([sys.executable, "-m", "outreach_lint", *args], input=input,
                          cwd=cwd, env=env, capture_output=True, timeout=300, check=False)


STUB = """\
#!/bin/sh
# Records its argv (NUL-separated) and the exact stdin bytes, then exits with $STUB_EXIT.
d=$(dirname "$0")
printf '%s\\0' "$@" > "$d/mta.argv"
cat > "$d/mta.stdin"
exit "${STUB_EXIT:-0}"
"""


class Stub:
    """A recording stand-in for /usr/sbin/sendmail, written into a test's tmp folder."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "fake-sendmail"
        self.path.write_text(STUB)
        self.path.chmod(0o755)

    @property
    def called(self) -> bool:
        return (self.path.parent / "mta.stdin").exists()

    @property
    def argv(self) -> list[str]:
        raw = (self.path.parent / "mta.argv").read_bytes()
        return raw.decode().split("\0")[:-1]

    @property
    def stdin(self) -> bytes:
        return (self.path.parent / "mta.stdin").read_bytes()


def require_program(name: str) -> str:
    """Path of a real program, or skip (fail when CI says the program must be there)."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("OUTREACH_LINT_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"{name} is not installed but OUTREACH_LINT_REQUIRE_INTEGRATION=1")
    pytest.skip(f"{name} is not installed (apt-get install git-email libmailtools-perl neomutt)")


DIFF = (
    "---\n drafts/x.txt | 1 +\n 1 file changed, 1 insertion(+)\n\n"
    "diff --git a/drafts/x.txt b/drafts/x.txt\n--- /dev/null\n+++ b/drafts/x.txt\n@@ -0,0 +1 @@\n"
    "+Do you have any openings? I've attached my resume.\n-- \n2.39.5\n"
)


def git_env(home: Path) -> dict[str, str]:
    """An environment where git reads no system or user config but the test's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", XDG_CONFIG_HOME=str(home / ".config"))
    return env


def make_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    require_program("git")
    repo = tmp_path / "repo"
    env = git_env(tmp_path)
    subprocess.run(["git", "init", "-q", str(repo)], env=env, check=True)
    for key, value in (("user.name", "Sam Lee"), ("user.email", "sam@example.org")):
        subprocess.run(["git", "config", key, value], cwd=repo, env=env, check=True)
    return repo, env
