"""`outreach-lint serve`: check the config, start the lint workers, then listen with uvicorn."""

from __future__ import annotations

import socket
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass
from typing import Any

import uvicorn

from ..config import Config
from .app import create_app
from .pool import LintPool

#: uvicorn's own access log prints the request line (with any query string); ours prints
#: the path only, and nothing anywhere prints a request body.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "outreach_lint.web": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    open_browser: bool = False
    workers: int = 2
    rate_per_minute: int = 120
    forwarded_allow_ips: str = "127.0.0.1"


def url_for(host: str, port: int) -> str:
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def bind(host: str, port: int) -> socket.socket:
    """Bind before uvicorn starts, so --port 0 can print the port the system chose."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve_forever(cfg: Config, opts: ServeOptions) -> None:
    """Raises OutreachLintError for a bad config and OSError when the address is taken."""
    sock = bind(opts.host, opts.port)
    pool = LintPool(cfg, opts.workers)
    try:
        pool.warm()  # a broken config fails here, before anyone is told the page is up
    except BaseException:
        pool.close()
        sock.close()
        raise
    app = create_app(cfg, pool, rate_per_minute=opts.rate_per_minute)
    config = uvicorn.Config(
        app, log_config=LOG_CONFIG, access_log=False, server_header=False,
        proxy_headers=True, forwarded_allow_ips=opts.forwarded_allow_ips,
        # connections beyond this get a 503 from uvicorn itself, before any request is read
        limit_concurrency=max(64, pool.max_pending * 2), timeout_keep_alive=5,
    )
    server = uvicorn.Server(config)
    port = sock.getsockname()[1]
    url = url_for(opts.host, port)
    threading.Thread(target=_announce, args=(server, url, opts.open_browser), daemon=True).start()
    server.run(sockets=[sock])


def _announce(server: uvicorn.Server, url: str, open_browser: bool) -> None:
    while not server.started:
        if server.should_exit:
            return
        time.sleep(0.05)
    print(f"outreach-lint: serving {url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    if open_browser:
        webbrowser.open(url)
