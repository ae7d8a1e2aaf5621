"""`python -m outreach_lint` runs the command line (the git hook relies on it)."""

from .cli import main

if __name__ == "__main__":
    main()
