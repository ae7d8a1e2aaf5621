"""The outreach-lint language server: `python -m outreach_lint.lsp` or `outreach-lint lsp`."""

from __future__ import annotations

from .server import OutreachLanguageServer, create_server, main

__all__ = ["OutreachLanguageServer", "create_server", "main"]
