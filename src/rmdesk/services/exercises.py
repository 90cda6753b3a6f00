"""A group's answers to the framework exercises (E1, E4, E5, E9-E12), with their status.

Each exercise's answer is a JSON object whose shape belongs to its domain model; this
service only stores it, counts revisions (for merging work from other laptops) and keeps
the status the workshop overview shows: not started, in progress, submitted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from rmdesk.errors import RmdeskError
from rmdesk.store.database import Store
from rmdesk.store.models import ExerciseWork, utcnow

NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"
STATUSES = (NOT_STARTED, IN_PROGRESS, SUBMITTED)
MAX_JSON = 1_000_000  # one exercise's answer; far beyond anything typed in a workshop


@dataclass(frozen=True)
class WorkState:
    exercise_id: str
    data: dict[str, Any]
    status: str
    feedback: str = ""
    score: int | None = None
    revision: int = 0


class ExerciseWorkService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _row(self, s: Any, group_id: str, exercise_id: str) -> ExerciseWork | None:
        return s.exec(select(ExerciseWork).where(
            ExerciseWork.group_id == group_id, ExerciseWork.exercise_id == exercise_id,
        )).first()

    def load(self, group_id: str, exercise_id: str) -> WorkState:
        with self.store.session() as s:
            row = self._row(s, group_id, exercise_id)
            if row is None:
                return WorkState(exercise_id, {}, NOT_STARTED)
            try:
                data = json.loads(row.data_json or "{}")
            except ValueError:
                data = {}
            return WorkState(exercise_id, data if isinstance(data, dict) else {}, row.status,
                             row.feedback, row.score, row.revision)

    def save(self, group_id: str, exercise_id: str, data: dict[str, Any]) -> None:
        """Store the answer; a submitted exercise stays submitted when edited further."""
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        if len(text) > MAX_JSON:
            raise RmdeskError("answer_too_large", exercise=exercise_id)
        with self.store.session() as s:
            row = self._row(s, group_id, exercise_id)
            if row is None:
                row = ExerciseWork(group_id=group_id, exercise_id=exercise_id)
            elif row.data_json == text:
                return  # nothing changed: no new revision to merge
            else:
                row.revision += 1
            row.data_json = text
            if row.status == NOT_STARTED:
                row.status = IN_PROGRESS
            row.updated_at = utcnow()
            s.add(row)

    def mark_started(self, group_id: str, exercise_id: str) -> bool:
        """A first edit outside this table (E2-E3 risks, E6 picks, E7 profiles, E8 runs)
        makes the exercise "in progress" too. True when the status changed."""
        with self.store.session() as s:
            row = self._row(s, group_id, exercise_id)
            if row is not None and row.status != NOT_STARTED:
                return False
            if row is None:
                row = ExerciseWork(group_id=group_id, exercise_id=exercise_id)
            else:
                row.revision += 1
            row.status = IN_PROGRESS
            row.updated_at = utcnow()
            s.add(row)
        return True

    def set_status(self, group_id: str, exercise_id: str, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status}")
        with self.store.session() as s:
            row = self._row(s, group_id, exercise_id)
            if row is None:
                row = ExerciseWork(group_id=group_id, exercise_id=exercise_id)
            else:
                row.revision += 1
            row.status = status
            row.submitted_at = utcnow() if status == SUBMITTED else None
            row.updated_at = utcnow()
            s.add(row)

    def rows(self, group_id: str) -> list[ExerciseWork]:
        """Every exercise row of the group (detached), for reading many at once."""
        with self.store.session() as s:
            found = list(s.exec(select(ExerciseWork).where(ExerciseWork.group_id == group_id)))
            for row in found:
                s.expunge(row)
            return found

    def statuses(self, group_id: str) -> dict[str, str]:
        """exercise_id -> status for every exercise this group has touched."""
        with self.store.session() as s:
            rows = s.exec(select(ExerciseWork).where(ExerciseWork.group_id == group_id))
            return {r.exercise_id: r.status for r in rows}
