"""The built-in declarations, generated once in a background thread (about 0.7 s), so
the E7 preview never freezes the window while it is being prepared."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from rmdesk.domain.declarations import DeclarationTable


class SampleData(QObject):
    ready = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._table: DeclarationTable | None = None
        self._thread: threading.Thread | None = None

    def table(self) -> DeclarationTable | None:
        return self._table

    def ensure(self) -> None:
        if self._table is not None or self._thread is not None:
            return

        def load() -> None:
            from rmdesk.services.targeting import builtin_table

            self._table = builtin_table()
            self.ready.emit()  # queued to the GUI thread: this object lives there

        self._thread = threading.Thread(target=load, name="rmdesk-sample-data", daemon=True)
        self._thread.start()

    def wait(self) -> DeclarationTable:
        """For tests and for a run that needs the data now."""
        self.ensure()
        if self._thread is not None:
            self._thread.join()
        assert self._table is not None
        return self._table


_shared: SampleData | None = None


def sample_data() -> SampleData:
    global _shared
    if _shared is None:
        _shared = SampleData()
    return _shared
