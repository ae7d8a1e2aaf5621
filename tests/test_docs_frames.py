"""The worked frame example in docs/writing-rules.md is a rule that works as written."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

import outreach_lint as ol
from outreach_lint.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _example_rule() -> str:
    page = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    section = page[page.index("## Frames"):page.index("## Testing a pack")]
    (block,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    return block


def _pack(tmp_path: Path) -> Path:
    pack = tmp_path / "weekend-pack"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: weekend-pack\nversion: '1'\ndescription: docs example\n"
                                    "categories: {meeting: 15}\n", encoding="utf-8")
    (pack / "rules" / "weekend-meeting.yaml").write_text(_example_rule(), encoding="utf-8")
    return pack


def test_the_documented_frame_flags_proposals_not_mentions(tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    rule = yaml.safe_load(_example_rule())
    config = {"packs": [str(pack)], "select": ["weekend-meeting"]}
    for draft in rule["examples"]["fail"]:
        assert [f.rule_id for f in ol.lint(draft, config=config).findings] == ["weekend-meeting"]
    for draft in rule["examples"]["pass"]:
        assert ol.lint(draft, config=config).findings == ()


def test_test_pack_runs_the_documented_examples(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["test-pack", str(_pack(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "4 passed, 0 failed" in result.output
