"""Learned detectors: a linear model over sentence features, loaded from JSON weights.

A detector says `model: job-ask-v1` (a model shipped in outreach_lint/data/) and optionally
`threshold:`; its hits are the writer's sentences whose score reaches the threshold. The
weights file is data (a JSON object of feature -> weight, plus a bias): loading it executes
nothing. Scoring is a sum over the sentence's features, so a model costs about as much as
building the features (see docs/nlp.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from ..errors import PackError
from ..features import add_draft_context, sentence_features
from ..models import SegmentKind

if TYPE_CHECKING:
    from .context import Context

_PROSE = frozenset({SegmentKind.BODY, SegmentKind.POSTSCRIPT, SegmentKind.SUBJECT})


@dataclass(frozen=True)
class LinearModel:
    name: str
    bias: float
    threshold: float
    weights: dict[str, float]

    def score(self, feats: set[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@cache
def load_model(name: str) -> LinearModel:
    """A model shipped with outreach-lint, by name ("job-ask-v1" -> data/job-ask-model.json)."""
    stem = name.rsplit("-v", 1)[0]
    try:
        raw = (resources.files("outreach_lint") / "data" / f"{stem}-model.json").read_text("utf-8")
        data = json.loads(raw)
    except (FileNotFoundError, json.JSONDecodeError, OSError) as exc:
        raise PackError(f"no usable model named {name!r} ({exc.__class__.__name__})") from None
    if data.get("name") != name:
        raise PackError(f"model file for {name!r} holds {data.get('name')!r}")
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    return LinearModel(name, float(data["bias"]), float(data.get("threshold", 0.5)), weights)


SentenceFeatures = tuple[list[set[str]], list[tuple[int, int]], list[tuple[int, int]]]


def draft_sentence_features(ctx: Context) -> SentenceFeatures:
    """Features, character spans and token spans of the writer's prose sentences (subject,
    body, postscript), in order."""
    feats: list[set[str]] = []
    spans: list[tuple[int, int]] = []
    toks: list[tuple[int, int]] = []
    clauses = ctx.clauses
    for i, sent in enumerate(ctx.analysis.sentences):
        if sent.kind not in _PROSE:
            continue
        mine = clauses.of_sentence(i)
        feats.append(sentence_features(sent.span, mine, segment=sent.kind.value if sent.kind else None))
        spans.append((sent.start, sent.end))
        toks.append((sent.span.start, sent.span.end))
    add_draft_context(feats)
    return feats, spans, toks
