"""E5 treatment plan: a row per risk to treat, a form for the chosen one, and the
before/after matrix. The risks and their inherent ratings come from E2-E3 and E4."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.answer_json import MAX_ANSWER_TEXT, iso_date
from rmdesk.domain.checks import Finding
from rmdesk.domain.evaluation import Evaluation
from rmdesk.domain.register import RiskEntry
from rmdesk.domain.scales import CONSEQUENCE_LABELS, LIKELIHOOD_LABELS
from rmdesk.domain.treatment import (
    OPTIONS,
    TreatmentPlan,
    TreatmentRow,
    check_treatment,
    matrix_moves,
    render_treatment_finding,
    risks_to_treat,
)
from rmdesk.i18n import N_, _
from rmdesk.i18n.formatting import format_short_date
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.common import plain_tip, refill_combo, select_rows_only
from rmdesk.ui.date_input import DateInput
from rmdesk.ui.treatment_matrix import BeforeAfterMatrix

COL_CODE, COL_EVENT, COL_NOW, COL_OPTION, COL_OWNER, COL_DUE, COL_TARGET = range(7)
# Form labels with their keyboard accelerators (Alt+letter); the menus use F, E, L and H.
FORM_LABELS: dict[str, str] = {
    "option": N_("&Option:"),
    "actions": N_("&Actions:"),
    "owner": N_("O&wner:"),
    "start": N_("&Start:"),
    "due": N_("D&ue:"),
    "resources": N_("&Resources:"),
    "residual_likelihood": N_("Res&idual likelihood:"),
    "residual_impact": N_("Residual co&nsequence:"),
    "kpi": N_("&KPI:"),
    "acceptor": N_("Residual accepted &by:"),
}


def position_text(likelihood: int | None, impact: int | None) -> str:
    if likelihood and impact:
        return f"{likelihood}×{impact} = {likelihood * impact}"
    return "—"


class TreatmentPage(AnswerPage):
    model: TreatmentPlan

    def model_from(self, data: dict[str, Any]) -> TreatmentPlan:
        return TreatmentPlan.from_dict(data)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.risks: list[RiskEntry] = []
        self.from_e4 = False
        self.current_id: str | None = None

        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        select_rows_only(self.table)
        header = self.table.horizontalHeader()
        for col in range(7):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # The long texts share the room left and stay on one line (full text in the
        # tooltip): sized to their contents, an owner's title squeezed the event into a
        # column one letter wide, wrapped over a dozen lines.
        for col in (COL_EVENT, COL_OWNER):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.currentCellChanged.connect(lambda row, *_a: self._row_chosen(row))
        self.matrix = BeforeAfterMatrix()

        self.form = QGroupBox()
        grid = QGridLayout(self.form)
        self.labels: dict[str, QLabel] = {name: QLabel() for name in FORM_LABELS}
        self.option = QComboBox()
        self.option.activated.connect(lambda _i: self._chose("option", self.option))
        self.residual_likelihood = QComboBox()
        self.residual_likelihood.activated.connect(
            lambda _i: self._chose("residual_likelihood", self.residual_likelihood))
        self.residual_impact = QComboBox()
        self.residual_impact.activated.connect(
            lambda _i: self._chose("residual_impact", self.residual_impact))
        self.actions = QPlainTextEdit()
        self.actions.setTabChangesFocus(True)
        self.actions.textChanged.connect(self._actions_typed)
        self.owner, self.resources, self.kpi = QLineEdit(), QLineEdit(), QLineEdit()
        self.acceptor = QLineEdit()
        for name in ("owner", "resources", "kpi", "acceptor"):
            edit: QLineEdit = getattr(self, name)
            edit.setMaxLength(MAX_ANSWER_TEXT)
            edit.textEdited.connect(lambda text, n=name: self._typed(n, text))
        self.start, self.due = DateInput(), DateInput()
        for name in ("start", "due"):
            field: DateInput = getattr(self, name)
            field.changed.connect(lambda iso, n=name: self._typed(n, iso))
            # Kept as typed, so that "Check my work" can say it is not a date.
            field.typed_other.connect(lambda text, n=name: self._typed(n, text))
        left = [("option", self.option), ("owner", self.owner), ("start", self.start),
                ("due", self.due), ("residual_likelihood", self.residual_likelihood),
                ("residual_impact", self.residual_impact)]
        for row, (name, widget) in enumerate(left):
            self.labels[name].setBuddy(widget.focusProxy() or widget)
            grid.addWidget(self.labels[name], row, 0)
            grid.addWidget(widget, row, 1)
        right = [("actions", self.actions, 3), ("resources", self.resources, 1),
                 ("kpi", self.kpi, 1), ("acceptor", self.acceptor, 1)]
        row = 0
        for name, widget, span in right:
            self.labels[name].setBuddy(widget)
            grid.addWidget(self.labels[name], row, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 3, span, 1)
            row += span
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)
        self.form.setEnabled(False)
        # Tab goes down the form's left column, then the right one.
        chain = [self.option, self.owner, self.start.edit, self.due.edit,
                 self.residual_likelihood, self.residual_impact, self.actions, self.resources,
                 self.kpi, self.acceptor]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.table)
        top.addWidget(self.matrix)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(self.form)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.source_label)
        layout.addWidget(body, 1)
        return editor

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # The register or E4 may have changed on their tabs.
        if self.group_id is not None:
            self.autosave.flush()
            self._refresh_risks()
        super().showEvent(event)

    # -- texts ------------------------------------------------------------------------
    def retranslate_editor(self) -> None:
        self.table.setHorizontalHeaderLabels([
            _("ID"), _("Event"), _("Now"), _("Option"), _("Owner"), _("Due"), _("Target")])
        for name, label in FORM_LABELS.items():
            self.labels[name].setText(_(label))
        refill_combo(self.option, [("", "—")] + [(k, _(v)) for k, v in OPTIONS.items()])
        refill_combo(self.residual_likelihood, [(None, "—")] + [
            (k, f"{k} · {_(v)}") for k, v in LIKELIHOOD_LABELS.items()])
        refill_combo(self.residual_impact, [(None, "—")] + [
            (k, f"{k} · {_(v)}") for k, v in CONSEQUENCE_LABELS.items()])
        self.actions.setPlaceholderText(_("What will be done, step by step"))
        self.owner.setPlaceholderText(_("Who answers for the treatment"))
        self.resources.setPlaceholderText(_("People, budget, equipment"))
        self.kpi.setPlaceholderText(_("How you will know it works"))
        self._update_source()
        self._fill_table()
        self._update_form_title()

    def _update_source(self) -> None:
        if self.group_id is None:
            self.source_label.setText("")
        elif not self.risks:
            self.source_label.setText(_(
                "No risk to treat yet: mark risks “treat” on the E4 tab, or rate the risks of "
                "the register on the E2–E3 tab."))
        elif self.from_e4:
            self.source_label.setText(_("The risks your group decided to treat in E4, in "
                                        "E4's order."))
        else:
            self.source_label.setText(_("E4 has no decisions yet, so every rated risk of the "
                                        "register is listed, highest score first."))

    def _update_form_title(self) -> None:
        risk = self._risk(self.current_id)
        if risk is None:
            self.form.setTitle(_("Choose a risk in the table to plan its treatment"))
        else:
            event = " ".join(risk.event.split())
            event = event if len(event) <= 70 else event[:69] + "…"
            self.form.setTitle(_("Treatment of {code}: {event}").format(
                code=risk.code or "?", event=event))

    # -- answer -----------------------------------------------------------------------
    def fill(self) -> None:
        self._refresh_risks()

    def _refresh_risks(self) -> None:
        all_risks = self.ctx.register.list_risks(self.group_id) if self.group_id else []
        evaluation = None
        e4 = self.ctx.pack.exercise("evaluation")
        if e4 is not None and self.group_id is not None:
            evaluation = Evaluation.from_dict(self.ctx.work.load(self.group_id, e4.id).data)
        self.from_e4 = evaluation is not None and evaluation.has_decisions(all_risks)
        self.risks = risks_to_treat(all_risks, evaluation)
        keep = self.current_id if self._risk(self.current_id) else (
            self.risks[0].id if self.risks else None)
        self.current_id = keep
        self._update_source()
        self._fill_table()
        self._show_form()

    def _risk(self, risk_id: str | None) -> RiskEntry | None:
        return next((r for r in self.risks if r.id == risk_id), None)

    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.risks))
        for row, risk in enumerate(self.risks):
            self._fill_row(row, risk)
        if self.current_id is not None:
            index = next((i for i, r in enumerate(self.risks) if r.id == self.current_id), -1)
            self.table.setCurrentCell(index, COL_CODE)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self.matrix.set_moves(matrix_moves(self.risks, self.model), self._current_code())

    def _fill_row(self, row: int, risk: RiskEntry) -> None:
        plan = self.model.row(risk.id)
        due = iso_date(plan.due)
        target = plan.residual(risk)
        texts = {
            COL_CODE: risk.code or "?",
            COL_EVENT: " ".join(risk.event.split()),
            COL_NOW: position_text(risk.likelihood, risk.impact),
            COL_OPTION: _(OPTIONS[plan.option]) if plan.option in OPTIONS else "—",
            COL_OWNER: plan.owner.strip() or "—",
            COL_DUE: format_short_date(due) if due else (plan.due.strip() or "—"),
            COL_TARGET: position_text(*target) if target else "—",
        }
        for col, text in texts.items():
            item = self.table.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, col, item)
            item.setText(text)
            item.setData(Qt.ItemDataRole.UserRole, risk.id)
        self.table.item(row, COL_EVENT).setToolTip(plain_tip(risk.event))
        self.table.item(row, COL_OWNER).setToolTip(plain_tip(plan.owner.strip()))

    def _current_code(self) -> str | None:
        risk = self._risk(self.current_id)
        return (risk.code or "?") if risk else None

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.risks) and self.risks[row].id != self.current_id:
            self.autosave.flush()
            self.current_id = self.risks[row].id
            self._show_form()
            self.matrix.set_moves(matrix_moves(self.risks, self.model), self._current_code())

    def select_risk(self, code: str) -> None:
        index = next(i for i, r in enumerate(self.risks) if r.code == code)
        self.table.setCurrentCell(index, COL_CODE)

    def _show_form(self) -> None:
        risk = self._risk(self.current_id)
        row = self.model.row(risk.id) if risk else TreatmentRow()
        loading, self._loading = self._loading, True
        self.form.setEnabled(risk is not None)
        for combo, value in ((self.option, row.option),
                             (self.residual_likelihood, row.residual_likelihood),
                             (self.residual_impact, row.residual_impact)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        if self.actions.toPlainText() != row.actions:
            self.actions.setPlainText(row.actions)
        for name in ("owner", "resources", "kpi", "acceptor"):
            edit: QLineEdit = getattr(self, name)
            if edit.text() != getattr(row, name):
                edit.setText(getattr(row, name))
        self.start.set_iso(row.start)
        self.due.set_iso(row.due)
        self._loading = loading
        self._update_form_title()

    # -- edits ------------------------------------------------------------------------
    def _edit_row(self, key: str | None = None) -> TreatmentRow | None:
        """The current risk's row, to change after before_edit(key); None if not now."""
        if self.current_id is None or not self.before_edit(
                None if key is None else f"{self.current_id}:{key}"):
            return None
        return self.model.rows.setdefault(self.current_id, TreatmentRow())

    def _after_edit(self) -> None:
        index = next((i for i, r in enumerate(self.risks) if r.id == self.current_id), None)
        if index is not None:
            self._fill_row(index, self.risks[index])
        self.matrix.set_moves(matrix_moves(self.risks, self.model), self._current_code())

    def _chose(self, name: str, combo: QComboBox) -> None:
        row = self._edit_row()
        if row is None:
            return
        value = combo.currentData()
        setattr(row, name, value if value is not None else ("" if name == "option" else None))
        self._after_edit()
        self.edited()

    def _typed(self, name: str, text: str) -> None:
        row = self._edit_row(name)
        if row is None:
            return
        setattr(row, name, text)
        self._after_edit()
        self.edited(typing=True)

    def _actions_typed(self) -> None:
        row = self._edit_row("actions")
        if row is None:
            return
        row.actions = self.actions.toPlainText()[:MAX_ANSWER_TEXT]
        self.edited(typing=True)

    # -- feedback ---------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        self._refresh_risks()
        from rmdesk.content.pack import appetite_rule

        return check_treatment(self.risks, self.model,
                               appetite_rule(self.ctx.pack.exercise("evaluation")),
                               from_e4=self.from_e4)

    def render_finding(self, finding: Finding) -> str:
        return render_treatment_finding(finding, _, format_short_date)
