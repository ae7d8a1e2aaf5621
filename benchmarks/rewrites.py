"""Fix quality: what `outreach-lint fix --unsafe` makes of real drafts.

    python benchmarks/rewrites.py [--list-train]

Runs `fix(unsafe=True)` over every item of corpus/real (all splits) and every draft in
examples/, and counts what a careful reader would object to in the result:

- contradictions: the fix added a no-expectation sentence ("I'm not looking for a job") while
  a job-ask finding remains, or a sentence the corpus labels as a job ask (`job_ask_quotes`)
  is still there;
- text after the sign-off: anything inserted on or after the sign-off, name or signature;
- repeated sentences: a sentence the fix added that nearly repeats another one, or a second
  meeting question added beside the writer's own;
- length: median word growth of emails; LinkedIn notes (300 characters or fewer before) that
  end up longer than 300; emails the fix pushed over `too-long`;
- core findings left: drafts with a core finding after the fix;
- verdicts: drafts whose flagged job ask is still there that score "Ready to send" (and,
  for information, drafts with a labelled job ask the linter never flagged).

Only totals are printed: the corpus's test split stays unseen by anyone tuning detection.
`--list-train` prints the train items and examples with problems, by id, for debugging.
`--write-doc-pairs` rewrites the ten before/after pairs of docs/rewrites.md (examples and
train items only) after a change to the planner or its phrasings.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

import regex
from quality import load  # the corpus reader quality.py uses (benchmarks/ is on sys.path)

import outreach_lint as ol
from outreach_lint.draft import parse
from outreach_lint.models import SegmentKind
from outreach_lint.rewrite import detect_medium, near_duplicate, word_count
from outreach_lint.rewrite.medium import NOTE_LIMIT
from outreach_lint.rewrite.meeting import is_meeting_ask

ROOT = Path(__file__).resolve().parents[1]
CORE = ("job-ask", "missing-info-framing", "missing-referral-fallback", "missing-no-expectation",
        "missing-meeting-request", "missing-time-box", "missing-in-person", "resume-attached")
TARGETS = {
    "contradictions": 0, "after_signoff": 0, "repeated": 0, "notes_over": 0,
    "pushed_over_too_long": 0, "ready_with_job_ask": 0,
}
MAX_MEDIAN_GROWTH = 0.25
MIN_CORE_FREE = 0.98
_SENTENCE_RE = regex.compile(r"[^.!?\n]+(?:[.!?]+[\"”’')\]]*|$)")
_NO_EXPECTATION_RE = regex.compile(
    r"(?i)\bnot\s+(?:looking\s+for|asking\s+(?:you\s+)?(?:about|for)|expecting|job\s+hunting|"
    r"seeking|after\s+a\s+job)\b|\bno\s+(?:expectation|job\s+ask)")
_NAME_BLANK_RE = regex.compile(r"(?i)^\s*[\[<{(]{1,2}\s*(?:your\s+)?(?:full\s+)?name\s*[\]>})]{1,2}\s*$")
_HEADER_RE = regex.compile(r"^(?:Subject|From|To|Cc|Date):[ \t]")
_NAME_LINE_RE = regex.compile(r"^[ \t]*\p{Lu}[\p{L}.'’-]*(?:[ \t]+\p{Lu}[\p{L}.'’-]*){0,3}[ \t]*$")


@dataclass
class Item:
    id: str
    text: str
    kind: str
    split: str
    quotes: list[str] = field(default_factory=list)


@dataclass
class Tally:
    drafts: int = 0
    contradictions: int = 0
    contradictions_writer: int = 0
    after_signoff: int = 0
    repeated: int = 0
    notes: int = 0
    notes_over: int = 0
    emails: int = 0
    growth: list[float] = field(default_factory=list)
    pushed_over_too_long: int = 0
    core_free: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [drafts, core-free]
    not_a_request: int = 0
    ready_with_job_ask: int = 0
    ready_with_undetected_ask: int = 0
    problems: dict[str, list[str]] = field(default_factory=dict)

    def flag(self, name: str, item: Item) -> None:
        if item.split != "test":  # test items are counted, never named
            self.problems.setdefault(name, []).append(item.id)


def items() -> list[Item]:
    out = [Item(it["id"], it["text"], it["kind"], it["split"], list(it.get("job_ask_quotes") or []))
           for it in load("real")]  # every split: only totals are printed
    for path in sorted((ROOT / "examples").iterdir()):
        if path.suffix in (".txt", ".eml"):
            draft = parse(path)
            out.append(Item(f"examples/{path.name}", draft.text, "example", "examples"))
    return out


def sentences(text: str) -> list[str]:
    """Sentences of the text, without header lines (a subject may sum up the body)."""
    body = "\n".join(ln for ln in text.split("\n") if not _HEADER_RE.match(ln))
    return [m.group(0).strip() for m in _SENTENCE_RE.finditer(body) if m.group(0).strip()]


def tail_start(text: str) -> int:
    """Where the sign-off, name or signature starts (the parser's view, or trailing name lines)."""
    draft = parse(text)
    body = [s.span.start for s in draft.segments if s.kind is SegmentKind.BODY]
    first = min(body, default=0)
    stops = [s.span.start for s in draft.segments if s.span.start >= first and s.kind in (
        SegmentKind.SIGNOFF, SegmentKind.SIGNATURE, SegmentKind.QUOTE)]
    lines = text.rstrip().split("\n")
    pos = len(text.rstrip())
    for line in reversed(lines):  # bare name lines at the very end
        if line.strip() and (_NAME_LINE_RE.match(line) or _NAME_BLANK_RE.match(line)) \
                and len(line.split()) <= 3:
            pos -= len(line) + 1
            continue
        break
    return min([*stops, max(pos, first)])


def inserted_after(original: str, fixed: str, limit: int) -> bool:
    """True when the sign-off, name and signature are no longer the fixed draft's ending."""
    tail = original[limit:].strip()
    return bool(tail) and not fixed.rstrip().endswith(tail)


def measure(item: Item, t: Tally) -> None:
    t.drafts += 1
    before = ol.lint(item.text)
    result = ol.fix(item.text, unsafe=True)
    fixed = result.text
    remaining = {f.rule_id for f in result.remaining}
    old = set(sentences(item.text))
    new = [s for s in sentences(fixed) if s not in old]
    quotes_left = [q for q in item.quotes if q in fixed]
    job_left = "job-ask" in remaining or bool(quotes_left)
    if job_left and any(_NO_EXPECTATION_RE.search(s) for s in new):
        t.contradictions += 1
        t.flag("contradiction", item)
    elif job_left and any(_NO_EXPECTATION_RE.search(s) for s in sentences(fixed)):
        t.contradictions_writer += 1
    if result.changed and inserted_after(item.text, fixed, tail_start(item.text)):
        t.after_signoff += 1
        t.flag("after-signoff", item)
    others = sentences(fixed)
    # A second meeting question beside the writer's counts as a repeat too.
    asks = [x for x in others if x.endswith("?") and is_meeting_ask(x)]
    second_ask = len(asks) >= 2 and any(x in new for x in asks) and \
        len([x for x in sentences(item.text) if x.endswith("?") and is_meeting_ask(x)]) < len(asks)
    if second_ask or any(near_duplicate(a, b, overlap=0.6, gram=5)
                         for a in new for b in others if a != b):
        t.repeated += 1
        t.flag("repeated", item)
    draft = parse(item.text)
    medium = detect_medium(draft)
    if medium.value == "linkedin-note" and len(item.text.strip()) <= NOTE_LIMIT:
        t.notes += 1
        if len(fixed.strip()) > NOTE_LIMIT:
            t.notes_over += 1
            t.flag("note-over", item)
    elif medium.value == "email":
        t.emails += 1
        words = max(word_count(item.text), 1)
        t.growth.append((word_count(fixed) - word_count(item.text)) / words)
        long_before = any(f.rule_id == "too-long" for f in before.findings)
        if not long_before and "too-long" in remaining:
            t.pushed_over_too_long += 1
            t.flag("pushed-over-too-long", item)
    kind = t.by_kind.setdefault(item.kind, [0, 0])
    kind[0] += 1
    if result.not_a_request:
        t.not_a_request += 1
    if not remaining & set(CORE):
        t.core_free += 1
        kind[1] += 1
    else:
        t.flag("core-left", item)
    ready = result.score is not None and result.score.verdict.startswith("Ready to send")
    if ready and "job-ask" in remaining:
        t.ready_with_job_ask += 1
        t.flag("ready-with-job-ask", item)
    elif ready and quotes_left:  # the linter never saw this ask: a detection miss
        t.ready_with_undetected_ask += 1



# The ten pairs of docs/rewrites.md: (title, examples/ path or a train item id, comment).
DOC_PAIRS = [
    ('A blunt job ask', 'examples/blunt-job-ask.txt',
     'The two job-ask sentences become one request for his perspective (the first) and '
     'nothing (the second); the trailing "and I\'m looking for my next role" goes, so the '
     'no-expectation sentence can be said; his own meeting sentence gets the 20 minutes '
     'and the coffee option instead of a second meeting question; the fallback follows the'
     ' ask. The subject line was a job ask too.'),
    ('A resume attached and a referral asked for', 'examples/resume-attached.txt',
     'The resume sentence is rewritten, the referral ask becomes a learning ask, and the '
     'fallback follows her own meeting sentence.'),
    ('A schedule dictated, with a deadline', 'examples/dictated-schedule.txt',
     'The deadline ("please confirm by Tuesday") is removed, and flexibility is offered '
     'once, right after the meeting.'),
    ('An apology and a vague length', 'examples/apologetic-tone.txt',
     'The opening apology goes; "a few minutes" becomes 20 and the phone call gets an in-'
     'person option, in her own sentence. Her fallback and her own "not looking for a job"'
     ' were already there, so nothing is added.'),
    ('A polite, indirect job ask in its own paragraph', 'examples/polite-indirect-job-ask.txt',
     'The closing paragraph asked to be considered; it is removed whole, and only then is '
     'the no-expectation sentence added.'),
    ('A writer whose English is a second language', 'examples/non-native-english.txt',
     'His wording is kept; the in-person option is added to his own question and the '
     'fallback after it, and nothing goes after "Thank you very much for your help."'),
    ('A long, rambling email', 'examples/too-long-rambling.txt',
     'Already over the length limit, so only the core asks are added, in short phrasings; '
     'no thank-you line (there is one) and no extras.'),
    ('A LinkedIn connection note', 'real-a-009',
     'A note holds 300 characters: the no-expectation line and the meeting ask fit in '
     'short form; the fallback does not, so it is left out and reported.'),
    ('A thank-you after an interview', 'real-b-012',
     'Not a request: it thanks for a conversation that happened and asks for nothing more. '
     'Nothing is added (no coffee, no fallback), and fix says so; the findings a request '
     'would have stay, for a writer who meant to ask for more.'),
    ('A template from a careers blog', 'real-c-008',
     '"A brief chat" becomes "a brief 20-minute chat, ideally over coffee near your '
     'office"; the fallback and thanks go before the sign-off, never after "[Your Name]".'),
]


def write_doc_pairs() -> None:
    train = {i.id: i for i in items() if i.split == "train"}
    out = []
    for n, (title, src, note) in enumerate(DOC_PAIRS, 1):
        if src.startswith("examples/"):
            text, where = (ROOT / src).read_text(encoding="utf-8"), f"`{src}`"
        else:
            text, where = train[src].text, f"corpus/real `{src}` (train split)"
        res = ol.fix(text, unsafe=True)
        left = ", ".join(sorted({f.rule_id for f in res.remaining})) or "none"
        out.append(f"### {n}. {title}\n\nFrom {where}. {note}\n\nBefore:\n\n```text\n"
                   f"{text.rstrip(chr(10))}\n```\n\nAfter `outreach-lint fix --unsafe` (findings left:"
                   f" {left}):\n\n```text\n{res.text.rstrip(chr(10))}\n```\n")
    doc = ROOT / "docs" / "rewrites.md"
    head = doc.read_text(encoding="utf-8").split("### 1. ", 1)[0]
    doc.write_text(head + "\n".join(out) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if "--write-doc-pairs" in argv:
        write_doc_pairs()
        return 0
    listing = "--list-train" in argv
    tally = Tally()
    for item in items():
        measure(item, tally)
    growth = statistics.median(tally.growth) if tally.growth else 0.0
    core_free = tally.core_free / max(tally.drafts, 1)
    rows = [
        ("drafts fixed (corpus/real all splits + examples)", f"{tally.drafts}"),
        ("contradictions (fix added no-expectation beside a job ask)", f"{tally.contradictions}"),
        ("  (writer's own no-expectation beside a job ask left)", f"{tally.contradictions_writer}"),
        ("inserts on or after the sign-off/name/signature", f"{tally.after_signoff}"),
        ("drafts with a repeated or near-duplicate added sentence", f"{tally.repeated}"),
        (f"LinkedIn notes over {NOTE_LIMIT} chars after fixing (of {tally.notes})",
         f"{tally.notes_over}"),
        (f"median word growth of emails (of {tally.emails})", f"{growth:.1%}"),
        ("emails pushed over too-long by the fix", f"{tally.pushed_over_too_long}"),
        ("drafts free of core findings after fix --unsafe", f"{core_free:.1%}"),
        *((f"  {k}", f"{free / n:.1%} of {n}") for k, (n, free) in sorted(tally.by_kind.items())),
        ("drafts read as not a request (thanks, employer, offer reply)", f"{tally.not_a_request}"),
        ("drafts with a flagged job ask left that score 'Ready to send'",
         f"{tally.ready_with_job_ask}"),
        ("  (labelled job ask the linter missed, scored 'Ready to send')",
         f"{tally.ready_with_undetected_ask}"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    missed = [k for k, limit in TARGETS.items() if getattr(tally, k) > limit]
    if growth > MAX_MEDIAN_GROWTH:
        missed.append("median growth")
    if core_free < MIN_CORE_FREE:
        missed.append("core-free share")
    if listing:
        for name, ids in sorted(tally.problems.items()):
            print(f"{name}: {' '.join(ids)}")
    if missed:
        print(f"targets missed: {', '.join(missed)}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
