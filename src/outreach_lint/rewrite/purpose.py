"""What a draft is for: a request the planner may add asks to, or a message that is not one.

`fix --unsafe` once turned a thank-you after an interview into "... Could I buy you a
20-minute coffee?", an employer's reply to an applicant into a request for the employer's
perspective, and a reply to a recruiter into a no-expectation line. Rewriting what the writer
already asks is fine in any message; *adding* a meeting ask, a fallback, a framing or a
no-expectation sentence only makes sense in a request. The linter still reports what a request
would lack (a user may be writing one); the fix just does not invent one.
"""

from __future__ import annotations

from enum import StrEnum

import regex

from .meeting import is_meeting_ask


class Purpose(StrEnum):
    REQUEST = "request"
    THANKS = "thanks after a conversation"
    EMPLOYER = "a message from the employer's side"
    OFFER_REPLY = "a reply to an offer or a recruiter"


# Thanks for a conversation that already happened ("thank you for talking with me Tuesday",
# "it was a pleasure to meet you today", "thank you for making time to interview me").
_AFTER_TALK_RE = regex.compile(
    r"(?i)\bthank(?:s|\s+you)\s+(?:(?:so|very)\s+much\s+|again\s+)?for\s+(?:"
    r"(?:talking|speaking|meeting|chatting|sitting\s+down)\s+with\s+me|"
    r"(?:taking|making|finding)\s+(?:the\s+)?time\s+to\s+(?:talk|speak|meet|chat|interview)|"
    r"(?:the|our|your)\s+(?:\w+\s+)?(?:time|call|chat|conversation|meeting|interview)\s+"
    r"(?:today|yesterday|this|last|on|earlier)|interviewing\s+me|the\s+interview)\b|"
    r"\b(?:it\s+was|it['’]s\s+been)\s+(?:a\s+(?:real\s+)?(?:pleasure|treat|joy)|great|lovely|nice|"
    r"wonderful)\s+(?:to\s+(?:meet|speak|talk|chat)|meeting|speaking|talking|chatting)\b"
)
# The employer's or recruiter's side of hiring, strictly ("thanks for your interest in the
# role", "we are not recruiting right now", "I wish I was able to hire you").
_EMPLOYER_RE = regex.compile(
    r"(?i)\bthank(?:s|\s+you)\s+for\s+(?:your\s+interest|applying|sending\s+(?:this|your)\s+"
    r"(?:\w+\s+)?(?:email|application|resume|cv))\b|"
    r"\b(?:should|if)\s+you\s+wish\s+to\s+apply\b|"
    r"\b(?:we|I)\s+(?:are|am|['’]re|['’]m)\s+not\s+(?:recruiting|hiring)\b|"
    r"\bwe\s+(?:regret|will\s+keep|would\s+like\s+to\s+invite|received\s+your)\b|"
    r"\bkeep\s+your\s+(?:resume|cv|application|details)\s+on\s+file\b|"
    r"\b(?:able|unable)\s+to\s+(?:hire|offer)\s+you\b|"
    r"\b(?:we|our\s+(?:team|company|firm|studio|client))\s+(?:are|is|['’]re)\s+"
    r"(?:hiring|recruiting|expanding|growing|looking\s+for)\b|"
    r"\b(?:open|interested)\s+to\s+(?:hearing\s+about|exploring|discussing)\s+(?:a|an|our|the|this|"
    r"new|some)\s+(?:\w+\s+)?(?:role|roles|opportunit(?:y|ies)|position|openings?)\b"
)
# Answering an offer or a recruiter: accepting, declining, withdrawing, thanking for the offer.
_OFFER_REPLY_RE = regex.compile(
    r"(?i)\b(?:withdraw\w*\s+(?:my|from)|declin\w*\s+(?:the|your|this)\s+(?:\w+\s+)?"
    r"(?:offer|position|role)|turn(?:ing)?\s+down\s+(?:the|your|this)|"
    r"accept(?:ing|ed)?\s+(?:your|the|this)\s+(?:\w+\s+){0,2}?offer|"
    r"thank(?:s|\s+you)\s+(?:\w+\s+){0,2}?for\s+(?:the\s+(?:\w+\s+)?offer|your\s+(?:\w+\s+)?offer|"
    r"reaching\s+out|thinking\s+of\s+me|considering\s+me\s+for))\b"
)


def purpose_of(sentences: list[str]) -> Purpose:
    """The draft's purpose from its body sentences (the subject and quotes left out)."""
    text = "\n".join(sentences)
    if _OFFER_REPLY_RE.search(text):
        return Purpose.OFFER_REPLY
    if _EMPLOYER_RE.search(text):
        return Purpose.EMPLOYER
    # A thank-you that asks to meet again is a request; one that only thanks is not.
    if _AFTER_TALK_RE.search(text) and not any(
            s.rstrip().endswith("?") and is_meeting_ask(s) for s in sentences):
        return Purpose.THANKS
    return Purpose.REQUEST
