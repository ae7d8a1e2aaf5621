"""The JSON API in-process (Starlette's TestClient): every route, good and bad input.

The app is the real one; only its pool runs lint in threads instead of processes (the real
process pool is exercised by test_web_serve.py and test_web_load.py).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from web_support import JOB_ASK, JOB_ASK_SENTENCE, ROOT, make_app

import outreach_lint as ol
from outreach_lint import Config
from outreach_lint.cli_common import blocks
from outreach_lint.output import LintedFile
from outreach_lint.output.json import format_json
from outreach_lint.web import jobs
from outreach_lint.web.guard import CSP, TokenBuckets
from outreach_lint.web.payloads import Utf16, looks_binary, utf16_findings
from outreach_lint.web.pool import Busy, LintPool

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(make_app(), raise_server_exceptions=False) as c:
        yield c


def post(client: TestClient, path: str, body: Any) -> Any:
    return client.post(path, content=json.dumps(body), headers=JSON)


def assert_error(resp: Any, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    err = resp.json()["error"]
    assert err["status"] == status and err["code"] == code, err
    assert err["message"] and "Traceback" not in resp.text
    assert_security_headers(resp)
    return dict(err)


def assert_security_headers(resp: Any) -> None:
    h = resp.headers
    assert h["x-frame-options"] == "DENY"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in h["content-security-policy"]


# ------------------------------------------------------------------------ healthz, page


def test_healthz(client: TestClient) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "version": ol.__version__}
    assert resp.headers["cache-control"] == "no-store"
    assert_security_headers(resp)


def test_page_and_every_asset_it_loads_are_served_with_the_strict_csp(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    html = page.text
    # The CSP allows no inline script or style, so the page must not have any.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html and " style=" not in html and not re.search(r"\son[a-z]+=", html)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    js = [a for a in assets if a.endswith(".js")]
    assert js and any(a.endswith(".css") for a in assets)
    # Module imports inside the scripts are assets too.
    seen = set(assets)
    todo = list(assets)
    while todo:
        path = todo.pop()
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert_security_headers(resp)
        kind = {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"}[path.rsplit(".", 1)[1]]
        assert resp.headers["content-type"].startswith(kind), (path, resp.headers["content-type"])
        if path.endswith(".js"):
            for dep in re.findall(r'from "\./([^"]+)"', resp.text):
                if f"/static/{dep}" not in seen:
                    seen.add(f"/static/{dep}")
                    todo.append(f"/static/{dep}")
            # No code from strings and no HTML parsing of server text (the page stays safe
            # even if a draft holds markup).
            assert "innerHTML" not in resp.text and "eval(" not in resp.text, path
    assert {"/static/api.js", "/static/highlight.js", "/static/panels.js"} <= seen


def test_static_files_do_not_list_folders_or_escape_them(client: TestClient) -> None:
    assert_error(client.get("/static/"), 404, "not-found")
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404


# ------------------------------------------------------------------------ /api/lint


def test_lint_returns_the_cli_json_report_and_blocked(client: TestClient) -> None:
    resp = post(client, "/api/lint", {"text": JOB_ASK})
    assert resp.status_code == 200
    assert resp.headers["cache-control"] == "no-store"
    data = resp.json()
    report = ol.lint(JOB_ASK, config=Config())
    cli = json.loads(format_json([LintedFile("-", report, blocks(report, Config()))]))
    assert data["schema_version"] == cli["schema_version"] == ol.SCHEMA_VERSION
    assert data["report"] == cli["files"][0]["report"]
    assert data["blocked"] is cli["files"][0]["blocked"] is True
    ol.Report.model_validate(data["report"])  # the committed report schema's model


def test_report_validates_against_the_committed_schema(client: TestClient) -> None:
    schema = json.loads((ROOT / "docs" / "schema" / "report.schema.json").read_text())
    data = post(client, "/api/lint", {"text": JOB_ASK}).json()
    # Every required key of the schema is there, at the top and in each finding.
    assert set(schema["required"]) <= set(data["report"])
    finding_schema = schema["$defs"]["Finding"]
    for f in data["report"]["findings"]:
        assert set(finding_schema["required"]) <= set(f)


def test_utf16_offsets_index_the_javascript_string(client: TestClient) -> None:
    data = post(client, "/api/lint", {"text": JOB_ASK}).json()
    findings = data["report"]["findings"]
    assert len(data["utf16"]) == len(findings)
    units = JOB_ASK.encode("utf-16-le")
    job = next(i for i, f in enumerate(findings) if f["rule_id"] == "job-ask")
    span, cp = data["utf16"][job]["span"], findings[job]["span"]
    # The emoji is one code point and two UTF-16 units: every later offset is one more.
    assert (span["start"], span["end"]) == (cp["start"] + 1, cp["end"] + 1)
    assert units[2 * span["start"] : 2 * span["end"]].decode("utf-16-le") == JOB_ASK_SENTENCE
    for f, u in zip(findings, data["utf16"], strict=True):
        for fx, spans in zip(f["fixes"], u["fixes"], strict=True):
            assert len(fx["edits"]) == len(spans)
            for e, s in zip(fx["edits"], spans, strict=True):
                cp_text = JOB_ASK[e["span"]["start"] : e["span"]["end"]]
                assert units[2 * s["start"] : 2 * s["end"]].decode("utf-16-le") == cp_text


@given(st.text(alphabet=st.sampled_from("ab \n😀𝒜é\u2028"), max_size=40), st.data())
def test_utf16_conversion_matches_python_encoding(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)))
    assert Utf16(text)(offset) == len(text[:offset].encode("utf-16-le")) // 2


PIECES = ["Hi Dana 👋,\n\n", "Do you have any openings? ", "𝒜 ", "I'd love your advice. ",
          "Could we meet for coffee? 😀 ", "\n\nThanks,\nSam", "I've attached my resume. "]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8))
def test_every_utf16_span_and_edit_covers_the_same_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    report = ol.lint(text, config=Config())
    units = text.encode("utf-16-le")
    js = lambda s: units[2 * s.start : 2 * s.end].decode("utf-16-le")  # noqa: E731
    for f, u in zip(report.findings, utf16_findings(text, report.findings), strict=True):
        assert js(u.span) == f.span.text(text)
        for fx, spans in zip(f.fixes, u.fixes, strict=True):
            assert [js(s) for s in spans] == [e.span.text(text) for e in fx.edits]


def test_profile_per_request_changes_severities(client: TestClient) -> None:
    draft = "Hi Dana,\n\nI'd love to learn how you moved into design. Could we talk sometime?\n\nSam"
    default = post(client, "/api/lint", {"text": draft}).json()["report"]
    strict = post(client, "/api/lint", {"text": draft, "profile": "strict"}).json()["report"]
    sev = lambda r: {f["rule_id"]: f["severity"] for f in r["findings"]}  # noqa: E731
    assert sev(default).get("missing-time-box") == "info"
    assert sev(strict).get("missing-time-box") == "warning"


def test_eml_is_decoded_and_its_text_returned(client: TestClient) -> None:
    raw = (ROOT / "fuzz" / "seeds" / "eml" / "resume-attached.eml").read_bytes()
    resp = post(client, "/api/lint", {"eml": base64.b64encode(raw).decode()})
    assert resp.status_code == 200, resp.text
    report = resp.json()["report"]
    expected = ol.lint(raw, config=Config())
    assert report["source_kind"] == "eml" and report["spans_refer_to"] == "decoded-text"
    assert report == expected.model_dump(mode="json")
    assert "resume-attached" in {f["rule_id"] for f in report["findings"]}


def test_an_empty_draft_is_a_report_not_an_error(client: TestClient) -> None:
    resp = post(client, "/api/lint", {"text": ""})
    assert resp.status_code == 200
    assert [f["rule_id"] for f in resp.json()["report"]["findings"]] == ["nothing-to-check"]


# ------------------------------------------------------------------------ /api/fix


def test_fix_safe_and_unsafe_match_the_library(client: TestClient) -> None:
    for unsafe in (False, True):
        resp = post(client, "/api/fix", {"text": JOB_ASK, "unsafe": unsafe})
        assert resp.status_code == 200
        data = resp.json()
        expected = ol.fix(JOB_ASK, unsafe=unsafe, config=Config())
        assert data["result"] == expected.model_dump(mode="json")
        assert len(data["utf16"]) == len(expected.remaining)
        assert (JOB_ASK_SENTENCE in data["result"]["text"]) is (not unsafe)
    assert post(client, "/api/fix", {"text": JOB_ASK}).json()["result"]["applied"]


# ------------------------------------------------------------------------ /api/rules


def test_rules_lists_why_fix_and_profiles(client: TestClient) -> None:
    resp = client.get("/api/rules")
    assert resp.status_code == 200
    data = resp.json()
    ids = {r["id"] for r in data["rules"]}
    assert {"job-ask", "missing-referral-fallback", "resume-attached"} <= ids
    job = next(r for r in data["rules"] if r["id"] == "job-ask")
    assert job["why"] and job["message"] and job["fix"]["applicability"] == "unsafe"
    assert job["docs_url"].endswith("/job-ask.md")
    assert {"default", "strict"} <= {p["name"] for p in data["profiles"]}
    assert data["profile"] == "default" and data["max_chars"] == Config().max_chars


def test_the_operators_config_sets_the_limit_and_the_profile(tmp_path: Any) -> None:
    cfg_file = tmp_path / ".outreach-lint.toml"
    cfg_file.write_text('max-chars = 2000\nprofile = "strict"\n')
    cfg = ol.load_config(cfg_file)
    with TestClient(make_app(cfg)) as c:
        listing = c.get("/api/rules").json()
        assert (listing["max_chars"], listing["profile"]) == (2000, "strict")
        assert post(c, "/api/lint", {"text": "x" * 2000}).status_code == 200
        err = assert_error(post(c, "/api/lint", {"text": "x" * 2001}), 413, "too-large")
        assert "2,001" in err["message"] and "2,000" in err["message"]
        assert_error(post(c, "/api/fix", {"text": "x" * 2001}), 413, "too-large")


# ------------------------------------------------------------------------ bad input

BAD_BODIES = [
    # (body bytes, status, code)
    (b"", 400, "not-json"),
    (b"Hi Dana, do you have openings?", 400, "not-json"),
    (b'{"text": "unterminated', 400, "not-json"),
    (b"\xff\xfe\x00binary\x00", 400, "not-json"),
    (b'{"text": "\\ud800 lone surrogate"}', 400, "not-json"),
    (b"[]", 422, "invalid-request"),
    (b'"just a string"', 422, "invalid-request"),
    (b'{"text": 5}', 422, "invalid-request"),
    (b'{"text": ["a"]}', 422, "invalid-request"),
    (b'{"text": "hi", "profile": 3}', 422, "invalid-request"),
    (b'{"text": "hi", "colour": "red"}', 422, "invalid-request"),
    (b'{"text": "hi", "profile": "nope"}', 422, "unknown-profile"),
    (b'{"text": "a\\u0000b"}', 400, "binary"),
    (b'{"text": "\\u0001\\u0002\\u0003\\u0004 mostly control codes"}', 400, "binary"),
]


@pytest.mark.parametrize("path", ["/api/lint", "/api/fix"])
@pytest.mark.parametrize(("body", "status", "code"), BAD_BODIES)
def test_bad_bodies_get_a_clear_4xx(client: TestClient, path: str, body: bytes, status: int,
                                    code: str) -> None:
    assert_error(client.post(path, content=body, headers=JSON), status, code)


@pytest.mark.parametrize(("body", "code"), [
    ({}, "invalid-request"),
    ({"text": "hi", "eml": "aGk="}, "invalid-request"),
    ({"eml": "not base64!"}, "invalid-request"),
    ({"eml": 12}, "invalid-request"),
])
def test_bad_lint_sources(client: TestClient, body: dict[str, Any], code: str) -> None:
    assert_error(post(client, "/api/lint", body), 422, code)


def test_binary_eml_is_refused(client: TestClient) -> None:
    raw = (ROOT / "fuzz" / "seeds" / "eml" / "binary.bin").read_bytes()
    err = assert_error(post(client, "/api/lint", {"eml": base64.b64encode(raw).decode()}), 400,
                       "unreadable")
    assert "binary" in err["message"]


@pytest.mark.parametrize(("body", "code"), [
    ({"text": "hi", "unsafe": "yes"}, "invalid-request"),
    ({"text": "hi", "unsafe": 1}, "invalid-request"),
    ({"unsafe": True}, "invalid-request"),
    ({"eml": "aGk="}, "invalid-request"),
])
def test_bad_fix_requests(client: TestClient, body: dict[str, Any], code: str) -> None:
    err = assert_error(post(client, "/api/fix", body), 422, code)
    assert err["fields"]


@pytest.mark.parametrize("path", ["/api/lint", "/api/fix"])
@pytest.mark.parametrize("ctype", [None, "text/plain", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x"])
def test_bodies_must_be_declared_json(client: TestClient, path: str, ctype: str | None) -> None:
    # A form post from another site cannot reach the API: a JSON content type is required.
    headers = {"Content-Type": ctype} if ctype else {}
    assert_error(client.post(path, content=b'{"text": "hi"}', headers=headers), 415, "not-json")


@pytest.mark.parametrize("path", ["/api/lint", "/api/fix"])
def test_a_body_too_large_is_refused_before_it_is_read(client: TestClient, path: str) -> None:
    limit = client.app.state.api.max_body  # type: ignore[attr-defined]
    declared = {**JSON, "Content-Length": str(limit + 1)}
    assert_error(client.post(path, content=b"x" * (limit + 1), headers=declared), 413, "too-large")

    # Without a Content-Length (chunked): refused once the stream passes the limit.
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(limit // 65536 + 2):
            yield b"a" * 65536
        yield b'"}'

    assert_error(client.post(path, content=chunks(), headers=JSON), 413, "too-large")


def test_a_draft_one_over_max_chars_is_refused_and_at_the_limit_is_linted(
        client: TestClient) -> None:
    limit = Config().max_chars
    text = ("Would you have 20 minutes for a coffee? " * (limit // 40 + 1))[:limit]
    assert post(client, "/api/lint", {"text": text}).status_code == 200
    err = assert_error(post(client, "/api/lint", {"text": text + "x"}), 413, "too-large")
    assert f"{limit + 1:,}" in err["message"]


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/lint"), ("PUT", "/api/lint"), ("GET", "/api/fix"), ("DELETE", "/api/fix"),
    ("POST", "/api/rules"), ("POST", "/healthz"), ("POST", "/"),
])
def test_wrong_methods_get_405_json(client: TestClient, method: str, path: str) -> None:
    assert_error(client.request(method, path), 405, "method-not-allowed")


def test_unknown_paths_get_404_json(client: TestClient) -> None:
    assert_error(client.get("/api/nothing"), 404, "not-found")
    assert_error(client.get("/admin"), 404, "not-found")


def test_looks_binary_matches_the_parsers_rule_for_bytes() -> None:
    assert looks_binary("a\x00b") and not looks_binary("Hi\tDana,\r\n\fThanks\x1b")
    assert not looks_binary("")
    with pytest.raises(ol.InputError):
        ol.parse(b"\x01\x02\x03 abc")
    assert looks_binary("\x01\x02\x03 abc")


# ------------------------------------------------------------------------ failures


def test_an_internal_error_is_json_and_logs_no_draft(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    secret = "SECRET-DRAFT-CANARY"

    def broken(*args: Any) -> bytes:
        raise RuntimeError(f"failed on {args[1]!r}")  # the message quotes the draft

    monkeypatch.setattr(jobs, "lint_job", broken)
    with TestClient(make_app(), raise_server_exceptions=False) as c, \
            caplog.at_level(logging.INFO):
        resp = post(c, "/api/lint", {"text": f"Hi {secret}, any openings?"})
    err = assert_error(resp, 500, "internal")
    assert secret not in resp.text
    assert "RuntimeError" in caplog.text and "lint_job" not in err["message"]
    assert secret not in caplog.text


def test_a_full_queue_gets_503_with_retry_after() -> None:
    with TestClient(make_app(max_pending=1)) as c:
        pool = c.app.state.api.pool  # type: ignore[attr-defined]
        pool._pending = 1  # one draft already waiting: the line is full
        try:
            resp = post(c, "/api/lint", {"text": JOB_ASK})
        finally:
            pool._pending = 0
        assert_error(resp, 503, "busy")
        assert resp.headers["retry-after"] == "1"
        assert post(c, "/api/lint", {"text": JOB_ASK}).status_code == 200


def test_pool_refuses_work_past_max_pending_and_recovers() -> None:
    gate = threading.Event()

    def slow(cfg: Config) -> bytes:
        gate.wait(10)
        return b"done"

    async def scenario() -> list[Any]:
        pool = LintPool(Config(), 1, processes=False, max_pending=2)
        first = asyncio.ensure_future(pool.run(slow))
        second = asyncio.ensure_future(pool.run(slow))
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):
            await pool.run(slow)
        gate.set()
        done = await asyncio.gather(first, second)
        done.append(await pool.run(slow))  # room again
        pool.close()
        return done

    assert asyncio.run(scenario()) == [b"done"] * 3


# ------------------------------------------------------------------------ rate limit


def test_rate_limit_answers_429_with_retry_after_per_client() -> None:
    with TestClient(make_app(rate=60, burst=3)) as c:
        statuses = [post(c, "/api/lint", {"text": "Hi"}).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        resp = post(c, "/api/lint", {"text": "Hi"})
        assert_error(resp, 429, "rate-limited")
        assert 1 <= int(resp.headers["retry-after"]) <= 2
        assert_error(c.get("/api/rules"), 429, "rate-limited")
        # The page itself and the health check are not counted.
        assert c.get("/").status_code == 200 and c.get("/healthz").status_code == 200
    # Another client address has its own allowance.
    with TestClient(make_app(rate=60, burst=3), client=("10.9.8.7", 5000)) as other:
        assert post(other, "/api/lint", {"text": "Hi"}).status_code == 200


def test_token_buckets_refill_and_stay_bounded() -> None:
    b = TokenBuckets(per_minute=60, burst=2, max_clients=3)
    assert [b.take("a", now=0.0) for _ in range(2)] == [0, 0]
    assert b.take("a", now=0.0) == pytest.approx(1.0)  # one token a second
    assert b.take("a", now=1.0) == 0
    assert b.take("b", now=1.0) == 0  # independent
    for i in range(10):
        b.take(f"flood-{i}", now=2.0)
    assert len(b) == 3  # a flood of addresses cannot grow memory
