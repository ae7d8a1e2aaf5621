"""`--format json`: every report as `Report.model_dump(mode="json")`, wrapped per file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..models import SCHEMA_VERSION
from . import LintedFile


def format_json(files: Sequence[LintedFile], errors: Sequence[tuple[str, str]] = ()) -> str:
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "files": [
            {"path": f.path, "blocked": f.blocked, "report": f.report.model_dump(mode="json")}
            for f in files
        ],
    }
    if errors:
        doc["errors"] = [{"path": p, "message": m} for p, m in errors]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
