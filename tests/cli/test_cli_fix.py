"""`outreach-lint fix`: --diff, in place, stdin to stdout, message files refused in place."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import BAD, GOOD, GOOD_BODY, GOOD_SUBJECT, invoke, message

import outreach_lint as ol


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(BAD)
    result = invoke(["fix", "--diff", "-v", "bad.txt"])
    assert path.read_text() == BAD
    assert result.stdout.startswith("--- a/bad.txt\n+++ b/bad.txt\n@@ ")
    added = [ln for ln in result.stdout.splitlines() if ln.startswith("+")]
    assert any(w in ln for ln in added for w in ("someone else", "colleague", "teammate"))
    assert "would apply" in result.stderr


def test_fix_in_place_safe_then_unsafe(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(BAD)
    result = invoke(["fix", "--verbose", "bad.txt"])
    safe = path.read_text()
    assert safe != BAD and "Do you have any openings?" in safe  # unsafe rewrite not applied
    assert "applied" in result.stderr and "more with --unsafe" in result.stderr
    assert result.exit_code == 1  # the job ask (an error) is still there
    result = invoke(["fix", "--unsafe", "bad.txt"])
    fixed = path.read_text()
    assert "Do you have any openings?" not in fixed
    # Exit 1 exactly when an error is left after fixing (the pack decides which).
    errors_left = ol.lint(fixed).worst is ol.Severity.ERROR
    assert result.exit_code == (1 if errors_left else 0), result.stderr


def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "good.txt"
    path.write_text(GOOD)
    before = path.stat().st_mtime_ns
    assert invoke(["fix", "good.txt"]).exit_code == 0
    assert path.stat().st_mtime_ns == before


def test_fix_keeps_crlf_and_bom_outside_edits(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    raw = b"\xef\xbb\xbf" + BAD.replace("\n", "\r\n").encode()
    path.write_bytes(raw)
    invoke(["fix", "bad.txt"])
    out = path.read_bytes()
    assert out.startswith(b"\xef\xbb\xbfSubject: Job\r\n\r\nHi,\r\n")


def test_stdin_to_stdout(tmp_path: Path) -> None:
    result = invoke(["fix", "--unsafe", "-v", "-"], input=BAD.encode())
    assert "Do you have any openings?" not in result.stdout
    assert result.stdout.startswith("Subject: Job\n")
    assert result.stderr.startswith("-: applied ")
    # Nothing to fix: stdin comes back byte for byte.
    assert invoke(["fix", "-"], input=GOOD.encode()).stdout_bytes == GOOD.encode()


def test_eml_body_is_rewritten_in_place_and_diff_applies_to_the_raw_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "draft.eml"
    raw = message(GOOD_SUBJECT, GOOD_BODY.replace("Would you have 20 minutes for a coffee near "
                                                  "your office", "Could we talk"))
    path.write_bytes(raw)
    diff = invoke(["fix", "--diff", "draft.eml"])
    assert diff.exit_code in (0, 1)
    assert path.read_bytes() == raw  # --diff writes nothing
    head = raw[: raw.index(b"\n\n")]
    result = invoke(["fix", "draft.eml"])
    assert result.exit_code in (0, 1)
    fixed = path.read_bytes()
    assert fixed != raw and fixed.startswith(head)  # headers byte for byte
    # The diff was made against the raw file: applying it gives exactly what fix wrote.
    copy = tmp_path / "copy.eml"
    copy.write_bytes(raw)
    patch = tmp_path / "fix.patch"
    patch.write_text(diff.stdout.replace("a/draft.eml", "a/copy.eml")
                     .replace("b/draft.eml", "b/copy.eml"))
    import subprocess

    subprocess.run(["git", "apply", "--unsafe-paths", "-p1", str(patch)], cwd=tmp_path,
                   check=True, capture_output=True)
    assert copy.read_bytes() == fixed
