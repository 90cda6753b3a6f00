"""A short list of typed rows (one or more text fields each), edited in place.

Used by E1 for each PESTLE heading, SWOT quadrant, the stakeholders and the objectives.
Every row is a line edit, so typing is saved as it goes like any other text. Keys:
Enter adds a row below, Backspace in an empty row removes it, Up/Down move between rows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rmdesk.i18n import _
from rmdesk.ui.common import Retranslatable, bold_label

MAX_ROWS = 30


class RowsEditor(Retranslatable, QFrame):
    """Rows of `columns` line edits, with a title, an Add button and a remove button per row."""

    edited = Signal()  # text typed: save soon
    rows_changed = Signal()  # a row added or removed: save now

    def __init__(self, columns: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._placeholders: list[str] = [""] * columns
        self._headers: list[str] = []
        self.rows: list[list[QLineEdit]] = []
        self._removers: list[QToolButton] = []

        self.title = bold_label()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        hint_font = self.hint.font()
        hint_font.setItalic(True)
        self.hint.setFont(hint_font)
        self.hint.hide()
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(4)
        self.grid.setVerticalSpacing(3)
        self.header_labels: list[QLabel] = []
        self.add_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(self.grid)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.retranslate_ui()

    # -- texts ------------------------------------------------------------------------
    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self.setAccessibleName(text)
        self._label_rows()

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def set_headers(self, headers: list[str]) -> None:
        """Column titles above the rows (for more than one column)."""
        self._headers = headers
        if not self.header_labels:
            for col in range(self.columns):
                label = QLabel()
                self.header_labels.append(label)
                self.grid.addWidget(label, 0, col)
        for label, text in zip(self.header_labels, headers, strict=False):
            label.setText(text)

    def set_placeholders(self, texts: list[str]) -> None:
        self._placeholders = texts
        for row in self.rows:
            for edit, text in zip(row, texts, strict=False):
                edit.setPlaceholderText(text)

    def retranslate_ui(self) -> None:
        self.add_button.setText(_("Add a row"))
        self.add_button.setToolTip(_("Add a row (Enter in the last row does the same)"))
        for button in self._removers:
            button.setToolTip(_("Remove this row"))
            button.setAccessibleName(_("Remove this row"))
        self._label_rows()

    def _label_rows(self) -> None:
        for index, row in enumerate(self.rows, start=1):
            for col, edit in enumerate(row):
                name = self._headers[col] if col < len(self._headers) else self.title.text()
                edit.setAccessibleName(_("{list}, row {row}").format(list=name, row=index))

    # -- values -----------------------------------------------------------------------
    def values(self) -> list[list[str]]:
        return [[edit.text() for edit in row] for row in self.rows]

    def texts(self) -> list[str]:
        """The first column of each row (the whole row for a one-column list)."""
        return [row[0] for row in self.values()]

    def set_values(self, values: list[list[str]]) -> None:
        """Replace every row, without emitting signals (a load, not an edit)."""
        while self.rows:
            self._remove_widgets(len(self.rows) - 1)
        for value in values[:MAX_ROWS]:
            self._append(list(value))
        self._label_rows()

    def set_texts(self, texts: list[str]) -> None:
        self.set_values([[t] for t in texts])

    # -- rows -------------------------------------------------------------------------
    def _append(self, value: list[str], at: int | None = None) -> list[QLineEdit]:
        at = len(self.rows) if at is None else at
        edits = []
        for col in range(self.columns):
            edit = QLineEdit(value[col] if col < len(value) else "")
            edit.setCursorPosition(0)  # a long loaded text shows its start, not its end
            edit.setPlaceholderText(self._placeholders[col] if col < len(self._placeholders)
                                    else "")
            edit.textEdited.connect(self.edited)
            edit.installEventFilter(self)
            edits.append(edit)
        remove = QToolButton()
        remove.setText("×")
        remove.setToolTip(_("Remove this row"))
        remove.setAccessibleName(_("Remove this row"))
        remove.clicked.connect(lambda: self.remove_row(self._row_of_remover(remove)))
        self.rows.insert(at, edits)
        self._removers.insert(at, remove)
        self._relayout()
        for widget in (*edits, remove):
            widget.show()  # at once, not when the layout gets round to it: focus needs it
        return edits

    def _row_of_remover(self, button: QToolButton) -> int:
        return self._removers.index(button) if button in self._removers else -1

    def _relayout(self) -> None:
        first = 1 if self.header_labels else 0
        for index, (edits, remove) in enumerate(zip(self.rows, self._removers, strict=True)):
            for col, edit in enumerate(edits):
                self.grid.addWidget(edit, first + index, col)
            self.grid.addWidget(remove, first + index, self.columns)
        # Tab order follows the rows.
        chain = [w for edits, remove in zip(self.rows, self._removers, strict=True)
                 for w in (*edits, remove)] + [self.add_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def _remove_widgets(self, index: int) -> None:
        for edit in self.rows.pop(index):
            edit.removeEventFilter(self)
            self.grid.removeWidget(edit)
            edit.hide()
            edit.setParent(None)  # type: ignore[call-overload]
            edit.deleteLater()
        remove = self._removers.pop(index)
        self.grid.removeWidget(remove)
        remove.hide()
        remove.setParent(None)  # type: ignore[call-overload]
        remove.deleteLater()

    def add_row(self, focus: bool = False, at: int | None = None) -> None:
        if len(self.rows) >= MAX_ROWS:
            return
        edits = self._append([""], at)
        self._label_rows()
        if focus:
            edits[0].setFocus()
        self.rows_changed.emit()

    def remove_row(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        self._remove_widgets(index)
        self._relayout()
        self._label_rows()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)][0].setFocus()
        else:
            self.add_button.setFocus()
        self.rows_changed.emit()

    def _position(self, edit: QObject) -> tuple[int, int]:
        for index, row in enumerate(self.rows):
            if edit in row:
                return index, row.index(edit)  # type: ignore[arg-type]
        return -1, -1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and isinstance(watched, QLineEdit)):
            key = event.key()
            index, col = self._position(watched)
            if index < 0:
                return False
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.add_row(focus=True, at=index + 1)
                return True
            if key == Qt.Key.Key_Backspace and not any(e.text() for e in self.rows[index]):
                self.remove_row(index)
                if index > 0:
                    self.rows[index - 1][col].setFocus()
                return True
            if key == Qt.Key.Key_Up and index > 0:
                self.rows[index - 1][col].setFocus()
                return True
            if key == Qt.Key.Key_Down and index + 1 < len(self.rows):
                self.rows[index + 1][col].setFocus()
                return True
        return super().eventFilter(watched, event)
