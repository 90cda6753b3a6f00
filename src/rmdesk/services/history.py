"""Undo/redo of register edits, without Qt, so it is tested like any other rule."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MERGE_WINDOW_S = 2.0  # keystrokes flushed in quick succession undo as one edit


@dataclass
class Change:
    """One undoable step: a field edit, or a risk added/deleted."""

    kind: str  # "field" | "add" | "delete"
    risk_id: str
    field: str = ""
    old: object = None
    new: object = None
    at: float = 0.0


class EditHistory:
    def __init__(self, limit: int = 500, clock: Callable[[], float] = time.monotonic) -> None:
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        self._limit = limit
        self._clock = clock
        self._sealed = True

    def record(self, change: Change) -> None:
        change.at = self._clock()
        last = self._undo[-1] if self._undo else None
        if (
            not self._sealed
            and last is not None
            and change.kind == last.kind == "field"
            and (change.risk_id, change.field) == (last.risk_id, last.field)
            and change.at - last.at < MERGE_WINDOW_S
        ):
            last.new, last.at = change.new, change.at
        else:
            self._undo.append(change)
            del self._undo[: -self._limit]
        self._sealed = change.kind != "field"
        self._redo.clear()

    def seal(self) -> None:
        """End the current run of typing, e.g. when focus leaves a field."""
        self._sealed = True

    def pop_undo(self) -> Change | None:
        if not self._undo:
            return None
        change = self._undo.pop()
        self._redo.append(change)
        self._sealed = True
        return change

    def pop_redo(self) -> Change | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        self._undo.append(change)
        self._sealed = True
        return change

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        self._sealed = True
