"""Fill a group with the pack's model answers (its `model_work`), in one language.

So that the model answer is seen, printed, compared and checked like any group's work:
the facilitator fills a group with it (Facilitator menu), and `rmdesk demo` adds a group
"Model answer" filled this way. A group that already has work is only overwritten when
the caller confirms; its earlier work is then removed the way a group removes it (risks,
picks and profiles as tombstones, answers emptied), and its targeting runs are kept, as
every run is, with the model's runs after them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rmdesk.content.pack import ContentPack
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES
from rmdesk.services.exercises import NOT_STARTED, SUBMITTED, ExerciseWorkService
from rmdesk.services.group_fill import GroupFiller
from rmdesk.services.register import RegisterService
from rmdesk.services.targeting import TargetingService
from rmdesk.store.database import Store

MODEL_GROUP_NAME = "Model answer"


@dataclass(frozen=True)
class FillResult:
    exercises: tuple[str, ...]  # ids of the exercises filled, in the pack's order
    lang: str


class ModelAnswerService:
    def __init__(self, store: Store, pack: ContentPack) -> None:
        self.store, self.pack = store, pack
        self.register = RegisterService(store)
        self.work = ExerciseWorkService(store)
        self.targeting = TargetingService(store)

    def exercises_with_model(self) -> list[str]:
        return [e.id for e in self.pack.exercises if e.id in self.pack.model_work]

    def has_work(self, group_id: str) -> bool:
        """Anything typed, chosen or run by the group, in any exercise."""
        if self.register.list_risks(group_id) or self.targeting.picks(group_id) \
                or self.targeting.profiles(group_id) or self.targeting.runs(group_id):
            return True
        return any(self.work.load(group_id, e.id).data for e in self.pack.exercises)

    def fill_group(self, group_id: str, lang: str, *, overwrite: bool = False) -> FillResult:
        """Store the model work in `lang` as the group's work; each exercise filled is
        marked submitted. Raises group_has_work when the group has work and `overwrite`
        is not given, no_model_work when the pack has none."""
        if lang not in LANGUAGES:
            raise RmdeskError("unknown_language", lang=lang, choices=", ".join(LANGUAGES))
        filled = self.exercises_with_model()
        if not filled:
            raise RmdeskError("no_model_work", pack=self.pack.pack.id)
        if self.has_work(group_id):
            if not overwrite:
                raise RmdeskError("group_has_work")
            self._clear(group_id)
        answers = {e: self.pack.model_work_for(e, lang) for e in filled}
        answers["status"] = {e: SUBMITTED for e in filled}
        filler = GroupFiller(self.store, self.pack, group_id)
        filler.fill(answers)
        filler.register.history.clear()  # not the group's own edits: nothing to undo
        return FillResult(tuple(filled), lang)

    def _clear(self, group_id: str) -> None:
        for risk in self.register.list_risks(group_id):
            self.register.delete_risk(risk.id)
        self.register.history.clear()
        for pick in self.targeting.picks(group_id):
            self.targeting.unchoose(group_id, pick.indicator_id)
        for profile in self.targeting.profiles(group_id):
            self.targeting.delete_profile(profile.id)
        for exercise in self.pack.exercises:
            if self.work.load(group_id, exercise.id).data:
                self.work.save(group_id, exercise.id, {})
            self.work.set_status(group_id, exercise.id, NOT_STARTED)
