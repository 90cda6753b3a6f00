"""E10 monitoring and review KPI plan: a KPI table with a form, and the variables list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.checks import ERROR, Finding
from rmdesk.domain.kpi_plan import (
    FREQUENCIES,
    KPI_FIELD_LABELS,
    KPI_FIELDS,
    MAX_KPIS,
    MAX_VARIABLES,
    Kpi,
    KpiPlan,
    Variable,
    analyse_formula,
    check_kpi_plan,
    render_kpi_finding,
)
from rmdesk.i18n import N_, _, current_language
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.answer_widgets import LineTable
from rmdesk.ui.common import button_row, plain_tip, refill_combo, select_rows_only

LINE_FIELDS = ("name", "formula", "source", "baseline", "target", "owner", "trigger")


KPI_COLUMN_WIDTHS = (150, 170, 120, 70, 70, 90, 100)  # at least; a heading may need more


class KpiPlanPage(AnswerPage):
    CHECK_TIP = N_("Check the structure of your answer (F5)")
    CHECK_HINT = N_("Press “Check my work” for feedback on your KPI plan.")

    model: KpiPlan

    def model_from(self, data: dict[str, Any]) -> KpiPlan:
        return KpiPlan.from_dict(data)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.table = QTableWidget(0, len(KPI_FIELDS))
        select_rows_only(self.table)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate(KPI_COLUMN_WIDTHS):
            self.table.setColumnWidth(col, width)
        self.table.currentCellChanged.connect(lambda row, *_a: self._show_kpi(row))
        self.table.doubleClicked.connect(lambda _i: self.fields["name"].setFocus())

        self.add_kpi_button = QPushButton()
        self.add_kpi_button.clicked.connect(self.add_kpi)
        self.remove_kpi_button = QPushButton()
        self.remove_kpi_button.clicked.connect(self.remove_kpi)
        kpi_buttons = button_row(self.add_kpi_button, self.remove_kpi_button)

        self.fields: dict[str, QLineEdit] = {}
        self.form_labels: dict[str, QLabel] = {}
        self.form = QWidget()
        left, right = QFormLayout(), QFormLayout()
        for name in KPI_FIELDS:
            label = QLabel()
            self.form_labels[name] = label
            if name == "frequency":
                self.frequency = QComboBox()
                self.frequency.activated.connect(self._frequency_chosen)
                label.setBuddy(self.frequency)
                right.addRow(label, self.frequency)
                continue
            edit = QLineEdit()
            edit.setObjectName(f"kpi_{name}")
            edit.textEdited.connect(lambda text, n=name: self._typed(n, text))
            self.fields[name] = edit
            label.setBuddy(edit)
            (left if name in ("name", "formula", "source", "owner") else right).addRow(
                label, edit)
        self.formula_status = QLabel()
        self.formula_status.setWordWrap(True)
        left.insertRow(2, "", self.formula_status)
        form_row = QHBoxLayout(self.form)
        form_row.setContentsMargins(0, 0, 0, 0)
        form_row.addLayout(left, 3)
        form_row.addLayout(right, 2)

        self.kpi_box = QGroupBox()
        kpis = QVBoxLayout(self.kpi_box)
        kpis.addWidget(self.table, 1)
        kpis.addLayout(kpi_buttons)
        kpis.addWidget(self.form)

        self.variables = LineTable(2)
        self.variables.text_edited.connect(self._variable_typed)
        self.variables.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Interactive)
        self.variables.setColumnWidth(0, 180)
        self.add_variable_button = QPushButton()
        self.add_variable_button.clicked.connect(self.add_variable)
        self.remove_variable_button = QPushButton()
        self.remove_variable_button.clicked.connect(self.remove_variable)
        variable_buttons = button_row(self.add_variable_button, self.remove_variable_button)
        self.variables_hint = QLabel()
        self.variables_hint.setWordWrap(True)
        self.variable_box = QGroupBox()
        variables = QVBoxLayout(self.variable_box)
        variables.addWidget(self.variables_hint)
        variables.addWidget(self.variables, 1)
        variables.addLayout(variable_buttons)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.kpi_box)
        splitter.addWidget(self.variable_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def retranslate_editor(self) -> None:
        self.kpi_box.setTitle(_("Key performance indicators"))
        self.table.setHorizontalHeaderLabels([_(KPI_FIELD_LABELS[f]) for f in KPI_FIELDS])
        header = self.table.horizontalHeader()
        for col in range(self.table.columnCount() - 1):  # headings are never cut
            self.table.setColumnWidth(col, max(KPI_COLUMN_WIDTHS[col],
                                               header.sectionSizeFromContents(col).width()))
        for name, label in self.form_labels.items():
            label.setText(_("{field}:").format(field=_(KPI_FIELD_LABELS[name])))
        placeholders = {
            "name": _("e.g. Hit rate of red-lane examinations"),
            "formula": _("e.g. hits / examinations * 100"),
            "source": _("e.g. Selectivity module, monthly extract"),
            "baseline": _("today's value"),
            "target": _("value aimed at"),
            "owner": _("who reports it"),
            "trigger": _("e.g. below 8 % two months running"),
        }
        for name, text in placeholders.items():
            self.fields[name].setPlaceholderText(text)
        refill_combo(self.frequency,
                     [("", "—")] + [(key, _(label)) for key, label in FREQUENCIES.items()])
        self.add_kpi_button.setText(_("&Add KPI"))
        self.remove_kpi_button.setText(_("Remove KPI"))
        self.variable_box.setTitle(_("Variables the formulas may use"))
        self.variables_hint.setText(_(
            "Name each quantity once (one word, e.g. hits or examinations) and say how it is "
            "counted. Formulas may use these names, numbers, + - * / ( ) and %."))
        self.variables.setHorizontalHeaderLabels([_("Variable"), _("Meaning")])
        self._variable_placeholders()
        self.add_variable_button.setText(_("Add &variable"))
        self.remove_variable_button.setText(_("Remove variable"))
        self._refresh_table()
        self._update_formula_status()

    def _variable_placeholders(self) -> None:
        self.variables.set_placeholders([_("name"), _("what it counts, and where from")])

    # -- model -> widgets -----------------------------------------------------------------
    def fill(self) -> None:
        self._refresh_table()
        self.variables.set_rows([[v.name, v.meaning] for v in self.model.variables])
        self._variable_placeholders()
        row = self.table.currentRow()
        if self.model.kpis and row < 0:
            self.table.setCurrentCell(0, 0)
        self._show_kpi(self.table.currentRow())

    def _cell_text(self, kpi: Kpi, name: str) -> str:
        if name == "frequency":
            return _(FREQUENCIES[kpi.frequency]) if kpi.frequency in FREQUENCIES else ""
        return " ".join(getattr(kpi, name).split())

    def _refresh_table(self) -> None:
        keep = self.table.currentRow()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.model.kpis))
        for row in range(len(self.model.kpis)):
            self._refresh_row(row)
        if self.model.kpis:
            self.table.setCurrentCell(min(max(keep, 0), len(self.model.kpis) - 1), 0)
        self.table.blockSignals(False)

    def _refresh_row(self, row: int) -> None:
        kpi = self.model.kpis[row]
        for col, name in enumerate(KPI_FIELDS):
            item = self.table.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, col, item)
            item.setText(self._cell_text(kpi, name))
            item.setToolTip(plain_tip(getattr(kpi, name)) if name != "frequency" else "")

    def current_kpi(self) -> Kpi | None:
        row = self.table.currentRow()
        return self.model.kpis[row] if 0 <= row < len(self.model.kpis) else None

    def _show_kpi(self, row: int) -> None:
        self._last_edit = None  # typing in another KPI is another undo step
        kpi = self.model.kpis[row] if 0 <= row < len(self.model.kpis) else None
        self.form.setEnabled(kpi is not None)
        self.remove_kpi_button.setEnabled(kpi is not None)
        for name, edit in self.fields.items():
            value = getattr(kpi, name) if kpi else ""
            if edit.text() != value:
                edit.setText(value)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(
            kpi.frequency if kpi else "")))
        self._update_formula_status()

    def _update_formula_status(self) -> None:
        kpi = self.current_kpi()
        if kpi is None or not kpi.formula.strip():
            self.formula_status.setText(_("Formulas are checked as you type; they are "
                                          "never calculated."))
            return
        analysis = analyse_formula(kpi.formula)
        defined = {v.name.strip().casefold() for v in self.model.variables}
        undefined = [n for n in analysis.names if n.casefold() not in defined]
        who = {"kpi": kpi.name.strip() or "…"}
        if analysis.problem is not None:
            finding = Finding(analysis.problem.code, ERROR, {**who, **analysis.problem.params})
            self.formula_status.setText("✗ " + render_kpi_finding(finding, _))
        elif undefined:
            finding = Finding("formula_undefined", ERROR, {**who, "names": undefined})
            self.formula_status.setText("✗ " + render_kpi_finding(finding, _))
        else:
            self.formula_status.setText("✓ " + _("The formula reads well."))

    # -- edits ----------------------------------------------------------------------------
    def _typed(self, name: str, text: str) -> None:
        kpi = self.current_kpi()
        if kpi is None or not self.before_edit(f"kpi:{self.table.currentRow()}:{name}"):
            return
        setattr(kpi, name, text)
        self._refresh_row(self.table.currentRow())
        if name == "formula":
            self._update_formula_status()
        self.edited(typing=True)

    def _frequency_chosen(self, _index: int) -> None:
        kpi = self.current_kpi()
        if kpi is None or not self.before_edit():
            return
        kpi.frequency = self.frequency.currentData() or ""
        self._refresh_row(self.table.currentRow())
        self.edited()

    def add_kpi(self) -> None:
        if len(self.model.kpis) >= MAX_KPIS:
            self.ctx.status(_("A plan holds at most {count} KPIs.").format(count=MAX_KPIS))
            return
        if not self.before_edit():
            return
        self.model.kpis.append(Kpi())
        self._refill()
        self.table.setCurrentCell(len(self.model.kpis) - 1, 0)
        self.fields["name"].setFocus()
        self.edited()

    def remove_kpi(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.model.kpis) or not self.before_edit():
            return
        name = self.model.kpis.pop(row).name.strip()
        self._refill()
        self.edited()
        self.ctx.status(_("KPI “{name}” removed (Undo brings it back).").format(
            name=name or f"#{row + 1}"))

    def _variable_typed(self, row: int, column: int, text: str) -> None:
        if not 0 <= row < len(self.model.variables) \
                or not self.before_edit(f"var:{row}:{column}"):
            return
        variable = self.model.variables[row]
        if column == 0:
            variable.name = text
        else:
            variable.meaning = text
        self._update_formula_status()
        self.edited(typing=True)

    def add_variable(self) -> None:
        if len(self.model.variables) >= MAX_VARIABLES:
            return
        if not self.before_edit():
            return
        self.model.variables.append(Variable())
        self._refill()
        row = len(self.model.variables) - 1
        self.variables.setCurrentCell(row, 0)
        self.variables.editor(row, 0).setFocus()
        self.edited()

    def remove_variable(self) -> None:
        row = self.variables.currentRow()
        if not 0 <= row < len(self.model.variables) or not self.before_edit():
            return
        self.model.variables.pop(row)
        self._refill()
        self.edited()

    # -- feedback -------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        return check_kpi_plan(self.model, current_language())

    def render_finding(self, finding: Finding) -> str:
        return render_kpi_finding(finding, _)
