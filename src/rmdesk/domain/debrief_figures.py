"""The consolidated report's figures for E13-E16, aggregated over the groups.

Each part sums the groups up in a few cells (a median and a range, a count "3 of 30"),
never one label per group, so it reads the same at 3 groups as at 30. The figures come
from each exercise's own functions (from_dict, estimate, run_profile, run_passengers), so
they are the ones the groups saw on their pages. A function returns None when no group
has work in its exercise: the report then leaves the part out.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rmdesk.domain.compliance_pyramid import LEVELS, CompliancePyramid
from rmdesk.domain.compliance_survey import ComplianceSurvey, Population, estimate, mentions_bias
from rmdesk.domain.criteria import check_ruleset
from rmdesk.domain.intelligence import IntelligenceWork, ItemKey, run_profile
from rmdesk.domain.passengers import FORBIDDEN_FIELDS, PassengerWork, fields_used, run_passengers

Work = Mapping[str, Any]  # one group's answer to one exercise (ExerciseWork's JSON)


@dataclass(frozen=True)
class Spread:
    """Median, lowest and highest of the values some groups have."""

    median: float
    low: float
    high: float
    count: int  # groups the values come from

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread | None:
        if not values:
            return None
        found = sorted(values)
        return cls(statistics.median(found), found[0], found[-1], len(found))


@dataclass(frozen=True)
class SurveyFigures:
    """E13: the groups' estimated non-compliance rates and who named the selection bias."""

    groups: int  # groups with survey work
    rate: Spread | None  # over the groups that drew their sample
    named_bias: int


@dataclass(frozen=True)
class PyramidRow:
    segment_id: str
    counts: dict[str, int]  # pyramid level -> groups that placed the segment there


@dataclass(frozen=True)
class PyramidFigures:
    groups: int
    rows: list[PyramidRow]


@dataclass(frozen=True)
class GradeRow:
    """E15: one information item: the grade most groups gave and how many gave the pack's."""

    item_id: str
    graded: int  # groups that graded the item (source and information)
    common: str  # the most common grade ("B2"), "" when nobody graded it
    common_count: int
    expected: str  # the pack's grade, "" when it states none
    matched: int  # groups whose grade is the pack's


@dataclass(frozen=True)
class IntelFigures:
    groups: int
    rows: list[GradeRow]
    hits: Spread | None  # the profiles' hits, over the profiles that run


@dataclass(frozen=True)
class PassengerFigures:
    groups: int
    hit_rate: Spread | None  # over the groups whose profiles run
    selection_rate: Spread | None
    forbidden: int  # groups whose profiles use a field a passenger profile may not use


def _present(works: Sequence[Work | None], is_empty: Callable[[Any], bool],
             parse: Callable[[Any], Any]) -> list[Any]:
    parsed = (parse(dict(w)) for w in works if w)
    return [p for p in parsed if not is_empty(p)]


def survey_figures(works: Sequence[Work | None], population: Population
                   ) -> SurveyFigures | None:
    surveys = _present(works, ComplianceSurvey.is_empty, ComplianceSurvey.from_dict)
    if not surveys:
        return None
    rates = []
    for survey in surveys:
        result = estimate(survey, population) if survey.drawn else None
        if result is not None:
            rates.append(result.rate)
    return SurveyFigures(len(surveys), Spread.of(rates),
                         sum(mentions_bias(s.interpretation) for s in surveys))


def pyramid_figures(segment_ids: Sequence[str], works: Sequence[Work | None]
                    ) -> PyramidFigures | None:
    pyramids = _present(works, lambda p: not any(not v.is_blank()
                                                 for v in p.placements.values()),
                        CompliancePyramid.from_dict)
    if not pyramids or not segment_ids:
        return None
    rows = [PyramidRow(segment, {level: sum(p.placement(segment).level == level
                                            for p in pyramids) for level in LEVELS})
            for segment in segment_ids]
    return PyramidFigures(len(pyramids), rows)


def intel_figures(items: Sequence[ItemKey], works: Sequence[Work | None],
                  table: Callable[[], Any]) -> IntelFigures | None:
    """`table`: the built-in declarations, only asked for when a profile runs."""
    works_ = _present(works, IntelligenceWork.is_empty, IntelligenceWork.from_dict)
    if not works_:
        return None
    rows = []
    for item in items:
        grades = [w.grading(item.id) for w in works_]
        codes = Counter(g.code() for g in grades if g.complete)
        # the most common grade; ties go to the first in grade order, so it is stable
        common, count = min(codes.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
        expected = f"{item.source}{item.info}" if item.source and item.info else ""
        rows.append(GradeRow(item.id, sum(codes.values()), common, count, expected,
                             codes.get(expected, 0) if expected else 0))
    hits = []
    for work in works_:
        run = run_profile(work.profile, table)
        if run is not None and not run.issues:
            hits.append(run.hits)
    return IntelFigures(len(works_), rows, Spread.of(hits))


def _passenger_empty(work: PassengerWork) -> bool:
    return not (work.ruleset.criteria or work.reading.strip()
                or any(v.strip() for v in work.safeguards.values()))


def passenger_figures(works: Sequence[Work | None], table: Any) -> PassengerFigures | None:
    works_ = _present(works, _passenger_empty, PassengerWork.from_dict)
    if not works_:
        return None
    hit_rates, selection_rates, forbidden = [], [], 0
    for work in works_:
        criteria = work.ruleset.criteria
        forbidden += any(fields_used(c.condition) & set(FORBIDDEN_FIELDS) for c in criteria)
        if not criteria or check_ruleset(work.ruleset, table.fields()):
            continue  # profiles that do not run have no figures
        metrics = run_passengers(work, table).metrics
        if metrics.hit_rate is not None:
            hit_rates.append(metrics.hit_rate)
        if metrics.selection_rate is not None:
            selection_rates.append(metrics.selection_rate)
    return PassengerFigures(len(works_), Spread.of(hit_rates), Spread.of(selection_rates),
                            forbidden)


@dataclass(frozen=True)
class NewExerciseFigures:
    """The four parts; None for an exercise the agenda hides or nobody worked on."""

    survey: SurveyFigures | None = None
    pyramid: PyramidFigures | None = None
    intelligence: IntelFigures | None = None
    passengers: PassengerFigures | None = None
