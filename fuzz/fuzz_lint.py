"""Fuzz `lint()` and `fix()` on str drafts.

    python fuzz/fuzz_lint.py fuzz/corpus-lint fuzz/seeds/lint -max_total_time=60

Only `outreach_lint.InputError` may escape (a rule timing out is a finding too); every
report must satisfy the invariants in `_invariants.py` (spans inside the text, excerpt ==
slice, fixes keep the text outside their edits).

Half the inputs are "hostile" strings built piece by piece: lone surrogates (which a Python
`str` can hold and no encoding can), zero-width characters and look-alike letters inside
words, snippets of job asks, and arbitrary code points. A str draft's report indexes the
input itself, surrogates read as U+FFFD one for one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Imported here, under instrumentation, so coverage guides the fuzzer; _invariants uses it.
with atheris.instrument_imports(include=["outreach_lint"]):
    import outreach_lint  # noqa: F401

from _invariants import check_source, hostile_text, without_surrogates

MAX_CHARS = 6000


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 7)
    unsafe = bool(mode & 1)
    if mode & 4:  # hostile pieces: surrogates, hidden characters, look-alikes
        text = hostile_text(fdp, MAX_CHARS)
    elif mode & 2:  # arbitrary code points (no surrogates)
        text = fdp.ConsumeUnicodeNoSurrogates(MAX_CHARS)
    else:  # bytes decoded as UTF-8 with replacement: mostly ASCII prose-like input
        text = fdp.ConsumeBytes(MAX_CHARS).decode("utf-8", "replace")
    report = check_source(text, unsafe)
    assert report is None or report.text == without_surrogates(text), (
        "a str draft's spans must index the input")


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
