"""E13 compliance measurement: the survey design (population, strata, precision, sample
sizes), the draw on the practice declarations and its estimates, and the interpretation.

Left: what the survey is about and its strata, with the size of each stratum computed
from the data. Right: the precision, the group's own sample-size arithmetic, the draw
and what it estimates, the E8 hit rate to compare with, and the interpretation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.checks import Finding
from rmdesk.domain.compliance_survey import (
    ALLOCATIONS,
    MAX_STRATA,
    STRATIFY_BY,
    Z_VALUES,
    ComplianceSurvey,
    Stratum,
    design,
)
from rmdesk.i18n import N_, _
from rmdesk.i18n.formatting import (
    format_decimal_for_typing,
    format_number,
    format_percent,
    parse_typed_number,
    percent_suffix,
)
from rmdesk.services.compliance_survey import (
    SurveyService,
    builtin_population,
    format_money,
    renderer,
)
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.answer_widgets import LineTable
from rmdesk.ui.common import button_row

# Columns of the strata table; the last is computed from the data, never typed.
NAME, VALUES, ANTICIPATED, SAMPLE, SIZE = range(5)


def _percent_spin(maximum: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    spin.setKeyboardTracking(True)
    return spin


class ComplianceSurveyPage(AnswerPage):
    CHECK_TIP = N_("Check your design, arithmetic and interpretation (F5)")
    CHECK_HINT = N_("Press “Check my work” for feedback on your survey.")

    model: ComplianceSurvey

    def model_from(self, data: dict[str, Any]) -> ComplianceSurvey:
        return ComplianceSurvey.from_dict(data)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.survey_service = SurveyService(self.ctx.store)
        # Left: population and strata.
        self.population = QLineEdit()
        self.population.setObjectName("survey_population")
        self.population.textEdited.connect(lambda text: self._typed("population", text))
        self.population_label = QLabel()
        self.population_label.setBuddy(self.population)
        self.stratify = QComboBox()
        self.stratify.activated.connect(self._stratify_chosen)
        self.stratify_label = QLabel()
        self.stratify_label.setBuddy(self.stratify)
        self.allocation = QComboBox()
        self.allocation.activated.connect(self._allocation_chosen)
        self.allocation_label = QLabel()
        self.allocation_label.setBuddy(self.allocation)
        top = QFormLayout()
        top.addRow(self.population_label, self.population)
        top.addRow(self.stratify_label, self.stratify)
        top.addRow(self.allocation_label, self.allocation)

        self.strata = LineTable(5)
        self.strata.setObjectName("survey_strata")
        self.strata.text_edited.connect(self._stratum_typed)
        header = self.strata.horizontalHeader()
        for column in (ANTICIPATED, SAMPLE, SIZE):  # figures: as wide as their heading
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_stratum)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_stratum)
        self.values_hint = QLabel()
        self.values_hint.setWordWrap(True)
        self.values_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.values_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.design_box = QGroupBox()
        left = QVBoxLayout(self.design_box)
        left.addLayout(top)
        left.addWidget(self.strata, 1)
        left.addLayout(button_row(self.add_button, self.remove_button))
        left.addWidget(self.values_hint)

        # Right: precision, the arithmetic, the draw and the interpretation.
        self.confidence = QComboBox()
        self.confidence.activated.connect(self._confidence_chosen)
        self.margin = _percent_spin(50)
        self.anticipated = _percent_spin(100)
        self.n0 = QDoubleSpinBox()
        self.n0.setRange(0, 10_000_000)
        self.n0.setDecimals(1)
        self.n0.setSpecialValueText("—")  # 0: not worked out yet
        self.n = QSpinBox()
        self.n.setRange(0, 10_000_000)
        self.n.setSpecialValueText("—")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_147_483_647)
        for name, spin in (("margin", self.margin), ("anticipated", self.anticipated),
                           ("n0", self.n0), ("n", self.n), ("seed", self.seed)):
            spin.setObjectName(f"survey_{name}")
            spin.setKeyboardTracking(True)
            spin.valueChanged.connect(lambda _v, n=name: self._spun(n))
        self.form_labels = {name: QLabel() for name in (
            "confidence", "margin", "anticipated", "n0", "n", "seed")}
        form = QFormLayout()
        for name, widget in (("confidence", self.confidence), ("margin", self.margin),
                             ("anticipated", self.anticipated), ("n0", self.n0),
                             ("n", self.n)):
            self.form_labels[name].setBuddy(widget)
            form.addRow(self.form_labels[name], widget)
        self.draw_button = QPushButton()
        self.draw_button.setObjectName("survey_draw")
        self.draw_button.clicked.connect(self.draw_sample)
        self.form_labels["seed"].setBuddy(self.seed)
        draw_row = QHBoxLayout()
        draw_row.addWidget(self.draw_button)
        draw_row.addWidget(self.form_labels["seed"])
        draw_row.addWidget(self.seed)
        draw_row.addStretch(1)
        # Read-only text that scrolls: on a small screen the per-stratum lines need not fit.
        self.results = QPlainTextEdit()
        self.results.setObjectName("survey_results")
        self.results.setReadOnly(True)
        self.results.setFrameShape(QFrame.Shape.NoFrame)
        self.results.viewport().setAutoFillBackground(False)
        self.interpretation = QPlainTextEdit()
        self.interpretation.setObjectName("survey_interpretation")
        self.interpretation.setTabChangesFocus(True)
        self.interpretation.textChanged.connect(
            lambda: self._typed("interpretation", self.interpretation.toPlainText()))
        self.interpretation_label = QLabel()
        self.interpretation_label.setWordWrap(True)
        self.interpretation_label.setBuddy(self.interpretation)
        self.sample_box = QGroupBox()
        right = QVBoxLayout(self.sample_box)
        right.addLayout(form)
        right.addLayout(draw_row)
        right.addWidget(self.results, 3)
        right.addWidget(self.interpretation_label)
        right.addWidget(self.interpretation, 2)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.design_box)
        splitter.addWidget(self.sample_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def retranslate_editor(self) -> None:
        self.design_box.setTitle(_("Population and strata"))
        self.population_label.setText(_("Population:"))
        self.population.setPlaceholderText(_("Which declarations, which period"))
        self.stratify_label.setText(_("Strata by:"))
        self.allocation_label.setText(_("Allocation:"))
        self._refill_combos()
        self.strata.setHorizontalHeaderLabels([
            _("Stratum"), _("Values it covers"), _("Expected rate (%)"),
            _("Sample nₕ"), _("Declarations Nₕ")])
        self._strata_placeholders()
        self.add_button.setText(_("&Add stratum"))
        self.remove_button.setText(_("Remove stratum"))
        self.sample_box.setTitle(_("Sample size, draw and estimate"))
        for name, text in (("confidence", _("Confidence:")),
                           ("margin", _("Margin of error e:")),
                           ("anticipated", _("Expected non-compliance p:")),
                           ("n0", _("n0 before the correction:")),
                           ("n", _("n after the correction:")), ("seed", _("Seed:"))):
            self.form_labels[name].setText(text)
        for spin in (self.margin, self.anticipated):
            spin.setSuffix(percent_suffix())
        self.draw_button.setText(_("&Draw the sample"))
        self.draw_button.setToolTip(_("The engine draws the declarations of each stratum at "
                                      "random (the same seed gives the same sample) and "
                                      "estimates the population's non-compliance."))
        self.interpretation_label.setText(_(
            "Interpretation: compare with the hit rate of your targeted lanes in E8 and "
            "explain the difference."))
        self.interpretation.setPlaceholderText(_("Why do the targeted lanes find more than "
                                                 "the survey?"))
        self._show_design()

    def _refill_combos(self) -> None:
        from rmdesk.ui.common import refill_combo

        refill_combo(self.stratify, [(k, _(v)) for k, v in STRATIFY_BY.items()])
        refill_combo(self.allocation, [(k, _(v)) for k, v in ALLOCATIONS.items()])
        refill_combo(self.confidence, [(level, _("{percent} (z = {z})").format(
            percent=format_percent(level), z=format_number(z))) for level, z in Z_VALUES.items()])

    def _strata_placeholders(self) -> None:
        self.strata.set_placeholders([_("name"), _("e.g. sea, air"), "", "", ""])

    # -- model -> widgets -----------------------------------------------------------------
    def fill(self) -> None:
        model = self.model
        if self.population.text() != model.population:
            self.population.setText(model.population)
        for combo, value in ((self.stratify, model.stratify_by),
                             (self.allocation, model.allocation),
                             (self.confidence, model.confidence)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.margin.setValue(100 * (model.margin or 0.0))
        self.anticipated.setValue(100 * (model.anticipated or 0.0))
        self.n0.setValue(model.n0 or 0.0)
        self.n.setValue(model.n or 0)
        self.seed.setValue(model.seed)
        if self.interpretation.toPlainText() != model.interpretation:
            self.interpretation.setPlainText(model.interpretation)
        self._show_strata()
        self._show_design()

    def _show_strata(self) -> None:
        rows = [[s.name, s.values,
                 format_decimal_for_typing(100 * s.anticipated, decimals=1)
                 if s.anticipated is not None else "",
                 str(s.sample) if s.sample is not None else "", ""]
                for s in self.model.strata]
        self.strata.set_rows(rows)
        self._strata_placeholders()
        for row in range(self.strata.rowCount()):
            self.strata.editor(row, SIZE).setReadOnly(True)
            self.strata.editor(row, SIZE).setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.strata.editor(row, ANTICIPATED).setEnabled(
                self.model.allocation == "neyman")
        self.remove_button.setEnabled(bool(self.model.strata))
        self.add_button.setEnabled(len(self.model.strata) < MAX_STRATA)

    def _show_design(self) -> None:
        """The sizes the data give, the values to choose from, and the draw's results."""
        population = builtin_population()
        planned = design(self.model, population)
        for row, stratum in enumerate(planned.strata[:self.strata.rowCount()]):
            self.strata.editor(row, SIZE).setText(format_number(stratum.population))
        values = population.values(self.model.stratify_by)
        self.values_hint.setText(_("Values of {element} in the {count} declarations: "
                                   "{values}").format(
            element=_(STRATIFY_BY[self.model.stratify_by]),
            count=format_number(population.size),
            values=", ".join(f"{value} ({format_number(count)})"
                             for value, count in values.items())))
        lines = [_("N = {population} declarations in your strata.").format(
            population=format_number(planned.population))]
        result = self.survey_service.estimate(self.model)
        if result is None:
            lines.append(_("Draw the sample to see what it finds."))
        else:
            for stratum in result.strata:
                lines.append(_("{stratum}: {found} of {sample} non-compliant ({rate})").format(
                    stratum=stratum.name or "—", found=format_number(stratum.found),
                    sample=format_number(stratum.sample),
                    rate=format_percent(stratum.rate, digits=1)
                    if stratum.rate is not None else "—"))
            lines.append(_("Estimated non-compliance: {rate} ({low} to {high}, {confidence} "
                           "confidence).").format(
                rate=format_percent(result.rate, digits=1),
                low=format_percent(result.rate_low, digits=1),
                high=format_percent(result.rate_high, digits=1),
                confidence=format_percent(self.model.confidence)))
            lines.append(_("Revenue at risk: {revenue} ({low} to {high}).").format(
                revenue=format_money(result.revenue), low=format_money(result.revenue_low),
                high=format_money(result.revenue_high)))
        hit_rate = self.survey_service.targeted_hit_rate(self.group_id) \
            if self.group_id else None
        lines.append(_("Your last E8 run: hit rate {rate} of the items it selected.").format(
            rate=format_percent(hit_rate, digits=1)) if hit_rate is not None
            else _("No E8 run yet to compare with."))
        self.results.setPlainText("\n".join(lines))

    # -- edits ----------------------------------------------------------------------------
    def _typed(self, name: str, text: str) -> None:
        if not self.before_edit(name):
            return
        setattr(self.model, name, text)
        self.edited(typing=True)

    def _spun(self, name: str) -> None:
        if not self.before_edit(name):
            return
        if name in ("margin", "anticipated"):
            value = getattr(self, name).value() / 100
            setattr(self.model, name, value or None)
        elif name == "n0":
            self.model.n0 = self.n0.value() or None
        elif name == "n":
            self.model.n = self.n.value() or None
        else:
            self.model.seed = self.seed.value()
        self._show_design()
        self.edited(typing=True)

    def _choice(self, name: str, value: object) -> None:
        if not self.before_edit():
            return
        setattr(self.model, name, value)
        self._show_strata()
        self._show_design()
        self.edited()

    def _stratify_chosen(self, _index: int) -> None:
        self._choice("stratify_by", self.stratify.currentData())

    def _allocation_chosen(self, _index: int) -> None:
        self._choice("allocation", self.allocation.currentData())

    def _confidence_chosen(self, _index: int) -> None:
        self._choice("confidence", self.confidence.currentData())

    def _stratum_typed(self, row: int, column: int, text: str) -> None:
        if row >= len(self.model.strata) or column == SIZE or \
                not self.before_edit(f"stratum:{row}:{column}"):
            return
        stratum = self.model.strata[row]
        if column == NAME:
            stratum.name = text
        elif column == VALUES:
            stratum.values = text
        elif column == ANTICIPATED:
            value = parse_typed_number(text)
            stratum.anticipated = value / 100 if value is not None and 0 < value <= 100 \
                else None
        else:
            value = parse_typed_number(text)
            stratum.sample = int(round(value)) if value is not None and value >= 0 else None
        self._show_design()
        self.edited(typing=True)

    def add_stratum(self) -> None:
        if len(self.model.strata) >= MAX_STRATA or not self.before_edit():
            return
        self.model.strata.append(Stratum())
        self._show_strata()
        self._show_design()
        self.strata.setCurrentCell(len(self.model.strata) - 1, NAME)
        self.strata.editor(len(self.model.strata) - 1, NAME).setFocus()
        self.edited()

    def remove_stratum(self) -> None:
        row = self.strata.currentRow()
        if not 0 <= row < len(self.model.strata) or not self.before_edit():
            return
        del self.model.strata[row]
        self._show_strata()
        self._show_design()
        self.edited()

    def draw_sample(self) -> None:
        if not self.before_edit():
            return
        self.model.drawn = True
        self._show_design()
        self.edited()
        self.ctx.status(_("Sample drawn."))

    # -- feedback -------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        if self.group_id is None:
            return []
        return self.survey_service.findings(self.group_id, self.model)

    def render_finding(self, finding: Finding) -> str:
        return renderer()(finding)
