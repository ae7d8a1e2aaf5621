"""Pydantic schemas for rule packs: every rule file is validated against these, unknown keys rejected.

`rule_file_json_schema()` exports them for editors (committed as docs/schema/rule.schema.json).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..models import Applicability, SegmentKind, Severity

RULE_ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"

Scope = Literal["subject", "greeting", "body", "postscript", "signoff"]
ALL_SCOPES: tuple[Scope, ...] = ("subject", "greeting", "body", "postscript", "signoff")
SCOPE_KINDS: dict[str, SegmentKind] = {s: SegmentKind(s) for s in ALL_SCOPES}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PatternSet(Strict):
    """Literal phrases, spaCy token patterns and regular expressions; any one may match.

    Token patterns may name word classes from the pack's `classes.yaml` inside IN / NOT_IN
    lists as "$class". Regexes may embed a class as `${class}`; they are case-insensitive.
    """

    phrases: list[str] = Field(default_factory=list, description="Matched on lowercase tokens.")
    tokens: list[list[dict[str, Any]]] = Field(
        default_factory=list, description="spaCy Matcher patterns (validated)."
    )
    regex: list[str] = Field(default_factory=list, description="`regex` module patterns.")
    use: list[str] = Field(
        default_factory=list, description="Names of detectors from the pack's detectors.yaml."
    )
    model: str | None = Field(
        None, pattern=r"^[a-z][a-z0-9-]*-v[0-9]+$",
        description="A learned sentence model shipped with outreach-lint (e.g. job-ask-v1): its"
        " hits are the writer's sentences that score at least `threshold`.",
    )
    threshold: float | None = Field(
        None, gt=0, lt=1, description="Score a sentence needs (default: the model's own)."
    )

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.tokens or self.regex or self.use or self.model)


class Exceptions(PatternSet):
    """Antipatterns: a hit is dropped when one of these matches near it."""

    within: Literal["match", "sentence"] = Field(
        "sentence", description="'match': must overlap the hit; 'sentence': anywhere in its sentence."
    )


ActName = Literal["question", "request", "wish", "offer", "hint", "thanks", "statement"]
TimeName = Literal["past", "present", "future"]
ActorName = Literal["writer", "reader", "both", "third", "none"]


class ClauseCondition(Strict):
    """A frame: conditions on the clause a hit sits in (see docs/nlp.md, "Clauses").

    Every listed condition must hold. `acts` are the clause's effective acts (a condition
    clause shares its main clause's acts); "statement" means none of the others.
    """

    acts: list[ActName] = Field(
        default_factory=list, description="Keep the hit if its clause does any of these."
    )
    not_acts: list[ActName] = Field(
        default_factory=list, description="Drop the hit if its clause does any of these."
    )
    time: list[TimeName] = Field(default_factory=list, description="Allowed clause times.")
    agent: list[ActorName] = Field(default_factory=list, description="Allowed clause agents.")
    conditional: bool | None = Field(None, description="Require (true) or forbid (false) a condition clause.")
    with_: list[str] = Field(
        default_factory=list, alias="with",
        description="Detectors that must also hit in the same clause (a frame's other slots).",
    )
    with_sentence: list[str] = Field(
        default_factory=list, description="Detectors that must also hit in the same sentence"
        " (or within `sentences_apart` sentences of it).",
    )
    sentences_apart: int = Field(
        0, ge=0, le=3, description="How many sentences away a `with_sentence` hit may be"
        " (1: the sentence before or after, for elliptic follow-ups like 'Coffee's on me.').",
    )
    without: list[str] = Field(
        default_factory=list, description="Detectors that must not hit in the same clause.",
    )
    not_in_draft: list[str] = Field(
        default_factory=list,
        description="Detectors that must not hit anywhere in the draft (the draft's situation,"
        " e.g. the writer is turning a role down).",
    )

    @property
    def detector_names(self) -> list[str]:
        return [*self.with_, *self.with_sentence, *self.without, *self.not_in_draft]


class MatchSpec(PatternSet):
    """What a rule looks for, and where and in what kind of sentence it counts."""

    scope: list[Scope] = Field(default_factory=lambda: list(ALL_SCOPES))
    sentence: Literal["any", "question", "request", "statement"] = Field(
        "any", description="Only count hits in sentences of this mood."
    )
    negation: Literal["skip", "ignore", "only"] = Field(
        "ignore",
        description="'skip': drop hits inside a negated clause ('not asking about jobs');"
        " 'only': keep only those.",
    )
    exceptions: list[Exceptions] = Field(
        default_factory=list, description="Antipatterns; a hit matching any of them is dropped."
    )
    clause: ClauseCondition | None = Field(
        None, description="A frame: conditions on the clause each hit sits in."
    )


class Detector(MatchSpec):
    """A named, reusable MatchSpec (detectors.yaml), e.g. `meeting-request`."""

    description: str = ""


Anchor = Literal[
    "match", "sentence", "before-signoff", "after-greeting", "end-of-body", "subject", "body-start"
]


class Insert(Strict):
    """Insert one of `text` (templates) at `at`, as a new sentence or a new paragraph."""

    at: Anchor | str = Field(
        "before-signoff",
        description="An anchor, or 'after:<detector>' to follow the sentence a detector matched.",
    )
    text: list[str] = Field(min_length=1)
    as_: Literal["sentence", "paragraph"] = Field("sentence", alias="as")


class FixSpec(Strict):
    """How a finding is fixed. Templates use {name} for captures; the first whose names are
    all captured is used, so list the most specific first and a plain fallback last."""

    title: str
    applicability: Applicability = Applicability.UNSAFE
    why_safe: str = Field("", description="Why this applicability; shown in the rule docs.")
    replace_sentence: list[str] = Field(default_factory=list)
    replace_subject: list[str] = Field(
        default_factory=list,
        description="Rewrites used when the flagged sentence is the subject line.",
    )
    replace_match: list[str] = Field(default_factory=list)
    insert: Insert | None = None
    delete: Literal["match", "sentence"] | None = None
    captures: dict[str, str] = Field(
        default_factory=dict,
        description="name -> regex with one group; searched in the hit's sentence, then the draft.",
    )
    note: list[str] = Field(
        default_factory=list,
        description="Short phrasings the rewrite planner uses in a LinkedIn note (300 characters)"
        " instead of `insert.text` / `replace_sentence`.",
    )
    fragments: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Named pieces the rewrite planner splices into a sentence the writer already"
        " has (e.g. `duration: [20-minute]` turns 'a quick call' into 'a quick 20-minute call').",
    )
    placeholders: dict[str, str] = Field(
        default_factory=dict,
        description="capture name -> bracketed stand-in ('[what you'd like to learn]') shown when"
        " the draft does not say it; a fix that needs one is display-only, never applied as is.",
    )


class FixExample(Strict):
    input: str
    output: str


class FlaggedExample(Strict):
    """A draft the rule must flag, with the exact text of each finding it must report."""

    draft: str
    flagged: list[str] = Field(
        min_length=1, description="The exact text under each finding of this rule, in order."
    )


class Examples(Strict):
    fail: list[str | FlaggedExample] = Field(
        min_length=1,
        description="Drafts this rule must flag: a draft, or {draft, flagged} to pin exactly"
        " what is underlined.",
    )
    pass_: list[str] = Field(min_length=1, alias="pass", description="Drafts it must not flag.")
    fix: list[FixExample] = Field(default_factory=list)

    @property
    def fail_drafts(self) -> list[str]:
        return [e if isinstance(e, str) else e.draft for e in self.fail]


OptionValue = bool | int | float | str | list[str]


class OptionSpec(Strict):
    """An option a rule declares: its default (whose type is the option's type) and meaning."""

    default: OptionValue
    description: str = ""

    @property
    def type_name(self) -> str:
        return option_type_name(self.default)


def option_type_name(value: OptionValue) -> str:
    """The option type a default stands for, as shown in docs and errors."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "list of strings"
    return "string"


class RuleBase(Strict):
    """Fields every rule has, whatever its kind. Each kind subclasses it in rules/kinds/."""

    #: What a rule of this kind does, in one sentence (the rule docs' "What it does").
    kind_doc: ClassVar[str] = ""

    id: str = Field(pattern=RULE_ID_PATTERN)
    category: str = Field(pattern=r"^[a-z][a-z-]*$")
    severity: Severity
    message: str = Field(min_length=1, description="Short, kind and specific.")
    why: str = Field(min_length=1, description="The longer explanation, for docs and hover.")
    source: str | list[str] = Field(
        description="Where the advice comes from: free text, or a list of keys of the pack's"
        " `sources` (each a title and an address).",
    )
    fix: FixSpec | None = None
    examples: Examples
    profiles: list[str] = Field(
        default_factory=list, description="Profiles this rule is on in; empty means all."
    )
    options: dict[str, OptionSpec | OptionValue] = Field(
        default_factory=dict,
        description="Options users may set in [rules.<id>]: name -> default value, or"
        " {default, description}. The default's type is the option's type.",
    )

    @field_validator("message")
    @classmethod
    def _no_trailing_space(cls, v: str) -> str:
        return v.strip()

    @field_validator("source")
    @classmethod
    def _some_source(cls, v: str | list[str]) -> str | list[str]:
        if not v or (isinstance(v, str) and not v.strip()):
            raise ValueError("say where the advice comes from")
        return v

    @property
    def kind_name(self) -> str:
        return str(getattr(self, "kind", ""))

    def declared_options(self) -> dict[str, OptionSpec]:
        """Every option of this rule with its default; kinds add their own (thresholds)."""
        return {name: spec if isinstance(spec, OptionSpec) else OptionSpec(default=spec)
                for name, spec in self.options.items()}


class Profile(Strict):
    description: str = ""
    severity: dict[str, Severity] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)


class SourceRef(Strict):
    """A source a reader can look up: its title and its address."""

    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")


class PackManifest(Strict):
    """pack.yaml at the root of a pack folder."""

    name: str = Field(pattern=RULE_ID_PATTERN)
    version: str
    description: str
    default_profile: str = "default"
    profiles: dict[str, Profile] = Field(default_factory=lambda: {"default": Profile()})
    docs_url: str = Field(
        "",
        description="Where a rule's docs live: a URL with {id} in it, or a base URL the rule id"
        " is appended to.",
    )
    categories: dict[str, float] = Field(
        default_factory=dict, description="Score weight (points out of 100) per category."
    )
    sources: dict[str, SourceRef] = Field(
        default_factory=dict,
        description="Where the advice comes from, by key; rules name the keys in `source`.",
    )

    def docs_link(self, rule_id: str) -> str | None:
        if not self.docs_url:
            return None
        if "{id}" in self.docs_url:
            return self.docs_url.replace("{id}", rule_id)
        return self.docs_url + rule_id
