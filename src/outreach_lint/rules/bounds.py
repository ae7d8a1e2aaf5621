"""Load-time limits on how much work a spaCy token pattern can make the matcher do.

spaCy's `Matcher` keeps every partial match alive separately, without merging equal states.
A token that repeats without a bound (`OP: "*"`, `"+"` or `"{n,}"`) keeps a partial match
alive across the rest of the draft, so each one multiplies the work by the draft's length:
one is quadratic, two in a row (`[{OP: "*"}, {OP: "*"}, {LOWER: "x"}]`) are cubic, 58 s on a
1,000-word draft. Optional tokens (`"?"`, `"{0,m}"`) double the partial matches each, so
many of them add up the same way (`{0,8}` twice: 15 s on 1,000 words). Measured with
benchmarks/run.py (`token-patterns`).

So a pattern may hold at most one unbounded token and at most `MAX_OPTIONAL` optional ones;
anything more is refused at load time with a PackError naming the file, rule and key. The
built-in pack uses no unbounded token at all (tests/test_bounded_work.py), so its matching
is linear in the draft's length and runs in-process; a user pack's matching runs in a child
process with the draft's time budget (`bounded.py`), since one unbounded token is still
quadratic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_UNBOUNDED = 1
MAX_OPTIONAL = 8
_RANGE = re.compile(r"^\{\s*(\d*)\s*(,?)\s*(\d*)\s*\}$")


@dataclass(frozen=True)
class Repeats:
    """How the tokens of one pattern repeat: unbounded ones, and optional slots."""

    unbounded: int
    optional: int


def repeats(pattern: list[dict[str, Any]]) -> Repeats:
    """Count unbounded tokens and optional slots (a `{2,5}` token has 3) in a pattern."""
    unbounded = optional = 0
    for token in pattern:
        op = token.get("OP") if isinstance(token, dict) else None
        if not isinstance(op, str):
            continue  # no operator (or a wrong type, which spaCy's validation reports)
        op = op.strip()
        if op in ("*", "+"):
            unbounded += 1
        elif op == "?":
            optional += 1
        elif (m := _RANGE.match(op)) is not None:
            low, comma, high = m.groups()
            if comma and not high:
                unbounded += 1  # {n,}
            elif comma:
                optional += max(int(high) - int(low or 0), 0)
    return Repeats(unbounded, optional)


def too_costly(pattern: list[dict[str, Any]]) -> str | None:
    """Why a token pattern could make matching explode, or None when it is bounded enough."""
    r = repeats(pattern)
    if r.unbounded > MAX_UNBOUNDED:
        power = {2: "cube", 3: "fourth power"}.get(r.unbounded, f"power {r.unbounded + 1}")
        return (
            f"has {r.unbounded} tokens that repeat without a bound (OP '*', '+' or '{{n,}}'):"
            f" matching time would grow with the {power} of the draft's length. Give them a"
            " bound such as OP '{0,4}', or keep only one"
        )
    if r.optional > MAX_OPTIONAL:
        return (
            f"has {r.optional} optional token slots (OP '?' or '{{n,m}}'); each doubles the"
            f" partial matches kept while matching. Use at most {MAX_OPTIONAL}, or split the"
            " pattern in two"
        )
    return None
