"""Shared helpers for the job-ask textcat experiment (data loading, sentence labels, metrics).

Only corpus/dev/ is used for training and tuning; corpus/heldout/ is read by evaluate.py
for the final measurement only (labels and predictions, texts are never printed).
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

import outreach_lint
from outreach_lint.nlp import Analysis

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MODEL_DIR = HERE / "model"
LABELS = ("ASK", "OTHER")
SEED = 0
N_FOLDS = 5


def load(name: str) -> list[dict]:
    items: list[dict] = []
    for path in sorted((ROOT / "corpus" / name).glob("*.yaml")):
        items.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return items


def quote_spans(text: str, quotes: list[str]) -> tuple[list[tuple[int, int]], list[str]]:
    """Every occurrence of every quote in `text`, and the quotes that were not found."""
    spans, missing = [], []
    for q in quotes or []:
        q = q.strip()
        if not q:
            continue
        i, found = text.find(q), False
        while i != -1:
            spans.append((i, i + len(q)))
            found = True
            i = text.find(q, i + 1)
        if not found:
            missing.append(q)
    return spans, missing


def own_sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence text) of the writer's own sentences, as the library sees them."""
    draft = outreach_lint.parse(text)
    a = Analysis(draft)
    return [(s.start, s.end, draft.text[s.start:s.end]) for s in a.sentences], draft.text


def sentence_rows(item: dict) -> tuple[list[dict], list[str]]:
    """Sentence-level rows for one draft: {id, start, end, text, y} and missing quotes."""
    sents, text = own_sentences(item["text"])
    spans, missing = quote_spans(text, item.get("job_ask_quotes") or [])
    rows = []
    for start, end, s in sents:
        y = any(a < end and start < b for a, b in spans)
        rows.append({"id": item["id"], "start": start, "end": end, "text": s, "y": y})
    return rows, missing


def folds(items: list[dict], k: int = N_FOLDS, seed: int = SEED) -> list[int]:
    """Fold index per draft, stratified by the draft-level job-ask label."""
    rng = random.Random(seed)
    out = [0] * len(items)
    for want in (True, False):
        idx = [i for i, it in enumerate(items) if bool(it["labels"]["job-ask"]) == want]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            out[i] = j % k
    return out


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float, int, int, int, int]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=False))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=False))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=False))
    tn = sum(not g and not p for g, p in zip(gold, pred, strict=False))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp, fp, fn, tn
