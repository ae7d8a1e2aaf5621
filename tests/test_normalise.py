"""Issue 16, finding 10: hidden characters and look-alike letters cannot hide a job ask, spans
still index the text as written, CR-only drafts stay CR-only after `fix`.

(`select = []` is a config error: tests/test_config.py::test_user_config_mistakes_are_config_errors
and test_select_on_the_command_line_cannot_be_empty.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import outreach_lint as ol
from outreach_lint.cli import cli

# The hidden characters to test with (normalise.INVISIBLE holds more); normalise's own names
# are imported inside the tests, so the behaviour tests also run against the old code.
HIDDEN_CHARS = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u180e")

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.txt"))
HIDDEN = "Hi Dana,\n\nAre you h{0}iring? Do you have any op{0}enings on your t{0}eam?\n\nBest,\nSam"
# Latin letter -> a Cyrillic / Greek letter drawn the same.
DISGUISE = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
            "j": "ј", "s": "ѕ", "h": "һ", "d": "ԁ", "O": "Ο", "A": "Α", "T": "Т", "H": "Η"}


def job_asks(report: ol.Report) -> list[ol.Finding]:
    return [f for f in report.findings if f.rule_id == "job-ask"]


def codes(report: ol.Report) -> list[str]:
    return [n.code for n in report.notices]


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"],
                         ids=["zwsp", "zwnj", "zwj", "word-joiner", "soft-hyphen", "bom"])
def test_zero_width_characters_do_not_hide_a_job_ask(char: str) -> None:
    text = HIDDEN.format(char)
    report = ol.lint(text)
    asks = job_asks(report)
    assert len(asks) == 2, [f.rule_id for f in report.findings]
    assert all(f.excerpt == text[f.span.start : f.span.end] for f in report.findings)
    assert char in asks[0].excerpt  # the span covers the word as written, hidden char included
    assert "hidden-characters" in codes(report)
    assert report.text == text


@pytest.mark.parametrize("disguised", [
    "Are you h\u0456ring? Do you have any \u043epenings on y\u043eur team?",   # Cyrillic
    "Are you h\u03b9ring? Do you have any \u03bfpenings on y\u03bfur team?",   # Greek
    "Are you ｈｉｒｉｎｇ? Do you have any ｏｐｅｎｉｎｇｓ on your team?",       # fullwidth
], ids=["cyrillic", "greek", "fullwidth"])
def test_look_alike_letters_do_not_hide_a_job_ask(disguised: str) -> None:
    text = f"Hi Dana,\n\n{disguised}\n\nBest,\nSam"
    report = ol.lint(text)
    assert len(job_asks(report)) == 2
    assert "hidden-characters" in codes(report)
    for f in report.findings:
        assert f.excerpt == text[f.span.start : f.span.end]


def test_no_notice_when_nothing_changed_what_matched() -> None:
    from outreach_lint.normalise import fold

    # An emoji ZWJ sequence and a soft hyphen in a harmless word: folded, but nothing changes.
    text = "Hi Dana,\n\nI loved your talk 👩‍💻 on acces\u00adsibility.\n\nBest,\nSam"
    assert fold(text) is not None
    plain = ol.lint(text.replace("\u00ad", "").replace("\u200d", ""))
    report = ol.lint(text)
    assert [f.rule_id for f in report.findings] == [f.rule_id for f in plain.findings]
    assert "hidden-characters" not in codes(report)


def test_other_alphabets_are_left_alone() -> None:
    from outreach_lint.normalise import fold

    russian = "Здравствуйте, Дана! Есть ли у вас вакансии? Спасибо, Сэм"
    greek = "Γεια σας, Ντάνα. Ευχαριστώ πολύ."
    assert fold(russian) is None and fold(greek) is None
    mixed = "Привет! I'd love a job at your company, сор."  # mostly Latin: 'сор' -> 'cop'
    folded = fold(mixed)
    assert folded is not None and "Привет" in folded.text and folded.text.endswith("cop.")


def test_fix_rewrites_the_hidden_ask_and_keeps_the_rest() -> None:
    text = HIDDEN.format("\u200b")
    result = ol.fix(text, unsafe=True)
    assert not job_asks(ol.lint(result.text))
    assert result.text.startswith("Hi Dana,") and result.text.rstrip().endswith("Sam")


# ------------------------------------------------------------------ offsets are sacred

_PIECES = st.one_of(
    st.sampled_from(HIDDEN_CHARS),
    st.sampled_from(sorted(DISGUISE.values())),
    st.sampled_from(["job", "hiring", " ", "\n", "?", "ｊ", "𝐨", "é", "д", "ж", "1", "_"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=4),
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_folded_offsets_map_back_exactly(text: str) -> None:
    from outreach_lint.normalise import INVISIBLE, fold, lookalike

    folded = fold(text)
    if folded is None:
        return
    origin = folded.origin
    assert len(origin) == len(folded.text)
    assert list(origin) == sorted(set(origin)), "the map is not strictly increasing"
    for i, o in enumerate(origin):
        assert folded.text[i] in (text[o], lookalike(text[o]))
    dropped = set(range(len(text))) - set(origin)
    assert all(text[o] in INVISIBLE for o in dropped), "a visible character was dropped"
    for a in range(len(folded.text) + 1):
        for b in range(a, min(len(folded.text), a + 6) + 1):
            span = folded.to_original(a, b)
            inside = set(range(span.start, span.end))
            assert set(origin[a:b]) <= inside
            assert all(text[o] in INVISIBLE for o in inside - set(origin[a:b]))


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLES), st.data())
def test_lint_spans_map_back_to_the_text_as_written(path: Path, data: st.DataObject) -> None:
    clean = path.read_text(encoding="utf-8")
    assert clean.isascii() or not any(c in HIDDEN_CHARS or c in DISGUISE.values() for c in clean)
    # Disguise: hidden characters before some characters, look-alikes for some letters.
    out: list[str] = []
    where: list[int] = []  # clean offset -> disguised offset
    plan = data.draw(st.lists(st.integers(0, 9), min_size=len(clean), max_size=len(clean)))
    for c, roll in zip(clean, plan, strict=True):
        if roll == 0:
            out.append(data.draw(st.sampled_from(HIDDEN_CHARS)))
        where.append(len(out))
        out.append(DISGUISE[c] if roll == 1 and c in DISGUISE else c)
    disguised = "".join(out)

    def moved(s: ol.Span) -> ol.Span:
        start = where[s.start] if s.start < len(where) else len(disguised)
        return ol.Span(start=start, end=where[s.end - 1] + 1 if s.end > s.start else start)

    want = ol.lint(clean)
    got = ol.lint(disguised)
    assert got.text == disguised
    assert [(f.rule_id, moved(f.span)) for f in want.findings] == [
        (f.rule_id, f.span) for f in got.findings]
    for w, g in zip(want.findings, got.findings, strict=True):
        assert g.excerpt == disguised[g.span.start : g.span.end]
        assert [[moved(e.span) for e in fx.edits] for fx in w.fixes] == [
            [e.span for e in fx.edits] for fx in g.fixes]
    assert got.score == want.score


# ------------------------------------------------------------------ CR-only line endings


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_cr_only_draft_keeps_cr_only_line_endings(path: Path) -> None:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r")
    for unsafe in (False, True):
        fixed = ol.fix(text, unsafe=unsafe).text
        assert "\n" not in fixed, f"fix mixed line endings into a CR-only draft: {fixed!r:.300}"


def test_fix_in_place_keeps_a_cr_only_file_cr_only(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    draft = tmp_path / "draft.txt"
    blunt = next(p for p in EXAMPLES if p.stem == "blunt-job-ask")
    draft.write_bytes(blunt.read_text().replace("\n", "\r").encode())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["fix", "--unsafe", "draft.txt"])
    assert "applied 0 fixes" not in result.stderr
    data = draft.read_bytes()
    assert b"\r" in data and b"\n" not in data
