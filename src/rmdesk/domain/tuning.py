"""E9 selectivity tuning: expected rates per lane, the random rates, examiner capacity,
and the workload arithmetic against the last targeting run. No Qt."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.checks import ERROR, GOOD, INFO, WARNING, Finding
from rmdesk.i18n import N_

RANDOM_LANES: tuple[str, ...] = ("blue", "yellow", "orange", "red")
ALL_LANES: tuple[str, ...] = ("green", "blue", "yellow", "orange", "red")
DEFAULT_PER_DECLARATION = {"red": 10.0, "orange": 4.0, "yellow": 3.0, "blue": 1.0,
                           "green": 0.0}
DEFAULT_PER_ITEM = {"red": 5.0}


@dataclass
class Tuning:
    """What the group sets. Rates are shares (0-1); capacity is in workload units."""

    expected: dict[str, float] = field(default_factory=dict)  # lane -> expected share
    random_rates: dict[str, float] = field(default_factory=dict)  # lane -> share
    min_random_rate: float = 0.0
    capacity: float | None = None
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
        """Keyword arguments for domain.targeting_metrics.WorkloadSettings."""
        return {"per_declaration": self.per_declaration, "per_item": self.per_item,
                "capacity": self.capacity}


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
    lanes: tuple[LaneLoad, ...]
    total: float
    capacity: float | None
    utilisation: float | None


def workload_from_run(metrics: Mapping[str, Any], tuning: Tuning) -> WorkloadSummary:
    """Workload of a stored run's lane counts under the current weights: the arithmetic
    is shown line by line, so it is recomputed here rather than read from the run."""
    lanes_data = {entry.get("lane"): entry for entry in metrics.get("lanes", [])
                  if isinstance(entry, Mapping)}
    total_rows = int(metrics.get("rows") or 0)
    lanes = []
    for lane in ALL_LANES:
        entry = lanes_data.get(lane, {})
        rows = int(entry.get("rows", 0))
        declarations = int(entry.get("declarations", rows))
        items = int(entry.get("items", rows))
        work = (declarations * tuning.per_declaration.get(lane, 0.0)
                + items * tuning.per_item.get(lane, 0.0))
        lanes.append(LaneLoad(lane, rows, rows / total_rows if total_rows else None,
                              tuning.expected.get(lane), declarations, items, work))
    total = sum(item.workload for item in lanes)
    capacity = tuning.capacity
    return WorkloadSummary(tuple(lanes), total, capacity,
                           total / capacity if capacity else None)


MESSAGES: dict[str, str] = {
    "no_run": N_("Run the targeting simulation (E8) first: the workload is computed from "
                 "its lane counts."),
    "no_random": N_("No random selection is set: without random checks nobody can "
                    "estimate what the criteria miss. Set at least the minimum random "
                    "rate."),
    "random_below_minimum": N_("The random rates add up to {total}, below the minimum "
                               "random rate of {minimum} you set."),
    "expected_above_total": N_("The expected rates add up to {total}: they cannot exceed "
                               "100%."),
    "lane_off_expected": N_("{lane}: the run sent {actual} of the declarations here, "
                            "against {expected} expected."),
    "no_capacity": N_("Enter the examiners' capacity to compare the workload with it."),
    "over_capacity": N_("The workload ({workload}) is above capacity ({capacity}): "
                        "{utilisation} of what the examiners can do. Lower the red "
                        "selection or raise the capacity."),
    "within_capacity": N_("The workload ({workload}) fits the capacity ({capacity}): "
                          "{utilisation} used."),
}
# A lane more than 50 % away from its expected share is pointed out, as a note: the
# expected shares are the yearly national plan (with the controls other agencies require
# and room for new profiles, as E9's instructions say), the run is the group's profiles on
# the practice data, so a difference is to be read, not a fault to fix.
OFF_EXPECTED = 0.5


def check_tuning(tuning: Tuning, summary: WorkloadSummary | None) -> list[Finding]:
    findings: list[Finding] = []
    random_total = sum(tuning.random_rates.values())
    if random_total <= 0:
        findings.append(Finding("no_random", WARNING))
    elif random_total + 1e-9 < tuning.min_random_rate:
        findings.append(Finding("random_below_minimum", ERROR, {
            "total": random_total, "minimum": tuning.min_random_rate}))
    expected_total = sum(tuning.expected.values())
    if expected_total > 1 + 1e-9:
        findings.append(Finding("expected_above_total", ERROR, {"total": expected_total}))
    if summary is None:
        findings.append(Finding("no_run", WARNING))
        return findings
    for load in summary.lanes:
        if load.expected and load.share is not None:
            if abs(load.share - load.expected) > OFF_EXPECTED * load.expected:
                findings.append(Finding("lane_off_expected", INFO, {
                    "lane": load.lane, "actual": load.share, "expected": load.expected}))
    if summary.capacity is None:
        findings.append(Finding("no_capacity", WARNING))
    elif summary.utilisation is not None and summary.utilisation > 1:
        findings.append(Finding("over_capacity", ERROR, {
            "workload": summary.total, "capacity": summary.capacity,
            "utilisation": summary.utilisation}))
    else:
        findings.append(Finding("within_capacity", GOOD, {
            "workload": summary.total, "capacity": summary.capacity,
            "utilisation": summary.utilisation or 0.0}))
    return findings


def render_tuning_finding(finding: Finding, translate: Callable[[str], str],
                          format_percent: Callable[[float], str],
                          format_number: Callable[[float], str]) -> str:
    from rmdesk.domain.criteria import LANE_LABELS

    params = dict(finding.params)
    for name in ("total", "minimum", "actual", "expected", "utilisation"):
        if name in params:
            params[name] = format_percent(float(params[name]))  # type: ignore[arg-type]
    for name in ("workload", "capacity"):
        if name in params:
            params[name] = format_number(float(params[name]))  # type: ignore[arg-type]
    if "lane" in params:
        params["lane"] = translate(LANE_LABELS[str(params["lane"])])
    return translate(MESSAGES[finding.code]).format(**params)
