"""Features of a sentence for the learned detectors: its words, and its clauses' structure.

The same function serves training (benchmarks/train_job_ask.py) and linting, so a model
always sees the features it was trained on. Features are strings (a sparse binary vector):

- `w:<word>` and `b:<word>_<word>`: the words (placeholders become `<ph>`, numbers `<num>`);
- `act:`, `time:`, `agent:`, `neg`, `cond`: what the sentence's clauses do (clauses.py);
- `emp` and its crosses (`emp*act:wish`, `emp*poss:your`, `emp*neg`, ...): an employment word
  (job nouns, hiring, applying, candidacy) and how it is used: who it belongs to, whether it
  is asked for, wished for, reported or negated. These crosses are what lets a model tell
  "I'm keen on the position" from "how did you get your position?";
- `voice:employer`: "we"/"our" with "your application" — the employer's side, not the seeker's.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from .clauses import Clause, norm

if TYPE_CHECKING:
    from spacy.tokens import Span

# Employment words: what a job ask is about. Closed enough to list; inflections included
# because the default pipeline has no lemmatizer.
EMPLOYMENT = frozenset(
    [
        'job', 'jobs', 'position', 'positions', 'opening', 'openings', 'vacancy', 'vacancies',
        'role', 'roles', 'opportunity', 'opportunities', 'internship', 'internships', 'intern',
        'interning', 'placement', 'placements', 'post', 'posts', 'employment', 'hire', 'hired',
        'hiring', 'hires', 'recruit', 'recruiting', 'recruitment', 'recruiter', 'recruiters',
        'candidate', 'candidates', 'candidacy', 'consideration', 'considered', 'consider',
        'considering', 'apply', 'applied', 'applying', 'application', 'applications', 'applicant',
        'referral', 'refer', 'referred', 'interview', 'interviews', 'interviewing', 'interviewed',
        'shortlist', 'shortlisted', 'fit', 'match', 'asset', 'headcount', 'req', 'reqs',
        'requisition', 'gig', 'gigs', 'apprenticeship', 'traineeship', 'externship', 'fellowship',
        'residency', 'co-op', 'onboard', 'join', 'joining', 'team', 'staff', 'cv', 'resume',
        'résumé', 'work', 'working', 'employ', 'employed', 'employer', 'supervision', 'supervisor',
        'phd', 'postdoc', 'lab', 'slot', 'spot',
    ]
)
# Word classes: the meaning a feature generalises over, so "keen on the position" and
# "thrilled about the role" share features even when the training set has only one of them.
CLASSES: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "JOB": "job jobs position positions opening openings vacancy vacancies role roles "
               "internship internships placement placements post posts gig gigs apprenticeship "
               "traineeship externship fellowship residency co-op headcount req reqs slot spot "
               "employment work opportunity opportunities supervision phd postdoc",
        "HIRE": "hire hired hiring hires recruit recruiting recruitment recruiter recruiters "
                "onboard onboarding staffing",
        "CANDIDACY": "candidate candidates candidacy consideration considered consider considering "
                     "fit match asset qualified qualifications suitable shortlist shortlisted "
                     "eligible",
        "APPLY": "apply applied applying application applications applicant submitted submit",
        "STATUS": "status stands update next steps process decision timeline hearing back",
        "REFER": "refer referral referred referring recommend recommendation forward pass "
                 "introduce introduction",
        "JOIN": "join joining contribute contributing part bring add value serve help",
        "WANT": "want wanted love like keen eager interested interest interests thrilled excited "
                "enthusiastic hope hoping hopeful wish dream looking seeking need glad happy "
                "passionate appeals",
        "ADVICE": "advice perspective perspectives insight insights learn learning questions tips "
                  "guidance thoughts experience path journey story stories career how what why "
                  "curious understand",
        "TALK": "call chat coffee meet meeting talk speak conversation zoom minutes lunch",
        "OPEN": "open opens available upcoming future anything something",
        "SELF": "i me my myself i'm i'd i've i'll",
        "READER": "you your yours you're you'd u ur",
        "ORG": "team company firm organization organisation group department lab office "
               "agency studio school hospital clinic practice startup newsroom staff",
        "EMPLOYER": "we our us",
        "DECLINE": "decline declining withdraw withdrawing accepted unfortunately regret "
                   "stepping resign resigning",
        "THANKS": "thanks thank grateful appreciate appreciated",
    }.items()
}
_CLASS_OF: dict[str, list[str]] = {}
for _name, _words in CLASSES.items():
    for _w in _words:
        _CLASS_OF.setdefault(_w, []).append(_name)

_POSSESSIVES = {"my": "my", "your": "your", "ur": "your", "our": "our", "their": "their",
                "his": "their", "her": "their", "the": "the", "this": "the", "that": "the",
                "a": "a", "an": "a", "any": "any", "some": "any", "open": "any", "new": "a"}
_PLACEHOLDER = regex.compile(r"^X+x*$|^Xx+$")
_NUM = regex.compile(r"^\d[\d,.:/-]*$")


@lru_cache(maxsize=1 << 16)  # bounded: a long-running server sees ever new words
def _word(text: str) -> str | None:
    if _PLACEHOLDER.match(text):
        return "<ph>"
    if _NUM.match(text):
        return "<num>"
    low = norm(text)
    if not any(c.isalpha() for c in low):
        return "?" if "?" in low else None
    return low


def sentence_features(sent: Span, clauses: list[Clause], *, segment: str | None = None) -> set[str]:
    """The feature set of one sentence (`sent` is a spaCy span; `clauses` are its clauses)."""
    feats: set[str] = set()
    words: list[tuple[int, str]] = []
    for tok in sent:
        if tok.is_space:
            continue
        w = _word(tok.text)
        if w is not None:
            words.append((tok.i, w))
    seq = [w for _, w in words]
    for w in seq:
        feats.add("w:" + w)
    for a, b in itertools.pairwise(seq):
        feats.add(f"b:{a}_{b}")
    if segment:
        feats.add("seg:" + segment)
    if "we" in seq or "our" in seq:
        feats.add("voice:we")
        if "your" in seq and any(w in ("application", "resume", "cv", "candidacy") for w in seq):
            feats.add("voice:employer")
    for c in clauses:
        for name in c.act_names():
            feats.add("act:" + name)
        feats.add("time:" + c.time.value)
        feats.add("agent:" + c.agent.value)
        if c.negated:
            feats.add("neg")
        if c.conditional:
            feats.add("cond")
    # Word classes, alone, crossed with what their clause does, and in pairs within a clause.
    for c in clauses:
        present = sorted({k for i, w in words if c.tok_start <= i < c.tok_end
                          for k in _CLASS_OF.get(w, ())})
        acts = c.act_names()
        for k in present:
            feats.add("c:" + k)
            feats.add(f"c:{k}*time:{c.time.value}")
            feats.add(f"c:{k}*agent:{c.agent.value}")
            for a in acts:
                feats.add(f"c:{k}*act:{a}")
            if c.negated:
                feats.add(f"c:{k}*neg")
        for x in range(len(present)):
            for y in range(x + 1, len(present)):
                feats.add(f"c:{present[x]}+{present[y]}")
    by_tok = {i: w for i, w in words}
    for i, w in words:
        if w not in EMPLOYMENT:
            continue
        clause = next((c for c in clauses if c.tok_start <= i < c.tok_end), None)
        feats.add("emp")
        feats.add("emp:" + w)
        poss = "none"
        for back in (1, 2, 3):
            prev = by_tok.get(i - back)
            if prev in _POSSESSIVES:
                poss = _POSSESSIVES[prev]
                break
        feats.add("emp*poss:" + poss)
        if clause is None:
            continue
        for name in clause.act_names():
            feats.add("emp*act:" + name)
            feats.add(f"emp*act:{name}*agent:{clause.agent.value}")
        feats.add("emp*time:" + clause.time.value)
        feats.add("emp*agent:" + clause.agent.value)
        if clause.negates(i):
            feats.add("emp*neg")
        if clause.conditional:
            feats.add("emp*cond")
    return feats


# Draft-level context: a sentence about helping or joining reads as an ask in an application
# ("how I could help [Company]" after "I saw the posted role") and not in a fan note.
_DRAFT_CLASSES = ("JOB", "HIRE", "APPLY", "CANDIDACY", "ADVICE", "EMPLOYER", "DECLINE", "TALK",
                  "STATUS", "REFER")
_SENTENCE_CLASSES = ("JOIN", "WANT", "TALK", "SELF", "READER", "JOB", "CANDIDACY", "ADVICE")


def add_draft_context(per_sentence: list[set[str]]) -> None:
    """Add to every sentence's features the word classes of the whole draft, and crosses of the
    sentence's own classes with them (in place)."""
    present = {f[2:] for feats in per_sentence for f in feats
               if f.startswith("c:") and "*" not in f and "+" not in f}
    draft = [k for k in _DRAFT_CLASSES if k in present]
    for feats in per_sentence:
        own = [k for k in _SENTENCE_CLASSES if "c:" + k in feats]
        for d in draft:
            feats.add("d:" + d)
            for k in own:
                feats.add(f"s:{k}*d:{d}")
