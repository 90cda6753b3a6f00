"""Undo and redo for a page whose answer is one snapshot (E6 picks, E7 profiles, E9 rates).

The page keeps a `SnapshotHistory` in `self.history` and says how to read and put back
its stored state; the four methods the window's Edit menu calls are the same for all."""

from __future__ import annotations

from collections.abc import Callable


class SnapshotUndo:
    history: object  # rmdesk.services.history.SnapshotHistory
    group_id: str | None

    def flush(self) -> None:
        raise NotImplementedError

    def current_snapshot(self) -> object:
        """The page's stored state now (after flush)."""
        raise NotImplementedError

    def restore_snapshot(self, state: object) -> None:
        """Store `state` and show it."""
        raise NotImplementedError

    def undo(self) -> bool:
        return self._step(self.history.undo)  # type: ignore[attr-defined]

    def redo(self) -> bool:
        return self._step(self.history.redo)  # type: ignore[attr-defined]

    def undo_label(self) -> str | None:
        return self.history.undo_label()  # type: ignore[attr-defined]

    def redo_label(self) -> str | None:
        return self.history.redo_label()  # type: ignore[attr-defined]

    def _step(self, step: Callable[[object], object | None]) -> bool:
        self.flush()
        if self.group_id is None:
            return False
        state = step(self.current_snapshot())
        if state is None:
            return False
        self.restore_snapshot(state)
        return True
