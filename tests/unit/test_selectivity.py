"""The selectivity engine on a hand-built table of 12 items in 10 declarations: every test,
AND/OR/NOT, lane precedence, random selection, metrics and workload computed by hand, and
validation errors with their codes and paths."""

from __future__ import annotations

import inspect
import json
import math
import re
from typing import Any

import numpy as np
import pytest

from rmdesk.domain import criteria as criteria_module
from rmdesk.domain import selectivity as selectivity_module
from rmdesk.domain import targeting_metrics as metrics_module
from rmdesk.domain.criteria import (
    LANES,
    MESSAGES,
    OPERATORS,
    CriteriaError,
    CriteriaIssue,
    RuleSet,
    check_ruleset,
    parse_ruleset,
    render_issue,
)
from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.domain.selectivity import compile_ruleset, run_selectivity
from rmdesk.domain.targeting_metrics import Confusion, WorkloadSettings, compute_metrics

NAN = float("nan")
MALICIOUS = "__import__('os').system('x')"

# row: declaration, hs_code, description, origin, importer, importer_compliance,
#      transhipment, date, containers, gross_weight, quantity, unit_value,
#      reference_price, non_compliant
ROWS: list[tuple[Any, ...]] = [
    ("D1", "870323", "Used cars", "JP", "Acme Ltd", 0.9, False, "2024-01-05", 1, 1500, 1, 8000, 10000, False),  # noqa: E501
    ("D1", "870324", "New SUV", "JP", "Acme Ltd", 0.9, False, "2024-01-05", 1, 1800, 1, 3000, 12000, True),  # noqa: E501
    ("D2", "610910", "Cotton T-shirts", "CN", "Blue Trading", 0.4, True, "2024-02-10", 2, 500, 1000, 1.5, 2, True),  # noqa: E501
    ("D3", "610910", "cotton t-shirts, printed", "BD", "Delta Imports", 0.7, False, "2024-02-20", 1, 50, 1000, 2.5, 2, False),  # noqa: E501
    ("D4", "300490", "Medicaments", "IN", "Pharma SA", 0.95, False, "2024-03-01", 0, 20, 100, 5, 6, False),  # noqa: E501
    ("D5", "300490", "medicaments (generic)", "CN", "Blue Trading", 0.4, True, "2024-03-15", 0, 30, 0, 4, 6, True),  # noqa: E501
    ("D6", "", "", "", "Unknown Co", NAN, False, "NaT", 0, NAN, 10, NAN, 5, False),
    ("D7", "940540", "LED lamps", "CN", "Light House", 0.6, False, "2024-04-01", 1, 200, 50, 4, 10, True),  # noqa: E501
    ("D8", "940540", MALICIOUS, "VN", "Light House", 0.6, True, "2024-04-02", 1, 100, 100, 9, 10, False),  # noqa: E501
    ("D9", "851712", "Mobile phones", "AE", "Gadget Hub", 0.2, True, "2024-05-10", 1, 10, 100, 20, 100, True),  # noqa: E501
    ("D9", "851712", "Phone accessories", "AE", "Gadget Hub", 0.2, True, "2024-05-10", 1, 30, 300, 1, 2, False),  # noqa: E501
    ("D10", "420221", "Handbags", "CN", "Fashion Co", 0.8, False, "2024-06-30", 1, 40, 20, 30, 200, True),  # noqa: E501
]
N = len(ROWS)
NON_COMPLIANT = [1, 2, 5, 7, 9, 11]


def make_table(outcome: bool = True, declarations: bool = True) -> DeclarationTable:
    cols = list(zip(*ROWS, strict=True))
    columns: dict[str, Any] = {
        "hs_code": CategoryColumn.from_strings(list(cols[1])),
        "description": CategoryColumn.from_strings(list(cols[2])),
        "origin": CategoryColumn.from_strings(list(cols[3])),
        "importer": CategoryColumn.from_strings(list(cols[4])),
        "importer_compliance": np.array(cols[5], dtype=float),
        "transhipment": np.array(cols[6], dtype=bool),
        "date": np.array(cols[7], dtype="datetime64[D]"),
        "containers": np.array(cols[8], dtype=np.int64),
        "gross_weight": np.array(cols[9], dtype=float),
        "quantity": np.array(cols[10], dtype=float),
        "unit_value": np.array(cols[11], dtype=float),
        "reference_price": np.array(cols[12], dtype=float),
    }
    if declarations:
        columns["declaration_no"] = CategoryColumn.from_strings(list(cols[0]))
    if outcome:
        columns["non_compliant"] = np.array(cols[13], dtype=bool)
    return DeclarationTable(columns)


def rule(name: str, lane: str, condition: dict[str, Any], priority: int = 0) -> dict[str, Any]:
    return {"name": name, "lane": lane, "priority": priority, "condition": condition}


def matched(
    condition: dict[str, Any], watch_lists: dict[str, list[str]] | None = None
) -> list[int]:
    ruleset = parse_ruleset(
        {"criteria": [rule("c", "red", condition)], "watch_lists": watch_lists or {}}
    )
    result = compile_ruleset(ruleset).evaluate(make_table())
    return np.flatnonzero(result.hits[0]).tolist()


def cond(field: str | None, op: str, value: Any = None, **bounds: Any) -> dict[str, Any]:
    condition: dict[str, Any] = {"op": op}
    if field is not None:
        condition["field"] = field
    if value is not None:
        condition["value"] = value
    condition.update(bounds)
    return condition

# -- every operator ---------------------------------------------------------------------

OPERATOR_CASES: list[tuple[dict[str, Any], list[int]]] = [
    # category: case-insensitive, empty (row 6) never matches, not even "not equal"
    (cond("origin", "eq", "cn"), [2, 5, 7, 11]),
    (cond("origin", "ne", "CN"), [0, 1, 3, 4, 8, 9, 10]),
    (cond("origin", "in", ["JP", "vn"]), [0, 1, 8]),
    (cond("origin", "not_in", ["CN", "JP"]), [3, 4, 8, 9, 10]),
    (cond("description", "contains", "COTTON"), [2, 3]),
    (cond("hs_code", "starts_with", "8703"), [0, 1]),
    (cond("hs_code", "starts_with", "61"), [2, 3]),
    (cond("origin", "is_empty"), [6]),
    # number: NaN (row 6) never matches
    (cond("importer_compliance", "eq", 0.6), [7, 8]),
    (cond("importer_compliance", "ne", 0.6), [0, 1, 2, 3, 4, 5, 9, 10, 11]),
    (cond("importer_compliance", "gt", 0.8), [0, 1, 4]),
    (cond("importer_compliance", "gte", 0.8), [0, 1, 4, 11]),
    (cond("importer_compliance", "lt", 0.4), [9, 10]),
    (cond("importer_compliance", "lte", 0.4), [2, 5, 9, 10]),
    (cond("importer_compliance", "between", min=0.4, max=0.7), [2, 3, 5, 7, 8]),
    (cond("importer_compliance", "is_empty"), [6]),
    # integer
    (cond("containers", "eq", 0), [4, 5, 6]),
    (cond("containers", "ne", 1), [2, 4, 5, 6]),
    (cond("containers", "in", [0, 2]), [2, 4, 5, 6]),
    (cond("containers", "not_in", [1]), [2, 4, 5, 6]),
    (cond("containers", "gt", 1), [2]),
    (cond("containers", "lte", 0), [4, 5, 6]),
    (cond("containers", "between", min=1, max=2), [0, 1, 2, 3, 7, 8, 9, 10, 11]),
    # date: NaT (row 6) never matches
    (cond("date", "between", min="2024-02-01", max="2024-03-31"), [2, 3, 4, 5]),
    (cond("date", "gt", "2024-05-10"), [11]),
    (cond("date", "gte", "2024-05-10"), [9, 10, 11]),
    (cond("date", "lt", "2024-01-06"), [0, 1]),
    (cond("date", "lte", "2024-01-05"), [0, 1]),
    (cond("date", "eq", "2024-05-10"), [9, 10]),
    (cond("date", "ne", "2024-05-10"), [0, 1, 2, 3, 4, 5, 7, 8, 11]),
    (cond("date", "is_empty"), [6]),
    # flag
    (cond("transhipment", "is_true"), [2, 5, 8, 9, 10]),
    (cond("transhipment", "is_false"), [0, 1, 3, 4, 6, 7, 11]),
    # unit value < 50 % of the reference: row 10 sits exactly on 50 % and is not below
    (cond(None, "unit_value_below_reference", 50), [1, 7, 9, 11]),
    (cond(None, "unit_value_below_reference", 100), [0, 1, 2, 4, 5, 7, 8, 9, 10, 11]),
    # weight per unit outside [0.1, 2]: bounds inclusive (rows 9, 10, 11 sit on them),
    # row 5 has quantity 0 and row 6 no weight: neither matches
    (cond(None, "weight_per_unit_outside", min=0.1, max=2), [0, 1, 3, 7]),
]


@pytest.mark.parametrize(
    ("condition", "expected"), OPERATOR_CASES, ids=[str(c) for c, _ in OPERATOR_CASES]
)
def test_each_operator_selects_the_rows_worked_out_by_hand(
    condition: dict[str, Any], expected: list[int]
) -> None:
    assert matched(condition) == expected


def test_every_operator_has_a_case() -> None:
    covered = {c["op"] for c, _ in OPERATOR_CASES} | {"in_watch_list", "and", "or", "not"}
    assert covered == set(OPERATORS)


def test_watch_list_matches_names_whatever_their_case() -> None:
    watch = {"risky traders": ["blue trading", "GADGET HUB", "Nobody Ltd"]}
    condition = cond("importer", "in_watch_list", "risky traders")
    assert matched(condition, watch) == [2, 5, 9, 10]


def test_code_like_text_is_only_compared_as_text() -> None:
    assert matched(cond("description", "eq", MALICIOUS)) == [8]
    assert matched(cond("description", "contains", "system('x')")) == [8]
    assert matched(cond("description", "in", [MALICIOUS, "'; DROP TABLE x; --"])) == [8]
    watch = {MALICIOUS: [MALICIOUS, "{0.__class__}"]}
    assert matched(cond("description", "in_watch_list", MALICIOUS), watch) == [8]
    assert matched(cond("description", "starts_with", "{0.__class__}")) == []


def test_the_engine_has_no_eval_or_exec() -> None:
    for module in (criteria_module, selectivity_module, metrics_module):
        source = inspect.getsource(module)
        assert not re.search(r"\b(eval|exec|compile|__import__)\(", source), module.__name__


# -- AND / OR / NOT ---------------------------------------------------------------------


def test_nested_and_or_groups() -> None:
    condition = {
        "op": "or",
        "items": [
            {"op": "and", "items": [cond("origin", "eq", "CN"), cond("transhipment", "is_true")]},
            {
                "op": "and",
                "items": [
                    cond("hs_code", "starts_with", "8703"),
                    cond(None, "unit_value_below_reference", 50),
                ],
            },
        ],
    }
    # (CN and transhipped: 2, 5) or (a car below half its reference: 1)
    assert matched(condition) == [1, 2, 5]


def test_not_negates_rows_including_those_with_empty_values() -> None:
    # NOT origin = CN: row 6 (no origin) did not match "= CN", so NOT matches it
    assert matched({"op": "not", "items": [cond("origin", "eq", "CN")]}) == [
        0, 1, 3, 4, 6, 8, 9, 10,
    ]
    nested = {
        "op": "and",
        "items": [
            cond("transhipment", "is_true"),
            {"op": "not", "items": [{"op": "or", "items": [
                cond("origin", "eq", "AE"), cond("origin", "eq", "VN")]}]},
        ],
    }
    assert matched(nested) == [2, 5]


def test_a_test_used_twice_gives_the_same_rows_each_time() -> None:
    shared = cond("origin", "eq", "CN")
    ruleset = parse_ruleset(
        {
            "criteria": [
                rule("a", "red", {"op": "and", "items": [shared, cond("transhipment", "is_true")]}),
                rule("b", "yellow", {"op": "or", "items": [shared, cond("origin", "eq", "JP")]}),
                rule("c", "blue", {"op": "not", "items": [shared]}),
            ]
        }
    )
    hits = compile_ruleset(ruleset).evaluate(make_table()).hits
    assert np.flatnonzero(hits[0]).tolist() == [2, 5]
    assert np.flatnonzero(hits[1]).tolist() == [0, 1, 2, 5, 7, 11]
    assert np.flatnonzero(hits[2]).tolist() == [0, 1, 3, 4, 6, 8, 9, 10]


# -- lanes, precedence, deciding criterion, metrics -------------------------------------

PRECEDENCE = [
    rule("CN origin", "yellow", cond("origin", "eq", "CN"), priority=1),  # 2 5 7 11
    rule("Transhipment", "red", cond("transhipment", "is_true"), priority=1),  # 2 5 8 9 10
    rule("Cars", "blue", cond("hs_code", "starts_with", "8703")),  # 0 1
    rule("Undervalued", "red", cond(None, "unit_value_below_reference", 50), priority=5),  # 1 7 9 11  # noqa: E501
    rule("Textiles scan", "orange", cond("hs_code", "starts_with", "61")),  # 2 3
    rule("Trusted", "green", cond("importer_compliance", "gte", 0.9)),  # 0 1 4
]


def precedence_run(**kwargs: Any) -> Any:
    return run_selectivity(make_table(**kwargs), parse_ruleset({"criteria": PRECEDENCE}))


def test_highest_lane_wins_and_highest_priority_decides_within_it() -> None:
    result = precedence_run().result
    assert result.lane_names() == [
        "blue", "red", "red", "orange", "green", "red", "green", "red", "red", "red", "red",
        "red",
    ]
    # row 9: Transhipment (red, 1) and Undervalued (red, 5) both hit: priority 5 decides
    # row 4: only the green criterion hit, and it set the lane; row 6: nothing hit
    assert result.deciding.tolist() == [2, 3, 1, 4, 5, 1, -1, 3, 1, 3, 1, 3]
    assert not result.random.any()
    assert result.hits.shape == (6, N)
    assert result.lanes.dtype == np.int8


def test_equal_lane_and_priority_the_first_criterion_decides() -> None:
    ruleset = parse_ruleset(
        {
            "criteria": [
                rule("first", "red", cond("origin", "eq", "CN"), priority=2),
                rule("second", "red", cond("transhipment", "is_true"), priority=2),
            ]
        }
    )
    result = compile_ruleset(ruleset).evaluate(make_table())
    assert result.deciding.tolist() == [-1, -1, 0, -1, -1, 0, -1, 0, 1, 1, 1, 0]


def test_disabled_criteria_hit_nothing() -> None:
    rules = [dict(r) for r in PRECEDENCE]
    rules[3]["enabled"] = False
    result = compile_ruleset(parse_ruleset({"criteria": rules})).evaluate(make_table())
    assert not result.hits[3].any()
    # row 1 was red through Undervalued; now Cars (blue) decides over Trusted (green)
    assert result.lane_names()[1] == "blue"
    assert result.deciding[1] == 2


def test_metrics_worked_out_by_hand() -> None:
    metrics = precedence_run().metrics
    assert metrics.rows == N
    assert metrics.lane_counts() == {"green": 2, "blue": 1, "yellow": 0, "orange": 1, "red": 8}
    assert metrics.selected == 10
    assert metrics.non_compliant == 6
    assert metrics.confusion == Confusion(tp=6, fp=4, fn=0, tn=2)
    assert metrics.selection_rate == pytest.approx(10 / 12)
    assert metrics.hit_rate == pytest.approx(0.6)
    assert metrics.detection_rate == pytest.approx(1.0)
    assert metrics.prevalence == pytest.approx(0.5)
    assert metrics.random_hit_rate == pytest.approx(0.5)
    assert metrics.random_detection_rate == pytest.approx(10 / 12)
    assert metrics.lift == pytest.approx(1.2)
    by_name = {c.name: (c.hits, c.finds, c.decided, c.hit_rate) for c in metrics.criteria}
    assert by_name == {
        "CN origin": (4, 4, 0, 1.0),
        "Transhipment": (5, 3, 4, 0.6),
        "Cars": (2, 1, 1, 0.5),
        "Undervalued": (4, 4, 4, 1.0),
        "Textiles scan": (2, 1, 1, 0.5),
        "Trusted": (3, 1, 1, pytest.approx(1 / 3)),
    }
    finds = {lane.lane: lane.finds for lane in metrics.lanes}
    assert finds == {"green": 0, "blue": 0, "yellow": 0, "orange": 0, "red": 6}


def test_workload_counts_declarations_in_their_highest_lane_and_their_items() -> None:
    # D1 has a blue and a red item: the declaration is examined red with 2 items.
    # Red: D1 D2 D5 D7 D8 D9 D10 = 7 declarations, 9 items; orange: D3 (1, 1 item).
    metrics = precedence_run().metrics
    lanes = {lane.lane: (lane.declarations, lane.items, lane.workload) for lane in metrics.lanes}
    assert lanes["red"] == (7, 9, 7 * 10 + 9 * 5)
    assert lanes["orange"] == (1, 1, 4)
    assert lanes["blue"] == (0, 0, 0)
    assert lanes["green"] == (2, 2, 0)
    assert metrics.workload.total == 119
    assert metrics.workload.capacity is None and not metrics.workload.over_capacity


def test_workload_against_capacity_with_custom_weights() -> None:
    table = make_table()
    ruleset = parse_ruleset({"criteria": PRECEDENCE})
    over = run_selectivity(table, ruleset, workload=WorkloadSettings(capacity=100)).metrics
    assert over.workload.over_capacity and over.workload.utilisation == pytest.approx(1.19)
    enough = run_selectivity(table, ruleset, workload=WorkloadSettings(capacity=119)).metrics
    assert not enough.workload.over_capacity  # at capacity is not over it
    weights = WorkloadSettings(
        per_declaration={"red": 2, "orange": 1, "blue": 0.5}, per_item={}, capacity=10
    )
    custom = run_selectivity(table, ruleset, workload=weights).metrics
    assert custom.workload.total == 7 * 2 + 1
    assert custom.workload.over_capacity


def test_without_declaration_numbers_each_row_is_a_one_item_declaration() -> None:
    metrics = precedence_run(declarations=False).metrics
    # red 8 rows: 8 * 10 + 8 * 5; orange 1 * 4; blue 1 * 1
    assert metrics.workload.total == 125


def test_workload_settings_reject_negative_weights() -> None:
    with pytest.raises(ValueError):
        WorkloadSettings(per_declaration={"red": -1})
    with pytest.raises(ValueError):
        WorkloadSettings(capacity=-5)


# -- random selection -------------------------------------------------------------------


def random_ruleset(seed: int, rates: dict[str, float]) -> RuleSet:
    return parse_ruleset(
        {
            "criteria": [rule("Undervalued", "red", cond(None, "unit_value_below_reference", 50))],
            "random_rates": rates,
            "seed": seed,
        }
    )


def test_random_rate_picks_an_exact_share_of_the_unselected_declarations_by_seed() -> None:
    """Random checks pick declarations none of whose items a criterion selected, and send
    all their items to the lane drawn."""
    table = make_table()
    run = run_selectivity(table, random_ruleset(7, {"red": 0.25, "yellow": 0.125}))
    result = run.result
    codes = table.column("declaration_no").codes
    values = table.column("declaration_no").values
    # hit by the criterion: rows 1 7 9 11, so D1, D7, D9 and D10 are out of the pool
    pool = sorted({values.index(d) for d in ("D2", "D3", "D4", "D5", "D6", "D8")})
    # 25 % of 6 = 1.5, rounded to 2 red; 12.5 % of 6 = 0.75, rounded to 1 yellow: the
    # smallest seeded keys (one per declaration) of the pool
    keys = np.random.default_rng(7).random(len(values))
    ranked = sorted(pool, key=lambda code: keys[code])
    rows = lambda picked: sorted(np.flatnonzero(np.isin(codes, picked)).tolist())  # noqa: E731
    assert np.flatnonzero(result.random).tolist() == rows(ranked[:3])
    assert np.flatnonzero((result.lanes == LANES.index("red")) & result.random).tolist() == \
        rows(ranked[:2])
    assert np.flatnonzero(result.lanes == LANES.index("yellow")).tolist() == rows(ranked[2:3])
    assert (result.deciding[result.random] == -1).all()
    assert run.metrics.random_selected == 3  # items: these declarations have one each
    assert run.metrics.selected == 4 + 3
    expected_finds = len(set(rows(ranked[:3])) & set(NON_COMPLIANT))
    assert run.metrics.random_finds == expected_finds
    assert run.metrics.random_sample_hit_rate == pytest.approx(expected_finds / 3)


def test_a_random_declaration_goes_whole_and_a_selected_one_never() -> None:
    table = make_table()
    run = run_selectivity(table, random_ruleset(2, {"red": 1.0}))
    codes = table.column("declaration_no").codes
    for code in np.unique(codes):
        rows = codes == code
        assert len(set(run.result.random[rows].tolist())) == 1  # all its items or none
    d9 = table.column("declaration_no").values.index("D9")
    assert not run.result.random[codes == d9].any()  # one of its items was selected
    # Without declaration numbers, each row is its own declaration.
    rows_only = run_selectivity(make_table(declarations=False), random_ruleset(2, {"red": 1.0}))
    assert rows_only.metrics.random_selected == 8


def test_random_selection_is_reproducible_and_follows_the_seed() -> None:
    table = make_table()
    first = run_selectivity(table, random_ruleset(3, {"red": 0.5})).result
    again = run_selectivity(table, random_ruleset(3, {"red": 0.5})).result
    assert np.array_equal(first.lanes, again.lanes)
    assert np.array_equal(first.random, again.random)
    picks = {
        tuple(np.flatnonzero(run_selectivity(table, random_ruleset(s, {"red": 0.5})).result.random))
        for s in range(10)
    }
    assert len(picks) > 1  # the seed matters
    overridden = run_selectivity(table, random_ruleset(3, {"red": 0.5}), seed=4).result
    assert np.array_equal(
        overridden.random, run_selectivity(table, random_ruleset(4, {"red": 0.5})).result.random
    )


def test_random_rate_rounds_to_the_nearest_whole_declaration() -> None:
    table = make_table()  # 6 declarations (of one item each) in the pool
    assert run_selectivity(table, random_ruleset(1, {"red": 0.05})).metrics.random_selected == 0
    assert run_selectivity(table, random_ruleset(1, {"red": 0.1})).metrics.random_selected == 1
    assert run_selectivity(table, random_ruleset(1, {"red": 1.0})).metrics.random_selected == 6


# -- zero divisions ---------------------------------------------------------------------


def test_nothing_selected_leaves_hit_rate_undefined() -> None:
    metrics = run_selectivity(make_table(), RuleSet()).metrics
    assert metrics.selected == 0
    assert metrics.selection_rate == 0
    assert metrics.hit_rate is None and metrics.lift is None
    assert metrics.random_hit_rate is None
    assert metrics.detection_rate == 0
    assert metrics.random_sample_hit_rate is None
    assert metrics.confusion == Confusion(tp=0, fp=0, fn=6, tn=6)


def test_no_non_compliant_rows_leaves_detection_rate_undefined() -> None:
    table = make_table()
    table.columns["non_compliant"] = np.zeros(N, dtype=bool)
    metrics = run_selectivity(table, parse_ruleset({"criteria": PRECEDENCE})).metrics
    assert metrics.hit_rate == 0
    assert metrics.detection_rate is None
    assert metrics.random_detection_rate is None
    assert metrics.prevalence == 0 and metrics.lift is None
    assert metrics.confusion == Confusion(tp=0, fp=10, fn=0, tn=2)


def test_without_the_outcome_only_selection_metrics_are_given() -> None:
    metrics = precedence_run(outcome=False).metrics
    assert metrics.selected == 10
    assert metrics.non_compliant is None and metrics.confusion is None
    assert metrics.hit_rate is None and metrics.detection_rate is None
    assert all(c.finds is None and c.hit_rate is None for c in metrics.criteria)


def test_an_empty_table_has_no_rates() -> None:
    empty = DeclarationTable(
        {
            "origin": CategoryColumn.from_strings([]),
            "transhipment": np.zeros(0, dtype=bool),
            "non_compliant": np.zeros(0, dtype=bool),
        }
    )
    ruleset = parse_ruleset(
        {"criteria": [rule("CN", "red", cond("origin", "eq", "CN"))], "random_rates": {"red": 0.1}}
    )
    metrics = run_selectivity(empty, ruleset).metrics
    assert metrics.rows == 0 and metrics.selected == 0
    for rate in (metrics.selection_rate, metrics.hit_rate, metrics.detection_rate,
                 metrics.prevalence, metrics.random_hit_rate, metrics.random_detection_rate):
        assert rate is None
    assert not any(isinstance(v, float) and math.isnan(v) for v in vars(metrics).values())


def test_compute_metrics_on_plain_arrays() -> None:
    lanes = np.array([4, 0, 2, 0], dtype=np.int8)
    hits = np.array([[1, 0, 0, 0], [1, 0, 1, 0]], dtype=bool)
    deciding = np.array([0, -1, 1, -1], dtype=np.int32)
    metrics = compute_metrics(
        lanes, hits, deciding, np.zeros(4, dtype=bool), np.array([1, 1, 0, 0], dtype=bool),
        names=("a", "b"), criterion_lanes=("red", "yellow"),
    )
    assert metrics.confusion == Confusion(tp=1, fp=1, fn=1, tn=1)
    assert [(c.hits, c.finds, c.decided) for c in metrics.criteria] == [(1, 1, 1), (2, 1, 1)]
    assert metrics.workload.total == 10 + 5 + 3


# -- serialisation ----------------------------------------------------------------------


def test_a_rule_set_survives_a_json_round_trip() -> None:
    ruleset = parse_ruleset(
        {
            "criteria": PRECEDENCE,
            "watch_lists": {"traders": ["Blue Trading"]},
            "random_rates": {"red": 0.02},
            "seed": 11,
        }
    )
    text = ruleset.model_dump_json(exclude_none=True)
    assert parse_ruleset(text) == ruleset
    assert parse_ruleset(json.loads(text)) == ruleset


# -- validation -------------------------------------------------------------------------


def issues_of(data: dict[str, Any], fields: list[str] | None = None) -> list[tuple[str, str]]:
    with pytest.raises(CriteriaError) as caught:
        parse_ruleset(data, fields)
    for issue in caught.value.issues:  # every issue renders, with all its parameters
        assert render_issue(issue, lambda s: s)
    assert str(caught.value)
    return [(i.code, i.path) for i in caught.value.issues]


def one(condition: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"criteria": [rule("ok", "red", {"op": "and", "items": [
        cond("origin", "eq", "CN"), condition]})], **extra}


VALIDATION_CASES: list[tuple[dict[str, Any], str, str]] = [
    (cond("nope", "eq", "x"), "unknown_field", "field"),
    (cond("non_compliant", "is_true"), "hidden_field", "field"),
    (cond("offence", "eq", "drugs"), "hidden_field", "field"),
    (cond("origin", "between", min="a", max="b"), "operator_not_for_field", "op"),
    (cond("transhipment", "eq", True), "operator_not_for_field", "op"),
    (cond("importer_compliance", "contains", "x"), "operator_not_for_field", "op"),
    (cond("origin", "matches", "x"), "unknown_operator", "op"),
    (cond(None, "eq", "x"), "field_required", "field"),
    (cond("unit_value", "unit_value_below_reference", 50), "field_not_used", "field"),
    (cond("origin", "eq"), "value_required", "value"),
    (cond("importer_compliance", "between", min=0.1), "value_required", "max"),
    (cond("transhipment", "is_true", True), "value_not_used", "value"),
    (cond("importer_compliance", "gt", 1, min=0), "value_not_used", "min"),
    (cond("origin", "eq", 156), "value_not_text", "value"),
    (cond("importer_compliance", "gt", "0.5"), "value_not_number", "value"),
    (cond("importer_compliance", "gt", True), "value_not_number", "value"),
    (cond("containers", "in", [1, "2"]), "value_not_number", "value[1]"),
    (cond("date", "gt", "31/01/2024"), "value_not_date", "value"),
    (cond("origin", "in", "CN"), "value_not_list", "value"),
    (cond("origin", "in", []), "empty_list", "value"),
    (cond("origin", "not_in", ["CN", ""]), "empty_text", "value[1]"),
    (cond("description", "contains", ""), "empty_text", "value"),
    (cond("importer_compliance", "between", min=0.9, max=0.1), "min_above_max", "min"),
    (cond("date", "between", min="2024-03-01", max="2024-01-01"), "min_above_max", "min"),
    (cond(None, "weight_per_unit_outside", min=5, max=1), "min_above_max", "min"),
    (cond(None, "weight_per_unit_outside", min=-1, max=1), "negative", "min"),
    (cond(None, "unit_value_below_reference", 0), "not_positive", "value"),
    (cond("importer", "in_watch_list", "missing list"), "unknown_watch_list", "value"),
    (cond("importer", "in_watch_list", 3), "value_not_text", "value"),
    ({"op": "or", "items": []}, "empty_group", "items"),
    ({"op": "not", "items": [cond("origin", "eq", "A"), cond("origin", "eq", "B")]},
     "not_needs_one_item", "items"),
    ({"op": "eq", "field": "origin", "value": "A", "items": [cond("origin", "eq", "B")]},
     "items_not_allowed", "items"),
]


@pytest.mark.parametrize(
    ("condition", "code", "where"), VALIDATION_CASES, ids=[c for _, c, _ in VALIDATION_CASES]
)
def test_invalid_conditions_give_a_code_and_the_path(
    condition: dict[str, Any], code: str, where: str
) -> None:
    assert issues_of(one(condition)) == [(code, f"criteria[0].condition.items[1].{where}")]


def test_the_path_reaches_deep_into_nested_groups() -> None:
    data = {
        "criteria": [
            rule("fine", "red", cond("origin", "eq", "CN")),
            rule("also fine", "red", cond("origin", "eq", "JP")),
            rule("broken", "yellow", {"op": "or", "items": [
                cond("origin", "eq", "CN"),
                {"op": "and", "items": [
                    cond("transhipment", "is_true"), cond("colour", "eq", "red")]},
            ]}),
        ]
    }
    assert issues_of(data) == [
        ("unknown_field", "criteria[2].condition.items[1].items[1].field")
    ]


def test_every_issue_is_reported_at_once() -> None:
    data = {
        "criteria": [
            rule("a", "red", {"op": "and", "items": [
                cond("nope", "eq", "x"), cond("non_compliant", "is_true")]}),
            rule("A", "red", cond("origin", "in", [])),
            rule(" ", "red", cond("origin", "eq", "CN")),
        ],
        "watch_lists": {"empty": [], "": ["x"]},
        "random_rates": {"red": 0.7, "yellow": 0.6, "blue": 1.5},
    }
    assert issues_of(data) == [
        ("empty_watch_list", 'watch_lists["empty"]'),
        ("watch_list_name_required", 'watch_lists[""]'),
        ("rate_out_of_range", 'random_rates["blue"]'),
        ("rates_above_one", "random_rates"),
        ("unknown_field", "criteria[0].condition.items[0].field"),
        ("hidden_field", "criteria[0].condition.items[1].field"),
        ("duplicate_name", "criteria[1].name"),
        ("empty_list", "criteria[1].condition.value"),
        ("name_required", "criteria[2].name"),
    ]


def test_structural_errors_have_codes_and_paths_too() -> None:
    assert issues_of({"criteria": [{"name": "x", "lane": "purple", "condition": cond(
        "origin", "eq", "CN")}]}) == [("not_one_of", "criteria[0].lane")]
    assert issues_of({"criteria": [{"name": "x", "condition": cond("origin", "eq", "CN")}]}) == [
        ("missing_key", "criteria[0].lane")
    ]
    assert issues_of({"criteria": [rule("x", "red", {"op": "eq", "field": "origin",
                                                      "value": "CN", "colour": 1})]}) == [
        ("unexpected_key", "criteria[0].condition.colour")
    ]
    assert issues_of({"random_rates": {"green": 0.1}}) == [("not_one_of", 'random_rates["green"]')]
    assert issues_of({"criteria": [rule("x", "red", {"op": "eq", "field": "origin",
                                                      "value": {"a": 1}})]})[0][0] == "malformed"


def test_nesting_too_deep_is_refused() -> None:
    condition: dict[str, Any] = cond("origin", "eq", "CN")
    for _ in range(criteria_module.MAX_DEPTH + 1):
        condition = {"op": "not", "items": [condition]}
    found = issues_of({"criteria": [rule("deep", "red", condition)]})
    assert found[0][0] == "too_deep"
    for _ in range(3000):  # past what pydantic itself will follow
        condition = {"op": "not", "items": [condition]}
    assert issues_of({"criteria": [rule("deeper", "red", condition)]}) == [
        ("too_deep", "criteria[0].condition")
    ]


def test_fields_missing_from_the_data_are_reported() -> None:
    data = {"criteria": [rule("a", "red", cond("freight", "gt", 10)),
                         rule("b", "red", cond(None, "weight_per_unit_outside", min=0, max=1))]}
    assert issues_of(data, fields=["freight", "gross_weight"]) == [
        ("field_not_in_data", "criteria[1].condition"),
    ]
    ruleset = parse_ruleset(data)
    with pytest.raises(CriteriaError) as caught:
        run_selectivity(make_table(), ruleset)
    assert [i.params["field"] for i in caught.value.issues] == ["freight"]


def test_check_ruleset_returns_nothing_for_a_valid_rule_set() -> None:
    ruleset = parse_ruleset({"criteria": PRECEDENCE, "watch_lists": {"w": ["x"]}})
    assert check_ruleset(ruleset) == []
    assert check_ruleset(ruleset, fields=list(make_table().columns)) == []


def test_messages_render_in_the_callers_language() -> None:
    issue = CriteriaIssue("operator_not_for_field", "criteria[0].condition.op",
                          {"op": "contains", "field": "importer_compliance"})
    french = {
        "“{op}” cannot be used on {field}.": "« {op} » ne s’applique pas à : {field}.",
        "contains the text": "contient le texte",
        "Importer compliance score": "Score de conformité de l’importateur",
    }
    assert render_issue(issue, lambda s: french.get(s, s)) == (
        "« contient le texte » ne s’applique pas à : Score de conformité de l’importateur."
    )
    assert render_issue(issue, lambda s: s) == (
        "“contains the text” cannot be used on Importer compliance score."
    )


def test_every_message_code_is_raised_somewhere() -> None:
    source = inspect.getsource(criteria_module)
    for code in MESSAGES:  # once as the key of its message, at least once where it is used
        assert source.count(f'"{code}"') >= 2, code


def test_progress_is_reported_per_criterion_and_raising_cancels() -> None:
    seen: list[tuple[int, int]] = []
    compiled = compile_ruleset(parse_ruleset({"criteria": PRECEDENCE}))
    compiled.evaluate(make_table(), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 6) for i in range(1, 7)]

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        compiled.evaluate(make_table(), progress=cancel)


def test_a_compiled_rule_set_runs_on_several_tables() -> None:
    compiled = compile_ruleset(parse_ruleset({"criteria": PRECEDENCE}))
    full = run_selectivity(make_table(), compiled)
    assert full.metrics.selected == 10
    half = DeclarationTable(
        {name: (CategoryColumn(col.codes[:6], col.values) if isinstance(col, CategoryColumn)
                else col[:6]) for name, col in make_table().columns.items()}
    )
    assert run_selectivity(half, compiled).result.lane_names() == full.result.lane_names()[:6]
