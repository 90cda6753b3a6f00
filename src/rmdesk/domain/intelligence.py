"""E15 intelligence cycle and a targeting centre: the group's answer and its checks.

The group works through the cycle on the information items the pack gives (WCO
Compendium, volume 2, intelligence; annex on risk-assessment and targeting centres):

1. grades each item on the common 4×4 system: source reliability A–D and information
   validity 1–4 (GRADES below);
2. collates related items;
3. writes an intelligence product: an assessment, key judgements and a confidence;
4. turns it into a profile for E7, in the E7 editor's rows, so that the engine can run
   it on the practice declarations, with a review date;
5. designs the targeting centre: functions, staffing across agencies, shifts, outputs to
   the ports and KPIs.

The checks judge what a machine can: every item graded; grades near the ones the pack
states (one step away is accepted where the pack says why); a profile that runs, rests on
at least one well-graded item, and is reviewed after the workshop; a centre with every
function, two agencies or more, round-the-clock cover and measurable KPIs. No Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.domain.criteria import LANES, CriteriaIssue, RuleSet
from rmdesk.domain.kpi_plan import analyse_formula, number_in_text
from rmdesk.domain.profile_logic import (
    COMBINATORS,
    ConditionRow,
    ProfileLimits,
    ProfileLogic,
    add_months,
    logic_to_ruleset,
    ruleset_issues,
)
from rmdesk.domain.register import RISK_AREAS
from rmdesk.i18n import N_

if TYPE_CHECKING:
    from rmdesk.domain.declarations import DeclarationTable

MAX_TEXT = 4000
MAX_ROWS = 40

# -- the 4×4 grading (source reliability × information validity) -----------------------
SOURCE_GRADES: dict[str, str] = {
    "A": N_("A – Reliable: no doubt about the source's authenticity and competence, or a "
            "history of complete reliability"),
    "B": N_("B – Usually reliable: information from this source has in most cases proved "
            "right"),
    "C": N_("C – Not usually reliable: information from this source has in most cases "
            "proved wrong"),
    "D": N_("D – Reliability cannot be judged: a new, anonymous or untested source"),
}
INFO_GRADES: dict[str, str] = {
    "1": N_("1 – Known to be true without reservation (seen, measured or documented)"),
    "2": N_("2 – Known personally to the source but not to the officer passing it on"),
    "3": N_("3 – Not known personally to the source, but corroborated by information "
            "already held"),
    "4": N_("4 – Not known personally to the source and cannot be corroborated"),
}
# Items graded like this cannot carry a decision alone: an unreliable or unknown source,
# or information nobody can corroborate.
LOW_SOURCES = ("C", "D")
LOW_INFO = ("4",)

CONFIDENCE: dict[str, str] = {
    "high": N_("High confidence"),
    "moderate": N_("Moderate confidence"),
    "low": N_("Low confidence"),
}

# The functions of a risk-assessment and targeting centre (Compendium annex), by key.
CENTRE_FUNCTIONS: dict[str, str] = {
    "collection": N_("Collection and intake of information"),
    "analysis": N_("Risk analysis and intelligence products"),
    "targeting": N_("Profiles and pre-arrival targeting"),
    "dissemination": N_("Alerts and targets to the ports"),
    "feedback": N_("Results of examinations fed back into profiles"),
    "liaison": N_("Liaison with other agencies and partner administrations"),
}
HOURS_PER_DAY = 24.0  # the ports work round the clock: so must the centre's cover

MESSAGES: dict[str, str] = {
    "intel_empty": N_("Nothing done yet: start by grading the information reports."),
    "items_not_graded": N_("Grade every report on both scales; not graded yet: {items}."),
    "grade_far": N_(
        "Report {item}: you graded it {given}; its facts point to {expected}. Read again "
        "who the source is and how the source knows it."),
    "grade_near": N_(
        "Report {item}: you graded it {given}; the model answer gives {expected}, one step "
        "away: a defensible reading (see the model answer)."),
    "grades_ok": N_("All {count} reports are graded, consistently with their facts."),
    "no_collation": N_("Collate the reports: group those that tell the same story, each "
                       "group with a title."),
    "collation_small": N_("Collation “{title}”: a collation brings two reports or more "
                          "together."),
    "collation_unknown": N_("Collation “{title}”: there is no report {items}."),
    "collation_untitled": N_("Collation row {row}: give it a title."),
    "product_missing_assessment": N_("Write the assessment: what is happening, who is "
                                     "behind it and what comes next."),
    "product_few_judgements": N_("Give at least two key judgements, one per line."),
    "product_missing_confidence": N_("Say how confident you are in the assessment."),
    "profile_missing_title": N_("Give the profile a title."),
    "profile_missing_area": N_("Choose the profile's risk area."),
    "profile_no_conditions": N_("Add at least one condition on the declaration data to "
                                "the profile."),
    "profile_cannot_run": N_("The profile cannot run yet: {problems}"),
    "profile_no_basis": N_("Say which reports the profile rests on."),
    "profile_unknown_basis": N_("The profile rests on {items}, which are not reports of "
                                "the exercise."),
    "profile_low_basis": N_(
        "The profile rests only on low-graded reports ({items}): an unreliable or unknown "
        "source, or information nobody can corroborate, cannot carry a profile alone. "
        "Add a report graded A or B and 1 to 3 that corroborates it."),
    "profile_ungraded_basis": N_("The profile rests on {items}, which you have not "
                                 "graded yet."),
    "profile_missing_activation": N_("Give the profile an activation date."),
    "profile_missing_review": N_("Give the profile a review date."),
    "profile_review_before_activation": N_("The profile's review date must come after "
                                           "its activation date."),
    "profile_review_too_late": N_(
        "The review date is more than {months} months after the activation date; review "
        "the profile by {latest} at the latest."),
    "profile_review_before_workshop": N_(
        "The review date {review} is not after the workshop ({workshop}): a new profile "
        "is reviewed in the future."),
    "profile_selects_nothing": N_("The profile selects no declaration of the practice "
                                  "data: are the conditions too strict?"),
    "profile_selects_too_much": N_(
        "The profile selects {count} of the {total} practice declarations ({share}): "
        "more than {limit}. Narrow it."),
    "profile_hits": N_(
        "The profile runs: on the practice data it selects {count} of the {total} "
        "declarations ({items} items); {hits} of those items were found non-compliant "
        "(hit rate {rate})."),
    "centre_missing_functions": N_("The centre does not say how it covers: {functions}."),
    "centre_one_agency": N_("The staffing names one agency only: a targeting centre "
                            "brings several agencies together (for example customs, "
                            "police, the environment ministry's ozone unit)."),
    "centre_no_staff": N_("List the centre's staff: agency, role and number of people."),
    "staff_bad_number": N_("Staffing row {row}: “{value}” is not a number of people."),
    "no_shifts": N_("Give the centre's shifts (start and end times)."),
    "shift_bad_time": N_("Shift “{shift}”: write its times as HH:MM, for example 06:00."),
    "shifts_gap": N_("The shifts cover {hours} hours a day: the ports and Rocamar work "
                     "round the clock, so targets must reach them at any hour."),
    "no_outputs": N_("Say what the centre sends to the ports and partners."),
    "output_incomplete": N_("Output “{output}”: say who receives it and when."),
    "no_kpis": N_("Give the centre at least two KPIs."),
    "kpi_not_measurable": N_("KPI “{kpi}”: write a formula over quantities that are "
                             "counted (for example hits / targets × 100) and a target "
                             "with a number."),
    "centre_ok": N_("The centre covers all {count} functions with {agencies} agencies, "
                    "round-the-clock shifts, {outputs} outputs and {kpis} measurable "
                    "KPIs."),
}


# -- the answer --------------------------------------------------------------------------
def _text(data: Any, key: str) -> str:
    value = data.get(key, "") if isinstance(data, dict) else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _rows(data: Any, key: str) -> list[dict[str, Any]]:
    value = data.get(key) if isinstance(data, dict) else None
    return [r for r in value if isinstance(r, dict)][:MAX_ROWS] \
        if isinstance(value, list) else []


def item_ids(text: str) -> list[str]:
    """“S01, S04; s07 S01” -> ['S01', 'S04', 's07']: the report numbers as typed (a
    message quotes them as the group wrote them), without repeats in any case."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\s]+", text):
        if part.strip():
            seen.setdefault(part.strip().casefold(), part.strip())
    return list(seen.values())


def _match(typed: list[str], known: set[str]) -> tuple[list[str], list[str]]:
    """The pack's ids among `typed` (any case), and what matched none (as typed)."""
    by_key = {k.casefold(): k for k in known}
    return ([by_key[t.casefold()] for t in typed if t.casefold() in by_key],
            [t for t in typed if t.casefold() not in by_key])


@dataclass
class Grading:
    source: str = ""  # a SOURCE_GRADES key or ""
    info: str = ""  # an INFO_GRADES key or ""
    note: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> Grading:
        source, info = _text(data, "source"), _text(data, "info")
        return cls(source if source in SOURCE_GRADES else "",
                   info if info in INFO_GRADES else "", _text(data, "note"))

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "info": self.info, "note": self.note}

    @property
    def complete(self) -> bool:
        return bool(self.source and self.info)

    @property
    def low(self) -> bool:
        return self.source in LOW_SOURCES or self.info in LOW_INFO

    def code(self) -> str:
        return f"{self.source or '?'}{self.info or '?'}"


@dataclass
class Collation:
    title: str = ""
    items: str = ""  # item ids as typed: "S01, S04"
    note: str = ""

    FIELDS = ("title", "items", "note")

    @classmethod
    def from_dict(cls, data: Any) -> Collation:
        return cls(*(_text(data, name) for name in cls.FIELDS))

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass
class Product:
    assessment: str = ""
    judgements: str = ""  # one key judgement per line
    confidence: str = ""  # a CONFIDENCE key or ""
    gaps: str = ""  # what is not known, and what to collect next

    @classmethod
    def from_dict(cls, data: Any) -> Product:
        confidence = _text(data, "confidence")
        return cls(_text(data, "assessment"), _text(data, "judgements"),
                   confidence if confidence in CONFIDENCE else "", _text(data, "gaps"))

    def to_dict(self) -> dict[str, str]:
        return {"assessment": self.assessment, "judgements": self.judgements,
                "confidence": self.confidence, "gaps": self.gaps}

    def judgement_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.judgements.splitlines()
                if line.strip(" -•\t")]


CONDITION_KEYS = ("field", "op", "value", "low", "high")


@dataclass
class IntelProfile:
    """The product as an E7 profile: the E7 editor's rows (profile_logic.ConditionRow)."""

    title: str = ""
    area: str = ""  # a register.RISK_AREAS key
    lane: str = "red"
    action: str = ""
    combinator: str = "and"
    conditions: list[ConditionRow] = field(default_factory=list)
    activation_date: str = ""  # ISO dates as typed answers keep them
    review_date: str = ""
    based_on: str = ""  # item ids: “S01, S03”

    @classmethod
    def from_dict(cls, data: Any) -> IntelProfile:
        if not isinstance(data, dict):
            return cls()
        rows = [ConditionRow(**{k: _text(c, k) for k in CONDITION_KEYS},
                             negate=c.get("negate") is True)
                for c in _rows(data, "conditions")]
        lane, area = _text(data, "lane"), _text(data, "area")
        combinator = _text(data, "combinator")
        return cls(_text(data, "title"), area if area in RISK_AREAS else "",
                   lane if lane in LANES and lane != "green" else "red",
                   _text(data, "action"), combinator if combinator in COMBINATORS else "and",
                   rows, _text(data, "activation_date"), _text(data, "review_date"),
                   _text(data, "based_on"))

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "area": self.area, "lane": self.lane,
                "action": self.action, "combinator": self.combinator,
                "conditions": [{"field": c.field, "op": c.op, "value": c.value,
                                "low": c.low, "high": c.high, "negate": c.negate}
                               for c in self.conditions],
                "activation_date": self.activation_date, "review_date": self.review_date,
                "based_on": self.based_on}

    def logic(self) -> ProfileLogic:
        return ProfileLogic(self.combinator, list(self.conditions))

    def ruleset(self, lang: str = "en") -> RuleSet:
        return logic_to_ruleset(self.logic(), self.title.strip() or "E15", self.lane,
                                lang=lang)


@dataclass
class Staff:
    agency: str = ""
    role: str = ""
    people: str = ""

    FIELDS = ("agency", "role", "people")

    @classmethod
    def from_dict(cls, data: Any) -> Staff:
        return cls(*(_text(data, name) for name in cls.FIELDS))

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass
class Shift:
    name: str = ""
    start: str = ""  # HH:MM
    end: str = ""
    staff: str = ""

    FIELDS = ("name", "start", "end", "staff")

    @classmethod
    def from_dict(cls, data: Any) -> Shift:
        return cls(*(_text(data, name) for name in cls.FIELDS))

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass
class Output:
    output: str = ""
    recipient: str = ""
    timing: str = ""

    FIELDS = ("output", "recipient", "timing")

    @classmethod
    def from_dict(cls, data: Any) -> Output:
        return cls(*(_text(data, name) for name in cls.FIELDS))

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass
class CentreKpi:
    name: str = ""
    formula: str = ""
    target: str = ""
    frequency: str = ""

    FIELDS = ("name", "formula", "target", "frequency")

    @classmethod
    def from_dict(cls, data: Any) -> CentreKpi:
        return cls(*(_text(data, name) for name in cls.FIELDS))

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def measurable(self) -> bool:
        """A formula that parses over named quantities, and a target with a number."""
        analysis = analyse_formula(self.formula)
        return bool(self.formula.strip()) and analysis.problem is None \
            and bool(analysis.names) and number_in_text(self.target) is not None


@dataclass
class Centre:
    functions: dict[str, str] = field(default_factory=dict)  # CENTRE_FUNCTIONS key -> how
    staffing: list[Staff] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    kpis: list[CentreKpi] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Any) -> Centre:
        if not isinstance(data, dict):
            return cls()
        functions = data.get("functions")
        return cls(
            {k: _text(functions, k) for k in CENTRE_FUNCTIONS
             if isinstance(functions, dict) and _text(functions, k)},
            [Staff.from_dict(r) for r in _rows(data, "staffing")],
            [Shift.from_dict(r) for r in _rows(data, "shifts")],
            [Output.from_dict(r) for r in _rows(data, "outputs")],
            [CentreKpi.from_dict(r) for r in _rows(data, "kpis")])

    def to_dict(self) -> dict[str, Any]:
        return {"functions": {k: v for k, v in self.functions.items() if v},
                "staffing": [s.to_dict() for s in self.staffing],
                "shifts": [s.to_dict() for s in self.shifts],
                "outputs": [o.to_dict() for o in self.outputs],
                "kpis": [k.to_dict() for k in self.kpis]}


@dataclass
class IntelligenceWork:
    gradings: dict[str, Grading] = field(default_factory=dict)  # item id -> grading
    collations: list[Collation] = field(default_factory=list)
    product: Product = field(default_factory=Product)
    profile: IntelProfile = field(default_factory=IntelProfile)
    centre: Centre = field(default_factory=Centre)

    @classmethod
    def from_dict(cls, data: Any) -> IntelligenceWork:
        """Tolerant: anything missing or malformed becomes empty rather than an error."""
        if not isinstance(data, dict):
            return cls()
        gradings = data.get("gradings")
        return cls(
            {str(k)[:20]: Grading.from_dict(v) for k, v in list(gradings.items())[:100]}
            if isinstance(gradings, dict) else {},
            [Collation.from_dict(r) for r in _rows(data, "collations")],
            Product.from_dict(data.get("product")),
            IntelProfile.from_dict(data.get("profile")),
            Centre.from_dict(data.get("centre")))

    def to_dict(self) -> dict[str, Any]:
        return {"gradings": {k: g.to_dict() for k, g in self.gradings.items()},
                "collations": [c.to_dict() for c in self.collations],
                "product": self.product.to_dict(), "profile": self.profile.to_dict(),
                "centre": self.centre.to_dict()}

    def is_empty(self) -> bool:
        return not any((
            any(g.source or g.info or g.note.strip() for g in self.gradings.values()),
            self.collations, any(v.strip() for v in self.product.to_dict().values()),
            self.profile.title.strip(), self.profile.conditions,
            self.centre.functions, self.centre.staffing, self.centre.shifts,
            self.centre.outputs, self.centre.kpis))

    def grading(self, item: str) -> Grading:
        return self.gradings.get(item) or Grading()


# -- what the pack states about an item ---------------------------------------------------
@dataclass(frozen=True)
class ItemKey:
    """An item as the checks need it: its id and the grade the pack states, if any."""

    id: str
    source: str | None = None
    info: str | None = None
    one_step_ok: bool = False  # the model answer explains a one-step different reading


def grade_distance(a: Grading, source: str, info: str) -> int:
    """Steps between two grades: A→B is one, B2→C3 two."""
    letters = "ABCD"
    return abs(letters.index(a.source) - letters.index(source)) + abs(int(a.info) - int(info))


# -- shifts ------------------------------------------------------------------------------
_TIME = re.compile(r"^\s*(\d{1,2})[:h.](\d{2})\s*$")


def parse_time(text: str) -> int | None:
    """Minutes after midnight of "06:00", "6h00", "22.30"; 24:00 is the day's end."""
    match = _TIME.match(text)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def covered_minutes(shifts: Sequence[tuple[int, int]]) -> int:
    """Minutes of the day some shift covers; a shift ending before it starts runs past
    midnight (22:00–06:00), and one starting and ending at the same time covers the day."""
    day = [False] * (24 * 60)
    for start, end in shifts:
        end = end % (24 * 60) if end != 24 * 60 else 24 * 60
        if start % (24 * 60) == end % (24 * 60):
            return 24 * 60
        spans = [(start, end)] if end > start else [(start, 24 * 60), (0, end)]
        for a, b in spans:
            for minute in range(a, b):
                day[minute] = True
    return sum(day)


# -- the profile on the data ---------------------------------------------------------------
@dataclass(frozen=True)
class ProfileRun:
    """What the engine made of the profile on the practice declarations."""

    issues: list[CriteriaIssue]
    selected_items: int = 0
    hits: int = 0  # selected items found non-compliant
    selected_declarations: int = 0
    declarations: int = 0

    @property
    def hit_rate(self) -> float:
        return self.hits / self.selected_items if self.selected_items else 0.0


def run_profile(profile: IntelProfile, table: DeclarationTable | Callable[[],
                DeclarationTable], lang: str = "en") -> ProfileRun | None:
    """The profile run through the criteria checks and the selectivity engine, as E7 and
    E8 run theirs; None when it has no condition. `table` may be a function, called only
    when the logic can run."""
    if not profile.conditions:
        return None
    from rmdesk.domain.declaration_fields import VISIBLE_FIELDS

    ruleset = profile.ruleset(lang)
    issues = ruleset_issues(ruleset, set(VISIBLE_FIELDS))
    if issues:
        return ProfileRun(issues)
    from rmdesk.domain.selectivity import run_selectivity

    data = table() if callable(table) else table
    metrics = run_selectivity(data, ruleset).metrics
    declarations = sum(lane.declarations for lane in metrics.lanes)
    selected = sum(lane.declarations for lane in metrics.lanes if lane.lane != "green")
    hits = round((metrics.hit_rate or 0.0) * metrics.selected)
    return ProfileRun([], metrics.selected, hits, selected, declarations)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


# -- checks ------------------------------------------------------------------------------
def check_intelligence(work: IntelligenceWork, items: Sequence[ItemKey],
                       run: ProfileRun | None,
                       render_issue: Callable[[CriteriaIssue], str],
                       workshop_date: dt.date | None = None,
                       limits: ProfileLimits | None = None) -> list[Finding]:
    """Every check of E15. `run`: run_profile's result for work.profile; `workshop_date`:
    the last day of the workshop (None: not known, then that check is skipped);
    `limits`: the pack's E7 rules (review period, largest share selected), which a
    profile made here must meet as E7's do."""
    if work.is_empty():
        return [Finding("intel_empty", ERROR)]
    findings = _check_grading(work, items)
    findings += _check_collation(work, {i.id for i in items})
    findings += _check_product(work.product)
    findings += _check_profile(work, {i.id for i in items}, run, render_issue,
                               workshop_date, limits or ProfileLimits())
    findings += _check_centre(work.centre)
    return findings


def _check_grading(work: IntelligenceWork, items: Sequence[ItemKey]) -> list[Finding]:
    findings: list[Finding] = []
    missing = [i.id for i in items if not work.grading(i.id).complete]
    if missing:
        findings.append(Finding("items_not_graded", ERROR, {"items": missing}))
    far = False
    for item in items:
        given = work.grading(item.id)
        if not given.complete or item.source is None or item.info is None:
            continue
        steps = grade_distance(given, item.source, item.info)
        params = {"item": item.id, "given": given.code(),
                  "expected": f"{item.source}{item.info}"}
        if steps == 1 and item.one_step_ok:
            findings.append(Finding("grade_near", GOOD, params))
        elif steps:
            far = True
            findings.append(Finding("grade_far", WARNING, params))
    if not missing and not far:
        findings.append(Finding("grades_ok", GOOD, {"count": len(items)}))
    return findings


def _check_collation(work: IntelligenceWork, known: set[str]) -> list[Finding]:
    rows = [c for c in work.collations if any(getattr(c, f).strip() for f in c.FIELDS)]
    if not rows:
        return [Finding("no_collation", WARNING)]
    findings: list[Finding] = []
    for row, collation in enumerate(rows, start=1):
        title = collation.title.strip()
        if not title:
            findings.append(Finding("collation_untitled", WARNING, {"row": row}))
            title = f"#{row}"
        ids = item_ids(collation.items)
        unknown = _match(ids, known)[1]
        if unknown:
            findings.append(Finding("collation_unknown", WARNING,
                                    {"title": title, "items": unknown}))
        if len(ids) < 2:
            findings.append(Finding("collation_small", WARNING, {"title": title}))
    return findings


def _check_product(product: Product) -> list[Finding]:
    findings: list[Finding] = []
    if not product.assessment.strip():
        findings.append(Finding("product_missing_assessment", ERROR))
    if len(product.judgement_lines()) < 2:
        findings.append(Finding("product_few_judgements", WARNING))
    if not product.confidence:
        findings.append(Finding("product_missing_confidence", ERROR))
    return findings


def _check_profile(work: IntelligenceWork, known: set[str], run: ProfileRun | None,
                   render_issue: Callable[[CriteriaIssue], str],
                   workshop_date: dt.date | None, limits: ProfileLimits) -> list[Finding]:
    profile = work.profile
    findings: list[Finding] = []
    if not profile.title.strip():
        findings.append(Finding("profile_missing_title", WARNING))
    if not profile.area:
        findings.append(Finding("profile_missing_area", WARNING))

    basis = item_ids(profile.based_on)
    ids, unknown = _match(basis, known)
    graded = [i for i in ids if work.grading(i).complete]
    ungraded = [i for i in ids if not work.grading(i).complete]
    if not basis:
        findings.append(Finding("profile_no_basis", ERROR))
    if unknown:
        findings.append(Finding("profile_unknown_basis", WARNING, {"items": unknown}))
    if ungraded:
        findings.append(Finding("profile_ungraded_basis", WARNING, {"items": ungraded}))
    if graded and all(work.grading(i).low for i in graded):
        findings.append(Finding("profile_low_basis", ERROR, {
            "items": [f"{i} ({work.grading(i).code()})" for i in graded]}))

    start, review = _date(profile.activation_date), _date(profile.review_date)
    if start is None:
        findings.append(Finding("profile_missing_activation", WARNING))
    if review is None:
        findings.append(Finding("profile_missing_review", ERROR))
    elif start is not None and review <= start:
        findings.append(Finding("profile_review_before_activation", ERROR))
    elif start is not None and review > add_months(start, limits.review_within_months):
        findings.append(Finding("profile_review_too_late", WARNING, {
            "months": limits.review_within_months,
            "latest": add_months(start, limits.review_within_months)}))
    if review is not None and workshop_date is not None and review <= workshop_date:
        findings.append(Finding("profile_review_before_workshop", ERROR,
                                {"review": review, "workshop": workshop_date}))

    if run is None:
        findings.append(Finding("profile_no_conditions", ERROR))
    elif run.issues:
        findings.append(Finding("profile_cannot_run", ERROR, {
            "problems": [render_issue(i) for i in run.issues[:3]]}))
    elif run.declarations:
        share = run.selected_declarations / run.declarations
        counts = {"count": run.selected_declarations, "total": run.declarations,
                  "share": share}
        if run.selected_declarations == 0:
            findings.append(Finding("profile_selects_nothing", WARNING))
        elif share > limits.max_declaration_share:
            findings.append(Finding("profile_selects_too_much", WARNING,
                                    {**counts, "limit": limits.max_declaration_share}))
        else:
            findings.append(Finding("profile_hits", GOOD, {
                **counts, "items": run.selected_items, "hits": run.hits,
                "rate": run.hit_rate}))
    return findings


def _check_centre(centre: Centre) -> list[Finding]:
    findings: list[Finding] = []
    missing = [k for k in CENTRE_FUNCTIONS if not centre.functions.get(k, "").strip()]
    if missing:
        findings.append(Finding("centre_missing_functions", ERROR, {"functions": missing}))

    staff = [s for s in centre.staffing if any(getattr(s, f).strip() for f in s.FIELDS)]
    agencies = {s.agency.strip().casefold() for s in staff if s.agency.strip()}
    if not staff:
        findings.append(Finding("centre_no_staff", ERROR))
    elif len(agencies) < 2:
        findings.append(Finding("centre_one_agency", WARNING))
    for row, s in enumerate(staff, start=1):
        if s.people.strip() and number_in_text(s.people) is None:
            findings.append(Finding("staff_bad_number", WARNING,
                                    {"row": row, "value": s.people.strip()}))

    shifts = [s for s in centre.shifts if any(getattr(s, f).strip() for f in s.FIELDS)]
    spans: list[tuple[int, int]] = []
    for row, shift in enumerate(shifts, start=1):
        start, end = parse_time(shift.start), parse_time(shift.end)
        if start is None or end is None:
            findings.append(Finding("shift_bad_time", ERROR,
                                    {"shift": shift.name.strip() or f"#{row}"}))
        else:
            spans.append((start, end))
    if not shifts:
        findings.append(Finding("no_shifts", ERROR))
    elif spans and covered_minutes(spans) < HOURS_PER_DAY * 60:
        findings.append(Finding("shifts_gap", WARNING,
                                {"hours": round(covered_minutes(spans) / 60, 1)}))

    outputs = [o for o in centre.outputs if any(getattr(o, f).strip() for f in o.FIELDS)]
    if not outputs:
        findings.append(Finding("no_outputs", ERROR))
    for row, output in enumerate(outputs, start=1):
        if not output.recipient.strip() or not output.timing.strip():
            findings.append(Finding("output_incomplete", WARNING,
                                    {"output": output.output.strip() or f"#{row}"}))

    kpis = [k for k in centre.kpis if any(getattr(k, f).strip() for f in k.FIELDS)]
    if len(kpis) < 2:
        findings.append(Finding("no_kpis", ERROR))
    for row, kpi in enumerate(kpis, start=1):
        if not kpi.measurable():
            findings.append(Finding("kpi_not_measurable", ERROR,
                                    {"kpi": kpi.name.strip() or f"#{row}"}))
    if not any(f.severity in (ERROR, WARNING) for f in findings):
        findings.append(Finding("centre_ok", GOOD, {
            "count": len(CENTRE_FUNCTIONS), "agencies": len(agencies),
            "outputs": len(outputs), "kpis": len(kpis)}))
    return findings


def render_intel_finding(finding: Finding, translate: Callable[[str], str],
                         format_percent: Callable[[float], str] | None = None,
                         format_number: Callable[[float], str] | None = None,
                         format_date: Callable[[dt.date], str] | None = None) -> str:
    params = dict(finding.params)
    if isinstance(params.get("items"), list):
        params["items"] = ", ".join(str(i) for i in params["items"])  # type: ignore[union-attr]
    elif "items" in params and format_number is not None:
        params["items"] = format_number(params["items"])  # type: ignore[arg-type]
    if "functions" in params:
        params["functions"] = "; ".join(
            translate(CENTRE_FUNCTIONS[str(k)]) for k in params["functions"])  # type: ignore[attr-defined]
    if "problems" in params:
        params["problems"] = " ".join(params["problems"])  # type: ignore[arg-type]
    for name in ("count", "total", "hits", "hours"):
        if name in params and format_number is not None:
            params[name] = format_number(params[name])  # type: ignore[arg-type]
    for name in ("share", "rate", "limit"):
        if name in params:
            value = float(params[name])  # type: ignore[arg-type]
            params[name] = format_percent(value) if format_percent else f"{value:.1%}"
    for name in ("latest", "review", "workshop"):
        if isinstance(params.get(name), dt.date):
            day = params[name]
            params[name] = format_date(day) if format_date else day.isoformat()  # type: ignore[arg-type]
    return translate(MESSAGES[finding.code]).format(**params)


def comparison_lines(work: IntelligenceWork, translate: Callable[[str], str]
                     ) -> list[tuple[str, int]]:
    """The answer in a few lines for the side-by-side comparison: (text, level)."""
    _ = translate
    grades = sorted(f"{k} {g.code()}" for k, g in work.gradings.items() if g.complete)
    lines: list[tuple[str, int]] = []
    if grades:
        lines.append((_("Grades: {grades}").format(grades=", ".join(grades)), 0))
    if work.collations:
        lines.append((_("Collations: {titles}").format(titles="; ".join(
            c.title.strip() or "—" for c in work.collations)), 0))
    if work.product.assessment.strip():
        lines.append((_("Assessment: {text}").format(text=work.product.assessment.strip()),
                      0))
        lines += [(f"• {line}", 1) for line in work.product.judgement_lines()]
    if work.product.confidence:
        lines.append((_(CONFIDENCE[work.product.confidence]), 1))
    if work.profile.title.strip():
        lines.append((_("Profile: {title} (rests on {items})").format(
            title=work.profile.title.strip(),
            items=work.profile.based_on.strip() or "—"), 0))
    if work.centre.staffing:
        agencies = sorted({s.agency.strip() for s in work.centre.staffing if s.agency.strip()})
        lines.append((_("Centre staffed by: {agencies}").format(
            agencies=", ".join(agencies) or "—"), 0))
    if work.centre.kpis:
        lines.append((_("Centre KPIs: {names}").format(names="; ".join(
            k.name.strip() or "—" for k in work.centre.kpis)), 0))
    return lines


def renderer(lang: str, translate: Callable[[str], str]) -> Callable[[Finding], str]:
    """How a finding reads in `lang`: numbers, percentages and dates as `lang` writes
    them; small shares with a decimal (0.4%), hit rates as the pack quotes them (59%)."""
    from rmdesk.i18n.formatting import format_date, format_number, format_percent

    return lambda f: render_intel_finding(
        f, translate, lambda v: format_percent(v, lang, digits=1 if v < 0.1 else 0),
        lambda v: format_number(v, lang), lambda d: format_date(d, lang, fmt="medium"))
