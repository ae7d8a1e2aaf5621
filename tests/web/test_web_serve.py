"""`outreach-lint serve` for real: a subprocess, its worker processes, its log and its errors."""

from __future__ import annotations

import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from web_support import JOB_ASK, ROOT, Server

from outreach_lint.web.serve import url_for


def request(server: Server, method: str, path: str, body: Any = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        hdrs = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, path, body=data, headers={**hdrs, **(headers or {})})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def serve_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "outreach_lint", "serve", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout, check=False)


def test_serves_page_api_and_lints_in_worker_processes(tmp_path: Path) -> None:
    with Server("--workers", "2", cwd=tmp_path) as server:
        status, headers, body = request(server, "GET", "/")
        assert status == 200 and b'<textarea id="draft"' in body
        assert headers["x-frame-options"] == "DENY" and "server" not in headers
        status, _, body = request(server, "GET", "/static/app.js")
        assert status == 200 and b"lintNow" in body
        status, _, body = request(server, "POST", "/api/lint", {"text": JOB_ASK})
        assert status == 200
        rules = {f["rule_id"] for f in json.loads(body)["report"]["findings"]}
        assert "job-ask" in rules
        workers = lint_workers(server)
        assert len(workers) == 2, workers  # --workers N processes, started before serving
        assert "serving http://127.0.0.1:" in server.output()


def lint_workers(server: Server) -> list[int]:
    from web_support import web_load

    out = []
    for pid in web_load._tree(server.proc.pid)[1:]:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"spawn_main" in cmd and b"resource_tracker" not in cmd:
            out.append(pid)
    return out


def test_a_killed_worker_costs_one_503_then_the_pool_is_rebuilt(tmp_path: Path) -> None:
    with Server("--workers", "1", cwd=tmp_path) as server:
        assert request(server, "POST", "/api/lint", {"text": JOB_ASK})[0] == 200
        (worker,) = lint_workers(server)
        os.kill(worker, signal.SIGKILL)
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, _, body = request(server, "POST", "/api/lint", {"text": JOB_ASK})
            seen.append(status)
            if status == 200:
                break
            assert status == 503 and json.loads(body)["error"]["code"] == "worker-lost", body
        assert seen[-1] == 200 and 503 in seen and len(seen) <= 3, seen
        assert worker not in lint_workers(server)
        assert "Traceback" not in server.output()


def test_drafts_never_reach_the_log_or_the_disk(tmp_path: Path) -> None:
    canary = "ZEBRA-CANARY-7731"
    home, tmp, cwd = tmp_path / "home", tmp_path / "tmp", tmp_path / "cwd"
    for d in (home, tmp, cwd):
        d.mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp), "XDG_CACHE_HOME": str(home)}
    draft = JOB_ASK.replace("Sam", f"Sam {canary}")
    eml = f"Subject: hello {canary}\nFrom: a@example.org\n\nDo you have openings? {canary}\n"
    with Server("--workers", "1", cwd=cwd, env=env) as server:
        calls: list[tuple[str, str, Any]] = [
            ("POST", "/api/lint", {"text": draft}),
            ("POST", "/api/lint", {"eml": base64.b64encode(eml.encode()).decode()}),
            ("POST", "/api/fix", {"text": draft, "unsafe": True}),
            ("POST", "/api/lint", {"text": draft, "colour": canary}),
            ("POST", "/api/lint", {"text": draft, "profile": canary}),
            ("POST", "/api/lint", {"text": canary * 10_000}),
            ("POST", "/api/lint", {"text": f"\x00{canary}"}),
            ("POST", "/api/lint", f"not json {canary}".encode()),
            ("POST", f"/api/lint?draft={canary}", {"text": draft}),
            ("GET", f"/?q={canary}", None),
        ]
        statuses = [request(server, m, p, b)[0] for m, p, b in calls]
        assert statuses == [200, 200, 200, 422, 422, 413, 400, 400, 200, 200]
        server.stop()
        log = server.output()
    assert canary not in log
    assert log.count('"POST /api/lint"') == 8 and '"GET /"' in log  # the requests were logged
    assert not any(cwd.iterdir())
    for folder in (home, tmp):
        for f in folder.rglob("*"):
            if f.is_file():
                assert canary.encode() not in f.read_bytes(), f


def test_a_bad_config_stops_serve_with_a_clear_message(tmp_path: Path) -> None:
    cfg = tmp_path / "centre.toml"
    cfg.write_text('profile = "no-such-profile"\n')
    done = serve_cli("--port", "0", "--workers", "1", "--config", str(cfg))
    assert done.returncode == 2
    assert done.stderr.startswith("outreach-lint: error:")
    assert "no-such-profile" in done.stderr and "Traceback" not in done.stderr
    cfg.write_text("max-chars = 5\n")
    done = serve_cli("--port", "0", "--config", str(cfg))
    assert done.returncode == 2 and "max-chars" in done.stderr and "Traceback" not in done.stderr


def test_a_taken_port_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = serve_cli("--port", str(port), "--workers", "1")
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


def test_open_starts_the_browser_on_the_page(tmp_path: Path) -> None:
    seen = tmp_path / "browser-saw"
    browser = tmp_path / "fake-browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {seen}\n')
    browser.chmod(0o755)
    env = {**os.environ, "BROWSER": str(browser)}
    with Server("--workers", "1", "--open", env=env) as server:
        deadline = time.monotonic() + 20
        while not seen.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert seen.read_text().strip() == server.url


def test_the_printed_url_is_one_a_browser_can_open() -> None:
    assert url_for("127.0.0.1", 8765) == "http://127.0.0.1:8765/"
    assert url_for("0.0.0.0", 80) == "http://127.0.0.1:80/"
    assert url_for("::", 8765) == "http://[::1]:8765/"


def test_help_lists_every_serve_option() -> None:
    done = subprocess.run([sys.executable, "-m", "outreach_lint", "serve", "--help"],
                          capture_output=True, text=True, timeout=60, check=True, cwd=ROOT)
    for opt in ("--host", "--port", "--open", "--workers", "--config", "--rate-limit",
                "--forwarded-allow-ips"):
        assert opt in done.stdout
