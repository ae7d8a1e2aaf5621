"""The public entry points: `lint()`, `fix()` and `lint_many()`."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bounded import BudgetExceeded
from .config import Config, resolve
from .draft import Draft, Source, parse
from .engine import ruleset_for
from .errors import InputError
from .models import (
    Applicability,
    DraftStats,
    Edit,
    Finding,
    Fix,
    FixResult,
    Notice,
    Report,
    SegmentKind,
    Severity,
    Span,
)
from .scoring import score

if TYPE_CHECKING:
    from spacy.tokens import Doc

ConfigArg = Config | dict[str, Any] | str | Path | None
MAX_FIX_PASSES = 5


def _config_for(source: Source, config: ConfigArg, filename: str | os.PathLike[str] | None) -> Config:
    near = None
    if filename is not None:
        near = Path(filename)
    elif isinstance(source, os.PathLike):
        near = Path(source)
    return resolve(config, near)


def lint(
    source: Source,
    *,
    config: ConfigArg = None,
    filename: str | os.PathLike[str] | None = None,
) -> Report:
    """Lint a draft: text (`str`), `bytes` (text or a MIME message), a path or a `Message`.

    `config` is a `Config`, a dict of config keys, or a config file path; when omitted the
    nearest config file above `filename` (or above the path being linted) is used.
    """
    cfg = _config_for(source, config, filename)
    return lint_draft(parse(source), cfg)


def prepare(config: ConfigArg = None, *, every_pattern: bool = False) -> None:
    """Load the language pipeline and compile the config's rule set now, not at the first lint.

    For long-running front ends (the language server does it at `initialize`). Regexes the
    rule cache vouches for are compiled when a draft first needs them; `every_pattern=True`
    compiles them all now.
    """
    rs = ruleset_for(resolve(config, None))
    if every_pattern:
        rs.bank.compile_all()


def lint_draft(draft: Draft, cfg: Config, doc: Doc | None = None) -> Report:
    """Lint an already parsed draft with a resolved config (and, from `lint_many`, its doc)."""
    rs = ruleset_for(cfg)
    notices = list(draft.notices)
    if len(draft.text) > cfg.max_chars:
        return _too_large(draft, cfg, rs.categories, notices)
    # A subject alone (a header block with no body yet) is not a message to check.
    if not any(draft.text[s.span.start : s.span.end].strip() for s in draft.lintable_segments()
               if s.kind is not SegmentKind.SUBJECT):
        return _nothing_to_check(draft, rs.categories, notices)
    try:
        findings, stats, notice = rs.run_bounded(draft, doc, cfg.time_budget)
    except BudgetExceeded as exc:
        return _timed_out(draft, exc, rs.categories, notices)
    if notice:
        notices.append(notice)
    return Report(
        source_kind=draft.source_kind,
        spans_refer_to=draft.spans_refer_to,
        text=draft.text,
        findings=tuple(findings),
        score=score(findings, rs.categories),
        stats=stats,
        attachments=draft.attachments,
        notices=tuple(notices),
    )


def _empty_stats() -> DraftStats:
    return DraftStats(words=0, sentences=0, questions=0, paragraphs=0, self_references=0,
                      reader_references=0)


def _nothing_to_check(draft: Draft, weights: dict[str, float], notices: list[Notice]) -> Report:
    finding = Finding(
        rule_id="nothing-to-check", category="format", severity=Severity.INFO,
        message="There is nothing of yours to check yet: write the message, then lint again.",
        span=Span(start=0, end=0), segment=None, excerpt="",
    )
    return Report(source_kind=draft.source_kind, spans_refer_to=draft.spans_refer_to,
                  text=draft.text, findings=(finding,), score=score([], weights),
                  stats=_empty_stats(), attachments=draft.attachments, notices=tuple(notices))


def _too_large(draft: Draft, cfg: Config, weights: dict[str, float],
               notices: list[Notice]) -> Report:
    finding = Finding(
        rule_id="draft-too-large", category="length", severity=Severity.ERROR,
        message=f"This draft has {len(draft.text):,} characters, over the {cfg.max_chars:,} limit;"
        " it was not checked. An outreach note should fit on a phone screen.",
        span=Span(start=0, end=min(len(draft.text), 200)), segment=None,
        excerpt=draft.text[:200],
    )
    return Report(source_kind=draft.source_kind, spans_refer_to=draft.spans_refer_to,
                  text=draft.text, findings=(finding,), score=score([finding], weights),
                  stats=_empty_stats(), attachments=draft.attachments, notices=tuple(notices))


def _timed_out(draft: Draft, exc: BudgetExceeded, weights: dict[str, float],
               notices: list[Notice]) -> Report:
    where = f" It stopped in {exc.detail}." if exc.detail.startswith("a regex") else ""
    finding = Finding(
        rule_id="lint-timeout", category="format", severity=Severity.ERROR,
        message=f"Checking this draft took longer than its {exc.budget:g} s time budget, so it"
        f" was not checked.{where} A rule pack may hold a slow pattern; see 'time-budget' in"
        " docs/configuration.md.",
        span=Span(start=0, end=min(len(draft.text), 200)), segment=None,
        excerpt=draft.text[:200],
    )
    return Report(source_kind=draft.source_kind, spans_refer_to=draft.spans_refer_to,
                  text=draft.text, findings=(finding,), score=score([finding], weights),
                  stats=_empty_stats(), attachments=draft.attachments, notices=tuple(notices))


def lint_many(
    sources: Iterable[Source],
    *,
    config: ConfigArg = None,
    n_process: int = 1,
    batch_size: int = 64,
) -> Iterator[Report | InputError]:
    """Lint many drafts, in order; an unreadable one yields its `InputError`, not a report.

    Drafts are tokenized in batches with `nlp.pipe`. With `n_process > 1` batches are linted
    in worker processes; each worker loads the config and packs itself, so the unit of work
    (a list of sources and a `Config`) is plain picklable data: the same function runs under
    Dask or Spark (`mapPartitions`), see docs/performance.md.
    """
    cfg = resolve(config, None)
    batches = _batches(sources, batch_size)
    if n_process <= 1:
        for batch in batches:
            yield from lint_batch(batch, cfg)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=n_process) as pool:
        for reports in pool.map(lint_batch, batches, itertools.repeat(cfg)):
            yield from reports


def lint_partition(
    sources: Iterable[Source], config: Config | dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Lint one partition for an external engine: `bag.map_partitions(lint_partition)` in
    Dask, `rdd.mapPartitions(lint_partition)` in Spark. Returns JSON-ready report dicts (an
    unreadable draft gives `{"error": message}`), which every engine can serialise."""
    out: list[dict[str, Any]] = []
    for r in lint_many(sources, config=config):
        out.append({"error": str(r)} if isinstance(r, InputError) else r.model_dump(mode="json"))
    return out


def _batches(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    it = iter(sources)
    while batch := list(itertools.islice(it, max(size, 1))):
        yield batch


def lint_batch(sources: list[Source], cfg: Config) -> list[Report | InputError]:
    """Lint a list of drafts with one `nlp.pipe` pass over their text."""
    from .nlp import get_nlp, masked_text

    parsed: list[Draft | InputError] = []
    for src in sources:
        try:
            parsed.append(parse(src))
        except InputError as exc:
            parsed.append(exc)
    drafts = [d for d in parsed if isinstance(d, Draft)]
    nlp, _ = get_nlp(cfg.model)
    texts = [masked_text(d) for d in drafts]
    docs = iter(nlp.pipe(texts, batch_size=len(texts) or 1))
    out: list[Report | InputError] = []
    for item in parsed:
        out.append(item if isinstance(item, InputError) else lint_draft(item, cfg, next(docs)))
    return out


# ------------------------------------------------------------------------ fixing


def fix(
    source: Source,
    *,
    unsafe: bool = False,
    config: ConfigArg = None,
    filename: str | os.PathLike[str] | None = None,
) -> FixResult:
    """Apply fixes until the draft is stable (at most MAX_FIX_PASSES passes).

    Safe fixes always; unsafe ones only with `unsafe=True`; display-only never. Within a pass,
    fixes apply in source order and a fix whose edits overlap an applied one waits for the next
    pass. Text outside applied edits is never changed.
    """
    cfg = _config_for(source, config, filename)
    draft = parse(source)
    original = text = draft.text
    applied: list[Finding] = []
    done: set[tuple[str, str]] = set()
    report = lint_draft(draft, cfg)
    passes = 0
    while passes < MAX_FIX_PASSES:
        chosen = choose_fixes(report.findings, unsafe=unsafe, skip=done, text=text)
        if not chosen:
            break
        passes += 1
        edits = [e for _, fx in chosen for e in fx.edits]
        before = text
        text = apply_edits(text, edits)
        for finding, fx in chosen:
            applied.append(finding)
            done.add(_fix_key(finding, fx, before))
        report = lint_draft(_reparse(draft, text), cfg)
    return FixResult(text=text, original=original, applied=tuple(applied),
                     remaining=report.findings, passes=passes)


def _reparse(draft: Draft, text: str) -> Draft:
    parsed = parse(text)
    # A message keeps its attachments across passes (they are not in the text).
    return Draft(parsed.text, parsed.segments, draft.source_kind, draft.spans_refer_to,
                 parsed.headers, draft.attachments, ())


def _fix_key(finding: Finding, fx: Fix, text: str) -> tuple[str, str]:
    """What a fix does, independent of where: the rule, the text it replaces and its output."""
    return finding.rule_id, "|".join(f"{e.span.text(text)}->{e.replacement}" for e in fx.edits)


def choose_fixes(
    findings: Iterable[Finding],
    *,
    unsafe: bool,
    skip: set[tuple[str, str]] | None = None,
    text: str = "",
) -> list[tuple[Finding, Fix]]:
    """Pick at most one fix per finding, in source order, never two with conflicting edits.

    Edits conflict when they overlap, or when an insertion touches text another edit replaces
    (its anchor sentence is being rewritten, so it waits for the next pass and is re-placed).
    """
    allowed = {Applicability.SAFE} | ({Applicability.UNSAFE} if unsafe else set())
    taken: list[Span] = []
    chosen: list[tuple[Finding, Fix]] = []
    for finding in sorted(findings, key=lambda f: (f.span.start, f.span.end, f.rule_id)):
        for fx in finding.fixes:
            if fx.applicability not in allowed or not fx.edits:
                continue
            if text and all(e.span.text(text) == e.replacement for e in fx.edits):
                continue  # a no-op: applying it would loop
            if skip and _is_insertion(fx) and _fix_key(finding, fx, text) in skip:
                continue  # the same insertion came back after it was applied: don't loop
            spans = [e.span for e in fx.edits]
            if any(_conflict(s, t) for s in spans for t in taken) or _self_overlap(spans):
                break  # left for the next pass
            taken.extend(spans)
            chosen.append((finding, fx))
            break
    return chosen


def _is_insertion(fx: Fix) -> bool:
    # Only insertions can come back unchanged (inserted text that does not satisfy its rule);
    # a replacement that recurs replaced *new* text, such as a finding past max_findings.
    return all(len(e.span) == 0 for e in fx.edits)


def _conflict(a: Span, b: Span) -> bool:
    if a.overlaps(b):
        return True
    if len(a) == 0 and len(b) > 0:
        return b.start <= a.start <= b.end
    if len(b) == 0 and len(a) > 0:
        return a.start <= b.start <= a.end
    return False


def _self_overlap(spans: list[Span]) -> bool:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    return any(a.overlaps(b) for a, b in pairwise(ordered))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; everything outside their spans is kept as is."""
    ordered = sorted(edits, key=lambda e: (e.span.start, e.span.end))
    out: list[str] = []
    pos = 0
    for e in ordered:
        if e.span.start < pos or e.span.end > len(text):
            raise ValueError(f"edit {e.span} overlaps another edit or runs past the text")
        out.append(text[pos : e.span.start])
        out.append(e.replacement)
        pos = e.span.end
    out.append(text[pos:])
    return "".join(out)


__all__ = [
    "SegmentKind", "apply_edits", "choose_fixes", "fix", "lint", "lint_draft", "lint_many",
    "lint_partition", "prepare",
]
