"""E9: workload arithmetic from a run's lane counts, and the tuning checks."""

from __future__ import annotations

from rmdesk.domain.tuning import Tuning, check_tuning, render_tuning_finding, workload_from_run

METRICS = {"rows": 1000, "lanes": [
    {"lane": "green", "rows": 850, "declarations": 850, "items": 850},
    {"lane": "yellow", "rows": 100, "declarations": 80, "items": 100},
    {"lane": "red", "rows": 50, "declarations": 30, "items": 50},
]}


def texts(findings) -> list[str]:
    return [render_tuning_finding(f, lambda s: s, lambda v: f"{v:.0%}", lambda v: f"{v:g}")
            for f in findings]


def test_workload_is_declarations_and_items_times_weights() -> None:
    tuning = Tuning(per_declaration={"red": 10, "yellow": 3}, per_item={"red": 5},
                    capacity=700)
    summary = workload_from_run(METRICS, tuning)
    loads = {load.lane: load for load in summary.lanes}
    assert loads["red"].workload == 30 * 10 + 50 * 5
    assert loads["yellow"].workload == 80 * 3
    assert summary.total == 550 + 240
    assert summary.utilisation == (550 + 240) / 700
    assert loads["yellow"].share == 0.1


def test_over_capacity_is_flagged() -> None:
    tuning = Tuning(random_rates={"yellow": 0.02}, per_declaration={"red": 10, "yellow": 3},
                    per_item={"red": 5}, capacity=700)
    assert texts(check_tuning(tuning, workload_from_run(METRICS, tuning)))[-1] == (
        "The workload (790) is above capacity (700): 113% of what the examiners can do. "
        "Lower the red selection or raise the capacity.")
    tuning.capacity = 1000
    assert texts(check_tuning(tuning, workload_from_run(METRICS, tuning)))[-1].startswith(
        "The workload (790) fits the capacity (1000)")


def test_random_rates_expected_shares_and_missing_run() -> None:
    tuning = Tuning(expected={"red": 0.2, "yellow": 0.9}, min_random_rate=0.05,
                    random_rates={"blue": 0.01})
    found = texts(check_tuning(tuning, None))
    assert "The random rates add up to 1%, below the minimum random rate of 5% you set." in found
    assert "The expected rates add up to 110%: they cannot exceed 100%." in found
    assert found[-1].startswith("Run the targeting simulation (E8) first")
    no_random = texts(check_tuning(Tuning(), None))
    assert no_random[0].startswith("No random selection is set")


def test_tuning_from_damaged_json_takes_defaults() -> None:
    tuning = Tuning.from_dict({"expected": {"red": 7, "blue": "x"}, "capacity": -3,
                               "random_rates": [1], "per_item": None})
    assert tuning.expected == {} and tuning.capacity is None and tuning.random_rates == {}
    assert tuning.per_item == {"red": 5.0}
    assert Tuning.from_dict(tuning.to_dict()) == tuning
