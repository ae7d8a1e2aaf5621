"""The docs say only what is true: links resolve, sources are readable, every command and option
they show exists, and the pre-commit example runs with the real pre-commit."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

import outreach_lint as ol
from outreach_lint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
REPO_URL = "https://github.com/outreach-lint/outreach-lint/blob/main/"
LINK_RE = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


def _links() -> list[tuple[Path, str]]:
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # links in code are not links
        out.extend((page, m.group(1)) for m in LINK_RE.finditer(text))
    return out


@pytest.mark.parametrize(("page", "target"), _links(),
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_links_resolve(page: Path, target: str) -> None:
    if target.startswith(("http://", "https://", "mailto:")):
        if target.startswith(REPO_URL):  # a link into this repository: the file must exist
            path = ROOT / target.removeprefix(REPO_URL).split("#", 1)[0]
            assert path.exists(), f"{page.name}: {target} points at a missing file"
        return
    path_part, _, anchor = target.partition("#")
    dest = (page.parent / path_part).resolve() if path_part else page
    assert dest.exists(), f"{page.relative_to(ROOT)}: {target} does not exist"
    assert dest.is_relative_to(ROOT), f"{page.relative_to(ROOT)}: {target} is outside the repo"
    if anchor and dest.suffix == ".md":
        assert anchor in _anchors(dest), f"{page.relative_to(ROOT)}: no heading #{anchor}"


def test_rule_links_are_the_rule_pages() -> None:
    for rule in ol.rules():
        assert rule.docs_url == f"{REPO_URL}docs/rules/{rule.id}.md"
        assert (ROOT / "docs" / "rules" / f"{rule.id}.md").is_file()


def test_sources_are_titles_and_addresses_not_files_outside_the_repo() -> None:
    for rule in ol.rules():
        assert rule.sources, rule.id
        for src in rule.sources:
            assert src.title and src.url and src.url.startswith("https://"), (rule.id, src)
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for outside in ("../shared", "seed/", "RESEARCH.md"):
            assert outside not in text, f"{page.relative_to(ROOT)} cites {outside}"


# ------------------------------------------------------------------ commands and options

_SHELL_STOP = {"|", ">", "<", "&&", ";", "||", "<&-", "2>&1"}


def _commands() -> list[tuple[Path, str]]:
    """Every `outreach-lint ...` command line the docs show (in code blocks and code spans)."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        chunks = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S)
        chunks += re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
        for chunk in chunks:
            for line in chunk.splitlines():
                line = line.split(" #", 1)[0]  # a shell comment
                line = re.split(r"(?<=\S)\s{2,}", line, maxsplit=1)[0]  # a description column
                for m in re.finditer(r"(?:^|[\s!(])outreach-lint((?:\s+[^\s#]+)*)", line):
                    found.append((page, "outreach-lint" + m.group(1)))
    return found


def _check(command: str) -> None:
    words = shlex.split(command.replace("[", " ").replace("]", " "), posix=True)[1:]
    group: click.Command = cli
    path = ["outreach-lint"]
    for word in words:
        if word in _SHELL_STOP or word == "--" or word.startswith("#"):
            return
        if word.startswith("-") and word != "-":
            name = word.split("=", 1)[0]
            params = {o for p in group.params for o in (*p.opts, *p.secondary_opts)}
            params |= {"-h", "--help"}
            if isinstance(group, click.Group):
                params |= {"--version"}
            assert name in params, f"`{' '.join(path)}` has no option {name}"
            continue
        if isinstance(group, click.Group):
            sub = group.commands.get(word)
            if sub is None:
                assert word.isupper() or word in ("...",), f"no command `{' '.join(path)} {word}`"
                return
            group, path = sub, [*path, word]
        # past the command, words are arguments and option values


@pytest.mark.parametrize(("page", "command"), _commands(),
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_documented_commands_and_options_exist(page: Path, command: str) -> None:
    _check(command)


def test_the_command_check_catches_an_option_that_does_not_exist() -> None:
    with pytest.raises(AssertionError, match="no option --fix"):
        _check("outreach-lint --fix")
    with pytest.raises(AssertionError, match="no option --fixx"):
        _check("outreach-lint fix --fixx -")
    with pytest.raises(AssertionError, match="no command"):
        _check("outreach-lint lint drafts/")


# ------------------------------------------------------------------ pre-commit


def _documented_pre_commit_config() -> str:
    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    section = text.split("\n## pre-commit\n", 1)[1]
    return section.split("```yaml\n", 1)[1].split("\n```", 1)[0] + "\n"


def test_the_documented_pre_commit_config_runs(tmp_path: Path) -> None:
    exe = shutil.which("pre-commit", path=f"{Path(sys.executable).parent}{os.pathsep}"
                       f"{os.environ.get('PATH', '')}")
    if exe is None:
        if os.environ.get("OUTREACH_LINT_REQUIRE_INTEGRATION") == "1":
            pytest.fail("pre-commit is not installed but OUTREACH_LINT_REQUIRE_INTEGRATION=1")
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", HOME=str(tmp_path),
               PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_CONFIG_NOSYSTEM="1")
    repo = tmp_path / "repo"
    (repo / "drafts").mkdir(parents=True)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=repo, env=env, capture_output=True, text=True,
                              timeout=300, check=False)

    run("git", "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(_documented_pre_commit_config())
    (repo / "drafts" / "dana.txt").write_text(
        "Hi Dana,\n\nDo you have any openings on your team?\n\nBest,\nSam\n")
    (repo / "notes.txt").write_text("Do you have any openings?\n")  # not under drafts/
    run("git", "add", "-A")
    blocked = run(exe, "run", "--all-files")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "job-ask" in blocked.stdout and "drafts/dana.txt" in blocked.stdout
    assert "notes.txt" not in blocked.stdout
    (repo / "drafts" / "dana.txt").write_text(
        "Hi Dana,\n\nI'm Sam, a designer. I'd love to hear how you moved into research; I'm"
        " not expecting a job. Would you have 20 minutes for a coffee near your office? If"
        " you're busy, is there someone else I could ask?\n\nThanks so much,\nSam\n")
    run("git", "add", "-A")
    passed = run(exe, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def _benchmark_commands() -> list[tuple[Path, str]]:
    """Every `python benchmarks/<script>.py ...` or `python corpus/tools/...` line the docs show."""
    out = []
    for page in PAGES:
        for m in re.finditer(r"python3? ((?:benchmarks|corpus/tools)/[\w./-]+\.py)([^`\n#]*)",
                             page.read_text(encoding="utf-8")):
            out.append((page, (m.group(1) + m.group(2)).strip()))
    return out


@pytest.mark.parametrize(("page", "command"), _benchmark_commands(),
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_documented_scripts_and_their_options_exist(page: Path, command: str) -> None:
    script, *args = command.split()
    path = ROOT / script
    assert path.is_file(), f"{page.name}: {script} does not exist"
    source = path.read_text(encoding="utf-8")
    for arg in args:
        if arg.startswith("--"):
            assert f'"{arg.split("=", 1)[0]}"' in source, f"{page.name}: {script} has no {arg}"
