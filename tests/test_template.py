"""Template placeholders and instructions: not the writer's words, offsets kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import outreach_lint as ol
from outreach_lint.draft import parse
from outreach_lint.nlp import masked_text
from outreach_lint.template import neutralise, template_parts


def test_placeholders_become_one_neutral_token_each() -> None:
    text = "Hi [Name], I saw the {role} opening at <Company> and {{team}} on ____."
    out = neutralise(text)
    assert len(out) == len(text)
    assert "[" not in out and "{" not in out and "<" not in out and "_" not in out
    assert out.count("Xxx") == 5
    assert "role" not in out  # a placeholder is not the job word it names


def test_instructions_are_blanked_not_read() -> None:
    text = "Thanks! [Add one line about why their work interests you] Best."
    parts = template_parts(text)
    assert [p.kind for p in parts] == ["instruction"]
    assert neutralise(text) == "Thanks! " + " " * (len(text) - 14) + " Best."


def test_emails_links_and_tags_are_not_placeholders() -> None:
    text = "Write to <dana@example.org> or see <https://example.org>; </b> is html."
    assert template_parts(text) == []


def test_a_bracketed_role_name_is_not_a_job_ask() -> None:
    filled = ol.lint("Hi Dana,\n\nAre you hiring for the analyst role?\n\nBest,\nSam")
    template = ol.lint("Hi [Name],\n\nI'd love to hear how you became a [ROLE NAME].\n\nBest,\n[Me]")
    assert any(f.rule_id == "job-ask" for f in filled.findings)
    assert not any(f.rule_id == "job-ask" for f in template.findings)


def test_a_reply_subject_is_not_the_writers_words() -> None:
    text = "Subject: Re: openings on your team?\n\nHi Dana,\n\nThanks for your reply.\n\nBest,\nSam\n"
    masked = masked_text(parse(text))
    assert "openings" not in masked and "Thanks for your reply." in masked
    assert not any(f.rule_id == "job-ask" for f in ol.lint(text).findings)


@given(st.text(alphabet=st.sampled_from(list("ab [](){}<>_/ \nXx.,")), max_size=120))
def test_neutralising_keeps_every_offset(text: str) -> None:
    out = neutralise(text)
    assert len(out) == len(text)
    # Outside template parts nothing changes; newlines are never moved.
    inside = set()
    for p in template_parts(text):
        inside.update(range(p.start, p.end))
    for i, (a, b) in enumerate(zip(text, out, strict=True)):
        if i not in inside or a in "\n\r":
            assert a == b
