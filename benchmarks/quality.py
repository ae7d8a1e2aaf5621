"""Precision, recall and F1 per rule on the labeled corpora.

    python benchmarks/quality.py                 # dev and held-out tables
    python benchmarks/quality.py --set dev --errors job-ask   # list disagreements on dev

Exits 1 when a corpus is missing or its macro F1 falls under --min-macro-f1 (default 0.85:
both corpora measured 0.91-0.94 when it was set), so CI notices a rule change that breaks
detection.

`corpus/dev/` is what rules may be tuned against. `corpus/heldout/` was written separately
and is only measured, never read while writing rules: it estimates performance on unseen
drafts. Each item has `text` and `labels` (rule id -> should it fire).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

import outreach_lint as ol

ROOT = Path(__file__).resolve().parents[1]
RULES = [
    "job-ask",
    "missing-info-framing",
    "missing-referral-fallback",
    "missing-no-expectation",
    "missing-meeting-request",
    "missing-time-box",
    "missing-in-person",
    "resume-attached",
]


def load(name: str) -> list[dict]:
    items: list[dict] = []
    for path in sorted((ROOT / "corpus" / name).glob("*.yaml")):
        items.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return items


def evaluate(items: list[dict]) -> tuple[dict[str, list[int]], list[tuple[str, str, bool, dict]]]:
    counts = {r: [0, 0, 0, 0] for r in RULES}  # tp, fp, fn, tn
    misses = []
    for item in items:
        report = ol.lint(item["text"])
        fired = {f.rule_id for f in report.findings}
        for rule in RULES:
            want = bool(item["labels"][rule])
            got = rule in fired
            idx = 0 if want and got else 1 if got else 2 if want else 3
            counts[rule][idx] += 1
            if want != got:
                misses.append((rule, item["id"], want, {"item": item, "report": report}))
    return counts, misses


def macro_f1(counts: dict[str, list[int]]) -> float:
    f1s = []
    for tp, fp, fn, _ in counts.values():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / len(f1s)


def table(name: str, counts: dict[str, list[int]], n: int) -> str:
    lines = [f"\n{name} ({n} drafts)",
             f"{'rule':28} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn  tn"]
    f1s = []
    for rule, (tp, fp, fn, tn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        f1s.append(f1)
        lines.append(f"{rule:28} {p:6.3f} {r:6.3f} {f1:6.3f}  {tp:3} {fp:3} {fn:3} {tn:3}")
    lines.append(f"{'macro F1':28} {'':6} {'':6} {sum(f1s) / len(f1s):6.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=["dev", "heldout", "all"], default="all")
    ap.add_argument("--errors", metavar="RULE", help="print disagreements for RULE")
    ap.add_argument("--min-macro-f1", type=float, default=0.85,
                    help="exit 1 when a corpus's macro F1 is under this (default 0.85)")
    args = ap.parse_args(argv)
    sets = ["dev", "heldout"] if args.set == "all" else [args.set]
    failed = []
    for name in sets:
        items = load(name)
        if not items:
            print(f"no corpus at corpus/{name}", file=sys.stderr)
            failed.append(f"{name}: no corpus")
            continue
        t0 = time.perf_counter()
        counts, misses = evaluate(items)
        dt = time.perf_counter() - t0
        print(table(name, counts, len(items)))
        print(f"(linted in {dt:.2f}s)")
        if macro_f1(counts) < args.min_macro_f1:
            failed.append(f"{name}: macro F1 {macro_f1(counts):.3f} < {args.min_macro_f1}")
        if args.errors:
            for rule, iid, want, extra in misses:
                if rule != args.errors:
                    continue
                rep = extra["report"]
                hits = [f.excerpt for f in rep.findings if f.rule_id == rule]
                kind = "FN (missed)" if want else "FP (wrong)"
                print(f"\n--- {iid} {kind}: {extra['item'].get('note', '')}")
                print(extra["item"]["text"] if want else "flagged: " + " | ".join(hits))
                if want and extra["item"].get("job_ask_quotes"):
                    print("quotes:", extra["item"]["job_ask_quotes"])
    for problem in failed:
        print(f"quality: FAIL {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
