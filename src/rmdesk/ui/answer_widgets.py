"""Small editing widgets of the answer pages: an optional date and a table of line edits."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QToolButton,
    QWidget,
)

from rmdesk.i18n import _, current_language
from rmdesk.i18n.qt import qt_locale


class DateField(QWidget):
    """A date that may be unset: a QDateEdit showing "not set" until a date is chosen,
    in the interface language's short format, with a button to clear it."""

    changed = Signal(str)  # ISO date, or "" when cleared

    UNSET = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = _OptionalDateEdit(self)
        self.clear_button = QToolButton()
        self.clear_button.setText("×")
        self.clear_button.setAutoRaise(True)
        self.clear_button.clicked.connect(lambda: self.set_iso("", emit=True))
        self.edit.dateChanged.connect(self._date_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.clear_button)
        self._quiet = False
        self.retranslate_ui()

    def set_suggestion(self, iso: str) -> None:
        """The date offered when an unset field is first stepped or opened."""
        self.edit.suggestion = QDate.fromString(iso, Qt.DateFormat.ISODate) if iso \
            else QDate.currentDate()

    def retranslate_ui(self) -> None:
        locale = qt_locale(current_language())
        self.edit.setLocale(locale)  # QDateEdit keeps its format unless told again
        self.edit.setDisplayFormat(locale.dateFormat(locale.FormatType.ShortFormat)
                                   .replace("yy", "yyyy").replace("yyyyyyyy", "yyyy"))
        self.edit.setSpecialValueText(_("not set"))
        self.clear_button.setToolTip(_("Clear the date"))

    def iso(self) -> str:
        day = self.edit.date()
        return "" if day == self.UNSET else day.toString(Qt.DateFormat.ISODate)

    def set_iso(self, iso: str, emit: bool = False) -> None:
        day = QDate.fromString(iso, Qt.DateFormat.ISODate) if iso else self.UNSET
        self._quiet = not emit
        try:
            self.edit.setDate(day if day.isValid() else self.UNSET)
        finally:
            self._quiet = False

    def _date_changed(self, _day: QDate) -> None:
        if not self._quiet:
            self.changed.emit(self.iso())


class _OptionalDateEdit(QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion = QDate.currentDate()
        self.setCalendarPopup(True)
        self.setMinimumDate(DateField.UNSET)
        self.setDate(DateField.UNSET)

    def _ensure_set(self) -> bool:
        if self.date() == DateField.UNSET:
            self.setDate(self.suggestion)
            return True
        return False

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt API
        if not self._ensure_set():
            super().stepBy(steps)

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self._ensure_set()  # the calendar opens on a useful month, not on 1900
        super().mousePressEvent(event)


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
