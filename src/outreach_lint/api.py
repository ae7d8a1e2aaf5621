"""The public entry points: `lint()`, `fix()` and `lint_many()`."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bounded import BudgetExceeded, Deadline
from .config import Config, resolve
from .draft import Draft, Source, parse, parse_text
from .engine import RuleSet, ruleset_for
from .errors import ConfigError, DraftNotChecked, InputError, OutreachLintError, PackError
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
from .normalise import Folded, fold
from .scoring import score, unchecked

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .rewrite import Plan
    from .rules.context import Context

ConfigArg = Config | dict[str, Any] | str | Path | None
MAX_FIX_PASSES = 3


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
    return _lint(draft, cfg, doc)[0]


def _lint(draft: Draft, cfg: Config, doc: Doc | None = None, *,
          with_context: bool = False) -> tuple[Report, Context | None]:
    """The report, and (`with_context`) the per-draft context the rewrite planner reads
    (None: not checked)."""
    rs = ruleset_for(cfg)
    notices = list(draft.notices)
    if draft.refused:
        return _not_checked(draft, draft.refused, rs.categories, notices), None
    if len(draft.text) > cfg.max_chars:
        return _too_large(draft, cfg, rs.categories, notices), None
    # A subject alone (a header block with no body yet) is not a message to check.
    if not any(draft.text[s.span.start : s.span.end].strip() for s in draft.lintable_segments()
               if s.kind is not SegmentKind.SUBJECT):
        return _nothing_to_check(draft, rs.categories, notices), None
    ctx: Context | None = None
    folded = fold(draft.text)
    try:
        if folded is not None:
            # Hidden characters or look-alike letters: checked as a reader sees it, in
            # process; no context for the planner, whose edits would be in the wrong text.
            findings, seen_ctx = _run_folded(rs, draft, folded, doc, notices,
                                             Deadline(cfg.time_budget))
            stats, notice = seen_ctx.stats, seen_ctx.analysis.notice
        elif with_context:
            # The fix planner needs the context, so this runs here (regexes and the rule loop
            # still honour the deadline); a plain lint may run a user pack in a child process.
            findings, ctx = rs.run(draft, doc, Deadline(cfg.time_budget))
            stats, notice = ctx.stats, ctx.analysis.notice
        else:
            findings, stats, notice = rs.run_bounded(draft, doc, cfg.time_budget)
    except BudgetExceeded as exc:
        return _timed_out(draft, exc, rs.categories, notices), None
    if notice:
        notices.append(notice)
    report = Report(
        source_kind=draft.source_kind,
        spans_refer_to=draft.spans_refer_to,
        text=draft.text,
        findings=tuple(findings),
        score=score(findings, rs.categories),
        stats=stats,
        attachments=draft.attachments,
        notices=tuple(notices),
    )
    return report, ctx


def _run_folded(rs: RuleSet, draft: Draft, folded: Folded, doc: Doc | None,
                notices: list[Notice], deadline: Deadline) -> tuple[list[Finding], Context]:
    """Run the rules on the text as a reader sees it (see normalise.py); spans map back.

    The draft as written is checked too, and a notice says when the hidden characters or
    look-alike letters changed what was found.
    """
    seen = parse_text(folded.text)
    as_seen = Draft(seen.text, seen.segments, draft.source_kind, draft.spans_refer_to,
                    draft.headers, draft.attachments, ())
    found, ctx = rs.run(as_seen, None, deadline)
    findings = [folded.finding(f) for f in found]
    as_written, _ = rs.run(draft, doc, deadline)
    changed = sorted({f.rule_id for f in findings} ^ {f.rule_id for f in as_written})
    if changed or _where(findings) != _where(as_written):
        notices.append(Notice(
            code="hidden-characters",
            message="the draft has hidden characters or look-alike letters from another"
            " alphabet inside words (such as a zero-width space, or a Cyrillic 'о' in"
            " 'jоb'); it was checked as a reader sees it, which changed what was found"
            + (f" ({', '.join(changed)})" if changed else ""),
        ))
    return findings, ctx


def _where(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return sorted((f.rule_id, f.span.start, f.span.end) for f in findings)


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
                  text=draft.text, findings=(finding,), score=unchecked("Nothing to check yet."),
                  stats=_empty_stats(), attachments=draft.attachments, notices=tuple(notices))


def _not_checked(draft: Draft, why: str, weights: dict[str, float],
                 notices: list[Notice]) -> Report:
    """An error finding for a draft that could not be checked: it blocks a send, so a message
    built to defeat the parser is never waved through as clean."""
    finding = Finding(
        rule_id="draft-not-checked", category="format", severity=Severity.ERROR, message=why,
        span=Span(start=0, end=0), segment=None, excerpt="",
    )
    return Report(source_kind=draft.source_kind, spans_refer_to=draft.spans_refer_to,
                  text=draft.text, findings=(finding,),
                  score=unchecked("Not checked: the message could not be read safely."),
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
                  text=draft.text, findings=(finding,),
                  score=unchecked("Not checked: the draft is too large."),
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
                  text=draft.text, findings=(finding,), score=unchecked("Not checked: it took too long."),
                  stats=_empty_stats(), attachments=draft.attachments, notices=tuple(notices))


def lint_many(
    sources: Iterable[Source],
    *,
    config: ConfigArg = None,
    n_process: int = 1,
    batch_size: int = 64,
) -> Iterator[Report | InputError]:
    """Lint many drafts, in order; an unreadable one yields its `InputError`, not a report.

    One draft's failure never costs the others their results: a draft that times out, is
    built to crash the parser, or kills its worker process yields a `DraftNotChecked` (an
    `InputError`) in its place; a dead worker is replaced and its batch retried once.

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
    ruleset_for(cfg)  # a config or pack error concerns every draft: raised here, once
    from .batch import run_batches

    for reports in run_batches(batches, lint_batch, cfg, n_process):
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
    """Lint a list of drafts with one `nlp.pipe` pass over the text of those that need it.

    Drafts over `max-chars` (and refused ones) never reach the tokenizer: they get their
    `draft-too-large` / `draft-not-checked` report without it.
    """
    from .nlp import get_nlp, masked_text

    ruleset_for(cfg)  # config and pack errors are everyone's: raised, not put in each place
    parsed = [_parse_one(src) for src in sources]
    drafts = [d for d in parsed if isinstance(d, Draft) and _needs_doc(d, cfg)]
    docs: list[Doc] | None = None
    try:
        nlp, _ = get_nlp(cfg.model)
        docs = list(nlp.pipe([masked_text(d) for d in drafts], batch_size=len(drafts) or 1))
    except Exception:
        docs = None  # each draft makes its own doc, so one bad text fails only itself
    doc_of = {id(d): doc for d, doc in zip(drafts, docs, strict=True)} if docs else {}
    out: list[Report | InputError] = []
    for item in parsed:
        if isinstance(item, InputError):
            out.append(item)
            continue
        try:
            out.append(lint_draft(item, cfg, doc_of.get(id(item))))
        except (ConfigError, PackError):
            raise
        except Exception as exc:
            out.append(_failure(exc))
    return out


def _parse_one(source: Source) -> Draft | InputError:
    try:
        return parse(source)
    except InputError as exc:
        return exc
    except Exception as exc:
        return _failure(exc)


def _needs_doc(draft: Draft, cfg: Config) -> bool:
    return not draft.refused and len(draft.text) <= cfg.max_chars


def _failure(exc: Exception) -> DraftNotChecked:
    if isinstance(exc, OutreachLintError):
        return DraftNotChecked(f"not checked: {exc}")
    if isinstance(exc, RecursionError):
        return DraftNotChecked("not checked: the draft is nested too deeply to analyse")
    return DraftNotChecked(f"not checked: outreach-lint failed on this draft"
                           f" ({type(exc).__name__}: {exc}); please report it")


# ------------------------------------------------------------------------ fixing


def fix(
    source: Source,
    *,
    unsafe: bool = False,
    placeholders: bool = False,
    medium: str | None = None,
    config: ConfigArg = None,
    filename: str | os.PathLike[str] | None = None,
) -> FixResult:
    """Rewrite a draft with one edit plan per round (see outreach_lint.rewrite), then re-lint.

    Safe fixes always; unsafe ones only with `unsafe=True`. Fixes that need a fact the draft
    does not give carry a bracketed placeholder ("[the field you're curious about]"); they are
    left out unless `placeholders=True`, and then stay visibly bracketed. `medium` ("email",
    "linkedin-note") overrides the config's; a message (.eml) keeps its headers, so a job ask
    in its subject is reported, not rewritten. Text outside the plan's edits never changes.
    """
    from .rewrite import PLANNED, Purpose, Settings, plan_for

    cfg = _config_for(source, config, filename)
    draft = parse(source)
    original = draft.text
    applied: list[Finding] = []
    folded = fold(draft.text) if draft.source_kind == "text" else None
    if folded is not None:
        # Hidden characters and look-alike letters go first, as a fix of their own (one edit
        # each), so the planner rewrites the text a reader sees.
        applied.append(_hidden_characters(folded))
        draft = parse(folded.text)
    med = medium or (cfg.medium if cfg.medium != "auto" else None)
    settings = Settings(unsafe=unsafe, placeholders=placeholders,
                        subject_editable=draft.source_kind != "eml")
    rs = ruleset_for(cfg)
    text = draft.text
    report, ctx = _lint(draft, cfg, with_context=True)
    started_long = any(f.rule_id == "too-long" for f in report.findings)
    left_out: list[str] = []
    done_rules: set[str] = set()
    seen_asks: set[str] = set()
    done_inserts: set[tuple[str, str]] = set()
    blanks = 0
    passes = 0
    purpose = None
    current = draft
    while passes < MAX_FIX_PASSES and ctx is not None:
        # A rule a round already answered is not answered again: if its finding came back,
        # a second answer would only repeat the first.
        answered = tuple(f for f in report.findings if (f.rule_id in done_rules and (
                             # a job ask the last round's text newly shows is answered now
                             f.rule_id != "job-ask" or f.excerpt in seen_asks))
                         or _fix_key(f) in done_inserts)
        findings = tuple(f for f in report.findings if f not in answered)
        plan = plan_for(current, ctx, report.findings, rs, settings, medium=med,
                        answered=answered)
        if purpose is None:
            purpose = plan.purpose  # what the writer's draft was for, before any rewrite
        new_text = apply_edits(text, plan.edits)
        if new_text == text:
            left_out.extend(plan.left_out)
            break
        new_draft = _reparse(draft, new_text)
        new_report, new_ctx = _lint(new_draft, cfg, with_context=True)
        limit = None
        while (not started_long and new_ctx is not None
               and any(f.rule_id == "too-long" for f in new_report.findings)):
            # The word estimate was short: an email fix never pushes a draft over too-long.
            over = new_ctx.stats.words - (limit or _words_limit(rs, ctx.stats.words))
            limit = (limit or _words_limit(rs, ctx.stats.words)) - max(over, 1)
            plan = plan_for(current, ctx, report.findings, rs, settings, medium=med,
                            word_limit=limit, answered=answered)
            new_text = apply_edits(text, plan.edits)
            new_draft = _reparse(draft, new_text)
            new_report, new_ctx = _lint(new_draft, cfg, with_context=True)
            if limit <= 0:
                break
        if new_text == text:
            left_out.extend(plan.left_out)  # nothing fitted: say what was left out
            break
        passes += 1
        blanks += sum(st.placeholder for st in plan.steps)
        resolved = plan.resolves
        applied.extend(f for f in findings if f.rule_id in resolved)
        left_out.extend(plan.left_out)
        # The planner's own needs are answered once; another pack's rule may fix one more
        # finding per round, but an insertion that comes back is not inserted again.
        done_rules |= resolved & PLANNED
        seen_asks |= {f.excerpt for f in report.findings if f.rule_id == "job-ask"}
        done_inserts |= {_fix_key(f) for f in findings if f.rule_id in resolved - PLANNED}
        text, report, ctx, current = new_text, new_report, new_ctx, new_draft
    final = report.score
    if blanks and final.verdict.startswith("Ready to send"):
        # Bracketed blanks are not an email anyone should send as is.
        final = final.model_copy(update={
            "verdict": f"Fill in the {blanks} [bracketed] blank(s) first; then it is ready."})
    return FixResult(text=text, original=original, applied=tuple(applied),
                     remaining=report.findings, passes=passes, score=final,
                     left_out=tuple(dict.fromkeys(left_out)), placeholders=blanks,
                     not_a_request=None if purpose in (None, Purpose.REQUEST) else purpose.value)


def plan_fix(
    source: Source,
    *,
    unsafe: bool = False,
    placeholders: bool = False,
    medium: str | None = None,
    config: ConfigArg = None,
) -> tuple[Report, Plan | None]:
    """The report of a draft and the first edit plan `fix()` would apply (None: not checked).

    For editors and tests: `apply_edits(report.text, plan.edits)` is fix()'s first round.
    """
    from .rewrite import Settings, plan_for

    cfg = _config_for(source, config, None)
    draft = parse(source)
    report, ctx = _lint(draft, cfg, with_context=True)
    if ctx is None:
        return report, None
    med = medium or (cfg.medium if cfg.medium != "auto" else None)
    settings = Settings(unsafe=unsafe, placeholders=placeholders,
                        subject_editable=draft.source_kind != "eml")
    return report, plan_for(draft, ctx, report.findings, ruleset_for(cfg), settings, medium=med)


def _hidden_characters(folded: Folded) -> Finding:
    """The fix that replaces hidden characters and look-alike letters with plain ones."""
    edits: list[Edit] = []
    pos = 0  # next original offset not yet accounted for
    for i, o in enumerate(folded.origin):
        if o > pos:  # original characters dropped before this one (zero-width)
            edits.append(Edit(span=Span(start=pos, end=o), replacement=""))
        if folded.original[o] != folded.text[i]:
            edits.append(Edit(span=Span(start=o, end=o + 1), replacement=folded.text[i]))
        pos = o + 1
    if pos < len(folded.original):
        edits.append(Edit(span=Span(start=pos, end=len(folded.original)), replacement=""))
    fx = Fix(title="Replace hidden characters and look-alike letters with plain ones",
             edits=tuple(edits), applicability=Applicability.SAFE)
    return Finding(rule_id="hidden-characters", category="format", severity=Severity.WARNING,
                   message="The draft had hidden characters or look-alike letters inside words;"
                   " they were replaced with plain ones.",
                   span=Span(start=0, end=0), segment=None, excerpt="", fixes=(fx,))


def _words_limit(rs: Any, words: int) -> int:
    from .rewrite import words_limit

    return words_limit(rs) or max(words, 1)


def _reparse(draft: Draft, text: str) -> Draft:
    parsed = parse(text)
    # A message keeps its attachments across passes (they are not in the text).
    return Draft(parsed.text, parsed.segments, draft.source_kind, draft.spans_refer_to,
                 parsed.headers, draft.attachments, ())


def _fix_key(finding: Finding) -> tuple[str, str]:
    """An insertion-only fix by what it inserts (so one that comes back is not applied twice);
    any other finding gets a key no applied fix has."""
    fx = next((x for x in finding.fixes if x.edits), None)
    if fx is None or not all(len(e.span) == 0 for e in fx.edits):
        return finding.rule_id, f"@{finding.span.start}:{finding.excerpt}"
    return finding.rule_id, "|".join(e.replacement for e in fx.edits)


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
            if skip and _is_insertion(fx) and _fix_key(finding) in skip:
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
    "lint_partition", "plan_fix", "prepare",
]
