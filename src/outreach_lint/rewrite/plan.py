"""The rewrite planner: every finding of a draft in, one edit plan out.

Fixes used to be applied rule by rule, each adding its own stock sentence; the result asked
for a job and denied it in one email, asked for a meeting twice, and signed off before the
last paragraph. The planner decides the whole rewrite at once, in this order:

1. Job asks are rewritten (the first, into a request for the contact's perspective, which
   also frames the email as information gathering) or removed (the rest).
2. The meeting: the writer's own meeting sentence is adjusted ("a quick call" -> "a quick
   20-minute call", ", or a coffee near your office if that's easier"); only when there is
   none does one sentence ask for a short coffee or call, with the time and place in it.
3. Around the meeting ask: the no-expectation sentence before it (only when no job ask is
   left in the result), flexibility and the referral fallback right after it.
4. Framing, thanks and the contact's story, when still missing.

Nothing goes on or after the sign-off, name or signature (placement.py); nothing repeats a
sentence already there, the writer's or another fix's (phrases.near_duplicate); the result
stays inside the medium's budget (medium.py), dropping the least important additions first.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import regex

from ..models import Applicability, Edit, Finding, SegmentKind, Span
from .jobtalk import mentions_jobs, talks_of_a_job
from .medium import Budget, Medium
from .meeting import (
    FLEXIBLE_RE,
    IN_PERSON_RE,
    REMOTE_RE,
    clause_edit,
    duration_edits,
    is_meeting_ask,
)
from .phrases import Phrase, Phrasebook, content_words, near_duplicate
from .placement import Layout, Sent, word_count
from .purpose import Purpose
from .render import Op, conflicts, render
from .voice import Voice

JOB_ASK = "job-ask"
FRAMING = "missing-info-framing"
FALLBACK = "missing-referral-fallback"
NO_EXPECTATION = "missing-no-expectation"
MEETING = "missing-meeting-request"
TIME_BOX = "missing-time-box"
IN_PERSON = "missing-in-person"
RESUME = "resume-attached"
MEETING_TOO_LONG = "meeting-too-long"
DICTATED = "dictated-schedule"
PUSHY = "pushy-tone"
APOLOGY = "apologetic-tone"
GRATITUDE = "missing-gratitude"
SELF_FOCUS = "self-focus"
SELF_INTRO = "missing-self-intro"
#: Rules whose findings the planner resolves itself (or knows have no text fix).
PLANNED = frozenset({
    JOB_ASK, FRAMING, FALLBACK, NO_EXPECTATION, MEETING, TIME_BOX, IN_PERSON, RESUME,
    MEETING_TOO_LONG, DICTATED, PUSHY, APOLOGY, GRATITUDE, SELF_FOCUS, SELF_INTRO,
    "too-long", "too-many-questions", "generic-greeting",
})
#: Additions that are nice to have; dropped first when the budget is short.
EXTRAS = frozenset({"flexibility", "gratitude", "story", "self-intro"})
_SEEKING_CLAUSE_RE = regex.compile(
    r"(?i),?\s+and\s+(?:I['’]m|I\s+am|am)\s+(?:now\s+|currently\s+)?(?:looking|searching|hunting)\s+for\s+"
    r"(?:a|my\s+(?:next|first)|a\s+new)\s+(?:\w+\s+)?(?:job|role|position)(?=[.!])|"
    r",?\s+and\s+I\s+(?:really\s+)?need\s+a\s+job(?=[.!])"
)
_SENTENCE_RE = regex.compile(r"[^.!?\n]*[\p{L}][^.!?\n]*[.!?]*")
# Opening words that refer to the sentence before: the two stay together.
_LEANS_BACK_RE = regex.compile(
    r"(?i)^\s*(?:if\s+(?:not|so)|otherwise|either\s+way|in\s+that\s+case|failing\s+that|"
    r"that\s+said|then|and|but|so|also)\b")
@dataclass
class Step:
    """One need met: the operations it takes, the rules it resolves, and how it may be applied."""

    need: str
    rule_ids: tuple[str, ...]
    applicability: Applicability
    ops: list[Op]
    priority: int = 0
    optional: bool = False
    placeholder: bool = False
    added: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    """The edits of one rewrite, what each step was for, and what was left out."""

    edits: tuple[Edit, ...]
    steps: tuple[Step, ...]
    medium: Medium
    left_out: tuple[str, ...] = ()
    purpose: Purpose = Purpose.REQUEST

    @property
    def resolves(self) -> frozenset[str]:
        return frozenset(r for s in self.steps for r in s.rule_ids)


@dataclass
class Settings:
    unsafe: bool = False
    placeholders: bool = False
    subject_editable: bool = True
    #: Pick the shortest phrasing of each need (a second try when the first plan overran).
    compact: bool = False


class Planner:
    def __init__(self, layout: Layout, findings: Iterable[Finding], book: Phrasebook,
                 voice: Voice, budget: Budget, settings: Settings,
                 answered: Iterable[Finding] = (),
                 probable_asks: Iterable[tuple[int, int]] = (),
                 purpose: Purpose = Purpose.REQUEST) -> None:
        """`answered`: findings an earlier round already answered; seen, not answered again.
        `probable_asks`: spans the job-ask model reads as possible asks the rule did not flag.
        `purpose`: what the draft is for; only a request gets asks added (purpose.py)."""
        self.purpose = purpose
        answered = tuple(answered)
        self.probable_asks = tuple(probable_asks)
        self.layout = layout
        self.text = layout.text
        self.findings = sorted(findings, key=lambda f: (f.span.start, f.span.end, f.rule_id))
        skip = {id(f) for f in answered}
        self.all_job_asks = [f for f in self.findings if f.rule_id == JOB_ASK]
        self.by_rule: dict[str, list[Finding]] = {}
        for f in self.findings:
            if id(f) in skip:
                continue
            # Only what the rule itself could fix (a resume *file* is not a sentence to
            # rewrite); the one-line self-introduction is offered as a placeholder.
            if f.fixable or f.rule_id == SELF_INTRO:
                self.by_rule.setdefault(f.rule_id, []).append(f)
        self.book = book
        self.voice = voice
        self.budget = budget
        self.settings = settings
        self.note = budget.medium is Medium.NOTE
        self.steps: list[Step] = []
        self.taken: dict[int, str] = {}  # sentence index -> "replace" / "delete"
        self.unresolved_jobs = 0
        self.rewrote_ask = False
        self.meeting: Sent | None = None
        self.new_meeting = False
        self.fallback_done = False
        self.framed = False
        self.meeting_unseen = False
        self.answered_rules = {f.rule_id for f in answered}

    # ------------------------------------------------------------------ helpers

    def allowed(self, rule_id: str, *, flagged: bool = True) -> Applicability | None:
        """The rule's fix applicability when this run may apply it (and, with `flagged`,
        when the rule flagged something), else None."""
        spec = self.book.specs.get(rule_id)
        if spec is None or (flagged and rule_id not in self.by_rule):
            return None
        ok = {Applicability.SAFE} | ({Applicability.UNSAFE} if self.settings.unsafe else set())
        return spec.applicability if spec.applicability in ok else None

    def said(self, exclude: Iterable[int] = ()) -> list[str]:
        """Every sentence the rewritten draft will contain so far."""
        skip = set(exclude)
        out = [s.text(self.text) for s in self.layout.sentences
               if s.index not in self.taken and s.index not in skip
               and s.kind is not SegmentKind.SUBJECT]  # a subject may sum up the body
        out += [t for st in self.steps for t in st.added]
        return out + self.fixed_text

    @cached_property
    def fixed_text(self) -> list[str]:
        """Sentences of the parts no fix touches (greeting, sign-off, signature, quotes)."""
        editable = [s.span for s in self.layout.sentences]
        out = []
        for seg in self.layout.draft.segments:
            if seg.kind in (SegmentKind.GREETING, SegmentKind.SIGNOFF, SegmentKind.SIGNATURE,
                            SegmentKind.QUOTE) and not any(seg.span.overlaps(e) for e in editable):
                out += [m.group(0) for m in _SENTENCE_RE.finditer(seg.span.text(self.text))]
        return out

    def fresh(self, phrasing: str, exclude: Iterable[int] = ()) -> bool:
        # Stricter than a reader needs: even three shared words with two content words in
        # them ("hoping to learn") count, so a note never says the same thing twice.
        return not any(near_duplicate(phrasing, s, gram=3) for s in self.said(exclude))

    def choose(self, rule_id: str, kinds: list[str], exclude: Iterable[int] = (),
               salt: str = "", after: list[str] | None = None) -> Phrase | None:
        """A fresh phrasing; with `after` (the sentences it will follow), preferably one that
        does not open with the same word ("If ... If ...")."""
        ex = tuple(exclude)
        opens = {_first_word(t) for t in after or []}
        echo = {w for t in after or [] for w in content_words(t) if len(w) >= 6}
        phrase = None
        if after:
            # Preferably neither the same opening word nor an echo of a long word of the
            # sentence before ("I'd also welcome ... just as welcome").
            phrase = self.book.choose(
                rule_id, kinds, self.voice, salt=salt, shortest=self.settings.compact,
                ok=lambda t: self.fresh(t, ex) and _first_word(t) not in opens
                and not (content_words(t) & echo))
        phrase = phrase or self.book.choose(rule_id, kinds, self.voice,
                                            ok=lambda t: self.fresh(t, ex), salt=salt,
                                            shortest=self.settings.compact)
        if phrase and phrase.placeholder and not self.settings.placeholders:
            return None
        return phrase

    def kinds(self, base: str) -> list[str]:
        return ["note", base] if self.note else [base]

    def add(self, need: str, rules: tuple[str, ...], applicability: Applicability,
            ops: list[Op], *, priority: int = 0, optional: bool = False,
            phrase: Phrase | None = None, added: list[str] | None = None) -> None:
        self.steps.append(Step(need, rules, applicability, ops, priority, optional,
                               bool(phrase and phrase.placeholder), added or []))
        for op in ops:
            if op.kind in ("replace", "delete", "subject"):
                self.taken[op.target] = op.kind

    def would_empty(self, s: Sent, *, body: bool = False) -> bool:
        """True when deleting `s` leaves its paragraph (or, with `body`, the whole body)
        without a sentence."""
        if body:
            rest = [t for t in self.layout.sentences if t.kind is SegmentKind.BODY]
        else:
            rest = [self.layout.sentences[i] for i in self.layout.paras[s.para].sentences] \
                if s.para >= 0 else []
        return all(t.index == s.index or self.taken.get(t.index) == "delete" for t in rest)

    def sentence_of(self, f: Finding) -> Sent | None:
        return self.layout.sentence_at(f.span.start)

    def body_sentence(self, f: Finding) -> Sent | None:
        s = self.sentence_of(f)
        return s if s is not None and s.kind is not SegmentKind.SUBJECT else None

    # ------------------------------------------------------------------ the plan

    def plan(self) -> Plan:
        request = self.purpose is Purpose.REQUEST
        # Not a request (a thank-you after a talk, the employer's side, a reply to an offer):
        # what the writer asks may be removed, but no ask is added, and a job ask is deleted,
        # never turned into a request.
        self.rewrote_ask = not request
        if self.purpose in (Purpose.REQUEST, Purpose.THANKS):
            # The employer's side or a reply to an offer has no job ask of the writer's to
            # take out, whatever its words look like.
            self.job_asks()
            self.seeking_clauses()
            self.resume()
        self.tone()
        if request:
            self.meeting = self.find_meeting()
            self.meeting_ask()
            self.fallback()
            self.no_expectation()
            self.framing()
            self.extras()
        self.others()
        return self.fit()

    def others(self) -> None:
        """Findings of rules the planner does not know (another pack's): their own fix, when
        it touches nothing the plan already changes; the rest wait for the next round."""
        ok = {Applicability.SAFE} | ({Applicability.UNSAFE} if self.settings.unsafe else set())
        planned = render(self.layout, [op for st in self.steps for op in st.ops])
        for f in [f for fs in self.by_rule.values() for f in fs]:
            if f.rule_id in PLANNED:
                continue
            fx = next((x for x in f.fixes if x.applicability in ok and x.edits), None)
            if fx is None or any(e.span.text(self.text) == e.replacement for e in fx.edits):
                continue
            if any(conflicts(e, planned) for e in fx.edits) or overlapping(fx.edits):
                continue
            planned.extend(fx.edits)
            self.add("other", (f.rule_id,), fx.applicability,
                     [Op("raw", -1, edit=e) for e in fx.edits])

    def job_asks(self) -> None:
        spec_ok = self.allowed(JOB_ASK)
        for f in self.by_rule.get(JOB_ASK, []):
            s = self.sentence_of(f)
            if s is None or spec_ok is None:
                self.unresolved_jobs += 1
                continue
            if s.index in self.taken:
                continue
            if s.kind is SegmentKind.SUBJECT:
                phrase = self.choose(JOB_ASK, ["subject"]) if self.settings.subject_editable else None
                if phrase is None:
                    self.unresolved_jobs += 1
                    continue
                self.add("job-ask", (JOB_ASK,), spec_ok, [Op("subject", s.index, phrase.text)],
                         phrase=phrase)
                continue
            # The first ask becomes a request for their perspective when the draft has no
            # framing yet, or when removing it would leave its paragraph empty.
            if not self.rewrote_ask and (FRAMING in self.by_rule or
                                         self.would_empty(s, body=True)):
                prev = [t.text(self.text) for t in self.layout.sentences
                        if t.para == s.para and t.index == s.index - 1]
                phrase = self.choose(JOB_ASK, self.kinds("replace"), exclude=[s.index],
                                     after=prev)
                if phrase is not None:
                    self.rewrote_ask = True
                    rules = (JOB_ASK, FRAMING) if FRAMING in self.by_rule else (JOB_ASK,)
                    self.add("job-ask", rules, spec_ok,
                             [Op("replace", s.index, phrase.text)], phrase=phrase,
                             added=[phrase.text])
                    continue
            if self.purpose is not Purpose.REQUEST and self.would_empty(s, body=True):
                self.unresolved_jobs += 1  # the ask is all there is: nothing to keep
                continue
            self.add("job-ask", (JOB_ASK,), spec_ok, [Op("delete", s.index)])

    def resume(self) -> None:
        spec_ok = self.allowed(RESUME)
        for f in self.by_rule.get(RESUME, []):
            s = self.sentence_of(f)
            if spec_ok is None or s is None or s.index in self.taken:
                continue
            if s.kind is SegmentKind.SUBJECT:
                if not self.settings.subject_editable:
                    continue
                phrase = self.choose(RESUME, ["subject"])
                if phrase:
                    self.add("resume", (RESUME,), spec_ok, [Op("subject", s.index, phrase.text)])
                continue
            phrase = self.choose(RESUME, self.kinds("replace"), exclude=[s.index])
            clause = _resume_clause(s.text(self.text))
            if phrase and clause is not None:  # "attached my CV; I'm not asking about jobs"
                a, b = clause
                edit = Edit(span=Span(start=s.span.start + a, end=s.span.start + b),
                            replacement=phrase.text.rstrip(".!"))
                self.add("resume", (RESUME,), spec_ok, [Op("adjust", s.index, edit=edit)],
                         added=[phrase.text])
            elif phrase:
                self.add("resume", (RESUME,), spec_ok, [Op("replace", s.index, phrase.text)],
                         added=[phrase.text])
            else:
                self.add("resume", (RESUME,), spec_ok, [Op("delete", s.index)])

    def seeking_clauses(self) -> None:
        """ "I'm a data analyst, and I'm looking for my next role": with --unsafe the trailing
        job-seeking clause goes (the rest of the sentence is who they are, and stays), so the
        email no longer says it wants a job. Only this narrow shape is touched."""
        if not self.settings.unsafe or (not self.by_rule.get(JOB_ASK) and \
                NO_EXPECTATION not in self.by_rule):
            return
        for s in self.layout.sentences:
            if s.kind is not SegmentKind.BODY or s.index in self.taken:
                continue
            t = s.text(self.text)
            m = _SEEKING_CLAUSE_RE.search(t)
            if m and m.start() > 0:
                edit = Edit(span=Span(start=s.span.start + m.start(), end=s.span.start + m.end()),
                            replacement="")
                self.add("job-ask", (), Applicability.UNSAFE, [Op("adjust", s.index, edit=edit)])

    def tone(self) -> None:
        """Apologies and pressure are removed; flexibility is offered once, by the meeting."""
        for rule in (APOLOGY, PUSHY):
            spec_ok = self.allowed(rule)
            for f in self.by_rule.get(rule, []):
                s = self.body_sentence(f)
                if spec_ok is None or s is None or s.index in self.taken:
                    continue
                if is_meeting_ask(s.text(self.text)) or self.would_empty(s, body=True):
                    continue  # the sentence is also the ask, or all there is: keep it
                self.add("tone", (rule,), spec_ok, [Op("delete", s.index)])

    def find_meeting(self) -> Sent | None:
        """The writer's meeting sentence: where a meeting rule pointed, else the first asking
        sentence that names a call, coffee or meeting."""
        if MEETING in self.by_rule or MEETING in self.answered_rules:
            # The linter saw no meeting request; if the writer plainly asks for a call or a
            # coffee anyway ("Can we set up a call this week?"), that sentence is the ask:
            # a second meeting question beside it is what this planner exists to prevent.
            for cand in self.layout.sentences:
                t = cand.text(self.text)
                if cand.kind is SegmentKind.BODY and cand.index not in self.taken and \
                        t.rstrip().endswith("?") and is_meeting_ask(t):
                    self.meeting_unseen = True
                    return cand
            return None
        for rule in (TIME_BOX, IN_PERSON, MEETING_TOO_LONG, DICTATED):
            for f in self.by_rule.get(rule, []):
                hit = self.body_sentence(f)
                # A time box or place goes only into a sentence that asks ("I've been hoping
                # to meet sales directors" is not one); a dictated time or a too-long meeting
                # is a proposal however it is worded ("I will be at your office at 9").
                if hit is not None and hit.index not in self.taken and (
                        rule in (MEETING_TOO_LONG, DICTATED) or is_meeting_ask(hit.text(self.text))):
                    return hit
        for f in self.by_rule.get(NO_EXPECTATION, []):
            for fx in f.fixes:
                for e in fx.edits:
                    if len(e.span) == 0:
                        at = self.layout.sentence_at(max(e.span.start - 1, 0))
                        if at and at.kind is not SegmentKind.SUBJECT and \
                                at.index not in self.taken and is_meeting_ask(at.text(self.text)):
                            return at
        for s in self.layout.sentences:
            if s.kind is SegmentKind.BODY and s.index not in self.taken \
                    and s.index not in self.layout.closing and is_meeting_ask(s.text(self.text)):
                return s
        return None

    def meeting_ask(self) -> None:
        # The only meeting sentence was a job ask that is now rewritten: ask again, once.
        lost = self.meeting is None and MEETING not in self.by_rule and any(
            (s := self.body_sentence(f)) is not None and s.index in self.taken
            for r in (TIME_BOX, IN_PERSON, MEETING_TOO_LONG) for f in self.by_rule.get(r, [])
        ) and not any(  # ... unless another sentence of the writer's still proposes one
            s.kind is SegmentKind.BODY and s.index not in self.taken
            and is_meeting_ask(s.text(self.text)) for s in self.layout.sentences)
        if (MEETING in self.by_rule and not self.meeting_unseen) or lost:
            spec_ok = self.allowed(MEETING, flagged=not lost)
            if not spec_ok:
                return
            met: tuple[str, ...] = (MEETING, TIME_BOX, IN_PERSON)
            phrase = None
            met = tuple(r for r in met if r in self.by_rule or r == MEETING)
            if self.allowed(FALLBACK) and not self.settings.compact:  # one sentence, both
                combo = "with_fallback_note" if self.note else "with_fallback"
                phrase = self.choose(MEETING, [combo])
                if phrase:
                    met += (FALLBACK,)
                    self.fallback_done = True
            phrase = phrase or self.choose(MEETING, self.kinds("insert"))
            if phrase:
                self.new_meeting = True
                self.add("meeting", met, spec_ok, self.ask_ops(phrase.text, 20), priority=9,
                         optional=True, phrase=phrase, added=[phrase.text])
            return
        m = self.meeting
        if m is None:
            return
        sentence = m.text(self.text)
        follow: list[str] = []
        rules: list[str] = []
        applic: list[Applicability] = []
        for f in self.by_rule.get(MEETING_TOO_LONG, []):
            ok = self.allowed(MEETING_TOO_LONG)
            s = self.body_sentence(f)
            if ok and s is not None and s.index not in self.taken and len(f.span):
                shape = "hyphenated" if "-" in f.excerpt else "plain"
                new = (self.book.templates(MEETING_TOO_LONG, shape) or ["20 minutes"])[0]
                self.add("duration", (MEETING_TOO_LONG,), ok,
                         [Op("adjust", s.index, edit=Edit(span=f.span, replacement=new))])
        ok_time = self.allowed(TIME_BOX)
        if ok_time:
            sfx = "_note" if self.note else ""
            frag = self.book.templates(TIME_BOX, "duration" + sfx)
            plain = self.book.templates(TIME_BOX, "duration_plain" + sfx) or frag
            edits = duration_edits(sentence, m.span.start, frag[0], plain[0]) if frag else None
            if edits:
                self.add("time-box", (TIME_BOX,), ok_time,
                         [Op("adjust", m.index, edit=e) for e in edits], priority=5, optional=True)
            else:
                rules.append(TIME_BOX)
                applic.append(ok_time)
        ok_place = self.allowed(IN_PERSON)
        if ok_place:
            remote = bool(REMOTE_RE.search(sentence)) and not IN_PERSON_RE.search(sentence)
            frag_name = "remote" if remote else "general"
            if self.note:
                frag_name += "_note"
            clause = self.book.templates(IN_PERSON, frag_name)
            edit = clause_edit(sentence, m.span.start, clause[0]) if clause else None
            if (edit and not rules) or (edit and rules):
                self.add("in-person", (IN_PERSON,), ok_place, [Op("adjust", m.index, edit=edit)],
                         priority=4, optional=True)
            else:
                rules.append(IN_PERSON)
                applic.append(ok_place)
        if rules == [TIME_BOX, IN_PERSON]:
            phrase = self.choose(IN_PERSON, ["with_time_box"])
            if phrase:
                follow.append(phrase.text)
        elif rules:
            phrase = self.choose(rules[0], self.kinds("insert"))
            if phrase:
                follow.append(phrase.text)
        if follow:
            safe = all(a is Applicability.SAFE for a in applic)
            self.add("meeting-detail", tuple(rules),
                     Applicability.SAFE if safe else Applicability.UNSAFE,
                     [Op("after", m.index, follow[0], order=30)], priority=5, optional=True,
                     added=follow)
        flexible = any(FLEXIBLE_RE.search(t.text(self.text)) for t in self.layout.sentences
                       if t.para == m.para and t.index > m.index and t.index not in self.taken)
        if not flexible and (DICTATED in self.by_rule or
                             any(st.rule_ids == (PUSHY,) for st in self.steps)):
            ok = self.allowed(DICTATED) or (Applicability.UNSAFE if self.settings.unsafe else None)
            phrase = self.choose(DICTATED, self.kinds("insert")) if ok else None
            if ok and phrase:
                self.add("flexibility", (DICTATED,), ok, [Op("after", m.index, phrase.text, 40)],
                         priority=3, optional=True, added=[phrase.text])

    def ask_ops(self, text: str, order: int) -> list[Op]:
        """Where a sentence of the closing ask goes: next to the writer's meeting sentence,
        else into one new paragraph before the sign-off (a note: before its closing words)."""
        m = self.meeting
        if m is not None and not self.new_meeting:
            if order < 20:
                return [Op("before", self.ask_start(m).index, text, order)]
            return [Op("after", self.ask_end(m).index, text, order)]
        where, target = self.layout.end_slot()
        if where == "before":
            return [Op("before", target, text, order)]
        if where == "after-para":
            if self.note:
                return self._end_of_para(target, text, order)
            return [Op("para", target, text, order, group="ask")]
        return []

    def ask_start(self, m: Sent) -> Sent:
        """The meeting sentence, or the sentence its opening words lean on ("If things are
        hectic, no need to reply. If not, glad to set up a time."): nothing goes between."""
        start = m
        while start.para >= 0 and _LEANS_BACK_RE.match(start.text(self.text)):
            prev = self.layout.sentences[start.index - 1] if start.index > 0 else None
            if prev is None or prev.para != start.para or prev.index in self.taken:
                break
            start = prev
        return start

    def ask_end(self, m: Sent) -> Sent:
        """The meeting sentence, or the last of the writer's logistics sentences after it."""
        end = m
        if m.para < 0:
            return end
        for i in self.layout.paras[m.para].sentences:
            s = self.layout.sentences[i]
            if s.index <= end.index:
                continue
            if s.index == end.index + 1 and s.index not in self.taken and \
                    FLEXIBLE_RE.search(s.text(self.text)) and not is_meeting_ask(s.text(self.text)):
                end = s
            else:
                break
        return end

    def _end_of_para(self, pi: int, text: str, order: int) -> list[Op]:
        sents = [s for s in self.layout.para_sentences(self.layout.paras[pi])
                 if s.index not in self.taken or self.taken[s.index] == "replace"]
        if not sents:
            return [Op("para", pi, text, order)]
        closing = [s for s in sents if s.index in self.layout.closing]
        if closing:
            return [Op("before", closing[0].index, text, order)]
        return [Op("after", sents[-1].index, text, order)]

    def fallback(self) -> None:
        """Right after the meeting ask (or in the new closing paragraph)."""
        ok = self.allowed(FALLBACK)
        if self.fallback_done:
            return
        before = []
        if self.meeting is not None and not self.new_meeting:
            before.append(self.ask_end(self.meeting).text(self.text))
        before += [t for st in self.steps if st.need in ("meeting-detail", "flexibility")
                   for t in st.added]
        phrase = self.choose(FALLBACK, self.kinds("insert"), after=before[-1:]) if ok else None
        if ok and phrase:
            self.add("fallback", (FALLBACK,), ok, self.ask_ops(phrase.text, 50), priority=7,
                     optional=True, phrase=phrase, added=[phrase.text])

    def job_ask_remains(self) -> bool:
        if self.unresolved_jobs:
            return True
        for f in self.all_job_asks:  # every flagged ask, answered by this plan or not
            s = self.sentence_of(f)
            if s is None or self.taken.get(s.index) not in ("replace", "delete", "subject"):
                return True
        for s in self.layout.sentences:
            if s.index in self.taken and self.taken[s.index] != "subject":
                continue
            if s.index in self.taken:
                continue
            if any(st.need == "job-ask" and any(o.kind == "adjust" and o.target == s.index
                                                for o in st.ops) for st in self.steps):
                # what is left of a sentence whose job clause this plan cut
                if talks_of_a_job(_SEEKING_CLAUSE_RE.sub("", s.text(self.text))):
                    return True
            elif any(a < s.span.end and s.span.start < b for a, b in self.probable_asks):
                return True
        return False

    def no_expectation(self) -> None:
        ok = self.allowed(NO_EXPECTATION)
        if not ok or self.job_ask_remains():
            return
        framing_ok = self.allowed(FRAMING)
        # A writer who says they are job hunting ("in IB recruiting this summer") is looking
        # for a job; what they can truly say is that they ask this reader for none.
        search = "_in_search" if self.mentions_search() else ""
        if framing_ok and not self.rewrote_ask and not self.settings.compact:  # says both
            combo = ("with_framing_note" if self.note else "with_framing") + search
            phrase = self.choose(NO_EXPECTATION, [combo])
            if phrase:
                self.framed = True
                applic = Applicability.SAFE if framing_ok is Applicability.SAFE and \
                    ok is Applicability.SAFE else Applicability.UNSAFE
                self.add("no-expectation", (NO_EXPECTATION, FRAMING), applic,
                         self.first_para_ops(phrase.text, 5) or self.ask_ops(phrase.text, 5),
                         priority=8, optional=True, phrase=phrase, added=[phrase.text])
                return
        kinds = (["note_in_search"] if self.note else ["in_search"]) if search else \
            self.kinds("insert")
        phrase = self.choose(NO_EXPECTATION, kinds)
        if not phrase:
            return
        if self.meeting is not None or self.new_meeting:
            ops = self.ask_ops(phrase.text, 10)
        else:
            ops = self.first_para_ops(phrase.text, 10)
        self.add("no-expectation", (NO_EXPECTATION,), ok, ops, priority=8, optional=True,
                 phrase=phrase, added=[phrase.text])

    def mentions_search(self) -> bool:
        """True when what stays of the draft mentions a job search or jobs at all."""
        return any(mentions_jobs(t) for t in self.said())

    def first_para_ops(self, text: str, order: int) -> list[Op]:
        """The end of the first body paragraph (before the meeting ask when it is there)."""
        paras = self.layout.body_paras
        if not paras:
            return []
        first = paras[0]
        if self.meeting is not None and self.meeting.para == first.index:
            return [Op("before", self.ask_start(self.meeting).index, text, order)]
        return self._end_of_para(first.index, text, order)

    def framing(self) -> None:
        ok = self.allowed(FRAMING)
        if not ok or self.rewrote_ask or self.framed:
            return
        phrase = self.choose(FRAMING, self.kinds("insert"))
        if phrase:
            ops = self.first_para_ops(phrase.text, 5)
            if not ops:
                ops = self.ask_ops(phrase.text, 5)
            self.add("framing", (FRAMING,), ok, ops, priority=6, optional=True, phrase=phrase,
                     added=[phrase.text])

    def extras(self) -> None:
        ok = self.allowed(GRATITUDE)
        if ok:
            phrase = self.choose(GRATITUDE, self.kinds("insert"))
            if phrase:
                where, target = self.layout.end_slot()
                ops: list[Op] = []
                if where == "before":
                    ops = [Op("before", target, phrase.text, 90)]
                elif where == "after-para" and self.note:
                    ops = self._end_of_para(target, phrase.text, 90)
                elif where == "after-para":
                    ops = [Op("para", target, phrase.text, 90, group="thanks")]
                self.add("gratitude", (GRATITUDE,), ok, ops, priority=2, optional=True,
                         added=[phrase.text])
        ok = self.allowed(SELF_FOCUS)
        # A framing sentence this plan adds already invites their story.
        if ok and not self.framed and not any(st.need == "framing" or
                                              (st.need == "job-ask" and FRAMING in st.rule_ids)
                                              for st in self.steps):
            phrase = self.choose(SELF_FOCUS, self.kinds("insert"))
            if phrase:
                self.add("story", (SELF_FOCUS,), ok, self.first_para_ops(phrase.text, 7),
                         priority=1, optional=True, added=[phrase.text])
        if self.settings.placeholders and SELF_INTRO in self.by_rule:
            phrase = self.book.choose(SELF_INTRO, ["insert"], self.voice)
            paras = self.layout.body_paras
            if phrase and paras:
                first = self.layout.para_sentences(paras[0])
                if first:
                    self.add("self-intro", (SELF_INTRO,), Applicability.DISPLAY_ONLY,
                             [Op("before", first[0].index, phrase.text, 0)], priority=0,
                             optional=True, phrase=Phrase(phrase.text, True))

    # ------------------------------------------------------------------ budget

    def fit(self) -> Plan:
        steps = [s for s in self.steps if s.ops]
        if not self.budget.strict:
            steps = [s for s in steps if s.need not in EXTRAS]
        left_out: list[str] = []
        base_words = _own_words(self.layout)
        while True:
            edits = render(self.layout, [op for s in steps for op in s.ops])
            if overlapping(edits) and steps:
                # Cannot happen by construction; if it ever does, the plan loses its last
                # step rather than corrupt the draft.
                left_out.append(steps.pop().need)
                continue
            words = base_words + sum(word_count(e.replacement) - word_count(e.span.text(self.text))
                                     for e in edits)
            new_text = _apply(self.text, edits)
            if self.budget.fits(new_text, words):
                break
            droppable = [s for s in steps if s.optional]
            if not droppable:
                break
            worst = min(droppable, key=lambda s: s.priority)
            steps.remove(worst)
            left_out.append(worst.need)
        return Plan(tuple(edits), tuple(steps), self.budget.medium, tuple(left_out),
                    self.purpose)


_RESUME_WORD_RE = regex.compile(r"(?i)\b(?:resume|résumé|cv|curriculum\s+vitae)\b")


def _resume_clause(sentence: str) -> tuple[int, int] | None:
    """The span of the clause that mentions the resume, when the sentence has another clause
    after a semicolon that says something else."""
    parts = sentence.split("; ")
    if len(parts) != 2:
        return None
    first, second = parts
    if _RESUME_WORD_RE.search(first) and not _RESUME_WORD_RE.search(second):
        return 0, len(first)
    return None


def _first_word(text: str) -> str:
    words = text.split(maxsplit=1)
    return words[0].lower().strip(",.!?") if words else ""


def _apply(text: str, edits: list[Edit]) -> str:
    from ..api import apply_edits  # api imports the planner; this import runs after both load

    return apply_edits(text, edits)


def _own_words(layout: Layout) -> int:
    kinds = (SegmentKind.BODY, SegmentKind.POSTSCRIPT)
    return sum(word_count(s.span.text(layout.text)) for s in layout.draft.segments
               if s.kind in kinds)


def overlapping(edits: Iterable[Edit]) -> bool:
    """True when two edits of a plan touch the same text (a plan must never have any)."""
    spans: list[Span] = sorted((e.span for e in edits), key=lambda s: (s.start, s.end))
    return any(a.overlaps(b) for a, b in itertools.pairwise(spans))
