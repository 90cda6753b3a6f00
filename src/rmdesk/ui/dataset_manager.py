"""Manage the declaration data sets of this laptop: see them (rows, when imported, whether
they have the outcome), rename or delete the imported ones, print a data set's profile.

Reached from the targeting page's "Data:" combo and from the File menu. The built-in data
set is listed but cannot be renamed or deleted. Deleting asks first; runs already made on a
deleted data set keep their figures, and a group that had chosen it falls back to the
built-in practice declarations (the targeting page says so).

`dataset_events().changed` is emitted after a data set was imported, renamed or deleted,
so a page that lists data sets can refill at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, current_language, ngettext
from rmdesk.i18n.formatting import format_date, format_number
from rmdesk.services.datasets import MAX_NAME, DatasetInfo, DatasetService
from rmdesk.services.extra_columns import KIND_LABELS
from rmdesk.ui.common import (
    Retranslatable,
    plain_tip,
    resize_to_fit,
    save_file_dialog,
    show_error,
)


class DatasetEvents(QObject):
    changed = Signal()


_events: DatasetEvents | None = None


def dataset_events() -> DatasetEvents:
    """One notifier for the whole app (created on first use, in the GUI thread)."""
    global _events
    if _events is None:
        _events = DatasetEvents()
    return _events


def dataset_display_name(info: DatasetInfo) -> str:
    return _(info.name) if info.builtin else info.name


class DatasetManagerDialog(Retranslatable, QDialog):
    COLUMNS = 4  # name, declarations, imported on, outcome

    def __init__(self, service: DatasetService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.infos: list[DatasetInfo] = []
        self.changed = False  # something was renamed or deleted while the dialog was open
        self.last_pdf: Path | None = None  # the last profile printed
        self.show_pdf = True  # the tests turn the preview off
        self.print_thread = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.rename_selected())
        self.problems = QLabel()  # data sets left out because their files are damaged
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.rename_button = QPushButton()
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete_selected)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_profile)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.print_button, self.rename_button, self.delete_button):
            button.setAutoDefault(False)
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("F2"), self.table, self.rename_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table,
                  self.delete_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        resize_to_fit(self, 640, 340)
        self.reload()
        self.retranslate_ui()

    # -- contents -----------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        keep = select or (self.selected().id if self.selected() is not None else None)
        self.infos = self.service.list_datasets()
        self._fill()
        row = next((i for i, info in enumerate(self.infos) if info.id == keep),
                   1 if len(self.infos) > 1 else 0)
        self.table.selectRow(row)
        self._update_buttons()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.infos))
        for row, info in enumerate(self.infos):
            imported = (format_date(info.imported_at.astimezone().date(), fmt="medium")
                        if info.imported_at is not None else "—")
            cells = (dataset_display_name(info), format_number(info.rows), imported,
                     _("Yes") if info.has_outcome else _("No"))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0 and (info.source or info.extra):
                    lines = [_("Imported from {file}").format(file=info.source)] \
                        if info.source else []
                    if info.extra:  # the data set's own columns, that profiles may test
                        lines.append(_("Own columns: {columns}").format(columns="; ".join(
                            f"{spec.label} ({_(KIND_LABELS[spec.kind])})"
                            for spec in info.extra)))
                    item.setToolTip(plain_tip("\n".join(lines)))
                if col in (1,):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.problems.setVisible(bool(self.service.problems))
        self.problems.setText("\n".join(
            _("Left out: {problem}").format(problem=error.render(_))
            for error in self.service.problems))

    def selected(self) -> DatasetInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() \
            else []
        if not rows or not 0 <= rows[0].row() < len(self.infos):
            return None
        return self.infos[rows[0].row()]

    def select_dataset(self, dataset_id: str) -> None:
        for row, info in enumerate(self.infos):
            if info.id == dataset_id:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        info = self.selected()
        editable = info is not None and not info.builtin
        self.print_button.setEnabled(info is not None)
        self.rename_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        if info is not None and info.builtin:
            self.hint.setText(_("The built-in practice declarations cannot be renamed or "
                                "deleted."))
        else:
            self.hint.setText(_("Runs already made keep their figures when their data set "
                                "is renamed or deleted."))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Declaration data sets"))
        count = len(self.infos)
        self.intro.setText(ngettext(
            "{count} data set on this laptop, for the targeting simulation.",
            "{count} data sets on this laptop, for the targeting simulation.", count).format(
            count=format_number(count)))
        self.table.setHorizontalHeaderLabels(
            [_("Name"), _("Items"), _("Imported on"), _("Outcome")])
        self.print_button.setText(_("&Print profile…"))
        self.print_button.setToolTip(_("A PDF of the selected data set's profile: each "
                                       "field's values, items and non-compliance rates"))
        self.rename_button.setText(_("&Rename…"))
        self.rename_button.setToolTip(_("Give the selected data set another name (F2)"))
        self.delete_button.setText(_("&Delete…"))
        self.delete_button.setToolTip(_("Delete the selected data set from this laptop (Del)"))
        self._fill()
        self._update_buttons()

    # -- actions ------------------------------------------------------------------------
    def ask_name(self, current: str) -> str | None:
        """The new name, or None when cancelled (a seam for the tests)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Rename data set"))
        dialog.setLabelText(_("New &name for the data set:"))
        dialog.setTextValue(current)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        edit = dialog.findChild(QLineEdit)
        if edit is not None:
            edit.setMaxLength(MAX_NAME)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        name = dialog.textValue()
        dialog.deleteLater()
        return name if accepted else None

    def rename_selected(self) -> None:
        info = self.selected()
        if info is None or info.builtin:
            return
        name = self.ask_name(info.name)
        if name is None or " ".join(name.split()) == info.name:
            return
        try:
            updated = self.service.rename_dataset(info.id, name)
        except RmdeskError as error:
            show_error(self, error)
            return
        self._changed(updated.id)

    def confirm_delete(self, info: DatasetInfo) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Delete data set"), ngettext(
            "Delete the data set “{name}” ({count} item) from this laptop?",
            "Delete the data set “{name}” ({count} items) from this laptop?",
            info.rows).format(name=info.name, count=format_number(info.rows)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(_(
            "Runs already made on it keep their figures. Groups that chose it will run on "
            "the built-in practice declarations. This cannot be undone; import the CSV "
            "file again to have it back."))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(_("&Delete"))
        box.button(QMessageBox.StandardButton.No).setText(_("&Keep it"))
        box.exec()
        confirmed = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        box.deleteLater()
        return confirmed

    def delete_selected(self) -> None:
        info = self.selected()
        if info is None or info.builtin or not self.confirm_delete(info):
            return
        try:
            self.service.delete_dataset(info.id)
        except RmdeskError as error:
            show_error(self, error)
            self.reload()
            return
        self._changed(None)

    def ask_pdf_path(self, start: str) -> str:
        """Where to save the profile ("" when cancelled; a seam for the tests)."""
        return save_file_dialog(self, _("Save the data profile"), start,
                                _("PDF files (*.pdf)"))

    def print_profile(self) -> None:
        """The selected data set's profile as a PDF in the interface language, built in
        a worker thread, then shown in the print preview."""
        info = self.selected()
        if info is None:
            return
        name = dataset_display_name(info)
        start = Path.home() / (_("Data profile - {name}").format(name=name)[:120] + ".pdf")
        path = self.ask_pdf_path(str(start))
        if not path:
            return
        from rmdesk.services.data_profile import write_data_profile_pdf
        from rmdesk.ui.print_preview import (
            PrintPreviewDialog,
            open_externally,
            pdf_preview_available,
            run_job,
        )

        lang = current_language()

        def job(_progress, _is_cancelled):  # noqa: ANN001, ANN202 - in the worker
            return write_data_profile_pdf(self.service, info.id, name, lang, Path(path))

        def done(result: object) -> None:
            self.last_pdf = Path(str(result))
            if not self.show_pdf:
                return
            if pdf_preview_available():
                PrintPreviewDialog(self, self.last_pdf).exec()
            else:
                open_externally(self.last_pdf)

        self.print_thread = run_job(self, _("Printing"), _("Building the PDF…"), job, done)

    def _changed(self, select: str | None) -> None:
        self.changed = True
        self.reload(select)
        self.retranslate_ui()  # the count in the intro
        dataset_events().changed.emit()


def manage_datasets_dialog(parent: QWidget | None, store: object,
                           select: str | None = None) -> bool:
    """Show the data sets of the store's data folder; True if any was renamed or deleted."""
    dialog = DatasetManagerDialog(DatasetService.for_store(store), parent)
    if select is not None:
        dialog.select_dataset(select)
    try:
        dialog.exec()
        return dialog.changed
    finally:
        dialog.deleteLater()
