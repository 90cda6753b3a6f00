"""The facilitator's controls: phases (lock an exercise, reveal its model answer), feedback
and a score per group and exercise, and the status overview of a whole workshop.

Status comes from ExerciseWork for the framework exercises; for the exercises kept in
their own tables it is derived from them: any risk means E2-E3 is in progress, any
indicator chosen E6, any profile E7, any targeting run E8. A "submitted" status recorded
in ExerciseWork wins over a derived one.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, col, select

from rmdesk.content.pack import ContentPack
from rmdesk.domain.comparison import Cell, Overview, PhaseState
from rmdesk.errors import RmdeskError
from rmdesk.services.exercises import IN_PROGRESS, NOT_STARTED, STATUSES, SUBMITTED
from rmdesk.services.settings import put_setting
from rmdesk.store.database import Store
from rmdesk.store.models import (
    ExercisePhase,
    ExerciseWork,
    IndicatorChoice,
    Profile,
    Risk,
    Setting,
    TargetingRun,
    WorkGroup,
    utcnow,
)

MAX_SCORE = 100
MAX_FEEDBACK = 4000
# The overall comment on a group reaches the group's laptops by live sync, once the
# facilitator releases feedback. On a classroom server a group's role may not read the
# facilitator's settings (0006_server), where the comment lives, so a copy is kept where the
# group reads its released feedback: the feedback column of the group's exercise_work row
# under this id, which no exercise of a pack has. Only the facilitator's role may write
# feedback there; pages, overviews and prints go by the pack's exercises and never show it.
OVERALL_EXERCISE = "_overall_comment"


def overall_key(group_id: str) -> str:
    """The Setting that keeps the facilitator's overall comment on a group."""
    return f"facilitator.overall_comment.{group_id}"

# Exercise kinds whose work lives in its own table: kind -> (model, has a tombstone).
DERIVED_KINDS: dict[str, tuple[type, bool]] = {
    "register_analysis": (Risk, True),
    "indicator_selection": (IndicatorChoice, True),
    "profile": (Profile, True),
    "targeting": (TargetingRun, False),
}


def check_score(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise RmdeskError("score_out_of_range", maximum=MAX_SCORE, value=value) from None
    if not 0 <= number <= MAX_SCORE or str(number) != str(value).strip():
        raise RmdeskError("score_out_of_range", maximum=MAX_SCORE, value=value)
    return number


class FacilitationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- phases ---------------------------------------------------------------------------
    def phases(self, workshop_id: str) -> dict[str, PhaseState]:
        with self.store.session() as s:
            rows = s.exec(select(ExercisePhase).where(ExercisePhase.workshop_id == workshop_id))
            return {r.exercise_id: PhaseState(r.exercise_id, r.locked, r.model_revealed,
                                              r.revision) for r in rows}

    def phase(self, workshop_id: str, exercise_id: str) -> PhaseState:
        return self.phases(workshop_id).get(exercise_id, PhaseState(exercise_id))

    def is_locked(self, workshop_id: str, exercise_id: str) -> bool:
        return self.phase(workshop_id, exercise_id).locked

    def is_revealed(self, workshop_id: str, exercise_id: str) -> bool:
        return self.phase(workshop_id, exercise_id).model_revealed

    def set_locked(self, workshop_id: str, exercise_id: str, locked: bool) -> None:
        self._set_phase(workshop_id, exercise_id, locked=locked)

    def set_revealed(self, workshop_id: str, exercise_id: str, revealed: bool) -> None:
        self._set_phase(workshop_id, exercise_id, model_revealed=revealed)

    def _set_phase(self, workshop_id: str, exercise_id: str, **values: bool) -> None:
        with self.store.session() as s:
            row = s.exec(select(ExercisePhase).where(
                ExercisePhase.workshop_id == workshop_id,
                ExercisePhase.exercise_id == exercise_id,
            )).first()
            if row is None:
                row = ExercisePhase(workshop_id=workshop_id, exercise_id=exercise_id)
            elif all(getattr(row, k) == v for k, v in values.items()):
                return  # no change, no new revision
            else:
                row.revision += 1
            for name, value in values.items():
                setattr(row, name, bool(value))
            row.updated_at = utcnow()
            s.add(row)

    # -- feedback and score -----------------------------------------------------------------
    def set_feedback(self, group_id: str, exercise_id: str, text: str) -> None:
        if len(text) > MAX_FEEDBACK:
            raise RmdeskError("text_too_long", field="feedback", length=len(text),
                              limit=MAX_FEEDBACK)
        self._set_work(group_id, exercise_id, feedback=text)

    def set_score(self, group_id: str, exercise_id: str, score: object) -> None:
        self._set_work(group_id, exercise_id, score=check_score(score))

    # The overall comment on a group (the first page of its output) has no column of its
    # own: it lives in the Setting table, one key per group, so the schema stays as it is.
    @staticmethod
    def _overall_key(group_id: str) -> str:
        return overall_key(group_id)

    def overall_comment(self, group_id: str) -> str:
        from rmdesk.services.settings import SettingsService

        return SettingsService(self.store).get(self._overall_key(group_id)) or ""

    def set_overall_comment(self, group_id: str, text: str) -> None:
        if len(text) > MAX_FEEDBACK:
            raise RmdeskError("text_too_long", field="feedback", length=len(text),
                              limit=MAX_FEEDBACK)
        with self.store.session() as s:  # the comment and its copy: both or neither
            put_setting(s, self._overall_key(group_id), text.strip() or None)
            _copy_overall(s, group_id, text.strip())

    def publish_overall_comments(self, workshop_id: str) -> None:
        """Make sure every group's comment has its copy for live sync (a comment written
        before copies were made has none); the facilitator's release calls it."""
        with self.store.session() as s:
            for group_id in s.exec(select(WorkGroup.id).where(
                    WorkGroup.workshop_id == workshop_id)):
                row = s.get(Setting, self._overall_key(group_id))
                _copy_overall(s, group_id, row.value if row is not None else "")

    def _set_work(self, group_id: str, exercise_id: str, **values: object) -> None:
        """Write the facilitator's fields; the group's answer and status stay as they are."""
        with self.store.session() as s:
            row = s.exec(select(ExerciseWork).where(
                ExerciseWork.group_id == group_id, ExerciseWork.exercise_id == exercise_id,
            )).first()
            if row is None:
                row = ExerciseWork(group_id=group_id, exercise_id=exercise_id)
            elif all(getattr(row, k) == v for k, v in values.items()):
                return  # no change, no new revision
            else:
                row.revision += 1
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = utcnow()
            s.add(row)

    # -- overview -----------------------------------------------------------------------
    def overview(self, workshop_id: str, pack: ContentPack) -> Overview:
        from rmdesk.services.agenda import visible_pack

        pack = visible_pack(self.store, workshop_id, pack)  # hidden exercises: not counted
        with self.store.session() as s:
            groups = [(g.id, g.name) for g in s.exec(
                select(WorkGroup).where(WorkGroup.workshop_id == workshop_id)
                .order_by(WorkGroup.position, WorkGroup.name))]
            ids = [g for g, _n in groups]
            work: dict[tuple[str, str], ExerciseWork] = {}
            if ids:
                for row in s.exec(select(ExerciseWork).where(col(ExerciseWork.group_id)
                                                             .in_(ids))):
                    work[(row.group_id, row.exercise_id)] = row
            started: dict[str, set[str]] = defaultdict(set)  # kind -> groups with work
            kinds = {e.kind for e in pack.exercises}
            for kind, (model, tombstone) in DERIVED_KINDS.items():
                if kind not in kinds or not ids:
                    continue
                query = select(model.group_id, func.count()).where(  # type: ignore[attr-defined]
                    col(model.group_id).in_(ids))  # type: ignore[attr-defined]
                if tombstone:
                    query = query.where(model.deleted == False)  # type: ignore[attr-defined]  # noqa: E712
                for group_id, count in s.exec(query.group_by(model.group_id)):  # type: ignore[attr-defined]
                    if count:
                        started[kind].add(group_id)
        overview = Overview(groups, [e.id for e in pack.exercises],
                            phases=self.phases(workshop_id))
        for group_id in ids:
            for exercise in pack.exercises:
                row = work.get((group_id, exercise.id))
                status = row.status if row is not None and row.status in STATUSES \
                    else NOT_STARTED
                if status == NOT_STARTED and group_id in started.get(exercise.kind, ()):
                    status = IN_PROGRESS
                overview.cells[(group_id, exercise.id)] = Cell(
                    status=status,
                    feedback=row.feedback if row is not None else "",
                    score=row.score if row is not None else None,
                )
        return overview


def _copy_overall(s: Session, group_id: str, text: str) -> None:
    """The overall comment's copy for live sync (see OVERALL_EXERCISE); none is made for
    no comment, and an unchanged one keeps its revision."""
    row = s.exec(select(ExerciseWork).where(ExerciseWork.group_id == group_id,
                                            ExerciseWork.exercise_id == OVERALL_EXERCISE)
                 ).first()
    if row is None:
        if not text:
            return
        row = ExerciseWork(group_id=group_id, exercise_id=OVERALL_EXERCISE)
    elif row.feedback == text:
        return
    else:
        row.revision += 1
    row.feedback = text
    row.updated_at = utcnow()
    s.add(row)


__all__ = ["MAX_SCORE", "OVERALL_EXERCISE", "SUBMITTED", "Cell", "FacilitationService",
           "Overview", "PhaseState", "check_score", "overall_key"]
