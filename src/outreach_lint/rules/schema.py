"""Pydantic schemas for rule packs: every rule file is validated against these, unknown keys rejected.

`rule_file_json_schema()` exports them for editors (committed as docs/schema/rule.schema.json).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

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

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.tokens or self.regex or self.use)


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
        default_factory=list, description="Detectors that must also hit in the same sentence.",
    )
    without: list[str] = Field(
        default_factory=list, description="Detectors that must not hit in the same clause.",
    )

    @property
    def detector_names(self) -> list[str]:
        return [*self.with_, *self.with_sentence, *self.without]


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


class FixExample(Strict):
    input: str
    output: str


class Examples(Strict):
    fail: list[str] = Field(min_length=1, description="Drafts this rule must flag.")
    pass_: list[str] = Field(min_length=1, alias="pass", description="Drafts it must not flag.")
    fix: list[FixExample] = Field(default_factory=list)


class RuleBase(Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    category: str = Field(pattern=r"^[a-z][a-z-]*$")
    severity: Severity
    message: str = Field(min_length=1, description="Short, kind and specific.")
    why: str = Field(min_length=1, description="The longer explanation, for docs and hover.")
    source: str = Field(min_length=1, description="Where the advice comes from.")
    fix: FixSpec | None = None
    examples: Examples
    profiles: list[str] = Field(
        default_factory=list, description="Profiles this rule is on in; empty means all."
    )
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("message")
    @classmethod
    def _no_trailing_space(cls, v: str) -> str:
        return v.strip()


class ExistenceRule(RuleBase):
    """Flag every hit of `match`."""

    kind: Literal["existence"]
    match: MatchSpec
    report: Literal["match", "sentence"] = Field(
        "match", description="Underline the matched words, or their whole sentence."
    )
    max_findings: int = Field(5, ge=1)


class Swap(Strict):
    regex: str
    replace: list[str] = Field(min_length=1)


class SubstitutionRule(RuleBase):
    """Flag a phrase and offer replacements; named groups are usable as {name}, case kept."""

    kind: Literal["substitution"]
    swaps: list[Swap] = Field(min_length=1)
    scope: list[Scope] = Field(default_factory=lambda: list(ALL_SCOPES))


class RequiredRule(RuleBase):
    """The draft must contain `match` at least `min` times; otherwise flag where it belongs."""

    kind: Literal["required"]
    match: MatchSpec
    min: int = Field(1, ge=1)
    anchor: Anchor = "before-signoff"
    unless: MatchSpec | None = Field(None, description="Skip the rule when this matches.")
    only_if: MatchSpec | None = Field(None, description="Run the rule only when this matches.")


class ConditionalRule(RuleBase):
    """If `if` matches, `then` must match too (anywhere in `then.scope`)."""

    kind: Literal["conditional"]
    if_: MatchSpec = Field(alias="if")
    then: MatchSpec


Metric = Literal[
    "words",
    "sentences",
    "questions",
    "paragraphs",
    "avg_sentence_words",
    "self_focus_ratio",
    "reading_grade",
    "subject_words",
    "subject_caps_ratio",
    "exclamations",
    "request_sentences",
]


class Threshold(Strict):
    op: Literal[">", ">=", "<", "<="]
    value: float
    severity: Severity
    message: str = Field(
        "", description="Overrides the rule message; {value} and {limit} are filled in."
    )


class MetricRule(RuleBase):
    """Compare a number computed from the draft with thresholds; the first that holds wins,
    so list the most severe first."""

    kind: Literal["metric"]
    metric: Metric
    thresholds: list[Threshold] = Field(min_length=1)
    anchor: Anchor | Literal["overflow"] = "body-start"
    min_words: int = Field(0, ge=0, description="Skip drafts shorter than this.")


class PythonRule(RuleBase):
    """A rule implemented in Python, found by name in the `outreach_lint.rules` registry."""

    kind: Literal["python"]
    function: str = Field(pattern=r"^[A-Za-z0-9_.:-]+$")


Rule = Annotated[
    ExistenceRule | SubstitutionRule | RequiredRule | ConditionalRule | MetricRule | PythonRule,
    Field(discriminator="kind"),
]


class RuleFile(Strict):
    """A rule file holds one rule, or several under `rules:`."""

    rules: list[Rule] = Field(min_length=1)


class Profile(Strict):
    description: str = ""
    severity: dict[str, Severity] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)


class PackManifest(Strict):
    """pack.yaml at the root of a pack folder."""

    name: str = Field(pattern=RULE_ID_PATTERN)
    version: str
    description: str
    default_profile: str = "default"
    profiles: dict[str, Profile] = Field(default_factory=lambda: {"default": Profile()})
    docs_url: str = Field("", description="Base URL of rule docs; the rule id is appended.")
    categories: dict[str, float] = Field(
        default_factory=dict, description="Score weight (points out of 100) per category."
    )


def rule_file_json_schema() -> dict[str, Any]:
    """JSON Schema for a single rule file (one rule at the top level)."""
    from pydantic import TypeAdapter

    return TypeAdapter(Rule).json_schema(by_alias=True)
