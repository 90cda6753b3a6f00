"""Properties of the selectivity engine on random small tables and random criteria.

The hits are checked against a plain row-by-row interpreter of the same conditions, so
every operator's handling of case, empty values, NaN, NaT and bounds is compared with an
obviously correct (and slow) reading of the rules.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.domain.criteria import LANE_CODE, LANES, RuleSet, parse_ruleset
from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.domain.selectivity import SelectivityRun, run_selectivity

NAN = float("nan")
ORIGINS = ["CN", "cn", "JP", "VN", "Ab", ""]
HS_CODES = ["870323", "870324", "610910", "6109", "85", ""]
TEXTS = ["CN", "jp", "vn", "ab", "8703", "61", "6109", "870323", "N", "zz"]
NUMBERS = [0.0, 0.2, 0.5, 0.9, 1.0, NAN]
DATES = ["2024-01-01", "2024-01-02", "2024-02-01", "NaT"]
PLAIN_DATES = [d for d in DATES if d != "NaT"]
AMOUNTS = [0.0, 0.5, 1.0, 2.0, 10.0, NAN]
WATCH_LIST = ["cn", "JP", "6109"]

# -- tables -----------------------------------------------------------------------------


@st.composite
def tables(draw: st.DrawFn, min_rows: int = 0) -> DeclarationTable:
    n = draw(st.integers(min_rows, 25))

    def column(values: list[Any]) -> list[Any]:
        return draw(st.lists(st.sampled_from(values), min_size=n, max_size=n))

    return DeclarationTable(
        {
            "declaration_no": CategoryColumn.from_strings(column(["D1", "D2", "D3", ""])),
            "origin": CategoryColumn.from_strings(column(ORIGINS)),
            "hs_code": CategoryColumn.from_strings(column(HS_CODES)),
            "importer_compliance": np.array(column(NUMBERS), dtype=float),
            "containers": np.array(column([0, 1, 2, 3]), dtype=np.int64),
            "transhipment": np.array(column([False, True]), dtype=bool),
            "date": np.array(column(DATES), dtype="datetime64[D]"),
            "unit_value": np.array(column(AMOUNTS), dtype=float),
            "reference_price": np.array(column(AMOUNTS), dtype=float),
            "gross_weight": np.array(column(AMOUNTS), dtype=float),
            "quantity": np.array(column(AMOUNTS), dtype=float),
            "non_compliant": np.array(column([False, True]), dtype=bool),
        }
    )


# -- conditions -------------------------------------------------------------------------


def ranges(values: list[Any]) -> st.SearchStrategy[tuple[Any, Any]]:
    return st.tuples(st.sampled_from(values), st.sampled_from(values)).map(
        lambda pair: tuple(sorted(pair))
    )


def leaf(field: str | None, op: str, **rest: Any) -> dict[str, Any]:
    return {"op": op, **({"field": field} if field else {}), **rest}


category_field = st.sampled_from(["origin", "hs_code"])
text = st.sampled_from(TEXTS)
finite_numbers = [x for x in NUMBERS if not math.isnan(x)]
LEAVES = st.one_of(
    st.builds(lambda f, o, v: leaf(f, o, value=v), category_field,
              st.sampled_from(["eq", "ne", "contains", "starts_with"]), text),
    st.builds(lambda f, o, v: leaf(f, o, value=v), category_field,
              st.sampled_from(["in", "not_in"]), st.lists(text, min_size=1, max_size=3)),
    st.builds(lambda f: leaf(f, "in_watch_list", value="wl"), category_field),
    st.builds(lambda f, o: leaf(f, o), st.sampled_from(["origin", "importer_compliance", "date"]),
              st.just("is_empty")),
    st.builds(lambda o, v: leaf("importer_compliance", o, value=v),
              st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
              st.sampled_from(finite_numbers)),
    st.builds(lambda r: leaf("importer_compliance", "between", min=r[0], max=r[1]),
              ranges(finite_numbers)),
    st.builds(lambda o, v: leaf("containers", o, value=v),
              st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]), st.integers(0, 3)),
    st.builds(lambda o, v: leaf("containers", o, value=v), st.sampled_from(["in", "not_in"]),
              st.lists(st.integers(0, 3), min_size=1, max_size=3)),
    st.builds(lambda r: leaf("containers", "between", min=r[0], max=r[1]),
              ranges([0, 1, 2, 3])),
    st.builds(lambda o, v: leaf("date", o, value=v),
              st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
              st.sampled_from(PLAIN_DATES)),
    st.builds(lambda r: leaf("date", "between", min=r[0], max=r[1]), ranges(PLAIN_DATES)),
    st.builds(lambda o: leaf("transhipment", o), st.sampled_from(["is_true", "is_false"])),
    st.builds(lambda p: leaf(None, "unit_value_below_reference", value=p),
              st.sampled_from([10, 50, 100, 150.5])),
    st.builds(lambda r: leaf(None, "weight_per_unit_outside", min=r[0], max=r[1]),
              ranges([0.0, 0.5, 1.0, 2.0])),
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.builds(lambda o, items: {"op": o, "items": items}, st.sampled_from(["and", "or"]),
                  st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda item: {"op": "not", "items": [item]}, children),
    ),
    max_leaves=6,
)


@st.composite
def criteria_lists(draw: st.DrawFn, max_size: int = 5) -> list[dict[str, Any]]:
    conditions = draw(st.lists(CONDITIONS, max_size=max_size))
    return [
        {
            "name": f"c{draw(st.integers(0, 10**6))}-{i}",
            "lane": draw(st.sampled_from(LANES)),
            "priority": draw(st.integers(0, 2)),
            "enabled": draw(st.booleans()),
            "condition": condition,
        }
        for i, condition in enumerate(conditions)
    ]


def ruleset(criteria: list[dict[str, Any]], **extra: Any) -> RuleSet:
    return parse_ruleset({"criteria": criteria, "watch_lists": {"wl": WATCH_LIST}, **extra})


# -- the reference: one row at a time ---------------------------------------------------


def row_values(table: DeclarationTable, row: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, column in table.columns.items():
        if isinstance(column, CategoryColumn):
            values[name] = column.decode(np.array([row]))[0]
        elif column.dtype.kind == "M":
            day = column[row]
            values[name] = None if np.isnat(day) else day.astype(object)
        else:
            values[name] = column[row].item()
    return values


def holds(node: dict[str, Any], row: dict[str, Any]) -> bool:
    op = node["op"]
    if op == "and":
        return all(holds(item, row) for item in node["items"])
    if op == "or":
        return any(holds(item, row) for item in node["items"])
    if op == "not":
        return not holds(node["items"][0], row)
    if op == "unit_value_below_reference":
        reference = row["reference_price"]
        return reference > 0 and row["unit_value"] < reference * (node["value"] / 100)
    if op == "weight_per_unit_outside":
        quantity = row["quantity"]
        if not quantity > 0:
            return False
        per_unit = row["gross_weight"] / quantity
        return per_unit < node["min"] or per_unit > node["max"]
    value = row[node["field"]]
    if op == "is_true":
        return bool(value)
    if op == "is_false":
        return not value
    missing = value is None or value == "" or (isinstance(value, float) and math.isnan(value))
    if op == "is_empty":
        return missing
    if missing:
        return False
    if isinstance(value, str):
        value = value.casefold()

        def norm(x: Any) -> Any:
            return str(x).casefold()
    elif isinstance(value, date):
        def norm(x: Any) -> Any:
            return date.fromisoformat(x)
    else:
        def norm(x: Any) -> Any:
            return x
    if op == "in_watch_list":
        return value in {norm(x) for x in WATCH_LIST}
    if op in ("in", "not_in"):
        return (value in {norm(x) for x in node["value"]}) == (op == "in")
    if op == "between":
        return norm(node["min"]) <= value <= norm(node["max"])
    target = norm(node["value"])
    return {
        "eq": lambda: value == target,
        "ne": lambda: value != target,
        "gt": lambda: value > target,
        "gte": lambda: value >= target,
        "lt": lambda: value < target,
        "lte": lambda: value <= target,
        "contains": lambda: target in value,
        "starts_with": lambda: value.startswith(target),
    }[op]()


def expected_lane_and_decider(
    criteria: list[dict[str, Any]], row: dict[str, Any]
) -> tuple[int, int]:
    best: tuple[int, int, int] | None = None
    for i, criterion in enumerate(criteria):
        if criterion["enabled"] and holds(criterion["condition"], row):
            key = (LANE_CODE[criterion["lane"]], criterion["priority"], -i)
            best = key if best is None or key > best else best
    return (LANE_CODE["green"], -1) if best is None else (best[0], -best[2])


def check_metric_identities(run: SelectivityRun, n: int) -> None:
    m = run.metrics
    assert m.confusion is not None and m.non_compliant is not None
    c = m.confusion
    assert c.tp + c.fp + c.fn + c.tn == n
    assert c.tp + c.fp == m.selected
    assert sum(m.lane_counts().values()) == n
    assert m.selected == int(np.count_nonzero(run.result.lanes != LANE_CODE["green"]))
    if n:
        assert m.selection_rate is not None and round(m.selection_rate * n) == m.selected
    else:
        assert m.selection_rate is None
    if m.hit_rate is not None:
        assert round(m.hit_rate * m.selected) == c.tp
    else:
        assert m.selected == 0
    if m.detection_rate is not None:
        assert round(m.detection_rate * m.non_compliant) == c.tp
    else:
        assert m.non_compliant == 0
    for rate in (m.selection_rate, m.hit_rate, m.detection_rate, m.prevalence,
                 m.random_hit_rate, m.random_detection_rate, m.lift):
        assert rate is None or (math.isfinite(rate) and rate >= 0)
    for stats in run.metrics.criteria:
        assert stats.finds is not None and stats.finds <= stats.hits
        assert stats.decided <= stats.hits
        assert (stats.hit_rate is None) == (stats.hits == 0)


# -- properties -------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(tables(), criteria_lists())
def test_lanes_hits_and_deciders_agree_with_a_row_by_row_reading(
    table: DeclarationTable, criteria: list[dict[str, Any]]
) -> None:
    run = run_selectivity(table, ruleset(criteria))
    result = run.result
    assert not result.random.any()
    for r in range(len(table)):
        row = row_values(table, r)
        for i, criterion in enumerate(criteria):
            expected = criterion["enabled"] and holds(criterion["condition"], row)
            assert result.hits[i, r] == expected, (i, r, criterion["condition"], row)
        lane, decider = expected_lane_and_decider(criteria, row)
        assert result.lanes[r] == lane
        assert result.deciding[r] == decider
    check_metric_identities(run, len(table))


@settings(max_examples=200, deadline=None)
@given(tables(min_rows=1), st.lists(LEAVES, min_size=1, max_size=12))
def test_every_single_test_agrees_with_a_row_by_row_reading(
    table: DeclarationTable, leaves: list[dict[str, Any]]
) -> None:
    criteria = [
        {"name": f"t{i}", "lane": "red", "enabled": True, "priority": 0, "condition": node}
        for i, node in enumerate(leaves)
    ]
    hits = run_selectivity(table, ruleset(criteria)).result.hits
    for r in range(len(table)):
        row = row_values(table, r)
        for i, node in enumerate(leaves):
            assert hits[i, r] == holds(node, row), (node, row)


@settings(max_examples=100, deadline=None)
@given(
    tables(),
    criteria_lists(),
    st.dictionaries(st.sampled_from(["red", "orange", "yellow", "blue"]),
                    st.sampled_from([0.0, 0.1, 0.2, 0.25]), max_size=4),
    st.integers(0, 2**32),
)
def test_random_selection_only_touches_rows_no_criterion_selected(
    table: DeclarationTable, criteria: list[dict[str, Any]], rates: dict[str, float], seed: int
) -> None:
    plain = run_selectivity(table, ruleset(criteria))
    run = run_selectivity(table, ruleset(criteria, random_rates=rates, seed=seed))
    chosen = run.result.random
    green = LANE_CODE["green"]
    # rows not picked at random keep the lane the criteria gave them
    assert np.array_equal(run.result.lanes[~chosen], plain.result.lanes[~chosen])
    assert np.array_equal(run.result.deciding[~chosen], plain.result.deciding[~chosen])
    # the picked rows were green, and now are in a lane that has a random rate
    assert (plain.result.lanes[chosen] == green).all()
    assert all(LANES[code] in rates for code in run.result.lanes[chosen])
    assert (run.result.deciding[chosen] == -1).all()
    # Declarations are drawn: an empty number makes a row a declaration of its own.
    numbers = table.column("declaration_no").decode() if len(table) else []
    units = [number or f"row {i}" for i, number in enumerate(numbers)]
    green_units = {u for u in units} - {u for u, lane in zip(units, plain.result.lanes,
                                                              strict=True) if lane != green}
    pool = len(green_units)
    expected = min(pool, sum(math.floor(r * pool + 0.5) for r in rates.values()))
    picked = {u for u, c in zip(units, chosen, strict=True) if c}
    assert len(picked) == expected and picked <= green_units
    # all the items of a drawn declaration, in one lane
    for unit in picked:
        rows = [i for i, u in enumerate(units) if u == unit]
        assert chosen[rows].all() and len(set(run.result.lanes[rows].tolist())) == 1
    assert int(np.count_nonzero(chosen)) == run.metrics.random_selected
    again = run_selectivity(table, ruleset(criteria, random_rates=rates, seed=seed))
    assert np.array_equal(again.result.lanes, run.result.lanes)
    check_metric_identities(run, len(table))


@settings(max_examples=100, deadline=None)
@given(tables(min_rows=1), criteria_lists(max_size=4), criteria_lists(max_size=1))
def test_adding_a_criterion_never_lowers_a_lane(
    table: DeclarationTable, criteria: list[dict[str, Any]], extra: list[dict[str, Any]]
) -> None:
    before = run_selectivity(table, ruleset(criteria))
    more = criteria + [{**c, "name": f"extra {i}"} for i, c in enumerate(extra)]
    after = run_selectivity(table, ruleset(more))
    assert (after.result.lanes >= before.result.lanes).all()
    selected_before = before.result.lanes != LANE_CODE["green"]
    selected_after = after.result.lanes != LANE_CODE["green"]
    assert not (selected_before & ~selected_after).any()
    assert after.metrics.selected >= before.metrics.selected
    confusion_before, confusion_after = before.metrics.confusion, after.metrics.confusion
    assert confusion_before is not None and confusion_after is not None
    assert confusion_after.tp >= confusion_before.tp
