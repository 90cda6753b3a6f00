"""The facilitator's phase control, feedback and scores, and the workshop overview."""

from __future__ import annotations

import json

import pytest

from rmdesk.content.pack import ContentPack, Exercise, LocalizedText, builtin_pack
from rmdesk.domain.indicators import IndicatorPick
from rmdesk.errors import RmdeskError
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.register import RegisterService
from rmdesk.services.targeting import TargetingService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store
from rmdesk.store.models import TargetingRun


def small_pack() -> ContentPack:
    """The built-in pack with an E1, E7 and E8 added (their content may not exist yet)."""
    pack = builtin_pack()
    t = LocalizedText

    def exercise(id_: str, kind: str) -> Exercise:
        return Exercise(id=id_, kind=kind, title=t(en=f"Exercise {id_}"),
                        instructions=t(en="Do it."), model_answer=t(en=f"Model {id_}"))

    if all(pack.exercise(kind) for kind in ("context_scan", "profile", "targeting")):
        return pack
    extra = [exercise("e1", "context_scan"), exercise("e7", "profile"),
             exercise("e8", "targeting")]
    return pack.model_copy(update={"exercises": [*extra[:1], *pack.exercises, *extra[1:]]})


@pytest.fixture
def workshop(store: Store) -> tuple[str, list[str]]:
    workshops = WorkshopService(store)
    w = workshops.create_workshop(WorkshopInput("Regional"))
    return w.id, [workshops.add_group(w.id, name).id for name in ("Alpha", "Beta", "Gamma")]


def test_lock_and_reveal_per_exercise(store: Store, workshop) -> None:
    workshop_id, _groups = workshop
    service = FacilitationService(store)
    assert not service.is_locked(workshop_id, "e2e3")
    service.set_locked(workshop_id, "e2e3", True)
    service.set_revealed(workshop_id, "e6", True)
    assert service.is_locked(workshop_id, "e2e3") and not service.is_revealed(workshop_id, "e2e3")
    assert service.is_revealed(workshop_id, "e6") and not service.is_locked(workshop_id, "e6")
    before = service.phase(workshop_id, "e2e3").revision
    service.set_locked(workshop_id, "e2e3", True)  # no change, no new revision
    assert service.phase(workshop_id, "e2e3").revision == before
    service.set_locked(workshop_id, "e2e3", False)
    assert service.phase(workshop_id, "e2e3").revision == before + 1
    assert not service.is_locked(workshop_id, "e2e3")


def test_feedback_and_score_keep_the_groups_answer(store: Store, workshop) -> None:
    workshop_id, groups = workshop
    work = ExerciseWorkService(store)
    work.save(groups[0], "e1", {"objectives": ["Collect revenue"]})
    service = FacilitationService(store)
    service.set_feedback(groups[0], "e1", "Good PESTLE; objectives too vague.")
    service.set_score(groups[0], "e1", "7")
    state = work.load(groups[0], "e1")
    assert state.data == {"objectives": ["Collect revenue"]}
    assert state.status == "in_progress"
    assert (state.feedback, state.score) == ("Good PESTLE; objectives too vague.", 7)
    service.set_score(groups[0], "e1", None)
    assert work.load(groups[0], "e1").score is None


@pytest.mark.parametrize("bad", [-1, 101, "7.5", "ten", " "])
def test_bad_scores_are_refused(store: Store, workshop, bad) -> None:
    _w, groups = workshop
    service = FacilitationService(store)
    with pytest.raises(RmdeskError) as info:
        service.set_score(groups[0], "e1", bad)
    assert info.value.code == "score_out_of_range"
    assert "0 to 100" in str(info.value)


def test_feedback_too_long(store: Store, workshop) -> None:
    _w, groups = workshop
    with pytest.raises(RmdeskError) as info:
        FacilitationService(store).set_feedback(groups[0], "e1", "x" * 4001)
    assert info.value.code == "text_too_long"


def test_overview_derives_status_from_each_exercises_own_table(store: Store, workshop) -> None:
    workshop_id, (alpha, beta, gamma) = workshop
    pack = small_pack()
    RegisterService(store).add_risk(alpha, event="Undervaluation")
    deleted = RegisterService(store)
    risk = deleted.add_risk(beta, event="Gone")
    deleted.delete_risk(risk.id)  # a tombstone is not work
    TargetingService(store).choose(beta, IndicatorPick("I1", "origin", "arrival", "why"))
    TargetingService(store).save_profile(gamma, criteria={"criteria": []}, title="Shoes")
    with store.session() as s:
        s.add(TargetingRun(group_id=gamma, metrics_json=json.dumps({"hit_rate": 0.2})))
    work = ExerciseWorkService(store)
    work.save(beta, "e1", {"a": 1})
    work.set_status(gamma, "e1", "submitted")
    work.set_status(alpha, "e2e3", "submitted")  # a submitted register stays submitted
    FacilitationService(store).set_feedback(gamma, "e6", "Pick some indicators.")

    overview = FacilitationService(store).overview(workshop_id, pack)
    assert [name for _i, name in overview.groups] == ["Alpha", "Beta", "Gamma"]
    assert overview.exercise_ids == [e.id for e in pack.exercises]
    shown = ("e1", "e2e3", "e6", "e7", "e8")  # the others are not started by anyone
    table = {(g, e): overview.cell(g, e).status for g, _n in overview.groups
             for e in shown}
    assert {overview.cell(g, e).status for g, _n in overview.groups
            for e in overview.exercise_ids if e not in shown} == {"not_started"}
    assert table == {
        (alpha, "e1"): "not_started", (alpha, "e2e3"): "submitted", (alpha, "e6"): "not_started",
        (alpha, "e7"): "not_started", (alpha, "e8"): "not_started",
        (beta, "e1"): "in_progress", (beta, "e2e3"): "not_started", (beta, "e6"): "in_progress",
        (beta, "e7"): "not_started", (beta, "e8"): "not_started",
        (gamma, "e1"): "submitted", (gamma, "e2e3"): "not_started", (gamma, "e6"): "not_started",
        (gamma, "e7"): "in_progress", (gamma, "e8"): "in_progress",
    }
    assert overview.cell(gamma, "e6").feedback == "Pick some indicators."
    assert overview.counts("e1") == {"not_started": 1, "in_progress": 1, "submitted": 1}


def test_overview_of_a_workshop_without_groups(store: Store) -> None:
    workshop = WorkshopService(store).create_workshop(WorkshopInput("Empty"))
    overview = FacilitationService(store).overview(workshop.id, builtin_pack())
    assert overview.groups == [] and overview.cells == {}
