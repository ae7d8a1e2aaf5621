"""`outreach-lint serve`: the page and JSON API for people who write in a browser.

app.py (routes), payloads.py (request/response models), jobs.py (the lint work), pool.py
(worker processes), guard.py (headers, rate limit, logs), serve.py (uvicorn), static/ (the
page: plain HTML, CSS and JavaScript modules, no build step).
"""

from __future__ import annotations

from .app import create_app
from .pool import LintPool

__all__ = ["LintPool", "create_app"]
