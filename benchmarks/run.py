"""Speed and memory of outreach-lint, every target of the performance issue in one run.

    python benchmarks/run.py            # full run (~4 minutes on 2 idle cores)
    python benchmarks/run.py --quick    # smaller samples (~1-2 minutes)

Measures, with the target beside each figure in the closing table: warm `lint()` latency
(p50/p95, wall and CPU) and drafts/s on one core over the 200-draft benchmark corpus; where a
lint's time goes (parse, tokenize, candidates + regexes, rules incl. clause splitting, report)
and what a per-call regex timeout would cost; the whole process (`outreach-lint check --format
json` over 200 files) against write-good (`npx write-good`, when npx is there) in the same run;
cold start of `outreach-lint check` on one draft against `python -c "import spacy;
spacy.blank('en')"`, alternating runs; the language server's first diagnostics from process
start (initialize + didOpen) and its didChange -> publishDiagnostics latency without and with
debounce; CPU time per word from 200 to 20,000 words (paragraphs and hard-wrapped); memory
(peak RSS of the lint loop; RSS after 10,000 lints of edited variants of one draft).

The corpus is deterministic: drafts of 50-350 words assembled from the parts below with a
seeded RNG, plus the texts of corpus/dev/*.yaml. Timings on a shared machine are noisy;
latency percentiles use wall-clock `perf_counter` after a warm-up, and CPU figures are
printed beside them. Subprocesses run with bytecode writing on and a rule cache of this run
(filled by one untimed start), as on a user's machine from the second start on.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import queue
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240611

# ------------------------------------------------------------------------------ corpus

SUBJECTS = [
    "Question about your path into {field}",
    "Fellow {school} alum - quick question",
    "Advice on breaking into {field}?",
    "Would love to learn about your work at {org}",
    "Informational interview request",
    "Referred by {person}",
    "Hoping to learn from your experience",
    "20 minutes of your time?",
    "Career advice from a {school} student",
    "Your talk at {event}",
]
GREETINGS = [
    "Hi {name},", "Hello {name},", "Dear {title} {last},", "Hey {name}!", "Good morning {name},",
    "Hi {name} -", "Dear {name},", "Greetings {name},", "{name},", "Hello {title} {last},",
]
INTROS = [
    "I'm a {year} at {school} studying {major}, and I found your profile in the alumni directory.",
    "My name is {me}, and I'm currently a {role} at {org2} looking at a move into {field}.",
    "{person} suggested I reach out to you after I mentioned my interest in {field}.",
    "I came across your article on {topic} last week and it stuck with me.",
    "I just finished a bootcamp in {major} and I'm trying to understand the field better.",
    "We met briefly at {event}, where you spoke about {topic}.",
    "I'm a career changer with six years in {role2} work, now exploring {field}.",
    "I have been following your posts about {topic} on LinkedIn for a while now.",
    "I'm writing from {school}, where I'm finishing a degree in {major} this spring.",
    "Your path from {role2} into {field} at {org} is exactly the kind I'm trying to learn about.",
]
FRAMINGS = [
    "I'd love to hear how you got started and what you wish you had known early on.",
    "I'm hoping to learn what a typical week looks like for someone in your role.",
    "I want to understand which skills matter most when moving into {field}.",
    "I'm curious how your team decides what to work on and how you measure success.",
    "I'd really value your perspective on whether a graduate degree is worth it in {field}.",
    "I'm trying to get a sense of the day-to-day before I commit to this path.",
    "I would appreciate any advice on how you built your network early in your career.",
    "Hearing how you navigated the switch from {role2} would help me plan my next steps.",
]
JOB_ASKS = [
    "Are you hiring for any {field} roles right now?",
    "Could you refer me for the open {role} position on your team?",
    "I'd love it if you could pass my resume along to your hiring manager.",
    "Do you know of any openings at {org} that would fit my background?",
    "If there is an internship this summer, I would be grateful to be considered.",
    "Would you keep me in mind if a junior position opens up?",
    "I'm applying for the {role} job at {org} and would appreciate a referral.",
]
NO_EXPECTATIONS = [
    "To be clear, I'm not asking for a job or a referral; I'm just trying to learn.",
    "This is purely informational - I'm not looking for a position at {org}.",
    "I'm not expecting anything beyond your perspective.",
    "There is no job ask here, only curiosity about your path.",
]
MEETINGS = [
    "Would you be open to a 20-minute call sometime in the next few weeks?",
    "Could I buy you a coffee near your office for 15 minutes one morning?",
    "Would you have time for a quick video chat next week or the week after?",
    "If you're up for it, I'd love to grab a short coffee whenever suits you.",
    "Might you have 30 minutes for a phone conversation later this month?",
    "I'd be glad to come by your office for a brief chat at a time that works for you.",
    "Would a 15 minute Zoom call be possible sometime soon?",
]
FALLBACKS = [
    "If you're too busy, is there a colleague you'd suggest I speak with instead?",
    "If now isn't a good time, could you point me to someone else on your team?",
    "Totally understand if you can't - any pointer to another person would be wonderful.",
    "If this isn't a fit, I'd be grateful for the name of anyone else I could ask.",
]
FILLERS = [
    "I spent the last two years working on {topic} projects in a small team.",
    "Outside of class I volunteer with a local group that teaches coding to teenagers.",
    "My capstone project looked at {topic}, and it is what got me interested in {field}.",
    "I've read a few books about the industry, but they only go so far.",
    "Most of what I know about {field} comes from online courses and a couple of side projects.",
    "I also noticed that {org} recently published a case study about {topic}, which I enjoyed.",
    "Before that I worked as a {role2} for three years, mostly with clients in retail.",
    "I know your time is valuable, so I'll keep this short.",
    "Last semester I led a group of five students through a research project on {topic}.",
    "I enjoy the problem-solving side of my current job more than anything else.",
    "A friend who works in {field} told me that talking to practitioners is the best first step.",
    "I've been trying to figure out whether my background in {major} transfers well.",
    "It seems like the field has changed a lot in the last few years, especially around {topic}.",
    "I'm based in {city}, so I could also meet in person if that is ever easier.",
    "Thanks for the thoughtful posts you share; they have been genuinely helpful to me.",
    "My current team is small, so I wear a lot of hats, from support tickets to reporting.",
    "I taught myself SQL last year and have been using it to automate our weekly reports.",
    "During my internship I sat in on user interviews and found them fascinating.",
    "I've started a reading group with classmates who are curious about {field} too.",
    "Honestly, the job descriptions I read all sound alike, which is why I'm asking people.",
    "I grew up near {city} and would like to build a career there eventually.",
    "I recently presented a poster on {topic} at our department's research day.",
    "Some of my professors have industry experience, but none in {field} specifically.",
    "I keep a small blog where I write up what I learn about {topic} each month.",
    "My background is unusual for the field, and I'd like to know how to frame it.",
    "I saw that you mentored students through {event}, which is partly why I'm writing.",
    "Our school's career office suggested informational conversations as a first step.",
    "I am comfortable with Python and Excel, and I'm learning the basics of Figma.",
    "I also coach a youth soccer team on weekends, which has taught me a lot about patience.",
    "The part of {field} that draws me most is the mix of research and practical decisions.",
]
CLOSINGS = [
    "Thank you for considering it,", "Best regards,", "Thanks so much,", "Best,",
    "Kind regards,", "Warm wishes,", "Many thanks,", "Cheers,", "Sincerely,", "All the best,",
]
PS_LINES = [
    "P.S. I loved your talk at {event}.",
    "PS - happy to share my portfolio if it's ever useful.",
]
FILL: dict[str, list[str]] = {
    "name": ["Dana", "Raj", "Maya", "Chris", "Priya", "Jordan", "Ana", "Wei", "Tom", "Leila"],
    "last": ["Okafor", "Alvarez", "Chen", "Nguyen", "Smith", "Kowalski", "Haddad", "Ito"],
    "title": ["Dr.", "Ms.", "Mr.", "Professor"],
    "me": ["Sam Lee", "Alex Kim", "Jamie Ortiz", "Noor Rahman", "Taylor Brooks"],
    "year": ["junior", "senior", "sophomore", "second-year grad student"],
    "school": ["Carleton", "UConn", "Georgia Tech", "Michigan", "Rutgers", "UCLA"],
    "major": ["cognitive science", "statistics", "mechanical engineering", "economics",
              "biology", "data science"],
    "field": ["UX research", "product management", "data engineering", "hospital pharmacy",
              "climate policy", "robotics", "public health"],
    "org": ["Figma", "Stripe", "Mayo Clinic", "the city planning office", "Etsy", "NASA"],
    "org2": ["a regional bank", "a nonprofit", "a logistics startup", "a school district"],
    "role": ["analyst", "engineer", "designer", "coordinator", "researcher"],
    "role2": ["teaching", "sales", "nursing", "accounting", "marketing"],
    "person": ["Professor Lin", "my manager", "a mutual friend, Ana", "Jordan from the meetup"],
    "topic": ["usability testing", "payments reliability", "supply chains", "battery recycling",
              "open data", "onboarding flows"],
    "event": ["the spring career fair", "PyCon", "the alumni mixer", "a Women in Tech panel"],
    "city": ["Boston", "Austin", "Seattle", "Chicago", "Denver"],
}


def _fill(rng: random.Random, template: str) -> str:
    out = template
    for key, values in FILL.items():
        token = "{" + key + "}"
        while token in out:
            out = out.replace(token, rng.choice(values), 1)
    return out


def _words(text: str) -> int:
    return len(text.split())


def make_draft(rng: random.Random, target: int) -> str:
    """One draft of roughly `target` words (the result is kept only if 50-350 words)."""

    def pick(options: list[str]) -> str:
        return _fill(rng, rng.choice(options))

    body: list[str] = [pick(INTROS)]
    if rng.random() < 0.8:
        body.append(pick(FRAMINGS))
    if rng.random() < 0.35:
        body.append(pick(JOB_ASKS))
    if rng.random() < 0.4:
        body.append(pick(NO_EXPECTATIONS))
    if rng.random() < 0.85:
        body.append(pick(MEETINGS))
    if rng.random() < 0.5:
        body.append(pick(FALLBACKS))
    head = [f"Subject: {pick(SUBJECTS)}", ""] if rng.random() < 0.6 else []
    head.append(pick(GREETINGS))
    tail = ["", pick(CLOSINGS), rng.choice(FILL["me"])]
    if rng.random() < 0.15:
        tail = ["", pick(PS_LINES), *tail]
    fixed = _words("\n".join(head + tail))
    fillers = rng.sample(FILLERS, len(FILLERS))
    while fixed + sum(_words(s) for s in body) < target:
        filler = fillers.pop() if fillers else rng.choice(FILLERS)
        body.insert(rng.randint(1, len(body)), _fill(rng, filler))
    while len(body) > 1 and fixed + sum(_words(s) for s in body) > target + 15:
        body.pop(rng.randrange(1, len(body)))
    # Paragraphs of one to three sentences.
    paras: list[str] = []
    i = 0
    while i < len(body):
        n = rng.randint(1, 3)
        paras.append(" ".join(body[i : i + n]))
        i += n
    return "\n".join(head) + "\n\n" + "\n\n".join(paras) + "\n" + "\n".join(tail) + "\n"


def dev_texts() -> list[str]:
    import yaml

    texts: list[str] = []
    for path in sorted((ROOT / "corpus" / "dev").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and isinstance(item.get("text"), str):
                texts.append(item["text"])
    return texts


def generated(n: int = 520, seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        d = make_draft(rng, rng.randint(50, 350))
        if 50 <= _words(d) <= 350:
            out.append(d)
    return out


def around(words: int, n: int, seed: int) -> list[str]:
    """`n` drafts of `words` +- 10% words."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        d = make_draft(rng, words)
        if abs(_words(d) - words) <= words // 10:
            out.append(d)
    return out


def edited_variants(base: str, n: int, seed: int) -> Any:
    """`n` successive edits of one draft: words replaced, typos (new strings) inserted."""
    rng = random.Random(seed)
    words = base.split(" ")
    vocab = [w for w in words if w.isalpha()] or ["word"]
    for i in range(n):
        k = rng.randrange(len(words))
        r = rng.random()
        if r < 0.4:
            words[k] = rng.choice(vocab)
        elif r < 0.8:  # a typo: a string the vocabulary has never seen
            w = rng.choice(vocab)
            j = rng.randrange(len(w) + 1)
            words[k] = w[:j] + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in
                                       range(rng.randint(1, 3))) + w[j:]
        else:
            words[k] = words[k] + f" {i}"
        yield " ".join(words)


# ------------------------------------------------------------------------------ helpers


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def maxrss_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024 / 1024 if sys.platform == "darwin" else r / 1024


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def cpu_timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of `fn()` in this process."""
    c = time.process_time()
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t, time.process_time() - c


def load_note() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return ""
    cores = os.cpu_count() or 1
    busy = "  ** machine busy: wall-clock numbers are inflated; see the cpu figures **"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)" + (busy if one > cores else "")


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


# ------------------------------------------------------------------------------ benchmarks


def bench_latency(ol: Any, drafts: list[str], calls: int) -> dict[str, float]:
    for d in drafts:  # warm-up: pipeline, rule set, lazily compiled patterns, caches
        ol.lint(d)
    samples: list[float] = []
    cpu: list[float] = []
    gc.collect()
    for i in range(calls):
        d = drafts[i % len(drafts)]
        c = time.process_time()
        t = time.perf_counter()
        ol.lint(d)
        samples.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    words = statistics.mean(_words(d) for d in drafts)
    print(f"lint() on {len(drafts)} drafts of ~{words:.0f} words, {calls} calls:")
    for label, xs in (("wall", samples), ("cpu ", cpu)):
        print(f"  {label}: p50 {pct(xs, .5):.2f} ms  p95 {pct(xs, .95):.2f} ms"
              f"  p99 {pct(xs, .99):.2f} ms  max {max(xs):.2f} ms")
    return {"p50": pct(samples, 0.5), "p95": pct(samples, 0.95), "p99": pct(samples, 0.99),
            "cpu_p50": pct(cpu, 0.5), "cpu_p95": pct(cpu, 0.95)}


def bench_throughput(ol: Any, texts: list[str]) -> dict[str, float]:
    words = sum(_words(t) for t in texts)
    res: dict[str, float] = {}

    def report(label: str, secs: tuple[float, float]) -> tuple[float, float]:
        wall, cpu = secs
        print(f"{label:<26} {len(texts):>4} drafts in {wall:6.2f} s:"
              f" {len(texts) / wall:7.1f} drafts/s  {words / wall:8.0f} words/s"
              f"  (by CPU time: {len(texts) / cpu:7.1f} drafts/s)")
        return len(texts) / wall, len(texts) / cpu

    loop = cpu_timed(lambda: [ol.lint(t) for t in texts])
    res["loop_secs"], res["loop_cpu_secs"] = loop
    res["loop"], res["loop_cpu"] = report("plain loop, 1 core", loop)
    res["many1"], res["many1_cpu"] = report(
        "lint_many(n_process=1)", cpu_timed(lambda: list(ol.lint_many(texts, n_process=1))))
    return res


def bench_phases(ol: Any, drafts: list[str]) -> dict[str, float]:
    """Where a warm lint's CPU time goes, per draft: the engine's steps run one by one.

    Clause splitting (clauses.py, done lazily per sentence inside the rules' filters) and the
    pydantic report are shown on their own, so new detection work is measured in the budget.
    """
    import outreach_lint.rules.lazy_clauses as lazy
    from outreach_lint.api import lint_draft

    try:
        import outreach_lint.rules.learned as learned
    except ImportError:  # no learned detectors in this version
        learned = None
    from outreach_lint.draft import parse
    from outreach_lint.engine import ruleset_for
    from outreach_lint.nlp import Analysis
    from outreach_lint.rules.context import Context

    rs = ruleset_for(ol.Config())
    spent = {"clauses": 0.0, "features": 0.0, "on": 1.0}  # "on": 0 while the whole lint runs
    real = lazy.Clauses
    real_features = learned.draft_sentence_features if learned else None

    def timed_features(ctx: Any) -> Any:
        t = time.process_time()
        try:
            return real_features(ctx)  # type: ignore[misc]
        finally:
            spent["features"] += (time.process_time() - t) * spent["on"]

    class TimedClauses(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any) -> None:
            t = time.process_time()
            super().__init__(*args)
            spent["clauses"] += (time.process_time() - t) * spent["on"]

    parts = dict.fromkeys(("parse", "tokenize + sentences", "candidates + regexes + matcher",
                           "rules (filters, frames, fixes)", "stats"), 0.0)
    total = 0.0
    lazy.Clauses = TimedClauses  # type: ignore[misc]
    if learned is not None:
        learned.draft_sentence_features = timed_features
    try:
        for _ in range(3):
            for d in drafts:
                t0 = time.process_time()
                draft = parse(d)
                t1 = time.process_time()
                ctx = Context(draft, Analysis(draft))
                t2 = time.process_time()
                ctx.raw_hits = rs.bank.run(ctx)
                t3 = time.process_time()
                for rule in rs.rules:
                    list(rule.check(ctx))
                t4 = time.process_time()
                ctx.stats  # noqa: B018 (computed for the report)
                t5 = time.process_time()
                parts["parse"] += t1 - t0
                parts["tokenize + sentences"] += t2 - t1
                parts["candidates + regexes + matcher"] += t3 - t2
                parts["rules (filters, frames, fixes)"] += t4 - t3
                parts["stats"] += t5 - t4
                spent["on"] = 0.0
                t = time.process_time()
                lint_draft(draft, ol.Config())
                total += time.process_time() - t
                spent["on"] = 1.0
    finally:
        lazy.Clauses = real  # type: ignore[misc]
        if learned is not None:
            learned.draft_sentence_features = real_features
    n = 3 * len(drafts)
    out = {k: v / n * 1000 for k, v in parts.items()}
    whole = sum(out.values())
    print(f"  (a whole lint() of the same drafts: {total / n * 1000:.3f} ms; the parts below are"
          " timed one by one, which adds a little)")
    for k, v in out.items():
        print(f"  {k:<34} {v:6.3f} ms  {v / whole * 100:4.0f}%")
    clauses = spent["clauses"] / n * 1000
    features = spent["features"] / n * 1000
    print(f"  clause splitting (clauses.py) {clauses:.3f} ms/draft ({clauses / whole * 100:.0f}%"
          " of a lint; split per sentence when first asked for)")
    print(f"  learned sentence model's features (learned.py, every prose sentence, clause"
          f" splitting included) {features:.3f} ms/draft ({features / whole * 100:.0f}%)")
    out["clauses"], out["features"], out["lint"] = clauses, features, whole
    return out


def bench_timeout_cost(drafts: list[str]) -> dict[str, float]:
    """What `timeout=` on every regex call would cost (built-in patterns run without it)."""
    import outreach_lint as ol
    from outreach_lint.draft import parse
    from outreach_lint.engine import ruleset_for
    from outreach_lint.nlp import Analysis
    from outreach_lint.rules.context import Context
    from outreach_lint.rules.detect import REGEX_TIMEOUT

    bank = ruleset_for(ol.Config()).bank
    ctxs = []
    for d in drafts:
        draft = parse(d)
        ctxs.append(Context(draft, Analysis(draft)))
    planned = [p for p, _ in bank.plan.entries]
    saved = [p.timeout for p in planned]
    res: dict[str, list[float]] = {"without": [], "with": []}
    try:
        for _ in range(5):
            for label, value in (("without", None), ("with", REGEX_TIMEOUT)):
                for p in planned:
                    p.timeout = value
                t = time.process_time()
                for ctx in ctxs:
                    bank.run(ctx)
                res[label].append((time.process_time() - t) / len(ctxs) * 1000)
    finally:
        for p, value in zip(planned, saved, strict=True):
            p.timeout = value
    without, with_ = min(res["without"]), min(res["with"])
    print(f"regex pass per draft: {without:.3f} ms without a per-call timeout, {with_:.3f} ms with"
          f" timeout= on every call (+{with_ - without:.3f} ms); user packs' patterns keep it")
    return {"without": without, "with": with_}


def scaling_draft(words: int, wrapped: bool) -> str:
    rng = random.Random(words)
    paras: list[str] = []
    count = 0
    while count < words:
        para = " ".join(_fill(rng, rng.choice(FILLERS + FRAMINGS + MEETINGS + FALLBACKS))
                        for _ in range(rng.randint(2, 4)))
        count += _words(para)
        paras.append("\n".join(textwrap.wrap(para, 72)) if wrapped else para)
    return "Hi Dana,\n\n" + "\n\n".join(paras) + "\n\nBest,\nSam\n"


def bench_scaling(ol: Any, quick: bool) -> dict[str, float]:
    """CPU time per word from 200 to 20,000 words, paragraphs and hard-wrapped lines."""
    cfg = ol.Config(max_chars=1_000_000)
    out: dict[str, float] = {}
    for wrapped in (False, True):
        per_word: dict[int, float] = {}
        for words in (200, 2000, 20_000):
            text = scaling_draft(words, wrapped)
            ol.lint(text, config=cfg)
            reps = max(1, (2000 if quick else 6000) // words)
            best = min(cpu_timed(lambda t=text, r=reps: [ol.lint(t, config=cfg)
                                                         for _ in range(r)])[1] / reps
                       for _ in range(3))
            per_word[words] = best / _words(text) * 1e6
        kind = "hard-wrapped" if wrapped else "paragraphs"
        ratio = per_word[20_000] / per_word[200]
        out[kind] = ratio
        print(f"{kind:<13} " + "  ".join(f"{w:>6,} words {v:5.1f} us/word" for w, v in
                                         per_word.items()) + f"   20,000 / 200: {ratio:.2f}x")
    return out


def bench_multicore(ol: Any, texts: list[str]) -> float:
    n = os.cpu_count() or 1
    words = sum(_words(t) for t in texts)
    # Workers fork from this (warm) process; the time includes pool start-up.
    secs = timed(lambda: list(ol.lint_many(texts, n_process=n, batch_size=16)))
    rate = len(texts) / secs
    print(f"{f'lint_many(n_process={n})':<34} {len(texts):>4} drafts in {secs:6.2f} s:"
          f" {rate:7.1f} drafts/s  {words / secs:9.0f} words/s  (incl. pool start-up)")
    return rate


def bench_floor(texts: list[str], lint: float) -> dict[str, float]:
    """CPU-time ratio (robust to a busy machine) of lint() to tokenizing the same texts."""
    import spacy

    nlp = spacy.blank("en")
    for t in texts[:20]:
        nlp.make_doc(t)
    make_doc = min(cpu_timed(lambda: [nlp.make_doc(t) for t in texts])[1] for _ in range(3))
    pipe = min(cpu_timed(lambda: list(nlp.pipe(texts)))[1] for _ in range(3))
    n = len(texts)
    floor = min(make_doc, pipe)
    print(f"CPU time per draft: blank spaCy make_doc {make_doc / n * 1000:.3f} ms, nlp.pipe"
          f" {pipe / n * 1000:.3f} ms, lint() {lint / n * 1000:.3f} ms")
    ratio = (lint - floor) / floor
    print(f"lint() = {lint / floor:.1f}x the tokenization floor; rules' cost (lint - floor)"
          f" = {ratio:.1f}x the floor")
    return {"ratio": ratio, "floor_ms": floor / n * 1000, "lint_ms": lint / n * 1000}


def child_env(cache_dir: str) -> dict[str, str]:
    """The environment of timed subprocesses: a normal install writes bytecode (this machine's
    PYTHONDONTWRITEBYTECODE would recompile outreach_lint on every start), and the rule cache
    lives in a folder of this run."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("OUTREACH_LINT_NO_CACHE", None)
    env["OUTREACH_LINT_CACHE_DIR"] = cache_dir
    return env


def run_child(cmd: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one subprocess."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime


def bench_cold_start(reps: int, cache_dir: str) -> dict[str, float]:
    """One draft from a fresh interpreter, against loading a blank spaCy pipeline.

    The commands run alternately (same machine load for each); medians are reported. The
    rule cache is filled by one untimed run first (a user's every start but the first).
    """
    py = sys.executable
    draft = str(ROOT / "examples" / "good-request.txt")
    check = [py, "-m", "outreach_lint", "check", draft]
    cmds: list[tuple[str, list[str]]] = [
        ("python -c pass", [py, "-c", "pass"]),
        ("spaCy blank (baseline)", [py, "-c", "import spacy; spacy.blank('en')"]),
        ("spaCy blank, GC paused", [py, "-c", "import gc; gc.disable(); import spacy;"
                                    " spacy.blank('en')"]),
        ("import outreach_lint", [py, "-c", "import outreach_lint"]),
        ("outreach-lint check (1 draft)", check),
    ]
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cwd:  # no config file discovery from the repo
        env = child_env(cache_dir)
        empty = child_env(os.path.join(cwd, "empty-cache"))
        wall, cpu = run_child(check, empty, cwd)  # also writes outreach_lint's bytecode
        out["first ever"], out["first ever cpu"] = wall, cpu
        print(f"{'check, empty rule cache (first start)':<38} wall {wall:6.3f} s; cpu {cpu:.3f} s")
        run_child(check, env, cwd)  # fills this run's rule cache
        times: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in cmds}
        for _ in range(reps):
            for label, cmd in cmds:
                times[label].append(run_child(cmd, env, cwd))
    for label, samples in times.items():
        walls, cpus = [w for w, _ in samples], [c for _, c in samples]
        out[label], out[label + " cpu"] = statistics.median(walls), statistics.median(cpus)
        print(f"{label:<38} wall median {out[label]:6.3f} s (min {min(walls):.3f});"
              f" cpu median {out[label + ' cpu']:.3f} s (n={reps})", flush=True)
    base, base_cpu = out["spaCy blank (baseline)"], out["spaCy blank (baseline) cpu"]
    out["ratio"] = out["outreach-lint check (1 draft)"] / base
    out["ratio cpu"] = out["outreach-lint check (1 draft) cpu"] / base_cpu
    paused = out["outreach-lint check (1 draft) cpu"] / out["spaCy blank, GC paused cpu"]
    print(f"check / spaCy blank: wall {out['ratio']:.2f}x, cpu {out['ratio cpu']:.2f}x"
          " (check pauses the cyclic GC while it loads; against a blank spaCy load with the GC"
          f" paused too: cpu {paused:.2f}x)")
    return out


def bench_whole_process(texts: list[str], cache_dir: str) -> dict[str, float]:
    """`outreach-lint check --format json` over N draft files in one process, one core, and
    write-good (`npx write-good`) over the same files, in the same run."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, t in enumerate(texts):
            f = Path(tmp) / f"draft-{i:03d}.txt"
            f.write_text(t, encoding="utf-8")
            files.append(str(f))
        env = child_env(cache_dir)
        ours = [sys.executable, "-m", "outreach_lint", "check", "--format", "json", *files]
        run_child(ours, env, tmp)  # warm: bytecode and the rule cache, as on a user's machine
        samples = [run_child(ours, env, tmp) for _ in range(3)]
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        out["ours"] = len(files) / wall
        print(f"outreach-lint check --format json: {len(files)} drafts in {wall:.2f} s ="
              f" {out['ours']:.0f} drafts/s (cpu {cpu:.2f} s)")
        npx = shutil.which("npx")
        if npx is None:
            print("write-good: not measured (no npx on this machine)")
            return out
        wg = [npx, "--yes", "write-good", *files]
        try:
            warm = subprocess.run([npx, "--yes", "write-good", files[0]], cwd=tmp,
                                  capture_output=True, text=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(f"write-good: not measured ({exc.__class__.__name__}: {exc})")
            return out
        # write-good exits with its number of suggestions; npx's own failures print nothing
        # on stdout.
        if warm.returncode != 0 and not warm.stdout.strip():
            print(f"write-good: not measured (npx write-good failed: {warm.stderr.strip()[:200]})")
            return out
        samples = [run_child(wg, dict(os.environ), tmp) for _ in range(3)]
        wall = statistics.median(w for w, _ in samples)
        out["write-good"] = len(files) / wall
        print(f"npx write-good (same files):       {len(files)} drafts in {wall:.2f} s ="
              f" {out['write-good']:.0f} drafts/s")
    return out


# ------------------------------------------------------------------------------ LSP


class LspClient:
    """A minimal JSON-RPC client over a server's stdio (Content-Length framing)."""

    def __init__(self, cmd: list[str], env: dict[str, str] | None = None) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        self.inbox.put(None)
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                if length is None:
                    continue
                msg = json.loads(out.read(length))
                if "method" in msg and "id" in msg:  # a server request: answer with null
                    self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                self.inbox.put(msg)
        except (OSError, ValueError):
            self.inbox.put(None)

    def send(self, msg: dict[str, Any]) -> None:
        body = json.dumps(msg).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: Any, timeout: float = 30) -> dict[str, Any]:
        self._id += 1
        rid = self._id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, pred: Callable[[dict[str, Any]], bool], timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message from the server")
            msg = self.inbox.get(timeout=left)
            if msg is None:
                raise RuntimeError("the server closed its output")
            if pred(msg):
                return msg

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:  # best effort
            self.proc.kill()
            self.proc.wait()


def bench_lsp(draft: str, changes: int, debounce_ms: float | None = None,
              cache_dir: str | None = None) -> dict[str, float] | None:
    """didChange -> publishDiagnostics; `debounce_ms` None keeps the server's default delay."""
    spec = importlib.util.find_spec("outreach_lint.lsp")
    runnable = spec is not None and (
        not spec.submodule_search_locations
        or importlib.util.find_spec("outreach_lint.lsp.__main__") is not None
    )
    if not runnable:
        print("skipped: `python -m outreach_lint.lsp` is not runnable yet (no outreach_lint.lsp"
              " module or no lsp/__main__.py)")
        return None
    cmd = [sys.executable, "-m", "outreach_lint.lsp"]
    if debounce_ms is not None:
        cmd += ["--debounce-ms", str(debounce_ms)]
    client = LspClient(cmd, child_env(cache_dir) if cache_dir else None)
    uri = (ROOT / "benchmarks" / "_lsp_draft.txt").as_uri()

    def is_diag(version: int) -> Callable[[dict[str, Any]], bool]:
        def pred(m: dict[str, Any]) -> bool:
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m.get("params", {})
            return p.get("uri") == uri and p.get("version", version) == version
        return pred

    try:
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": ROOT.as_uri(), "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {"publishDiagnostics": {"versionSupport": True},
                                 "synchronization": {"didSave": True}},
            },
        })
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "plaintext", "version": 1, "text": draft}})
        client.wait(is_diag(1), timeout=60)
        first = time.perf_counter() - client.started
        print(f"process start -> initialize -> didOpen -> first diagnostics: {first:.2f} s")
        samples: list[float] = []
        for version, text in enumerate(edited_variants(draft, changes, seed=7), start=2):
            t = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}]})
            client.wait(is_diag(version), timeout=10)
            samples.append((time.perf_counter() - t) * 1000)
    except (TimeoutError, RuntimeError, queue.Empty) as exc:
        print(f"LSP benchmark failed: {exc!r}")
        client.proc.kill()
        return None
    finally:
        if client.proc.poll() is None:
            client.close()
    how = "server default debounce" if debounce_ms is None else f"--debounce-ms {debounce_ms:g}"
    print(f"didChange -> publishDiagnostics ({how}), {_words(draft)}-word draft, {changes} edits:"
          f" p50 {pct(samples, .5):.1f} ms  p95 {pct(samples, .95):.1f} ms"
          f"  max {max(samples):.1f} ms")
    return {"p50": pct(samples, 0.5), "p95": pct(samples, 0.95), "first": first}


def hostile_drafts() -> dict[str, str]:
    """Drafts at the 100,000-character limit shaped to make matching work hard."""
    def fill(unit: str) -> str:
        head, tail = "Hi Dana,\n\n", "\n\nBest,\nSam"
        body = (unit * (100_000 // len(unit) + 1))[: 100_000 - len(head) - len(tail)]
        return head + body + tail
    return {
        "a run of job nouns": fill("Do you have any open jobs jobs jobs roles positions? "),
        "one word repeated": fill("word "),
        "request sentences": fill("Could we talk about your work next week? "),
        "one long sentence": fill("and then we could perhaps talk about it "),
        "letters only": fill("qpqpqpqpqpqpqpqpqpqp"),
    }


def bench_hostile() -> dict[str, float]:
    """The built-in pack runs in-process because its work is bounded: the slowest of these
    must stay well inside the default time budget."""
    import outreach_lint as ol
    from outreach_lint.bounded import DEFAULT_BUDGET

    worst = 0.0
    for name, text in hostile_drafts().items():
        t0 = time.perf_counter()
        report = ol.lint(text)
        took = time.perf_counter() - t0
        worst = max(worst, took)
        timed_out = any(f.rule_id == "lint-timeout" for f in report.findings)
        print(f"{name:<22} {len(text):,} chars: {took:.2f} s"
              f"{'  (lint-timeout!)' if timed_out else ''}")
    print(f"slowest {worst:.2f} s; default time budget {DEFAULT_BUDGET:g} s")
    return {"worst": worst}


def big_draft(chars: int = 2_000_000) -> str:
    """A draft of about `chars` characters: short lines, a few CR LF and U+2028 in it."""
    rng = random.Random(SEED)
    words = ["we", "could", "talk", "about", "your", "work", "at", "the", "studio", "next",
             "week", "if", "you", "have", "time"]
    lines = []
    total = 0
    while total < chars:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(3, 14)))
        if rng.random() < 0.02:
            line += "\u2028and more"
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)


def edits_for(text: str, count: int, seed: int) -> list[tuple[int, int, str]]:
    """(line, column, inserted text) of small typing edits spread over the document."""
    rng = random.Random(seed)
    n_lines = text.count("\n") + 1
    return [(rng.randrange(n_lines), rng.randrange(0, 12), rng.choice(["a", "b ", "\n", "xy"]))
            for _ in range(count)]


def bench_edits(count: int) -> dict[str, float]:
    """Applying incremental didChange edits to a 2 MB draft, in-process: the old way (a
    `LineIndex` of the whole text per edit) against `lsp.buffer.TextBuffer`."""
    from outreach_lint.lsp.buffer import TextBuffer
    from outreach_lint.models import LineIndex

    text = big_draft()
    edits = edits_for(text, count, seed=5)
    old = text
    t0 = time.perf_counter()
    for line, col, new in edits[: max(count // 10, 5)]:  # the old way is slow: fewer edits
        index = LineIndex(old)
        at = index.offset(line, col, "utf-16")
        old = old[:at] + new + old[at:]
    before = (time.perf_counter() - t0) / max(count // 10, 5) * 1000
    buf = TextBuffer(text)
    t0 = time.perf_counter()
    for line, col, new in edits:
        at = buf.offset(line, col, "utf-16")
        buf.replace(at, at, new)
    after = (time.perf_counter() - t0) / count * 1000
    print(f"{len(text):,}-character draft, {text.count(chr(10)):,} lines: per edit"
          f" {before:.1f} ms re-indexing the whole text, {after:.3f} ms with TextBuffer")
    return {"before": before, "after": after}


def bench_lsp_edits(count: int) -> dict[str, float] | None:
    """End to end: `count` small incremental didChange edits to an open 2 MB draft, then a
    hover; the time until its reply, per edit, is what the edits cost the event loop."""
    client = LspClient([sys.executable, "-m", "outreach_lint.lsp", "--debounce-ms", "50"])
    uri = "untitled:big-draft.txt"
    text = big_draft()
    try:
        client.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                      "capabilities": {"general": {"positionEncodings": ["utf-16"]}}})
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "plaintext", "version": 1, "text": text}})
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics", 120)
        hover = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
        client.request("textDocument/hover", hover)
        t0 = time.perf_counter()
        for version, (line, col, new) in enumerate(edits_for(text, count, seed=6), start=2):
            pos = {"line": line, "character": col}
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": pos, "end": pos}, "text": new}]})
        client.request("textDocument/hover", hover, timeout=600)
        per_edit = (time.perf_counter() - t0) / count * 1000
    except (TimeoutError, RuntimeError, queue.Empty) as exc:
        print(f"LSP edit benchmark failed: {exc!r}")
        client.proc.kill()
        return None
    finally:
        if client.proc.poll() is None:
            client.close()
    print(f"{count} incremental edits to a {len(text):,}-character draft over stdio, then a"
          f" hover: {per_edit:.2f} ms per edit")
    return {"per_edit": per_edit}


# ------------------------------------------------------------------------------ memory


def memory_child(edits: int) -> None:
    """Run in a fresh process: peak RSS of a lint loop, then RSS after `edits` edited lints."""
    import outreach_lint as ol

    base_rss = rss_mb()
    texts = generated() + dev_texts()
    for t in texts:
        ol.lint(t)
    loop_peak = maxrss_mb()
    draft = around(100, 1, seed=99)[0]  # ~100 words: 10k lints fit in the time budget
    before = rss_mb()
    t0 = time.perf_counter()
    for text in edited_variants(draft, edits, seed=11):
        ol.lint(text)
    secs = time.perf_counter() - t0
    from outreach_lint.nlp import get_nlp

    nlp, _ = get_nlp()
    print(json.dumps({
        "import_rss": base_rss, "loop_peak": loop_peak, "before_edits": before,
        "after_edits": rss_mb(), "peak": maxrss_mb(), "edits": edits, "secs": secs,
        "strings": len(nlp.vocab.strings), "lexemes": len(nlp.vocab),
    }))


def start_memory_child(edits: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, __file__, "--memory-child", str(edits)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)


def finish_memory_child(proc: subprocess.Popen[str]) -> dict[str, float] | None:
    out, _ = proc.communicate()
    try:
        data: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print("memory child failed")
        return None
    print(f"RSS after import {data['import_rss']:.0f} MB; peak RSS (maxrss) of a lint loop over"
          f" the corpus: {data['loop_peak']:.0f} MB")
    print(f"RSS before edits {data['before_edits']:.0f} MB -> after {int(data['edits']):,} lints"
          f" of edited variants of a ~100-word draft: {data['after_edits']:.0f} MB"
          f" (peak {data['peak']:.0f} MB;"
          f" {data['secs']:.0f} s, {data['edits'] / data['secs']:.0f} lints/s)")
    print(f"spaCy StringStore: {int(data['strings']):,} strings, vocab {int(data['lexemes']):,}"
          " lexemes (each new typo adds one; nothing evicts them)")
    return data


# ------------------------------------------------------------------------------ main


def guarded(fn: Callable[[], Any]) -> Any:
    """Run one benchmark; a failure (e.g. a rule pack edited mid-run) is printed, not fatal."""
    try:
        return fn()
    except Exception as exc:  # report and go on with the other benchmarks
        print(f"FAILED: {exc.__class__.__name__}: {str(exc)[:400]}")
        return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller samples (~20-30 s)")
    ap.add_argument("--memory-child", type=int, metavar="EDITS", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child is not None:
        memory_child(args.memory_child)
        return 0
    quick = args.quick
    started = time.perf_counter()
    cores = os.cpu_count() or 1
    print(f"outreach-lint benchmarks ({'quick' if quick else 'full'}); Python"
          f" {sys.version.split()[0]}, {cores} cores; {load_note()}")

    import outreach_lint as ol

    try:
        first = ol.lint("Hi Dana, would you have 20 minutes for a call next week?")
    except ol.OutreachLintError as exc:
        print(f"outreach-lint cannot lint with the current rule packs: {exc}")
        return 1
    from outreach_lint.engine import ruleset_for

    rs = ruleset_for(ol.Config())
    print(f"rule set: {len(rs.rules)} rules, {sum(len(v) for v in rs.bank.regexes.values())}"
          f" regexes, {len(rs.bank.matcher)} token patterns,"
          f" {len(rs.bank.phrase_matcher)} phrase keys ({len(first.findings)} findings on a probe)")

    # The 10k-edit memory run takes a while: it runs in its own process on the second core
    # while the single-core benchmarks run here, and is joined before the multi-core one.
    mem_proc = start_memory_child(1000 if quick else 10_000)

    bench = around(200, 200, seed=5)  # the 200-draft benchmark corpus of the targets
    gen = generated()
    dev = dev_texts()
    corpus = gen + dev
    lengths = [_words(t) for t in gen]
    print(f"benchmark corpus: {len(bench)} generated drafts of ~"
          f"{statistics.mean(_words(t) for t in bench):.0f} words; wider corpus: {len(gen)}"
          f" generated drafts ({min(lengths)}-{max(lengths)} words) + {len(dev)} corpus/dev"
          f" drafts = {len(corpus)} drafts, {sum(_words(t) for t in corpus):,} words")
    sample = corpus if not quick else corpus[::5]
    cache = tempfile.mkdtemp(prefix="outreach-lint-bench-cache-")

    section("latency: in-process lint(), warm, the 200-draft corpus")
    lat = guarded(lambda: bench_latency(ol, bench, 400 if quick else 1000))

    section("throughput, one core")
    thr200 = guarded(lambda: bench_throughput(ol, bench)) or {}
    thr = guarded(lambda: bench_throughput(ol, sample)) or {}

    section("where a lint's time goes (CPU per draft, the 200-draft corpus)")
    guarded(lambda: bench_phases(ol, bench[:60] if quick else bench))
    guarded(lambda: bench_timeout_cost(bench[:60] if quick else bench))

    section("tokenization floor (blank spaCy English, wider corpus)")
    floor = guarded(lambda: bench_floor(sample, thr["loop_cpu_secs"])) if thr else None

    section("whole process on the 200 drafts, one core (same run)")
    whole = guarded(lambda: bench_whole_process(bench, cache)) or {}

    section("cold start: one draft from a fresh interpreter")
    cold = guarded(lambda: bench_cold_start(5 if quick else 9, cache)) or {}

    section("language server (fresh server process each)")
    lsp_draft = around(300, 1, seed=3)[0]
    lsp = guarded(lambda: bench_lsp(lsp_draft, 60 if quick else 300, debounce_ms=0,
                                    cache_dir=cache))
    lsp_default = guarded(lambda: bench_lsp(lsp_draft, 20 if quick else 40, cache_dir=cache))

    section("scaling: CPU time per word, 200 to 20,000 words")
    scaling = guarded(lambda: bench_scaling(ol, quick)) or {}

    section("built-in pack on hostile drafts at the size limit (bounded work)")
    hostile = guarded(bench_hostile)

    section("language server: incremental edits on a 2 MB draft")
    edits = guarded(lambda: bench_edits(200 if quick else 1000))
    lsp_edits = guarded(lambda: bench_lsp_edits(200 if quick else 1000))

    section("memory (separate process)")
    mem = guarded(lambda: finish_memory_child(mem_proc))

    section("throughput on all cores")
    multi = guarded(lambda: bench_multicore(ol, sample))
    shutil.rmtree(cache, ignore_errors=True)

    section("targets")
    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, target: str, value: float | None, fmt: str,
            ok: Callable[[float], bool] | None) -> None:
        shown = "n/a" if value is None else format(value, fmt)
        status = "-" if value is None or ok is None else ("PASS" if ok(value) else "FAIL")
        rows.append((name, target, shown, status))

    def get(d: dict[str, float] | None, key: str) -> float | None:
        return d.get(key) if d else None

    row("warm lint p50, wall (ms)", "<= 3", get(lat, "p50"), ".2f", lambda v: v <= 3)
    row("warm lint p95, wall (ms)", "<= 6", get(lat, "p95"), ".2f", lambda v: v <= 6)
    row("warm lint p50, CPU (ms)", "<= 3", get(lat, "cpu_p50"), ".2f", lambda v: v <= 3)
    row("warm lint p95, CPU (ms)", "<= 6", get(lat, "cpu_p95"), ".2f", lambda v: v <= 6)
    row("warm lint p99, wall (ms)", "(report)", get(lat, "p99"), ".2f", None)
    row("drafts/s, one core, wall", ">= 300", get(thr200, "loop"), ".0f", lambda v: v >= 300)
    row("drafts/s, one core, by CPU time", ">= 300", get(thr200, "loop_cpu"), ".0f",
        lambda v: v >= 300)
    row("drafts/s, lint_many n_process=1 (wide)", "(report)", get(thr, "many1"), ".0f", None)
    row(f"drafts/s, lint_many n_process={cores}", "(report)", multi, ".0f", None)
    wg = get(whole, "write-good")
    row("whole process: write-good drafts/s", "(report)", wg, ".0f", None)
    row("whole process: check drafts/s", ">= w-g" if wg else "(no w-g)", get(whole, "ours"),
        ".0f", (lambda v: v >= wg) if wg else None)
    row("rules' cost / tokenization floor (CPU)", "(report)", get(floor, "ratio"), ".1f", None)
    row("cold check / spaCy blank, wall", "<= 1.15", get(cold, "ratio"), ".2f",
        lambda v: v <= 1.15)
    row("cold check / spaCy blank, CPU", "<= 1.15", get(cold, "ratio cpu"), ".2f",
        lambda v: v <= 1.15)
    row("LSP first diagnostics from start (s)", "<= 1.5", get(lsp, "first"), ".2f",
        lambda v: v <= 1.5)
    row("LSP edit p95, no debounce (ms)", "<= 100", get(lsp, "p95"), ".1f", lambda v: v <= 100)
    row("LSP edit p50, no debounce (ms)", "(report)", get(lsp, "p50"), ".1f", None)
    row("LSP edit p95, default debounce (ms)", "(report)", get(lsp_default, "p95"), ".1f", None)
    for kind in ("paragraphs", "hard-wrapped"):
        row(f"us/word 20,000 / 200 words, {kind}", "<= 1.5", scaling.get(kind), ".2f",
            lambda v: v <= 1.5)
    row("hostile 100k draft, built-in pack (s)", "<= 15", get(hostile, "worst"), ".2f",
        lambda v: v <= 15)
    row("2 MB draft: edit, whole-text index (ms)", "(report)", get(edits, "before"), ".1f", None)
    row("2 MB draft: edit, TextBuffer (ms)", "<= 5", get(edits, "after"), ".3f",
        lambda v: v <= 5)
    row("2 MB draft: edit over stdio (ms)", "<= 10", get(lsp_edits, "per_edit"), ".2f",
        lambda v: v <= 10)
    n_edits = "1k" if quick else "10k"
    row(f"RSS after {n_edits} edits (MB)", "< 250", get(mem, "after_edits"), ".0f",
        lambda v: v < 250)
    print(f"{'measure':<40} {'target':>9} {'measured':>9}  status")
    for name, target, shown, status in rows:
        print(f"{name:<40} {target:>9} {shown:>9}  {status}")
    print(f"\n(total {time.perf_counter() - started:.0f} s; {load_note()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
