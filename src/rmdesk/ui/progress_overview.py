"""The workshop overview: every exercise with each group's progress (not started, in
progress, submitted). Double-clicking an exercise of the group on this laptop opens it,
so a group can move through the exercises in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.pack import ContentPack
from rmdesk.i18n import _, current_language
from rmdesk.store.database import Store
from rmdesk.ui.common import Retranslatable, plain_tip
from rmdesk.ui.exercise_bar import STATUS_LABELS
from rmdesk.ui.exercise_pages import TAB_TITLES

if TYPE_CHECKING:
    from rmdesk.services.facilitation import FacilitationService

# Shades that stay distinct in greyscale, and a mark, so colour is never the only cue.
STATUS_LOOK = {"not_started": ("#ffffff", "○"), "in_progress": ("#fff3c4", "◐"),
               "submitted": ("#cfe8cf", "●")}


class ProgressOverview(Retranslatable, QWidget):
    exercise_requested = Signal(str)  # exercise id

    def __init__(self, store: Store, pack: ContentPack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._facilitation: FacilitationService | None = None
        self.pack = pack
        self.workshop_id: str | None = None
        self.group_id: str | None = None
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.cellActivated.connect(self._activated)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    @property
    def facilitation(self) -> FacilitationService:
        """Made when the overview is first shown: start-up on another tab never loads it."""
        if self._facilitation is None:
            from rmdesk.services.facilitation import FacilitationService

            self._facilitation = FacilitationService(self.store)
        return self._facilitation

    def set_context(self, workshop_id: str | None, group_id: str | None,
                    pack: ContentPack) -> None:
        self.workshop_id, self.group_id, self.pack = workshop_id, group_id, pack
        self.refresh()

    def retranslate_ui(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if not self.workshop_id or not self.isVisible():
            return
        overview = self.facilitation.overview(self.workshop_id, self.pack)
        lang = current_language()
        self.table.clear()
        self.table.setRowCount(len(self.pack.exercises))
        self.table.setColumnCount(1 + len(overview.groups))
        self.table.setHorizontalHeaderLabels(
            [_("Exercise")] + [name + (" ★" if gid == self.group_id else "")
                               for gid, name in overview.groups])
        for row, exercise in enumerate(self.pack.exercises):
            short = TAB_TITLES.get(exercise.kind)
            item = QTableWidgetItem(_(short) if short else exercise.title.get(lang))
            item.setData(Qt.ItemDataRole.UserRole, exercise.id)
            item.setToolTip(plain_tip(exercise.title.get(lang)))
            self.table.setItem(row, 0, item)
            for col, (group_id, _name) in enumerate(overview.groups, start=1):
                status = overview.cell(group_id, exercise.id).status
                shade, mark = STATUS_LOOK.get(status, STATUS_LOOK["not_started"])
                cell = QTableWidgetItem(f"{mark} {_(STATUS_LABELS[status])}")
                cell.setBackground(QBrush(QColor(shade)))
                cell.setData(Qt.ItemDataRole.UserRole, exercise.id)
                self.table.setItem(row, col, cell)
        self.table.setAccessibleName(_("Progress of the groups"))
        self.table.setAccessibleDescription(_(
            "One row per exercise, one column per group: not started, in progress or "
            "submitted."))

    def showEvent(self, event: object) -> None:  # noqa: N802
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()

    def _activated(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.exercise_requested.emit(item.data(Qt.ItemDataRole.UserRole))
