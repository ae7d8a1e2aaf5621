"""Mutation score of the modules the score, detection cues and fixes rest on (mutmut).

    python benchmarks/mutation.py              # run mutmut (config: [tool.mutmut]), then print
    python benchmarks/mutation.py --no-run     # print the score of the last run (mutants/)
    python benchmarks/mutation.py --min 80     # exit 1 when a module kills under 80%

mutmut copies src/ into mutants/, makes every small change it can to each function of the
modules in `only_mutate` (a flipped comparison, an off-by-one, a dropped keyword, a changed
string), and runs the tests that cover that function (`pytest_add_cli_args_test_selection`).
A mutant is *killed* when a test fails. The score per module is killed / (killed + survived
+ not covered); mutants a test run cannot tell apart only by timing out count as killed.

For api.py only the fix planner counts (`fix`, `choose_fixes`, `apply_edits` and their
helpers): its batch and linting entry points are covered by other suites, not this one.
A full run takes about 20 minutes on a 2-core machine (20 min 13 s measured, 1,256 mutants,
0.9 a second, other jobs sharing the machine), so it is not part of .ci/run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = {
    "scoring.py": "src/outreach_lint/scoring.py",
    "rules/cues.py": "src/outreach_lint/rules/cues.py",
    "nlp.py": "src/outreach_lint/nlp.py",
    "rules/fixes.py": "src/outreach_lint/rules/fixes.py",
    "api.py (fix planner)": "src/outreach_lint/api.py",
}
FIX_PLANNER = ("fix", "_reparse", "_fix_key", "choose_fixes", "_is_insertion", "_conflict",
               "_self_overlap", "apply_edits")
KILLED = {1, 3, 36, 24, -24, 152, 255}  # test failures and timeouts
SURVIVED = {0}
NOT_COVERED = {5, 33}


def _function(key: str) -> str:
    # outreach_lint.api.x_choose_fixes__mutmut_3 -> choose_fixes (methods: xǁClassǁname)
    name = key.rsplit(".", 1)[-1].split("__mutmut_")[0]
    return name.removeprefix("x_").split("ǁ")[-1]


def scores() -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for label, path in MODULES.items():
        meta = ROOT / "mutants" / (path + ".meta")
        if not meta.is_file():
            raise SystemExit(f"no mutation results for {path}: run without --no-run first")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts: Counter[str] = Counter()
        for key, code in codes.items():
            if label.startswith("api.py") and _function(key) not in FIX_PLANNER:
                continue
            if code in KILLED:
                counts["killed"] += 1
            elif code in SURVIVED:
                counts["survived"] += 1
            elif code in NOT_COVERED:
                counts["not covered"] += 1
            else:
                counts["not run"] += 1
        out[label] = counts
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-run", action="store_true", help="only print the last run's score")
    ap.add_argument("--min", type=float, default=0.0, help="exit 1 under this score (percent)")
    ap.add_argument("--jobs", type=int, default=2, help="mutmut --max-children")
    args = ap.parse_args(argv)
    if not args.no_run:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.jobs)],
                       cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
        print(f"mutmut run: {time.perf_counter() - start:.0f} s")
    print(f"{'module':24} {'killed':>7} {'survived':>9} {'not covered':>12} {'score':>7}")
    worst = 100.0
    for label, c in scores().items():
        total = c["killed"] + c["survived"] + c["not covered"]
        score = 100.0 * c["killed"] / total if total else 100.0
        worst = min(worst, score)
        note = f"  ({c['not run']} not run)" if c["not run"] else ""
        print(f"{label:24} {c['killed']:7} {c['survived']:9} {c['not covered']:12}"
              f" {score:6.1f}%{note}")
    return 1 if worst < args.min else 0


if __name__ == "__main__":
    raise SystemExit(main())
