"""E6-E8 through the service layer, on a real store and generated declarations."""

from __future__ import annotations

import json

import pytest

from rmdesk.domain.criteria import CriteriaError
from rmdesk.domain.declaration_gen import generate_declarations
from rmdesk.domain.indicators import IndicatorPick
from rmdesk.services.targeting import TargetingService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store, open_store

UNDERVALUATION = {
    "criteria": [{"name": "Unit value far below reference", "lane": "red", "priority": 5,
                  "condition": {"op": "unit_value_below_reference", "value": 60}}],
    "random_rates": {"red": 0.01},
}
ORIGIN = {
    "criteria": [{"name": "Kestrian origin, other consignment", "lane": "yellow",
                  "condition": {"op": "and", "items": [
                      {"op": "eq", "field": "origin", "value": "KT"},
                      {"op": "ne", "field": "consignment", "value": "KT"}]}}],
}


@pytest.fixture
def group_id(store: Store) -> str:
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(WorkshopInput("Targeting"))
    return workshops.add_group(workshop.id, "Group 1").id


def test_indicator_choices_persist_and_can_be_removed(store: Store, group_id: str,
                                                      tmp_path) -> None:
    service = TargetingService(store)
    service.choose(group_id, IndicatorPick("I01", "unit_value", "pre_arrival", "Case R1"))
    service.choose(group_id, IndicatorPick("I07", "route", "pre_arrival", ""))
    service.choose(group_id, IndicatorPick("I01", "reference_price", "arrival", "changed"))
    service.unchoose(group_id, "I07")
    store.close()
    reopened = open_store(tmp_path / "data")
    try:
        assert TargetingService(reopened).picks(group_id) == [
            IndicatorPick("I01", "reference_price", "arrival", "changed")]
    finally:
        reopened.close()


def test_invalid_criteria_are_refused_and_nothing_is_saved(store: Store, group_id: str) -> None:
    service = TargetingService(store)
    bad = {"criteria": [{"name": "x", "lane": "red",
                         "condition": {"op": "eq", "field": "offence", "value": "drugs"}}]}
    with pytest.raises(CriteriaError) as caught:
        service.save_profile(group_id, criteria=bad, title="Cheating profile")
    assert any(issue.path.startswith("criteria[0]") for issue in caught.value.issues)
    assert service.profiles(group_id) == []


def test_profiles_run_over_the_data_and_runs_are_kept(store: Store, group_id: str) -> None:
    service = TargetingService(store)
    service.save_profile(group_id, criteria=UNDERVALUATION, title="Undervaluation",
                         area="revenue", lane="red")
    service.save_profile(group_id, criteria=ORIGIN, title="Origin fraud", area="revenue")
    table = generate_declarations(3000, seed=11)
    run_id, outcome = service.run(group_id, table=table, dataset="test:3000:11")
    metrics = outcome.metrics
    assert [c.name for c in metrics.criteria] == ["Unit value far below reference",
                                                  "Kestrian origin, other consignment"]
    assert metrics.selected == metrics.rows - metrics.lane_counts()["green"]
    assert metrics.hit_rate is not None and metrics.prevalence is not None
    assert metrics.hit_rate > 2 * metrics.prevalence  # good indicators beat random checks
    (stored,) = service.runs(group_id)
    assert stored.id == run_id and stored.dataset == "test:3000:11"
    saved = json.loads(stored.metrics_json)
    assert saved["selected"] == metrics.selected
    assert saved["confusion"]["tp"] == metrics.confusion.tp
    service.run(group_id, table=table)
    assert len(service.runs(group_id)) == 2  # every attempt kept for comparison
