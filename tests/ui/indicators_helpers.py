"""Drive one row of the E6 table as a participant would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def choose(page, indicator_id: str, field: str, phase: str, reason: str) -> None:
    row = page.rows[indicator_id]
    page.table.item(row, 0).setCheckState(Qt.CheckState.Checked)
    for col, value in ((1, field), (2, phase)):
        combo = page.table.cellWidget(row, col)
        combo.setCurrentIndex(combo.findData(value))
        combo.activated.emit(combo.currentIndex())
    edit = page.table.cellWidget(row, 3)
    edit.setFocus()
    QTest.keyClicks(edit, reason)
    page.autosave.flush()
