"""The content-pack format (TOML) and its loader, validated with pydantic.

Every text a participant reads is a table of one value per language, e.g.
    title = { en = "Risk register", es = "Registro de riesgos", pt_BR = "...", fr = "..." }
so the exercise content switches language with the interface.

The format is documented for facilitators in docs/content-packs.md; its JSON Schema
(docs/content-pack.schema.json) is `json_schema()`. Loading and the checks that name the
file, line and field of every fault live in rmdesk.content.loader.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from rmdesk.domain import figures
from rmdesk.domain import profile_logic as e7
from rmdesk.domain import tuning as e9
from rmdesk.domain.criteria import Condition, Lane, RuleSet
from rmdesk.i18n import LANGUAGES, SOURCE_LANGUAGE

if TYPE_CHECKING:
    from rmdesk.domain.evaluation import AppetiteRule
# The largest key figure a case may state (a trade value in units, not millions, fits).
MAX_FACT_VALUE = 1e15

# Characters a text from a file must not hold: control characters other than line breaks
# and tabs (NUL, ESC: a terminal or a PDF may act on them) and the bidi overrides and
# isolates that make a text display in another order than it is written.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Pack ids and versions become file names (<id>-<version>.toml) when a pack is imported.
SAFE_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class LocalizedText(BaseModel):
    """One text in several languages; English is required and is the fallback. Every
    language the pack declares in pack.languages must be given and not empty."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    en: str
    es: str | None = None
    pt_BR: str | None = None
    fr: str | None = None

    @field_validator("en", "es", "pt_BR", "fr")
    @classmethod
    def _no_control_characters(cls, value: str | None) -> str | None:
        found = _CONTROL.search(value) if value else None
        if found:
            raise PydanticCustomError(
                "control_character", "contains the control character {char}",
                {"char": f"U+{ord(found.group()):04X}"})
        return value

    def get(self, lang: str) -> str:
        value = getattr(self, lang, None) if lang in LANGUAGES else None
        return value if value else self.en

    def languages(self) -> set[str]:
        return {lang for lang in LANGUAGES if getattr(self, lang)}


class Fact(BaseModel):
    """A key figure of the case, formatted with the reader's number conventions."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    label: LocalizedText
    value: float
    unit: LocalizedText | None = None
    decimals: Annotated[int, Field(ge=0, le=4)] = 0

    @field_validator("value")
    @classmethod
    def _sensible_value(cls, value: float) -> float:
        # inf, nan and 1e308 are valid TOML floats but no figure of a case: refused, so a
        # page or a PDF never shows "∞" or a number three hundred digits long.
        if not math.isfinite(value) or abs(value) > MAX_FACT_VALUE:
            raise PydanticCustomError(
                "number_out_of_range", "must be a number from {min} to {max}",
                {"min": f"-{MAX_FACT_VALUE:.0f}", "max": f"{MAX_FACT_VALUE:.0f}"})
        return value


class Section(BaseModel):
    """A section of the case study: a heading and its text."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    heading: LocalizedText
    body: LocalizedText  # paragraphs separated by blank lines


class CaseStudy(BaseModel):
    """The case every exercise works on: a summary, sections and key figures."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    title: LocalizedText
    summary: LocalizedText
    sections: list[Section]
    facts: list[Fact] = []


# The exercise types of ../shared/design/exercises.md, by the `kind` a pack names them with.
EXERCISE_KINDS: tuple[str, ...] = (
    "context_scan",  # E1
    "register_analysis",  # E2-E3
    "evaluation",  # E4
    "treatment",  # E5
    "indicator_selection",  # E6
    "profile",  # E7
    "targeting",  # E8
    "tuning",  # E9
    "kpi_plan",  # E10
    "regional_project",  # E11
    "maturity",  # E12
    "compliance_survey",  # E13
    "compliance_pyramid",  # E14
    "intelligence",  # E15
    "passenger_targeting",  # E16
)


class Appetite(BaseModel):
    """E4: the appetite statement and the highest score that may be accepted."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    statement: LocalizedText
    max_accepted_score: Annotated[int, Field(ge=1, le=25)] = 9
    # "No appetite for a severe consequence in area X, whatever the score": risk areas
    # (rmdesk.domain.register.RISK_AREAS) where a consequence of `severe_impact` or more
    # is never accepted.
    no_severe_areas: list[str] = []
    severe_impact: Annotated[int, Field(ge=1, le=5)] = 5
    # Tolerance by risk area: the highest score that may be accepted in an area whose
    # tolerance differs from max_accepted_score (lower for health and safety, higher for
    # minor revenue...). Areas not listed keep max_accepted_score.
    area_max_scores: Annotated[dict[str, Annotated[int, Field(ge=1, le=25)]], Field(
        description="Risk area -> the highest score that may be accepted in that area; "
        "areas not listed use max_accepted_score.")] = {}

    @field_validator("no_severe_areas", "area_max_scores")
    @classmethod
    def _known_areas(cls, value: list[str] | dict[str, int]) -> list[str] | dict[str, int]:
        from rmdesk.domain.register import RISK_AREAS

        unknown = [area for area in value if area not in RISK_AREAS]
        if unknown:
            raise PydanticCustomError(
                "unknown_area", "unknown risk areas: {value}; use any of: {choices}",
                {"value": ", ".join(unknown), "choices": ", ".join(RISK_AREAS),
                 "count": len(unknown)})
        return value


class ProfileRules(BaseModel):
    """E7: the limits the exercise's instructions and tips state, which "Check my work"
    enforces (rmdesk.domain.profile_logic)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    max_declaration_share: Annotated[float, Field(
        gt=0, le=1, description="A profile selecting more than this share of the sample "
        "declarations (not items) is flagged: “more than a few per cent is a policy, not "
        "a profile”.")] = e7.MAX_DECLARATION_SHARE
    review_within_months: Annotated[int, Field(
        ge=1, le=60, description="The review date may be at most this many months after "
        "the activation date.")] = e7.REVIEW_WITHIN_MONTHS
    yearly_declarations: Annotated[int, Field(
        ge=1, description="The declarations a year the sample stands for: the check "
        "scales a profile's selection to a year with it.")] = e7.YEARLY_DECLARATIONS


def _lane_weights(default: dict[str, float]) -> object:
    return Field(default_factory=lambda: dict(default))


Weight = Annotated[float, Field(ge=0, le=1_000_000)]


class TuningRules(BaseModel):
    """E9: the figures a selectivity plan is checked against (rmdesk.domain.tuning): the
    yearly volume, the workload units per lane, the examiners' capacity and the headroom
    for peaks, as the exercise's instructions and tips state them."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    yearly_declarations: Annotated[int, Field(ge=1, description="Declarations a year "
                                              "the lane shares apply to.")] = \
        e9.YEARLY_DECLARATIONS
    items_per_declaration: Annotated[float, Field(ge=1, le=1000, description="Average "
                                                  "items per declaration.")] = \
        e9.ITEMS_PER_DECLARATION
    capacity: Annotated[float, Field(gt=0, description="Workload units the examiners "
                                     "can handle in a year.")] = e9.CAPACITY
    per_declaration: dict[Lane, Weight] = _lane_weights(e9.DEFAULT_PER_DECLARATION)
    per_item: dict[Lane, Weight] = _lane_weights(e9.DEFAULT_PER_ITEM)
    peak_above_average: Annotated[float, Field(
        ge=0, le=1, description="How far the busiest months lie above the yearly "
        "average: a plan must leave this much headroom below capacity.")] = \
        e9.PEAK_ABOVE_AVERAGE


class QuotedFigure(BaseModel):
    """A figure an exercise's texts quote about the practice data, kept as data so that a
    test computes it with the engine (rmdesk.domain.figures) and finds it, formatted, in
    every language of the texts named."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    measure: Annotated[str, Field(json_schema_extra={"enum": list(figures.MEASURES)})]
    indicator: str | None = None  # selections: an indicator of the bank (its rule)
    rule: Condition | None = None  # selections: or a condition of its own
    rule_set: str | None = None  # selections: or a rule set of the exercise's figure_rules
    offence: str | None = None  # the offence measures
    lane: Lane | None = None  # lane_declaration_share
    criterion: str | None = None  # criterion_hit_rate: a criterion of the rule set
    value: float  # as quoted: a share (0-1) for rates, a number otherwise
    digits: Annotated[int, Field(ge=0, le=3)] = 0  # decimals of a quoted percentage
    round_to: Annotated[int, Field(ge=1)] = 1  # a quoted count is rounded to this
    texts: Annotated[list[Literal["instructions", "tips", "model_answer",
                                  "facilitator_notes"]], Field(min_length=1)]

    @field_validator("measure")
    @classmethod
    def _known_measure(cls, value: str) -> str:
        if value not in figures.MEASURES:
            raise PydanticCustomError("unknown_measure", "unknown measure '{value}'",
                                      {"value": value, "choices": ", ".join(figures.MEASURES)})
        return value


class MaturityDimension(BaseModel):
    """E12: one dimension of the maturity model, with a descriptor for each level 1-5."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: str
    name: LocalizedText
    levels: Annotated[list[LocalizedText], Field(min_length=5, max_length=5)]


class TraderSegment(BaseModel):
    """E14: a segment of traders the group places on the compliance pyramid, with the
    facts it decides from; `rule` describes the segment on the practice declarations, so
    that a test computes the shares its facts quote."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: Annotated[str, Field(min_length=1, max_length=40)]
    name: LocalizedText
    facts: Annotated[list[LocalizedText], Field(min_length=1, max_length=8)]
    aeo: bool = False  # authorised economic operators: never "enforce" without a reason
    rule: Condition | None = None


class IntelItem(BaseModel):
    """E15: one information item of the intelligence exercise, and the grade its facts
    point to on the 4×4 system (rmdesk.domain.intelligence), when the pack states one."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: Annotated[str, Field(min_length=1, max_length=20)]
    kind: LocalizedText  # "Seizure report", "Partner alert", "Open source" ...
    source: LocalizedText  # who reports it, and how they know
    text: LocalizedText
    expected_source: Literal["A", "B", "C", "D"] | None = None
    expected_info: Literal["1", "2", "3", "4"] | None = None
    # The model answer explains why a grade one step away is also defensible.
    one_step_ok: bool = False


class Exercise(BaseModel):
    """One exercise of the workshop, in the order the pack lists them."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: Annotated[str, Field(min_length=1, description="Unique within the pack; answers are "
                                "stored under it, so keep it when you edit the pack.")]
    kind: Annotated[str, Field(json_schema_extra={"enum": list(EXERCISE_KINDS)},
                               description="Which exercise editor the group gets.")]
    title: LocalizedText
    instructions: LocalizedText
    tips: list[LocalizedText] = []
    # Shown to groups only when the facilitator reveals it, or in self-study after submitting.
    model_answer: LocalizedText | None = None
    facilitator_notes: LocalizedText | None = None  # facilitator mode only
    appetite: Appetite | None = None  # evaluation (E4)
    milestone_templates: list[LocalizedText] = []  # regional_project (E11)
    dimensions: list[MaturityDimension] = []  # maturity (E12)
    segments: list[TraderSegment] = []  # compliance_pyramid (E14)
    intel_items: list[IntelItem] = []  # intelligence (E15)
    profile_rules: ProfileRules | None = None  # profile (E7); defaults when absent
    tuning_rules: TuningRules | None = None  # tuning (E9); defaults when absent
    figures: list[QuotedFigure] = []  # figures its texts quote about the practice data
    # Rule sets (e.g. the model answer's) that figures are computed with, by name.
    figure_rules: dict[str, RuleSet] = {}

    def profile_limits(self) -> ProfileRules:
        """E7's rules: the pack's, or the defaults the built-in pack states."""
        return self.profile_rules or ProfileRules()

    def plan_rules(self) -> TuningRules:
        """E9's rules: the pack's, or the defaults the built-in pack states."""
        return self.tuning_rules or TuningRules()

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in EXERCISE_KINDS:
            raise PydanticCustomError(
                "unknown_kind", "unknown exercise kind '{value}'; one of {choices}",
                {"value": value, "choices": ", ".join(EXERCISE_KINDS)})
        return value


def appetite_rule(exercise: Exercise | None) -> AppetiteRule:
    """The E4 exercise's appetite as the checks read it (scores up to 9 when it has none,
    as the E4 page shows)."""
    from rmdesk.domain.evaluation import AppetiteRule

    appetite = exercise.appetite if exercise is not None else None
    if appetite is None:
        return AppetiteRule(9)
    return AppetiteRule(appetite.max_accepted_score, tuple(appetite.no_severe_areas),
                        appetite.severe_impact, tuple(sorted(appetite.area_max_scores.items())))


PHASES: tuple[str, ...] = ("pre_arrival", "arrival", "post_arrival")


class Indicator(BaseModel):
    """A candidate risk indicator of the E6 bank, with the facilitator's key."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: Annotated[str, Field(min_length=1)]
    text: LocalizedText
    field: str  # the declaration data element it tests (rmdesk.domain.declarations.FIELDS)
    phase: Annotated[str, Field(json_schema_extra={"enum": list(PHASES)})]
    relevant: bool  # facilitator key: does a good selection for this case include it?
    note: LocalizedText | None = None  # why, for the facilitator and the model answer
    # The indicator as a condition the engine runs: the data elements it reads are the
    # ones a group may map it to in E6, and the pack's figures about it are computed
    # from it. It must read `field`.
    rule: Condition | None = None
    # Other data elements it tests that no rule can express (e.g. freight against value).
    also_tests: list[str] = []

    @field_validator("also_tests")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        for name in value:
            cls._known_field(name)
        return value

    @field_validator("rule")
    @classmethod
    def _runnable_rule(cls, value: Condition | None) -> Condition | None:
        if value is not None:
            from rmdesk.domain.criteria import Criterion, RuleSet, check_ruleset
            from rmdesk.domain.declaration_fields import VISIBLE_FIELDS

            # An indicator's rule runs on the built-in declarations: built-in fields only.
            issues = check_ruleset(RuleSet(criteria=[Criterion(
                name="rule", lane="red", condition=value)]), VISIBLE_FIELDS)
            if issues:
                raise PydanticCustomError(
                    "rule_invalid", "the rule cannot run: {detail}",
                    {"detail": "; ".join(f"{i.path}: {i.code}" for i in issues[:3])})
        return value

    @model_validator(mode="after")
    def _rule_reads_field(self) -> Indicator:
        if self.rule is not None and self.field not in self.rule_elements():
            raise PydanticCustomError("rule_misses_field",
                                      "the rule does not read the field '{field}'",
                                      {"field": self.field})
        return self

    def rule_elements(self) -> set[str]:
        """The data elements the indicator's rule reads (none without a rule)."""
        if self.rule is None:
            return set()
        from rmdesk.domain.criteria import Criterion, RuleSet
        from rmdesk.domain.profile_logic import fields_read

        return fields_read(RuleSet(criteria=[Criterion(name="rule", lane="red",
                                                       condition=self.rule)]))

    def data_elements(self) -> set[str]:
        """The declaration data elements this indicator tests: the ones a group may map
        it to in E6."""
        return {self.field, *self.also_tests} | self.rule_elements()

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        from rmdesk.domain.declaration_fields import FIELD_BY_NAME

        spec = FIELD_BY_NAME.get(value)
        if spec is None or spec.hidden:
            raise PydanticCustomError("unknown_field", "unknown data field '{value}'",
                                      {"value": value})
        return value

    @field_validator("phase")
    @classmethod
    def _known_phase(cls, value: str) -> str:
        if value not in PHASES:
            raise PydanticCustomError("unknown_phase", "phase must be one of {choices}",
                                      {"value": value, "choices": ", ".join(PHASES)})
        return value


class Example(BaseModel):
    """An example an instruction or tip gives for a field (rmdesk.content.examples)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    field: str
    text: LocalizedText | str  # a plain string is the same in every language
    accepted: bool = True  # False: a counter-example the check must flag

    def get(self, lang: str) -> str:
        return self.text if isinstance(self.text, str) else self.text.get(lang)


class Agenda(BaseModel):
    """A preset choice of the pack's exercises for a workshop of a given length (a
    facilitator may pick one, or tick exercises one by one). Ids are checked by the loader."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$",
                             description="Unique within the pack, e.g. \"2-day\".")]
    title: LocalizedText
    # None: every exercise of the pack, including those a later version adds.
    exercises: Annotated[list[str] | None, Field(
        min_length=1, max_length=64,
        description="Ids of the pack's exercises this agenda uses, shown in pack order; "
                    "leave out for every exercise of the pack.")] = None

    def exercise_ids(self, pack: ContentPack) -> list[str]:
        """The ids this agenda shows, in the pack's order."""
        wanted = set(self.exercises) if self.exercises is not None else None
        return [e.id for e in pack.exercises if wanted is None or e.id in wanted]


class PackMeta(BaseModel):
    """What the pack is: its id and version (a workshop records both) and the languages
    it is complete in."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: Annotated[str, Field(pattern=SAFE_NAME, max_length=64)]
    version: Annotated[str, Field(pattern=SAFE_NAME, max_length=32,
                                  description="Raise it whenever you change a published pack.")]
    title: LocalizedText
    languages: Annotated[list[Annotated[str, Field(json_schema_extra={"enum": list(LANGUAGES)})]],
                         Field(min_length=1)]

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [lang for lang in value if lang not in LANGUAGES]
        if unknown:
            raise PydanticCustomError(
                "unknown_languages", "unknown languages: {value}",
                {"value": ", ".join(unknown), "choices": ", ".join(LANGUAGES),
                 "count": len(unknown)})
        if SOURCE_LANGUAGE not in value:
            raise PydanticCustomError(
                "english_required", "a pack must at least be complete in 'en'")
        return value


class ContentPack(BaseModel):
    """An rmdesk content pack: metadata, the case study, the exercises in order and the
    bank of candidate risk indicators. Checks across fields (unique ids, the parameters an
    exercise kind needs, every declared language present) are in rmdesk.content.loader."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True,
                              json_schema_extra={"title": "rmdesk content pack"})

    pack: PackMeta
    case: CaseStudy
    exercises: Annotated[list[Exercise], Field(min_length=1)]
    indicators: list[Indicator] = []
    # Optional: agenda presets (which exercises a 2-day or a 4-day workshop uses).
    agendas: list[Agenda] = []
    # Optional: each exercise's model answer as a group would store it, keyed by exercise
    # id (shapes and localized texts: rmdesk.content.model_work; checked by the loader).
    model_work: Annotated[
        dict[str, dict[str, Any] | list[dict[str, Any]]],
        Field(description="The model answer of an exercise as a group's stored work, keyed "
                          "by exercise id; texts as tables of one text per language.")] = {}

    # Optional: the examples instructions and tips give for a field (rmdesk.content.examples).
    examples: Annotated[
        dict[str, list[Example]],
        Field(description="Examples the instructions give for a field, keyed by exercise "
                          "id; each must appear word for word in that exercise's text.")] = {}

    def exercise(self, kind: str) -> Exercise | None:
        return next((e for e in self.exercises if e.kind == kind), None)

    def agenda(self, agenda_id: str) -> Agenda | None:
        return next((a for a in self.agendas if a.id == agenda_id), None)

    def model_work_for(self, exercise_id: str, lang: str) -> Any:
        """The exercise's model work with its texts in `lang`; None when the pack has none."""
        from rmdesk.content.model_work import localize

        work = self.model_work.get(exercise_id)
        return None if work is None else localize(work, lang)

    def texts(self) -> list[tuple[str, LocalizedText]]:
        """Every localized text with its dotted path (for completeness checks)."""
        found: list[tuple[str, LocalizedText]] = []

        def walk(node: object, path: str) -> None:
            if isinstance(node, LocalizedText):
                found.append((path, node))
            elif isinstance(node, BaseModel):
                for name in type(node).model_fields:
                    walk(getattr(node, name), f"{path}.{name}" if path else name)
            elif isinstance(node, list):
                for i, item in enumerate(node):
                    walk(item, f"{path}[{i}]")

        walk(self, "")
        return found


def json_schema() -> dict[str, object]:
    """The JSON Schema of the format, for editors (docs/content-pack.schema.json)."""
    # No "$schema" key: editors' validators (taplo) support older drafts than pydantic
    # names, and "#/$defs/..." references resolve as plain JSON pointers in all of them.
    return ContentPack.model_json_schema()


def load_pack(path: Path, cache_file: Path | None = None) -> ContentPack:
    """Load and validate a pack. Raises rmdesk.content.problems.PackError (an RmdeskError)
    listing every fault at once, each with its file, line and field. `cache_file` may
    keep the parsed TOML for the next start (rmdesk.content.cache)."""
    from rmdesk.content.loader import load_pack as load

    return load(path, cache_file)


BUILTIN_PACK_FILE = "builtin-practice.toml"
_builtin: ContentPack | None = None


def builtin_pack(cache_dir: Path | None = None) -> ContentPack:
    """The pack shipped with rmdesk, loaded once per process. The app passes its data
    folder's cache/ folder (paths.cache_dir), so that start-up need not parse the TOML."""
    global _builtin
    if _builtin is None:
        from rmdesk import paths

        cache_file = None if cache_dir is None else \
            Path(cache_dir) / f"builtin.{Path(BUILTIN_PACK_FILE).stem}.json"
        _builtin = load_pack(paths.builtin_content_dir() / BUILTIN_PACK_FILE, cache_file)
    return _builtin
