"""Clauses and what each one does: the layer rules use to tell an ask from a mention.

A sentence is split into clauses at clause punctuation (; : — parentheses), subordinators
("if", "when", "because", inverted "should ..."), and coordinators or commas that start a new
subject ("..., and would you ...", "..., I'd love ..."). Each clause gets features computed
from closed-class words only (auxiliaries, pronouns, modals, subordinators, negators), so they
hold for any topic and need no statistical model:

- `acts`: what the clause does. QUESTION (a "?", an inverted auxiliary, an elliptic "Any
  roles going?"), REQUEST (imperative, "could you", "let me know", "I'd appreciate it if"),
  WISH ("I'd love to", "I'm hoping", "I need"), OFFER ("happy to", "I can", "I'm available"),
  HINT (a condition about the future: "if anything opens up", "should a slot appear"),
  THANKS ("thanks for coming"), or none of these (a statement). A clause may do several
  ("Could you keep me in mind?" is a question and a request).
- `time`: PAST (a report: "I applied", "you gave a talk"), PRESENT, or FUTURE (a proposal).
- `agent`: who acts: the WRITER ("I", "me"), the READER ("you", an imperative), BOTH ("we"),
  or a THIRD party ("someone", "a colleague", "they").
- `neg_at`: the first negator that governs the rest of the clause ("not", "n't", "never",
  "no"), ignoring pseudo-negations ("not only", "can't wait", "don't hesitate").
- `conditional`: the clause is a condition or time clause; `governor` is the index of the
  main clause it hangs on, whose acts it shares (`effective_acts`).

Frames in rule packs (`clause:` in a match spec) are conditions on these features.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from enum import IntFlag, StrEnum
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


class Act(IntFlag):
    NONE = 0
    QUESTION = 1
    REQUEST = 2
    WISH = 4
    OFFER = 8
    HINT = 16
    THANKS = 32

    @classmethod
    def parse(cls, name: str) -> Act:
        return cls[name.upper()]


class Time(StrEnum):
    PAST = "past"
    PRESENT = "present"
    FUTURE = "future"


class Actor(StrEnum):
    WRITER = "writer"
    READER = "reader"
    BOTH = "both"
    THIRD = "third"
    NONE = "none"


ACT_NAMES = ("question", "request", "wish", "offer", "hint", "thanks", "statement")


@cache
def _names_of(acts: int) -> tuple[str, ...]:
    """The names of a set of acts (cached: features ask for them per clause and word)."""
    names = tuple(n for i, n in enumerate(ACT_NAMES[:-1]) if acts & (1 << i))
    return names or ("statement",)

# --------------------------------------------------------------------------- closed classes

_SUBJ_WRITER = frozenset({"i", "me", "my", "myself"})
_SUBJ_BOTH = frozenset({"we", "us", "let's", "lets"})
_SUBJ_READER = frozenset({"you", "your", "u", "ya", "yourself", "y'all"})
_SUBJ_THIRD = frozenset({
    "he", "she", "they", "it", "there", "this", "that", "someone", "somebody", "anyone",
    "anybody", "one", "people", "nobody", "everyone", "something", "anything", "nothing",
})
_PRONOUN_SUBJ = _SUBJ_WRITER | _SUBJ_BOTH | _SUBJ_READER | _SUBJ_THIRD - {"one", "people", "that"}
_MODAL = frozenset({
    "would", "could", "can", "may", "might", "will", "shall", "should", "must", "'d", "'ll",
    "wo", "ca", "sha",
})
_AUX = _MODAL | frozenset({
    "do", "does", "did", "is", "are", "am", "was", "were", "have", "has", "had", "'m", "'re",
    "'s", "'ve", "be", "been",
})
_PAST_AUX = frozenset({"was", "were", "had", "did"})
_WH = frozenset({"what", "how", "who", "whom", "which", "where", "when", "why", "whose"})
_COORD = frozenset({"and", "but", "so", "or", "yet", "plus", "&"})
_SUBORD = frozenset({
    "if", "when", "whenever", "because", "since", "although", "though", "unless", "while",
    "whereas", "once", "whether", "cuz", "cause", "as",
})
_CONDITION = frozenset({"if", "when", "whenever", "once", "unless", "should", "incase"})
# "if"/"whether" after these verbs opens an indirect question, not a condition.
_COMPLEMENT_TAKERS = frozenset({
    "wonder", "wondering", "wondered", "know", "ask", "asking", "asked", "see", "check",
    "checking", "curious", "unsure", "sure", "tell", "find", "learn", "hear", "confirm",
    "inquire", "enquire", "inquiring", "enquiring", "understand", "decide", "clarify",
})
_CLAUSE_PUNCT = frozenset({";", ":", "—", "–", "(", ")", "…", "--"})
_NEGATORS = frozenset({
    "not", "n't", "never", "no", "nor", "neither", "without", "nothing", "none", "cannot",
    "nt", "nobody",
})
# Negators that do not negate what follows ("not only", "no doubt", "can't wait").
_PSEUDO_NEG = frozenset({
    ("not", "only"), ("not", "just"), ("no", "matter"), ("no", "doubt"), ("not", "sure"),
    ("n't", "wait"), ("n't", "hesitate"), ("n't", "mind"), ("not", "hesitate"), ("no", "later"),
    ("not", "mind"), ("never", "hurts"), ("no", "pressure"), ("no", "rush"), ("no", "worries"),
    ("no", "problem"), ("not", "least"), ("no", "longer"), ("n't", "help"), ("no", "less"),
    ("not", "to"), ("nothing", "beats"), ("never", "too"), ("no", "more"), ("not", "more"),
    ("no", "longer"), ("n't", "wait"),
})
_NEG_PHRASES = frozenset({("rather", "than"), ("instead", "of"), ("other", "than"), ("far", "from")})
# "I don't know if ...", "not sure whether ...": the negation stays outside the question.
_NEG_BEFORE_COMPLEMENT = frozenset({"know", "sure", "certain", "mind"})
_IMPERATIVE = frozenset({
    "send", "forward", "pass", "share", "refer", "consider", "keep", "tell", "introduce",
    "connect", "put", "recommend", "let", "point", "mention", "add", "include", "loop", "shoot",
    "drop", "ping", "flag", "hire", "bring", "think", "check", "reach", "call", "email", "text",
    "message", "contact", "feel", "give", "hit", "holler", "shout", "reply", "respond", "write",
    "join", "meet", "grab", "come", "stop", "swing", "pop", "hop", "jump", "advise", "suggest",
    "direct", "steer", "help", "remember", "count", "find", "look", "read", "review", "take",
    "have", "do", "ask", "inform", "notify", "note", "update", "accept", "book", "schedule",
    "pick", "choose", "name", "say", "chat", "talk", "speak", "visit", "bear", "lmk", "dm",
    "kindly", "please", "pls", "plz",
})
_REQUEST_LEADS = frozenset({"please", "pls", "plz", "kindly", "just", "do", "so", "also", "then"})
_WISH_VERBS = frozenset({
    "love", "like", "hope", "hoping", "want", "wanted", "wish", "need", "needed", "welcome",
    "appreciate", "enjoy", "seek", "seeking", "looking", "keen", "eager", "interested",
    "thrilled", "delighted", "honored", "honoured", "excited", "grateful", "thankful", "dying",
    "aiming", "aim", "trying", "dream", "dreaming", "open", "willing",
})
_OFFER_WORDS = frozenset({
    "happy", "glad", "available", "free", "flexible", "willing", "happily", "gladly", "ready",
})
_GRATITUDE = frozenset({"thank", "thanks", "thx", "ty", "grateful", "appreciate", "appreciated"})
# -ed words that are adjectives in outreach ("interested", "based"), not past tense.
_ED_ADJ = frozenset({
    "interested", "excited", "based", "located", "involved", "experienced", "qualified",
    "skilled", "dedicated", "motivated", "detailed", "advanced", "talented", "inspired",
    "impressed", "pleased", "honored", "honoured", "thrilled", "delighted", "tired", "bored",
    "surprised", "concerned", "prepared", "used", "supposed", "related", "focused",
    "focussed", "aligned", "certified", "licensed", "registered", "retired", "self-employed",
    "employed", "unemployed", "married", "fascinated", "intrigued", "amazed", "overwhelmed",
    "limited", "need", "attached", "enclosed", "linked", "listed", "noted", "referred",
    "committed", "determined", "biased", "seasoned", "driven", "educated", "trained",
})
_IRREGULAR_PAST = frozenset({
    "was", "were", "had", "did", "went", "came", "saw", "met", "got", "gave", "took", "made",
    "found", "heard", "read", "spoke", "told", "wrote", "sent", "left", "began", "became",
    "felt", "knew", "thought", "spent", "led", "ran", "won", "built", "brought", "bought",
    "taught", "caught", "chose", "drove", "fell", "flew", "forgot", "grew", "held", "kept",
    "lost", "meant", "paid", "put", "said", "sat", "set", "stood", "understood", "woke",
    "wore", "quit", "hit", "cut", "let", "shut", "ate", "drew", "broke", "rode", "rose",
    "sang", "swam", "threw", "upheld", "oversaw",
})
_PAST_ADVERBS = frozenset({"yesterday", "ago", "earlier", "previously", "formerly", "once"})
_PAST_AFTER_LAST = frozenset({
    "week", "month", "year", "time", "night", "semester", "term", "summer", "spring", "fall",
    "autumn", "winter", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "weekend", "quarter", "session",
})
_FUTURE_WORDS = frozenset({
    "will", "would", "could", "'ll", "'d", "shall", "might", "sometime", "soon", "tomorrow",
    "upcoming", "next", "later", "someday", "eventually", "future",
})
_SKIP_LEAD = frozenset({
    "and", "but", "so", "or", "yet", "also", "just", "then", "still", "now", "honestly",
    "really", "anyway", "anyways", "plus", "well", "oh", "hey", "ok", "okay", "btw",
    "otherwise", "alternatively", "instead", "however", "meanwhile", "actually", "perhaps",
    "maybe", "even", "ideally", "finally", "lastly", "additionally", "p.s.", "ps", "-", "*",
    "•", "·",
})


def norm(text: str) -> str:
    """Lowercase a token's text with curly apostrophes straightened."""
    return text.lower().replace("’", "'").replace("‘", "'")


# --------------------------------------------------------------------------- the clause


@dataclass(slots=True)
class Clause:
    """A clause: token range in the doc, char offsets in `Draft.text`, and its features."""

    sentence: int
    tok_start: int
    tok_end: int
    start: int
    end: int
    acts: Act = Act.NONE
    time: Time = Time.PRESENT
    agent: Actor = Actor.NONE
    neg_at: int | None = None
    conditional: bool = False
    governor: int | None = None  # index (in the draft's clause list) of the main clause
    effective_acts: Act = Act.NONE
    words: tuple[str, ...] = field(default=())

    @property
    def negated(self) -> bool:
        return self.neg_at is not None

    def negates(self, tok_i: int) -> bool:
        """True when a negator of this clause stands before token `tok_i`."""
        return self.neg_at is not None and self.neg_at < tok_i

    def act_names(self) -> list[str]:
        return list(_names_of(int(self.effective_acts)))


class Clauses:
    """All clauses of a draft's sentences, with lookup by token index."""

    def __init__(self, doc: Doc, sentences: list[tuple[int, Span]]) -> None:
        self.items: list[Clause] = []
        self._by_sentence: dict[int, list[Clause]] = {}
        for index, sent in sentences:
            mine = _split(doc, index, sent, len(self.items))
            self._by_sentence[index] = mine
            self.items.extend(mine)
        self._starts = [c.tok_start for c in self.items]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def at(self, tok_i: int) -> Clause | None:
        i = bisect.bisect_right(self._starts, tok_i) - 1
        if i < 0:
            return None
        c = self.items[i]
        return c if tok_i < c.tok_end else None

    def of_sentence(self, index: int) -> list[Clause]:
        return self._by_sentence.get(index, [])


def _split(doc: Doc, index: int, sent: Span, base: int) -> list[Clause]:
    toks = [t for t in sent if not t.is_space]
    if not toks:
        return []
    low = [norm(t.text) for t in toks]
    is_question_sentence = any(t.text.endswith("?") for t in toks[-3:]) or any(
        t.text in ("?", "?!", "!?") for t in toks
    )
    bounds: list[int] = [0]  # positions in `toks` where a clause starts
    cond_starts: set[int] = set()
    for k in range(1, len(toks)):
        w, prev = low[k], low[k - 1]
        nxt = low[k + 1] if k + 1 < len(low) else ""
        if w in _CLAUSE_PUNCT or (w == "-" and toks[k - 1].whitespace_ and toks[k].whitespace_):
            bounds.append(k)
            continue
        if w in ("if", "whether") and prev in _COMPLEMENT_TAKERS:
            continue  # "wondering if you'd ...": an indirect question, one clause
        if w in _SUBORD and not (w == "as" and nxt not in ("soon", "long")) and (
            w != "once" or prev in (",", "and")
        ):
            bounds.append(k)
            if w in _CONDITION:
                cond_starts.add(k)
            continue
        if w == "in" and nxt == "case":
            bounds.append(k)
            cond_starts.add(k)
            continue
        if w in _COORD and (nxt in _PRONOUN_SUBJ or nxt in _AUX or nxt in _REQUEST_LEADS
                            or nxt in _WH or nxt in ("let", "feel", "any", "is", "are")):
            bounds.append(k)
            continue
        if w == "," and (nxt in _PRONOUN_SUBJ or nxt in _MODAL or nxt in (
            "please", "let", "any", "is", "are", "do",
            # "not a job, just your perspective": the contrast starts a clause of its own
            "just", "only", "simply", "merely", "rather", "instead", "purely", "mainly", "mostly",
        )):
            bounds.append(k)
            continue
    if low[0] in _CONDITION - {"should"} or (low[0] == "in" and low[1:2] == ["case"]):
        cond_starts.add(0)
    if low[0] in ("should", "were", "had") and len(low) > 1 and low[1] in (
        "a", "an", "any", "the", "you", "your", "something", "anything", "there", "an",
    ) and not is_question_sentence:
        cond_starts.add(0)
    bounds.append(len(toks))
    out: list[Clause] = []
    for a, b in itertools.pairwise(bounds):
        # Leading punctuation and conjunctions belong to the boundary, not the clause.
        while a < b and ((toks[a].is_punct and low[a] not in ("?",)) or low[a] in (",",)):
            a += 1
        if a >= b:
            continue
        words = tuple(low[a:b])
        first, last = toks[a], toks[b - 1]
        clause = Clause(
            sentence=index, tok_start=first.i, tok_end=last.i + 1,
            start=first.idx, end=last.idx + len(last.text), words=words,
            conditional=a in cond_starts or (a - 1 in cond_starts and low[a - 1] == "in"),
        )
        if clause.conditional and words and words[0] == "in":
            pass
        _features(clause, toks[a:b], words, is_last=b == len(toks),
                  question_sentence=is_question_sentence, next_tok=toks[b] if b < len(toks) else None)
        out.append(clause)
    _govern(out, base)
    return out


def _features(
    c: Clause, toks: list[Token], words: tuple[str, ...], *, is_last: bool,
    question_sentence: bool, next_tok: Token | None,
) -> None:
    content = [w for w in words if w not in _SKIP_LEAD and w not in (",", "?", "!", ".")]
    head = content[:1]
    # -------- negation
    for k, w in enumerate(words):
        if w in _NEGATORS or w.endswith("n't"):
            if w == "not" and k and words[k - 1] in ("if", "or"):
                continue  # "if not, ...", "whether or not": an alternative, not a negation
            nxt = words[k + 1] if k + 1 < len(words) else ""
            key = "n't" if w.endswith("n't") else w
            if (key, nxt) in _PSEUDO_NEG:
                continue
            if nxt in _NEG_BEFORE_COMPLEMENT and any(x in ("if", "whether") for x in words[k + 2 : k + 5]):
                continue
            c.neg_at = toks[k].i
            break
        if (w, words[k + 1] if k + 1 < len(words) else "") in _NEG_PHRASES:
            c.neg_at = toks[k].i
            break
    # -------- agent
    c.agent = _agent(content)
    # -------- acts
    acts = Act.NONE
    ends_q = any(t.text.endswith("?") for t in toks[-2:]) or (
        next_tok is not None and next_tok.text.startswith("?")
    )
    if ends_q or (is_last and question_sentence):
        acts |= Act.QUESTION
    if len(content) >= 2 and content[0] in _AUX and content[1] in _PRONOUN_SUBJ | {"anyone", "someone"}:
        acts |= Act.QUESTION
    if len(content) >= 2 and content[0] in _WH and (content[1] in _AUX or content[1] in _PRONOUN_SUBJ):
        acts |= Act.QUESTION
    joined = " " + " ".join(words) + " "
    if head and (head[0] in _IMPERATIVE and (len(content) < 2 or content[1] not in _AUX | _SUBJ_WRITER)
                 and not (head[0] in ("let",) and len(content) > 1 and content[1] in ("'s", "us"))):
        acts |= Act.REQUEST
    if any(k in joined for k in (
        " could you ", " would you ", " can you ", " will you ", " would it be ", " could i ",
        " can i ", " may i ", " might i ", " let me know ", " lmk ", " feel free ",
        " appreciate it if ", " appreciate if ", " grateful if ", " great if ", " helpful if ",
        " if you could ", " if you would ", " if you can ", " any chance ", " is it possible ",
        " would be possible ", " do you mind ", " would you mind ", " please ", " kindly ",
        " i ask ", " i request ", " i'm asking ", " i am asking ", " wondering if ",
        " wondering whether ", " wonder if ", " wondered if ", " curious if ", " curious whether ",
        " hoping you ", " hope you can ", " hope you could ", " hope you might ", " open to ",
        " willing to ", " up for ", " ok if ", " okay if ", " alright if ", " keep me ",
        " point me ", " put me ", " shout ", " holler ", " ping me ", " reach out ",
        " n't know if ", " not know if ", " n't know whether ", " not sure if ", " not sure whether ",
        " unsure if ", " unsure whether ",
    )) or _indirect_question(words):
        acts |= Act.REQUEST
    if _has_wish(words):
        acts |= Act.WISH
    if _has_offer(words):
        acts |= Act.OFFER
    if c.conditional:
        acts |= Act.HINT
    if (head and head[0] in _GRATITUDE) or " thank you for " in joined or " thanks for " in joined or (
        " thanks so much for " in joined) or (" thank you so much for " in joined):
        acts |= Act.THANKS
    c.acts = acts
    # -------- time
    c.time = _time(words, toks, acts, c.conditional)


# Subjectless openers that speak for the writer ("Glad to help", "Would love to chat").
_WRITER_OPENERS = frozenset({"glad", "happy", "love", "hoping", "hope", "keen", "eager", "looking",
                             "would", "'d", "excited", "thrilled", "available", "free", "open",
                             "interested", "grateful", "thankful", "thanks", "thank", "wanted",
                             "writing", "reaching", "attaching", "sending", "applied"})


def _agent(content: list[str]) -> Actor:
    if content and content[0] in _WRITER_OPENERS and not (
        len(content) > 1 and content[0] in ("would", "'d") and content[1] in _PRONOUN_SUBJ
    ):
        return Actor.WRITER
    for k, w in enumerate(content[:6]):
        if w in _AUX and k == 0:
            continue  # inverted question: the subject follows
        if w in _SUBJ_WRITER:
            return Actor.WRITER
        if w in _SUBJ_BOTH:
            return Actor.BOTH
        if w in _SUBJ_READER:
            return Actor.READER
        if w in _SUBJ_THIRD:
            return Actor.THIRD
        if k == 0 and w in _IMPERATIVE:
            return Actor.READER  # an imperative: "you" is understood
        if w in _WH or w in _SUBORD or w in _CONDITION or w == "in" or w == "case":
            continue
        if w in ("the", "a", "an", "any", "some", "another", "one", "someone", "anyone"):
            return Actor.THIRD
    return Actor.NONE


# Adverbs that may sit inside a frame ("I'd still love", "I would also welcome").
_INNER_ADVERBS = frozenset({
    "also", "really", "truly", "so", "very", "much", "greatly", "certainly", "definitely",
    "genuinely", "deeply", "sincerely", "honestly", "absolutely", "still", "just", "personally",
    "especially", "particularly", "most", "always", "equally", "both", "all",
    "rather", "sure", "totally", "happily", "gladly", "even", "actually",
})


def _indirect_question(words: tuple[str, ...]) -> bool:
    """"I wonder how you decided ...", "I'm curious what ...": a question put as a statement."""
    for k, w in enumerate(words[:-1]):
        if w in ("wonder", "wondering", "wondered", "curious") and (
            words[k + 1] in _WH or words[k + 1] in ("if", "whether", "about")
        ):
            return True
    return False


def _has_wish(words: tuple[str, ...]) -> bool:
    # Read the clause without inner adverbs, so "I'd still love" is "I'd love".
    words = tuple(w for w in words if w not in _INNER_ADVERBS)
    for k, w in enumerate(words):
        prev = words[k - 1] if k else ""
        prev2 = words[k - 2] if k > 1 else ""
        if w in ("love", "like", "welcome", "appreciate", "enjoy", "value", "treasure") and prev in (
            "'d", "would", "'ll"
        ):
            return True
        if (w in ("love", "keen", "eager", "dying")
                and prev in ("i", "", "would", "'d", "'m", "am", "so", "really")
                and k + 1 < len(words) and words[k + 1] in ("to", "the", "a", "an", "it", "if", "any")):
            return True
        if w in ("hope", "hoping", "wish", "aim", "aiming", "dream", "dreaming", "seeking", "seek"):
            return True
        if w in ("want", "wanted", "need", "needed") and prev in (
            "i", "we", "really", "just", "'d", "would"
        ):
            return True
        if w == "looking" and k + 1 < len(words) and words[k + 1] in ("for", "to"):
            return True
        if w in ("interested", "thrilled", "delighted", "honored", "honoured", "excited", "grateful",
                 "thankful", "open", "willing", "eager", "keen", "curious") and (
            prev in ("'m", "am", "be", "'d", "really", "very", "so", "also", "truly", "more", "most",
                     "are", "'re")
            or prev2 in ("'d", "would")
        ):
            return True
        if w in ("great", "wonderful", "amazing", "ideal", "fantastic", "helpful", "valuable",
                 "honor", "honour", "privilege", "pleasure", "dream") and prev2 in ("would", "'d", "be"):
            return True
        if w == "goal" and k + 1 < len(words) and words[k + 1] == "is":
            return True
        if w == "be" and prev in ("would", "'d", "could") and any(
            x in _EVALUATIVE for x in words[k + 1 : k + 5]
        ):
            return True
    return False


# "... would be a huge help", "... would mean a lot": an evaluation that wishes.
_EVALUATIVE = frozenset({
    "help", "helpful", "great", "wonderful", "amazing", "ideal", "fantastic", "valuable",
    "invaluable", "useful", "appreciated", "awesome", "lovely", "nice", "cool", "perfect",
    "brilliant", "gift", "honor", "honour", "privilege", "pleasure", "dream", "incredible",
    "grateful", "thrilled", "delighted", "happy", "glad", "excellent", "beneficial",
})


def _has_offer(words: tuple[str, ...]) -> bool:
    for k, w in enumerate(words):
        prev = words[k - 1] if k else ""
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if w in _OFFER_WORDS and (nxt in ("to", "for", "on", "any", "anytime", "whenever", ",", "")
                                  or w in ("happily", "gladly")):
            return True
        if w in ("can", "could", "'ll", "will") and prev in ("i", "we"):
            return True
        if (w == "up" and prev == "'m") or (w == "glad" and prev == ""):
            return True
    return False


_PAST_LEADS = frozenset({"just", "recently", "also", "already", "actually", "finally"})
# Past forms that are also present forms: past only right after a personal pronoun.
_AMBIGUOUS_PAST = frozenset({"read", "put", "set", "let", "hit", "cut", "quit", "shut"})
# Past forms that make a polite present ("I was wondering if", "I wanted to ask").
_POLITE_PAST = frozenset({"wondering", "hoping", "thinking", "curious", "wanted", "wondered",
                          "hoped", "thought", "writing", "reaching"})


def _time(words: tuple[str, ...], toks: list[Token], acts: Act, conditional: bool = False) -> Time:
    has_modal = False
    past_seen_in_condition = False
    for k, w in enumerate(words):
        prev = words[k - 1] if k else ""
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if (w in _POLITE_PAST or (nxt in _POLITE_PAST and w in ("was", "were"))) and (
            w in ("was", "were") or nxt in ("to", "if", "whether", "you", "that", "about")
        ):
            has_modal = True  # a polite request, read as a proposal
            continue
        if w in _FUTURE_WORDS or w in ("can", "ca", "may", "must", "should"):
            has_modal = True  # "Can we set up a call?": a modal, so "set" is no past tense
        if w in _PAST_ADVERBS and not (w == "once" and k == 0):
            return Time.PAST
        if w == "last" and k + 1 < len(words) and words[k + 1] in _PAST_AFTER_LAST:
            return Time.PAST
        if has_modal:
            continue
        past = w in _PAST_AUX and prev not in ("if",) and not (
            w == "had" and nxt == "better")
        if not past and prev in _PRONOUN_SUBJ | _PAST_LEADS and (
            w in _IRREGULAR_PAST or (w.endswith("ed") and len(w) > 4 and w not in _ED_ADJ)
        ):
            past = not (w in _AMBIGUOUS_PAST and prev not in ("i", "we", "you", "he", "she", "they"))
        if past:
            if conditional and words[0] in ("if", "should", "were", "had", "unless"):
                past_seen_in_condition = True
                continue
            return Time.PAST
    if past_seen_in_condition:
        return Time.FUTURE  # "if I came by": a hypothetical, not a report
    if acts & Act.THANKS and not any(w in ("advance", "considering", "consideration") for w in words):
        return Time.PAST
    if has_modal or acts & (Act.REQUEST | Act.WISH | Act.OFFER | Act.HINT):
        return Time.FUTURE
    return Time.PRESENT


def _govern(clauses: list[Clause], base: int) -> None:
    """Subordinate clauses share the acts of the main clause they attach to."""
    mains = [i for i, c in enumerate(clauses) if not c.conditional]
    for i, c in enumerate(clauses):
        c.effective_acts = c.acts
        if c.conditional and mains:
            after = [m for m in mains if m > i]
            gov = after[0] if after else mains[-1]
            c.governor = base + gov
            c.effective_acts = c.acts | clauses[gov].acts
