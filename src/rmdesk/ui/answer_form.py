"""Shared frame of the pages whose answer is one JSON object (E10, E11, E12).

The page keeps the answer's domain model in memory, maps it to widgets, and writes the
whole object through ExerciseWorkService: typing is debounced by the Autosaver, other
edits are written at once. Undo and redo step through snapshots of the answer: each
structural edit (add, remove, a choice) is one step, and so is each stretch of typing in
one field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.checks import ERROR, GOOD, Finding
from rmdesk.i18n import _, current_language
from rmdesk.i18n.qt import qt_locale
from rmdesk.ui.common import Retranslatable, show_error
from rmdesk.ui.exercise_pages import PageContext

SEVERITY_MARK = {ERROR: "✗", "warning": "!", GOOD: "✓"}
MAX_UNDO = 100


class AnswerForm(Retranslatable, QWidget):
    """Subclasses implement model_from, build_editor, fill, findings, render_finding and
    retranslate_editor; the frame does loading, saving, undo and the feedback list."""

    saved = Signal()
    saving_changed = Signal(bool)  # typing waits to be written (for a "Saving…" indicator)

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from rmdesk.ui.autosave import Autosaver

        self.ctx = ctx
        self.exercise = ctx.exercise
        self.group_id: str | None = None
        self.model: Any = self.model_from({})
        self._findings: list[Finding] = []
        self._loading = False
        self._undo: list[dict[str, Any]] = []
        self._redo: list[dict[str, Any]] = []
        self._last_edit: str | None = None
        self.autosave = Autosaver(lambda _r, _f, _v: self._write(), self)
        self.autosave.failed.connect(self._save_failed)
        self.autosave.saved.connect(self.saved)
        self.autosave.pending_changed.connect(self.saving_changed)

        self.no_group = QLabel()
        self.no_group.setWordWrap(True)
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_work)
        self.feedback = QListWidget()
        self.feedback.setWordWrap(True)
        self.feedback_box = QGroupBox()
        box = QVBoxLayout(self.feedback_box)
        box.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.feedback)

        self.editor = self.build_editor()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.feedback_box)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.no_group)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()
        self.set_group(None)

    # -- for subclasses -------------------------------------------------------------------
    def model_from(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def build_editor(self) -> QWidget:
        raise NotImplementedError

    def fill(self) -> None:
        """Show self.model in the widgets (called with self._loading set)."""
        raise NotImplementedError

    def findings(self) -> list[Finding]:
        raise NotImplementedError

    def render_finding(self, finding: Finding) -> str:
        raise NotImplementedError

    def retranslate_editor(self) -> None:
        raise NotImplementedError

    def check_hint(self) -> str:
        return _("Press “Check my work” for feedback.")

    # -- texts ----------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.no_group.setText(_("Choose the group on this laptop in the toolbar above to "
                                "start this exercise."))
        self.check_button.setText(_("Check my work"))
        self.check_button.setToolTip(_("Check the structure of your answer (F5)"))
        self.feedback_box.setTitle(_("Feedback"))
        self._loading, was = True, self._loading
        try:
            self.retranslate_editor()
        finally:
            self._loading = was
        self._render_feedback()

    # -- state ----------------------------------------------------------------------------
    def set_group(self, group_id: str | None) -> None:
        self.autosave.flush()  # pending typing belongs to the group it was typed for
        self.group_id = group_id
        self._findings = []
        self._undo.clear()
        self._redo.clear()
        self._last_edit = None
        self.no_group.setVisible(group_id is None)
        self.splitter.setEnabled(group_id is not None)
        self._reload()

    def _reload(self) -> None:
        data = self.ctx.work.load(self.group_id, self.exercise.id).data \
            if self.group_id else {}
        self.model = self.model_from(data)
        self._refill()

    def _refill(self) -> None:
        self._loading = True
        try:
            self.fill()
        finally:
            self._loading = False
        self._render_feedback()

    def flush(self) -> None:
        self.autosave.flush()

    def before_edit(self, key: str | None = None) -> bool:
        """Call before changing self.model. `key` names a text field being typed in: a
        stretch of typing in one field is one undo step. False while loading widgets or
        without a group (then the caller must not change the model)."""
        if self._loading or self.group_id is None:
            return False
        if key is None or key != self._last_edit:
            self._undo.append(self.model.to_dict())
            del self._undo[:-MAX_UNDO]
        self._redo.clear()
        self._last_edit = key
        return True

    def edited(self, typing: bool = False) -> None:
        """The model changed: save it (typing is debounced, anything else written now)."""
        if self.group_id is None:
            return
        self.autosave.queue("answer", "data", None)
        if not typing:
            self._last_edit = None
            self.autosave.flush()

    def _write(self) -> None:
        if self.group_id is not None:
            self.ctx.work.save(self.group_id, self.exercise.id, self.model.to_dict())

    def _save_failed(self, error: Exception) -> None:
        show_error(self, error)
        self._reload()  # show what is stored, not what failed to be

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        self._step(self._undo, self._redo, _("Undone."))

    def redo(self) -> None:
        self._step(self._redo, self._undo, _("Redone."))

    def _step(self, source: list[dict[str, Any]], target: list[dict[str, Any]],
              message: str) -> None:
        self.autosave.flush()
        if self.group_id is None or not source:
            self.ctx.status(_("Nothing to undo.") if source is self._undo
                            else _("Nothing to redo."))
            return
        target.append(self.model.to_dict())
        self.model = self.model_from(source.pop())
        self._last_edit = None
        self._refill()
        self._write()
        self.ctx.status(message)

    # -- feedback -------------------------------------------------------------------------
    def check_work(self) -> None:
        self.autosave.flush()
        if self.group_id is None:
            return
        self._findings = self.findings()
        self._render_feedback()

    def current_findings(self) -> list[Finding]:
        return list(self._findings)

    def _render_feedback(self) -> None:
        self.feedback.clear()
        if not self._findings:
            hint = QListWidgetItem(self.check_hint())
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.feedback.addItem(hint)
            return
        for finding in self._findings:
            self.feedback.addItem(
                f"{SEVERITY_MARK.get(finding.severity, '·')} {self.render_finding(finding)}")


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
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FocusIn:
            row = self._row_of(watched)
            if row >= 0:
                self.setCurrentCell(row, self.currentColumn() if self.currentColumn() >= 0
                                    else 0)
        return super().eventFilter(watched, event)
