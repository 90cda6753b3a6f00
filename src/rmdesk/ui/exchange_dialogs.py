"""Moving work on a USB stick: the export dialog and the import dialog.

Entry points for the main window's File menu:

    export_dialog(parent, store, workshop_id, group_id)  -> Path | None
    import_dialog(parent, store)                         -> list[ImportReport] (applied)

The import dialog takes several files at once (Add files… or drag and drop), shows for
each what importing it would do (records to add and update, conflicts, or why the file
is refused), lets the user choose for each conflict, and applies every file on its own
— all or nothing per file — when asked. Conflicts left from earlier imports are listed
too. All the work is done by rmdesk.services.exchange.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_, _
from rmdesk.services import exchange as ex
from rmdesk.services.exchange import ExchangeService, ImportReport, PendingConflict
from rmdesk.services.exchange.archive import display_name
from rmdesk.store.database import Store
from rmdesk.ui.common import (
    Retranslatable,
    plain_tip,
    resize_to_fit,
    save_file_dialog,
    show_error,
    show_message,
)

FILE_FILTER = N_("rmdesk exchange files (*.rmdx)")
ACTION_TEXT: dict[str, str] = {
    ex.ADD: N_("Add"),
    ex.UPDATE: N_("Update"),
    ex.CONFLICT: N_("Conflict: changed here and in the file"),
    ex.PENDING: N_("Conflict (already waiting)"),
}
LATER, MINE, THEIRS = "later", ex.MINE, ex.THEIRS
CHOICES: tuple[tuple[str, str], ...] = (
    (LATER, N_("Decide later (keep both)")),
    (MINE, N_("Keep mine")),
    (THEIRS, N_("Take theirs")),
)
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _safe_name(text: str) -> str:
    return _UNSAFE_IN_NAMES.sub("_", text).strip(" .") or "rmdesk"


def _field_label(field: str) -> str:
    from rmdesk.domain.register import FIELD_LABELS

    label = FIELD_LABELS.get(field)
    return _(label) if label else field


# -- export -------------------------------------------------------------------------------
class ExportDialog(Retranslatable, QDialog):
    """Choose what to export (the workshop kit, or this group's work) and where."""

    def __init__(self, parent: QWidget | None, store: Store, workshop_id: str,
                 group_id: str | None, folder: Path | None = None,
                 allow_kit: bool = True) -> None:
        super().__init__(parent)
        self.service = ExchangeService(store)
        from rmdesk.services.workshops import WorkshopService

        workshops = WorkshopService(store)
        workshop = workshops.get_workshop(workshop_id)
        group = workshops.get_group(group_id) if group_id else None
        if workshop is None:
            raise RmdeskError("unknown_workshop", title=workshop_id)
        self.workshop, self.group = workshop, group
        # Only the facilitator's laptop holds the key that signs the workshop's kit.
        if allow_kit and not self.service.can_write_kit(workshop.id):
            if group is None:
                raise RmdeskError("exchange_not_facilitator", title=workshop.title)
            allow_kit = False
        self.groups = workshops.list_groups(workshop.id)
        self.kit_for_label = QLabel()
        self.kit_for = QComboBox()
        self.kit_for_label.setBuddy(self.kit_for)
        self.kit_radio = QRadioButton()
        self.work_radio = QRadioButton()
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.kit_radio)
        self.choice.addButton(self.work_radio)
        if group is None and not allow_kit:
            raise ValueError("nothing to export: no group, and the kit is not allowed")
        self.work_radio.setEnabled(group is not None)
        self.kit_radio.setEnabled(allow_kit)
        (self.work_radio if group is not None else self.kit_radio).setChecked(True)
        self.explain = QLabel()
        self.explain.setTextFormat(Qt.TextFormat.PlainText)  # quotes the group's name
        self.explain.setWordWrap(True)
        self.path_label = QLabel()
        self.path_edit = QLineEdit()
        self.path_label.setBuddy(self.path_edit)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.export_now)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.kit_radio)
        kit_row = QHBoxLayout()
        kit_row.addSpacing(24)
        kit_row.addWidget(self.kit_for_label)
        kit_row.addWidget(self.kit_for, 1)
        layout.addLayout(kit_row)
        layout.addWidget(self.work_radio)
        layout.addWidget(self.explain)
        layout.addWidget(self.path_label)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self._folder = folder or Path.home()
        self._name_edited = False
        self.path_edit.textEdited.connect(lambda _t: setattr(self, "_name_edited", True))
        self.choice.buttonToggled.connect(lambda *_a: self._kind_changed())
        self.kit_for.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.written: Path | None = None
        self.retranslate_ui()
        self.path_edit.setText(str(self._folder / self.default_name()))
        resize_to_fit(self, 580, self.sizeHint().height())
        self._fit_height()

    def _fit_height(self) -> None:
        """Room for the whole explanation, whose length depends on the choice and the
        language (a wrapped label's height follows from the width it is given)."""
        margins = self.layout().contentsMargins()
        width = max(self.width(), 580) - margins.left() - margins.right()
        self.explain.setMinimumHeight(self.explain.heightForWidth(width))
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    @property
    def is_kit(self) -> bool:
        return self.kit_radio.isChecked()

    @property
    def kit_group_id(self) -> str | None:
        """The group whose laptops the kit sets up (None: a kit for no group)."""
        return self.kit_for.currentData()

    def _fill_kit_groups(self) -> None:
        """Refilled on every language switch; the chosen group stays chosen."""
        chosen = self.kit_for.currentData() if self.kit_for.count() else (
            self.group.id if self.group is not None else None)
        self.kit_for.blockSignals(True)
        self.kit_for.clear()
        self.kit_for.addItem(_("No group (the laptop cannot send group work)"), None)
        for group in self.groups:
            self.kit_for.addItem(group.name, group.id)
        index = self.kit_for.findData(chosen)
        self.kit_for.setCurrentIndex(max(index, 0))
        self.kit_for.blockSignals(False)

    def default_name(self) -> str:
        kit_group = next((g for g in self.groups if g.id == self.kit_group_id), None)
        if self.is_kit and kit_group is not None:
            name = _("{workshop} - workshop kit for {group}").format(
                workshop=self.workshop.title, group=kit_group.name)
        elif self.is_kit or self.group is None:
            name = _("{workshop} - workshop kit").format(workshop=self.workshop.title)
        else:
            name = _("{workshop} - {group}").format(workshop=self.workshop.title,
                                                    group=self.group.name)
        return _safe_name(name) + ex.SUFFIX

    def _kind_changed(self) -> None:
        self._explain()
        self._fit_height()
        if not self._name_edited:
            folder = Path(self.path_edit.text()).expanduser().parent
            self.path_edit.setText(str(folder / self.default_name()))

    def _explain(self) -> None:
        self.kit_for.setEnabled(self.is_kit)
        self.kit_for_label.setEnabled(self.is_kit)
        if self.is_kit:
            self.explain.setText(_(
                "The workshop, its groups and members, the exercise phases and the content "
                "pack, for the participants' laptops. Import it there to get ready. A kit "
                "for a group also lets those laptops sign that group's work, and no other "
                "group's: write one kit per group."))
        else:
            self.explain.setText(_(
                "Everything group “{group}” has done, for the facilitator's laptop. The "
                "facilitator's feedback and scores are not included.").format(
                group=self.group.name if self.group else ""))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Export for another laptop"))
        self.kit_radio.setText(_("&Workshop kit, for the participants' laptops"))
        self.work_radio.setText(_("This &group's work, for the facilitator"))
        self.path_label.setText(_("&Save as:"))
        self.browse.setText(_("&Browse…"))
        self.kit_for_label.setText(_("For the laptops &of:"))
        self._fill_kit_groups()
        self._explain()
        if self.layout() is not None:
            self._fit_height()

    def _browse(self) -> None:
        path = save_file_dialog(self, _("Export for another laptop"), self.path_edit.text(),
                                _(FILE_FILTER))
        if path:
            if not path.lower().endswith(ex.SUFFIX):
                path += ex.SUFFIX
            self.path_edit.setText(path)
            self._name_edited = True

    def chosen_path(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text).expanduser()
        if text and not path.suffix:
            path = path.with_name(path.name + ex.SUFFIX)
        return path

    def export_now(self) -> None:
        """Write the file; stay open with the error shown if it cannot be written."""
        path = self.chosen_path()
        if not self.path_edit.text().strip():
            self.path_edit.setFocus()
            return
        try:
            self.service.store.check()  # a damaged store is not copied to other laptops
            if self.is_kit:
                self.service.export_kit(self.workshop.id, path, self.kit_group_id)
            else:
                assert self.group is not None
                self.service.export_group_work(self.group.id, path)
        except RmdeskError as exc:
            show_error(self, exc)
            return
        self.written = path
        self.accept()


def export_dialog(parent: QWidget | None, store: Store, workshop_id: str,
                  group_id: str | None, *, allow_kit: bool = True) -> Path | None:
    """Ask what to export and where, write it, and say where it went. `allow_kit=False`
    leaves only the group's work (for a laptop not in facilitator mode)."""
    try:
        dialog = ExportDialog(parent, store, workshop_id, group_id, allow_kit=allow_kit)
    except RmdeskError as exc:
        show_error(parent, exc)
        return None
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.written is None:
        return None
    show_message(parent, _("Export for another laptop"),
                 _("Saved to:\n{path}").format(path=dialog.written))
    return dialog.written


# -- import -------------------------------------------------------------------------------
class ImportDialog(Retranslatable, QDialog):
    """Preview several exchange files, choose for conflicts, import on confirmation."""

    COLUMNS = 3

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self.service = ExchangeService(store)
        self.paths: list[Path] = []
        self.previews: dict[Path, ImportReport] = {}
        self.results: dict[Path, ImportReport] = {}
        self.pending: list[PendingConflict] = []
        # (file or None for waiting conflicts, table, key) -> combo box of the choice
        self.choices: dict[tuple[Path | None, str, str], QComboBox] = {}
        self.kept_choices: dict[tuple[Path | None, str, str], str] = {}
        self.setAcceptDrops(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(self.COLUMNS)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setAlternatingRowColors(True)
        self.details = QLabel()  # the whole text of the current row: reasons can be long
        self.details.setTextFormat(Qt.TextFormat.PlainText)  # names and reasons from a file
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree.currentItemChanged.connect(self._show_details)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.setColumnWidth(0, 300)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self._choose_files)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._remove_selected)
        self.remove_button.setShortcut(Qt.Key.Key_Delete)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.clicked.connect(self.apply)
        self.close_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.details)
        layout.addLayout(row)
        resize_to_fit(self, 900, 520)
        self._load_pending()
        self.retranslate_ui()

    # -- files ------------------------------------------------------------------------------
    def add_files(self, paths: list[Path | str]) -> None:
        """Add files (from the file dialog or a drop) and preview each."""
        new = [Path(p) for p in paths if Path(p) not in self.paths]
        if not new:
            return
        progress = None
        if len(new) > 3:
            progress = QProgressDialog(_("Reading the files…"), _("Cancel"), 0, len(new), self)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(300)
        for index, path in enumerate(new):
            if progress is not None:
                if progress.wasCanceled():
                    break
                progress.setValue(index)
                QApplication.processEvents()
            self.paths.append(path)
            self.previews[path] = self.service.preview(path)
        if progress is not None:
            progress.setValue(len(new))
        self._rebuild()

    def _choose_files(self) -> None:
        paths, _selected = QFileDialog.getOpenFileNames(
            self, _("Import work from other laptops"), str(Path.home()),
            _(FILE_FILTER) + ";;" + _("All files (*)"),
            options=QFileDialog.Option.DontUseNativeDialog)
        self.add_files(paths)

    def _remove_selected(self) -> None:
        chosen = {item.data(0, Qt.ItemDataRole.UserRole) for item in self.tree.selectedItems()}
        for path in [p for p in self.paths if str(p) in chosen and p not in self.results]:
            self.paths.remove(path)
            self.previews.pop(path, None)
        self._rebuild()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    # -- applying ---------------------------------------------------------------------------
    def resolutions_for(self, path: Path | None) -> dict[tuple[str, str], Any]:
        """The choices made for a file's conflicts, each tied to this laptop's version
        shown in the preview: if that record was edited since, the choice does not apply
        and the conflict waits (nothing is overwritten unseen)."""
        seen: dict[tuple[str, str], str | None] = {}
        preview = self.previews.get(path) if path is not None else None
        if preview is not None:
            seen = {(c.table, c.key): c.local_hash for c in preview.changes}
        out: dict[tuple[str, str], Any] = {}
        for (owner, table, key), combo in self.choices.items():
            value = combo.currentData()
            if owner == path and value in (MINE, THEIRS):
                out[(table, key)] = (value, seen[(table, key)]) if (table, key) in seen \
                    else value
        return out

    def apply(self) -> None:
        """Import every previewed file that was not refused, then settle chosen conflicts."""
        todo = [p for p in self.paths if p not in self.results
                and self.previews[p].error is None]
        self._remember_choices()
        progress = None
        if len(todo) > 3:
            progress = QProgressDialog(_("Importing…"), "", 0, len(todo), self)
            progress.setCancelButton(None)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(300)
        for index, path in enumerate(todo):
            if progress is not None:
                progress.setValue(index)
                QApplication.processEvents()
            self.results[path] = self.service.import_file(
                path, resolutions=self.resolutions_for(path))
        if progress is not None:
            progress.setValue(len(todo))
        for conflict in self.pending:
            choice = self.resolutions_for(None).get((conflict.table, conflict.key))
            if isinstance(choice, tuple):  # pragma: no cover - pending ones have no preview
                choice = choice[0]
            if choice is not None:
                try:
                    self.service.resolve(conflict.id, choice)
                except RmdeskError as exc:
                    show_error(self, exc)
        self._load_pending()
        self._rebuild()

    def applied_reports(self) -> list[ImportReport]:
        return [r for r in self.results.values() if r.applied]

    def _remember_choices(self) -> None:
        self.kept_choices = {k: c.currentData() for k, c in self.choices.items()}

    def _load_pending(self) -> None:
        self.pending = self.service.pending_conflicts()

    # -- showing ----------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Import work from other laptops"))
        self.hint.setText(_(
            "Add workshop kits or group work files, or drop them here. Each file is checked "
            "and shown with what importing it would change; nothing is written until you "
            "choose Import. A file that cannot be imported safely is refused whole."))
        self.tree.setHeaderLabels([_("File or record"), _("What happens"), _("Your choice")])
        self.add_button.setText(_("&Add files…"))
        self.remove_button.setText(_("&Remove"))
        self.import_button.setText(_("&Import"))
        self._rebuild()

    def _summary(self, report: ImportReport, done: bool) -> str:
        if report.error is not None:
            return _("Refused: {reason}").format(reason=report.error.render(_))
        template = (_("Imported: added {added} · updated {updated} · conflicts {conflicts} · "
                      "unchanged {unchanged}") if done else
                    _("Ready: add {added} · update {updated} · conflicts {conflicts} · "
                      "unchanged {unchanged}"))
        return template.format(added=report.added, updated=report.updated,
                               conflicts=len(report.conflicts), unchanged=report.unchanged)

    @staticmethod
    def _describe(report: ImportReport) -> str:
        if report.kind == ex.KIT and report.group_name:
            return _("Workshop kit: “{workshop}”, for the laptops of group “{group}”").format(
                workshop=report.workshop_title, group=report.group_name)
        if report.kind == ex.KIT:
            return _("Workshop kit: “{workshop}”").format(workshop=report.workshop_title)
        if report.kind == ex.GROUP_WORK:
            return _("Work of group “{group}”, workshop “{workshop}”").format(
                group=report.group_name, workshop=report.workshop_title)
        return ""

    def _choice_box(self, key: tuple[Path | None, str, str]) -> QComboBox:
        combo = QComboBox()
        for value, label in CHOICES:
            combo.addItem(_(label), value)
        previous = self.kept_choices.get(key)
        if previous is not None:
            combo.setCurrentIndex(max(0, combo.findData(previous)))
        combo.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.choices[key] = combo
        return combo

    def _difference_rows(self, parent: QTreeWidgetItem,
                         differences: tuple[tuple[str, Any, Any], ...]) -> None:
        for field, mine, theirs in differences:
            label = _field_label(field)
            for template, value in ((_("{field} (this laptop)"), mine),
                                    (_("{field} (the file)"), theirs)):
                text = "" if value is None else str(value)
                child = QTreeWidgetItem(parent, [template.format(field=label), text])
                child.setToolTip(1, plain_tip(text))

    def _rebuild(self) -> None:
        if self.choices:
            self._remember_choices()
        self.tree.clear()
        self.choices = {}
        for path in self.paths:
            done = path in self.results
            report = self.results.get(path) or self.previews[path]
            item = QTreeWidgetItem(self.tree, [display_name(path), self._summary(report, done)])
            item.setData(0, Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(0, plain_tip("\n".join(t for t in (str(path), self._describe(report))
                                                if t)))
            item.setToolTip(1, plain_tip(item.text(1)))
            if report.error is not None:
                item.setForeground(1, Qt.GlobalColor.darkRed)
            for change in report.changes:
                if change.action not in ACTION_TEXT or (done and change.action == ex.PENDING):
                    continue
                if done and change.action == ex.CONFLICT:
                    continue  # now listed below with the conflicts waiting for a choice
                child = QTreeWidgetItem(item, [
                    _("{what}: {label}").format(what=_(change.table_label),
                                             label=change.label or change.key),
                    _(ACTION_TEXT[change.action])])
                if change.action in (ex.CONFLICT, ex.PENDING) and not done:
                    key = (path, change.table, change.key)
                    self.tree.setItemWidget(child, 2, self._choice_box(key))
                    self._difference_rows(child, change.differences)
                    child.setExpanded(True)
            for file_change in report.files:
                if file_change.action == "add":
                    QTreeWidgetItem(item, [file_change.path, _(ACTION_TEXT[ex.ADD])])
            item.setExpanded(len(report.conflicts) > 0 and not done)
        if self.pending:
            waiting = QTreeWidgetItem(self.tree, [_("Conflicts waiting for a choice"), str(
                len(self.pending))])
            for conflict in self.pending:
                child = QTreeWidgetItem(waiting, [
                    _("{what}: {label}").format(what=_(conflict.table_label),
                                             label=conflict.label or conflict.key),
                    _("from {file}").format(file=conflict.source)])
                key = (None, conflict.table, conflict.key)
                self.tree.setItemWidget(child, 2, self._choice_box(key))
                self._difference_rows(child, conflict.differences)
                child.setExpanded(True)
            waiting.setExpanded(True)
        refused = [self.tree.topLevelItem(i) for i, path in enumerate(self.paths)
                   if (self.results.get(path) or self.previews[path]).error is not None]
        if refused:
            self.tree.setCurrentItem(refused[-1])
        self._show_details(self.tree.currentItem())
        self._update_buttons()

    def _show_details(self, current: QTreeWidgetItem | None, _previous: object = None) -> None:
        if current is None:
            self.details.clear()
            return
        parts = [current.toolTip(0) or current.text(0), current.toolTip(1) or current.text(1)]
        self.details.setText("\n".join(p for p in parts if p))

    def _update_buttons(self) -> None:
        files_left = any(p not in self.results and self.previews[p].error is None
                         for p in self.paths)
        choices_made = any(combo.currentData() in (MINE, THEIRS)
                           for (owner, _t, _k), combo in self.choices.items() if owner is None)
        self.import_button.setEnabled(files_left or choices_made)
        self.remove_button.setEnabled(any(p not in self.results for p in self.paths))


def import_dialog(parent: QWidget | None, store: Store) -> list[ImportReport]:
    """Run the import dialog; returns the reports of the files imported (so the caller
    can refresh what it shows when any were)."""
    dialog = ImportDialog(parent, store)
    dialog.exec()
    return dialog.applied_reports()
