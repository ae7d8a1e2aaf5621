"""The edges a new user hits with `check` and `fix`: closed stdin, empty folders, binary input,
`fix -` as an editor filter, a broken pyproject.toml.

Each test here failed before its fix (issue 15); the commands run as a user runs them.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import BAD, GOOD, invoke, require_program, run_module

BINARY = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8


def _closed_stdin(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # `<&-`: the program starts with file descriptor 0 closed, as some hooks and cron do.
    return subprocess.run(["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-m",
                           "outreach_lint", *args],
                          cwd=cwd, capture_output=True, timeout=300, check=False)


@pytest.mark.parametrize("command", [["check", "-"], ["fix", "-"], ["fix", "--unsafe", "-"]])
def test_closed_stdin_is_a_clear_exit_2(tmp_path: Path, command: list[str]) -> None:
    proc = _closed_stdin(command, tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "no draft on stdin" in err and "closed" in err
    assert "internal error" not in err and "Traceback" not in err
    assert proc.stdout == b""


@pytest.mark.parametrize("command", ["check", "fix"])
def test_an_empty_folder_is_no_drafts_found(tmp_path: Path, command: str) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "notes.pdf").write_bytes(b"%PDF-1.4")  # not a draft suffix
    result = invoke([command, "drafts"])
    assert result.exit_code == 2, result.stderr
    assert "no drafts found" in result.stderr and "drafts" in result.stderr
    assert ".txt" in result.stderr  # says what it looks for
    assert result.stdout == ""


def test_a_folder_with_drafts_still_works_next_to_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.txt").write_text(GOOD)
    result = invoke(["check", "empty", "full"])
    assert result.exit_code == 0, result.stderr
    assert "score" in result.stdout


@pytest.mark.parametrize("args", [["fix", "--diff", "junk.bin"], ["fix", "junk.bin"],
                                  ["fix", "--unsafe", "junk.bin"]])
def test_fix_refuses_binary_input_like_check(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "junk.bin"
    path.write_bytes(BINARY)
    checked = invoke(["check", "junk.bin"])
    result = invoke(args)
    assert checked.exit_code == 2 and result.exit_code == 2, result.stderr
    assert "binary" in result.stderr and "binary" in checked.stderr
    assert "fixes" not in result.stderr and result.stdout == ""
    assert path.read_bytes() == BINARY


def test_fix_of_binary_stdin_writes_nothing(tmp_path: Path) -> None:
    result = invoke(["fix", "-"], input=BINARY)
    assert result.exit_code == 2 and "binary" in result.stderr
    assert result.stdout_bytes == b""


def test_fix_stdin_writes_only_the_text(tmp_path: Path) -> None:
    result = invoke(["fix", "--unsafe", "-"], input=BAD.encode())
    assert result.stderr == "", "a filter must not write anything but the text"
    assert "Do you have any openings?" not in result.stdout
    assert result.stdout.startswith("Subject: Job\n")
    verbose = invoke(["fix", "--unsafe", "--verbose", "-"], input=BAD.encode())
    assert verbose.stdout == result.stdout
    assert verbose.stderr.startswith("-: applied ")


def _on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the CLI with stdout on a pseudo-terminal (stderr a pipe), as in a shell."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "outreach_lint", *args], cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = proc.wait(timeout=120)
    os.close(master)
    return code, b"".join(chunks).decode(errors="replace"), err


def test_fix_in_place_on_a_terminal_prints_the_summary(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text(BAD)
    code, _, err = _on_a_terminal(["fix", "bad.txt"], tmp_path)
    assert code == 1, err
    assert err.startswith("bad.txt: applied "), err


def test_fix_in_place_in_a_script_is_quiet_unless_verbose(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text(BAD)
    quiet = invoke(["fix", "bad.txt"])
    assert quiet.stderr == "" and quiet.exit_code == 1
    (tmp_path / "bad.txt").write_text(BAD)
    loud = invoke(["fix", "-v", "bad.txt"])
    assert loud.stderr.startswith("bad.txt: applied ")


def test_vim_filter_from_the_docs_puts_only_the_text_in_the_buffer(tmp_path: Path) -> None:
    # docs/cli.md: `:%!outreach-lint fix --unsafe -`. Vim's filter captures stderr too, so
    # anything written there would end up in the draft.
    nvim = require_program("nvim")
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "outreach-lint").exists():
        pytest.skip("the outreach-lint script is not installed next to this Python")
    draft = tmp_path / "draft.txt"
    draft.write_text(BAD)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state")}
    subprocess.run([nvim, "--headless", "--clean", "-n", "-c", "%!outreach-lint fix --unsafe -",
                    "-c", "wq", str(draft)], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                   capture_output=True, timeout=300, check=False)
    text = draft.read_text()
    assert "applied" not in text and "findings remain" not in text, text
    assert "Do you have any openings?" not in text and text.startswith("Subject: Job\n")


def test_a_broken_pyproject_is_a_config_error_not_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.outreach-lint]\nselect = ["job-ask"\n')
    (tmp_path / "draft.txt").write_text(BAD)
    result = invoke(["check", "draft.txt"])
    assert result.exit_code == 2, result.stdout
    assert "pyproject.toml" in result.stderr and "invalid TOML" in result.stderr
    assert result.stdout == ""


def test_a_broken_pyproject_in_the_wheel_entry_point(tmp_path: Path) -> None:
    # The same through the installed program (what pre-commit and hooks run).
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n")
    (tmp_path / "draft.txt").write_text(GOOD)
    proc = run_module(["check", "draft.txt"], cwd=tmp_path)
    assert proc.returncode == 2 and b"invalid TOML" in proc.stderr
