"""Template text that is not the writer's own words: placeholders and bracketed instructions.

Real drafts are often filled-in templates: "Hi [Name], I saw the {role} opening at
<Company>...", "[Insert one line about why their work interests you]". Two kinds are told
apart:

- a *placeholder* ("[Company]", "{{first_name}}", "<Job Title>", "____") stands for a word the
  writer still has to fill in. For matching it becomes one neutral capitalised token of the
  same length ("Xxxxxxxxx"), so "at [Company]" still reads as "at <an organisation>" while
  "[ROLE NAME]" is not read as the job word "role";
- an *instruction* ("[Add a sentence about your background]", "[or today, if that fits]") is
  advice to the template's user, not text of the message: it is blanked for matching.

Either way the text keeps its length, so every offset still points into the draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import regex

_BRACKETED = regex.compile(
    r"\{\{[^{}\n]{1,80}\}\}"           # {{first_name}}
    r"|\{[^{}\n]{1,80}\}"              # {name}
    r"|\[[^\[\]\n]{1,160}\]"           # [Company], [Add one line about ...]
    r"|<(?![/!?])[^<>\n@:/]{1,60}>"    # <Name> (not <a@b.c>, not </tag>, not <https://...>)
    r"|_{3,}"                          # ____
    r"|\((?:your|their|his|her|company|organi[sz]ation|name|first\s+name|position|job|role|"
    r"title|date|insert|add|mention|team|field|industry|school|department|contact)\b[^()\n]{0,60}\)"
)
_INSTRUCTION_LEADS = frozenset(
    [
        'insert', 'add', 'mention', 'describe', 'explain', 'include', 'write', 'personalise',
        'personalize', 'state', 'list', 'note', 'share', 'say', 'briefly', 'optional',
        'optionally', 'e.g.', 'eg', 'example', 'or', 'if', 'choose', 'pick', 'use', 'tailor',
        'reference', 'highlight', 'summarize', 'summarise', 'give',
    ]
)
_WORD = regex.compile(r"[\p{L}\p{N}.'’-]+")


@dataclass(frozen=True, slots=True)
class TemplatePart:
    start: int
    end: int
    kind: Literal["placeholder", "instruction"]


def template_parts(text: str) -> list[TemplatePart]:
    """Every placeholder and bracketed instruction in `text`, in order."""
    out: list[TemplatePart] = []
    for m in _BRACKETED.finditer(text):
        inner = m.group(0).strip("[]{}<>()_")
        words = _WORD.findall(inner)
        lead = words[0].lower() if words else ""
        instruction = len(words) >= 6 or lead in _INSTRUCTION_LEADS or ("/" in inner and len(words) >= 4)
        if not words and not m.group(0).startswith("_"):
            continue  # "[]", "<>" and the like: punctuation, not a template slot
        out.append(TemplatePart(m.start(), m.end(), "instruction" if instruction else "placeholder"))
    return out


def neutralise(text: str, parts: list[TemplatePart] | None = None) -> str:
    """`text` with placeholders as neutral tokens and instructions blanked (same length)."""
    parts = template_parts(text) if parts is None else parts
    if not parts:
        return text
    chunks: list[str] = []
    pos = 0
    for p in parts:
        chunks.append(text[pos : p.start])
        n = p.end - p.start
        if p.kind == "placeholder":
            chunks.append("X" + "x" * (n - 1))
        else:
            chunks.append("".join(c if c in "\n\r" else " " for c in text[p.start : p.end]))
        pos = p.end
    chunks.append(text[pos:])
    return "".join(chunks)
