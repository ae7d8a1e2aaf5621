"""Draft-level job-ask: pattern rule vs. sentence textcat vs. their OR / AND.

    .venv/bin/python benchmarks/textcat/evaluate.py     # after train.py

Dev numbers use the out-of-fold textcat scores written by train.py (oof_dev.json), so the
textcat never scores a draft it was trained on; the rule, however, was written against dev,
so its dev numbers are optimistic. Held-out numbers use the final model in model/ and the
threshold chosen by cross-validation on dev (model/job_ask_meta.json). Only labels and
predictions of the held-out corpus are used; no held-out text is printed.

The textcat fires on a draft when any own-text sentence (outreach_lint Analysis.sentences)
scores P(ASK) > threshold. The rule fires when lint(text, select=["job-ask"]) reports it.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy
from common import HERE, MODEL_DIR, load, own_sentences, prf

import outreach_lint as ol


def rule_fires(text: str) -> bool:
    rep = ol.lint(text, config={"select": ["job-ask"]})
    return any(f.rule_id == "job-ask" for f in rep.findings)


def textcat_score(nlp, text: str) -> float:
    sents, _ = own_sentences(text)
    return max((d.cats["ASK"] for d in nlp.pipe([s for _, _, s in sents])), default=0.0)


def table(title: str, gold: list[bool], rule: list[bool], tc: list[bool]) -> str:
    rows = {
        "(a) rule": rule,
        "(b) textcat": tc,
        "(c) rule OR textcat": [a or b for a, b in zip(rule, tc, strict=False)],
        "(d) rule AND textcat": [a and b for a, b in zip(rule, tc, strict=False)],
    }
    out = [f"\n{title}: {len(gold)} drafts, {sum(gold)} job-ask",
           f"{'system':22} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn  tn"]
    for name, pred in rows.items():
        p, r, f, tp, fp, fn, tn = prf(gold, pred)
        out.append(f"{name:22} {p:6.3f} {r:6.3f} {f:6.3f}  {tp:3} {fp:3} {fn:3} {tn:3}")
    both_wrong = sum((a != g) and (b != g) for g, a, b in zip(gold, rule, tc, strict=False))
    rule_only = sum((a == g) and (b != g) for g, a, b in zip(gold, rule, tc, strict=False))
    tc_only = sum((a != g) and (b == g) for g, a, b in zip(gold, rule, tc, strict=False))
    out.append(f"errors: rule-only-right {rule_only}, textcat-only-right {tc_only},"
               f" both wrong {both_wrong}")
    return "\n".join(out)


def latency(nlp, texts: list[str]) -> str:
    """ms per draft: textcat over the draft's own sentences (Analysis already built), and
    parse + Analysis + textcat end to end; median of 3 passes over the texts."""
    prepared = [[s for _, _, s in own_sentences(t)[0]] for t in texts]
    n_sent = sum(map(len, prepared))
    for sents in prepared[:20]:  # warm-up
        list(nlp.pipe(sents))
    tc_only, full = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        for sents in prepared:
            for d in nlp.pipe(sents):
                d.cats["ASK"]
        tc_only.append((time.perf_counter() - t0) * 1000 / len(texts))
        t0 = time.perf_counter()
        for t in texts:
            textcat_score(nlp, t)
        full.append((time.perf_counter() - t0) * 1000 / len(texts))
    tc, fu = statistics.median(tc_only), statistics.median(full)
    return (f"\nlatency on {len(texts)} dev drafts ({n_sent / len(texts):.1f} own sentences/draft):"
            f" textcat {tc:.2f} ms/draft ({tc * len(texts) / n_sent:.3f} ms/sentence);"
            f" parse + Analysis + textcat {fu:.2f} ms/draft")


def main() -> int:
    meta = json.loads((MODEL_DIR / "job_ask_meta.json").read_text())
    thr = meta["threshold"]
    oof = json.loads((HERE / "oof_dev.json").read_text())
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    print(f"model: {meta['candidate']} threshold={thr:.2f} size={size / 1e6:.2f} MB"
          f" (trained on {meta['train']['sentences']} dev sentences, {meta['train']['ask']} ASK)")

    dev = load("dev")
    gold = [bool(it["labels"]["job-ask"]) for it in dev]
    rule = [rule_fires(it["text"]) for it in dev]
    tc = [oof["draft_scores"].get(it["id"], 0.0) > oof["threshold"] for it in dev]
    print(table("dev, textcat out-of-fold (5-fold CV); rule was tuned on dev", gold, rule, tc))

    nlp = spacy.load(MODEL_DIR)
    held = load("heldout")
    gold = [bool(it["labels"]["job-ask"]) for it in held]
    rule = [rule_fires(it["text"]) for it in held]
    tc = [textcat_score(nlp, it["text"]) > thr for it in held]
    print(table("heldout (final measurement; model and threshold from dev only)", gold, rule, tc))

    print(latency(nlp, [it["text"] for it in dev]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
