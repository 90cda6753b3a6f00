"""Debounced saving: typing is written to the store at most AUTOSAVE_MS after it stops,
and at once when focus or selection moves, so no Save button is needed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

AUTOSAVE_MS = 400  # quiet time after the last keystroke before saving
MAX_WAIT_MS = 800  # someone typing without pause is still saved inside the one-second promise


class Autosaver(QObject):
    saved = Signal()
    failed = Signal(object)  # the exception
    pending_changed = Signal(bool)

    def __init__(self, write: Callable[[str, str, object], None], parent: QObject | None = None):
        super().__init__(parent)
        self._write = write
        self._pending: dict[tuple[str, str], object] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        # Debouncing alone would never fire for a fast typist; this one is not restarted.
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(MAX_WAIT_MS)
        self._deadline.timeout.connect(self.flush)

    def queue(self, record_id: str, field: str, value: object) -> None:
        self._pending[(record_id, field)] = value
        self._timer.start()
        if not self._deadline.isActive():
            self._deadline.start()
        self.pending_changed.emit(True)

    def has_pending(self) -> bool:
        return bool(self._pending)

    def flush(self) -> None:
        self._timer.stop()
        self._deadline.stop()
        pending, self._pending = self._pending, {}
        error: Exception | None = None
        for (record_id, field), value in pending.items():
            try:
                self._write(record_id, field, value)
            except Exception as exc:  # noqa: BLE001 - reported to the user, not swallowed
                error = exc
        self.pending_changed.emit(False)
        if error is not None:
            self.failed.emit(error)
        elif pending:
            self.saved.emit()
