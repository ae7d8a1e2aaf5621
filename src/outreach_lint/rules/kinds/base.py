"""What every compiled rule kind shares: the compile environment and the finding helpers.

A kind is one module in this package holding its schema (a `RuleBase` subclass), its compile
step (`build`) and its check; `kinds/__init__.py` lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import regex

from ...errors import PackError, RuleTimeoutError
from ...models import Finding, Fix, Severity, Span
from ..detect import REGEX_TIMEOUT, CompiledSpec, Hit, MatcherBank, Where, compile_spec, times_out
from ..fixes import CaptureSet, build_fix
from ..schema import MatchSpec, RuleBase

if TYPE_CHECKING:
    from ..context import Context


@dataclass
class Build:
    """What a kind's compile step gets: the shared matcher bank and detectors, and the file."""

    bank: MatcherBank
    detectors: dict[str, CompiledSpec]
    path: str

    def spec(self, rule_id: str, key: str, spec: MatchSpec) -> CompiledSpec:
        """Compile one of the rule's pattern sets (`match`, `unless`, `if`, ...)."""
        bank_key = f"rule:{rule_id}" if key == "match" else f"rule:{rule_id}:{key}"
        return compile_spec(self.bank, bank_key, spec, Where(self.path, rule_id, key),
                            self.detectors)

    def regex(self, rule_id: str, key: str, source: str) -> regex.Pattern[str]:
        return self.bank._compile_regex(source, Where(self.path, rule_id, key), 0)


@dataclass
class CompiledRule:
    """A rule ready to run: its schema, effective severity and options, and compiled parts.

    Subclasses (one per kind) set `name`, `Schema`, and override `build` and `check`.
    """

    name: ClassVar[str] = ""
    Schema: ClassVar[type[RuleBase]] = RuleBase

    schema: RuleBase
    severity: Severity
    docs_url: str | None
    path: str
    options: dict[str, Any] = field(default_factory=dict)
    detectors: dict[str, CompiledSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.captures = CaptureSet(self.schema.fix.captures if self.schema.fix else {})

    @property
    def id(self) -> str:
        return self.schema.id

    @classmethod
    def build(cls, rule: Any, env: Build, **common: Any) -> CompiledRule:
        """Compile `rule` (an instance of `cls.Schema`); `common` are the dataclass fields."""
        return cls(schema=rule, **common)

    @classmethod
    def doc(cls, rule: RuleBase) -> str:
        """What a rule of this kind does, for its docs page ("What it does")."""
        return rule.kind_doc

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    # ------------------------------------------------------------- helpers for every kind

    def finding(
        self,
        ctx: Context,
        span: Span,
        *,
        message: str | None = None,
        severity: Severity | None = None,
        fixes: tuple[Fix, ...] = (),
    ) -> Finding:
        seg = ctx.draft.segment_at(span.start)
        return Finding(
            rule_id=self.schema.id,
            category=self.schema.category,
            severity=severity or self.severity,
            message=message or self.schema.message,
            span=span,
            segment=seg.kind if seg else None,
            excerpt=span.text(ctx.draft.text),
            fixes=fixes,
            docs_url=self.docs_url,
        )

    def fix_for(
        self,
        ctx: Context,
        *,
        hit: Hit | None = None,
        sentence: Span | None = None,
        insert_at: tuple[int, bool] | None = None,
        avoid: set[str] | None = None,
        redundant: bool = False,
    ) -> tuple[Fix, ...]:
        spec = self.schema.fix
        if spec is None:
            return ()
        fix = build_fix(spec, self.captures, ctx, hit=hit, sentence=sentence,
                        insert_at=insert_at, avoid=avoid, redundant=redundant)
        return (fix,) if fix else ()

    def insertion_point(self, ctx: Context, default_anchor: str) -> tuple[int, bool]:
        """Where a fix inserts text: after a detector's sentence, or at a named anchor."""
        spec = self.schema.fix
        at = spec.insert.at if spec and spec.insert else default_anchor
        if at.startswith("after:"):
            det = self.detectors.get(at[6:])
            hits = det.hits(ctx) if det else []
            if hits:
                idx = ctx.sentence_index(hits[0].start)
                if idx is not None:
                    return ctx.analysis.sentences[idx].end, False
            at = default_anchor
        _, offset = ctx.anchor_span(at)
        return offset, at in ("body-start",)

    def sentence_of(self, ctx: Context, hit: Hit) -> Span | None:
        idx = ctx.sentence_index(hit.start)
        return ctx.sentence_span(idx) if idx is not None else None


def finditer(pattern: regex.Pattern[str], text: str, rule: CompiledRule,
             ctx: Context) -> list[regex.Match[str]]:
    where = f"a regex of rule {rule.id!r} in {rule.path}"
    timeout = ctx.deadline.regex_timeout(where) if ctx.deadline else REGEX_TIMEOUT
    try:
        return list(pattern.finditer(text, timeout=timeout))
    except TimeoutError:
        if ctx.deadline is not None:
            ctx.deadline.check(where)
        raise RuleTimeoutError(
            f"[{rule.path}, rule {rule.id!r}] regex {pattern.pattern[:80]!r} ran past"
            f" {REGEX_TIMEOUT}s on this draft"
        ) from None


def check_captures(rule: RuleBase, path: str) -> None:
    """Fix captures compile and cannot backtrack catastrophically (checked at load)."""
    if rule.fix is None:
        return
    for name, src in rule.fix.captures.items():
        try:
            compiled = regex.compile(src, regex.VERSION0)
        except regex.error as exc:
            raise PackError(f"capture regex does not compile: {exc}", path=path,
                            rule_id=rule.id, key=f"fix.captures.{name}") from None
        if times_out(compiled):
            raise PackError(
                "capture regex can backtrack catastrophically (nested quantifiers such as"
                " '(a+)+'); rewrite it without a repeated group that itself repeats",
                path=path, rule_id=rule.id, key=f"fix.captures.{name}",
            )
