"""The server's pure parts: position conversion, incremental changes, settings, hover text."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

import outreach_lint as ol
from outreach_lint.lsp import convert, settings
from outreach_lint.models import LineIndex, PositionEncoding


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


@pytest.mark.parametrize(
    ("encoding", "column"), [("utf-16", 9), ("utf-8", 17), ("utf-32", 8)]
)
def test_to_range_counts_columns_in_the_encoding(encoding: PositionEncoding,
                                                 column: int) -> None:
    text = "a\n😀\u2028 x 数据 word"
    start = text.index("word")
    rng = convert.to_range(LineIndex(text), ol.Span(start=start, end=start + 4), encoding)
    assert rng.start == pos(1, column)
    assert convert.to_offset(LineIndex(text), rng.start, encoding) == start


def test_incremental_change_ignores_unicode_line_separators() -> None:
    text = "one\u2028two\nthree\x85four\x0cfive"
    # Editors see two lines: "one\u2028two" and "three\x85four\x0cfive".
    change = types.TextDocumentContentChangePartial(
        range=types.Range(start=pos(1, 0), end=pos(1, 5)), text="THREE")
    assert convert.apply_change(text, change, "utf-16") == "one\u2028two\nTHREE\x85four\x0cfive"
    emoji = types.TextDocumentContentChangePartial(
        range=types.Range(start=pos(0, 2), end=pos(0, 2)), text="!")
    assert convert.apply_change("😀x", emoji, "utf-16") == "😀!x"
    assert convert.apply_change("😀x", emoji, "utf-32") == "😀x!"
    whole = types.TextDocumentContentChangeWholeDocument(text="new")
    assert convert.apply_change(text, whole, "utf-8") == "new"


def test_encoding_names() -> None:
    assert convert.encoding_name(types.PositionEncodingKind.Utf8) == "utf-8"
    assert convert.encoding_name("utf-32") == "utf-32"
    assert convert.encoding_name(None) == "utf-16"
    assert convert.encoding_name("latin-1") == "utf-16"


@pytest.mark.parametrize(
    ("kind", "only", "wanted"),
    [
        ("quickfix", None, True),
        ("quickfix", ["source"], False),
        (convert.FIX_ALL_KIND, ["source"], True),
        (convert.FIX_ALL_KIND, ["source.fixAll"], True),
        (convert.FIX_ALL_KIND, ["source.fix"], False),
        (convert.FIX_ALL_KIND, ["quickfix"], False),
    ],
)
def test_kind_hierarchy(kind: str, only: list[str] | None, wanted: bool) -> None:
    assert convert.kind_wanted(kind, only) is wanted


def test_quick_fix_titles_and_preference() -> None:
    text = "Hi Dana,\n\nDo you have any openings on your team?\n\nBest,\nSam"
    report = ol.lint(text)
    index = LineIndex(text)
    actions: list[types.CodeAction] = []
    preferred = False
    for finding in report.findings:
        found = convert.quick_fixes(finding, "untitled:x", text, index, "utf-16",
                                    preferred_taken=preferred)
        preferred = preferred or any(a.is_preferred for a in found)
        actions.extend(found)
    assert sum(1 for a in actions if a.is_preferred) == 1
    first_safe = next(a for a, (f, fx) in zip(actions, _fixes(report), strict=True)
                      if fx.applicability is ol.Applicability.SAFE)
    assert first_safe.is_preferred
    assert any("review the wording" in a.title for a in actions), "unsafe fixes are marked"


def _fixes(report: ol.Report) -> list[tuple[ol.Finding, ol.Fix]]:
    return [(f, fx) for f in report.findings for fx in f.fixes if fx.edits]


def test_display_only_fix_without_edits_is_skipped() -> None:
    finding = ol.Finding(
        rule_id="x", category="tone", severity=ol.Severity.INFO, message="m",
        span=ol.Span(start=0, end=2), excerpt="Hi",
        fixes=(ol.Fix(title="Think about it", edits=(),
                      applicability=ol.Applicability.DISPLAY_ONLY),
               ol.Fix(title="Say hello", applicability=ol.Applicability.DISPLAY_ONLY,
                      edits=(ol.Edit(span=ol.Span(start=0, end=2), replacement="Hello"),))),
    )
    actions = convert.quick_fixes(finding, "untitled:x", "Hi", LineIndex("Hi"), "utf-16",
                                  preferred_taken=False)
    assert [a.title for a in actions] == ["Suggestion: Say hello (x)"]
    assert actions[0].is_preferred is None


def test_hover_markdown_has_why_source_and_examples() -> None:
    job = next(r for r in ol.rules() if r.id == "job-ask")
    rule = job.model_copy(update={
        "why": "Because.",
        "sources": (ol.SourceInfo(title="The seed post", url="https://example.org/seed"),),
        "examples": ol.ExamplesInfo(fail=("Do you have openings?",), pass_=("Could we talk?",)),
    })
    finding = ol.lint("Hi Dana, do you have any openings on your team?").findings[0]
    text = convert.hover_markdown(finding, convert.rule_doc(rule))
    for part in ("**Why:** Because.", "*Source:* The seed post <https://example.org/seed>",
                 "Do you have openings?", "Could we talk?", "```text"):
        assert part in text
    assert "**" not in convert.hover_plaintext(text)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (None, None),
        ({}, {}),
        ({"ignore": ["job-ask"]}, {"ignore": ["job-ask"]}),
        ({"outreach-lint": {"fail_under": 70}}, {"fail-under": 70}),
        ({"outreach-lint": None}, {}),
    ],
)
def test_settings_extract_and_normalise(payload: object,
                                        expected: dict[str, object] | None) -> None:
    raw = settings.extract(payload)
    got = None if raw is None else settings.normalise(raw, None)
    assert got == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([1], "settings must be an object"),
        ({"outreach-lint": 3}, "'outreach-lint' must be an object"),
        ({"ignroe": []}, "unknown key 'ignroe'"),
        ({"ignore": "job-ask"}, "key 'ignore': expected a list of strings"),
        ({"rules": {"job-ask": "off"}}, "key 'rules'"),
        ({"fail-under": 120}, "key 'fail-under'"),
        ({"extends": ["../base.toml"]}, "key 'extends'"),
    ],
)
def test_settings_errors_name_the_key(payload: object, message: str) -> None:
    with pytest.raises(settings.SettingsError, match=message.replace("(", r"\(")):
        raw = settings.extract(payload)
        assert raw is not None
        settings.normalise(raw, None)


def test_settings_pack_paths_resolve_against_the_workspace(tmp_path: Path) -> None:
    got = settings.normalise({"packs": ["./my-pack"]}, tmp_path)
    assert got["packs"] == [str((tmp_path / "my-pack").resolve())]


def test_settings_merge_rules_per_rule() -> None:
    base = {"ignore": ["a"], "rules": {"too-long": {"words-warning": 150, "severity": "info"}}}
    over = {"ignore": [], "rules": {"too-long": {"severity": "error"}}}
    assert settings.merge(base, over) == {
        "ignore": [], "rules": {"too-long": {"words-warning": 150, "severity": "error"}}}
