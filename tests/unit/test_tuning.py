"""E9: the plan's workload arithmetic (shares × yearly declarations × units, against the
stated capacity), a run's workload against the capacity scaled to the sample, and the
tuning checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmdesk.domain.tuning import (
    ALL_LANES,
    PlanRules,
    Tuning,
    check_tuning,
    plan_workload,
    render_tuning_finding,
    workload_from_run,
)

# A sample of 960 declarations (1000 items).
METRICS = {"rows": 1000, "lanes": [
    {"lane": "green", "rows": 850, "declarations": 850, "items": 850},
    {"lane": "yellow", "rows": 100, "declarations": 80, "items": 100},
    {"lane": "red", "rows": 50, "declarations": 30, "items": 50},
]}
RULES = PlanRules()  # the built-in pack's: 412,000 a year, 2 items each, 1.4 million units
# The model plan of the built-in pack (E9 model answer): 1,170,080 units, 84 %.
MODEL_PLAN = Tuning(expected={"red": 0.10, "orange": 0.03, "yellow": 0.20, "blue": 0.12,
                              "green": 0.55},
                    random_rates={"red": 0.01, "yellow": 0.005}, min_random_rate=0.015)


def texts(findings) -> list[str]:
    return [render_tuning_finding(f, lambda s: s, lambda v: f"{v:.0%}", lambda v: f"{v:,.0f}")
            for f in findings]


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_the_model_plan_is_the_model_answers_arithmetic() -> None:
    plan = plan_workload(MODEL_PLAN, RULES)
    lanes = {lane.lane: lane for lane in plan.lanes}
    assert lanes["red"].declarations == pytest.approx(41_200)
    assert lanes["red"].units == 20  # 10 per declaration + 5 per item × 2 items
    assert lanes["red"].workload == pytest.approx(824_000)
    assert lanes["orange"].workload == pytest.approx(49_440)
    assert lanes["yellow"].workload == pytest.approx(247_200)
    assert lanes["blue"].workload == pytest.approx(49_440)
    assert plan.total == pytest.approx(1_170_080)
    assert plan.utilisation == pytest.approx(0.8358, abs=1e-4)
    found = check_tuning(MODEL_PLAN, None, RULES)
    assert {f.severity for f in found if f.code != "no_run"} == {"good"}
    assert texts(found)[0] == ("Your plan needs 1,170,080 units a year for a capacity of "
                               "1,400,000: 84%, and 96% at the peak.")


def test_last_years_distribution_is_over_capacity() -> None:
    last_year = Tuning(expected={"red": 0.24, "yellow": 0.31, "blue": 0.07, "green": 0.38},
                       random_rates={"red": 0.02})
    found = check_tuning(last_year, None, RULES)
    over = next(f for f in found if f.code == "plan_over_capacity")
    assert over.severity == "error"
    assert over.params["workload"] == pytest.approx(2_389_600)  # 171 % in the model answer
    assert round(over.params["utilisation"], 2) == 1.71


def test_the_ministers_fifteen_per_cent_does_not_fit() -> None:
    minister = Tuning(expected={"red": 0.15, "yellow": 0.25, "blue": 0.10, "green": 0.50},
                      random_rates={"red": 0.01})
    assert plan_workload(minister, RULES).total == pytest.approx(1_586_200)
    assert "plan_over_capacity" in codes(check_tuning(minister, None, RULES))


def test_a_plan_without_headroom_for_the_peak_is_flagged() -> None:
    # 90 % of capacity fits a year, but not October at 15 % above the average.
    tight = Tuning(expected={"red": 0.1529, "green": 0.8471}, random_rates={"red": 0.01})
    found = check_tuning(tight, None, RULES)
    assert "plan_no_headroom" in codes(found)
    assert next(f for f in found if f.code == "plan_no_headroom").severity == "warning"


@given(st.dictionaries(st.sampled_from(ALL_LANES), st.integers(0, 1000), min_size=1))
def test_shares_must_total_100_per_cent(permille: dict[str, int]) -> None:
    tuning = Tuning(expected={lane: v / 1000 for lane, v in permille.items()},
                    random_rates={"red": 0.0})
    found = codes(check_tuning(tuning, None, RULES))
    total = sum(permille.values())
    if total == 0:
        assert "no_expected" in found
    elif total != 1000:
        assert "expected_not_total" in found
        assert not any(code.startswith("plan_") for code in found)
    else:
        assert "expected_not_total" not in found
        assert any(code.startswith("plan_") for code in found)


@given(st.dictionaries(st.sampled_from(ALL_LANES), st.integers(0, 100), min_size=5),
       st.integers(1, 5_000_000))
def test_plan_workload_is_shares_times_volume_times_units(percent: dict[str, int],
                                                          capacity: int) -> None:
    tuning = Tuning(expected={lane: v / 100 for lane, v in percent.items()},
                    capacity=float(capacity))
    plan = plan_workload(tuning, RULES)
    expected = sum(percent[lane] / 100 * 412_000 * (
        tuning.per_declaration.get(lane, 0) + 2 * tuning.per_item.get(lane, 0))
        for lane in percent)
    assert plan.total == pytest.approx(expected)
    assert plan.capacity == capacity
    assert plan.utilisation == pytest.approx(expected / capacity)


def test_random_checks_are_part_of_their_lanes_share() -> None:
    on_top = Tuning(expected={"red": 0.005, "green": 0.995}, random_rates={"red": 0.01})
    assert "random_above_expected" in codes(check_tuning(on_top, None, RULES))


def test_the_run_is_compared_with_the_capacity_scaled_to_the_sample() -> None:
    tuning = Tuning(per_declaration={"red": 10, "yellow": 3}, per_item={"red": 5})
    summary = workload_from_run(METRICS, tuning, RULES)
    loads = {load.lane: load for load in summary.lanes}
    assert loads["red"].workload == 30 * 10 + 50 * 5
    assert loads["yellow"].workload == 80 * 3
    assert summary.total == 550 + 240
    assert summary.declarations == 960
    assert summary.capacity == pytest.approx(1_400_000 * 960 / 412_000)  # about 3,262
    assert loads["yellow"].share == pytest.approx(80 / 960)  # of declarations, not items
    found = check_tuning(tuning, summary, RULES)
    assert codes(found)[-1] == "run_within_capacity"
    small = PlanRules(capacity=300_000)  # about 699 units for the sample
    assert codes(check_tuning(tuning, workload_from_run(METRICS, tuning, small), small)
                 )[-1] == "run_over_capacity"
    # A group's own capacity (a year) replaces the stated one.
    tuning.capacity = 300_000.0
    assert codes(check_tuning(tuning, workload_from_run(METRICS, tuning, RULES), RULES)
                 )[-1] == "run_over_capacity"


def test_random_rates_and_missing_run() -> None:
    tuning = Tuning(expected={"red": 0.2, "yellow": 0.9}, min_random_rate=0.05,
                    random_rates={"blue": 0.01})
    found = texts(check_tuning(tuning, None))
    assert "The random rates add up to 1%, below the minimum random rate of 5% you set." in found
    assert any(t.startswith("The expected shares add up to 110%") for t in found)
    assert found[-1].startswith("Run the targeting simulation (E8)")
    no_random = texts(check_tuning(Tuning(), None))
    assert no_random[0].startswith("No random selection is set")


def test_tuning_from_damaged_json_takes_defaults() -> None:
    tuning = Tuning.from_dict({"expected": {"red": 7, "blue": "x"}, "capacity": -3,
                               "random_rates": [1], "per_item": None})
    assert tuning.expected == {} and tuning.capacity is None and tuning.random_rates == {}
    assert tuning.per_item == {"red": 5.0}
    assert Tuning.from_dict(tuning.to_dict()) == tuning
