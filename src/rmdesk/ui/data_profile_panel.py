"""The data profile beside E7's criteria editor: choose a data set and a field, see how
its values are spread and how often each was non-compliant (domain/data_profile.py).

Narrow enough to sit beside the profile card at 1366x768 (the page shows or hides it
with its "Data profile" button); the numbers are formatted in the interface language.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.data_profile import (
    FieldProfile,
    profile_field,
    profile_fields,
    summary_lines,
    value_heading,
    value_rows,
)
from rmdesk.domain.declaration_fields import field_label
from rmdesk.domain.declarations import DeclarationTable
from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, current_language
from rmdesk.i18n.formatting import format_percent
from rmdesk.services.datasets import DatasetService
from rmdesk.ui.common import Retranslatable, refill_combo, show_error
from rmdesk.ui.dataset_manager import dataset_display_name, dataset_events


class DataProfilePanel(Retranslatable, QWidget):
    COLUMNS = 4  # value, items, share, non-compliance rate

    def __init__(self, datasets: DatasetService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.datasets = datasets
        self.table_data: DeclarationTable | None = None
        self.loaded_id: str | None = None
        self.profile: FieldProfile | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.dataset = QComboBox()
        self.dataset.activated.connect(lambda _i: self._load())
        self.field = QComboBox()
        self.field.activated.connect(lambda _i: self._show_field())
        for combo in (self.dataset, self.field):  # long names must not widen the panel
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.dataset_label, self.field_label = QLabel(), QLabel()
        self.dataset_label.setBuddy(self.dataset)
        self.field_label.setBuddy(self.field)
        form = QFormLayout()
        form.addRow(self.dataset_label, self.dataset)
        form.addRow(self.field_label, self.field)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.values = QTableWidget(0, self.COLUMNS)
        self.values.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.values.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.values.verticalHeader().hide()
        header = self.values.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.values, 1)
        dataset_events().changed.connect(self.refresh_datasets)
        self.retranslate_ui()

    # -- texts --------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.heading.setText(_("What the declarations hold, field by field: use it to "
                               "choose criteria and thresholds."))
        self.dataset_label.setText(_("Data set"))
        self.field_label.setText(_("Field"))
        self.dataset.setAccessibleName(_("Data set described"))
        self.field.setAccessibleName(_("Field described"))
        self.values.setAccessibleName(_("Values of the field"))
        self.refresh_datasets()
        self._fill_fields()
        self._show_field()

    def refresh_datasets(self) -> None:
        infos = self.datasets.list_datasets()
        refill_combo(self.dataset, [(i.id, dataset_display_name(i)) for i in infos])
        if self.isVisible() and self.dataset.currentData() != self.loaded_id:
            self._load()

    def show_dataset(self, dataset_id: str) -> None:
        """Describe this data set (E7: the one the group works on), read now if shown,
        else when first shown; the user may still choose another."""
        index = self.dataset.findData(dataset_id)
        if index < 0:
            return
        self.dataset.setCurrentIndex(index)
        if self.isVisible() and dataset_id != self.loaded_id:
            self._load()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt API
        super().showEvent(event)
        if self.table_data is None or self.dataset.currentData() != self.loaded_id:
            self._load()  # the data are read when the panel is first shown

    # -- data -----------------------------------------------------------------------------
    def _load(self) -> None:
        dataset_id = self.dataset.currentData()
        if dataset_id is None:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.table_data = self.datasets.load_dataset(dataset_id)
            self.loaded_id = dataset_id
        except RmdeskError as error:
            self.table_data, self.loaded_id = None, None
            QGuiApplication.restoreOverrideCursor()
            show_error(self, error)
            self._fill_fields()
            self._show_field()
            return
        QGuiApplication.restoreOverrideCursor()
        self._fill_fields()
        self._show_field()

    def _fill_fields(self) -> None:
        table = self.table_data
        if table is None:
            refill_combo(self.field, [])
            return
        specs = table.fields()  # the data set's own columns under their headers
        refill_combo(self.field, [(n, field_label(n, _, specs)) for n in profile_fields(table)])

    def _show_field(self) -> None:
        name = self.field.currentData()
        table = self.table_data
        self.values.setRowCount(0)
        if table is None or name is None:
            self.profile = None
            self.summary.setText("")
            self._headers(None)
            return
        self.profile = profile = profile_field(table, name)
        lang = current_language()
        lines = summary_lines(profile, table.has_outcome(), _, lang)
        if table.has_outcome():
            lines.append(_("Non-compliant: the share of these items found non-compliant "
                           "(all items: {rate}).").format(rate=format_percent(
                               float(table.column("non_compliant").mean()), lang, digits=1)))
        self.summary.setText("\n".join(lines))
        self._headers(profile)
        rows = value_rows(profile, _, lang)
        self.values.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                          Qt.AlignmentFlag.AlignVCenter)
                self.values.setItem(row, column, item)

    def _headers(self, profile: FieldProfile | None) -> None:
        first = value_heading(profile, _) if profile is not None else _("Value")
        # The figures' headings on two lines: in a panel this narrow, one-line headings
        # ("Part des articles") pushed the rates out of sight.
        self.values.setHorizontalHeaderLabels(
            [first, *(two_lines(t) for t in (_("Items"), _("Share of items"),
                                             _("Non-compliant")))])


def two_lines(text: str, longest: int = 9) -> str:
    """A heading longer than `longest` characters broken at the space nearest its
    middle ("Share of items" -> "Share of\nitems"); one word stays whole."""
    if len(text) <= longest or " " not in text:
        return text
    middle = len(text) / 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1:]
