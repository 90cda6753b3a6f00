"""The demo workshop: Group 1 has done the whole workshop, Group 2 is midway with the
mistakes "Check my work" is there to catch, Group 3 has barely started."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rmdesk.content.pack import ContentPack, builtin_pack
from rmdesk.domain.checks import ERROR, WARNING, Finding, check_analysis, check_register
from rmdesk.domain.compliance_pyramid import CompliancePyramid, SegmentInfo, check_pyramid
from rmdesk.domain.context_scan import ContextScan, check_context_scan
from rmdesk.domain.evaluation import Evaluation, check_evaluation, ranked
from rmdesk.domain.indicators import check_indicator_selection, key_of
from rmdesk.domain.kpi_plan import KpiPlan, check_kpi_plan
from rmdesk.domain.maturity import MaturityAssessment, check_maturity
from rmdesk.domain.passengers import PassengerWork, check_passengers
from rmdesk.domain.profile_logic import (
    check_profiles,
    summarize_profile,
)
from rmdesk.domain.regional_project import RegionalProject, check_regional_project
from rmdesk.domain.treatment import TreatmentPlan, check_treatment, risks_to_treat
from rmdesk.domain.tuning import Tuning, check_tuning, workload_from_run
from rmdesk.services import intelligence
from rmdesk.services.demo import create_demo
from rmdesk.services.exercises import SUBMITTED, ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.reports import gather_group_report, write_group_pdf
from rmdesk.services.targeting import TargetingService, builtin_table
from rmdesk.services.work_checks import WorkChecks
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import WorkGroup, Workshop

PROFILE_FIELDS = ("area", "description", "action", "instructions", "owner", "effectiveness",
                  "activation_date", "review_date")


def findings_by_exercise(store: Store, pack: ContentPack,
                         group_id: str) -> dict[str, list[Finding]]:
    """What "Check my work" says on each exercise the group has started."""
    work = ExerciseWorkService(store)
    targeting = TargetingService(store)
    risks = RegisterService(store).list_risks(group_id)
    found: dict[str, list[Finding]] = {}
    for exercise in pack.exercises:
        data = work.load(group_id, exercise.id).data
        kind = exercise.kind
        if kind == "register_analysis" and risks:
            found[exercise.id] = check_register(risks) + check_analysis(risks)
        elif kind == "indicator_selection" and targeting.picks(group_id):
            found[exercise.id] = check_indicator_selection(targeting.picks(group_id),
                                                           key_of(pack.indicators))
        elif kind == "profile" and targeting.profiles(group_id):
            summaries = [summarize_profile(p.title, {n: getattr(p, n) for n in PROFILE_FIELDS},
                                           p.criteria_json, builtin_table)
                         for p in targeting.profiles(group_id)]
            found[exercise.id] = check_profiles(summaries, str, exercise.profile_limits())
        elif not data:
            continue
        elif kind == "context_scan":
            found[exercise.id] = check_context_scan(ContextScan.from_dict(data))
        elif kind == "evaluation":
            max_accepted = exercise.appetite.max_accepted_score if exercise.appetite else 9
            found[exercise.id] = check_evaluation(
                ranked(Evaluation.from_dict(data), risks), max_accepted)
        elif kind == "treatment":
            e4 = pack.exercise("evaluation")
            evaluation = Evaluation.from_dict(work.load(group_id, e4.id).data) if e4 else None
            found[exercise.id] = check_treatment(risks_to_treat(risks, evaluation),
                                                 TreatmentPlan.from_dict(data))
        elif kind == "tuning":
            runs = targeting.runs(group_id)
            tuning = Tuning.from_dict(data)
            summary = workload_from_run(json.loads(runs[-1].metrics_json), tuning,
                                        exercise.plan_rules()) if runs else None
            found[exercise.id] = check_tuning(tuning, summary, exercise.plan_rules())
        elif kind == "kpi_plan":
            found[exercise.id] = check_kpi_plan(KpiPlan.from_dict(data))
        elif kind == "regional_project":
            found[exercise.id] = check_regional_project(RegionalProject.from_dict(data))
        elif kind == "maturity":
            found[exercise.id] = check_maturity(MaturityAssessment.from_dict(data),
                                                [d.id for d in exercise.dimensions])
        elif kind == "compliance_survey":
            from rmdesk.domain.compliance_survey import ComplianceSurvey
            from rmdesk.services.compliance_survey import SurveyService

            found[exercise.id] = SurveyService(store).findings(
                group_id, ComplianceSurvey.from_dict(data))
        elif kind == "compliance_pyramid":
            found[exercise.id] = check_pyramid(
                CompliancePyramid.from_dict(data),
                [SegmentInfo(s.id, s.aeo) for s in exercise.segments],
                WorkChecks(store, pack).treatments(group_id))
        elif kind == "intelligence":
            found[exercise.id] = intelligence.check(store, exercise, group_id, data, "en",
                                                    str)[0]
        elif kind == "passenger_targeting":
            found[exercise.id] = check_passengers(PassengerWork.from_dict(data))
    return found


def problems(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in (ERROR, WARNING)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Store, Workshop, list[WorkGroup]]]:
    store = open_store(tmp_path_factory.mktemp("demo") / "data")
    workshop = create_demo(store)
    groups = WorkshopService(store).list_groups(workshop.id)
    yield store, workshop, groups
    store.close()


def test_group_1_has_an_answer_for_every_exercise_and_no_error(demo) -> None:  # noqa: ANN001
    store, _, groups = demo
    pack = builtin_pack()
    group = groups[0]
    targeting = TargetingService(store)
    found = findings_by_exercise(store, pack, group.id)
    targeting_exercise = pack.exercise("targeting")
    answered = set(found) | ({targeting_exercise.id} if targeting.runs(group.id) else set())
    assert answered == {e.id for e in pack.exercises}
    errors = {eid: [f.code for f in fs if f.severity == ERROR] for eid, fs in found.items()}
    assert not any(errors.values()), errors
    assert len(targeting.profiles(group.id)) == 2
    assert len(targeting.runs(group.id)) == 2
    statuses = ExerciseWorkService(store).statuses(group.id)
    assert SUBMITTED in statuses.values()


def test_group_1_profiles_select_well_on_the_practice_data(demo) -> None:  # noqa: ANN001
    store, _, groups = demo
    runs = TargetingService(store).runs(groups[0].id)
    metrics = json.loads(runs[-1].metrics_json)
    assert metrics["hit_rate"] > 3 * metrics["random_hit_rate"]
    for criterion in metrics["criteria"]:
        if criterion["hits"]:
            assert criterion["hit_rate"] >= 0.5, criterion


def test_group_2_is_midway_and_its_checks_find_problems(demo) -> None:  # noqa: ANN001
    store, _, groups = demo
    pack = builtin_pack()
    found = findings_by_exercise(store, pack, groups[1].id)
    assert 3 <= len(found) < len(pack.exercises)
    with_problems = [eid for eid, fs in found.items() if problems(fs)]
    assert len(with_problems) >= 3, with_problems
    codes = {f.code for fs in found.values() for f in fs}
    assert "accepted_above_appetite" in codes  # E4: a risk above the appetite accepted
    assert "forbidden_field" in codes  # E16: a passenger profile on nationality


def test_group_1_targeting_work_passes_the_packs_rules(demo) -> None:  # noqa: ANN001
    """E6-E9 of the group that has done everything well: no error and no warning from
    the pack's rules (data elements, selection limit, review period, plan arithmetic)."""
    store, _, groups = demo
    pack = builtin_pack()
    found = findings_by_exercise(store, pack, groups[0].id)
    for kind in ("indicator_selection", "profile", "tuning"):
        exercise = pack.exercise(kind)
        assert exercise is not None
        assert found[exercise.id], kind
        assert not problems(found[exercise.id]), [(f.code, f.params) for f in
                                                  found[exercise.id]]
    tuning = {f.code for f in found[pack.exercise("tuning").id]}
    assert {"plan_within_capacity", "run_within_capacity"} <= tuning


def test_group_2_shows_the_targeting_mistakes(demo) -> None:  # noqa: ANN001
    """The mistakes its file promises for E6 and E7 are found by the pack's rules."""
    store, _, groups = demo
    pack = builtin_pack()
    found = findings_by_exercise(store, pack, groups[1].id)
    e6 = {(f.code, f.params.get("indicator")) for f in found[pack.exercise(
        "indicator_selection").id]}
    assert ("field_not_fitting", "I10") in e6
    assert ("phase_missing", "I08") in e6 and ("reason_missing", "I17") in e6
    e7 = {f.code for f in found[pack.exercise("profile").id]}
    assert {"profile_selects_too_much", "profile_review_before_activation"} <= e7


def test_group_3_has_started_only_a_few_exercises(demo) -> None:  # noqa: ANN001
    store, _, groups = demo
    pack = builtin_pack()
    found = findings_by_exercise(store, pack, groups[2].id)
    assert 1 <= len(found) <= len(pack.exercises) // 2


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_group_1_pdf_shows_every_exercise(demo, tmp_path: Path, lang: str) -> None:  # noqa: ANN001
    pypdf = pytest.importorskip("pypdf")
    store, workshop, groups = demo
    pack = builtin_pack()
    report = gather_group_report(store, workshop.id, groups[0].id, pack,
                                 today=dt.date(2026, 3, 13))
    out = write_group_pdf(report, lang, tmp_path / f"group1-{lang}.pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    flat = " ".join(text.split())
    for exercise in pack.exercises:
        title = " ".join(exercise.title.get(lang).split())
        assert title in flat, title
