"""docs/web.md as written: every shell command runs, the options table matches --help, and the
nginx site is served by a real nginx in front of a real server.

Only what cannot be used as written here is changed, each by an exact replacement that must
find its text (so a changed doc fails loudly): ports (8765, 80, 443 are taken or need to be
free on a shared machine), and the certificate, config and log paths under /etc and /var.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_support import ROOT, Server, require_program

DOC = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str, text: str = DOC) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def commands(text: str = DOC) -> list[str]:
    # The README runs the venv's copy (.venv/bin/outreach-lint): the same program.
    return [ln.strip().removeprefix(".venv/bin/") for b in blocks("sh", text)
            for ln in b.splitlines() if ln.strip() and not ln.strip().startswith("#")]


def serve_args(command: str, config: Path | None = None) -> list[str]:
    """The documented `outreach-lint serve ...` options, without --port (Server picks one)."""
    argv = shlex.split(command)
    assert argv[:2] == ["outreach-lint", "serve"], command
    args = argv[2:]
    if "--port" in args:
        i = args.index("--port")
        del args[i : i + 2]
    if "--config" in args:
        assert config is not None, command
        args[args.index("--config") + 1] = str(config)
    return args


def centre_config(tmp_path: Path) -> Path:
    (toml,) = blocks("toml")
    assert toml.startswith("# /etc/outreach-lint/centre.toml\n")
    path = tmp_path / "centre.toml"
    path.write_text(toml)
    return path


def start(command: str, tmp_path: Path, env: dict[str, str] | None = None) -> Server:
    # Server adds --host 127.0.0.1 --port 0 first; the documented options come after and win.
    return Server(*serve_args(command, centre_config(tmp_path)), cwd=tmp_path, env=env)


def test_every_shell_command_in_the_doc_is_one_this_file_runs() -> None:
    cmds = commands()
    assert cmds, "docs/web.md lost its commands"
    for cmd in cmds:
        assert cmd.startswith(("outreach-lint serve", "curl -s http://127.0.0.1:8765/")), cmd


def test_the_readme_shows_the_screenshot_and_the_command() -> None:
    assert "![" in README and "docs/img/web.png" in README
    assert "outreach-lint serve --open" in commands(README)
    assert "(img/web.png)" in DOC and (ROOT / "docs" / "img" / "web.png").is_file()


def test_serve_commands_start_and_answer(tmp_path: Path) -> None:
    fake_browser = tmp_path / "browser"
    fake_browser.write_text("#!/bin/sh\nexit 0\n")
    fake_browser.chmod(0o755)
    env = {**os.environ, "BROWSER": str(fake_browser)}
    serve_cmds = {c for c in commands() + commands(README) if c.startswith("outreach-lint serve")}
    assert "outreach-lint serve --open" in serve_cmds and any("--config" in c for c in serve_cmds)
    for cmd in sorted(serve_cmds):
        with start(cmd, tmp_path, env) as server:
            conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
            conn.request("GET", "/healthz")
            health = conn.getresponse()
            assert health.status == 200 and json.loads(health.read())["status"] == "ok", cmd
            conn.request("GET", "/api/rules")
            listing = json.loads(conn.getresponse().read())
            conn.close()
        if "--config" in cmd:  # the centre's config, as documented, is the one in force
            assert (listing["profile"], listing["max_chars"]) == ("no-job-mention", 20000)
        else:
            assert (listing["profile"], listing["max_chars"]) == ("default", 100_000)


def test_curl_commands_as_written(tmp_path: Path) -> None:
    require_program("curl")
    with Server("--workers", "1", cwd=tmp_path) as server:
        base = server.url.rstrip("/")
        for cmd in (c for c in commands() if c.startswith("curl")):
            argv = [a.replace("http://127.0.0.1:8765", base) for a in shlex.split(cmd)]
            done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=True)
            data = json.loads(done.stdout)
            assert "error" not in data, (cmd, data)
            if "/api/lint" in cmd:
                assert data["report"]["findings"] and len(data["utf16"]) == len(
                    data["report"]["findings"])
            if "/api/fix" in cmd:
                assert "openings" not in data["result"]["text"]
            if "/api/rules" in cmd:
                assert any(r["id"] == "job-ask" for r in data["rules"])
            if "/healthz" in cmd:
                assert data["status"] == "ok"


def test_options_table_matches_serve_help() -> None:
    done = subprocess.run([sys.executable, "-m", "outreach_lint", "serve", "--help"],
                          capture_output=True, text=True, timeout=60, check=True)
    in_help = set(re.findall(r"^\s+(--[a-z-]+)", done.stdout, flags=re.M)) - {"--help"}
    in_doc = set(re.findall(r"^\| `(--[a-z-]+)", DOC, flags=re.M))
    assert in_doc == in_help


# ------------------------------------------------------------------ nginx in front


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def nginx_site(tmp_path: Path) -> Iterator[tuple[int, int, Path, Server]]:
    nginx = require_program("nginx", "/usr/sbin/nginx")
    openssl = require_program("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=lint.careers.example.edu", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True, timeout=60)
    (site,) = blocks("nginx")
    (cmd,) = [c for c in commands() if "--config" in c]
    # The documented command, with a rate limit small enough to see per-client counting.
    args = serve_args(cmd.replace("--rate-limit 120", "--rate-limit 3"), centre_config(tmp_path))
    with Server(*args, cwd=tmp_path) as server:
        http_port, https_port = free_port(), free_port()
        for old, new in [
            ("listen 80;", f"listen 127.0.0.1:{http_port};"),
            ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
            ("server 127.0.0.1:8765;", f"server 127.0.0.1:{server.port};"),
            ("/etc/ssl/certs/lint.careers.example.edu.pem", str(cert)),
            ("/etc/ssl/private/lint.careers.example.edu.key", str(key)),
            ("/var/log/nginx/outreach-lint.access.log", str(tmp_path / "access.log")),
        ]:
            assert old in site, old
            site = site.replace(old, new)
        spool = tmp_path / "spool"
        spool.mkdir()
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {spool}/body;
    proxy_temp_path {spool}/proxy;
    fastcgi_temp_path {spool}/fastcgi;
    uwsgi_temp_path {spool}/uwsgi;
    scgi_temp_path {spool}/scgi;
    include {tmp_path}/site.conf;
}}
""")
        check = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                               capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stderr
        proc = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                                 "-g", "daemon off;"], stderr=subprocess.PIPE)
        try:
            _wait_for_port(https_port)
            yield http_port, https_port, tmp_path, server
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _wait_for_port(port: int) -> None:
    end = time.monotonic() + 20
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nginx did not listen on {port}")


def https(port: int, method: str, path: str, body: dict[str, object] | None = None,
          source: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=ctx,
                                       source_address=(source, 0))
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data,
                     headers={"Content-Type": "application/json"} if data else {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@pytest.mark.integration
def test_the_nginx_site_terminates_tls_forwards_the_client_and_spools_nothing(
        nginx_site: tuple[int, int, Path, Server]) -> None:
    http_port, https_port, folder, server = nginx_site
    # Port 80 only redirects.
    conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
    conn.request("GET", "/")
    resp = conn.getresponse()
    assert resp.status == 301 and resp.getheader("location", "").startswith("https://")
    conn.close()

    status, headers, body = https(https_port, "GET", "/")
    assert status == 200 and b'<textarea id="draft"' in body
    assert headers["x-frame-options"] == "DENY" and "strict-transport-security" in headers

    # A long draft (bigger than nginx's default 16k buffers) goes through without a temp file.
    draft = "Hi Dana,\n\n" + "I'd love to hear how you moved into design. " * 400
    status, _, body = https(https_port, "POST", "/api/lint", {"text": draft}, source="127.0.0.2")
    assert status == 200 and json.loads(body)["report"]["text"] == draft
    assert [p for p in (folder / "spool").rglob("*") if p.is_file()] == []

    # outreach-lint sees each student's address through X-Forwarded-For: with
    # --rate-limit 3 (a burst of 1) the second request from 127.0.0.2 is limited, while
    # 127.0.0.3 still gets through.
    status, _, body = https(https_port, "POST", "/api/lint", {"text": "Hi"}, source="127.0.0.2")
    assert status == 429 and json.loads(body)["error"]["code"] == "rate-limited"
    assert https(https_port, "POST", "/api/lint", {"text": "Hi"}, source="127.0.0.3")[0] == 200
    log = server.output()
    assert "127.0.0.2 \"POST /api/lint\" 429" in log and "127.0.0.3 \"POST /api/lint\" 200" in log
    assert "I'd love to hear" not in (folder / "access.log").read_text()
