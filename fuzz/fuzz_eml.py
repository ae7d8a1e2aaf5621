"""Fuzz the bytes path of `lint()` / `fix()`: plain-text bytes and RFC 822 / MIME messages.

    python fuzz/fuzz_eml.py fuzz/corpus-eml fuzz/seeds/eml -max_total_time=60

Only `outreach_lint.InputError` may escape, and a rule timing out is a finding too (binary
input must be an `InputError`, a broken message must still give a report); reports must
satisfy the invariants.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Imported here, under instrumentation, so coverage guides the fuzzer; _invariants uses it.
with atheris.instrument_imports(include=["outreach_lint"]):
    import outreach_lint  # noqa: F401

from _invariants import check_source


def one_input(data: bytes) -> None:
    unsafe = bool(data[:1]) and data[0] & 1 == 1
    check_source(data, unsafe)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
