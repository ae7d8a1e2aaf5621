"""Finding 1 of issue 16: `fix`, `init` and `hook install` never leave a half-written file.

Three kinds of test:
- a real full filesystem: a 64 KiB tmpfs mounted in a private mount namespace
  (`unshare -rm`), filled to the last page, then `outreach-lint fix` on a draft whose fixed
  text needs one page more than the original (skipped where mounting is not allowed; the
  simulated tests below always run);
- simulated faults: ENOSPC / EIO raised by a monkeypatched `os.fsync` or `os.replace`;
- kills: a subprocess runs `outreach-lint fix` with one step patched to SIGKILL the process
  (while writing the data, before the fsync, before the rename, after the rename).
After each, the draft is byte-identical to the original, or (only when the kill came after
the rename) byte-identical to the complete fixed text.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import outreach_lint as ol
from outreach_lint.cli import cli

# The documented name of a temporary file (safe_write.TEMP_SUFFIX). New names are imported
# inside the tests, so the behaviour tests also run (and fail) against the old code.
TEMP_SUFFIX = ".outreach-lint-tmp"

BLUNT = (Path(__file__).parents[1] / "examples" / "blunt-job-ask.txt").read_text()


def _draft(size: int = 3990) -> str:
    """A job-ask draft padded with a quoted earlier message to about `size` bytes."""
    text = BLUNT.rstrip("\n") + "\n\nOn Mon, 2 Mar 2026, Dana Roe <dana@example.org> wrote:\n"
    n = 0
    while len(text.encode()) < size - 60:
        text += f"> line {n:03d} of the earlier message, quoted below the draft\n"
        n += 1
    return text


def _env() -> dict[str, str]:
    # No rule cache: its own atomic write would be the first os.replace the killer sees.
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1",
            "OUTREACH_LINT_NO_CACHE": "1"}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


# ------------------------------------------------------------------ a really full disk

_FULL_DISK = r"""
set -eu
mnt=$1; src=$2; out=$3; shift 3
mount -t tmpfs -o size=64k tmpfs "$mnt"
cp "$src" "$mnt/draft.txt"
dd if=/dev/zero of="$mnt/filler" bs=4096 2>/dev/null || true
set +e
"$@" fix --unsafe "$mnt/draft.txt" >"$out/stdout" 2>"$out/stderr"
echo $? >"$out/rc"
cp "$mnt/draft.txt" "$out/after"
ls -a "$mnt" >"$out/ls"
"""


def _can_mount_tmpfs(tmp: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = tmp / "probe"
    probe.mkdir()
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs tmpfs {probe}"],
                          capture_output=True, check=False)
    return proc.returncode == 0


def test_fix_on_a_full_tmpfs_leaves_the_draft_intact(tmp_path: Path) -> None:
    if not _can_mount_tmpfs(tmp_path):
        pytest.skip("cannot mount a tmpfs here (needs unshare and mount rights)")
    text = _draft()
    fixed = ol.fix(text, unsafe=True).text
    # The fixed text needs a second 4 KiB page: an in-place rewrite frees one, then runs out.
    assert len(text.encode()) < 4096 < len(fixed.encode())
    src, mnt, out = tmp_path / "src.txt", tmp_path / "mnt", tmp_path / "out"
    src.write_text(text)
    mnt.mkdir()
    out.mkdir()
    subprocess.run(["unshare", "-rm", "sh", "-c", _FULL_DISK, "sh", str(mnt), str(src), str(out),
                    sys.executable, "-m", "outreach_lint"], env=_env(), check=True, timeout=300)
    stderr = (out / "stderr").read_text()
    assert (out / "rc").read_text().strip() == "2", stderr
    assert (out / "after").read_bytes() == text.encode(), "the draft was damaged"
    assert "No space left on device" in stderr and "the original is unchanged" in stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert not [n for n in (out / "ls").read_text().split() if n.endswith(TEMP_SUFFIX)]


# ------------------------------------------------------------------ simulated faults


@pytest.mark.parametrize("step", ["fsync", "replace"])
@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
def test_simulated_write_failure_keeps_the_original(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, err: int) -> None:
    from outreach_lint import safe_write
    # Simulated: the fault is raised by a monkeypatched os.fsync / os.replace.
    path = tmp_path / "draft.txt"
    path.write_text(_draft())
    before = path.read_bytes()

    def fail(*_a: object, **_k: object) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(safe_write.os, step, fail)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["fix", "--unsafe", "draft.txt"])
    assert result.exit_code == 2, result.output
    assert path.read_bytes() == before
    assert os.strerror(err) in result.stderr and "the original is unchanged" in result.stderr
    assert _leftovers(tmp_path) == []


def test_simulated_failure_in_init_and_hook_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from outreach_lint import safe_write
    from outreach_lint.safe_write import WriteError
    # Simulated ENOSPC from a monkeypatched os.fsync; `init --force` over an existing config.
    config = tmp_path / ".outreach-lint.toml"
    config.write_text("select = ['ALL']\n")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_write.os, "fsync", full)
    result = CliRunner().invoke(cli, ["init", "--force", str(tmp_path)])
    assert result.exit_code == 2
    assert config.read_text() == "select = ['ALL']\n"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sendemail-validate").write_text("#!/bin/sh\n# outreach-lint: managed hook\nold\n")
    from outreach_lint import hooks as hooks_mod

    monkeypatch.setattr(hooks_mod, "git_hooks_dir", lambda cwd=None: hooks)
    with pytest.raises(WriteError, match="original is unchanged"):
        hooks_mod.install_git_hook(force=False)
    assert (hooks / "sendemail-validate").read_text().endswith("old\n")


# ------------------------------------------------------------------ kills between steps

_KILLER = r"""
import io, os, signal, sys

step, args = sys.argv[1], sys.argv[2:]
from outreach_lint.cli import main

def die(*_a, **_k):
    os.kill(os.getpid(), signal.SIGKILL)

if step == "write":
    # Killed at the first write of data into any file opened for writing: after an in-place
    # open has truncated the draft, or while the temporary file is being filled.
    real_open = io.open

    class Dying:
        def __init__(self, fh):
            self._fh = fh
        def write(self, data):
            self._fh.write(data[: len(data) // 2])
            self._fh.flush()
            die()
        def __getattr__(self, name):
            return getattr(self._fh, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self._fh.__exit__(*exc)

    def opener(file, mode="r", *a, **k):
        fh = real_open(file, mode, *a, **k)
        return Dying(fh) if any(c in mode for c in "wax+") else fh

    io.open = opener
elif step == "fsync":
    os.fsync = die
elif step == "replace":
    os.replace = die
elif step == "after-replace":
    real_replace = os.replace
    def replace_then_die(*a, **k):
        real_replace(*a, **k)
        die()
    os.replace = replace_then_die
main(args)
"""


@pytest.mark.parametrize("step", ["write", "fsync", "replace", "after-replace"])
def test_fix_killed_at_any_step_leaves_old_or_complete_new(tmp_path: Path, step: str) -> None:
    path = tmp_path / "draft.txt"
    text = _draft()
    path.write_text(text)
    fixed = ol.fix(text, unsafe=True).text
    killer = tmp_path / "killer.py"
    killer.write_text(_KILLER)
    proc = subprocess.run([sys.executable, str(killer), step, "fix", "--unsafe", str(path)],
                          env=_env(), capture_output=True, timeout=300, check=False)
    assert proc.returncode == -9, proc.stderr  # it really was killed at that step
    after = path.read_bytes()
    if step == "after-replace":
        assert after == fixed.encode(), "the new content is not complete"
    else:
        assert after == text.encode(), f"killed at {step}: the draft is now {len(after)} bytes"


# ------------------------------------------------------------------ what a write keeps


def test_mode_and_symlink_are_kept(tmp_path: Path) -> None:
    from outreach_lint.safe_write import TEMP_SUFFIX as SUFFIX
    from outreach_lint.safe_write import write_atomic

    assert SUFFIX == TEMP_SUFFIX
    real = tmp_path / "real" / "draft.txt"
    real.parent.mkdir()
    real.write_text(BLUNT)
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, b"new text\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new text\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert _leftovers(real.parent) == [] and _leftovers(tmp_path) == []


def test_new_file_gets_the_umask_mode_and_an_explicit_mode_wins(tmp_path: Path) -> None:
    from outreach_lint.safe_write import write_atomic
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.toml", b"x = 1\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o640
    write_atomic(tmp_path / "hook", b"#!/bin/sh\n", mode=0o755)
    assert stat.S_IMODE((tmp_path / "hook").stat().st_mode) == 0o755


def test_a_read_only_draft_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from outreach_lint import safe_write
    from outreach_lint.safe_write import WriteError, write_atomic
    if os.geteuid() == 0:
        # Root may write any file, so os.access says yes: simulated with a patched os.access.
        monkeypatch.setattr(safe_write.os, "access", lambda *_a, **_k: False)
    path = tmp_path / "draft.txt"
    path.write_text(BLUNT)
    path.chmod(0o444)
    with pytest.raises(WriteError, match="read-only"):
        write_atomic(path, b"x")
    assert path.read_text() == BLUNT


def test_owner_is_kept_when_allowed(tmp_path: Path) -> None:
    from outreach_lint.safe_write import write_atomic
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another owner")
    path = tmp_path / "draft.txt"
    path.write_text(BLUNT)
    os.chown(path, 1234, 5678)
    write_atomic(path, b"new\n")
    st = path.stat()
    assert (st.st_uid, st.st_gid) == (1234, 5678)
