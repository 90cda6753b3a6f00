"""E14 compliance pyramid: one row per trader segment of the pack (level, response,
measures, reason, link to an E5 treatment), the pyramid drawn beside it, and the facts of
the selected segment."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.pack import TraderSegment
from rmdesk.domain.answer_json import MAX_ANSWER_TEXT
from rmdesk.domain.checks import Finding
from rmdesk.domain.compliance_pyramid import (
    BEHAVIOURS,
    LEVELS,
    RESPONSES,
    SHORT_RESPONSES,
    CompliancePyramid,
    SegmentInfo,
    TreatmentRef,
    check_pyramid,
    render_pyramid_finding,
)
from rmdesk.domain.treatment import OPTIONS
from rmdesk.i18n import _, current_language
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.common import plain_tip, select_rows_only
from rmdesk.ui.pyramid_chart import PyramidChart
from rmdesk.ui.whole_text import show_starts

COL_SEGMENT, COL_LEVEL, COL_RESPONSE, COL_MEASURES, COL_REASON, COL_TREATMENT = range(6)
TEXT_COLUMNS = {COL_MEASURES: "measures", COL_REASON: "reason"}


class CompliancePyramidPage(AnswerPage):
    model: CompliancePyramid

    def model_from(self, data: dict[str, Any]) -> CompliancePyramid:
        return CompliancePyramid.from_dict(data)

    @property
    def segments(self) -> list[TraderSegment]:
        return list(self.exercise.segments)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.treatments: list[TreatmentRef] = []
        self.table = QTableWidget(len(self.exercise.segments), 6)
        select_rows_only(self.table)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in (COL_SEGMENT, COL_MEASURES, COL_REASON):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        for col in (COL_LEVEL, COL_RESPONSE, COL_TREATMENT):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(True)  # row numbers: the pyramid shows them
        self.table.currentCellChanged.connect(lambda *_a: self._show_selected())
        self.level_combos: list[QComboBox] = []
        self.response_combos: list[QComboBox] = []
        self.treatment_combos: list[QComboBox] = []
        self.edits: dict[tuple[int, str], QLineEdit] = {}
        for row, segment in enumerate(self.exercise.segments):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, COL_SEGMENT, item)
            for combos, col, name in ((self.level_combos, COL_LEVEL, "level"),
                                      (self.response_combos, COL_RESPONSE, "response"),
                                      (self.treatment_combos, COL_TREATMENT, "treatment")):
                combo = QComboBox()
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength({COL_LEVEL: 16, COL_RESPONSE: 9,
                                                COL_TREATMENT: 9}[col])
                combo.activated.connect(
                    lambda _i, sid=segment.id, c=combo, n=name: self._chosen(sid, n, c))
                combos.append(combo)
                self.table.setCellWidget(row, col, combo)
            for col, name in TEXT_COLUMNS.items():
                edit = QLineEdit()
                edit.setMaxLength(MAX_ANSWER_TEXT)
                edit.textEdited.connect(
                    lambda text, sid=segment.id, n=name: self._typed(sid, n, text))
                self.edits[(row, name)] = edit
                self.table.setCellWidget(row, col, edit)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setVisible(not self.exercise.segments)

        self.chart = PyramidChart()
        self.facts_box = QGroupBox()
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)  # a pack's text, never markup
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        facts_scroll = QScrollArea()  # long facts scroll inside the box
        facts_scroll.setWidgetResizable(True)
        facts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        facts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        facts_scroll.setWidget(self.facts)
        facts_layout = QVBoxLayout(self.facts_box)
        facts_layout.addWidget(facts_scroll, 1)
        side = QSplitter(Qt.Orientation.Vertical)
        side.setChildrenCollapsible(False)
        side.addWidget(self.chart)
        side.addWidget(self.facts_box)
        side.setStretchFactor(0, 1)
        side.setStretchFactor(1, 1)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.empty)
        column.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([830, 250])
        return splitter

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # The E5 plan may have changed on its page: offer its treatments as they are now.
        if self.group_id is not None:
            self.autosave.flush()
            self._load_treatments()
            loading, self._loading = self._loading, True
            self._fill_treatments()
            self._loading = loading
        super().showEvent(event)

    def _load_treatments(self) -> None:
        from rmdesk.services.work_checks import WorkChecks

        self.treatments = WorkChecks(self.ctx.store, self.ctx.pack).treatments(
            self.group_id) if self.group_id else []

    # -- texts ----------------------------------------------------------------------------
    def retranslate_editor(self) -> None:
        lang = current_language()
        self.empty.setText(_("This exercise has no trader segments to place."))
        self.table.setHorizontalHeaderLabels([
            _("Segment"), _("Behaviour (level)"), _("Response"), _("Measures"), _("Reason"),
            _("E5 treatment")])
        for row, segment in enumerate(self.segments):
            name = segment.name.get(lang)
            item = self.table.item(row, COL_SEGMENT)
            item.setText(name + (" · " + _("AEO") if segment.aeo else ""))
            item.setToolTip(plain_tip("\n".join("• " + f.get(lang) for f in segment.facts)))
            self.level_combos[row].setAccessibleName(_("Level of {segment}").format(
                segment=name))
            self.response_combos[row].setAccessibleName(_("Response to {segment}").format(
                segment=name))
            self.treatment_combos[row].setAccessibleName(
                _("E5 treatment of {segment}").format(segment=name))
            self.edits[(row, "measures")].setAccessibleName(
                _("Measures for {segment}").format(segment=name))
            self.edits[(row, "measures")].setPlaceholderText(_("What will be done, by whom"))
            self.edits[(row, "reason")].setAccessibleName(
                _("Reason for the level of {segment}").format(segment=name))
            self.edits[(row, "reason")].setPlaceholderText(_("Why this level, from the facts"))
            # The response shows its short name; its tooltip says what it means.
            for combo, labels, tips in ((self.level_combos[row], BEHAVIOURS, BEHAVIOURS),
                                        (self.response_combos[row], SHORT_RESPONSES,
                                         RESPONSES)):
                combo.clear()
                combo.addItem("—", "")
                for level in LEVELS:
                    combo.addItem(_(labels[level]), level)
                    combo.setItemData(combo.count() - 1, _(tips[level]),
                                      Qt.ItemDataRole.ToolTipRole)
        self.facts_box.setTitle(_("Facts of the selected segment"))
        self.fill()

    # -- answer -----------------------------------------------------------------------------
    def fill(self) -> None:
        self._load_treatments()  # the group's E5 plan, as it is now
        for row, segment in enumerate(self.segments):
            p = self.model.placement(segment.id)
            for combo, value in ((self.level_combos[row], p.level),
                                 (self.response_combos[row], p.response)):
                combo.setCurrentIndex(max(0, combo.findData(value)))
                combo.setToolTip(combo.itemData(combo.currentIndex(),
                                                Qt.ItemDataRole.ToolTipRole) or "")
            for name in TEXT_COLUMNS.values():
                edit = self.edits[(row, name)]
                if edit.text() != getattr(p, name):
                    edit.setText(getattr(p, name))
                    edit.setCursorPosition(0)
        self._fill_treatments()
        if self.table.currentRow() < 0 and self.segments:
            self.table.setCurrentCell(0, COL_SEGMENT)  # its facts show beside the table
        self.table.resizeRowsToContents()
        show_starts(self.table)
        self._update_chart()

    def _fill_treatments(self) -> None:
        """Each row's E5 choices: the plan's treatments; a link to a treatment gone from
        the plan stays visible, marked, until the group changes it."""
        known = {t.risk_id for t in self.treatments}
        for row, segment in enumerate(self.segments):
            combo = self.treatment_combos[row]
            current = self.model.placement(segment.id).treatment
            combo.clear()
            combo.addItem("—", "")
            for ref in self.treatments:
                option = _(OPTIONS[ref.option]) if ref.option in OPTIONS else "—"
                combo.addItem(f"{ref.code} · {option}", ref.risk_id)
                combo.setItemData(combo.count() - 1, plain_tip(ref.actions or ref.code),
                                  Qt.ItemDataRole.ToolTipRole)
            if current and current not in known:
                combo.addItem(_("⚠ not in the E5 plan"), current)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.setToolTip(combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
                             or combo.currentText())

    def _update_chart(self) -> None:
        placed: dict[str, list[int]] = {level: [] for level in LEVELS}
        for row, segment in enumerate(self.segments):
            level = self.model.placement(segment.id).level
            if level:
                placed[level].append(row + 1)
        current = self.table.currentRow()
        selected = self.model.placement(self.segments[current].id).level \
            if 0 <= current < len(self.segments) else ""
        self.chart.set_values(placed, selected)
        self._show_facts(current)

    def _show_selected(self) -> None:
        self._update_chart()

    def _show_facts(self, row: int) -> None:
        lang = current_language()
        if not 0 <= row < len(self.segments):
            self.facts.setText(_("Select a segment to read its facts."))
            return
        segment = self.segments[row]
        self.facts.setText(f"{row + 1}. {segment.name.get(lang)}\n\n" + "\n".join(
            "• " + fact.get(lang) for fact in segment.facts))

    # -- edits ------------------------------------------------------------------------------
    def _row_of(self, segment_id: str) -> int:
        return next(i for i, s in enumerate(self.segments) if s.id == segment_id)

    def _chosen(self, segment_id: str, name: str, combo: QComboBox) -> None:
        if not self.before_edit():
            return
        setattr(self.model.edit(segment_id), name, combo.currentData() or "")
        combo.setToolTip(combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
                         or "")
        self.table.setCurrentCell(self._row_of(segment_id), COL_SEGMENT)
        self._update_chart()
        self.edited()

    def _typed(self, segment_id: str, name: str, text: str) -> None:
        if not self.before_edit(f"{segment_id}:{name}"):
            return
        setattr(self.model.edit(segment_id), name, text)
        self.edited(typing=True)

    # -- feedback ---------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        self._load_treatments()
        loading, self._loading = self._loading, True
        self._fill_treatments()
        self._loading = loading
        return check_pyramid(self.model, [SegmentInfo(s.id, s.aeo) for s in self.segments],
                             self.treatments)

    def render_finding(self, finding: Finding) -> str:
        lang = current_language()
        return render_pyramid_finding(finding, _, {s.id: s.name.get(lang)
                                                   for s in self.segments})
