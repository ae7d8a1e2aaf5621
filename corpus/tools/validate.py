"""Validate `corpus/real/*.yaml`: fields, labels, kinds, splits and job-ask sentences.

    python corpus/tools/validate.py [CORPUS_DIR]

Checks what the numbers depend on: every item has an id (unique), a source_url, a kind from
KINDS, the split its source hashes to (sources.py), the eight core labels as booleans that
agree with each other (time-box and in-person are judged only when a meeting is asked), and,
exactly when job-ask is true, `job_ask_quotes` that occur verbatim in the text. Prints a
summary of counts by kind, split and label. Exit 1 on any problem.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sources import normalise, split_for  # noqa: E402

RULES = (
    "job-ask", "missing-info-framing", "missing-referral-fallback", "missing-no-expectation",
    "missing-meeting-request", "missing-time-box", "missing-in-person", "resume-attached",
)
KINDS = {
    "info-request": "asks for an informational interview or advice",
    "application": "applies, or asks to be considered, hired or kept in mind",
    "referral-request": "asks to be referred or introduced for a role",
    "linkedin-note": "a LinkedIn connection note (300 characters or fewer) or a short InMail",
    "follow-up": "follows up an earlier message, meeting or application",
    "thank-you": "thanks the contact after a conversation",
    "recruiter": "a recruiter or employer offering a role (hard negative)",
    "decline": "declines an offer, a role or a meeting (hard negative)",
    "catch-up": "a social catch-up or congratulation between acquaintances (hard negative)",
    "other": "job-search context without an ask, or anything else",
}
FIELDS = {"id", "source_url", "kind", "split", "note", "text", "labels", "job_ask_quotes", "tags"}
TAGS = {"non-native", "template", "no-greeting", "signature-title", "ps", "typos", "subject",
        "quoted-reply", "all-lowercase", "bulleted"}


def problems_of(item: dict, where: str) -> list[str]:
    out: list[str] = []
    iid = item.get("id", "?")
    at = f"{where}: {iid}"
    extra = set(item) - FIELDS
    if extra:
        out.append(f"{at}: unknown field(s) {sorted(extra)}")
    for key in ("id", "source_url", "kind", "split", "text", "labels"):
        if not item.get(key):
            out.append(f"{at}: missing {key}")
    if out:
        return out
    if item["kind"] not in KINDS:
        out.append(f"{at}: kind {item['kind']!r} is not one of {sorted(KINDS)}")
    want = split_for(str(item["source_url"]))
    if item["split"] != want:
        out.append(f"{at}: split is {item['split']!r} but its source hashes to {want!r}")
    labels = item["labels"]
    if set(labels) != set(RULES) or not all(isinstance(v, bool) for v in labels.values()):
        out.append(f"{at}: labels must be exactly the eight rules as true/false")
        return out
    if labels["missing-meeting-request"] and (labels["missing-time-box"] or labels["missing-in-person"]):
        out.append(f"{at}: no meeting is asked, so missing-time-box and missing-in-person must be false")
    quotes = item.get("job_ask_quotes") or []
    if labels["job-ask"] and not quotes:
        out.append(f"{at}: job-ask is true but job_ask_quotes is empty")
    if not labels["job-ask"] and quotes:
        out.append(f"{at}: job_ask_quotes given but job-ask is false")
    for q in quotes:
        if q not in item["text"]:
            out.append(f"{at}: job_ask_quote not found verbatim in text: {q!r}")
    for t in item.get("tags") or []:
        if t not in TAGS:
            out.append(f"{at}: unknown tag {t!r} (known: {sorted(TAGS)})")
    return out


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "real"
    problems: list[str] = []
    seen: dict[str, str] = {}
    items: list[dict] = []
    for f in sorted(corpus.glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            problems.append(f"{f.name}: the file must hold a list of items")
            continue
        for item in data:
            iid = str(item.get("id"))
            if iid in seen:
                problems.append(f"{f.name}: {iid}: duplicate id (also in {seen[iid]})")
            seen[iid] = f.name
            problems += problems_of(item, f.name)
            items.append(item)
    for p in problems:
        print(p)
    by_kind = Counter(i.get("kind") for i in items)
    by_split = Counter(i.get("split") for i in items)
    asks = sum(1 for i in items if (i.get("labels") or {}).get("job-ask"))
    sources = {normalise(str(i.get("source_url", ""))) for i in items}
    tags = Counter(t for i in items for t in i.get("tags") or [])
    print(f"{len(items)} items from {len(sources)} sources; splits {dict(by_split)}; "
          f"job asks {asks}")
    print("kinds:", dict(sorted(by_kind.items())))
    print("tags:", dict(sorted(tags.items())))
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
