"""The lint work the server hands to its worker pool: plain functions of picklable arguments.

They run in worker processes, so they take the operator's `Config` with each call (a few
hundred bytes) and return the finished JSON body as bytes: the event loop only relays it.
"""

from __future__ import annotations

from ..api import fix, lint_draft
from ..cli_common import blocks
from ..config import Config
from ..draft import parse
from ..errors import InputError
from .payloads import FixResponse, LintResponse, utf16_findings


class TooLargeError(InputError):
    """A decoded message is over `max-chars` (plain text is refused before it reaches a worker)."""

    def __init__(self, chars: int, limit: int) -> None:
        super().__init__(chars, limit)
        self.chars, self.limit = chars, limit

    def __str__(self) -> str:
        return too_large_message(self.chars, self.limit)


def too_large_message(chars: int, limit: int) -> str:
    return (f"This draft has {chars:,} characters, over the {limit:,} limit; it was not checked."
            " An outreach note should fit on a phone screen.")


def with_profile(cfg: Config, profile: str | None) -> Config:
    return cfg.merged({"profile": profile}) if profile else cfg


def warm(cfg: Config) -> int:
    """Compile the rule set and load spaCy, so a worker's first draft is not slow.

    Also how the server checks the operator's config before it listens: a bad config raises
    here, with the message the CLI would print.
    """
    return len(lint_draft(parse("Hi Dana,\n\nWould you have 20 minutes?\n\nSam"), cfg).findings)


def lint_job(cfg: Config, source: str | bytes, profile: str | None) -> bytes:
    cfg = with_profile(cfg, profile)
    draft = parse(source)
    if len(draft.text) > cfg.max_chars:
        raise TooLargeError(len(draft.text), cfg.max_chars)
    report = lint_draft(draft, cfg)
    body = LintResponse(blocked=blocks(report, cfg), report=report,
                        utf16=utf16_findings(report.text, report.findings))
    return body.model_dump_json().encode("utf-8")


def fix_job(cfg: Config, text: str, unsafe: bool, profile: str | None) -> bytes:
    cfg = with_profile(cfg, profile)
    result = fix(text, unsafe=unsafe, config=cfg)
    blocked = any(f.severity.rank >= cfg.fail_on.rank for f in result.remaining)
    body = FixResponse(blocked=blocked, result=result,
                       utf16=utf16_findings(result.text, result.remaining))
    return body.model_dump_json().encode("utf-8")
