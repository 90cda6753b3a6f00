"""E6 risk indicator selection: pick from the pack's bank, map, phase, reason; feedback."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.pack import ContentPack
from rmdesk.domain.checks import Finding
from rmdesk.domain.declaration_fields import FIELD_BY_NAME, VISIBLE_FIELDS
from rmdesk.domain.indicators import (
    PHASE_LABELS,
    IndicatorPick,
    check_indicator_selection,
    key_of,
    render_indicator_finding,
)
from rmdesk.i18n import _, current_language
from rmdesk.i18n.formatting import format_percent
from rmdesk.services.history import SnapshotHistory
from rmdesk.services.targeting import TargetingService
from rmdesk.ui.autosave import Autosaver
from rmdesk.ui.common import Retranslatable, bold_label, refill_combo, show_error
from rmdesk.ui.feedback import feedback_box
from rmdesk.ui.snapshot_undo import SnapshotUndo
from rmdesk.ui.whole_text import show_starts

COL_USE, COL_FIELD, COL_PHASE, COL_REASON = range(4)


class IndicatorsPage(SnapshotUndo, Retranslatable, QWidget):
    def __init__(self, targeting: TargetingService, pack: ContentPack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.targeting = targeting
        self.pack = pack
        self.group_id: str | None = None
        self._findings: list[Finding] = []
        self._loading = False
        # Typing a reason is saved like any other text: debounced, never lost.
        self.autosave = Autosaver(lambda indicator_id, _f, _v: self._save(indicator_id), self)
        self.autosave.failed.connect(lambda error: show_error(self, error))
        self.history = SnapshotHistory()  # Ctrl+Z on this page: the group's picks before

        self.title = bold_label(larger=3)
        self.instructions = QTextBrowser()
        self.instructions.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 10)
        self.instructions.setFrameShape(QFrame.Shape.NoFrame)
        self.no_group = QLabel()
        self.no_group.setWordWrap(True)

        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        # Rows follow the indicator column's width, so a long indicator wraps, never cut.
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_USE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_PHASE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.rows: dict[str, int] = {}
        self.table.itemChanged.connect(self._item_changed)

        self.feedback_box, self.check_button, self.feedback = feedback_box(self.check_work)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.feedback_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.instructions, self.no_group):
            layout.addWidget(widget)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()
        self.set_group(None)

    def set_pack(self, pack: ContentPack) -> None:
        """Another pack, another bank: the rows are rebuilt when next shown."""
        self.autosave.flush()
        self.pack = pack
        self.rows = {}
        self.table.setRowCount(0)
        if self.isVisible():
            self._ensure_rows()
        self.retranslate_ui()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self._ensure_rows()
        super().showEvent(event)

    def _ensure_rows(self) -> None:
        """The bank's rows (about 80 widgets) are built when the page is first shown, so
        start-up on another tab does not pay for them."""
        if self.rows or not self.pack.indicators:
            return
        self._loading = True
        self.table.setRowCount(len(self.pack.indicators))
        for row, indicator in enumerate(self.pack.indicators):
            self.rows[indicator.id] = row
            use = QTableWidgetItem()
            use.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            use.setCheckState(Qt.CheckState.Unchecked)
            use.setData(Qt.ItemDataRole.UserRole, indicator.id)
            self.table.setItem(row, COL_USE, use)
            for col in (COL_FIELD, COL_PHASE):
                combo = QComboBox()
                combo.activated.connect(lambda _i, i=indicator.id: self._changed(i))
                self.table.setCellWidget(row, col, combo)
            reason = QLineEdit()
            reason.textEdited.connect(lambda _text, i=indicator.id: self._reason_typed(i))
            self.table.setCellWidget(row, COL_REASON, reason)
        self._loading = False
        self.retranslate_ui()
        self.set_group(self.group_id)

    # -- texts ------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        lang = current_language()
        exercise = self.pack.exercise("indicator_selection")
        self.title.setText(exercise.title.get(lang) if exercise else _("Risk indicators"))
        self.instructions.setPlainText(exercise.instructions.get(lang) if exercise else "")
        self.no_group.setText(_("Choose the group on this laptop in the toolbar above to "
                                "start this exercise."))
        self.table.setHorizontalHeaderLabels(
            [_("Indicator"), _("Data element tested"), _("Phase"), _("Why"), ])
        fields = [("", "—")] + sorted(
            ((name, _(FIELD_BY_NAME[name].label)) for name in VISIBLE_FIELDS),
            key=lambda item: item[1].casefold())
        phases = [("", "—")] + [(key, _(label)) for key, label in PHASE_LABELS.items()]
        self._loading = True
        for indicator in self.pack.indicators if self.rows else ():
            row = self.rows[indicator.id]
            self.table.item(row, COL_USE).setText(f"{indicator.id}  {indicator.text.get(lang)}")
            refill_combo(self.table.cellWidget(row, COL_FIELD), fields)
            refill_combo(self.table.cellWidget(row, COL_PHASE), phases)
            self.table.cellWidget(row, COL_REASON).setPlaceholderText(
                _("Why is it a good indicator for this case?"))
        self._loading = False
        self.table.resizeRowsToContents()
        self.check_button.setText(_("Check my work"))
        self.feedback_box.setTitle(_("Feedback"))
        self._render_feedback()

    # -- state ------------------------------------------------------------------------
    def set_group(self, group_id: str | None) -> None:
        self.autosave.flush()
        if group_id != self.group_id:
            self.history.clear()
        self.group_id = group_id
        self._findings = []
        self.no_group.setVisible(group_id is None)
        self.splitter.setEnabled(group_id is not None)
        picks = {p.indicator_id: p for p in self.targeting.picks(group_id)} if group_id else {}
        self._loading = True
        for indicator_id, row in self.rows.items():
            pick = picks.get(indicator_id)
            self.table.item(row, COL_USE).setCheckState(
                Qt.CheckState.Checked if pick else Qt.CheckState.Unchecked)
            for col, value in ((COL_FIELD, pick.field if pick else ""),
                               (COL_PHASE, pick.phase if pick else "")):
                combo: QComboBox = self.table.cellWidget(row, col)  # type: ignore[assignment]
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.table.cellWidget(row, COL_REASON).setText(pick.reason if pick else "")
        self._loading = False
        show_starts(self.table)
        self._render_feedback()

    def _row_pick(self, indicator_id: str) -> IndicatorPick:
        row = self.rows[indicator_id]
        return IndicatorPick(
            indicator_id,
            self.table.cellWidget(row, COL_FIELD).currentData() or "",
            self.table.cellWidget(row, COL_PHASE).currentData() or "",
            self.table.cellWidget(row, COL_REASON).text(),
        )

    def is_chosen(self, indicator_id: str) -> bool:
        item = self.table.item(self.rows[indicator_id], COL_USE)
        return item.checkState() == Qt.CheckState.Checked

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._loading and item.column() == COL_USE:
            self._changed(item.data(Qt.ItemDataRole.UserRole))

    def _changed(self, indicator_id: str) -> None:
        if self._loading or self.group_id is None:
            return
        if self.sender() is not self.table:  # a combo, not the check box itself
            self._use(indicator_id)
        self.autosave.queue(indicator_id, "row", None)
        self.autosave.flush()

    def _reason_typed(self, indicator_id: str) -> None:
        if self.group_id is None:
            return
        self._use(indicator_id)
        self.autosave.queue(indicator_id, "reason", None)  # typing: debounced, not per key

    def _use(self, indicator_id: str) -> None:
        """Mapping an indicator or giving a reason for it means using it."""
        if not self.is_chosen(indicator_id):
            self._loading = True
            self.table.item(self.rows[indicator_id], COL_USE).setCheckState(
                Qt.CheckState.Checked)
            self._loading = False

    def _save(self, indicator_id: str) -> None:
        if self.group_id is None:
            return
        before = self.targeting.picks(self.group_id)
        if self.is_chosen(indicator_id):
            self.targeting.choose(self.group_id, self._row_pick(indicator_id))
        else:
            self.targeting.unchoose(self.group_id, indicator_id)
        old = next((p for p in before if p.indicator_id == indicator_id), None)
        new = next((p for p in self.targeting.picks(self.group_id)
                    if p.indicator_id == indicator_id), None)
        if old == new:
            return
        if old is not None and new is not None and old.reason != new.reason:
            label, key = _("reason for indicator {id}").format(id=indicator_id), \
                (indicator_id, "reason")
        else:
            label, key = _("choice of indicator {id}").format(id=indicator_id), None
        self.history.record(before, label, key)

    # -- undo -------------------------------------------------------------------------
    def flush(self) -> None:
        self.autosave.flush()

    def current_snapshot(self) -> object:
        assert self.group_id is not None
        return self.targeting.picks(self.group_id)

    def restore_snapshot(self, state: object) -> None:
        assert self.group_id is not None
        self.targeting.restore_picks(self.group_id, state)  # type: ignore[arg-type]
        self.set_group(self.group_id)

    # -- feedback ---------------------------------------------------------------------
    def check_work(self) -> None:
        self.autosave.flush()
        if self.group_id is None:
            return
        key = key_of(self.pack.indicators)
        self._findings = check_indicator_selection(self.targeting.picks(self.group_id), key)
        self._render_feedback()

    def _render_feedback(self) -> None:
        self.feedback.show_findings(
            self._findings or None,
            lambda finding: render_indicator_finding(finding, _, format_percent),
            _("Press “Check my work” for feedback on your selection."))
