"""The workshop: its details, its groups and their members."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGE_NAMES, _
from rmdesk.i18n.formatting import format_short_date
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.models import Workshop
from rmdesk.ui.common import Retranslatable, button_row, show_error


class WorkshopPage(Retranslatable, QWidget):
    edit_requested = Signal()
    groups_changed = Signal()
    use_group_requested = Signal(str)

    def __init__(self, workshops: WorkshopService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workshops = workshops
        self.workshop: Workshop | None = None
        self._filling = False
        self._details_stale = True

        self.details_box = QGroupBox()
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_requested)
        details_layout = QHBoxLayout(self.details_box)
        details_layout.addWidget(self.details, 1)
        details_layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)

        self.groups_box = QGroupBox()
        self.group_list = QListWidget()
        self.group_list.currentItemChanged.connect(lambda *_a: self._load_members())
        self.add_group_button = QPushButton()
        self.add_group_button.clicked.connect(self.add_group)
        self.rename_group_button = QPushButton()
        self.rename_group_button.clicked.connect(self.rename_group)
        self.remove_group_button = QPushButton()
        self.remove_group_button.clicked.connect(self.remove_group)
        self.use_group_button = QPushButton()
        self.use_group_button.clicked.connect(self._use_group)
        group_buttons = QVBoxLayout()
        for button in (self.add_group_button, self.rename_group_button,
                       self.remove_group_button, self.use_group_button):
            group_buttons.addWidget(button)
        group_buttons.addStretch(1)
        groups_layout = QHBoxLayout(self.groups_box)
        groups_layout.addWidget(self.group_list, 1)
        groups_layout.addLayout(group_buttons)

        self.members_box = QGroupBox()
        self.members = QTableWidget(0, 2)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.members.verticalHeader().hide()
        self.members.itemChanged.connect(self._member_edited)
        self.add_member_button = QPushButton()
        self.add_member_button.clicked.connect(self.add_member)
        self.remove_member_button = QPushButton()
        self.remove_member_button.clicked.connect(self.remove_member)
        member_buttons = button_row(self.add_member_button, self.remove_member_button)
        members_layout = QVBoxLayout(self.members_box)
        members_layout.addWidget(self.members)
        members_layout.addLayout(member_buttons)

        lower = QHBoxLayout()
        lower.addWidget(self.groups_box, 2)
        lower.addWidget(self.members_box, 3)
        # The overview of the groups' progress; the main window gives it its store and pack.
        self.progress_box = QGroupBox()
        self.progress_layout = QVBoxLayout(self.progress_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.details_box)
        layout.addLayout(lower, 1)
        layout.addWidget(self.progress_box, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.group_list.setAccessibleName(_("Groups"))
        self.group_list.setAccessibleDescription(_("The groups of this workshop; choose one "
                                                   "to see its members."))
        self.details_box.setTitle(_("Workshop"))
        self.edit_button.setText(_("Edit &details…"))
        self.groups_box.setTitle(_("Groups"))
        self.add_group_button.setText(_("Add group…"))
        self.rename_group_button.setText(_("Rename…"))
        self.remove_group_button.setText(_("Remove"))
        self.use_group_button.setText(_("Use this group on this laptop"))
        self.members_box.setTitle(_("Members of the selected group"))
        self.progress_box.setTitle(_("Progress (double-click an exercise to open it; ★ this "
                                     "laptop's group)"))
        self.members.setHorizontalHeaderLabels([_("Name"), _("Administration / country")])
        self.add_member_button.setText(_("Add member"))
        self.remove_member_button.setText(_("Remove member"))
        self._show_details()

    # -- workshop ------------------------------------------------------------------
    def set_workshop(self, workshop: Workshop | None) -> None:
        self.workshop = workshop
        self._show_details()
        self._load_groups()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._details_stale:
            self._show_details()
        super().showEvent(event)

    def _show_details(self) -> None:
        # Dates need babel's locale data: format them when the page is first seen, so a
        # start-up on another tab does not wait for it.
        self._details_stale = not self.isVisible()
        if self._details_stale:
            return
        w = self.workshop
        if w is None:
            self.details.setText("")
            return
        if w.start_date and w.end_date:
            dates = _("{start} to {end}").format(start=format_short_date(w.start_date),
                                                  end=format_short_date(w.end_date))
        else:
            dates = "—"
        langs = ", ".join(LANGUAGE_NAMES.get(code, code) for code in w.language_list)
        rows = [(_("Title"), w.title), (_("Venue"), w.venue or "—"), (_("Dates"), dates),
                (_("Working languages"), langs)]
        self.details.setText("<table>" + "".join(
            f"<tr><td><b>{html.escape(k)}:</b>&nbsp;</td><td>{html.escape(v)}</td></tr>"
            for k, v in rows) + "</table>")

    # -- groups --------------------------------------------------------------------
    def _load_groups(self, select_id: str | None = None) -> None:
        current = select_id or self.selected_group_id()
        self.group_list.blockSignals(True)
        self.group_list.clear()
        if self.workshop is not None:
            for group in self.workshops.list_groups(self.workshop.id):
                item = QListWidgetItem(group.name)
                item.setData(Qt.ItemDataRole.UserRole, group.id)
                self.group_list.addItem(item)
                if group.id == current:
                    self.group_list.setCurrentItem(item)
        if self.group_list.currentItem() is None and self.group_list.count():
            self.group_list.setCurrentRow(0)
        self.group_list.blockSignals(False)
        self._load_members()

    def selected_group_id(self) -> str | None:
        item = self.group_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add_group(self) -> None:
        if self.workshop is None:
            return
        suggestion = _("Group {n}").format(n=self.group_list.count() + 1)
        name, ok = QInputDialog.getText(self, _("Add group"), _("Group name:"), text=suggestion)
        if not ok:
            return
        try:
            group = self.workshops.add_group(self.workshop.id, name)
        except RmdeskError as exc:
            show_error(self, exc)
            return
        self._load_groups(group.id)
        self.groups_changed.emit()

    def rename_group(self) -> None:
        item = self.group_list.currentItem()
        if item is None:
            return
        name, ok = QInputDialog.getText(self, _("Rename group"), _("Group name:"),
                                        text=item.text())
        if not ok:
            return
        try:
            self.workshops.rename_group(item.data(Qt.ItemDataRole.UserRole), name)
        except RmdeskError as exc:
            show_error(self, exc)
            return
        self._load_groups()
        self.groups_changed.emit()

    def remove_group(self) -> None:
        item = self.group_list.currentItem()
        if item is None:
            return
        answer = QMessageBox.question(
            self, _("Remove group"),
            _("Remove {name} with its members and all its work? This cannot be undone.").format(
                name=item.text()),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.workshops.remove_group(item.data(Qt.ItemDataRole.UserRole))
        self._load_groups()
        self.groups_changed.emit()

    def _use_group(self) -> None:
        group_id = self.selected_group_id()
        if group_id:
            self.use_group_requested.emit(group_id)

    # -- members -------------------------------------------------------------------
    def _load_members(self) -> None:
        group_id = self.selected_group_id()
        self._filling = True
        self.members.setRowCount(0)
        for member in self.workshops.list_members(group_id) if group_id else []:
            row = self.members.rowCount()
            self.members.insertRow(row)
            for col, value in enumerate((member.name, member.administration)):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, member.id)
                self.members.setItem(row, col, cell)
        self._filling = False
        for button in (self.add_member_button, self.remove_member_button,
                       self.rename_group_button, self.remove_group_button, self.use_group_button):
            button.setEnabled(group_id is not None)

    def add_member(self) -> None:
        group_id = self.selected_group_id()
        if group_id is None:
            return
        self.workshops.add_member(group_id)
        self._load_members()
        row = self.members.rowCount() - 1
        self.members.setCurrentCell(row, 0)
        self.members.editItem(self.members.item(row, 0))

    def remove_member(self) -> None:
        item = self.members.currentItem()
        if item is None:
            return
        self.workshops.remove_member(item.data(Qt.ItemDataRole.UserRole))
        self._load_members()

    def _member_edited(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        member_id = item.data(Qt.ItemDataRole.UserRole)
        field = "name" if item.column() == 0 else "administration"
        try:
            self.workshops.update_member(member_id, **{field: item.text()})
        except RmdeskError as exc:
            show_error(self, exc)
