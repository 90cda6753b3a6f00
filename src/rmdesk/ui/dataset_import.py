"""Import declarations from CSV, XLSX or ODS: choose the file (and the sheet), map its
columns to the declaration fields, check every row in a worker thread (progress, cancel),
list every bad row and let the facilitator either skip them or cancel, then name the data
set and keep it.

Nothing is saved before the last step: a file with bad rows is imported only when the
facilitator has seen the list and chosen to skip those rows.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.declaration_fields import FIELDS, MAX_EXTRA_FIELDS, clean_extra_label
from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, ngettext
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.services.datasets import DatasetInfo, DatasetService
from rmdesk.services.declaration_import import (
    REQUIRED_FIELDS,
    CsvPreview,
    DeclarationImportError,
    ImportResult,
    import_csv,
    read_csv_header,
    render_note,
    render_problem,
    suggest_mapping,
)
from rmdesk.services.extra_columns import KIND_LABELS, guess_kinds
from rmdesk.services.spreadsheets import release_preview
from rmdesk.ui.common import Retranslatable, resize_to_fit, show_error
from rmdesk.ui.whole_text import explain_clipped_text

OUTCOME_FIELDS = ("non_compliant", "offence")
DELIMITER_NAMES = {",": "“,”", ";": "“;”", "\t": "Tab"}


def open_csv_file_dialog(parent: QWidget | None) -> str:
    """Qt's own dialog, so it follows the app's language rather than the OS's."""
    path, _selected = QFileDialog.getOpenFileName(
        parent, _("Import declarations"), "",
        _("Declarations (*.csv *.txt *.tsv *.xlsx *.xlsm *.ods);;CSV files (*.csv *.txt "
          "*.tsv);;Spreadsheets (*.xlsx *.xlsm *.ods);;All files (*)"),
        options=QFileDialog.Option.DontUseNativeDialog)
    return path


class _ImportWorker(QObject):
    """Runs import_csv in a worker thread; the result goes back to the GUI thread."""

    progressed = Signal(int, int)
    finished = Signal(object)  # ImportResult
    failed = Signal(object)

    def __init__(self, path: Path, mapping: dict[str, str], skip_bad_rows: bool,
                 sheet: str | None = None, keep: dict[str, str] | None = None) -> None:
        super().__init__()
        self.path, self.mapping, self.skip_bad_rows = path, mapping, skip_bad_rows
        self.sheet, self.keep = sheet, keep or {}
        self.cancel_event = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            result = import_csv(self.path, self.mapping, sheet=self.sheet,
                                skip_bad_rows=self.skip_bad_rows,
                                is_cancelled=self.cancel_event.is_set,
                                progress=lambda done, total: self.progressed.emit(
                                    min(done, 2**31 - 1), min(total, 2**31 - 1)),
                                keep=self.keep)
            self.finished.emit(result)
        except Exception as exc:  # noqa: BLE001 - shown in the GUI thread
            self.failed.emit(exc)


class DatasetImportDialog(Retranslatable, QDialog):
    MAPPING, PROGRESS, PROBLEMS, NAME = range(4)

    def __init__(self, preview: CsvPreview, service: DatasetService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview_data = preview
        self.service = service
        self.info: DatasetInfo | None = None
        self.import_result: ImportResult | None = None
        self._thread: QThread | None = None
        self._worker: _ImportWorker | None = None
        self._message = ""  # a one-off line on the mapping page (cancelled, failed)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._problems_page())
        self.pages.addWidget(self._name_page())

        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.go_back)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_problems)
        self.skip_button = QPushButton()
        self.skip_button.clicked.connect(lambda: self.start_import(skip_bad_rows=True))
        self.next_button = QPushButton()
        self.next_button.clicked.connect(self.go_next)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        for button in (self.skip_button, self.next_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        resize_to_fit(self, 980, 680)
        self.retranslate_ui()
        self._show_page(self.MAPPING)
        explain_clipped_text(self)  # a narrow screen cuts "(not in the file)" in Spanish

    # -- pages ---------------------------------------------------------------------------
    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        # A workbook with several sheets: the sheet to read, chosen before the mapping.
        self.sheet_label = QLabel()
        self.sheet_combo = QComboBox()
        for name in self.preview_data.sheets:
            self.sheet_combo.addItem(name, name)
        self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findData(
            self.preview_data.sheet), 0))
        self.sheet_combo.currentIndexChanged.connect(self._sheet_chosen)
        self.sheet_label.setBuddy(self.sheet_combo)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo, 1)
        sheet_row.addStretch(2)
        several = len(self.preview_data.sheets) > 1
        self.sheet_label.setVisible(several)
        self.sheet_combo.setVisible(several)
        self.file_notes = QLabel()
        self.file_notes.setWordWrap(True)
        self.preview_box = QGroupBox()
        headers = self.preview_data.headers
        self.preview = QTableWidget(len(self.preview_data.rows), len(headers))
        self.preview.setHorizontalHeaderLabels(list(headers))
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        for row, record in enumerate(self.preview_data.rows):
            for col, text in enumerate(record[: len(headers)]):
                self.preview.setItem(row, col, QTableWidgetItem(" ".join(text.split())[:80]))
        QVBoxLayout(self.preview_box).addWidget(self.preview)

        self.mapping_box = QGroupBox()
        grid = QGridLayout()
        suggested = self.suggested = suggest_mapping(headers)
        self.field_labels: dict[str, QLabel] = {}
        self.combos: dict[str, QComboBox] = {}
        half = (len(FIELDS) + 1) // 2
        for index, spec in enumerate(FIELDS):
            label = QLabel()
            combo = QComboBox()
            combo.addItem("", None)
            for header in headers:
                if header:  # a column without a header cannot be named in a mapping
                    combo.addItem(header, header)
            chosen = suggested.get(spec.name)
            combo.setCurrentIndex(combo.findData(chosen) if chosen else 0)
            combo.currentIndexChanged.connect(self._mapping_changed)
            label.setBuddy(combo)
            if spec.name in REQUIRED_FIELDS:
                font = QFont(label.font())
                font.setBold(True)
                label.setFont(font)
            row, col = index % half, (index // half) * 2
            grid.addWidget(label, row, col)
            grid.addWidget(combo, row, col + 1)
            self.field_labels[spec.name] = label
            self.combos[spec.name] = combo
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(grid)
        inner_layout.addWidget(self._own_columns_box(headers))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        box_layout = QVBoxLayout(self.mapping_box)
        box_layout.addWidget(scroll)
        self.required_hint = QLabel()
        self.required_hint.setWordWrap(True)
        box_layout.addWidget(self.required_hint)
        self.mapping_status = QLabel()
        self.mapping_status.setWordWrap(True)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.file_label)
        layout.addLayout(sheet_row)
        layout.addWidget(self.file_notes)
        layout.addWidget(self.preview_box, 2)
        layout.addWidget(self.mapping_box, 3)
        layout.addWidget(self.mapping_status)
        return page

    def _own_columns_box(self, headers: tuple[str, ...]) -> QGroupBox:
        """The columns no field reads, each with "keep" and the kind to keep it as
        (guessed from the first rows), so profiles can test them by their own names."""
        self.own_box = QGroupBox()
        self.keep_all = QCheckBox()
        self.keep_all.toggled.connect(self._keep_all_toggled)
        self.own_hint = QLabel()
        self.own_hint.setWordWrap(True)
        named = [h for h in headers if h and clean_extra_label(h)]  # a name to keep it by
        decimal_comma = self.preview_data.delimiter == ";"
        guessed = guess_kinds(headers, self.preview_data.rows, named, decimal_comma)
        self.keep_checks: dict[str, QCheckBox] = {}
        self.kind_combos: dict[str, QComboBox] = {}
        self.own_grid = QGridLayout()
        for header in named:
            check = QCheckBox(" ".join(header.split())[:80], self.own_box)
            check.toggled.connect(self._mapping_changed)
            combo = QComboBox(self.own_box)
            for kind in KIND_LABELS:
                combo.addItem("", kind)
            combo.setCurrentIndex(max(0, combo.findData(guessed[header])))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.keep_checks[header] = check
            self.kind_combos[header] = combo
        self.own_grid.setColumnStretch(2, 1)  # each kind right beside its column's name
        self.own_grid.setColumnStretch(5, 1)
        self._placed: list[str] | None = None
        layout = QVBoxLayout(self.own_box)
        layout.addWidget(self.own_hint)
        layout.addWidget(self.keep_all)
        layout.addLayout(self.own_grid)
        return self.own_box

    def _place_own_columns(self, shown: list[str]) -> None:
        """Two columns of (keep, kind) for the columns no field reads, in file order."""
        if shown == self._placed:
            return
        self._placed = shown
        for header, check in self.keep_checks.items():
            self.own_grid.removeWidget(check)
            self.own_grid.removeWidget(self.kind_combos[header])
        for index, header in enumerate(shown):
            row, col = index // 2, (index % 2) * 3
            self.own_grid.addWidget(self.keep_checks[header], row, col)
            self.own_grid.addWidget(self.kind_combos[header], row, col + 1)
        for header, check in self.keep_checks.items():  # after adding: that parents them
            check.setVisible(header in shown)
            self.kind_combos[header].setVisible(header in shown)
        self.keep_all.setEnabled(bool(shown))

    def _keep_all_toggled(self, checked: bool) -> None:
        used = set(self.mapping().values())
        for header, check in self.keep_checks.items():
            if header not in used:
                check.blockSignals(True)
                check.setChecked(checked)
                check.blockSignals(False)
        self._mapping_changed()

    def kept_columns(self) -> dict[str, str]:
        """header -> kind of the other columns to keep, as ticked."""
        used = set(self.mapping().values())
        return {header: self.kind_combos[header].currentData()
                for header, check in self.keep_checks.items()
                if check.isChecked() and header not in used}

    def _progress_page(self) -> QWidget:
        page = QWidget()
        self.progress_label = QLabel()
        self.progress_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addStretch(2)
        return page

    def _problems_page(self) -> QWidget:
        page = QWidget()
        self.problems_heading = QLabel()
        self.problems_heading.setWordWrap(True)
        self.problems = QTableWidget(0, 3)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.verticalHeader().setVisible(False)
        self.problems.setWordWrap(True)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems_notes = QLabel()
        self.problems_notes.setWordWrap(True)
        self.problems_hint = QLabel()
        self.problems_hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problems_heading)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.problems_notes)
        layout.addWidget(self.problems_hint)
        return page

    def _name_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary_notes = QLabel()
        self.summary_notes.setWordWrap(True)
        self.outcome_notice = QLabel()
        self.outcome_notice.setWordWrap(True)
        self.name_label = QLabel()
        self.name_edit = QLineEdit(Path(self.preview_data.path).stem)
        self.name_edit.setMaxLength(120)
        self.name_edit.textChanged.connect(lambda _t: self._update_buttons())
        self.name_label.setBuddy(self.name_edit)
        form = QFormLayout()
        form.addRow(self.name_label, self.name_edit)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.summary_notes)
        layout.addWidget(self.outcome_notice)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    # -- texts ---------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Import declarations"))
        p = self.preview_data
        if p.sheet:
            self.file_label.setText(_("File: {name}, sheet “{sheet}” ({columns} columns)")
                                    .format(name=Path(p.path).name, sheet=p.sheet,
                                            columns=format_number(len(p.headers))))
        else:
            self.file_label.setText(_(
                "File: {name} ({columns} columns, read as {encoding}, separated by "
                "{delimiter})"
            ).format(name=Path(p.path).name, columns=format_number(len(p.headers)),
                     encoding=p.encoding.upper(),
                     delimiter=_("tabs") if p.delimiter == "\t" else
                     DELIMITER_NAMES.get(p.delimiter, p.delimiter)))
        self.sheet_label.setText(_("S&heet:"))
        notes = [render_note(n, _) for n in p.notes]
        self.file_notes.setText("\n".join(notes))
        self.file_notes.setVisible(bool(notes))
        self.preview_box.setTitle(ngettext("The first row of the file",
                                           "The first {count} rows of the file",
                                           len(p.rows)).format(count=len(p.rows)))
        self.mapping_box.setTitle(_("Which column of the file holds each field?"))
        self.own_box.setTitle(_("Other columns"))
        self.own_hint.setText(_(
            "A column that no field above reads can be kept as a field of the data set's "
            "own: profiles in E7 can then test it by its name. Choose how to read its "
            "values (guessed from the first rows)."))
        self.keep_all.setText(_("&Keep all the other columns"))
        for combo in self.kind_combos.values():
            for index in range(combo.count()):
                combo.setItemText(index, _(KIND_LABELS[combo.itemData(index)]))
        for header, combo in self.kind_combos.items():
            combo.setAccessibleName(_("How to read “{column}”").format(column=header))
        for spec in FIELDS:
            mark = " *" if spec.name in REQUIRED_FIELDS else \
                " †" if spec.name in OUTCOME_FIELDS else ""
            self.field_labels[spec.name].setText(_(spec.label) + mark)
            self.combos[spec.name].setItemText(0, _("(not in the file)"))
            self.combos[spec.name].setAccessibleName(_(spec.label))
        suggested = len(self.suggested)
        self.required_hint.setText(ngettext(
            "{count} column was suggested from its name; check each suggestion before "
            "importing.",
            "{count} columns were suggested from their names; check each suggestion before "
            "importing.", suggested).format(count=format_number(suggested)) + " " + _(
            "Fields marked * are required. E8 needs a field marked † (non-compliant, or the "
            "offence found): its simulation compares the declarations a profile selects with "
            "those found non-compliant, which is what hit and detection rates measure. The "
            "outcome stays hidden from the criteria."))
        self.progress_label.setText(_("Checking every row of {name}…").format(
            name=Path(p.path).name))
        self.problems.setHorizontalHeaderLabels([_("Line"), _("Column"), _("Problem")])
        self.name_label.setText(_("&Name of the data set:"))
        self.back_button.setText(_("< &Back"))
        self.copy_button.setText(_("&Copy the list"))
        self.cancel_button.setText(_("Cancel"))
        self._fill_problems()
        self._fill_summary()
        self._mapping_changed()
        self._update_buttons()

    def _mapping_changed(self, *_args: object) -> None:
        lines = [self._message] if self._message else []
        missing = self.missing_required()
        if missing:
            lines.append(DeclarationImportError("required_field_unmapped",
                                                field=missing[0]).render(_))
        mapping = self.mapping()
        if not any(name in mapping for name in OUTCOME_FIELDS):
            lines.append(self.no_outcome_text())
        read = set(mapping.values())  # a column a field reads is not offered here
        self._place_own_columns([h for h in self.keep_checks if h not in read])
        for header, check in self.keep_checks.items():
            self.kind_combos[header].setEnabled(check.isChecked())
        kept = len(self.kept_columns())
        if kept > MAX_EXTRA_FIELDS:
            lines.append(DeclarationImportError("too_many_extra_columns", count=kept,
                                                limit=MAX_EXTRA_FIELDS).render(_))
        self.mapping_status.setText("\n".join(lines))
        self.mapping_status.setVisible(bool(lines))
        self._update_buttons()

    @staticmethod
    def no_outcome_text() -> str:
        return _("No column holds the outcome (non-compliant or offence found). The "
                 "targeting simulation will show selection and workload only: hit and "
                 "detection rates need to know which declarations were non-compliant.")

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        result = self.import_result
        self.back_button.setVisible(page in (self.PROBLEMS, self.NAME))
        self.copy_button.setVisible(page == self.PROBLEMS and bool(result and result.problems))
        skippable = bool(page == self.PROBLEMS and result is not None and result.table is None
                         and 0 < result.bad_rows < result.rows_read)
        self.skip_button.setVisible(skippable)
        if skippable and result is not None:
            self.skip_button.setText(ngettext(
                "&Skip this row and import the rest",
                "&Skip these {count} rows and import the rest",
                result.bad_rows).format(count=format_number(result.bad_rows)))
        self.next_button.setVisible(page in (self.MAPPING, self.NAME))
        if page == self.MAPPING:
            self.next_button.setText(_("&Import"))
            self.next_button.setEnabled(not self.missing_required() and
                                        len(self.kept_columns()) <= MAX_EXTRA_FIELDS)
        elif page == self.NAME:
            self.next_button.setText(_("&Save the data set"))
            self.next_button.setEnabled(bool(self.name_edit.text().strip()))
        # Skipping rows must be chosen on purpose: Enter does not do it.
        default = None if page == self.PROBLEMS else self.next_button
        for button in (self.skip_button, self.next_button, self.back_button,
                       self.cancel_button):
            button.setAutoDefault(False)
            button.setDefault(button is default and button.isVisible())

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self._update_buttons()
        focus = {self.MAPPING: self.combos[FIELDS[0].name], self.PROGRESS: self.cancel_button,
                 self.PROBLEMS: self.problems, self.NAME: self.name_edit}[page]
        focus.setFocus()
        if page == self.NAME:
            self.name_edit.selectAll()

    # -- the sheet -----------------------------------------------------------------------
    def _sheet_chosen(self, _index: int) -> None:
        name = self.sheet_combo.currentData()
        if name and name != self.preview_data.sheet:
            self.choose_sheet(name)

    def choose_sheet(self, name: str) -> None:
        """Read another sheet of the workbook and rebuild the mapping for its columns."""
        try:
            preview = read_csv_header(self.preview_data.path, name)
        except RmdeskError as error:
            show_error(self, error)
            self.sheet_combo.blockSignals(True)
            self.sheet_combo.setCurrentIndex(
                max(self.sheet_combo.findData(self.preview_data.sheet), 0))
            self.sheet_combo.blockSignals(False)
            return
        self.preview_data = preview
        old = self.pages.widget(self.MAPPING)
        self.pages.removeWidget(old)
        old.deleteLater()
        self.pages.insertWidget(self.MAPPING, self._mapping_page())
        self.retranslate_ui()
        self._show_page(self.MAPPING)
        self.sheet_combo.setFocus()

    # -- the mapping ---------------------------------------------------------------------
    def mapping(self) -> dict[str, str]:
        return {name: combo.currentData() for name, combo in self.combos.items()
                if combo.currentData() is not None}

    def missing_required(self) -> list[str]:
        mapping = self.mapping()
        return [name for name in REQUIRED_FIELDS if name not in mapping]

    # -- the import ----------------------------------------------------------------------
    def go_next(self) -> None:
        page = self.pages.currentIndex()
        if page == self.MAPPING:
            self.start_import(skip_bad_rows=False)
        elif page == self.NAME:
            self.save()

    def go_back(self) -> None:
        if self._thread is None:
            self.import_result = None
            self._show_page(self.MAPPING)

    def start_import(self, skip_bad_rows: bool) -> None:
        if self._thread is not None or self.missing_required():
            return
        self._message = ""
        self._mapping_changed()
        self._worker = _ImportWorker(Path(self.preview_data.path), self.mapping(),
                                     skip_bad_rows, self.preview_data.sheet or None,
                                     self.kept_columns())
        self._thread = QThread(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progressed)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        self.progress_bar.setRange(0, 0)
        self._show_page(self.PROGRESS)
        self._thread.start()

    def cancel_import(self) -> None:
        if self._worker is not None:
            self._worker.cancel_event.set()

    def _progressed(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(format_percent(done / max(total, 1)))

    def _finish_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None

    def _finished(self, result: ImportResult) -> None:
        self._finish_thread()
        if result.cancelled:
            self._back_to_mapping(_("Import cancelled: nothing was imported."))
            return
        self.import_result = result
        self._fill_problems()
        self._fill_summary()
        self._show_page(self.NAME if result.table is not None else self.PROBLEMS)

    def _failed(self, error: object) -> None:
        self._finish_thread()
        self._back_to_mapping("")
        show_error(self, error)  # type: ignore[arg-type]

    def _back_to_mapping(self, message: str) -> None:
        self.import_result = None
        self._message = message
        self._mapping_changed()
        self._show_page(self.MAPPING)

    def wait_for_import(self, timeout_ms: int = 60000) -> None:
        """For tests: let a running import end (its result arrives through the event
        loop, so events are processed meanwhile)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._thread is not None and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            QThread.msleep(5)

    # -- problems and summary ------------------------------------------------------------
    def problem_lines(self) -> list[str]:
        result = self.import_result
        return [render_problem(p, _) for p in result.problems] if result else []

    def _fill_problems(self) -> None:
        result = self.import_result
        if result is None or result.table is not None:
            self.problems.setRowCount(0)
            return
        problems = result.problems
        self.problems.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            line = QTableWidgetItem(str(problem.line))
            line.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.problems.setItem(row, 0, line)
            self.problems.setItem(row, 1, QTableWidgetItem(problem.column or _("(whole row)")))
            self.problems.setItem(row, 2, QTableWidgetItem(render_problem(problem, _)))
        if result.bad_rows == 0 or result.bad_rows >= result.rows_read:
            heading = _("No row of the file could be imported. Nothing was imported.")
            hint = _("Check that the columns are mapped to the right fields (< Back), or "
                     "correct the file and import it again.")
        else:
            heading = ngettext(
                "{count} of the {total} rows has a problem. Nothing has been imported yet.",
                "{count} of the {total} rows have problems. Nothing has been imported yet.",
                result.bad_rows).format(count=format_number(result.bad_rows),
                                        total=format_number(result.rows_read))
            hint = _("Correct the file and import it again, check the mapping (< Back), or "
                     "skip these rows and import the rest.")
        self.problems_heading.setText(heading)
        self.problems_hint.setText(hint)
        notes = [render_note(n, _) for n in result.notes
                 if n.code in ("problems_truncated",)]
        self.problems_notes.setText("\n".join(notes))
        self.problems_notes.setVisible(bool(notes))

    def _fill_summary(self) -> None:
        result = self.import_result
        if result is None or result.table is None:
            return
        if result.rows_skipped:
            text = _("Rows imported: {imported}; bad rows left out: {skipped}.")
        else:
            text = _("Every row was imported ({imported}).")
        self.summary.setText(text.format(imported=format_number(result.rows_imported),
                                         skipped=format_number(result.rows_skipped)))
        notes = [render_note(n, _) for n in result.notes]
        if result.table.extra:
            notes.append(_("Kept as the data set's own fields: {columns}.").format(
                columns="; ".join(f"{spec.label} ({_(KIND_LABELS[spec.kind])})"
                                  for spec in result.table.extra)))
        self.summary_notes.setText("\n".join(notes))
        self.summary_notes.setVisible(bool(notes))
        has_outcome = result.table.has_outcome()
        self.outcome_notice.setText("" if has_outcome else self.no_outcome_text())
        self.outcome_notice.setVisible(not has_outcome)

    def copy_problems(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(self.problem_lines()))

    # -- saving --------------------------------------------------------------------------
    def save(self) -> None:
        result = self.import_result
        if result is None or result.table is None:
            return
        try:
            self.info = self.service.save_dataset(result.table, self.name_edit.text(),
                                                  str(self.preview_data.path))
        except RmdeskError as error:
            show_error(self, error)
            return
        self.accept()

    def reject(self) -> None:
        """Cancel: while importing, stop the import (nothing is kept either way)."""
        if self._thread is not None:
            self.cancel_import()
            self.wait_for_import()
            return
        super().reject()

    def done(self, result: int) -> None:
        """Closed either way: the sheet its preview kept for the import is let go."""
        release_preview()
        super().done(result)


def import_declarations_dialog(parent: QWidget | None, store: object,
                               path: str | None = None) -> DatasetInfo | None:
    """Ask for a CSV, XLSX or ODS file (unless `path` is given), let the user map and check it, and
    keep it as a data set in the store's data folder. Returns the new data set or None."""
    if path is None:
        path = open_csv_file_dialog(parent)
        if not path:
            return None
    try:
        preview = read_csv_header(path)
    except RmdeskError as error:
        show_error(parent, error)
        return None
    dialog = DatasetImportDialog(preview, DatasetService.for_store(store), parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            from rmdesk.ui.dataset_manager import dataset_events

            dataset_events().changed.emit()
            return dialog.info
        return None
    finally:
        dialog.deleteLater()
