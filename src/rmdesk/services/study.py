"""Self-study ("Study on my own") and moving through a workshop's exercises.

A self-study session is an ordinary workshop with one group, marked in the settings, so
everything else (saving, checks, printing) works the same. There the model answer opens
once the trainee submits the exercise; in a workshop, once the facilitator reveals it.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from rmdesk.content.pack import ContentPack
from rmdesk.services.exercises import IN_PROGRESS, SUBMITTED, ExerciseWorkService
from rmdesk.services.settings import SettingsService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store
from rmdesk.store.models import ExercisePhase, Workshop

SELF_STUDY_WORKSHOP = "self_study.workshop"


class StudyService:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.settings = SettingsService(store)
        self.workshops = WorkshopService(store)
        self.work = ExerciseWorkService(store)

    # -- self-study ---------------------------------------------------------------------
    def self_study_id(self) -> str | None:
        workshop_id = self.settings.get(SELF_STUDY_WORKSHOP)
        if workshop_id and self.workshops.get_workshop(workshop_id) is not None:
            return workshop_id
        return None

    def is_self_study(self, workshop_id: str | None) -> bool:
        return workshop_id is not None and workshop_id == self.self_study_id()

    def start_self_study(self, title: str, group_name: str, lang: str,
                         pack: ContentPack) -> tuple[str, str]:
        """The trainee's own workshop and group, created once and reopened afterwards
        (progress is kept between sessions). Returns (workshop id, group id)."""
        workshop_id = self.self_study_id()
        if workshop_id is None:
            today = dt.date.today()
            workshop = self.workshops.create_workshop(
                WorkshopInput(title, "", today, today, (lang,)),
                pack.pack.id, pack.pack.version)
            self.workshops.add_group(workshop.id, group_name)
            self.settings.set(SELF_STUDY_WORKSHOP, workshop.id)
            workshop_id = workshop.id
        groups = self.workshops.list_groups(workshop_id)
        if not groups:
            groups = [self.workshops.add_group(workshop_id, group_name)]
        self.workshops.select(workshop_id, groups[0].id)
        return workshop_id, groups[0].id

    def follow_language(self, lang: str, titles: dict[str, str],
                        group_names: dict[str, str]) -> bool:
        """The self-study workshop's default title, group name and working language follow
        the interface language (`titles` and `group_names`: language -> default text),
        unless the trainee has renamed them. True when anything changed."""
        workshop_id = self.self_study_id()
        workshop = self.workshops.get_workshop(workshop_id) if workshop_id else None
        if workshop is None or lang not in titles:
            return False
        changed = False
        title = titles[lang] if workshop.title in titles.values() else workshop.title
        languages = workshop.language_list
        if len(languages) == 1 and languages[0] in titles:  # the one rmdesk chose
            languages = [lang]
        if (title, languages) != (workshop.title, workshop.language_list):
            self.workshops.update_workshop(workshop.id, WorkshopInput(
                title, workshop.venue, workshop.start_date, workshop.end_date,
                tuple(languages)))
            changed = True
        for group in self.workshops.list_groups(workshop.id):
            if group.name in group_names.values() and group.name != group_names[lang]:
                self.workshops.rename_group(group.id, group_names[lang])
                changed = True
        return changed

    # -- status and phases --------------------------------------------------------------
    def status(self, group_id: str, exercise_id: str) -> str:
        return self.work.statuses(group_id).get(exercise_id, "not_started")

    def submit(self, group_id: str, exercise_id: str) -> None:
        self.work.set_status(group_id, exercise_id, SUBMITTED)

    def reopen(self, group_id: str, exercise_id: str) -> None:
        self.work.set_status(group_id, exercise_id, IN_PROGRESS)

    def _phase(self, workshop_id: str, exercise_id: str) -> ExercisePhase | None:
        with self.store.session() as s:
            return s.exec(select(ExercisePhase).where(
                ExercisePhase.workshop_id == workshop_id,
                ExercisePhase.exercise_id == exercise_id)).first()

    def is_locked(self, workshop_id: str, exercise_id: str) -> bool:
        phase = self._phase(workshop_id, exercise_id)
        return bool(phase and phase.locked)

    def model_answer_open(self, workshop: Workshop, group_id: str, exercise_id: str,
                          facilitator: bool = False) -> bool:
        """May this group read the model answer now?"""
        if facilitator:
            return True
        if self.is_self_study(workshop.id):
            return self.status(group_id, exercise_id) == SUBMITTED
        phase = self._phase(workshop.id, exercise_id)
        return bool(phase and phase.model_revealed)
