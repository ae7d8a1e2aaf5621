"""fix(): what it changes, what it never changes, and how it orders overlapping fixes."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

import outreach_lint as ol
from outreach_lint.api import choose_fixes
from outreach_lint.draft import parse
from outreach_lint.models import Applicability, Edit, Finding, Fix, SegmentKind, Severity, Span

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BLUNT = EXAMPLES / "blunt-job-ask.txt"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".eml"))
KEPT = (SegmentKind.GREETING, SegmentKind.SIGNOFF, SegmentKind.SIGNATURE)


def kept_parts(text: str) -> list[tuple[SegmentKind, str]]:
    d = parse(text)
    return [(s.kind, s.span.text(d.text)) for s in d.segments if s.kind in KEPT]


def errors(findings: tuple[Finding, ...]) -> list[str]:
    return sorted(f.rule_id for f in findings if f.severity is Severity.ERROR)


# --------------------------------------------------------------------------- blunt-job-ask


def test_unsafe_fix_of_blunt_job_ask_clears_every_error() -> None:
    before = ol.lint(BLUNT)
    assert errors(before.findings), "the example should start with error-level findings"
    result = ol.fix(BLUNT, unsafe=True)
    assert result.changed
    assert result.original == BLUNT.read_text(encoding="utf-8")
    assert errors(result.remaining) == []
    assert errors(ol.lint(result.text).findings) == []
    assert result.passes >= 1 and result.applied


def test_unsafe_fix_keeps_greeting_signoff_and_signature() -> None:
    original = BLUNT.read_text(encoding="utf-8")
    result = ol.fix(BLUNT, unsafe=True)
    assert kept_parts(original)  # greeting, sign-off and signature are all there
    assert kept_parts(result.text) == kept_parts(original)
    assert result.text.endswith(original[original.rindex("Thanks,"):])


def test_fix_of_a_path_and_of_its_text_agree() -> None:
    text = BLUNT.read_text(encoding="utf-8")
    assert ol.fix(BLUNT, unsafe=True).text == ol.fix(text, unsafe=True).text


# --------------------------------------------------------------------------- safe fixes

SAFE_DRAFTS = [
    "Hi Dana,\n\nI'd love to hear how you moved into research.\n\nBest,\nSam",
    "Hi Dana,\n\nWould you be open to a Zoom call?\n\nBest,\nSam",
    "Hi Dana,\n\nAre you hiring? Could we meet for an hour?\n\nBest,\nSam",
    "Dear Dr. Smith,\r\n\r\nCould we grab lunch next Tuesday?\r\n\r\nThank you,\r\nSam Lee\r\n",
    "Could we talk?",
]


@pytest.mark.parametrize("source", EXAMPLE_FILES + SAFE_DRAFTS)
def test_safe_fix_never_introduces_an_error(source: str) -> None:
    src: str | Path = EXAMPLES / source if source in EXAMPLE_FILES else source
    before = ol.lint(src)
    result = ol.fix(src, unsafe=False)
    after = ol.lint(result.text)
    for rule_id in set(errors(after.findings)):
        assert errors(after.findings).count(rule_id) <= errors(before.findings).count(rule_id), (
            f"a safe fix added a {rule_id} error:\n{result.text}"
        )
    # safe fixes only: every applied finding offered a safe fix
    for f in result.applied:
        assert any(fx.applicability is Applicability.SAFE for fx in f.fixes), f.rule_id


@pytest.mark.parametrize("source", SAFE_DRAFTS)
def test_safe_fixes_only_insert(source: str) -> None:
    # The built-in safe fixes are insertions: the original text survives as a subsequence.
    result = ol.fix(source, unsafe=False)
    it = iter(result.text)
    assert all(ch in it for ch in source), result.text


def test_fix_is_deterministic() -> None:
    for src in (BLUNT, *SAFE_DRAFTS):
        for unsafe in (False, True):
            a, b = ol.fix(src, unsafe=unsafe), ol.fix(src, unsafe=unsafe)
            assert a.text == b.text
            assert [f.rule_id for f in a.applied] == [f.rule_id for f in b.applied]
            assert a.remaining == b.remaining and a.passes == b.passes


def test_fix_result_matches_a_fresh_lint() -> None:
    result = ol.fix(BLUNT, unsafe=True)
    assert result.remaining == ol.lint(result.text).findings


# --------------------------------------------------------------------------- choose_fixes


def finding(rule_id: str, start: int, end: int, *edits: tuple[int, int, str],
            applicability: Applicability = Applicability.SAFE) -> Finding:
    fx = Fix(title=f"fix {rule_id}", applicability=applicability,
             edits=tuple(Edit(span=Span(start=s, end=e), replacement=r) for s, e, r in edits))
    return Finding(rule_id=rule_id, category="ask", severity=Severity.WARNING, message="m",
                   span=Span(start=start, end=end), excerpt="x" * (end - start), fixes=(fx,))


def test_overlapping_fixes_are_deferred_to_a_later_pass() -> None:
    a = finding("a", 0, 10, (0, 10, "AAA"))
    b = finding("b", 5, 15, (5, 15, "BBB"))  # overlaps a
    c = finding("c", 20, 25, (20, 25, "CCC"))
    chosen = choose_fixes([c, b, a], unsafe=False)
    assert [f.rule_id for f, _ in chosen] == ["a", "c"]  # source order; b waits
    # next pass, once a has been applied and is no longer reported, b goes in
    assert [f.rule_id for f, _ in choose_fixes([b], unsafe=False)] == ["b"]


def test_insertions_at_one_point_overlap() -> None:
    a = finding("a", 5, 5, (5, 5, " one."))
    b = finding("b", 5, 5, (5, 5, " two."))
    assert [f.rule_id for f, _ in choose_fixes([a, b], unsafe=False)] == ["a"]


def test_adjacent_edits_do_not_overlap() -> None:
    a = finding("a", 0, 5, (0, 5, "A"))
    b = finding("b", 5, 9, (5, 9, "B"))
    c = finding("c", 10, 10, (10, 10, "C"))  # an insertion away from both
    chosen = choose_fixes([a, b, c], unsafe=False)
    assert [f.rule_id for f, _ in chosen] == ["a", "b", "c"]
    text = ol.apply_edits("0123456789", [e for _, fx in chosen for e in fx.edits])
    assert text == "AB9C"


def test_insertion_touching_a_rewritten_span_waits() -> None:
    # Its anchor sentence is being replaced: it is placed against the new text next pass.
    b = finding("b", 5, 9, (5, 9, "B"))
    c = finding("c", 9, 9, (9, 9, "C"))
    assert [f.rule_id for f, _ in choose_fixes([b, c], unsafe=False)] == ["b"]
    assert [f.rule_id for f, _ in choose_fixes([c], unsafe=False)] == ["c"]


def test_a_fix_whose_own_edits_overlap_is_never_chosen() -> None:
    bad = finding("bad", 0, 10, (0, 6, "x"), (4, 10, "y"))
    assert choose_fixes([bad], unsafe=True) == []


def test_choose_fixes_respects_applicability_and_skip() -> None:
    safe = finding("safe", 0, 3, (0, 3, "S"))
    unsafe = finding("unsafe", 4, 6, (4, 6, "U"), applicability=Applicability.UNSAFE)
    display = finding("display", 7, 8, applicability=Applicability.DISPLAY_ONLY)
    assert [f.rule_id for f, _ in choose_fixes([safe, unsafe, display], unsafe=False)] == ["safe"]
    assert [f.rule_id for f, _ in choose_fixes([safe, unsafe, display], unsafe=True)] == [
        "safe", "unsafe"]
    from outreach_lint.api import _fix_key

    text = "0123456789"
    # An insertion that comes back after it was applied is skipped (it would loop) ...
    ins = finding("ins", 3, 3, (3, 3, "!"))
    assert choose_fixes([ins], unsafe=False, skip={_fix_key(ins)},
                        text=text) == []
    assert choose_fixes([ins], unsafe=False, skip={("other", "x")}, text=text)
    # ... but a replacement recurring on new text is applied, and a no-op never is.
    key = _fix_key(safe)
    assert choose_fixes([safe], unsafe=False, skip={key}, text=text)
    noop = finding("noop", 0, 3, (0, 3, "012"))
    assert choose_fixes([noop], unsafe=False, text=text) == []


def _with_context(api, fake_lint):  # type: ignore[no-untyped-def]
    """A stand-in for api._lint: the fake report, with the real per-draft context."""
    real_lint = api._lint

    def lint_with_context(draft, cfg, doc=None, *, with_context=False):  # type: ignore[no-untyped-def]
        return fake_lint(draft, cfg), real_lint(draft, cfg, doc, with_context=True)[1]

    return lint_with_context


def test_fix_applies_deferred_fixes_in_later_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two rules whose fixes both rewrite "Hi" would collide; fix() must apply one per pass.
    text = "Hi there.\n"
    import outreach_lint.api as api

    def fake_lint(draft, cfg):  # mirrors lint_draft
        t = draft.text
        fs = []
        if t.startswith("Hi "):
            fs.append(finding("first", 0, 2, (0, 2, "Hello")))
            fs.append(finding("second", 0, 2, (0, 2, "Hey")))
        elif t.startswith("Hello") and "!" not in t:
            fs.append(finding("second", 0, 5, (5, 5, "!")))
        return ol.Report(source_kind="text", spans_refer_to="source", text=t,
                         findings=tuple(fs), score=real.score, stats=real.stats)

    real = ol.lint("Hi Dana,\n\nhello.\n")
    monkeypatch.setattr(api, "_lint", _with_context(api, fake_lint))
    result = ol.fix(text)
    assert result.text == "Hello! there.\n"
    assert result.passes == 2
    assert [f.rule_id for f in result.applied] == ["first", "second"]


# --------------------------------------------------------------------------- regressions and known bugs


def test_identical_fixes_for_different_findings_are_all_applied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import outreach_lint.api as api

    real = ol.lint("Hi Dana,\n\nhello.\n")

    def fake_lint(draft, cfg):  # like a rule with max_findings: 1
        t = draft.text
        i = t.find("bad")
        fs = (finding("r", i, i + 3, (i, i + 3, "good")),) if i >= 0 else ()
        return ol.Report(source_kind="text", spans_refer_to="source", text=t, findings=fs,
                         score=real.score, stats=real.stats)

    monkeypatch.setattr(api, "_lint", _with_context(api, fake_lint))
    once = ol.fix("bad, bad and bad.")
    assert once.text == "good, good and good."
    assert ol.fix(once.text).text == once.text


def test_job_ask_rewrite_does_not_swallow_the_rest_of_the_sentence() -> None:
    # Regression: captures were case-insensitive, so \p{Lu} in the org capture took
    # "Northwind and how I" as the organisation name.
    text = ("Hi Dana,\n\nI would like to talk about open positions at Northwind and how I could"
            " fit in.\n\nBest,\nSam")
    result = ol.fix(text, unsafe=True, config={"select": ["job-ask"]})
    assert result.changed
    assert "and how I and" not in result.text
    assert "Northwind and how" not in result.text


def test_capture_regexes_are_case_sensitive() -> None:
    from outreach_lint.rules.fixes import CaptureSet

    class _Ctx:
        class analysis:  # mimics Context.analysis
            text = "open positions at Northwind and how I could fit in"

    caps = CaptureSet({"org": r"\bat\s+(\p{Lu}\w*(?:\s+\p{Lu}\w*){0,3})"})
    assert caps.values(_Ctx(), None)["org"] == "Northwind"  # type: ignore[arg-type]


def test_unsafe_fix_keeps_the_subject_a_subject() -> None:
    # Regression: job-ask's rewrite used to replace the subject with a full body sentence.
    result = ol.fix(BLUNT, unsafe=True)
    subject = parse(result.text).subject or ""
    assert len(subject.split()) <= 12 and not subject.endswith(".")


def test_an_organisation_capture_stops_at_the_end_of_its_sentence() -> None:
    # Regression: the org capture allowed "." inside a name, so "at Acme. Do you ..." gave the
    # organisation "Acme. Do" and the rewrite read "your experience at Acme. Do and what ...".
    text = ("Hi Dana,\n\nI'm a junior analyst at Acme. Do you have any openings on your team?"
            "\n\nBest,\nSam\n")
    result = ol.fix(text, unsafe=True, config={"select": ["job-ask", "missing-info-framing"]})
    assert regex.search(r"at Acme(?![.] Do)\b", result.text.split("Acme. Do you")[-1]) or \
        "Acme" not in result.text.split("analyst at Acme.")[-1]
    assert "Acme. Do" not in result.text.replace("at Acme. Do you", "")
    assert not [f for f in result.remaining if f.rule_id == "job-ask"]
