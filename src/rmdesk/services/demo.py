"""The demo workshop: three groups at different stages of a whole workshop.

resources/content/demo.toml names the workshop, its groups, their members and their
E2/E3 registers; each group's `work` file (resources/content/demo/) holds its answers to
the other exercises, keyed by exercise id of the built-in pack, in the JSON shape of the
exercise's domain model. Risks are named there by their register code (R1, R2 ...), which
is turned into the risk's id here. Everything goes through the same services the GUI
uses, so the demo is what a group would have typed.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from typing import Any

from rmdesk import paths
from rmdesk.content.pack import ContentPack, Exercise, builtin_pack
from rmdesk.domain.register import EDITABLE_FIELDS
from rmdesk.services.exercises import STATUSES, ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store
from rmdesk.store.models import Workshop

DEMO_TITLE = "Demo workshop"
DEMO_FILE = "demo.toml"

# Exercise kinds whose answer is one JSON object in exercise_work -> its domain model.
_MODELS: dict[str, tuple[str, str]] = {
    "context_scan": ("rmdesk.domain.context_scan", "ContextScan"),
    "evaluation": ("rmdesk.domain.evaluation", "Evaluation"),
    "treatment": ("rmdesk.domain.treatment", "TreatmentPlan"),
    "tuning": ("rmdesk.domain.tuning", "Tuning"),
    "kpi_plan": ("rmdesk.domain.kpi_plan", "KpiPlan"),
    "regional_project": ("rmdesk.domain.regional_project", "RegionalProject"),
    "maturity": ("rmdesk.domain.maturity", "MaturityAssessment"),
}


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((paths.builtin_content_dir() / name).read_text(encoding="utf-8"))


def _model(kind: str) -> Any:
    import importlib

    module, name = _MODELS[kind]
    return getattr(importlib.import_module(module), name)


def _plain(value: Any) -> Any:
    """TOML dates as the ISO strings the answers keep."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _by_risk_id(data: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    """E4/E5 answers name risks by register code in the demo files; the store by id."""
    data = dict(data)
    if isinstance(data.get("order"), list):
        data["order"] = [codes[c] for c in data["order"]]
    for key in ("decisions", "rows"):
        if isinstance(data.get(key), dict):
            data[key] = {codes[c]: v for c, v in data[key].items()}
    return data


class _GroupFiller:
    """Stores one group's demo answers through the services, exercise by exercise."""

    def __init__(self, store: Store, pack: ContentPack, group_id: str,
                 codes: dict[str, str]) -> None:
        from rmdesk.services.targeting import TargetingService

        self.pack, self.group_id, self.codes = pack, group_id, codes
        self.work = ExerciseWorkService(store)
        self.targeting = TargetingService(store)
        self._answers: dict[str, Any] = {}

    def fill(self, answers: dict[str, Any]) -> None:
        self._answers = answers
        handlers: dict[str, Callable[[Exercise, Any], None]] = {
            "indicator_selection": self._indicators,
            "profile": self._profiles,
            "targeting": lambda exercise, runs: None,  # run with the profiles, below
        }
        # The JSON answers first: E8's runs read E9's random rates and workload weights.
        exercises = [e for e in self.pack.exercises if answers.get(e.id) is not None]
        for exercise in exercises:
            if exercise.kind in _MODELS:
                data = answers[exercise.id]
                if exercise.kind in ("evaluation", "treatment"):
                    data = _by_risk_id(data, self.codes)
                model = _model(exercise.kind).from_dict(_plain(data))
                self.work.save(self.group_id, exercise.id, model.to_dict())
        for exercise in exercises:
            if exercise.kind in handlers:
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
        """Each profile, then the E8 runs made once that many profiles existed."""
        from rmdesk.domain.profile_logic import ConditionRow, ProfileLogic, logic_to_ruleset

        targeting = self.pack.exercise("targeting")
        runs = self._answers.get(targeting.id, []) if targeting else []
        for number, profile in enumerate(profiles, start=1):
            profile = dict(profile)
            logic = ProfileLogic(
                profile.pop("combinator", "and"),
                [ConditionRow(**row) for row in profile.pop("conditions", [])],
                profile.pop("watch_lists", {}))
            draft = bool(profile.pop("draft", False))  # half-written logic, kept as typed
            ruleset = logic_to_ruleset(logic, profile.get("title", ""),
                                       profile.get("lane", "yellow"))
            self.targeting.save_profile(self.group_id, criteria=ruleset, draft=draft,
                                        **profile)
            for run in runs:
                if run.get("after_profile", len(profiles)) == number:
                    self._run(run)

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


def create_demo(store: Store) -> Workshop:
    data = _load(DEMO_FILE)
    meta = data["workshop"]
    pack = builtin_pack()
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(
        WorkshopInput(
            title=meta.get("title", DEMO_TITLE),
            venue=meta.get("venue", ""),
            start_date=meta.get("start"),
            end_date=meta.get("end"),
            languages=tuple(meta.get("languages", ["en"])),
        ),
        pack.pack.id,
        pack.pack.version,
    )
    register = RegisterService(store)
    for group_data in data["groups"]:
        group = workshops.add_group(workshop.id, group_data["name"])
        for member in group_data.get("members", []):
            workshops.add_member(group.id, member["name"], member.get("administration", ""))
        codes = {}
        for risk in group_data.get("risks", []):
            entry = register.add_risk(
                group.id, **{k: v for k, v in risk.items() if k in EDITABLE_FIELDS})
            codes[entry.code] = entry.id
        if group_data.get("work"):
            _GroupFiller(store, pack, group.id, codes).fill(_load(group_data["work"]))
    register.history.clear()
    return workshop
