"""The Starlette app: the page, its static files, and the JSON API.

    GET  /             the page
    POST /api/lint     {"text": ..., "profile"?} or {"eml": base64, "profile"?} -> LintResponse
    POST /api/fix      {"text": ..., "unsafe"?, "profile"?}                      -> FixResponse
    GET  /api/rules    rule metadata (message, why, source, fix) and the profiles
    GET  /healthz      {"status": "ok"}

Every error is JSON, `{"error": {"status", "code", "message"}}`, with a 4xx status for bad
input; drafts live only in memory for the length of a request.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..config import Config
from ..engine import pack_paths
from ..errors import InputError, OutreachLintError
from ..models import SCHEMA_VERSION
from ..packs import load_pack_cached
from . import jobs
from .guard import AccessLog, CatchAll, RateLimit, SecurityHeaders, TokenBuckets, error_body
from .payloads import FixRequest, LintRequest, looks_binary
from .pool import Busy, LintPool, WorkerLost

STATIC = Path(__file__).parent / "static"  # package data, inside the wheel
#: JSON escapes a character in up to 12 bytes (a surrogate pair as two \\uXXXX); base64 of
#: a message is 4/3 of its bytes. Bodies past this are refused before they are read whole.
BYTES_PER_CHAR = 12
BODY_SLACK = 16_384

M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def _json(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status, headers={"cache-control": "no-store", **(headers or {})},
                    media_type="application/json")


def rules_listing(cfg: Config) -> dict[str, Any]:
    """The page's source for 'why' and fix titles: the rules of the operator's packs."""
    packs = [load_pack_cached(p) for p in pack_paths(cfg)]
    rules: dict[str, dict[str, Any]] = {}
    profiles: dict[str, str] = {}
    for pack in packs:  # later packs override earlier ones, as in the engine
        for name, prof in pack.manifest.profiles.items():
            profiles[name] = prof.description.strip()
        for rid, (r, _path) in pack.rules.items():
            rules[rid] = {
                "id": rid, "category": r.category, "severity": r.severity.value,
                "message": r.message, "why": r.why.strip(), "source": r.source,
                "fix": {"title": r.fix.title, "applicability": r.fix.applicability.value}
                if r.fix else None,
                "docs_url": f"{pack.manifest.docs_url}{rid}.md" if pack.manifest.docs_url else None,
            }
    return {
        "schema_version": SCHEMA_VERSION,
        "version": __version__,
        "profile": cfg.profile or packs[0].manifest.default_profile,
        "profiles": [{"name": n, "description": d} for n, d in profiles.items()],
        "max_chars": cfg.max_chars,
        "rules": [rules[k] for k in sorted(rules)],
    }


class Api:
    def __init__(self, cfg: Config, pool: LintPool) -> None:
        self.cfg = cfg
        self.pool = pool
        self.listing = rules_listing(cfg)
        self.profiles = {p["name"] for p in self.listing["profiles"]}
        self.max_body = cfg.max_chars * BYTES_PER_CHAR + BODY_SLACK

    async def read(self, request: Request, model: type[M]) -> M:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise ApiError(415, "not-json", "Send the draft as JSON with the header"
                           " 'Content-Type: application/json'.")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise self._too_large_body()
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > self.max_body:
                    raise self._too_large_body()
                chunks.append(chunk)
        except ClientDisconnect:  # nobody is left to answer; not a server error either
            raise ApiError(400, "incomplete", "The request ended before its body did.") from None
        body = b"".join(chunks)
        try:
            req = model.model_validate_json(body)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False, include_context=False)
            if any(e["type"] == "json_invalid" for e in errors):
                raise ApiError(400, "not-json", "The request body is not valid JSON (UTF-8).")\
                    from None
            fields = [{"field": ".".join(str(p) for p in e["loc"]) or "(body)", "message": e["msg"]}
                      for e in errors]
            detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
            raise ApiError(422, "invalid-request", f"The request does not fit the API: {detail}.",
                           fields=fields) from None
        profile = getattr(req, "profile", None)
        if profile is not None and profile not in self.profiles:
            known = ", ".join(sorted(self.profiles))
            raise ApiError(422, "unknown-profile", f"Unknown profile {profile!r}; known: {known}.")
        return req

    def _too_large_body(self) -> ApiError:
        return ApiError(413, "too-large", f"The request is over {self.max_body:,} bytes; a draft"
                        f" may have at most {self.cfg.max_chars:,} characters.")

    def check_text(self, text: str) -> None:
        if looks_binary(text):
            raise ApiError(400, "binary", "This looks like binary data, not a draft: paste the"
                           " text of your email, or drop the .eml file.")
        if len(text) > self.cfg.max_chars:
            raise ApiError(413, "too-large", jobs.too_large_message(len(text), self.cfg.max_chars))

    async def run(self, fn: Callable[..., bytes], *args: Any) -> Response:
        try:
            return _json(await self.pool.run(fn, *args))
        except Busy:
            raise ApiError(503, "busy", "The server is busy; try again in a moment.",
                           retry_after=1) from None
        except WorkerLost:
            raise ApiError(503, "worker-lost", "The check was interrupted; try again.",
                           retry_after=1) from None
        except jobs.TooLargeError as exc:
            raise ApiError(413, "too-large", str(exc)) from None
        except InputError as exc:
            raise ApiError(400, "unreadable", str(exc)) from None
        except OutreachLintError as exc:  # config or pack trouble: the operator's to fix
            raise ApiError(500, "server-config", f"The server's configuration is broken: {exc}")\
                from None

    async def lint(self, request: Request) -> Response:
        req = await self.read(request, LintRequest)
        source: str | bytes
        if req.text is not None:
            self.check_text(req.text)
            source = req.text
        else:
            try:
                source = base64.b64decode(req.eml or "", validate=True)
            except (binascii.Error, ValueError):
                raise ApiError(422, "invalid-request", "'eml' must be the message file in"
                               " base64.") from None
        return await self.run(jobs.lint_job, source, req.profile)

    async def fix(self, request: Request) -> Response:
        req = await self.read(request, FixRequest)
        self.check_text(req.text)
        return await self.run(jobs.fix_job, req.text, req.unsafe, req.profile)

    async def rules(self, request: Request) -> Response:
        return JSONResponse(self.listing, headers={"cache-control": "no-cache"})


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok", "version": __version__},
                        headers={"cache-control": "no-store"})


async def index(request: Request) -> Response:
    return FileResponse(str(STATIC / "index.html"), headers={"cache-control": "no-cache"})


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    headers = {"retry-after": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else {}
    return _json(error_body(exc.status, exc.code, exc.message, **exc.extra), exc.status, headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: ("not-found", "There is nothing at this address."),
             405: ("method-not-allowed", "This address does not take that method.")}
    code, message = codes.get(exc.status_code, ("http-error", str(exc.detail)))
    return _json(error_body(exc.status_code, code, message), exc.status_code,
                 dict(exc.headers or {}))


def default_burst(rate_per_minute: float) -> int:
    """A third of a minute's allowance at once (at most 40): a burst of edits, not a script."""
    return max(1, min(40, int(rate_per_minute // 3)))


def create_app(cfg: Config, pool: LintPool, *, rate_per_minute: float = 120,
               burst: int | None = None) -> Starlette:
    """The app for `cfg`, linting in `pool` (closed on shutdown). `rate_per_minute=0`: no limit."""
    api = Api(cfg, pool)
    buckets = None
    if rate_per_minute > 0:
        buckets = TokenBuckets(rate_per_minute, burst or default_burst(rate_per_minute))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET", "HEAD"]),
            Route("/healthz", healthz, methods=["GET", "HEAD"]),
            Route("/api/lint", api.lint, methods=["POST"]),
            Route("/api/fix", api.fix, methods=["POST"]),
            Route("/api/rules", api.rules, methods=["GET", "HEAD"]),
            Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
        ],
        middleware=[
            Middleware(AccessLog), Middleware(SecurityHeaders), Middleware(CatchAll),
            Middleware(RateLimit, buckets=buckets),
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.api = api
    app.state.buckets = buckets
    return app
