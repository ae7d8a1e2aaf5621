"""`python -m outreach_lint.lsp [--debounce-ms N] [--log-file PATH]`: serve LSP on stdio."""

from __future__ import annotations

import sys

from .server import main

if __name__ == "__main__":
    main(sys.argv[1:])
