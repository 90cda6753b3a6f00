""""Check my work" on stored work, headless: the findings of a group's exercises.

The same domain checks each exercise page runs on F5, fed from the store as the page
feeds them, so that `rmdesk check` and the tests see what a trainee sees. A finding
comes back with its exercise, its severity as the command line names it (error, warning,
info) and its message in the language asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rmdesk.content.exercise_ids import exercise_label
from rmdesk.content.pack import ContentPack, Exercise, appetite_rule
from rmdesk.domain.checks import ERROR, GOOD, INFO, WARNING, Finding
from rmdesk.i18n import N_, gettext_for, ngettext, ngettext_for
from rmdesk.i18n.formatting import format_date, format_number, format_percent
from rmdesk.services.exercises import NOT_STARTED, ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.targeting import TargetingService
from rmdesk.store.database import Store

SEVERITY_NAMES = {ERROR: "error", WARNING: "warning", GOOD: "info", INFO: "info"}
__all__ = ["CheckedFinding", "WorkChecks", "appetite_rule"]

# Findings of this module's own (E8 has no F5 check of its own: F5 runs the simulation).
MESSAGES: dict[str, str] = {
    "not_started": N_("Not started yet."),
    "no_runs": N_("No targeting run yet: run the simulation (F5) on your profiles."),
}
# Plural forms of the E8 note, looked up with ngettext in the reader's language.
RUNS_DONE = ("{count} targeting run recorded; it selected {rate} of the items with "
             "a hit rate of {hit_rate}.",
             "{count} targeting runs recorded; the last selected {rate} of the items "
             "with a hit rate of {hit_rate}.")


def _mark_plurals() -> None:  # pragma: no cover - never called: lets extraction see them
    ngettext("{count} targeting run recorded; it selected {rate} of the items with "
             "a hit rate of {hit_rate}.",
             "{count} targeting runs recorded; the last selected {rate} of the items "
             "with a hit rate of {hit_rate}.", 1)


@dataclass(frozen=True)
class CheckedFinding:
    exercise_id: str
    exercise_label: str  # "E4", "E2–E3": as users see it
    group: str
    severity: str  # error, warning or info
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"exercise": self.exercise_label, "exercise_id": self.exercise_id,
                "group": self.group, "severity": self.severity, "code": self.code,
                "message": self.message}


class WorkChecks:
    """Runs "Check my work" for a group's stored work, exercise by exercise."""

    def __init__(self, store: Store, pack: ContentPack) -> None:
        self.store, self.pack = store, pack
        self.register = RegisterService(store)
        self.work = ExerciseWorkService(store)
        self.targeting = TargetingService(store)

    def check_group(self, group_id: str, group_name: str, lang: str,
                    exercises: list[Exercise] | None = None) -> list[CheckedFinding]:
        found: list[CheckedFinding] = []
        for exercise in exercises or self.pack.exercises:
            for finding, message in self.check_exercise(group_id, exercise, lang):
                found.append(CheckedFinding(
                    exercise.id, exercise_label(exercise), group_name,
                    SEVERITY_NAMES.get(finding.severity, "info"), finding.code, message))
        return found

    def check_exercise(self, group_id: str, exercise: Exercise,
                       lang: str) -> list[tuple[Finding, str]]:
        """The exercise's findings, each with its message in `lang`. An exercise the
        group has not touched gets one "not started" note instead of its checks."""
        tr = gettext_for(lang)
        if not self._touched(group_id, exercise):
            return [(Finding("not_started", GOOD), tr(MESSAGES["not_started"]))]
        checker = getattr(self, f"_{exercise.kind}", None)
        if checker is None:
            return []
        findings, render = checker(group_id, exercise, lang, tr)
        return [(f, render(f)) for f in findings]

    def _touched(self, group_id: str, exercise: Exercise) -> bool:
        if exercise.kind == "register_analysis":
            return bool(self.register.list_risks(group_id))
        if exercise.kind == "indicator_selection":
            return bool(self.targeting.picks(group_id))
        if exercise.kind == "profile":
            return bool(self.targeting.profiles(group_id))
        if exercise.kind == "targeting":
            return bool(self.targeting.runs(group_id)) or bool(
                self.targeting.profiles(group_id))
        state = self.work.load(group_id, exercise.id)
        return bool(state.data) or state.status != NOT_STARTED

    def _data(self, group_id: str, exercise: Exercise) -> dict[str, Any]:
        return self.work.load(group_id, exercise.id).data

    # -- one method per exercise kind: (findings, render) ---------------------------------
    Result = tuple[list[Finding], Callable[[Finding], str]]

    def _context_scan(self, group_id: str, exercise: Exercise, lang: str,
                      tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.context_scan import (
            ContextScan,
            check_context_scan,
            render_context_finding,
        )

        scan = ContextScan.from_dict(self._data(group_id, exercise))
        return check_context_scan(scan), lambda f: render_context_finding(f, tr)

    def _register_analysis(self, group_id: str, exercise: Exercise, lang: str,
                           tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.checks import check_analysis, check_register, render_finding

        risks = self.register.list_risks(group_id)
        findings = check_register(risks) + (check_analysis(risks) if risks else [])
        return findings, lambda f: render_finding(f, tr, lambda v: format_percent(v, lang))

    def _evaluation(self, group_id: str, exercise: Exercise, lang: str,
                    tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.evaluation import (
            Evaluation,
            check_evaluation,
            ranked,
            render_evaluation_finding,
        )

        rows = ranked(Evaluation.from_dict(self._data(group_id, exercise)),
                      self.register.list_risks(group_id))
        rule = appetite_rule(exercise)
        return check_evaluation(rows, rule.max_accepted, rule), \
            lambda f: render_evaluation_finding(f, tr)

    def _treatment(self, group_id: str, exercise: Exercise, lang: str,
                   tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.evaluation import Evaluation
        from rmdesk.domain.treatment import (
            TreatmentPlan,
            check_treatment,
            render_treatment_finding,
            risks_to_treat,
        )

        risks = self.register.list_risks(group_id)
        e4 = self.pack.exercise("evaluation")
        evaluation = Evaluation.from_dict(self._data(group_id, e4)) if e4 else None
        plan = TreatmentPlan.from_dict(self._data(group_id, exercise))
        from_e4 = evaluation is not None and evaluation.has_decisions(risks)
        findings = check_treatment(risks_to_treat(risks, evaluation), plan,
                                   appetite_rule(e4), from_e4=from_e4)
        return findings, lambda f: render_treatment_finding(
            f, tr, lambda d: format_date(d, lang, fmt="medium"))

    def _indicator_selection(self, group_id: str, exercise: Exercise, lang: str,
                             tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.indicators import (
            check_indicator_selection,
            key_of,
            render_indicator_finding,
        )

        key = key_of(self.pack.indicators)
        findings = check_indicator_selection(self.targeting.picks(group_id), key)
        return findings, lambda f: render_indicator_finding(
            f, tr, lambda v: format_percent(v, lang))

    def _profile(self, group_id: str, exercise: Exercise, lang: str,
                 tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.criteria import render_issue
        from rmdesk.domain.profile_logic import (
            CHECKED_FIELDS,
            check_profiles,
            render_profile_finding,
            summarize_profile,
        )
        from rmdesk.services.datasets import group_data

        # The group's data set (E8's choice): profiles may test its own columns.
        _extra, table, dataset = group_data(self.store, self.work, self.pack, group_id)
        summaries = [summarize_profile(p.title, {name: getattr(p, name)
                                                 for name in CHECKED_FIELDS},
                                       p.criteria_json, table, dataset)
                     for p in self.targeting.profiles(group_id)]
        findings = check_profiles(summaries, lambda issue: render_issue(issue, tr),
                                  exercise.profile_limits())
        return findings, lambda f: render_profile_finding(
            f, tr, lambda v: format_percent(v, lang, digits=1),
            lambda v: format_number(v, lang), lambda d: format_date(d, lang))

    def _targeting(self, group_id: str, exercise: Exercise, lang: str,
                   tr: Callable[[str], str]) -> Result:
        metrics = self._last_run_metrics(group_id)
        if metrics is None:
            return [Finding("no_runs", WARNING)], lambda f: tr(MESSAGES[f.code])
        count = len(self.targeting.runs(group_id))
        finding = Finding("runs_done", GOOD, {
            "count": count, "rate": float(metrics.get("selection_rate") or 0.0),
            "hit_rate": float(metrics.get("hit_rate") or 0.0)})

        def render(f: Finding) -> str:
            return ngettext_for(lang)(*RUNS_DONE, count).format(
                count=format_number(count, lang),
                rate=format_percent(float(f.params["rate"]), lang, digits=1),  # type: ignore[arg-type]
                hit_rate=format_percent(float(f.params["hit_rate"]), lang, digits=1))  # type: ignore[arg-type]
        return [finding], render

    def _tuning(self, group_id: str, exercise: Exercise, lang: str,
                tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.tuning import (
            Tuning,
            check_tuning,
            render_tuning_finding,
            workload_from_run,
        )

        tuning = Tuning.from_dict(self._data(group_id, exercise))
        metrics = self._last_run_metrics(group_id)
        rules = exercise.plan_rules()
        summary = workload_from_run(metrics, tuning, rules) if metrics is not None else None
        return check_tuning(tuning, summary, rules), lambda f: render_tuning_finding(
            f, tr, lambda v: format_percent(v, lang, digits=1),
            lambda v: format_number(round(v), lang))

    def _kpi_plan(self, group_id: str, exercise: Exercise, lang: str,
                  tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.kpi_plan import KpiPlan, check_kpi_plan, render_kpi_finding

        plan = KpiPlan.from_dict(self._data(group_id, exercise))
        return check_kpi_plan(plan, lang), lambda f: render_kpi_finding(f, tr)

    def _regional_project(self, group_id: str, exercise: Exercise, lang: str,
                          tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.regional_project import (
            RegionalProject,
            check_regional_project,
            render_project_finding,
        )

        project = RegionalProject.from_dict(self._data(group_id, exercise))
        return check_regional_project(project), lambda f: render_project_finding(
            f, tr, lambda d: format_date(d, lang, fmt="medium"))

    def _maturity(self, group_id: str, exercise: Exercise, lang: str,
                  tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.maturity import (
            MaturityAssessment,
            check_maturity,
            render_maturity_finding,
        )

        assessment = MaturityAssessment.from_dict(self._data(group_id, exercise))
        names = {d.id: d.name.get(lang) for d in exercise.dimensions}
        findings = check_maturity(assessment, [d.id for d in exercise.dimensions])
        return findings, lambda f: render_maturity_finding(
            f, tr, names, lambda v: format_number(v, lang))

    def _compliance_survey(self, group_id: str, exercise: Exercise, lang: str,
                           tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.compliance_survey import ComplianceSurvey
        from rmdesk.services.compliance_survey import SurveyService, renderer

        survey = ComplianceSurvey.from_dict(self._data(group_id, exercise))
        return SurveyService(self.store).findings(group_id, survey), renderer(lang, tr)

    def _compliance_pyramid(self, group_id: str, exercise: Exercise, lang: str,
                            tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.compliance_pyramid import (
            CompliancePyramid,
            SegmentInfo,
            check_pyramid,
            render_pyramid_finding,
        )

        pyramid = CompliancePyramid.from_dict(self._data(group_id, exercise))
        segments = [SegmentInfo(s.id, s.aeo) for s in exercise.segments]
        names = {s.id: s.name.get(lang) for s in exercise.segments}
        findings = check_pyramid(pyramid, segments, self.treatments(group_id))
        return findings, lambda f: render_pyramid_finding(f, tr, names)

    def _passenger_targeting(self, group_id: str, exercise: Exercise, lang: str,
                             tr: Callable[[str], str]) -> Result:
        from rmdesk.domain.passengers import (
            PassengerWork,
            check_passengers,
            render_passenger_finding,
        )

        work = PassengerWork.from_dict(self._data(group_id, exercise))
        return check_passengers(work), lambda f: render_passenger_finding(
            f, tr, lambda v: format_percent(v, lang, digits=1))

    def treatments(self, group_id: str) -> list[Any]:
        """The group's E5 treatments an E14 segment may link to."""
        from rmdesk.domain.compliance_pyramid import available_treatments
        from rmdesk.domain.evaluation import Evaluation
        from rmdesk.domain.treatment import TreatmentPlan

        e4, e5 = self.pack.exercise("evaluation"), self.pack.exercise("treatment")
        evaluation = Evaluation.from_dict(self._data(group_id, e4)) if e4 else None
        plan = TreatmentPlan.from_dict(self._data(group_id, e5) if e5 else {})
        return available_treatments(self.register.list_risks(group_id), evaluation, plan)

    def _intelligence(self, group_id: str, exercise: Exercise, lang: str,
                      tr: Callable[[str], str]) -> Result:
        from rmdesk.services import intelligence

        return intelligence.check(self.store, exercise, group_id,
                                  self._data(group_id, exercise), lang, tr,
                                  self.pack.exercise("profile"))

    def _last_run_metrics(self, group_id: str) -> dict[str, Any] | None:
        runs = self.targeting.runs(group_id)
        if not runs:
            return None
        try:
            metrics = json.loads(runs[-1].metrics_json)
        except ValueError:
            return None
        return metrics if isinstance(metrics, dict) else None
