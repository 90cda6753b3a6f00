"""E2 risk register + E3 likelihood x consequence analysis, with a live heat map."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.pack import ContentPack
from rmdesk.domain.checks import (
    Finding,
    check_analysis,
    check_register,
    render_finding,
)
from rmdesk.domain.register import FIELD_LABELS, RISK_AREAS, RiskEntry
from rmdesk.domain.scales import CONSEQUENCE_LABELS, LEVEL_LABELS, LIKELIHOOD_LABELS
from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, current_language
from rmdesk.i18n.formatting import format_percent
from rmdesk.services.register import RegisterService
from rmdesk.ui.autosave import Autosaver
from rmdesk.ui.common import (
    Retranslatable,
    bold_label,
    button_row,
    refill_combo,
    select_rows_only,
    show_error,
)
from rmdesk.ui.feedback import feedback_box
from rmdesk.ui.heatmap import HeatMapWidget
from rmdesk.ui.register_model import RegisterTableModel

LONG_TEXT_FIELDS = ("event", "cause", "consequence", "controls")
LINE_FIELDS = ("code", "owner", "likelihood_reason", "impact_reason")


class RegisterPage(Retranslatable, QWidget):
    """Widgets only: every value goes through RegisterService."""

    status_message = Signal(str)
    saving_changed = Signal(bool)

    def __init__(self, register: RegisterService, pack: ContentPack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.pack = pack
        self.group_id: str | None = None
        self._current_id: str | None = None
        self._findings: list[Finding] = []
        self._loading = False
        self.autosave = Autosaver(self._write_field, self)
        self.autosave.failed.connect(self._on_save_failed)
        self.autosave.saved.connect(self._on_saved)
        self.autosave.pending_changed.connect(self.saving_changed)
        self._build()
        self.retranslate_ui()
        self.set_group(None)

    def set_pack(self, pack: ContentPack) -> None:
        self.pack = pack
        self.retranslate_ui()

    # -- layout (built once; texts are set in retranslate_ui) -----------------------
    def _build(self) -> None:
        self.title = bold_label(larger=3)
        self.title.setObjectName("exerciseTitle")
        # Instructions scroll in a short box so the register keeps the screen.
        self.instructions = QTextBrowser()
        self.instructions.setObjectName("instructions")
        self.instructions.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 10)
        self.instructions.setFrameShape(QFrame.Shape.NoFrame)
        self.no_group = QLabel()
        self.no_group.setWordWrap(True)
        self.no_group.setObjectName("noGroupHint")

        self.model = RegisterTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        select_rows_only(self.table)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Area names run long in French and Spanish: a fixed, resizable column, elided.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, 150)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.doubleClicked.connect(lambda _i: self.fields["event"].setFocus())

        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_risk)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete_current)
        buttons = button_row(self.add_button, self.delete_button)

        self.heatmap = HeatMapWidget()
        self.heatmap_box = QGroupBox()
        QVBoxLayout(self.heatmap_box).addWidget(self.heatmap)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 3)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.heatmap_box, 2)

        # The detail form of the selected risk.
        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        self.field_labels: dict[str, QLabel] = {}
        for name in ("code", "event", "cause", "consequence", "area", "controls", "owner",
                     "likelihood", "likelihood_reason", "impact", "impact_reason"):
            widget = self._make_field(name)
            label = QLabel()
            label.setBuddy(widget)
            self.fields[name] = widget
            self.field_labels[name] = label
            form.addRow(label, widget)
        self.score_label = QLabel()
        self.score_value = QLabel()
        self.score_value.setObjectName("scoreValue")
        form.addRow(self.score_label, self.score_value)

        self.feedback_box, self.check_button, self.feedback = feedback_box(self.check_work)
        self.check_button.setObjectName("checkButton")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.form_box)
        right_layout.addWidget(self.feedback_box, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 520])

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.instructions)
        layout.addWidget(self.no_group)
        layout.addWidget(self.splitter, 1)

    def _make_field(self, name: str) -> QWidget:
        if name in LONG_TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
            edit.textChanged.connect(lambda n=name, e=edit: self._on_text(n, e.toPlainText()))
            return edit
        if name in ("area", "likelihood", "impact"):
            combo = QComboBox()
            combo.activated.connect(lambda _i, n=name, c=combo: self._on_text(n, c.currentData()))
            return combo
        line = QLineEdit()
        line.textEdited.connect(lambda text, n=name: self._on_text(n, text))
        return line

    # -- texts ------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        exercise = self.pack.exercise("register_analysis")
        lang = current_language()
        self.title.setText(exercise.title.get(lang) if exercise else _("Risk register"))
        self.instructions.setPlainText(exercise.instructions.get(lang) if exercise else "")
        self.no_group.setText(_("Choose the group on this laptop in the toolbar above to "
                                "start the register."))
        self.add_button.setText(_("&Add risk"))
        self.add_button.setToolTip(_("Add a new risk to the register (Ctrl+Shift+A)"))
        self.delete_button.setText(_("&Delete risk"))
        self.delete_button.setToolTip(
            _("Delete the selected risk (Ctrl+Del); Undo brings it back"))
        self.heatmap_box.setTitle(_("Heat map"))
        self.form_box.setTitle(_("Selected risk"))
        self.feedback_box.setTitle(_("Feedback"))
        self.check_button.setText(_("Check my work"))
        self.check_button.setToolTip(_("Run the automatic checks on the register and ratings (F5)"))
        for name, label in self.field_labels.items():
            # TRANSLATORS: a form label; French puts a space before the colon.
            label.setText(_("{label}:").format(label=_(FIELD_LABELS[name])))
        placeholders = {
            "event": _("What could happen? e.g. Importers under-declare the value of…"),
            "cause": _("Why could it happen?"),
            "consequence": _("What would it lead to?"),
            "controls": _("What is already in place to control it?"),
            "owner": _("Who answers for this risk?"),
            "likelihood_reason": _("Evidence for the likelihood rating"),
            "impact_reason": _("Evidence for the consequence rating"),
        }
        for name, text in placeholders.items():
            self.fields[name].setPlaceholderText(text)  # type: ignore[attr-defined]
        self._fill_combo("area", [("", "—")] + [(k, _(v)) for k, v in RISK_AREAS.items()])
        self._fill_combo("likelihood", [(None, "—")] + [
            (k, f"{k} · {_(v)}") for k, v in LIKELIHOOD_LABELS.items()])
        self._fill_combo("impact", [(None, "—")] + [
            (k, f"{k} · {_(v)}") for k, v in CONSEQUENCE_LABELS.items()])
        self.model.retranslate()
        self.heatmap.retranslate_ui()
        self._show_score()
        self._render_feedback()

    def _fill_combo(self, name: str, items: list[tuple[object, str]]) -> None:
        refill_combo(self.fields[name], items)  # type: ignore[arg-type]

    # -- state ----------------------------------------------------------------------
    def set_group(self, group_id: str | None) -> None:
        self.autosave.flush()
        self.register.history.clear()
        self.group_id = group_id
        self._findings = []
        self._render_feedback()
        has_group = group_id is not None
        self.no_group.setVisible(not has_group)
        self.splitter.setEnabled(has_group)
        self.refresh()
        if self.model.rowCount() > 0:
            self.select_risk(self.model.risk_at(0).id)  # type: ignore[union-attr]

    def refresh(self) -> None:
        risks = self.register.list_risks(self.group_id) if self.group_id else []
        self.model.set_risks(risks)
        self.heatmap.set_risks(risks)
        if self._current_id and self.model.row_of(self._current_id) < 0:
            self._current_id = None
        self._load_form()

    def select_risk(self, risk_id: str | None) -> None:
        row = self.model.row_of(risk_id) if risk_id else -1
        if row < 0:
            self.table.clearSelection()
            self._current_id = None
            self._load_form()
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def current_risk(self) -> RiskEntry | None:
        row = self.model.row_of(self._current_id) if self._current_id else -1
        return self.model.risk_at(row)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.autosave.flush()
        self.register.history.seal()
        risk = self.model.risk_at(current.row())
        self._current_id = risk.id if risk else None
        self._load_form()

    def _load_form(self) -> None:
        risk = self.current_risk()
        self._loading = True
        try:
            for name, widget in self.fields.items():
                value = getattr(risk, name) if risk else None
                if isinstance(widget, QPlainTextEdit):
                    if widget.toPlainText() != (value or ""):
                        widget.setPlainText(value or "")
                elif isinstance(widget, QLineEdit):
                    if widget.text() != (value or ""):
                        widget.setText(value or "")
                        widget.setCursorPosition(0)  # show the start of a long reason
                elif isinstance(widget, QComboBox):
                    index = widget.findData(value if value not in ("",) else "")
                    widget.setCurrentIndex(index if index >= 0 else 0)
        finally:
            self._loading = False
        self.form_box.setEnabled(risk is not None)
        self.delete_button.setEnabled(risk is not None)
        self._show_score()

    def _show_score(self) -> None:
        self.score_label.setText(_("Score and level:"))
        risk = self.current_risk()
        if risk is None or risk.score is None:
            self.score_value.setText(_("Rate likelihood and consequence to see the score."))
            return
        self.score_value.setText(_("{score} ({likelihood} x {impact}) · {level}").format(
            score=risk.score, likelihood=risk.likelihood, impact=risk.impact,
            level=_(LEVEL_LABELS[risk.level()])))  # type: ignore[index]

    # -- edits ----------------------------------------------------------------------
    def _on_text(self, field: str, value: object) -> None:
        if self._loading or self._current_id is None:
            return
        self.autosave.queue(self._current_id, field, value)
        if field in ("likelihood", "impact", "area", "code"):
            self.autosave.flush()  # a choice, not typing: show its effect at once

    def _write_field(self, risk_id: str, field: str, value: object) -> None:
        updated = self.register.update_field(risk_id, field, value)
        row = self.model.row_of(risk_id)
        if row >= 0:
            risks = self.model.risks()
            risks[row] = updated
            self.model.set_risks(risks)
            self.heatmap.set_risks(risks)
            if risk_id == self._current_id:
                self._show_score()

    def _on_saved(self) -> None:
        self.status_message.emit(_("All changes saved"))

    def _on_save_failed(self, error: Exception) -> None:
        self.refresh()  # show what the store really holds
        show_error(self, error)

    def add_risk(self) -> None:
        if self.group_id is None:
            return
        self.autosave.flush()
        try:
            risk = self.register.add_risk(self.group_id)
        except RmdeskError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.select_risk(risk.id)
        self.fields["event"].setFocus()

    def delete_current(self) -> None:
        risk = self.current_risk()
        if risk is None:
            return
        answer = QMessageBox.question(
            self, _("Delete risk"),
            _("Delete risk {code}? You can undo this with Ctrl+Z.").format(code=risk.code or "?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.autosave.flush()
        row = self.model.row_of(risk.id)
        self.register.delete_risk(risk.id)
        self.refresh()
        neighbour = self.model.risk_at(min(row, self.model.rowCount() - 1))
        self.select_risk(neighbour.id if neighbour else None)

    def undo(self) -> bool:
        self.autosave.flush()
        risk_id = self.register.undo()
        self._after_history(risk_id)
        return risk_id is not None

    def redo(self) -> bool:
        self.autosave.flush()
        risk_id = self.register.redo()
        self._after_history(risk_id)
        return risk_id is not None

    def undo_label(self) -> str | None:
        """What Undo would reverse, named for the Edit menu ("delete risk R3")."""
        return self._describe(self.register.history.next_undo())

    def redo_label(self) -> str | None:
        return self._describe(self.register.history.next_redo())

    def _describe(self, change: object) -> str | None:
        if change is None:
            return None
        try:
            code = self.register.get(change.risk_id).code or "?"  # type: ignore[attr-defined]
        except KeyError:
            code = "?"
        kind = change.kind  # type: ignore[attr-defined]
        if kind == "add":
            return _("add risk {code}").format(code=code)
        if kind == "delete":
            return _("delete risk {code}").format(code=code)
        field = FIELD_LABELS.get(change.field)  # type: ignore[attr-defined]
        return _("{field} of risk {code}").format(
            field=_(field) if field else change.field, code=code)  # type: ignore[attr-defined]

    def _after_history(self, risk_id: str | None) -> None:
        self.refresh()
        if risk_id and self.model.row_of(risk_id) >= 0:
            self.select_risk(risk_id)
            self._load_form()

    # -- feedback -------------------------------------------------------------------
    def check_work(self) -> None:
        self.autosave.flush()
        risks = self.model.risks()
        self._findings = check_register(risks) + (check_analysis(risks) if risks else [])
        self._render_feedback()

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def _render_feedback(self) -> None:
        self.feedback.show_findings(
            self._findings or None, lambda finding: render_finding(finding, _, format_percent),
            _("Press “Check my work” for feedback on your register."))
