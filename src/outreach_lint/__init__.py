"""outreach-lint: lint informational-interview request emails the way ruff lints code.

    >>> import outreach_lint as ol
    >>> report = ol.lint("Hi Dana, do you have any openings on your team?")
    >>> [f.rule_id for f in report.findings][:1]
    ['job-ask']
"""

from __future__ import annotations

from .api import apply_edits, fix, lint, lint_draft, lint_many, lint_partition

# Bound last, over the subpackage of the same name (see RulesEntry for why both work).
from .catalog import (
    ExamplesInfo,
    FixExampleInfo,
    FixInfo,
    OptionInfo,
    RuleInfo,
    RulesEntry,
    SourceInfo,
)
from .config import Config, discover, load_config
from .draft import Draft, Segment, parse
from .errors import (
    ConfigError,
    DraftNotChecked,
    InputError,
    OutreachLintError,
    PackError,
    RuleTimeoutError,
)
from .models import (
    SCHEMA_VERSION,
    Applicability,
    Attachment,
    CategoryScore,
    Deduction,
    DraftStats,
    Edit,
    Finding,
    Fix,
    FixResult,
    LineIndex,
    Notice,
    Report,
    Score,
    SegmentKind,
    Severity,
    Span,
)
from .schemas import json_schemas, report_json_schema

rules = RulesEntry()

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Applicability",
    "Attachment",
    "CategoryScore",
    "Config",
    "ConfigError",
    "Deduction",
    "Draft",
    "DraftNotChecked",
    "DraftStats",
    "Edit",
    "ExamplesInfo",
    "Finding",
    "Fix",
    "FixExampleInfo",
    "FixInfo",
    "FixResult",
    "InputError",
    "LineIndex",
    "Notice",
    "OptionInfo",
    "OutreachLintError",
    "PackError",
    "Report",
    "RuleInfo",
    "RuleTimeoutError",
    "Score",
    "Segment",
    "SegmentKind",
    "Severity",
    "SourceInfo",
    "Span",
    "__version__",
    "apply_edits",
    "discover",
    "fix",
    "json_schemas",
    "lint",
    "lint_draft",
    "lint_many",
    "lint_partition",
    "load_config",
    "parse",
    "report_json_schema",
    "rules",
]
