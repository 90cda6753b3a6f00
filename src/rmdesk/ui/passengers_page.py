"""E16 passengers and conveyances: the group's passenger profiles (name, lane, rationale,
conditions on the API/PNR fields in the E7 criteria editor), their figures on the
generated passengers, the group's reading and the data-protection safeguards."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.answer_json import MAX_ANSWER_TEXT
from rmdesk.domain.checks import Finding
from rmdesk.domain.criteria import LANE_LABELS, LANES, Condition, Criterion, RuleSet
from rmdesk.domain.passengers import (
    PASSENGER_FIELD_BY_NAME,
    SAFEGUARD_LABELS,
    SAFEGUARDS,
    PassengerWork,
    check_passengers,
    passenger_table,
    render_passenger_finding,
    run_passengers,
)
from rmdesk.domain.profile_logic import ProfileLogic, logic_to_ruleset, ruleset_to_logic
from rmdesk.i18n import N_, _, current_language
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.common import plain_tip
from rmdesk.ui.criteria_editor import CriteriaEditor


class PassengersPage(AnswerPage):
    model: PassengerWork

    def model_from(self, data: dict[str, Any]) -> PassengerWork:
        return PassengerWork.from_dict(data)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.profiles = QListWidget()
        self.profiles.setWordWrap(True)  # long profile names wrap instead of scrolling
        self.profiles.currentRowChanged.connect(lambda _r: self._show_profile())
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.profiles_label = QLabel()
        column.addWidget(self.profiles_label)
        column.addWidget(self.profiles, 1)
        column.addLayout(buttons)

        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.name.textEdited.connect(self._renamed)
        self.lane = QComboBox()
        self.lane.activated.connect(lambda _i: self._lane_chosen())
        self.rationale = QLineEdit()
        self.rationale.setMaxLength(MAX_ANSWER_TEXT)
        self.rationale.textEdited.connect(self._rationale_typed)
        self.conditions = CriteriaEditor(field_set=PASSENGER_FIELD_BY_NAME,
                                         select_label=N_("Select a passenger when they meet"))
        self.conditions.watch_label.hide()  # passenger profiles test the fields only
        self.conditions.watch_lists.hide()
        self.conditions.changed.connect(self._logic_edited)
        self.nested = QLabel()
        self.nested.setWordWrap(True)
        self.form = QFormLayout()
        self.name_label, self.lane_label, self.rationale_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.lane_label, self.lane)
        self.form.addRow(self.rationale_label, self.rationale)
        middle = QWidget()
        detail = QVBoxLayout(middle)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addLayout(self.form)
        detail.addWidget(self.nested)
        detail.addWidget(self.conditions, 1)

        self.results_box = QGroupBox()
        self.results = QLabel()
        self.results.setWordWrap(True)
        self.results.setTextFormat(Qt.TextFormat.PlainText)
        self.results.setAlignment(Qt.AlignmentFlag.AlignTop)
        results_layout = QVBoxLayout(self.results_box)
        results_layout.addWidget(self.results)
        self.reading_label = QLabel()
        self.reading = QPlainTextEdit()
        self.reading.setMaximumHeight(90)
        self.reading.textChanged.connect(self._reading_typed)
        self.safeguards_box = QGroupBox()
        safe_form = QFormLayout(self.safeguards_box)
        self.safe_labels: dict[str, QLabel] = {}
        self.safe_edits: dict[str, QLineEdit] = {}
        for key in SAFEGUARDS:
            edit = QLineEdit()
            edit.setMaxLength(MAX_ANSWER_TEXT)
            edit.textEdited.connect(lambda text, k=key: self._safeguard_typed(k, text))
            self.safe_labels[key], self.safe_edits[key] = QLabel(), edit
            safe_form.addRow(self.safe_labels[key], edit)
        self.summary = QLabel()  # the figures, under the profile being written
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        detail.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 900])

        # The second tab: the figures of every profile, the reading and the safeguards.
        second = QWidget()
        grid = QHBoxLayout(second)
        grid.addWidget(self.results_box, 1)
        side = QVBoxLayout()
        side.addWidget(self.reading_label)
        side.addWidget(self.reading)
        side.addWidget(self.safeguards_box)
        side.addStretch(1)
        grid.addLayout(side, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "")
        self.tabs.addTab(second, "")
        return self.tabs

    # -- texts ----------------------------------------------------------------------------
    def retranslate_editor(self) -> None:
        self.profiles_label.setText(_("Passenger profiles"))
        self.add_button.setText(_("Add profile"))
        self.remove_button.setText(_("Remove profile"))
        self.name_label.setText(_("Profile name"))
        self.lane_label.setText(_("Lane"))
        self.rationale_label.setText(_("Rationale"))
        self.rationale.setPlaceholderText(_("Which risk, which indicators, what source"))
        self.lane.clear()
        for lane in LANES[1:]:
            self.lane.addItem(_(LANE_LABELS[lane]), lane)
        self.nested.setText(_("This profile's conditions are nested groups, which the rows "
                              "cannot show; they run and are checked as they are."))
        self.results_box.setTitle(_("Figures on the passengers"))
        self.tabs.setTabText(0, _("Passenger profiles"))
        self.tabs.setTabText(1, _("Figures and safeguards"))
        self.reading_label.setText(_("Your reading of the figures"))
        self.safeguards_box.setTitle(_("Data-protection safeguards"))
        for key in SAFEGUARDS:
            self.safe_labels[key].setText(_(SAFEGUARD_LABELS[key]))
            self.safe_edits[key].setAccessibleName(_(SAFEGUARD_LABELS[key]))
        # Screen readers name the inputs by these (the form's labels are not buddies).
        self.name.setAccessibleName(_("Profile name"))
        self.rationale.setAccessibleName(_("Rationale"))
        self.reading.setAccessibleName(_("Your reading of the figures"))
        self.profiles.setAccessibleName(_("Passenger profiles"))
        self.profiles.setAccessibleDescription(_("Passenger profiles"))
        self.fill()

    # -- answer ---------------------------------------------------------------------------
    def fill(self) -> None:
        criteria = self.model.ruleset.criteria
        row = self.profiles.currentRow()
        self.profiles.blockSignals(True)
        self.profiles.clear()
        for criterion in criteria:
            self.profiles.addItem(criterion.name)
            self.profiles.item(self.profiles.count() - 1).setToolTip(
                plain_tip(criterion.name))
        self.profiles.setCurrentRow(min(max(row, 0), len(criteria) - 1) if criteria else -1)
        self.profiles.blockSignals(False)
        if self.reading.toPlainText() != self.model.reading:
            self.reading.setPlainText(self.model.reading)
        for key in SAFEGUARDS:
            text = self.model.safeguards.get(key, "")
            if self.safe_edits[key].text() != text:
                self.safe_edits[key].setText(text)
                self.safe_edits[key].setCursorPosition(0)
        self._show_profile()

    def _current(self) -> int:
        row = self.profiles.currentRow()
        return row if 0 <= row < len(self.model.ruleset.criteria) else -1

    def _show_profile(self) -> None:
        loading, self._loading = self._loading, True
        try:
            row = self._current()
            for widget in (self.name, self.lane, self.rationale, self.conditions):
                widget.setEnabled(row >= 0)
            self.remove_button.setEnabled(row >= 0)
            if row < 0:
                self.name.clear()
                self.rationale.clear()
                self.conditions.set_logic(ProfileLogic())
                self.nested.hide()
            else:
                criterion = self.model.ruleset.criteria[row]
                self.name.setText(criterion.name)
                self.lane.setCurrentIndex(max(0, self.lane.findData(criterion.lane)))
                self.rationale.setText(self.model.rationale(row))
                self.rationale.setCursorPosition(0)
                logic = ruleset_to_logic(RuleSet(criteria=[criterion]), current_language())
                self.nested.setVisible(logic is None)
                self.conditions.setEnabled(logic is not None)
                self.conditions.set_logic(logic or ProfileLogic())
        finally:
            self._loading = loading
        self._show_results()

    def _show_results(self) -> None:
        """The engine's figures for the profiles as they are (a profile that cannot run
        yet is named by "Check my work")."""
        lang = current_language()
        work = self.model
        if not work.ruleset.criteria:
            self.results.setText(_("Add a profile to see what it selects."))
            self.summary.setText(self.results.text())
            return
        try:
            metrics = run_passengers(work).metrics
        except Exception:  # noqa: BLE001 - invalid criteria: the feedback says which
            self.results.setText(_("The profiles cannot run yet: press “Check my work” to "
                                   "see why."))
            self.summary.setText(self.results.text())
            return

        def pct(value: float | None) -> str:
            return "—" if value is None else format_percent(value, lang, digits=1)

        lines = [
            _("{selected} of {total} passengers selected ({rate}).").format(
                selected=format_number(metrics.selected, lang),
                total=format_number(metrics.rows, lang), rate=pct(metrics.selection_rate)),
            _("Hit rate {hit_rate}; all passengers {prevalence}; offenders found "
              "{detection}.").format(hit_rate=pct(metrics.hit_rate),
                                     prevalence=pct(metrics.prevalence),
                                     detection=pct(metrics.detection_rate)),
            "",
        ]
        for stats in metrics.criteria:
            lines.append(_("{profile}: {hits} selected, {finds} found ({hit_rate})").format(
                profile=stats.name, hits=format_number(stats.hits, lang),
                finds=format_number(stats.finds or 0, lang), hit_rate=pct(stats.hit_rate)))
        self.results.setText("\n".join(lines))
        self.summary.setText(" ".join(lines[:2]))

    # -- edits ----------------------------------------------------------------------------
    def _add(self) -> None:
        if not self.before_edit():
            return
        names = {c.name for c in self.model.ruleset.criteria}
        number = len(names) + 1
        while _("Profile {number}").format(number=number) in names:
            number += 1
        first = next(iter(PASSENGER_FIELD_BY_NAME))
        self.model.ruleset.criteria.append(Criterion(
            name=_("Profile {number}").format(number=number), lane="red",
            condition=Condition(op="and", items=[
                Condition(op="eq", field=first, value="")])))
        self.model.rationales += [""] * (len(self.model.ruleset.criteria)
                                         - len(self.model.rationales))
        self.profiles.addItem(self.model.ruleset.criteria[-1].name)
        self.profiles.setCurrentRow(self.profiles.count() - 1)
        self.edited()
        self._show_profile()

    def _remove(self) -> None:
        row = self._current()
        if row < 0 or not self.before_edit():
            return
        del self.model.ruleset.criteria[row]
        if row < len(self.model.rationales):
            del self.model.rationales[row]
        self.edited()
        self.fill()

    def _renamed(self, text: str) -> None:
        row = self._current()
        if row < 0 or not self.before_edit(f"name:{row}"):
            return
        self.model.ruleset.criteria[row].name = text
        self.profiles.item(row).setText(text)
        self.edited(typing=True)
        self._show_results()

    def _lane_chosen(self) -> None:
        row = self._current()
        if row < 0 or not self.before_edit():
            return
        self.model.ruleset.criteria[row].lane = self.lane.currentData()
        self.edited()
        self._show_results()

    def _rationale_typed(self, text: str) -> None:
        row = self._current()
        if row < 0 or not self.before_edit(f"rationale:{row}"):
            return
        rationales = self.model.rationales
        rationales += [""] * (row + 1 - len(rationales))
        rationales[row] = text
        self.edited(typing=True)

    def _logic_edited(self) -> None:
        row = self._current()
        if row < 0 or not self.before_edit(f"logic:{row}"):
            return
        criterion = self.model.ruleset.criteria[row]
        ruleset = logic_to_ruleset(self.conditions.logic(), criterion.name, criterion.lane,
                                   lang=current_language(), fields=PASSENGER_FIELD_BY_NAME)
        criterion.condition = ruleset.criteria[0].condition
        self.edited(typing=True)
        self._show_results()

    def _reading_typed(self) -> None:
        text = self.reading.toPlainText()
        if text == self.model.reading or not self.before_edit("reading"):
            return
        self.model.reading = text
        self.edited(typing=True)

    def _safeguard_typed(self, key: str, text: str) -> None:
        if not self.before_edit(f"safeguard:{key}"):
            return
        self.model.safeguards[key] = text
        self.edited(typing=True)

    # -- feedback -------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        return check_passengers(self.model, passenger_table())

    def render_finding(self, finding: Finding) -> str:
        lang = current_language()
        return render_passenger_finding(finding, _,
                                        lambda v: format_percent(v, lang, digits=1))
