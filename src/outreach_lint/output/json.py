"""`--format json`: every report as `Report.model_dump(mode="json")`, wrapped per file.

Written one file at a time; the result is exactly `json.dumps(doc, indent=2)` of the whole
document `{"schema_version", "files": [...], "errors": [...]}`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from ..models import SCHEMA_VERSION
from . import LintedFile, render


class JsonStream:
    def __init__(self) -> None:
        self._count = 0

    def start(self) -> str:
        return "{\n" + f'  "schema_version": {json.dumps(SCHEMA_VERSION)},\n  "files": ['

    def add(self, lf: LintedFile) -> str:
        entry = {"path": lf.path, "blocked": lf.blocked,
                 "report": lf.report.model_dump(mode="json")}
        sep = "," if self._count else ""
        self._count += 1
        return sep + "\n" + textwrap.indent(json.dumps(entry, indent=2, ensure_ascii=False), "    ")

    def end(self, errors: Sequence[tuple[str, str]] = ()) -> str:
        out = "\n  ]" if self._count else "]"
        if errors:
            listed = json.dumps([{"path": p, "message": m} for p, m in errors], indent=2,
                                ensure_ascii=False)
            out += ',\n  "errors": ' + listed.replace("\n", "\n  ")
        return out + "\n}\n"


def format_json(files: Sequence[LintedFile], errors: Sequence[tuple[str, str]] = ()) -> str:
    return render(JsonStream(), files, errors)
