"""The selectivity engine (E8, E9): compile criteria once, run them over a declaration table.

Compiling turns each criterion's condition tree into a tree of fixed test objects whose
parameters are plain numbers, dates and strings: user input is only ever compared
with data, never made into code or query text. Evaluating a test is one vectorised numpy
expression over a column; a test on a category column runs once over its distinct values
and is gathered to rows by code, so its cost hardly depends on the number of rows.

Lanes: a row takes the highest-precedence lane (red > orange > yellow > blue > green)
among the criteria that hit it; within that lane the hit criterion with the highest
priority, then the first in the list, is the deciding one. Of the rows left green, a
share per lane is then sent to that lane at random (exact counts, seeded). No Qt, no I/O.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rmdesk.domain.criteria import (
    DERIVED_FIELDS,
    FIELD_BY_NAME,
    GREEN,
    LANE_CODE,
    LANES,
    Condition,
    CriteriaError,
    CriteriaIssue,
    RuleSet,
    check_ruleset,
    scalar_value,
)
from rmdesk.domain.declaration_fields import FieldSpec
from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.domain.targeting_metrics import TargetingMetrics, WorkloadSettings, compute_metrics

Mask = np.ndarray  # bool, one per row

# -- evaluation context -----------------------------------------------------------------


class _Context:
    """One evaluation: the table plus per-run caches (folded distinct values, and masks
    of tests that occur more than once in the rule set)."""

    def __init__(self, table: DeclarationTable, shared: frozenset[tuple[object, ...]]) -> None:
        self.table = table
        self.shared = shared
        self._folded: dict[str, np.ndarray] = {}
        self._encoded: dict[str, CategoryColumn] = {}
        self._masks: dict[tuple[object, ...], Mask] = {}

    def category(self, name: str) -> CategoryColumn:
        column = self.table.column(name)
        if isinstance(column, CategoryColumn):
            return column
        # A plain string array (e.g. a hand-built table): encode it once for this run.
        if name not in self._encoded:
            self._encoded[name] = CategoryColumn.from_strings(column)
        return self._encoded[name]

    def folded(self, name: str) -> np.ndarray:
        """The distinct values of a category column, case-folded, as a numpy str array."""
        if name not in self._folded:
            values = self.category(name).values
            self._folded[name] = np.array([v.casefold() for v in values], dtype=str)
        return self._folded[name]

    def array(self, name: str) -> np.ndarray:
        column = self.table.column(name)
        assert not isinstance(column, CategoryColumn)
        return column

    def mask(self, node: _Node) -> tuple[Mask, bool]:
        """(mask, owned): owned masks may be changed in place by the caller."""
        if node.key not in self.shared:
            return node.evaluate(self), True
        if node.key not in self._masks:
            self._masks[node.key] = node.evaluate(self)
        return self._masks[node.key], False


# -- compiled tests ---------------------------------------------------------------------


class _Node:
    @property
    def key(self) -> tuple[object, ...]:
        """Equal keys, equal tests: a test used twice is evaluated once per run."""
        raise NotImplementedError

    def evaluate(self, ctx: _Context) -> Mask:
        raise NotImplementedError

    def walk(self) -> Iterator[_Node]:
        yield self


@dataclass(frozen=True)
class _CategoryTest(_Node):
    """A test on the distinct values of a category column; empty (-1) rows never match
    except for is_empty."""

    field: str
    op: str  # eq, ne, in, not_in, contains(_any), starts_with(_any), is_empty
    texts: tuple[str, ...]  # case-folded

    @property
    def key(self) -> tuple[object, ...]:
        return ("category", self.field, self.op, self.texts)

    def evaluate(self, ctx: _Context) -> Mask:
        values = ctx.folded(self.field)
        if self.op in ("eq", "ne", "in", "not_in"):
            matched = np.isin(values, np.array(self.texts, dtype=str))
            if self.op in ("ne", "not_in"):
                matched = ~matched
        elif self.op in ("contains", "contains_any"):
            matched = np.zeros(len(values), dtype=bool)
            for text in self.texts:  # one text for "contains"
                matched |= np.char.find(values, text) >= 0
        elif self.op in ("starts_with", "starts_with_any"):
            matched = np.zeros(len(values), dtype=bool)
            for text in self.texts:
                matched |= np.char.startswith(values, text)
        else:  # is_empty
            matched = np.zeros(len(values), dtype=bool)
        lookup = np.empty(len(values) + 1, dtype=bool)
        lookup[:-1] = matched
        lookup[-1] = self.op == "is_empty"  # code -1 picks this last slot
        return lookup[ctx.category(self.field).codes]


_COMPARE: dict[str, Callable[..., np.ndarray]] = {
    "eq": np.equal, "ne": np.not_equal, "gt": np.greater, "gte": np.greater_equal,
    "lt": np.less, "lte": np.less_equal,
}


def _missing(column: np.ndarray) -> np.ndarray | None:
    if column.dtype.kind == "f":
        return np.isnan(column)
    if column.dtype.kind == "M":
        return np.isnat(column)
    return None  # integers have no missing value


@dataclass(frozen=True)
class _CompareTest(_Node):
    """A comparison on a number, integer or date column; a missing value (NaN, NaT)
    never matches, not even "does not equal", except for is_empty."""

    field: str
    op: str  # eq ne gt gte lt lte between in not_in is_empty
    args: tuple[object, ...]  # floats, or numpy datetime64[D]

    @property
    def key(self) -> tuple[object, ...]:
        return ("compare", self.field, self.op, self.args)

    def evaluate(self, ctx: _Context) -> Mask:
        column = ctx.array(self.field)
        missing = _missing(column)
        if self.op == "is_empty":
            return missing.copy() if missing is not None else np.zeros(len(column), bool)
        if self.op == "between":
            mask = np.greater_equal(column, self.args[0])
            mask &= np.less_equal(column, self.args[1])
        elif self.op in ("in", "not_in"):
            mask = np.isin(column, np.array(self.args), invert=self.op == "not_in")
        else:
            mask = _COMPARE[self.op](column, self.args[0])
        if missing is not None and self.op in ("ne", "not_in"):
            mask &= ~missing
        return mask


@dataclass(frozen=True)
class _FlagTest(_Node):
    field: str
    truth: bool

    @property
    def key(self) -> tuple[object, ...]:
        return ("flag", self.field, self.truth)

    def evaluate(self, ctx: _Context) -> Mask:
        column = ctx.array(self.field).astype(bool, copy=False)
        return column.copy() if self.truth else ~column


@dataclass(frozen=True)
class _UnitValueBelowReference(_Node):
    """unit_value < percent % of reference_price, where there is a positive reference."""

    percent: float

    @property
    def key(self) -> tuple[object, ...]:
        return ("unit_value_below_reference", self.percent)

    def evaluate(self, ctx: _Context) -> Mask:
        reference = ctx.array("reference_price")
        threshold = reference * (self.percent / 100.0)
        mask = np.less(ctx.array("unit_value"), threshold)
        mask &= reference > 0  # NaN compares False, so missing values never match
        return mask


@dataclass(frozen=True)
class _WeightPerUnitOutside(_Node):
    """gross_weight / quantity outside [low, high], where the quantity is positive."""

    low: float
    high: float

    @property
    def key(self) -> tuple[object, ...]:
        return ("weight_per_unit_outside", self.low, self.high)

    def evaluate(self, ctx: _Context) -> Mask:
        quantity = ctx.array("quantity")
        with np.errstate(divide="ignore", invalid="ignore"):
            per_unit = ctx.array("gross_weight") / quantity
        mask = np.less(per_unit, self.low)
        mask |= per_unit > self.high
        mask &= quantity > 0
        return mask


@dataclass(frozen=True)
class _Group(_Node):
    op: str  # and, or, not
    items: tuple[_Node, ...]

    @cached_property  # a group's key nests its items' keys: build it once
    def key(self) -> tuple[object, ...]:
        return (self.op, *(item.key for item in self.items))

    def walk(self) -> Iterator[_Node]:
        yield self
        for item in self.items:
            yield from item.walk()

    def evaluate(self, ctx: _Context) -> Mask:
        first, owned = ctx.mask(self.items[0])
        if self.op == "not":
            return np.logical_not(first, out=first if owned else None)
        result = first if owned else first.copy()
        combine = np.logical_and if self.op == "and" else np.logical_or
        for item in self.items[1:]:
            mask, _ = ctx.mask(item)
            combine(result, mask, out=result)
        return result


# -- compiling --------------------------------------------------------------------------


def _compile(node: Condition, watch_lists: dict[str, list[str]],
             specs: Mapping[str, FieldSpec]) -> _Node:
    op = node.op
    if op in ("and", "or", "not"):
        return _Group(op, tuple(_compile(item, watch_lists, specs)
                                for item in node.items or ()))
    if op == "unit_value_below_reference":
        return _UnitValueBelowReference(float(node.value))  # type: ignore[arg-type]
    if op == "weight_per_unit_outside":
        return _WeightPerUnitOutside(float(node.min), float(node.max))  # type: ignore[arg-type]
    assert node.field is not None
    kind = specs[node.field].kind
    if kind == "flag":
        return _FlagTest(node.field, op == "is_true")
    if kind == "category":
        if op == "in_watch_list":
            texts = {v.casefold() for v in watch_lists[str(node.value)]}
            return _CategoryTest(node.field, "in", tuple(sorted(texts)))
        if op == "is_empty":
            return _CategoryTest(node.field, op, ())
        raw = node.value if isinstance(node.value, list) else [node.value]
        return _CategoryTest(node.field, op, tuple(sorted({str(v).casefold() for v in raw})))

    def convert(value: object) -> object:
        if kind == "date":
            return np.datetime64(scalar_value(value, "date"), "D")
        return float(value)  # type: ignore[arg-type]

    if op == "between":
        args = (convert(node.min), convert(node.max))
    elif op in ("in", "not_in"):
        args = tuple(sorted({convert(v) for v in node.value}))  # type: ignore[union-attr,type-var]
    elif op == "is_empty":
        args = ()
    else:
        args = (convert(node.value),)
    return _CompareTest(node.field, op, args)


@dataclass(frozen=True, eq=False)
class CompiledRuleSet:
    """A checked rule set ready to run on any table that has the fields it uses."""

    names: tuple[str, ...]
    lanes: tuple[str, ...]
    priorities: tuple[int, ...]
    tests: tuple[_Node | None, ...]  # None: the criterion is disabled
    random_rates: dict[str, float]
    seed: int
    fields: frozenset[str]  # columns the tests read
    shared: frozenset[tuple[object, ...]]  # keys of tests used more than once

    def evaluate(
        self,
        table: DeclarationTable,
        *,
        seed: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> SelectivityResult:
        """Run every criterion, assign lanes, then the random selection.

        progress(done, total) is called after each criterion; a caller cancels the run
        by raising from it.
        """
        missing = sorted(self.fields - set(table.columns))
        if missing:
            raise CriteriaError(
                [CriteriaIssue("field_not_in_data", "", {"field": f}) for f in missing]
            )
        n = len(table)
        ctx = _Context(table, self.shared)
        hits = np.zeros((len(self.tests), n), dtype=bool)
        for index, test in enumerate(self.tests):
            if test is not None:
                mask, _ = ctx.mask(test)
                hits[index] = mask
            if progress is not None:
                progress(index + 1, len(self.tests))

        # Later writes win: go from the weakest (lane, priority) to the strongest, and
        # among equals from the last criterion to the first.
        deciding = np.full(n, -1, dtype=np.int32)
        order = sorted(
            (i for i, test in enumerate(self.tests) if test is not None),
            key=lambda i: (LANE_CODE[self.lanes[i]], self.priorities[i], -i),
        )
        for index in order:
            deciding[hits[index]] = index
        lane_of = np.array([*(LANE_CODE[lane] for lane in self.lanes), GREEN], dtype=np.int8)
        lanes = lane_of[deciding]  # -1 picks the trailing green

        chosen = np.zeros(n, dtype=bool)
        if self.random_rates and n:
            numbers = table.columns.get("declaration_no")
            self._random(lanes, deciding, chosen, self.seed if seed is None else seed,
                         numbers.codes if isinstance(numbers, CategoryColumn) else None)
        return SelectivityResult(
            lanes=lanes, hits=hits, deciding=deciding, random=chosen,
            names=self.names, criterion_lanes=self.lanes,
        )

    def _random(
        self, lanes: np.ndarray, deciding: np.ndarray, chosen: np.ndarray, seed: int,
        units: np.ndarray | None,
    ) -> None:
        # Random checks pick declarations, as an administration does, not items: a
        # declaration joins the pool when no criterion selected any of its items, and
        # all its items go to the lane drawn. `units` is a declaration code per row
        # (None: each row is its own declaration). A fixed random key per declaration
        # (from the seed and the declaration count only) and the smallest keys of the
        # pool win: exact counts, and a changed criterion moves few random picks, so
        # scenarios can be compared.
        units = np.arange(len(lanes)) if units is None else _own_codes(units)
        n_units = int(units.max(initial=-1)) + 1
        keys = np.random.default_rng(seed).random(n_units)
        present = np.bincount(units, minlength=n_units) > 0
        selected = np.zeros(n_units, dtype=bool)
        selected[units[lanes != GREEN]] = True
        pool = np.flatnonzero(present & ~selected)
        counts = []
        for lane in reversed(LANES):  # red first
            rate = self.random_rates.get(lane, 0.0)
            counts.append((lane, math.floor(rate * len(pool) + 0.5)))
        total = min(sum(count for _, count in counts), len(pool))
        if total == 0:
            return
        pool_keys = keys[pool]
        picked = np.argpartition(pool_keys, total - 1)[:total]
        picked = pool[picked[np.argsort(pool_keys[picked], kind="stable")]]
        unit_lane = np.full(n_units, -1, dtype=np.int8)
        start = 0
        for lane, count in counts:
            unit_lane[picked[start:start + count]] = LANE_CODE[lane]
            start += count
        rows = unit_lane[units] >= 0
        lanes[rows] = unit_lane[units][rows]
        chosen[rows] = True
        deciding[rows] = -1


def _own_codes(codes: np.ndarray) -> np.ndarray:
    """Declaration codes with an empty id (-1) made into declarations of their own."""
    codes = np.asarray(codes, dtype=np.int64)
    alone = codes < 0
    if alone.any():
        codes = np.where(alone, codes.max(initial=-1) + np.cumsum(alone), codes)
    return codes


def compile_ruleset(ruleset: RuleSet,
                    fields: Mapping[str, FieldSpec] | None = None) -> CompiledRuleSet:
    """Check and compile; raises CriteriaError with every issue.

    `fields`: the data set's fields (DeclarationTable.fields()), needed when a criterion
    tests one of its own columns; given, a field the data set lacks is reported now.
    """
    issues = check_ruleset(ruleset, fields)
    # A disabled criterion reads nothing: a column it names may be missing from the data.
    disabled = {f"criteria[{i}]" for i, c in enumerate(ruleset.criteria) if not c.enabled}
    issues = [i for i in issues if not (i.code == "field_not_in_data"
                                        and i.path.split(".")[0] in disabled)]
    if issues:
        raise CriteriaError(issues)
    specs = {**FIELD_BY_NAME, **(fields or {})}
    tests: list[_Node | None] = []
    for criterion in ruleset.criteria:
        tests.append(
            _compile(criterion.condition, ruleset.watch_lists, specs)
            if criterion.enabled else None
        )
    counts = Counter(node.key for test in tests if test is not None for node in test.walk())
    fields: set[str] = set()
    for criterion in ruleset.criteria:
        if criterion.enabled:
            fields.update(_fields(criterion.condition))
    return CompiledRuleSet(
        names=tuple(c.name for c in ruleset.criteria),
        lanes=tuple(c.lane for c in ruleset.criteria),
        priorities=tuple(c.priority for c in ruleset.criteria),
        tests=tuple(tests),
        random_rates={lane: rate for lane, rate in ruleset.random_rates.items() if rate > 0},
        seed=ruleset.seed,
        fields=frozenset(fields),
        shared=frozenset(key for key, count in counts.items() if count > 1),
    )


def _fields(node: Condition) -> Iterator[str]:
    if node.items:
        for item in node.items:
            yield from _fields(item)
    elif node.op in DERIVED_FIELDS:
        yield from DERIVED_FIELDS[node.op]
    elif node.field is not None:
        yield node.field


# -- results ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SelectivityResult:
    lanes: np.ndarray  # int8 lane code per row: an index into LANES
    hits: np.ndarray  # bool, criteria x rows (a disabled criterion hits nothing)
    deciding: np.ndarray  # int32 index of the criterion that set the lane, -1 if none
    random: np.ndarray  # bool: the lane came from the random selection
    names: tuple[str, ...]
    criterion_lanes: tuple[str, ...]

    def lane_names(self, rows: np.ndarray | slice | None = None) -> list[str]:
        lanes = self.lanes if rows is None else self.lanes[rows]
        return [LANES[code] for code in lanes.tolist()]

    def hit_rows(self, criterion: int) -> np.ndarray:
        return np.flatnonzero(self.hits[criterion])


@dataclass(frozen=True, eq=False)
class SelectivityRun:
    result: SelectivityResult
    metrics: TargetingMetrics


def run_selectivity(
    table: DeclarationTable,
    ruleset: RuleSet | CompiledRuleSet,
    *,
    workload: WorkloadSettings | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SelectivityRun:
    """Compile (unless already compiled), evaluate and measure in one call."""
    compiled = ruleset if isinstance(ruleset, CompiledRuleSet) else \
        compile_ruleset(ruleset, table.fields())
    result = compiled.evaluate(table, seed=seed, progress=progress)
    outcome = table.columns.get("non_compliant")
    declarations = table.columns.get("declaration_no")
    metrics = compute_metrics(
        result.lanes, result.hits, result.deciding, result.random,
        None if outcome is None else np.asarray(outcome),
        names=result.names, criterion_lanes=result.criterion_lanes, workload=workload,
        declaration_codes=declarations.codes if isinstance(declarations, CategoryColumn)
        else None,
    )
    return SelectivityRun(result, metrics)
