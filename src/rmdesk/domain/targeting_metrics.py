"""Targeting metrics of a selectivity run (E8, E9): rates, confusion matrix, workload.

Works on plain arrays (lanes, hits, deciding criterion, random flag, hidden outcome), so
it is tested apart from the engine. A rate whose denominator is zero (nothing selected,
nothing non-compliant, no rows) is None, never NaN: a screen shows "not defined" and a
report can say why. "Selected" means any lane but green. No Qt, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from rmdesk.domain.criteria import GREEN, LANES, Lane

Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class WorkloadSettings(BaseModel):
    """Examiner workload weights: per declaration by lane, plus per item of a declaration
    in that lane (a red declaration is examined item by item)."""

    model_config = ConfigDict(extra="forbid")

    per_declaration: dict[Lane, Weight] = Field(
        default_factory=lambda: {"red": 10.0, "orange": 4.0, "yellow": 3.0, "blue": 1.0,
                                 "green": 0.0}
    )
    per_item: dict[Lane, Weight] = Field(default_factory=lambda: {"red": 5.0})
    capacity: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None


@dataclass(frozen=True)
class Confusion:
    tp: int  # selected, non-compliant
    fp: int  # selected, compliant
    fn: int  # released, non-compliant
    tn: int  # released, compliant


@dataclass(frozen=True)
class CriterionStats:
    index: int
    name: str
    lane: str
    hits: int  # rows it matched
    finds: int | None  # hits that are non-compliant (None without an outcome)
    decided: int  # rows whose lane it set
    hit_rate: float | None  # finds / hits


@dataclass(frozen=True)
class LaneStats:
    lane: str
    rows: int
    finds: int | None  # non-compliant rows in the lane
    declarations: int
    items: int  # rows of the declarations whose examination lane this is
    workload: float


@dataclass(frozen=True)
class Workload:
    total: float
    capacity: float | None
    over_capacity: bool
    utilisation: float | None  # total / capacity


@dataclass(frozen=True)
class TargetingMetrics:
    rows: int
    selected: int
    random_selected: int
    non_compliant: int | None  # None: the data has no outcome
    selection_rate: float | None
    prevalence: float | None  # non-compliant / all
    hit_rate: float | None
    detection_rate: float | None
    # A random selection at the same rate: expected hit rate = prevalence, expected
    # detection rate = selection rate.
    random_hit_rate: float | None
    random_detection_rate: float | None
    lift: float | None  # hit rate / prevalence
    random_finds: int | None  # what the random checks found: an unbiased sample
    random_sample_hit_rate: float | None
    confusion: Confusion | None
    lanes: tuple[LaneStats, ...]
    workload: Workload
    criteria: tuple[CriterionStats, ...]

    def lane_counts(self) -> dict[str, int]:
        return {stats.lane: stats.rows for stats in self.lanes}


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def compute_metrics(
    lanes: np.ndarray,
    hits: np.ndarray,
    deciding: np.ndarray,
    random_selected: np.ndarray,
    non_compliant: np.ndarray | None,
    *,
    names: tuple[str, ...],
    criterion_lanes: tuple[str, ...],
    workload: WorkloadSettings | None = None,
    declaration_codes: np.ndarray | None = None,
) -> TargetingMetrics:
    """Metrics of one run.

    lanes: lane code per row (index into LANES); hits: bool (criteria x rows);
    deciding: criterion index per row, -1 when none set the lane; non_compliant: the
    hidden outcome or None; declaration_codes: a declaration id per row (rows are items)
    for the workload, or None when each row is its own one-item declaration.
    """
    settings = workload or WorkloadSettings()
    n = int(len(lanes))
    lane_rows = np.bincount(lanes, minlength=len(LANES))
    selected_mask = lanes != GREEN
    selected = n - int(lane_rows[GREEN])
    random_count = int(np.count_nonzero(random_selected))
    bad = None if non_compliant is None else np.asarray(non_compliant, dtype=bool)

    decided = np.bincount(deciding + 1, minlength=len(names) + 1)[1:]
    criteria = []
    for i, name in enumerate(names):
        row = hits[i]
        n_hits = int(np.count_nonzero(row))
        finds = None if bad is None else int(np.count_nonzero(row & bad))
        criteria.append(
            CriterionStats(
                index=i, name=name, lane=criterion_lanes[i], hits=n_hits, finds=finds,
                decided=int(decided[i]),
                hit_rate=None if finds is None else ratio(finds, n_hits),
            )
        )

    lane_finds = None if bad is None else np.bincount(lanes[bad], minlength=len(LANES))
    decl_counts, item_counts = _examined(lanes, declaration_codes)
    lane_work = [
        decl_counts[code] * settings.per_declaration.get(lane, 0.0)  # type: ignore[call-overload]
        + item_counts[code] * settings.per_item.get(lane, 0.0)  # type: ignore[call-overload]
        for code, lane in enumerate(LANES)
    ]
    lane_stats = tuple(
        LaneStats(
            lane=lane, rows=int(lane_rows[code]),
            finds=None if lane_finds is None else int(lane_finds[code]),
            declarations=int(decl_counts[code]), items=int(item_counts[code]),
            workload=float(lane_work[code]),
        )
        for code, lane in enumerate(LANES)
    )
    total = float(sum(lane_work))
    capacity = settings.capacity
    work = Workload(
        total=total, capacity=capacity,
        over_capacity=capacity is not None and total > capacity,
        utilisation=None if capacity is None else ratio(total, capacity),
    )

    selection_rate = ratio(selected, n)
    if bad is None:
        return TargetingMetrics(
            rows=n, selected=selected, random_selected=random_count, non_compliant=None,
            selection_rate=selection_rate, prevalence=None, hit_rate=None,
            detection_rate=None, random_hit_rate=None, random_detection_rate=selection_rate,
            lift=None, random_finds=None, random_sample_hit_rate=None, confusion=None,
            lanes=lane_stats, workload=work, criteria=tuple(criteria),
        )
    positives = int(np.count_nonzero(bad))
    tp = int(np.count_nonzero(selected_mask & bad))
    confusion = Confusion(tp=tp, fp=selected - tp, fn=positives - tp,
                          tn=n - selected - positives + tp)
    prevalence = ratio(positives, n)
    hit_rate = ratio(tp, selected)
    random_finds = int(np.count_nonzero(random_selected & bad))
    return TargetingMetrics(
        rows=n, selected=selected, random_selected=random_count, non_compliant=positives,
        selection_rate=selection_rate, prevalence=prevalence, hit_rate=hit_rate,
        detection_rate=ratio(tp, positives),
        random_hit_rate=prevalence if selected else None,
        random_detection_rate=selection_rate if positives else None,
        lift=None if hit_rate is None or not prevalence else hit_rate / prevalence,
        random_finds=random_finds, random_sample_hit_rate=ratio(random_finds, random_count),
        confusion=confusion, lanes=lane_stats, workload=work, criteria=tuple(criteria),
    )


def _examined(
    lanes: np.ndarray, declaration_codes: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(declarations, items) per lane. A declaration is examined in the highest lane of
    its items, and all its items with it; rows without a declaration id stand alone."""
    n_lanes = len(LANES)
    if declaration_codes is None:
        counts = np.bincount(lanes, minlength=n_lanes)
        return counts, counts
    codes = np.asarray(declaration_codes)
    alone = codes < 0
    if alone.any():  # an empty id: the row is its own declaration
        codes = np.where(alone, codes.max(initial=-1) + np.cumsum(alone), codes)
    n_decl = int(codes.max(initial=-1)) + 1
    items = np.bincount(codes, minlength=n_decl)
    decl_lane = np.zeros(n_decl, dtype=np.int8)
    # Highest lane per declaration: later (higher) lanes overwrite, only where present.
    for code in range(1, n_lanes):
        decl_lane[codes[lanes == code]] = code
    present = items > 0
    decl_counts = np.bincount(decl_lane[present], minlength=n_lanes)
    item_counts = np.bincount(decl_lane[present], weights=items[present], minlength=n_lanes)
    return decl_counts, item_counts.astype(np.int64)
