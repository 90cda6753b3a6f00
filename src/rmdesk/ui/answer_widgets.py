"""Small editing widgets of the answer pages: an optional date and a table of line edits."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableWidget, QWidget

from rmdesk.ui.date_input import DateInput


class DateField(DateInput):
    """An optional date of an answer page (see DateInput)."""


class LineTable(QTableWidget):
    """A table of one-line text cells (partners, variables), edited in place."""

    text_edited = Signal(int, int, str)  # row, column, text

    def __init__(self, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(0, columns, parent)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)

    def set_rows(self, rows: list[list[str]]) -> None:
        keep = self.currentRow()
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                edit = self.cellWidget(r, c)
                if not isinstance(edit, QLineEdit):
                    edit = QLineEdit()
                    edit.setFrame(False)
                    edit.textEdited.connect(lambda text, e=edit, col=c: self._typed(e, col, text))
                    # Focus in a cell makes its row current, for Remove.
                    edit.installEventFilter(self)
                    self.setCellWidget(r, c, edit)
                if edit.text() != value:
                    edit.setText(value)
        if rows:
            self.setCurrentCell(min(max(keep, 0), len(rows) - 1), 0)

    def editor(self, row: int, column: int) -> QLineEdit:
        return self.cellWidget(row, column)  # type: ignore[return-value]

    def set_placeholders(self, texts: list[str]) -> None:
        for r in range(self.rowCount()):
            for c, text in enumerate(texts):
                self.editor(r, c).setPlaceholderText(text)

    def _row_of(self, edit: QWidget) -> int:
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                if self.cellWidget(r, c) is edit:
                    return r
        return -1

    def _typed(self, edit: QLineEdit, column: int, text: str) -> None:
        row = self._row_of(edit)
        if row >= 0:
            self.text_edited.emit(row, column, text)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusIn:
            row = self._row_of(watched)
            if row >= 0:
                self.setCurrentCell(row, self.currentColumn() if self.currentColumn() >= 0
                                    else 0)
        return super().eventFilter(watched, event)
