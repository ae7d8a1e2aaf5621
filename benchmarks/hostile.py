"""Hostile and huge inputs (issue 16): how long they take and how much memory they need.

    python benchmarks/hostile.py            # full sizes (~3-4 minutes on 2 cores)
    python benchmarks/hostile.py --quick    # a tenth of the mbox (~1 minute)

Each case runs in a fresh interpreter (`python -c`), so its peak RSS is its own (read with
os.wait4). The unit tests (tests/test_reliability_hostile.py, tests/cli/test_cli_stream.py)
assert the behaviour: a bound is respected, a notice or finding is given. This prints the
figures:

- headers:  a message with 20,000 header lines, linted as the sendmail wrapper does
- parts:    a message with 50,000 tiny MIME parts
- mime:     MIME nested 1,000 levels (message/rfc822 parts)
- html:     an HTML-only job ask nested 5,000 elements deep
- million:  lint_many over [draft, 1,050,000-character draft, draft]
- hidden:   a 200-word draft with zero-width characters in every word, against the clean one
- mbox:     `check --format json` on mboxes of N/10 and N messages: peak RSS should not grow
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = "From: Sam <sam@example.org>\nTo: Dana <dana@example.org>\nSubject: Hello\nMIME-Version: 1.0\n"
ASK = "Hi Dana, do you have any openings on your team? Please send me the application."

PRELUDE = f"""
import time, outreach_lint as ol
HEAD = {HEAD!r}
ASK = {ASK!r}
ol.lint("Hi Dana, warm-up.")
"""

CASES = {
    "headers": """
from outreach_lint.hooks import as_message
data = (HEAD + "".join(f"X-Trace-{i}: hop {i}\\n" for i in range(20000))
        + f"Content-Type: text/plain\\n\\n{ASK}\\n").encode()
t = time.perf_counter(); r = ol.lint(as_message(data)); took = time.perf_counter() - t
print(took, [f.rule_id for f in r.findings][:2])
""",
    "parts": """
parts = [HEAD + 'Content-Type: multipart/mixed; boundary="B"\\n\\n',
         f"--B\\nContent-Type: text/plain\\n\\n{ASK}\\n"]
parts += ["--B\\nContent-Type: text/plain\\n\\nx\\n"] * 49999 + ["--B--\\n"]
data = "".join(parts).encode()
t = time.perf_counter(); r = ol.lint(data); took = time.perf_counter() - t
print(took, [f.rule_id for f in r.findings][:2])
""",
    "mime": """
data = (HEAD + "Content-Type: message/rfc822\\n\\n" * 1000
        + f"Content-Type: text/plain\\n\\n{ASK}\\n").encode()
t = time.perf_counter()
try:
    r = ol.lint(data); out = [f.rule_id for f in r.findings][:2]
except RecursionError:
    out = "RecursionError"
print(time.perf_counter() - t, out)
""",
    "html": """
body = "<div>" * 5000 + f"<p>{ASK}</p>" + "</div>" * 5000
data = (HEAD + "Content-Type: text/html; charset=utf-8\\n\\n" + body).encode()
t = time.perf_counter(); r = ol.lint(data); took = time.perf_counter() - t
print(took, [f.rule_id for f in r.findings if f.rule_id == "job-ask"] or [f.rule_id for f in r.findings])
""",
    "million": """
big = "Could we talk? " * 70000
t = time.perf_counter()
try:
    out = [type(r).__name__ if not isinstance(r, ol.Report) else r.findings[0].rule_id
           for r in ol.lint_many([ASK, big, ASK], config={"max-chars": 1000000})]
except Exception as exc:
    out = type(exc).__name__
print(time.perf_counter() - t, out)
""",
    "hidden": """
words = ("I am a designer and I loved your talk on forms; could we talk about how you got "
         "started in the field and what you would do again if you were me ").split() * 7
clean = "Hi Dana,\\n\\n" + " ".join(words) + "\\n\\nBest,\\nSam"
hidden = "Hi Dana,\\n\\n" + " ".join(w[0] + "\\u200b" + w[1:] for w in words) + "\\n\\nBest,\\nSam"
def best(text):
    ts = []
    for _ in range(20):
        t = time.perf_counter(); ol.lint(text); ts.append(time.perf_counter() - t)
    return min(ts)
c, h = best(clean), best(hidden)
print(h, f"clean {c * 1000:.1f} ms, with hidden characters {h * 1000:.1f} ms ({h / c:.1f}x)")
""",
}


def run_case(code: str, env: dict[str, str]) -> tuple[str, float]:
    """(what the case printed, peak RSS in MB of its interpreter)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-c", PRELUDE + code], stdout=out,
                                stderr=err, env=env, text=True)
        usage = _reap(proc)
        out.seek(0)
        err.seek(0)
        printed = out.read().strip() or (err.read().strip().splitlines() or ["(no output)"])[-1]
    return printed, usage.ru_maxrss / 1024


def _reap(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> resource.struct_rusage:
    """Wait for `proc` and return its own resource usage (peak RSS of that child alone)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage


def mbox_rss(n: int, folder: Path, env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS MB) of `check --format json` on an n-message mbox."""
    import mailbox

    path = folder / f"box{n}.mbox"
    box = mailbox.mbox(path)
    box.lock()
    for i in range(n):
        box.add(f"{HEAD}Message-ID: <m{i}@example.org>\nContent-Type: text/plain\n\n"
                f"Hi Dana,\n\nI'm Sam. Could we talk for 20 minutes next week? ({i})\n\nSam\n")
    box.flush()
    box.unlock()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "outreach_lint", "check", "--format", "json",
                             str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, cwd=folder)
    usage = _reap(proc)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the mbox")
    parser.add_argument("--only", nargs="*", help="cases to run (default: all)")
    args = parser.parse_args()
    # PYTHONPATH is passed on: PYTHONPATH=/old/checkout/src measures another version.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    wanted = args.only or [*CASES, "mbox"]
    print(f"{'case':<9} {'seconds':>8} {'peak RSS':>9}  result")
    for name, code in CASES.items():
        if name in wanted:
            out, rss = run_case(code, env)
            secs, _, rest = out.partition(" ")
            try:
                shown = f"{float(secs):8.2f}"
            except ValueError:
                shown, rest = f"{'-':>8}", out
            print(f"{name:<9} {shown} {rss:7.0f} MB  {rest}", flush=True)
    if "mbox" in wanted:
        big = 1500 if args.quick else 15000
        with tempfile.TemporaryDirectory() as tmp:
            for n in (big // 10, big):
                took, peak = mbox_rss(n, Path(tmp), env)
                print(f"{'mbox':<9} {took:8.2f} {peak:7.0f} MB  check --format json, {n:,} messages",
                      flush=True)


if __name__ == "__main__":
    main()
