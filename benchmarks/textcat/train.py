"""Train a sentence-level spaCy textcat (ASK/OTHER) for the job-ask rule on corpus/dev only.

    .venv/bin/python benchmarks/textcat/train.py  # CV + final model (~2.5 min)
    .venv/bin/python benchmarks/textcat/train.py --ensemble   # also the CNN/BOW ensemble (+~2 min)

1. Sentence rows from dev drafts: the writer's own sentences (outreach_lint Analysis), positive
   when they overlap a `job_ask_quotes` occurrence.
2. 5-fold cross-validation split by draft (stratified on the draft label). For each candidate
   architecture, out-of-fold sentence probabilities -> draft score = max over sentences; the
   threshold that maximises out-of-fold draft-level F1 is picked (ties -> the middle of the
   best plateau), then the candidate with the best out-of-fold F1.
3. The chosen candidate is retrained on all of dev and written to benchmarks/textcat/model/,
   with meta (threshold, architecture) in model/job_ask_meta.json and the out-of-fold
   predictions in benchmarks/textcat/oof_dev.json (used by evaluate.py for the dev table).

corpus/heldout/ is not read here.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy
from common import HERE, LABELS, MODEL_DIR, N_FOLDS, SEED, folds, load, prf, sentence_rows
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

BOW = "spacy.TextCatBOW.v3"
CANDIDATES: dict[str, dict] = {
    "bow1": {"model": {"@architectures": BOW, "exclusive_classes": True, "ngram_size": 1,
                       "no_output_layer": False}, "epochs": 20, "oversample": 1},
    "bow2": {"model": {"@architectures": BOW, "exclusive_classes": True, "ngram_size": 2,
                       "no_output_layer": False}, "epochs": 20, "oversample": 1},
    "bow3": {"model": {"@architectures": BOW, "exclusive_classes": True, "ngram_size": 3,
                       "no_output_layer": False}, "epochs": 20, "oversample": 1},
    "bow2-os4": {"model": {"@architectures": BOW, "exclusive_classes": True, "ngram_size": 2,
                           "no_output_layer": False}, "epochs": 20, "oversample": 4},
    "ensemble": {"model": None, "epochs": 12, "oversample": 1},  # spaCy's default textcat
}


def make_nlp(model_cfg: dict | None) -> spacy.language.Language:
    nlp = spacy.blank("en")
    cfg = {"threshold": 0.5}
    if model_cfg is not None:
        cfg["model"] = model_cfg
    tc = nlp.add_pipe("textcat", config=cfg)
    for label in LABELS:
        tc.add_label(label)
    return nlp


def examples(nlp, rows: list[dict]) -> list[Example]:
    out = []
    for r in rows:
        doc = nlp.make_doc(r["text"])
        cats = {"ASK": float(r["y"]), "OTHER": float(not r["y"])}
        out.append(Example.from_dict(doc, {"cats": cats}))
    return out


def train(rows: list[dict], cand: dict, seed: int = SEED):
    fix_random_seed(seed)
    nlp = make_nlp(cand["model"])
    exs = examples(nlp, rows)
    train_exs = list(exs)
    k = cand["oversample"]
    if k > 1:
        train_exs += [e for e, r in zip(exs, rows, strict=False) if r["y"]] * (k - 1)
    opt = nlp.initialize(lambda: exs)
    rng = random.Random(seed)
    for _ in range(cand["epochs"]):
        rng.shuffle(train_exs)
        losses: dict = {}
        for batch in minibatch(train_exs, size=16):
            nlp.update(batch, sgd=opt, drop=0.2, losses=losses)
    return nlp


def score(nlp, texts: list[str]) -> list[float]:
    return [doc.cats["ASK"] for doc in nlp.pipe(texts, batch_size=64)]


def draft_scores(rows: list[dict], probs: list[float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for r, p in zip(rows, probs, strict=False):
        out[r["id"]] = max(out.get(r["id"], 0.0), p)
    return out


def average_precision(gold: list[bool], scores: list[float]) -> float:
    """Threshold-free ranking quality (mean precision at each positive, ties by order)."""
    order = sorted(range(len(gold)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if gold[i]:
            hits += 1
            total += hits / rank
    return total / max(1, sum(gold))


def best_threshold(gold: dict[str, bool], scores: dict[str, float]) -> tuple[float, float]:
    """Threshold in [0.05, 0.95] (step 0.01) maximising draft F1; middle of the best plateau."""
    ids = list(gold)
    grid = [round(0.05 + 0.01 * i, 2) for i in range(91)]
    f1s = [prf([gold[i] for i in ids], [scores.get(i, 0.0) > t for i in ids])[2] for t in grid]
    best = max(f1s)
    plateau = [t for t, f in zip(grid, f1s, strict=False) if f == best]
    # longest contiguous run of best thresholds, take its middle
    runs, cur = [], [plateau[0]]
    for t in plateau[1:]:
        if round(t - cur[-1], 2) == 0.01:
            cur.append(t)
        else:
            runs.append(cur)
            cur = [t]
    runs.append(cur)
    run = max(runs, key=len)
    return run[len(run) // 2], best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ensemble", action="store_true",
                    help="also cross-validate spaCy's default TextCatEnsemble (slower)")
    args = ap.parse_args()
    spacy.util.fix_random_seed(SEED)

    items = load("dev")
    rows_by_draft, missing = [], 0
    for it in items:
        rows, miss = sentence_rows(it)
        missing += len(miss)
        rows_by_draft.append(rows)
    all_rows = [r for rows in rows_by_draft for r in rows]
    npos = sum(r["y"] for r in all_rows)
    ndraft_pos = sum(bool(it["labels"]["job-ask"]) for it in items)
    print(f"dev: {len(items)} drafts ({ndraft_pos} job-ask), {len(all_rows)} own-text sentences:"
          f" {npos} ASK, {len(all_rows) - npos} OTHER; quotes not found verbatim: {missing}")

    fold_of = folds(items)
    gold = {it["id"]: bool(it["labels"]["job-ask"]) for it in items}
    cands = {k: v for k, v in CANDIDATES.items() if args.ensemble or k != "ensemble"}
    results = {}
    for name, cand in cands.items():
        t0 = time.perf_counter()
        oof: dict[int, float] = {}
        for f in range(N_FOLDS):
            tr = [r for d, rows in enumerate(rows_by_draft) if fold_of[d] != f for r in rows]
            te_idx = [(d, j) for d, rows in enumerate(rows_by_draft) if fold_of[d] == f
                      for j in range(len(rows))]
            nlp = train(tr, cand)
            probs = score(nlp, [rows_by_draft[d][j]["text"] for d, j in te_idx])
            for (d, j), p in zip(te_idx, probs, strict=False):
                oof[(d, j)] = p
        sent_rows = [rows_by_draft[d][j] for d, j in sorted(oof)]
        sent_probs = [oof[k] for k in sorted(oof)]
        ds = draft_scores(sent_rows, sent_probs)
        thr, f1 = best_threshold(gold, ds)
        sp, sr, sf, *_ = prf([r["y"] for r in sent_rows], [p > thr for p in sent_probs])
        d_ap = average_precision([gold[i] for i in gold], [ds[i] for i in gold])
        s_ap = average_precision([r["y"] for r in sent_rows], sent_probs)
        dt = time.perf_counter() - t0
        results[name] = {"threshold": thr, "f1": f1, "draft_scores": ds,
                         "sentence_prf": (sp, sr, sf), "seconds": dt,
                         "draft_ap": d_ap, "sentence_ap": s_ap}
        p, r, f, tp, fp, fn, _tn = prf([gold[i] for i in gold], [ds[i] > thr for i in gold])
        print(f"  {name:9} OOF draft P={p:.3f} R={r:.3f} F1={f:.3f} (tp{tp} fp{fp} fn{fn})"
              f" @thr={thr:.2f} AP={d_ap:.3f} | sentence P={sp:.3f} R={sr:.3f} F1={sf:.3f}"
              f" AP={s_ap:.3f} | {dt:.1f}s")

    # best OOF F1; ties -> the earlier (simpler) candidate in CANDIDATES order
    chosen = max(results, key=lambda k: (results[k]["f1"], -list(cands).index(k)))
    res = results[chosen]
    print(f"chosen: {chosen} threshold={res['threshold']:.2f} (OOF draft F1={res['f1']:.3f})")

    t0 = time.perf_counter()
    nlp = train(all_rows, cands[chosen])
    if MODEL_DIR.exists():
        shutil.rmtree(MODEL_DIR)
    nlp.to_disk(MODEL_DIR)
    meta = {"candidate": chosen, "threshold": res["threshold"], "seed": SEED,
            "train": {"drafts": len(items), "sentences": len(all_rows), "ask": npos},
            "oof_draft_f1": res["f1"],
            "candidates": {k: {"threshold": v["threshold"], "oof_draft_f1": v["f1"],
                               "oof_sentence_prf": v["sentence_prf"],
                               "oof_draft_ap": v["draft_ap"],
                               "oof_sentence_ap": v["sentence_ap"]} for k, v in results.items()}}
    (MODEL_DIR / "job_ask_meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    (HERE / "oof_dev.json").write_text(json.dumps(
        {"candidate": chosen, "threshold": res["threshold"],
         "draft_scores": res["draft_scores"]}, indent=2) + "\n")
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    print(f"final model trained in {time.perf_counter() - t0:.1f}s -> {MODEL_DIR}"
          f" ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
