"""Talk of getting a job: the check that keeps "I'm not expecting a job" out of a draft that
still asks for one, or talks of applying, in words no rule flagged."""

from __future__ import annotations

import regex

# A sentence that still talks about getting a job ("the analyst opening interests me", "I just
# applied"), though no rule flagged it as an ask: a no-expectation sentence beside it would
# contradict it, so none is added. Their own job ("how did you land your role") is fine.
_JOB_WORD_RE = regex.compile(
    r"(?i)\b(?:openings?|vacanc(?:y|ies)|hiring|hire|recruit\w*|internships?|apply(?:ing)?|applied|"
    r"applications?|candidacy|candidates?|consideration|considered|consider(?:ing)?\s+me|jobs?|"
    r"opportunit(?:y|ies)|positions?|roles?|interview(?:s|ing)?|credentials|"
    r"(?:resume|résumé|cv)\b(?!\s+later)|"
    r"join(?:ing)?\s+(?:your|the|this|that)\s+(?:\w+\s+)?(?:team|staff|company|firm|group|lab|"
    r"program|programme|department|practice)|belong\s+(?:here|there|on|in|at)|"
    r"part\s+of\s+an?\s+(?:\w+\s+)?team|add(?:ing)?\s+value|your\s+(?:hiring\s+)?decision|"
    r"fits?\s+(?:\w+\s+)?(?:with|into)\s+(?:what\s+)?your\s+(?:team|company|firm|group)|"
    r"work\s+(?:for|with|under)\s+you|working\s+with\s+you|place\s+to\s+work|free\s+to\s+work|"
    r"work\s+setting|contribute|add\s+value|fit\s+in|(?:a|genuine|strong|good|right)\s+fit|"
    r"how\s+I\s+(?:could|can|may|might)\s+(?:fit|help|be)|part\s+of\s+(?:that|it|your|the)|"
    r"spots?|take\s+me|give\s+me\s+a\s+shot|interns?|refer(?:ring|ral|rals)?\s+me|referrals?|"
    r"placements?|supervis\w+|employ\w*|need\s+(?:senior|junior|more|an?|someone)\b|"
    r"work\s+plac\w*|next\s+(?:hire|step|steps|stages?)|bring(?:ing)?\s+on|on\s+your\s+radar|"
    r"your\s+(?:most\s+\w+\s+)?needs|what\s+you\s+need|ask\s+(?:ur|your)\s+editor|"
    r"serve\s+customers|alongside\s+your\s+team|keep\s+me\s+in\s+mind|in\s+mind\s+for|"
    r"(?:available|eager|keen|ready|excited|able)\s+to\s+(?:start|join|work|contribute|help\s+your)|"
    r"looking\s+(?:for\s+work|to\s+(?:join|work|move|transition|break))|seeking|"
    r"put\s+in\s+a\s+(?:good\s+)?word|pass\s+(?:along|on)\s+my|my\s+(?:portfolio|profile|skills|"
    r"qualifications|experience)\s+(?:would|could|might|may|match|fits?|align)|"
    r"(?:anything|something)\s+(?:open|available|coming\s+up)|foot\s+in\s+the\s+door|"
    r"be\s+of\s+(?:use|help|value)\s+to|(?:love|like)\s+to\s+work\s+(?:for|with|at|on)|"
    r"work\s+(?:at|for)\s+(?:your|the)\s+(?:company|firm|studio|team|organi[sz]ation)|"
    r"salary|compensation|start\s+date|full[\s-]time|part[\s-]time|paid\s+work)\b"
    # "I want to do research in your lab next term", "I'd like to work at your studio"
    r"|\b(?:want|hope|hoping|like|love|wish)\s+to\s+(?:do|work|join|intern|volunteer|be|start|"
    r"train|study)\b[^.?!\n]{0,40}\b(?:in|at|with|for)\s+(?:your|the)\s+(?:lab|team|company|firm|"
    r"studio|office|group|paper|organi[sz]ation|newsroom|practice|department|school|clinic)\b"
)
# "How did you land your role": the reader's own job is not the writer asking for one.
_THEIRS_RE = regex.compile(
    r"(?i)\b(?:your|their|his|her|informational|own)\s+(?:\S+\s+)?$|"
    r"\b(?:moved|moving|move|got|getting|transition\w*)\s+(?:in)?to\s+(?:an?\s+)?(?:\S+\s+)?$")
_THEIR_JOB_RE = regex.compile(r"(?i)^(?:roles?|jobs?|positions?|interviews?|work)$")
# A job search in general, in a field or a city ("my job search in Pittsburgh", "exploring
# opportunities in public health", "searching for data roles"): who the writer is, not a job
# wanted from this reader, so "I'm not asking you for a job" beside it reads true. A search
# aimed at the reader's organisation ("openings there", "roles at your firm") is not this.
_FIELD_SEARCH_RE = regex.compile(
    r"(?i)\bjob[\s-]+(?:search\w*|hunt\w*)\b|"
    r"\b(?:exploring|explore|looking\s+(?:at|into)|searching\s+for|researching|considering|"
    r"interested\s+in|pursuing|open\s+to)\s+(?:new\s+|possible\s+|career\s+|different\s+)?"
    r"(?:[\w/<>\[\]{}-]+\s+){0,3}?(?:opportunit(?:y|ies)|roles|openings|positions|jobs|options|careers)"
    r"(?=\s+(?:in|within|across|around)\s+(?!your\b|the\s+(?:company|firm|team|organi[sz]ation)\b)"
    r"|\s+(?:after|once|when)\s+|\s*[.,;]|\s+and\s+I\b)|"
    # recruiting as a season the writer is in, or a process they ask about
    r"\b(?:IB|banking|summer|analyst|campus|fall|spring|consulting|MBA)\s+(?:\w+\s+)?recruiting\b|"
    r"\b(?:through|for|in|of|about|with|on)\s+(?:the\s+)?(?:middle\s+of\s+)?recruiting"
    r"(?:\s+for\s+(?:[\w-]+\s+){0,3}?(?:roles|positions|internships|jobs))?\b|"
    r"\brecruiting\s+(?:process|season|cycle|timeline)\b|"
    r"\brecruiting\s+for\s+(?:[\w-]+\s+){0,3}?(?:roles|positions|internships|jobs)\b|"
    # a time that suits ("if a call would work for you"), chances to learn and fitting in a
    # call are not jobs
    r"\b(?:would|will|does|do|might|could|should|that|it|times?|days?|whatever|what)\s+"
    r"(?:\w+\s+)?works?\s+(?:best\s+|well\s+)?for\s+you\b|"
    r"\bopportunit(?:y|ies)\s+to\s+(?:shadow|learn|meet|talk|speak|visit|observe|chat|connect|"
    r"hear|ask)\b|\bfit\s+in\s+(?:a|an|some)\s+(?:\w+\s+){0,2}?(?:conversation|call|chat|"
    r"meeting|coffee|minutes)\b|"
    # the reader's own job ("the path that led you to this role", "working at X as a (position)")
    r"\b(?:led|brought|took|got)\s+you\s+(?:to|into)\s+(?:\w+\s+){0,2}?(?:role|job|position)\b|"
    r"\byou(?:['’]re|\s+are)?\s+(?:working|work)\s+(?:at|for|in)\b[^.?!\n]{0,60}?\bas\s+(?:an?\s+)?"
    r"[(\[<{]?\s*(?:position|role|job\s+title)\b|"
    # the writer interviewing someone for a class, a paper, a blog: not a job interview
    r"\binterview(?:ing)?\s+(?:a|an|some|several|two|three|people|you|someone|librarians|"
    r"professionals|practitioners|a\s+handful)\b|\binformational\s+interviews?\b|"
    r"\bthe\s+interview\s+would\b|"
    # their own past or present work ("completed a few internships", "my first real job")
    r"\b(?:completed|did|held|had|finished|done)\s+(?:a\s+few\s+|two\s+|several\s+|an?\s+)?"
    r"(?:\w+\s+)?(?:internships?|roles?|jobs?|positions?)\b|"
    r"\bmy\s+(?!(?:next|new|dream|ideal|future)\b)(?:current\s+|first\s+|previous\s+|last\s+|"
    r"day\s+|old\s+)?(?:\W?real\W?\s+)?(?:(?!(?:next|new|dream|ideal|future)\b)[\w-]+\s+){0,2}"
    r"job\b(?!\s+search)|"
    # a question about a field or a path ("getting into [industry or role]", "your view on
    # unpaid internships", "your route into the job")
    r"\b(?:getting|get|break(?:ing)?|go(?:ing)?|route|path|way)\s+into\s+(?:the\s+)?(?:\S+\s+){0,3}?"
    r"[\[(<{]?(?:job|role|field|industry|roles)\b|"
    r"\b(?:view|views|opinion|thoughts|take)\s+on\s+(?:\w+\s+){0,3}?(?:internships?|jobs?|roles?)\b")
_NEGATED_RE = regex.compile(
    r"(?i)(?:(?<!\bif\s+)\b(?:not|never)\b|n['’]t\b)[^.?!;]{0,30}$|\bno\s+(?:\S+\s+)?$")


def _choice_blank(sentence: str, start: int, end: int) -> bool:
    """True when [start, end) sits inside a bracketed blank that offers a choice with "/"."""
    left = max(sentence.rfind(c, 0, start) for c in "[<{")
    if left < 0 or any(c in sentence[left:start] for c in "]>}"):
        return False
    rights = [i for i in (sentence.find(c, end) for c in "]>}") if i >= 0]
    return bool(rights) and "/" in sentence[left : min(rights)]


def talks_of_a_job(sentence: str) -> bool:
    """True when a sentence mentions getting a job, outside a negation ("not asking about
    openings") and other than the reader's own job ("how did you land your role")."""
    general = [(g.start(), g.end()) for g in _FIELD_SEARCH_RE.finditer(sentence)]
    for m in _JOB_WORD_RE.finditer(sentence):
        if any(a <= m.start() and m.end() <= b for a, b in general):
            continue  # a job search in a field, not a job wanted from this reader
        if _choice_blank(sentence, m.start(), m.end()):
            continue  # a template's either/or blank ("[Tech Stack/Role]"): who they are
        before = sentence[max(0, m.start() - 40) : m.start()]
        theirs = _THEIR_JOB_RE.match(m.group(0)) and _THEIRS_RE.search(before)
        # "not asking about openings": a negation just before the word, not anywhere.
        if not theirs and not _NEGATED_RE.search(before):
            return True
    return False


def mentions_jobs(text: str) -> bool:
    """True when the text mentions jobs or a job search at all, even in general."""
    return bool(_JOB_WORD_RE.search(text) or _FIELD_SEARCH_RE.search(text))
