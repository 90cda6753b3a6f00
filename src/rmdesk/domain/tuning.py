"""E9 selectivity tuning: expected rates per lane, the random rates, examiner capacity,
and the workload arithmetic: the plan's shares of the yearly declarations against the
capacity, and the last targeting run (E8) on the sample against the same capacity
scaled to the sample. Shares and counts are of declarations, not items. No Qt."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.i18n import N_

RANDOM_LANES: tuple[str, ...] = ("blue", "yellow", "orange", "red")
ALL_LANES: tuple[str, ...] = ("green", "blue", "yellow", "orange", "red")
DEFAULT_PER_DECLARATION = {"red": 10.0, "orange": 4.0, "yellow": 3.0, "blue": 1.0,
                           "green": 0.0}
DEFAULT_PER_ITEM = {"red": 5.0}
# The pack's defaults (rmdesk.content.pack.TuningRules), as the E9 instructions state them.
YEARLY_DECLARATIONS = 412_000
ITEMS_PER_DECLARATION = 2.0
CAPACITY = 1_400_000.0
PEAK_ABOVE_AVERAGE = 0.15
SHARES_TOLERANCE = 0.0005  # shares typed to one decimal of a per cent


@dataclass(frozen=True)
class PlanRules:
    """The E9 rules a pack states (ContentPack exercise.tuning_rules has these fields)."""

    yearly_declarations: int = YEARLY_DECLARATIONS
    items_per_declaration: float = ITEMS_PER_DECLARATION
    capacity: float = CAPACITY
    per_declaration: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_PER_DECLARATION))
    per_item: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PER_ITEM))
    peak_above_average: float = PEAK_ABOVE_AVERAGE


@dataclass
class Tuning:
    """What the group sets. Rates are shares (0-1); capacity is in workload units."""

    expected: dict[str, float] = field(default_factory=dict)  # lane -> expected share
    random_rates: dict[str, float] = field(default_factory=dict)  # lane -> share
    min_random_rate: float = 0.0
    capacity: float | None = None  # workload units a year; None: the pack's capacity
    per_declaration: dict[str, float] = field(default_factory=lambda: dict(
        DEFAULT_PER_DECLARATION))
    per_item: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_PER_ITEM))

    def to_dict(self) -> dict[str, Any]:
        return {"expected": self.expected, "random_rates": self.random_rates,
                "min_random_rate": self.min_random_rate, "capacity": self.capacity,
                "per_declaration": self.per_declaration, "per_item": self.per_item}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tuning:
        """Tolerant: what is missing or malformed takes its default."""

        def rates(value: object, lanes: tuple[str, ...]) -> dict[str, float]:
            if not isinstance(value, Mapping):
                return {}
            return {k: float(v) for k, v in value.items() if k in lanes
                    and isinstance(v, int | float) and 0 <= v <= 1}

        def weights(value: object, default: dict[str, float]) -> dict[str, float]:
            if not isinstance(value, Mapping):
                return dict(default)
            return {k: float(v) for k, v in value.items() if k in ALL_LANES
                    and isinstance(v, int | float) and v >= 0}

        capacity = data.get("capacity")
        minimum = data.get("min_random_rate")
        return cls(
            expected=rates(data.get("expected"), ALL_LANES),
            random_rates=rates(data.get("random_rates"), RANDOM_LANES),
            min_random_rate=float(minimum) if isinstance(minimum, int | float)
            and 0 <= minimum <= 1 else 0.0,
            capacity=float(capacity) if isinstance(capacity, int | float) and capacity >= 0
            else None,
            per_declaration=weights(data.get("per_declaration"), DEFAULT_PER_DECLARATION),
            per_item=weights(data.get("per_item"), DEFAULT_PER_ITEM),
        )

    def workload_settings(self) -> dict[str, Any]:
        """Keyword arguments for domain.targeting_metrics.WorkloadSettings. The capacity
        is a year's, not the sample's: E9 scales it (workload_from_run), so a run on the
        sample does not compare itself with it."""
        return {"per_declaration": self.per_declaration, "per_item": self.per_item,
                "capacity": None}


@dataclass(frozen=True)
class PlanLane:
    lane: str
    share: float
    declarations: float  # a year
    units: float  # per declaration: per_declaration + per_item × items per declaration
    workload: float


@dataclass(frozen=True)
class PlanWorkload:
    """The plan's workload for a year: each lane's share × the yearly declarations ×
    the units per declaration of that lane."""

    lanes: tuple[PlanLane, ...]
    total: float
    capacity: float
    utilisation: float


def plan_capacity(tuning: Tuning, rules: PlanRules) -> float:
    return tuning.capacity if tuning.capacity else rules.capacity


def plan_workload(tuning: Tuning, rules: PlanRules | None = None) -> PlanWorkload:
    rules = rules or PlanRules()
    lanes = []
    for lane in reversed(ALL_LANES):  # red first, as the exercise writes it
        share = tuning.expected.get(lane, 0.0)
        declarations = share * rules.yearly_declarations
        units = (tuning.per_declaration.get(lane, 0.0)
                 + tuning.per_item.get(lane, 0.0) * rules.items_per_declaration)
        lanes.append(PlanLane(lane, share, declarations, units, declarations * units))
    total = sum(item.workload for item in lanes)
    capacity = plan_capacity(tuning, rules)
    return PlanWorkload(tuple(lanes), total, capacity, total / capacity)


@dataclass(frozen=True)
class LaneLoad:
    lane: str
    rows: int
    share: float | None
    expected: float | None
    declarations: int
    items: int
    workload: float


@dataclass(frozen=True)
class WorkloadSummary:
    """A run on the sample: its workload against the capacity scaled to the sample's
    declarations (capacity × sample declarations ÷ yearly declarations)."""

    lanes: tuple[LaneLoad, ...]
    total: float
    capacity: float | None
    utilisation: float | None
    declarations: int = 0  # of the sample


def workload_from_run(metrics: Mapping[str, Any], tuning: Tuning,
                      rules: PlanRules | None = None) -> WorkloadSummary:
    """Workload of a stored run's lane counts under the current weights: the arithmetic
    is shown line by line, so it is recomputed here rather than read from the run."""
    rules = rules or PlanRules()
    lanes_data = {entry.get("lane"): entry for entry in metrics.get("lanes", [])
                  if isinstance(entry, Mapping)}
    lanes = []
    for lane in ALL_LANES:
        entry = lanes_data.get(lane, {})
        rows = int(entry.get("rows", 0))
        declarations = int(entry.get("declarations", rows))
        items = int(entry.get("items", rows))
        work = (declarations * tuning.per_declaration.get(lane, 0.0)
                + items * tuning.per_item.get(lane, 0.0))
        lanes.append(LaneLoad(lane, rows, None, tuning.expected.get(lane), declarations,
                              items, work))
    sample = sum(item.declarations for item in lanes)
    # Shares of declarations (a lane's items are not what its share counts).
    lanes = [dataclasses.replace(item, share=item.declarations / sample if sample else None)
             for item in lanes]
    total = sum(item.workload for item in lanes)
    capacity = plan_capacity(tuning, rules) * sample / rules.yearly_declarations \
        if sample else None
    return WorkloadSummary(tuple(lanes), total, capacity,
                           total / capacity if capacity else None, sample)


MESSAGES: dict[str, str] = {
    "no_run": N_("Run the targeting simulation (E8) to compare its workload on the sample "
                 "declarations with the capacity."),
    "no_random": N_("No random selection is set: without random checks nobody can "
                    "estimate what the criteria miss. Set at least the minimum random "
                    "rate."),
    "random_below_minimum": N_("The random rates add up to {total}, below the minimum "
                               "random rate of {minimum} you set."),
    "no_expected": N_("Enter the expected share of the declarations for each lane."),
    "expected_not_total": N_("The expected shares add up to {total}: together the lanes "
                             "must make 100% of the declarations (random checks are part "
                             "of their lane's share, not added on top)."),
    "random_above_expected": N_("{lane}: the random rate ({random}) is larger than the "
                                "lane's expected share ({expected}), which includes it."),
    "plan_over_capacity": N_(
        "Your plan needs {workload} units a year ({declarations} declarations × the units "
        "of their lanes) for a capacity of {capacity}: {utilisation}. Lower the red "
        "share or move checks to lighter lanes."),
    "plan_no_headroom": N_(
        "Your plan needs {workload} units a year for a capacity of {capacity}: "
        "{utilisation}. At the peak, {peak} above the yearly average, it would need "
        "{peak_utilisation}: leave room for it."),
    "plan_within_capacity": N_(
        "Your plan needs {workload} units a year for a capacity of {capacity}: "
        "{utilisation}, and {peak_utilisation} at the peak."),
    "run_over_capacity": N_(
        "Your last E8 run needs {workload} units for its {declarations} sample "
        "declarations, above the {capacity} units the capacity gives them: "
        "{utilisation}. The criteria select more than the examiners can handle."),
    "run_within_capacity": N_(
        "Your last E8 run needs {workload} units for its {declarations} sample "
        "declarations, of the {capacity} units the capacity gives them: {utilisation}."),
}


def check_tuning(tuning: Tuning, summary: WorkloadSummary | None,
                 rules: PlanRules | None = None) -> list[Finding]:
    """`rules`: the pack's E9 rules (anything with PlanRules' attributes)."""
    rules = rules or PlanRules()
    findings: list[Finding] = []
    random_total = sum(tuning.random_rates.values())
    if random_total <= 0:
        findings.append(Finding("no_random", WARNING))
    elif random_total + 1e-9 < tuning.min_random_rate:
        findings.append(Finding("random_below_minimum", ERROR, {
            "total": random_total, "minimum": tuning.min_random_rate}))
    expected_total = sum(tuning.expected.values())
    if expected_total <= 0:
        findings.append(Finding("no_expected", WARNING))
    elif abs(expected_total - 1) > SHARES_TOLERANCE:
        findings.append(Finding("expected_not_total", ERROR, {"total": expected_total}))
    for lane, rate in tuning.random_rates.items():
        expected = tuning.expected.get(lane, 0.0)
        if expected_total > 0 and rate > expected + 1e-9:
            findings.append(Finding("random_above_expected", ERROR, {
                "lane": lane, "random": rate, "expected": expected}))
    if expected_total > 0 and abs(expected_total - 1) <= SHARES_TOLERANCE:
        plan = plan_workload(tuning, rules)
        peak = plan.utilisation * (1 + rules.peak_above_average)
        params = {"workload": plan.total, "capacity": plan.capacity,
                  "utilisation": plan.utilisation, "peak": rules.peak_above_average,
                  "peak_utilisation": peak,
                  "declarations": rules.yearly_declarations}
        if plan.utilisation > 1 + 1e-9:
            findings.append(Finding("plan_over_capacity", ERROR, params))
        elif peak > 1 + 1e-9:
            findings.append(Finding("plan_no_headroom", WARNING, params))
        else:
            findings.append(Finding("plan_within_capacity", GOOD, params))
    if summary is None:
        findings.append(Finding("no_run", WARNING))
        return findings
    if summary.capacity and summary.utilisation is not None:
        params = {"workload": summary.total, "capacity": summary.capacity,
                  "utilisation": summary.utilisation, "declarations": summary.declarations}
        if summary.utilisation > 1 + 1e-9:
            findings.append(Finding("run_over_capacity", WARNING, params))
        else:
            findings.append(Finding("run_within_capacity", GOOD, params))
    return findings


def render_tuning_finding(finding: Finding, translate: Callable[[str], str],
                          format_percent: Callable[[float], str],
                          format_number: Callable[[float], str]) -> str:
    from rmdesk.domain.criteria import LANE_LABELS

    params = dict(finding.params)
    for name in ("total", "minimum", "actual", "expected", "utilisation", "random", "peak",
                 "peak_utilisation"):
        if name in params:
            params[name] = format_percent(float(params[name]))  # type: ignore[arg-type]
    for name in ("workload", "capacity", "declarations"):
        if name in params:
            params[name] = format_number(float(params[name]))  # type: ignore[arg-type]
    if "lane" in params:
        params["lane"] = translate(LANE_LABELS[str(params["lane"])])
    return translate(MESSAGES[finding.code]).format(**params)
