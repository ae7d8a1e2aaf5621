"""What makes the server fit to host: headers, a per-client rate limit, logs without drafts.

Each piece is plain ASGI middleware so it also covers responses Starlette makes itself (404,
static files) and errors raised anywhere below it.
"""

from __future__ import annotations

import json
import logging
import math
import time
import traceback
from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("outreach_lint.web.access")
error_log = logging.getLogger("outreach_lint.web.error")

#: The page loads only its own files and talks only to its own API; nothing may frame it.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
       " connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


def error_body(status: int, code: str, message: str, **extra: Any) -> bytes:
    return json.dumps({"error": {"status": status, "code": code, "message": message, **extra}},
                      ensure_ascii=False).encode("utf-8")


async def send_error(send: Send, status: int, code: str, message: str,
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = error_body(status, code, message)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds the headers above to every response; API answers are never cached either."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", [])
                           if h[0].lower() not in {k for k, _ in SECURITY_HEADERS}]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        await self.app(scope, receive, with_headers)


class CatchAll:
    """No traceback ever reaches a client, and no draft reaches the log.

    An unexpected error is logged as its type and stack frames only: the exception's message
    (and a worker's remote traceback text) may quote the draft, so neither is logged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started |= message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            error_log.error("internal error in %s %s: %s\n%s", scope["method"], scope["path"],
                            type(exc).__name__, frames.rstrip())
            if not started:
                await send_error(send, 500, "internal", "Something went wrong on the server."
                                 " Your draft was not stored; please try again.")


class AccessLog:
    """One line per request: client, method, path (never the query string), status, time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            client = (scope.get("client") or ("-", 0))[0]
            access_log.info('%s "%s %s" %d %.1fms', client, scope["method"], scope["path"],
                            status, 1000 * (time.perf_counter() - t0))


class TokenBuckets:
    """Per-client token buckets: `per_minute` requests a minute, bursts up to `burst`.

    At most `max_clients` buckets are kept (least recently seen dropped first), so a flood of
    addresses cannot grow memory; a dropped client simply starts again with a full bucket.
    """

    def __init__(self, per_minute: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait for the next token."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait

    def __len__(self) -> int:
        return len(self._buckets)


class RateLimit:
    """Applies `TokenBuckets` to /api/ requests, keyed by client address.

    Behind a reverse proxy the address is the one the proxy forwards (uvicorn reads
    X-Forwarded-For from trusted proxies only, see --forwarded-allow-ips).
    """

    def __init__(self, app: ASGIApp, buckets: TokenBuckets | None) -> None:
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is not None and scope["type"] == "http" and scope["path"].startswith("/api/"):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.buckets.take(client)
            if wait > 0:
                retry = str(max(1, math.ceil(wait)))
                await send_error(send, 429, "rate-limited", "Too many checks in a short time;"
                                 f" wait {retry} s and try again.",
                                 [(b"retry-after", retry.encode())])
                return
        await self.app(scope, receive, send)
