"""How a rule's fix spec becomes edits (rules/fixes.py) and how the planner applies them
(api.fix): templates, captures, casing, insertions, deletions, and the pass limit."""

from __future__ import annotations

import pytest

import outreach_lint as ol
from outreach_lint.api import MAX_FIX_PASSES, _conflict, apply_edits
from outreach_lint.draft import parse
from outreach_lint.models import Applicability, Edit, Span
from outreach_lint.nlp import Analysis
from outreach_lint.rules.context import Context
from outreach_lint.rules.detect import Hit
from outreach_lint.rules.fixes import (
    CaptureSet,
    build_fix,
    insertion_edit,
    newline_of,
    pick_template,
    preserve_case,
    template_fields,
)
from outreach_lint.rules.schema import FixSpec


def ctx_of(text: str) -> Context:
    draft = parse(text)
    return Context(draft, Analysis(draft))


def test_template_fields_and_picking_the_most_specific() -> None:
    assert template_fields("at {org} in {field}") == {"org", "field"}
    assert template_fields("plain") == set()
    templates = ["about {role} at {org}", "at {org}", "plain"]
    assert pick_template(templates, {"org": "Acme"}) == "at Acme"
    assert pick_template(templates, {"org": "Acme", "role": "design"}) == "about design at Acme"
    assert pick_template(templates, {}) == "plain"
    assert pick_template(templates, {"org": "Acme"}, avoid={"at Acme"}) == "plain"
    assert pick_template(["{x}"], {}) is None


@pytest.mark.parametrize(("original", "replacement", "expected"), [
    ("OPENINGS", "roles", "ROLES"),
    ("Openings", "roles", "Roles"),
    ("openings", "Roles", "roles"),
    ("openings", "I'd love to", "I'd love to"),
    ("openings", "I’m glad", "I’m glad"),
    ("openings", "NASA work", "NASA work"),
    ("openings", "A role", "a role"),
    ("I", "me", "Me"),
    ("x", "", ""),
])
def test_preserve_case(original: str, replacement: str, expected: str) -> None:
    assert preserve_case(original, replacement) == expected


def test_newline_of() -> None:
    assert newline_of("a\r\nb") == "\r\n" and newline_of("a\nb") == "\n" and newline_of("") == "\n"


def test_captures_come_from_the_hit_then_the_sentence_then_the_draft() -> None:
    text = "Hi Dana,\n\nI admire Acme. I work at Globex now.\n\nBest,\nSam"
    ctx = ctx_of(text)
    caps = CaptureSet({"org": r"\b(?:at|admire)\s+(\p{Lu}\w+)"})
    second = Span(start=text.index("I work"), end=text.index("now.") + 4)
    assert caps.values(ctx, second) == {"org": "Globex"}
    assert caps.values(ctx, None) == {"org": "Acme"}
    hit = Hit(0, 1, 0, 1, (("org", "Initech"),))
    assert caps.values(ctx, second, hit) == {"org": "Initech"}
    assert CaptureSet({"org": r"at (Nowhere)"}).values(ctx, second) == {}


def test_captured_values_are_tidied() -> None:
    ctx = ctx_of("Hi Dana,\n\nI work at “Acme  Corp”, mostly.\n\nBest,\nSam")
    caps = CaptureSet({"org": r"at (“Acme\s+Corp”,)"})
    assert caps.values(ctx, None) == {"org": "Acme Corp"}
    whole = CaptureSet({"org": r"Acme"})  # no group: the whole match
    assert whole.values(ctx, None) == {"org": "Acme"}


TEXT = "Hi Dana,\n\nI love your work. Do you have openings?\n\nBest,\nSam"


def test_insertion_as_a_sentence_or_a_paragraph() -> None:
    ctx = ctx_of(TEXT)
    end = TEXT.index("openings?") + len("openings?")
    assert insertion_edit(ctx, end, "New.", "sentence", False).replacement == " New."
    assert insertion_edit(ctx, end + 1, "New.", "sentence", False).replacement == "New."
    start = TEXT.index("I love")
    assert insertion_edit(ctx, start, "New.", "sentence", True).replacement == "New. "
    assert insertion_edit(ctx, end, "New.", "paragraph", False).replacement == "\n\nNew."
    assert insertion_edit(ctx, start, "New.", "paragraph", True).replacement == "New.\n\n"
    assert insertion_edit(ctx, 0, "New.", "paragraph", False).replacement == "New.\n\n"
    assert insertion_edit(ctx, 0, "New.", "sentence", False).replacement == "New."
    crlf = ctx_of(TEXT.replace("\n", "\r\n"))
    assert insertion_edit(crlf, 5, "New.", "paragraph", False).replacement == "\r\n\r\nNew."
    edit = insertion_edit(ctx, end, "New.", "sentence", False)
    assert edit.span == Span(start=end, end=end)


def _spec(**kw: object) -> FixSpec:
    return FixSpec.model_validate({"title": "T", "applicability": "unsafe", **kw})


def _sentence(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start=start, end=start + len(needle))


def test_replace_sentence_and_the_redundant_second_rewrite() -> None:
    ctx = ctx_of(TEXT)
    sent = _sentence(TEXT, "Do you have openings?")
    spec = _spec(replace_sentence=["I'd love your view."])
    fix = build_fix(spec, CaptureSet({}), ctx, hit=None, sentence=sent)
    assert fix is not None and fix.title == "T" and fix.applicability is Applicability.UNSAFE
    assert fix.edits == (Edit(span=sent, replacement="I'd love your view."),)
    again = build_fix(spec, CaptureSet({}), ctx, hit=None, sentence=sent, redundant=True)
    assert again is not None and again.title.startswith("Remove this sentence")
    (deletion,) = again.edits
    assert deletion.replacement == "" and deletion.span.start == sent.start - 1
    seen: set[str] = set()
    assert build_fix(spec, CaptureSet({}), ctx, hit=None, sentence=sent, avoid=seen) is not None
    assert seen == {"I'd love your view."}
    repeat = build_fix(spec, CaptureSet({}), ctx, hit=None, sentence=sent, avoid=seen)
    assert repeat is not None and repeat.edits[0].replacement == ""  # removed, not repeated
    missing = _spec(replace_sentence=["At {org}."])
    assert build_fix(missing, CaptureSet({}), ctx, hit=None, sentence=sent) is None


def test_a_rewrite_in_the_subject_uses_the_subject_templates() -> None:
    text = "Subject: Any openings?\n\nHi Dana,\n\nI love your work.\n\nBest,\nSam"
    ctx = ctx_of(text)
    subj = _sentence(text, "Any openings?")
    spec = _spec(replace_sentence=["Body."], replace_subject=["Question about your path"])
    fix = build_fix(spec, CaptureSet({}), ctx, hit=None, sentence=subj)
    assert fix is not None and fix.edits == (Edit(span=subj, replacement="Question about your path"),)
    none = _spec(replace_sentence=["Body."], replace_subject=["About {org}"])
    assert build_fix(none, CaptureSet({}), ctx, hit=None, sentence=subj) is None


def test_replace_match_keeps_case_and_delete_eats_the_space_after() -> None:
    ctx = ctx_of(TEXT)
    start = TEXT.index("openings")
    hit = Hit(start, start + len("openings"), 0, 1)
    fix = build_fix(_spec(replace_match=["Roles"]), CaptureSet({}), ctx, hit=hit, sentence=None)
    assert fix is not None and fix.edits[0].replacement == "roles"
    assert build_fix(_spec(replace_match=["{x}"]), CaptureSet({}), ctx, hit=hit,
                     sentence=None) is None
    love = TEXT.index("I love")
    word = Hit(love, love + 1, 0, 1)
    fix = build_fix(_spec(delete="match"), CaptureSet({}), ctx, hit=word, sentence=None)
    assert fix is not None and fix.edits[0].span == Span(start=love, end=love + 2)
    sent = _sentence(TEXT, "Do you have openings?")
    fix = build_fix(_spec(delete="sentence"), CaptureSet({}), ctx, hit=word, sentence=sent)
    # at the end of a line: the space before goes instead
    assert fix is not None and fix.edits[0].span == Span(start=sent.start - 1, end=sent.end)
    assert build_fix(_spec(delete="sentence"), CaptureSet({}), ctx, hit=word,
                     sentence=None) is None
    assert build_fix(_spec(delete="match"), CaptureSet({}), ctx, hit=None, sentence=None) is None


def test_insert_and_display_only() -> None:
    ctx = ctx_of(TEXT)
    spec = _spec(insert={"text": ["Thanks!"], "at": "before-signoff"})
    at = TEXT.index("\n\nBest")
    fix = build_fix(spec, CaptureSet({}), ctx, hit=None, sentence=None, insert_at=(at, False))
    assert fix is not None and fix.edits == (Edit(span=Span(start=at, end=at),
                                                  replacement=" Thanks!"),)
    assert build_fix(spec, CaptureSet({}), ctx, hit=None, sentence=None) is None
    templated = _spec(insert={"text": ["At {org}."]})
    assert build_fix(templated, CaptureSet({}), ctx, hit=None, sentence=None,
                     insert_at=(at, False)) is None
    display = FixSpec.model_validate({"title": "Trim it", "applicability": "display-only"})
    shown = build_fix(display, CaptureSet({}), ctx, hit=None, sentence=None)
    assert shown is not None and shown.edits == () and shown.title == "Trim it"
    assert build_fix(_spec(), CaptureSet({}), ctx, hit=None, sentence=None) is None


# ------------------------------------------------------------------ the planner


def test_apply_edits_in_any_order_and_refuses_overlaps_and_overruns() -> None:
    edits = [Edit(span=Span(start=4, end=5), replacement="E"),
             Edit(span=Span(start=0, end=1), replacement="A")]
    assert apply_edits("01234", edits) == "A123E"
    with pytest.raises(ValueError, match="overlaps"):
        apply_edits("01234", [Edit(span=Span(start=0, end=3), replacement=""),
                              Edit(span=Span(start=2, end=4), replacement="")])
    with pytest.raises(ValueError, match="past the text"):
        apply_edits("01", [Edit(span=Span(start=1, end=3), replacement="")])
    assert apply_edits("01", []) == "01"


@pytest.mark.parametrize(("a", "b", "conflict"), [
    ((0, 5), (5, 9), False), ((0, 5), (4, 9), True), ((5, 5), (0, 5), True),
    ((0, 5), (5, 5), True), ((0, 5), (0, 0), True), ((6, 6), (0, 5), False),
    ((0, 0), (1, 1), False), ((3, 3), (3, 3), True),
])
def test_edits_conflict_when_they_overlap_or_an_insertion_touches_a_replacement(
        a: tuple[int, int], b: tuple[int, int], conflict: bool) -> None:
    sa, sb = Span(start=a[0], end=a[1]), Span(start=b[0], end=b[1])
    assert _conflict(sa, sb) is conflict and _conflict(sb, sa) is conflict


def test_fix_stops_after_the_pass_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import outreach_lint.api as api

    real = ol.lint("Hi Dana,\n\nhello.\n")

    def forever(draft: object, cfg: object) -> ol.Report:  # a rule that always finds more
        text = draft.text  # type: ignore[attr-defined]
        # a different finding each round (the planner never answers the same one twice)
        head = text[:-1]
        fx = ol.Fix(title="grow", applicability=Applicability.SAFE,
                    edits=(Edit(span=Span(start=0, end=len(head)), replacement=head + "a"),))
        f = ol.Finding(rule_id="grow", category="ask", severity=ol.Severity.INFO, message="m",
                       span=Span(start=0, end=len(head)), excerpt=head, fixes=(fx,))
        return ol.Report(source_kind="text", spans_refer_to="source", text=text,
                         findings=(f,), score=real.score, stats=real.stats)

    real_lint = api._lint

    def forever_with_context(draft, cfg, doc=None, *, with_context=False):  # type: ignore[no-untyped-def]
        return forever(draft, cfg), real_lint(draft, cfg, doc, with_context=True)[1]

    monkeypatch.setattr(api, "_lint", forever_with_context)
    result = ol.fix("ab")
    assert result.passes == MAX_FIX_PASSES == 3
    assert result.text == "a" * (1 + MAX_FIX_PASSES) + "b"
    assert len(result.applied) == MAX_FIX_PASSES and result.original == "ab"


def test_fix_keeps_a_messages_attachments_across_passes() -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["Subject"] = "Job"
    msg.set_content("Hi Dana,\n\nDo you have any openings? I'd love to chat.\n\nBest,\nSam\n")
    msg.add_attachment(b"%PDF-1.4 resume", maintype="application", subtype="pdf",
                       filename="Sam_Resume.pdf")
    result = ol.fix(msg.as_bytes(), unsafe=True)
    assert result.passes >= 1
    assert "resume-attached" in {f.rule_id for f in result.remaining}
