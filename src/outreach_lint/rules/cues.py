"""Sentence-level cues every rule can lean on: questions, requests and negated clauses.

These generalise where phrase lists cannot: a job word only makes a job ask inside a request
("could you keep me in mind for openings?") and not inside a negated clause ("I'm not asking
about openings"). Word lists here are closed-class words (auxiliaries, pronouns, negators),
which is why they can be short and still cover unseen drafts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from spacy.tokens import Span

_AUX = frozenset(
    ["would", "could", "can", "may", "might", "will", "do", "does", "did", "is", "are", "was", "were", "have", "has", "shall", "should"]
    + ["would'nt", "wouldn't", "couldn't", "can't", "won't", "isn't", "aren't", "don't"]
)
_SUBJECT_AFTER_AUX = frozenset(
    ["you", "i", "we", "it", "there", "your", "anyone", "someone", "anybody", "somebody", "this", "that", "they", "he", "she", "one"]
)
# Phrases that make a sentence a request even when it is phrased as a statement.
# Adverbs that may sit inside a request frame: "I'd really like", "I would also be grateful".
_ADV = r"(?:\s+(?:also|really|truly|so|very\s+much|greatly|certainly|definitely|genuinely|deeply|sincerely|honestly|absolutely|still|just|personally|especially|particularly|most))*"
# Phrases that make a sentence a request even when it is phrased as a statement.
_REQUEST_RE = regex.compile(
    r"(?ix)\b(?:"
    r"please|pls|plz|kindly|let\s+me\s+know|keep\s+me\s+(?:in\s+mind|posted|updated|informed)"
    rf"|i(?:'|’)?d{_ADV}\s+(?:love|like|appreciate|be\s+\w+|welcome|value|jump|enjoy|want)"
    rf"|i\s+would{_ADV}\s+(?:love|like|appreciate|be\s+\w+|welcome|value|jump|enjoy|want)"
    rf"|i(?:'|’)?m{_ADV}\s+(?:hoping|keen|eager|interested|wondering|reaching|writing|asking|curious|checking|following)"
    rf"|i\s+am{_ADV}\s+(?:hoping|keen|eager|interested|wondering|reaching|writing|asking|curious|checking|following)"
    r"|i\s+(?:was|were)\s+(?:hoping|wondering)|i\s+wonder|wondering\s+(?:if|whether)"
    r"|i\s+hope\s+(?:to|you|we|that)|hoping\s+(?:to|you|that)"
    r"|would\s+(?:it|you)\s+be|if\s+you\s+(?:could|would|can|are|were|ever|hear|know|see|have|happen)"
    r"|any\s+chance|any\s+possibility|is\s+there\s+any|in\s+case|should\s+(?:a|any|something|anything)"
    r"|i\s+(?:want|wanted|need|needed)\s+to\s+(?:ask|request|inquire|enquire|know|see|check)"
    r"|i\s+(?:ask|request|inquire|enquire)|may\s+i|can\s+i|could\s+i|might\s+i"
    r"|feel\s+free|do\s+(?:let|keep|consider|think)|i(?:'|’)?ll\s+be\s+(?:grateful|glad|happy)"
    r"|(?:be|am|'m)\s+(?:open|available|happy|glad)\s+to|thank(?:s|\s+you)\s+(?:in\s+advance\s+)?for\s+(?:considering|any)"
    r"|if\s+(?:possible|so|anything|something|there|your|the|an?)\b"
    r"|happy\s+to|would\s+mean|checking\s+(?:in|whether|if|on|back)|following\s+up|circling\s+back"
    r"|(?:should|would)\s+be\s+(?:most\s+|very\s+|so\s+|extremely\s+)?(?:grateful|obliged|thankful|delighted|glad|happy|pleased|honou?red)"
    r"|(?:grateful|thankful|appreciative)\s+(?:if|for)|would\s+be\s+(?:great|wonderful|amazing|ideal)"
    r"|(?:would|'d|’d)\s+(?:love|like|enjoy|welcome|appreciate)|(?:love|like)\s+to\s+(?:chat|talk|meet|connect|hear)"
    r"|i(?:'|’)?ll\s+be\s+at|i\s+will\s+be\s+at|i(?:'|’)?ll\s+(?:come|stop|drop)\s+by|i\s+will\s+(?:come|stop|drop)\s+by"
    r"|maybe\s+we\s+(?:can|could)|perhaps\s+we\s+(?:can|could)"
    r"|is\s+it\s+(?:ok|okay|alright|possible)|(?:are|were)\s+you\s+(?:open|free|available|around)"
    r")"
)
_IMPERATIVE = frozenset(
    ["send", "forward", "pass", "share", "refer", "consider", "keep", "tell", "introduce", "connect", "put", "recommend", "let", "point", "mention", "add", "include", "loop", "shoot", "drop", "ping", "flag", "hire", "bring", "think", "check"]
)
_NEGATORS = frozenset(
    ["not", "n't", "never", "no", "nor", "neither", "without", "nothing", "none", "cannot"] + ["n’t", "nt"]
)
_NEG_PHRASES = (("rather", "than"), ("instead", "of"), ("other", "than"), ("far", "from"))
# Negators that do not negate what follows ("not only", "no doubt", "can't wait").
_PSEUDO_NEG = frozenset(
    {
        ("not", "only"), ("not", "just"), ("no", "matter"), ("no", "doubt"), ("not", "sure"),
        ("n't", "wait"), ("n't", "hesitate"), ("n't", "mind"), ("not", "hesitate"),
        ("no", "later"), ("not", "mind"), ("n’t", "wait"), ("n’t", "hesitate"), ("n’t", "mind"),
        ("never", "hurts"), ("no", "pressure"), ("no", "rush"), ("no", "worries"),
    }
)
# Words that end the reach of a negation: a new clause starts.
_CLAUSE_BREAKS = frozenset(
    [",", ";", ":", "—", "–", "-", "(", ")", "but", "and", "so", "because", "though", "although", "while", "however", "yet", "if", "whether", "when", "unless", "since", "as", "or"]
) - {"or"}
NEG_WINDOW = 8


def is_question(sent: Span) -> bool:
    """A '?' or an inverted auxiliary ("Would you ...") even without the question mark."""
    if "?" in sent.text and any(
        t.text in ("?", "?!", "!?") or t.text.endswith("?") for t in sent
    ):
        return True
    words = []
    for t in sent:  # only the first two words matter
        if not t.is_space and not t.is_punct:
            words.append(t.lower_)
            if len(words) == 2:
                break
    if len(words) >= 2:
        first, second = words
        if first in _AUX and second in _SUBJECT_AFTER_AUX:
            return True
        if first in ("what", "how", "who", "which", "where", "when", "why") and second in _AUX:
            return True
    return False


def is_request(sent: Span) -> bool:
    """A question, an imperative, or a statement carrying a request cue ("I'd love to ...")."""
    return is_question(sent) or has_request_cue(sent)


def has_request_cue(sent: Span) -> bool:
    """A request phrased as a statement ("I'd love to ...") or an imperative."""
    if _REQUEST_RE.search(sent.text):
        return True
    first = next((t for t in sent if t.is_alpha), None)
    return first is not None and first.lower_ in _IMPERATIVE


def is_negated(sent: Span, token_i: int) -> bool:
    """True when a negator governs the token at doc index `token_i` within its clause.

    Looks back at most NEG_WINDOW words inside the sentence, stopping at a clause break,
    and ignores pseudo-negations ("not only", "can't wait").
    """
    doc = sent.doc
    seen = 0
    i = token_i - 1
    while i >= sent.start and seen < NEG_WINDOW:
        tok = doc[i]
        low = tok.lower_
        if low in _CLAUSE_BREAKS and not (low in ("-", "–", "—") and tok.whitespace_ == ""):
            return False
        if low in _NEGATORS or low.endswith("n't") or low.endswith("n’t"):
            nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
            if (low, nxt) in _PSEUDO_NEG or (("n't", nxt) in _PSEUDO_NEG and low.endswith("n't")):
                i -= 1
                continue
            return True
        if i + 1 < len(doc) and (low, doc[i + 1].lower_) in _NEG_PHRASES:
            return True
        if not tok.is_space:
            seen += 1
        i -= 1
    return False
