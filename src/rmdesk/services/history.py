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

    def next_undo(self) -> Change | None:
        """The change Undo would reverse (for the Edit menu to name it)."""
        return self._undo[-1] if self._undo else None

    def next_redo(self) -> Change | None:
        return self._redo[-1] if self._redo else None

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        self._sealed = True


class SnapshotHistory:
    """Undo/redo for a page whose state is saved whole (E6 picks, E7 profiles, E9 tuning):
    each step keeps the state before an edit and a label naming the edit ("reason for
    indicator I3"). Edits of the same key in a row (typing in one field) are one step."""

    def __init__(self, limit: int = 200) -> None:
        self._undo: list[tuple[object, str]] = []
        self._redo: list[tuple[object, str]] = []
        self._limit = limit
        self._last_key: object = None

    def record(self, previous: object, label: str, key: object = None) -> None:
        """Call with the state as it was before an edit that has just been saved."""
        if key is None or key != self._last_key or not self._undo:
            self._undo.append((previous, label))
            del self._undo[: -self._limit]
        self._last_key = key
        self._redo.clear()

    def undo(self, current: object) -> object | None:
        """The state to go back to (None: nothing to undo); `current` goes to redo."""
        return self._step(self._undo, self._redo, current)

    def redo(self, current: object) -> object | None:
        return self._step(self._redo, self._undo, current)

    def _step(self, source: list[tuple[object, str]], target: list[tuple[object, str]],
              current: object) -> object | None:
        self._last_key = None
        if not source:
            return None
        state, label = source.pop()
        target.append((current, label))
        return state

    def undo_label(self) -> str | None:
        return self._undo[-1][1] if self._undo else None

    def redo_label(self) -> str | None:
        return self._redo[-1][1] if self._redo else None

    def seal(self) -> None:
        self._last_key = None

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
        self._last_key = None
