"""Fill a group with prepared work: the demo's groups and the pack's model work.

Prepared work is keyed by exercise id, in the shapes of resources/content/demo/group-*.toml
and of a pack's `model_work` (rmdesk.content.model_work): a list of risks for the
register, a list of picks (E6), profiles (E7) and runs (E8), and the JSON shape of the
exercise's domain model for the others. Risks are named by their register code (R1, R01
...), turned here into the ids the store gives them. Everything goes through the same
services the GUI uses, so the result is what a group would have typed.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

from rmdesk.content.pack import ContentPack, Exercise
from rmdesk.domain.compliance_pyramid import with_risk_ids
from rmdesk.domain.register import EDITABLE_FIELDS
from rmdesk.services.exercises import STATUSES, ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.store.database import Store

# Exercise kinds whose answer is one JSON object in exercise_work -> its domain model.
JSON_MODELS: dict[str, tuple[str, str]] = {
    "context_scan": ("rmdesk.domain.context_scan", "ContextScan"),
    "evaluation": ("rmdesk.domain.evaluation", "Evaluation"),
    "treatment": ("rmdesk.domain.treatment", "TreatmentPlan"),
    "tuning": ("rmdesk.domain.tuning", "Tuning"),
    "kpi_plan": ("rmdesk.domain.kpi_plan", "KpiPlan"),
    "regional_project": ("rmdesk.domain.regional_project", "RegionalProject"),
    "maturity": ("rmdesk.domain.maturity", "MaturityAssessment"),
    "compliance_survey": ("rmdesk.domain.compliance_survey", "ComplianceSurvey"),
    "compliance_pyramid": ("rmdesk.domain.compliance_pyramid", "CompliancePyramid"),
    "intelligence": ("rmdesk.domain.intelligence", "IntelligenceWork"),
    "passenger_targeting": ("rmdesk.domain.passengers", "PassengerWork"),
}


def json_model(kind: str) -> Any:
    module, name = JSON_MODELS[kind]
    return getattr(importlib.import_module(module), name)


def plain(value: Any) -> Any:
    """TOML dates as the ISO strings the answers keep."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def by_risk_id(data: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    """E4/E5 answers name risks by register code; the store by id. Unknown codes drop."""
    data = dict(data)
    if isinstance(data.get("order"), list):
        data["order"] = [codes[c] for c in data["order"] if c in codes]
    for key in ("decisions", "rows"):
        if isinstance(data.get(key), dict):
            data[key] = {codes[c]: v for c, v in data[key].items() if c in codes}
    return data


class GroupFiller:
    """Stores one group's prepared answers through the services, exercise by exercise."""

    def __init__(self, store: Store, pack: ContentPack, group_id: str,
                 codes: dict[str, str] | None = None) -> None:
        from rmdesk.services.targeting import TargetingService

        self.pack, self.group_id = pack, group_id
        self.codes: dict[str, str] = dict(codes or {})
        self.register = RegisterService(store)
        self.work = ExerciseWorkService(store)
        self.targeting = TargetingService(store)
        self._answers: dict[str, Any] = {}

    def add_risks(self, risks: list[dict[str, Any]]) -> None:
        """The register (E2-E3): each risk's editable fields; codes kept for E4/E5."""
        for risk in risks:
            entry = self.register.add_risk(
                self.group_id, **{k: v for k, v in risk.items() if k in EDITABLE_FIELDS})
            self.codes[entry.code] = entry.id

    def fill(self, answers: dict[str, Any]) -> None:
        self._answers = answers
        handlers: dict[str, Callable[[Exercise, Any], None]] = {
            "register_analysis": lambda exercise, risks: self.add_risks(risks),
            "indicator_selection": self._indicators,
            "profile": self._profiles,
            "targeting": lambda exercise, runs: None,  # run with the profiles, below
        }
        exercises = [e for e in self.pack.exercises if answers.get(e.id) is not None]
        # The register first (E4/E5 name its risks), then the JSON answers: E8's runs read
        # E9's random rates and workload weights.
        for exercise in exercises:
            if exercise.kind == "register_analysis":
                handlers[exercise.kind](exercise, answers[exercise.id])
        for exercise in exercises:
            if exercise.kind in JSON_MODELS:
                data = answers[exercise.id]
                if exercise.kind in ("evaluation", "treatment"):
                    data = by_risk_id(data, self.codes)
                if exercise.kind == "compliance_pyramid":  # E14 links E5 rows by risk code
                    data = with_risk_ids(data, self.codes)
                model = json_model(exercise.kind).from_dict(plain(data))
                self.work.save(self.group_id, exercise.id, model.to_dict())
        for exercise in exercises:
            if exercise.kind in handlers and exercise.kind != "register_analysis":
                handlers[exercise.kind](exercise, answers[exercise.id])
        for exercise_id, status in answers.get("status", {}).items():
            if status in STATUSES:
                self.work.set_status(self.group_id, exercise_id, status)

    def _indicators(self, exercise: Exercise, picks: list[dict[str, str]]) -> None:
        from rmdesk.domain.indicators import IndicatorPick

        for pick in picks:
            self.targeting.choose(self.group_id, IndicatorPick(
                pick["indicator"], pick.get("field", ""), pick.get("phase", ""),
                pick.get("reason", "")))

    def _profiles(self, exercise: Exercise, profiles: list[dict[str, Any]]) -> None:
        """Each profile, then the E8 runs made once that many profiles existed; then the
        E8 runs that first add profiles of their own (a later round of E8), in order."""
        targeting = self.pack.exercise("targeting")
        runs = self._answers.get(targeting.id, []) if targeting else []
        for number, profile in enumerate(profiles, start=1):
            self._save_profile(profile)
            for run in runs or []:
                if not run.get("profiles") and run.get(
                        "after_profile", len(profiles)) == number:
                    self._run(run)
        for run in runs or []:
            if run.get("profiles"):
                for profile in run["profiles"]:
                    self._save_profile(profile)
                self._run(run)

    def _save_profile(self, profile: dict[str, Any]) -> None:
        """A profile as the editor saves it: its logic as editor rows (`combinator` and
        `conditions`), or as a rule set the rows cannot show (`criteria`, a list of
        criteria with name, lane and condition: the profile editor shows it as JSON)."""
        from rmdesk.domain.criteria import RuleSet
        from rmdesk.domain.profile_logic import ConditionRow, ProfileLogic, logic_to_ruleset

        profile = dict(plain(profile))
        logic = ProfileLogic(
            profile.pop("combinator", "and"),
            [ConditionRow(**row) for row in profile.pop("conditions", [])],
            profile.pop("watch_lists", {}))
        criteria = profile.pop("criteria", None)
        draft = bool(profile.pop("draft", False))  # half-written logic, kept as typed
        for name in ("activation_date", "review_date"):
            if isinstance(profile.get(name), str):  # stored as dates
                profile[name] = dt.date.fromisoformat(profile[name])
        if criteria is not None:
            ruleset = RuleSet.model_validate({"criteria": criteria,
                                              "watch_lists": logic.watch_lists})
        else:
            ruleset = logic_to_ruleset(logic, profile.get("title", ""),
                                       profile.get("lane", "yellow"))
        self.targeting.save_profile(self.group_id, criteria=ruleset, draft=draft, **profile)

    def _run(self, run: dict[str, Any]) -> None:
        from rmdesk.domain.targeting_metrics import WorkloadSettings
        from rmdesk.domain.tuning import Tuning

        random_rates = run.get("random_rates")
        workload = None
        tuning_exercise = self.pack.exercise("tuning")
        if run.get("use_tuning") and tuning_exercise is not None:
            state = self.work.load(self.group_id, tuning_exercise.id)
            if state.data:
                tuning = Tuning.from_dict(state.data)
                random_rates = tuning.random_rates
                workload = WorkloadSettings(**tuning.workload_settings())
        self.targeting.run(self.group_id, random_rates=random_rates, workload=workload)
