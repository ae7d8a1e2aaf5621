"""Train (and cross-validate) the sentence classifier behind the `job-ask-model` detector.

    python benchmarks/train_job_ask.py            # train on dev + real-train, write the weights
    python benchmarks/train_job_ask.py --cv       # 5-fold cross-validation on real-train only
    python benchmarks/train_job_ask.py --cv --errors   # the model's mistakes there, to study

Training data: every sentence of corpus/dev and of corpus/real items with `split: train`; a
sentence is positive when it overlaps one of the item's `job_ask_quotes`. The blind sets
(corpus/heldout, real `split: test`) are never read here. Features come from
`outreach_lint.features.sentence_features`, the same function the linter uses. The model is an
L2-regularised logistic regression (scikit-learn, a dev dependency); only the non-zero weights
are written, as JSON, to src/outreach_lint/data/job-ask-model.json, so linting needs no
scikit-learn. A fixed seed and sorted inputs make the output byte-identical run to run.

Cross-validation folds are grouped by source (all items of one source in one fold), and the
table compares, per draft on real-train: the pattern rule alone, the model alone, and both.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "corpus" / "tools"))
OUT = ROOT / "src" / "outreach_lint" / "data" / "job-ask-model.json"
C = 2.0  # inverse regularisation strength (chosen by --cv)
THRESHOLD = 0.85  # sentence score that makes a hit (chosen by --cv: rule OR model)
MIN_WEIGHT = 0.08
SEED = 7
USE_DEV = True
STACK = False
RULE_FRAMES = ("job-ask-request", "job-ask-candidacy")


def load_items() -> list[dict[str, Any]]:
    from quality import load  # the benchmark's own corpus reader (benchmarks/ is on sys.path)
    from sources import normalise

    items: list[dict[str, Any]] = []
    for it in load("dev") if USE_DEV else []:
        items.append({**it, "group": "dev:" + it["id"], "set": "dev"})
    for it in load("real-train"):
        items.append({**it, "group": normalise(it["source_url"]), "set": "real"})
    return items


def sentences(item: dict[str, Any]) -> tuple[list[set[str]], list[int], list[tuple[int, int]], bool]:
    """Features and labels of an item's sentences, their spans, and whether the rule fired."""
    import outreach_lint as ol
    from outreach_lint.config import resolve
    from outreach_lint.draft import parse
    from outreach_lint.engine import ruleset_for
    from outreach_lint.rules.learned import draft_sentence_features

    text = item["text"]
    rs = ruleset_for(resolve(None, None))
    findings, ctx = rs.run(parse(text))
    feats, spans, _ = draft_sentence_features(ctx)
    quotes = []
    for q in item.get("job_ask_quotes") or []:
        at = text.find(q)
        if at >= 0:
            quotes.append((at, at + len(q)))
    labels = [int(any(a < qe and qa < b for qa, qe in quotes)) for a, b in spans]
    # The pattern frames alone (not the rule, which may include this very model).
    detectors = rs.rules[0].detectors
    fired = any(detectors[name].hits(ctx) for name in RULE_FRAMES)
    if STACK:
        for name in RULE_FRAMES:
            for h in detectors[name].hits(ctx):
                for f, (a, b) in zip(feats, spans, strict=True):
                    if a < h.end and h.start < b:
                        f.add("r:" + name)
    del ol, findings
    return feats, labels, spans, fired


def fit(x: list[set[str]], y: list[int]) -> tuple[dict[str, float], float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    xm = vec.fit_transform([dict.fromkeys(sorted(f), 1) for f in x])
    model = LogisticRegression(C=C, max_iter=2000, random_state=SEED, class_weight="balanced")
    model.fit(xm, y)
    names = vec.get_feature_names_out()
    # Weights that cannot move a score by more than 2% are dropped: the file stays small.
    weights = {str(n): round(float(w), 3) for n, w in zip(names, model.coef_[0], strict=True)
               if abs(w) >= MIN_WEIGHT}
    return weights, round(float(model.intercept_[0]), 3)


def score(weights: dict[str, float], bias: float, feats: set[str]) -> float:
    import math

    z = bias + sum(weights.get(f, 0.0) for f in feats)
    return 1 / (1 + math.exp(-z))


def macro_f1(tp: int, fp: int, fn: int, tn: int) -> float:
    def f1(a: int, b: int, c: int) -> float:
        p = a / (a + b) if a + b else 1.0
        r = a / (a + c) if a + c else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    return (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2


def cross_validate(items: list[dict[str, Any]], threshold: float) -> None:
    data = [(it, *sentences(it)) for it in items]
    for c in CV_GRID:
        for t in (threshold, *THRESHOLD_GRID):
            _cv_once(data, items, c, t)


CV_GRID: tuple[float, ...] = (C,)
THRESHOLD_GRID: tuple[float, ...] = ()


def _cv_once(data: list[Any], items: list[dict[str, Any]], c_value: float, threshold: float) -> None:
    global C
    C = c_value
    real_groups = sorted({it["group"] for it in items if it["set"] == "real"})
    folds = [set(real_groups[i::5]) for i in range(5)]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for fold in folds:
        train = [d for d in data if d[0]["group"] not in fold]
        test = [d for d in data if d[0]["group"] in fold]
        x = [f for d in train for f in d[1]]
        y = [lab for d in train for lab in d[2]]
        weights, bias = fit(x, y)
        for it, feats, _labels, _spans, fired in test:
            want = bool(it["labels"]["job-ask"])
            model = any(score(weights, bias, f) >= threshold for f in feats)
            for name, got in (("rule", fired), ("model", model), ("rule OR model", fired or model)):
                c = counts[name]
                c[0 if want and got else 1 if got else 2 if want else 3] += 1
    print(f"job-ask on real-train, 5-fold by source (C={C}, threshold={threshold})")
    for name, (tp, fp, fn, tn) in counts.items():
        print(f"  {name:14} macro-F1 {macro_f1(tp, fp, fn, tn):.3f}  tp {tp} fp {fp} fn {fn} tn {tn}")


def main() -> int:
    global C
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cv", action="store_true", help="cross-validate on real-train instead")
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--c", type=float, nargs="+", default=[C])
    ap.add_argument("--grid", type=float, nargs="*", default=[], help="more thresholds (--cv)")
    ap.add_argument("--no-dev", action="store_true", help="train on real-train only")
    ap.add_argument("--stack", action="store_true", help="rule hits as model features")
    ap.add_argument("--errors", action="store_true",
                    help="with --cv: print the model's mistakes on real-train (train items only)")
    args = ap.parse_args()
    global CV_GRID, THRESHOLD_GRID, USE_DEV, STACK
    USE_DEV = not args.no_dev
    STACK = args.stack
    C = args.c[0]
    CV_GRID, THRESHOLD_GRID = tuple(args.c), tuple(args.grid)
    items = load_items()
    if args.cv:
        if args.errors:
            print_errors(args.threshold)
            return 0
        cross_validate(items, args.threshold)
        return 0
    x: list[set[str]] = []
    y: list[int] = []
    for it in items:
        feats, labels, _, _ = sentences(it)
        x += feats
        y += labels
    weights, bias = fit(x, y)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "name": "job-ask-v1",
        "about": "Sentence classifier for job asks; made by benchmarks/train_job_ask.py",
        "threshold": args.threshold,
        "bias": bias,
        "weights": dict(sorted(weights.items())),
    }, indent=0, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(y)} sentences ({sum(y)} asks) from {len(items)} drafts; "
          f"{len(weights)} weights -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def print_errors(threshold: float) -> None:
    """The model's cross-validated mistakes on real-train drafts, with sentence scores."""
    items = load_items()
    data = [(it, *sentences(it)) for it in items]
    real_groups = sorted({it["group"] for it in items if it["set"] == "real"})
    folds = [set(real_groups[i::5]) for i in range(5)]
    for fold in folds:
        train = [d for d in data if d[0]["group"] not in fold]
        weights, bias = fit([f for d in train for f in d[1]], [lab for d in train for lab in d[2]])
        for it, feats, labels, spans, _fired in (d for d in data if d[0]["group"] in fold):
            scores = [score(weights, bias, f) for f in feats]
            want = bool(it["labels"]["job-ask"])
            got = any(s >= threshold for s in scores)
            if want == got:
                continue
            print(f"\n--- {it['id']} {'FN' if want else 'FP'} {it['kind']}: {it.get('note', '')[:200]}")
            for (a, b), s, lab in zip(spans, scores, labels, strict=True):
                if s >= 0.3 or lab:
                    print(f"   {s:.2f} {'ASK' if lab else '   '} {it['text'][a:b][:160]!r}")
