"""The page in a real browser: Debian's chromium driven by Playwright for Python.

Skipped when chromium is missing, except in CI (OUTREACH_LINT_REQUIRE_INTEGRATION=1), where
that is a failure. Every test also checks the browser reported no error, so a script the
CSP blocks or a JavaScript exception fails the test.

The run saves docs/img/web.png, the screenshot shown in the README and docs/web.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import JOB_ASK, JOB_ASK_SENTENCE, ROOT, Server, require_program

import outreach_lint as ol

pytestmark = pytest.mark.integration

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 20_000
SCREENSHOT = ROOT / "docs" / "img" / "web.png"
SCREENSHOT_DRAFT = """\
Subject: Question about your move into UX research

Hi Dana,

I'm Sam, a final-year psychology student, and I enjoyed your talk on accessible forms at \
the Design Week meetup. Do you have any openings on your team? I've attached my resume.

Thanks,
Sam
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server("--workers", "1", cwd=tmp_path_factory.mktemp("serve")) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_program("chromium", "/usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A fresh browser context on the page, recording every error the browser reports."""

    def __init__(self, browser: Any, server: Server, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.expected_errors: tuple[str, ...] = ()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(server.url)
        self.page.wait_for_selector("body[data-ready]")

    def score(self) -> int:
        return int(self.page.inner_text("#score-total"))

    def value(self) -> str:
        return str(self.page.eval_on_selector("#draft", "el => el.value"))

    def active(self) -> dict[str, Any]:
        return dict(self.page.evaluate("""() => { const a = document.activeElement;
            return {id: a.id, text: a.innerText || '', rule: a.dataset ? a.dataset.rule : null}; }"""))

    def tab_to(self, test: str, limit: int = 40, back: bool = False) -> None:
        """Press Tab (or Shift+Tab) until the focused element passes `test` (a JS predicate)."""
        for _ in range(limit):
            if self.page.evaluate(f"() => ({test})(document.activeElement)"):
                return
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
        raise AssertionError(f"Tab never reached {test}; focus is on {self.active()}")

    def close(self) -> None:
        self.context.close()
        unexpected = [e for e in self.errors if not any(x in e for x in self.expected_errors)]
        assert unexpected == [], unexpected


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Page]:
    p = Page(browser, server, viewport={"width": 1280, "height": 900})
    yield p
    p.close()


def click_mark(p: Page, rule: str) -> None:
    """Click the middle of the first line of a highlight (the textarea sits on top of it)."""
    box = p.page.evaluate(f"""() => {{
        const r = document.querySelector('mark[data-rules~="{rule}"]').getClientRects()[0];
        return {{x: r.left + r.width / 2, y: r.top + r.height / 2}}; }}""")
    p.page.mouse.click(box["x"], box["y"])


def test_type_a_job_ask_open_the_highlight_apply_the_rewrite_and_count_a_note(page: Page) -> None:
    p = page.page
    p.click("#draft")
    p.keyboard.type(JOB_ASK)
    mark = p.wait_for_selector('mark[data-rules~="job-ask"]')
    # The emoji before it is two UTF-16 units: the highlight covers exactly the ask.
    assert mark.inner_text() == JOB_ASK_SENTENCE
    assert "sev-error" in (mark.get_attribute("class") or "")
    listed = p.locator('.findings button[data-rule="job-ask"]')
    assert listed.locator(".sev").inner_text().lower() == "error"  # severity in words
    before = page.score()

    click_mark(page, "job-ask")
    item = p.locator('#popover .pop-item[data-rule="job-ask"]')
    item.wait_for(state="visible")
    assert "This asks about a job" in item.inner_text()
    assert "I'd love to hear about your path" in item.locator(".rewrite").inner_text()
    item.locator("summary").click()
    assert "gathering information" in item.locator("details").inner_text()
    item.get_by_role("button", name="Apply rewrite").click()

    p.wait_for_function(f"() => Number(document.getElementById('score-total').textContent) > {before}")
    # The browser applied exactly the library's edits, though it counts in UTF-16 units.
    job = next(f for f in ol.lint(JOB_ASK, config=ol.Config()).findings if f.rule_id == "job-ask")
    assert page.value() == ol.apply_edits(JOB_ASK, job.fixes[0].edits)
    assert p.locator('mark[data-rules~="job-ask"]').count() == 0
    assert page.score() > before

    p.check("#note-mode")
    counter = p.locator("#counter")
    n = p.evaluate("document.getElementById('draft').value.length")
    assert counter.inner_text().startswith(f"{n} / 300 characters")
    p.fill("#draft", "")
    p.click("#draft")
    note = "Hi Dana 👋, could I ask you about your path into design?"
    p.keyboard.type(note)
    units = len(note) + 1  # the emoji counts 2, as in a browser's own maxlength
    assert counter.inner_text() == f"{units} / 300 characters — {300 - units} left."
    p.keyboard.type(" More." * 50)
    assert counter.inner_text().startswith(f"{units + 300} / 300 characters — {units} over the limit")


def test_keyboard_only(page: Page) -> None:
    p = page.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.tab_to("el => el.id === 'draft'")
    p.keyboard.type(JOB_ASK)
    p.wait_for_selector('.findings button[data-rule="job-ask"]')
    before = page.score()

    # To the finding in the list; Enter opens it with focus on its rewrite button.
    page.tab_to("el => el.dataset && el.dataset.rule === 'job-ask'")
    p.keyboard.press("Enter")
    p.locator("#popover").wait_for(state="visible")
    assert page.active()["text"] == "Apply rewrite"
    p.keyboard.press("Enter")
    p.wait_for_function(f"() => Number(document.getElementById('score-total').textContent) > {before}")
    assert page.active()["id"] == "draft" and JOB_ASK_SENTENCE not in page.value()
    after_rewrite = page.score()

    # Escape closes a finding and gives focus back to the list.
    p.wait_for_selector(".findings button")
    page.tab_to("el => el.closest && el.closest('.findings') !== null")
    rule = page.active()["rule"]
    p.keyboard.press("Enter")
    p.locator("#popover").wait_for(state="visible")
    p.keyboard.press("Escape")
    assert p.locator("#popover").is_hidden() and page.active()["rule"] == rule

    # Apply all safe fixes, then note mode and copy, all from the keyboard.
    page.tab_to("el => el.id === 'fix-all'")
    p.keyboard.press("Enter")
    p.wait_for_function("() => /Applied \\d+ safe fix/.test(document.getElementById('status').textContent)")
    p.wait_for_function(f"() => Number(document.getElementById('score-total').textContent) > {after_rewrite}")
    page.tab_to("el => el.id === 'note-mode'", back=True)
    p.keyboard.press("Space")
    units = len(page.value().encode("utf-16-le")) // 2
    assert p.locator("#counter").inner_text().startswith(f"{units} / 300")
    page.tab_to("el => el.id === 'copy'")
    p.keyboard.press("Enter")
    p.wait_for_function("() => document.getElementById('status').textContent.startsWith('Copied')")
    assert p.evaluate("navigator.clipboard.readText()") == page.value()


def test_an_eml_dropped_on_the_box_is_read(page: Page) -> None:
    p = page.page
    raw = (ROOT / "fuzz" / "seeds" / "eml" / "resume-attached.eml").read_bytes()
    p.evaluate("""(bytes) => {
        const file = new File([new Uint8Array(bytes)], 'draft.eml', {type: 'message/rfc822'});
        const dt = new DataTransfer();
        dt.items.add(file);
        document.getElementById('editor').dispatchEvent(
            new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", list(raw))
    p.wait_for_selector('.findings button[data-rule="resume-attached"]')
    assert page.value().startswith("Subject:")
    assert "Opened draft.eml" in p.inner_text("#status")


def test_an_eml_opened_with_the_file_button(page: Page, tmp_path: Path) -> None:
    eml = tmp_path / "dana.eml"
    eml.write_bytes((ROOT / "fuzz" / "seeds" / "eml" / "resume-attached.eml").read_bytes())
    page.page.set_input_files("#file", str(eml))
    page.page.wait_for_selector('.findings button[data-rule="resume-attached"]')


def test_bad_input_shows_the_servers_message_not_a_crash(page: Page) -> None:
    p = page.page
    page.expected_errors = ("status of 413",)  # the browser's own note on a 4xx answer
    p.fill("#draft", "x" * 100_001)
    p.wait_for_function("() => document.getElementById('status').classList.contains('error')")
    assert "over the 100,000 limit" in p.inner_text("#status")


def test_readable_on_a_phone(browser: Any, server: Server) -> None:
    page = Page(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True,
                has_touch=True, device_scale_factor=2)
    p = page.page
    p.fill("#draft", JOB_ASK)
    p.wait_for_selector('mark[data-rules~="job-ask"]')
    layout = p.evaluate("""() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        font: parseFloat(getComputedStyle(document.getElementById('draft')).fontSize),
        buttons: Math.min(...[...document.querySelectorAll('button')].filter(b => b.offsetParent)
                           .map(b => b.getBoundingClientRect().height)),
    })""")
    assert layout["overflow"] <= 0, layout  # nothing wider than the screen
    assert layout["font"] >= 16, layout  # phones zoom into smaller text fields
    assert layout["buttons"] >= 32, layout  # big enough to tap
    page.close()


def test_screenshot_for_the_docs(page: Page) -> None:
    p = page.page
    p.fill("#draft", SCREENSHOT_DRAFT)
    p.wait_for_selector('mark[data-rules~="job-ask"]')
    click_mark(page, "job-ask")
    p.locator('#popover .pop-item[data-rule="job-ask"]').wait_for(state="visible")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    p.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 20_000
