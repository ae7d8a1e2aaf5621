"""The sendmail wrapper: blocks bad drafts, passes good ones byte for byte, fails closed.

Internal failures are simulated by monkeypatching the wrapper's `lint` (in-process, no test
switch in the product code); a broken config is a usage error (exit 2), not an internal one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import (
    BAD_BODY,
    BAD_SUBJECT,
    GOOD_BODY,
    GOOD_SUBJECT,
    Stub,
    invoke,
    message,
    run_module,
)
from click.testing import Result

import outreach_lint.cli_hooks

ARGS = ["-oi", "-f", "sam@example.org", "--", "dana@example.org", "-not-an-option@x"]


def _send(stub: Stub, data: bytes, *extra: str, env: dict[str, str] | None = None) -> Result:
    return invoke(["sendmail", "--mta", str(stub.path), *extra, "--", *ARGS], input=data, env=env)


def test_bad_draft_is_blocked_and_mta_not_called(stub: Stub) -> None:
    result = _send(stub, message(BAD_SUBJECT, BAD_BODY))
    assert result.exit_code == 1
    assert not stub.called
    assert "job-ask" in result.stderr and "NOT sent" in result.stderr
    assert result.stdout == ""  # stdout stays clean for the mail client


def test_good_draft_passes_identical_bytes_and_argv(stub: Stub) -> None:
    data = message(GOOD_SUBJECT, GOOD_BODY)
    result = _send(stub, data)
    assert result.exit_code == 0, result.stderr
    assert stub.stdin == data
    assert stub.argv == ARGS


def test_non_utf8_bytes_pass_through_identically(stub: Stub) -> None:
    body = GOOD_BODY.replace("Hi Dana", "Hi Dána").replace("Sam\n", "Sam Løvland\n")
    data = message(GOOD_SUBJECT, body, charset="iso-8859-1",
                   extra="X-Odd: \xff\xfe raw\n")
    data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # CRLF too
    assert b"D\xe1na" in data and b"\xff\xfe" in data  # invalid as UTF-8
    result = _send(stub, data)
    assert result.exit_code == 0, result.stderr
    assert stub.stdin == data


def test_mta_exit_code_is_propagated(stub: Stub) -> None:
    result = _send(stub, message(GOOD_SUBJECT, GOOD_BODY), env={"STUB_EXIT": "75"})
    assert result.exit_code == 75
    assert stub.called


def test_mta_missing_is_ex_unavailable(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-sendmail"
    result = invoke(["sendmail", "--mta", str(missing), "--", "x@example.org"],
                    input=message(GOOD_SUBJECT, GOOD_BODY))
    assert result.exit_code == 69
    assert "MTA not found" in result.stderr


def test_mta_from_environment(stub: Stub) -> None:
    data = message(GOOD_SUBJECT, GOOD_BODY)
    result = invoke(["sendmail", "--", "x@example.org"], input=data,
                    env={"OUTREACH_LINT_MTA": str(stub.path)})
    assert result.exit_code == 0
    assert stub.stdin == data


def test_mta_killed_by_signal_is_non_zero(tmp_path: Path) -> None:
    mta = tmp_path / "dies"
    mta.write_text("#!/bin/sh\ncat >/dev/null\nkill -9 $$\n")
    mta.chmod(0o755)
    result = invoke(["sendmail", "--mta", str(mta), "--", "x"],
                    input=message(GOOD_SUBJECT, GOOD_BODY))
    assert result.exit_code == 128 + 9
    assert "SIGKILL" in result.stderr


def _explode(*_a: object, **_k: object) -> None:
    raise RuntimeError("simulated linter crash")


def test_internal_error_fails_closed(stub: Stub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outreach_lint.cli_hooks, "lint", _explode)
    result = _send(stub, message(GOOD_SUBJECT, GOOD_BODY))
    assert result.exit_code == 75
    assert not stub.called
    assert "NOT sent" in result.stderr and "simulated linter crash" in result.stderr


def test_internal_error_with_fail_open_sends(stub: Stub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outreach_lint.cli_hooks, "lint", _explode)
    data = message(BAD_SUBJECT, BAD_BODY)
    result = _send(stub, data, "--fail-open")
    assert result.exit_code == 0
    assert stub.stdin == data
    assert "sending anyway" in result.stderr


def test_broken_config_blocks_with_exit_2(stub: Stub, tmp_path: Path) -> None:
    (tmp_path / ".outreach-lint.toml").write_text("nonsense = 1\n")
    result = _send(stub, message(GOOD_SUBJECT, GOOD_BODY), "--fail-open")
    assert result.exit_code == 2
    assert not stub.called


def test_config_fail_under_blocks(stub: Stub, tmp_path: Path) -> None:
    cfg = tmp_path / "strict.toml"
    cfg.write_text('ignore = ["job-ask", "missing-info-framing"]\nfail-under = 95\n')
    result = _send(stub, message(BAD_SUBJECT, BAD_BODY), "--config", str(cfg))
    assert result.exit_code == 1 and not stub.called


def test_git_send_email_patch_lints_only_the_cover_text(stub: Stub) -> None:
    diff = "\n---\n foo.py | 2 +-\n 1 file changed\n\ndiff --git a/foo.py b/foo.py\n" + \
        "+Do you have any openings? I've attached my resume.\n" * 3
    data = message(GOOD_SUBJECT, GOOD_BODY + diff, extra="X-Mailer: git-send-email 2.39.5\n")
    result = _send(stub, data)
    assert result.exit_code == 0, result.stderr
    assert stub.stdin == data  # the whole patch is sent, diff included


def test_end_to_end_subprocess(stub: Stub) -> None:
    """The real entry point, as a mail client runs it: bytes in, same bytes out."""
    data = message(GOOD_SUBJECT, GOOD_BODY)
    proc = run_module(["sendmail", "--mta", str(stub.path), "--", *ARGS], input=data)
    assert proc.returncode == 0, proc.stderr
    assert stub.stdin == data and stub.argv == ARGS
    proc = run_module(["sendmail", "--mta", str(stub.path), "--", "x"],
                      input=message(BAD_SUBJECT, BAD_BODY))
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr


def test_check_end_to_end_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text(f"Subject: {BAD_SUBJECT}\n\n{BAD_BODY}")
    assert run_module(["check", "bad.txt"], cwd=tmp_path).returncode == 1
    proc = run_module(["check", "missing.txt"], cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count(b"\n") == 1
    assert subprocess.run([sys.executable, "-m", "outreach_lint", "--help"],
                          capture_output=True, check=False).returncode == 0


# ------------------- issue 16, finding 3: --fail-open never covers a user's config mistakes

FAIL_OPEN_CONFIGS = {
    "not-utf8": b'select = ["ALL"]\n# caf\xe9\n',
    "extends-int": b"extends = [5]\n",
    "extends-string": b'extends = "base.toml"\n',
    "select-empty": b"select = []\n",
    "unknown-rule": b'select = ["job-asks"]\n',
    "bad-pack": b'packs = ["./no-such-pack"]\n',
}


@pytest.mark.parametrize("name", [*FAIL_OPEN_CONFIGS, "deep-extends-chain"])
def test_user_config_mistakes_block_even_with_fail_open(
        stub: Stub, tmp_path: Path, name: str) -> None:
    if name == "deep-extends-chain":
        for i in range(1200):
            (tmp_path / f"c{i}.toml").write_text(f'extends = ["c{i + 1}.toml"]\n')
        (tmp_path / ".outreach-lint.toml").write_text('extends = ["c0.toml"]\n')
    else:
        (tmp_path / ".outreach-lint.toml").write_bytes(FAIL_OPEN_CONFIGS[name])
    result = _send(stub, message(BAD_SUBJECT, BAD_BODY), "--fail-open")
    assert not stub.called, "a job-ask draft was sent through a broken config"
    assert result.exit_code == 2, result.stderr
    assert "could not load the configuration" in result.stderr
    assert "internal error" not in result.stderr and "sending anyway" not in result.stderr
