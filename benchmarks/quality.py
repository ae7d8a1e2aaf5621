"""Precision, recall and F1 per rule on the labeled corpora; fails when real-test drops.

    python benchmarks/quality.py                          # all four tables, floor check
    python benchmarks/quality.py --set real-train --errors job-ask   # study disagreements
    python benchmarks/quality.py --json out.json          # numbers for tracking

Sets:
- `dev` (corpus/dev): team-written drafts that rules may be tuned against.
- `heldout` (corpus/heldout): team-written separately, never read while tuning.
- `real-train` (corpus/real, split: train): real messages (paraphrased) to study and tune on.
- `real-test` (corpus/real, split: test): real messages read only as these aggregate numbers.

Per rule: precision, recall and F1 of the "rule fires" class, and macro-F1 over both classes
(fires / does not fire), which does not reward a rule for the majority class alone. For the
real sets, job-ask is also scored per sentence against the labeled `job_ask_quotes`.

The blind sets (`heldout`, `real-test`) never print individual items: `--errors` refuses
them. The exit status is 1 when a core rule's macro-F1 on real-test is below its floor in
benchmarks/quality-floor.toml, so CI catches regressions on real writing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import outreach_lint as ol

ROOT = Path(__file__).resolve().parents[1]
FLOOR_FILE = ROOT / "benchmarks" / "quality-floor.toml"
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
SETS = ("dev", "heldout", "real-train", "real-test")
BLIND = ("heldout", "real-test")


def load(name: str) -> list[dict[str, Any]]:
    folder, split = (name.split("-", 1) if name.startswith("real-") else (name, None))
    items: list[dict[str, Any]] = []
    for path in sorted((ROOT / "corpus" / folder).glob("*.yaml")):
        items.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    if split is not None:
        items = [i for i in items if i.get("split") == split]
    return items


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, want: bool, got: bool) -> None:
        if want and got:
            self.tp += 1
        elif got:
            self.fp += 1
        elif want:
            self.fn += 1
        else:
            self.tn += 1

    @staticmethod
    def _f1(tp: int, fp: int, fn: int) -> float:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return self._f1(self.tp, self.fp, self.fn)

    @property
    def macro_f1(self) -> float:
        # The "does not fire" class swaps the roles: its true positives are our true negatives.
        return (self.f1 + self._f1(self.tn, self.fn, self.fp)) / 2


@dataclass
class Result:
    name: str
    n: int
    counts: dict[str, Counts]
    seconds: float
    misses: list[tuple[str, dict[str, Any], bool, ol.Report]] = field(default_factory=list)
    sentence: Counts | None = None  # job-ask per labeled sentence (real sets)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(name: str, items: list[dict[str, Any]]) -> Result:
    counts = {r: Counts() for r in RULES}
    misses: list[tuple[str, dict[str, Any], bool, ol.Report]] = []
    sentence = Counts() if name.startswith("real-") else None
    t0 = time.perf_counter()
    for item in items:
        report = ol.lint(item["text"])
        fired = {f.rule_id for f in report.findings}
        for rule in RULES:
            want = bool(item["labels"][rule])
            got = rule in fired
            counts[rule].add(want, got)
            if want != got:
                misses.append((rule, item, want, report))
        if sentence is not None:
            _score_sentences(item, report, sentence)
    return Result(name, len(items), counts, time.perf_counter() - t0, misses, sentence)


def _score_sentences(item: dict[str, Any], report: ol.Report, out: Counts) -> None:
    """A labeled job-ask quote is found when a job-ask finding overlaps it; a finding that
    overlaps no quote is a false alarm."""
    text = item["text"]
    quotes = []
    for q in item.get("job_ask_quotes") or []:
        at = text.find(q)
        if at >= 0:
            quotes.append((at, at + len(q)))
    spans = [(f.span.start, f.span.end) for f in report.findings if f.rule_id == "job-ask"]
    for q in quotes:
        out.add(True, any(_overlaps(q, s) for s in spans))
    for s in spans:
        if not any(_overlaps(q, s) for q in quotes):
            out.add(False, True)


def table(res: Result) -> str:
    lines = [
        f"\n{res.name} ({res.n} drafts, linted in {res.seconds:.1f}s)",
        f"{'rule':28} {'P':>6} {'R':>6} {'F1':>6} {'macroF1':>8}   tp  fp  fn  tn",
    ]
    for rule, c in res.counts.items():
        lines.append(
            f"{rule:28} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.macro_f1:8.3f}"
            f"  {c.tp:3} {c.fp:3} {c.fn:3} {c.tn:3}"
        )
    mean = sum(c.macro_f1 for c in res.counts.values()) / len(res.counts)
    lines.append(f"{'mean macro-F1':28} {'':6} {'':6} {'':6} {mean:8.3f}")
    if res.sentence is not None:
        s = res.sentence
        lines.append(
            f"job-ask per sentence: P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}"
            f" ({s.tp} found, {s.fn} missed, {s.fp} flagged outside a labeled ask)"
        )
    return "\n".join(lines)


def floors() -> dict[str, float]:
    if not FLOOR_FILE.is_file():
        return {}
    data = tomllib.loads(FLOOR_FILE.read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in data.get("real-test", {}).items()}


def check_floors(res: Result) -> list[str]:
    failures = []
    for rule, floor in floors().items():
        got = res.counts[rule].macro_f1
        if got < floor:
            failures.append(f"{rule}: real-test macro-F1 {got:.3f} is below its floor {floor:.3f}")
    return failures


def print_errors(res: Result, rule: str) -> None:
    for r, item, want, report in res.misses:
        if r != rule:
            continue
        hits = [f.excerpt for f in report.findings if f.rule_id == rule]
        kind = "FN (missed)" if want else "FP (wrong)"
        print(f"\n--- {item['id']} {kind}: {item.get('note', '')}")
        print(item["text"] if want else "flagged: " + " | ".join(hits))
        if want and item.get("job_ask_quotes"):
            print("quotes:", item["job_ask_quotes"])


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--set", choices=[*SETS, "all"], default="all")
    ap.add_argument("--errors", metavar="RULE", help="print disagreements for RULE (dev, real-train)")
    ap.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    args = ap.parse_args()
    sets = list(SETS) if args.set == "all" else [args.set]
    if args.errors and any(s in BLIND for s in sets):
        blind = [s for s in sets if s in BLIND]
        if args.set != "all":
            print(f"{', '.join(blind)} is blind: only its aggregate numbers are shown",
                  file=sys.stderr)
            return 2
        sets = [s for s in sets if s not in BLIND]
    out: dict[str, Any] = {}
    failures: list[str] = []
    for name in sets:
        items = load(name)
        if not items:
            print(f"\n{name}: no items", file=sys.stderr)
            continue
        res = evaluate(name, items)
        print(table(res))
        out[name] = {
            "n": res.n,
            "rules": {r: {"tp": c.tp, "fp": c.fp, "fn": c.fn, "tn": c.tn, "f1": round(c.f1, 4),
                          "macro_f1": round(c.macro_f1, 4)} for r, c in res.counts.items()},
        }
        if name == "real-test":
            failures = check_floors(res)
        if args.errors:
            print_errors(res, args.errors)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
