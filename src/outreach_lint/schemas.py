"""JSON Schemas of everything outreach-lint reads or writes (committed under docs/schema/)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from .catalog import RuleInfo
from .config import Config
from .models import FixResult, Report
from .rules.kinds import rule_file_json_schema
from .rules.schema import PackManifest


def report_json_schema() -> dict[str, Any]:
    """JSON Schema of `Report` (the `--format json` output and `lint()`'s result)."""
    return Report.model_json_schema(mode="serialization")


def json_schemas() -> dict[str, dict[str, Any]]:
    """Every schema by file name, as written to docs/schema/."""
    return {
        "report.schema.json": report_json_schema(),
        "fix-result.schema.json": FixResult.model_json_schema(mode="serialization"),
        "rule.schema.json": rule_file_json_schema(),
        "pack.schema.json": PackManifest.model_json_schema(by_alias=True),
        "config.schema.json": Config.model_json_schema(by_alias=True),
        "rule-info.schema.json": TypeAdapter(list[RuleInfo]).json_schema(
            mode="serialization", by_alias=True),
    }
