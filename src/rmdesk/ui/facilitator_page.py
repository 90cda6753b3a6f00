"""The facilitator's dashboard: status, feedback and scores of every group, phase control,
one exercise side by side, the overlay of the groups' ratings, the targeting leaderboard,
and printing the workshop report, every group's output or one exercise across groups.

Everything here is facilitator-only: while facilitator mode is locked the page shows only
a prompt to unlock it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.pack import ContentPack, Exercise
from rmdesk.domain.comparison import (
    MATCH_AUTO,
    MATCH_CODE,
    MATCH_LABELS,
    RUN_CHOICE_LABELS,
    STATUS_LABELS,
    STATUS_MARKS,
    Line,
    Overlay,
    OverlayRisk,
    Overview,
)
from rmdesk.domain.scales import LEVEL_LABELS
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGE_NAMES, _, current_language, ngettext
from rmdesk.i18n.formatting import format_percent
from rmdesk.services.comparison import ComparisonService
from rmdesk.services.facilitation import MAX_SCORE, FacilitationService
from rmdesk.services.roles import RolesService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.autosave import Autosaver
from rmdesk.ui.common import (
    Retranslatable,
    bold_label,
    language_combo,
    path_row,
    plain_tip,
    refill_combo,
    resize_to_fit,
    save_file_dialog,
    select_rows_only,
    show_error,
)
from rmdesk.ui.exercise_pages import TAB_TITLES
from rmdesk.ui.overlay_heatmap import OverlayHeatMap
from rmdesk.ui.pin_dialog import unlock_dialog
from rmdesk.ui.print_preview import PrintPreviewDialog, open_externally, run_job

CONSOLIDATED, BATCH, EXERCISE = "consolidated", "batch", "exercise"
NO_SCORE = -1  # the spin box's "—"
SIDE_COLUMN = 300  # pixels per group in the side-by-side view


LIVE_POLL_MS = 1000  # the dashboard looks for changes every second while shown

def _item(text: str, data: object = None, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _check_item(checked: bool, data: object) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def lines_html(lines: list[Line], empty: str) -> str:
    if not lines:
        return f"<p><i>{escape(empty)}</i></p>"
    parts = []
    for line in lines:
        if line.level == 0:
            parts.append(f"<p style='margin-top:6px; margin-bottom:0'><b>{escape(line.text)}"
                         "</b></p>")
        else:
            parts.append(f"<p style='margin:0 0 0 12px'>{escape(line.text)}</p>")
    return "".join(parts)


def _pct(value: float | None) -> str:
    return format_percent(value, digits=1) if value is not None else "—"


def _decimal(value: float | None) -> str:
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    lang = current_language()
    return format_decimal(value, format="0.00", locale=lang if lang in LANGUAGE_NAMES else "en")


OVERALL = "overall"  # the autosaved field of the overall comment (keyed by group)


class PrintOptionsDialog(Retranslatable, QDialog):
    """Language (one, or two: each part in the first, then in the second) and where to write."""

    def __init__(self, parent: QWidget | None, kind: str, default_path: Path,
                 language: str) -> None:
        super().__init__(parent)
        self.kind = kind
        self.language = language_combo(language)
        self.second = QComboBox()
        self.path_edit, self.browse, row = path_row(default_path)
        self.browse.clicked.connect(self._browse)
        self.language_label, self.second_label, self.path_label = QLabel(), QLabel(), QLabel()
        self.language_label.setBuddy(self.language)
        self.second_label.setBuddy(self.second)
        self.path_label.setBuddy(self.path_edit)
        self.note = QLabel()
        self.note.setWordWrap(True)
        # The group outputs go to the groups: the facilitator chooses to release the
        # scores, feedback and overall comment into them (off unless ticked).
        self.release = QCheckBox()
        self.release.setVisible(kind == BATCH)
        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        form.addRow(self.second_label, self.second)
        form.addRow(self.path_label, row)
        form.addRow(self.release)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        resize_to_fit(self, 600, self.sizeHint().height())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        titles = {CONSOLIDATED: _("Print the workshop report"),
                  BATCH: _("Print every group's output"),
                  EXERCISE: _("Print one exercise across groups")}
        self.setWindowTitle(titles[self.kind])
        self.language_label.setText(_("PDF &language:"))
        self.second_label.setText(_("Se&cond language:"))
        self.path_label.setText(_("Save &in folder:") if self.kind == BATCH
                                else _("&Save as:"))
        self.browse.setText(_("&Browse…"))
        self.note.setText(_("With a second language, each part of the document is printed "
                            "in the first language and then in the second."))
        self.release.setText(_("S&hare my scores, feedback and overall comments in the "
                               "group outputs"))
        keep = self.second.currentData()
        self.second.clear()
        self.second.addItem(_("(none)"), None)
        for code, name in LANGUAGE_NAMES.items():
            self.second.addItem(name, code)
        self.second.setCurrentIndex(max(0, self.second.findData(keep)))

    def _browse(self) -> None:
        if self.kind == BATCH:
            path = QFileDialog.getExistingDirectory(
                self, _("Folder for the group outputs"), self.path_edit.text(),
                QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ShowDirsOnly)
        else:
            path = save_file_dialog(self, _("Save the PDF"), self.path_edit.text(),
                                    _("PDF files (*.pdf)"))
            if path and not path.lower().endswith(".pdf"):
                path += ".pdf"
        if path:
            self.path_edit.setText(path)

    def chosen(self) -> tuple[tuple[str, ...], Path]:
        first, second = self.language.currentData(), self.second.currentData()
        langs = (first,) if second in (None, first) else (first, second)
        return langs, Path(self.path_edit.text()).expanduser()


class FacilitatorPage(Retranslatable, QWidget):
    phases_changed = Signal()  # a lock or reveal changed: exercise pages may re-read it

    def __init__(self, store: Store, pack: ContentPack, roles: RolesService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.pack = pack
        self.roles = roles or RolesService(store)
        self.facilitation = FacilitationService(store)
        self.comparison = ComparisonService(store, pack)
        self.workshops = WorkshopService(store)
        self.workshop_id: str | None = None
        self.overview: Overview | None = None
        self.overlay: Overlay | None = None
        self._loading = False
        self._threads: list[object] = []
        self.last_output: object = None  # the last PDF (or list of PDFs) printed
        self.autosave = Autosaver(self._write_feedback, self)
        self.autosave.failed.connect(lambda error: show_error(self, error))

        # -- header
        self.heading = bold_label(larger=3)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.print_report_button = QPushButton()
        self.print_report_button.clicked.connect(lambda: self.print_dialog(CONSOLIDATED))
        self.print_groups_button = QPushButton()
        self.print_groups_button.clicked.connect(lambda: self.print_dialog(BATCH))
        # On a classroom server: share feedback and scores with the groups' laptops (they
        # arrive with each laptop's next sync round). Not on a laptop's own file.
        self.share_feedback = QCheckBox()
        self.share_feedback.setVisible(store.engine.dialect.name != "sqlite")
        self.share_feedback.toggled.connect(self._share_toggled)
        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.share_feedback)
        for button in (self.refresh_button, self.print_groups_button, self.print_report_button):
            header.addWidget(button)
        # Live: a cheap cursor query every second while the dashboard is shown; a full
        # refresh only when the groups' work (or anything shown) changed.
        self._cursor: object = None
        self.live_timer = QTimer(self)
        self.live_timer.setInterval(LIVE_POLL_MS)
        self.live_timer.timeout.connect(self.poll_changes)
        self.live_timer.start()

        # -- locked
        self.locked_panel = QWidget()
        self.locked_text = QLabel()
        self.locked_text.setWordWrap(True)
        self.locked_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton()
        self.unlock_button.clicked.connect(lambda: unlock_dialog(self, self.roles))
        locked_layout = QVBoxLayout(self.locked_panel)
        locked_layout.addStretch(1)
        locked_layout.addWidget(self.locked_text)
        locked_layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        locked_layout.addStretch(2)
        self.no_workshop = QLabel()
        self.no_workshop.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_status_tab(), "")
        self.tabs.addTab(self._build_side_tab(), "")
        self.tabs.addTab(self._build_overlay_tab(), "")
        self.tabs.addTab(self._build_leader_tab(), "")
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())

        self.stack = QStackedWidget()
        for widget in (self.locked_panel, self.no_workshop, self.tabs):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.roles.subscribe(self._mode_changed)
        self.destroyed.connect(lambda *_a, r=self.roles, f=self._mode_changed: r.unsubscribe(f))
        self.retranslate_ui()
        self._mode_changed(self.roles.is_facilitator)

    # -- building --------------------------------------------------------------------------
    def _build_status_tab(self) -> QWidget:
        self.status_table = QTableWidget(0, 0)
        self.status_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.status_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.status_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.status_table.currentCellChanged.connect(lambda *_a: self._load_editor())
        self.phase_table = QTableWidget(0, 3)
        self.phase_table.verticalHeader().hide()
        phase_header = self.phase_table.horizontalHeader()
        phase_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            phase_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.phase_table.itemChanged.connect(self._phase_changed)
        self.editor_box = QGroupBox()
        self.feedback_edit = QPlainTextEdit()
        self.feedback_edit.textChanged.connect(self._feedback_typed)
        self.score_spin = QSpinBox()
        self.score_spin.setRange(NO_SCORE, MAX_SCORE)
        self.score_spin.valueChanged.connect(self._score_changed)
        # The overall comment on the group: on the first page of its output when released.
        self.overall_edit = QPlainTextEdit()
        self.overall_edit.setMaximumHeight(70)
        self.overall_edit.textChanged.connect(self._overall_typed)
        self.feedback_label, self.score_label = QLabel(), QLabel()
        self.overall_label = QLabel()
        self.feedback_label.setBuddy(self.feedback_edit)
        self.score_label.setBuddy(self.score_spin)
        self.overall_label.setBuddy(self.overall_edit)
        form = QFormLayout(self.editor_box)
        form.addRow(self.feedback_label, self.feedback_edit)
        form.addRow(self.score_label, self.score_spin)
        form.addRow(self.overall_label, self.overall_edit)
        self.phase_box = QGroupBox()
        QVBoxLayout(self.phase_box).addWidget(self.phase_table)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.editor_box)
        lower.addWidget(self.phase_box)
        lower.setSizes([500, 400])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.status_table)
        splitter.addWidget(lower)
        splitter.setSizes([400, 260])
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.legend)
        return page

    def _build_side_tab(self) -> QWidget:
        self.exercise_combo = QComboBox()
        self.exercise_combo.currentIndexChanged.connect(lambda _i: self.refresh_side())
        self.exercise_label = QLabel()
        self.exercise_label.setBuddy(self.exercise_combo)
        self.print_exercise_button = QPushButton()
        self.print_exercise_button.clicked.connect(lambda: self.print_dialog(EXERCISE))
        bar = QHBoxLayout()
        bar.addWidget(self.exercise_label)
        bar.addWidget(self.exercise_combo, 1)
        bar.addWidget(self.print_exercise_button)
        # One browser holding a table: a column per group, scrolling sideways when wide.
        self.side_view = QTextBrowser()
        self.side_view.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)
        self.side_columns: list[str] = []  # column titles, for tests and screen readers
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.side_view, 1)
        return page

    def _build_overlay_tab(self) -> QWidget:
        self.match_combo = QComboBox()
        self.match_combo.currentIndexChanged.connect(lambda _i: self.refresh_overlay())
        # Until the facilitator picks a way to match, the overlay matches by meaning; by ID
        # only when asked, since one ID often names different risks in different groups.
        self._match_chosen = False
        self.match_combo.activated.connect(lambda _i: setattr(self, "_match_chosen", True))
        self.min_groups = QSpinBox()
        self.min_groups.setRange(1, 99)
        self.min_groups.setValue(2)
        self.min_groups.valueChanged.connect(lambda _v: self.refresh_overlay())
        self.min_label = QLabel()
        self.min_label.setBuddy(self.min_groups)
        bar = QHBoxLayout()
        bar.addWidget(self.match_combo)
        bar.addSpacing(12)
        bar.addWidget(self.min_label)
        bar.addWidget(self.min_groups)
        bar.addStretch(1)
        self.overlay_map = OverlayHeatMap()
        self.overlay_table = QTableWidget(0, 5)
        select_rows_only(self.overlay_table)
        self.overlay_table.setWordWrap(True)
        header = self.overlay_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.overlay_table.currentCellChanged.connect(self._overlay_row)
        self.overlay_empty = QLabel()
        self.overlay_empty.setWordWrap(True)
        # The chosen match's risks, one per group: the facilitator confirms the match or
        # takes a group's risk out of it (kept per workshop by ComparisonService).
        self.match_note = QLabel()
        self.match_note.setWordWrap(True)
        self.members_label = QLabel()
        self.match_members = QListWidget()
        self.match_members.setWordWrap(True)
        self.match_members.setMaximumHeight(130)
        self.members_label.setBuddy(self.match_members)
        self.match_members.currentRowChanged.connect(lambda _r: self._match_buttons())
        self.confirm_match_button = QPushButton()
        self.confirm_match_button.clicked.connect(self._confirm_match)
        self.separate_button = QPushButton()
        self.separate_button.clicked.connect(self._separate_risk)
        self.reset_matches_button = QPushButton()
        self.reset_matches_button.clicked.connect(self._reset_matches)
        buttons = QHBoxLayout()
        for button in (self.confirm_match_button, self.separate_button,
                       self.reset_matches_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.overlay_table, 1)
        column.addWidget(self.match_note)
        column.addWidget(self.members_label)
        column.addWidget(self.match_members)
        column.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.overlay_map)
        splitter.addWidget(right)
        splitter.setSizes([420, 560])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.overlay_empty)
        layout.addWidget(splitter, 1)
        return page

    def _build_leader_tab(self) -> QWidget:
        self.run_combo = QComboBox()
        self.run_combo.currentIndexChanged.connect(lambda _i: self.refresh_leaderboard())
        self.leader_table = QTableWidget(0, 7)
        self.leader_table.verticalHeader().hide()
        self.leader_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.leader_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.leader_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.leader_note = QLabel()
        self.leader_note.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.run_combo)
        bar.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.leader_table, 1)
        layout.addWidget(self.leader_note)
        return page

    # -- mode and workshop ----------------------------------------------------------------
    def _mode_changed(self, facilitator: bool) -> None:
        for button in (self.refresh_button, self.print_report_button, self.print_groups_button):
            button.setVisible(facilitator)
        if not facilitator:
            self.flush()
            self.stack.setCurrentWidget(self.locked_panel)
            return
        self.stack.setCurrentWidget(self.tabs if self.workshop_id else self.no_workshop)
        self.refresh()

    def set_workshop(self, workshop_id: str | None, pack: ContentPack | None = None) -> None:
        """Show `workshop_id`; `pack`: its content pack, when it is not the one shown."""
        self.flush()
        self.workshop_id = workshop_id
        if pack is not None and pack is not self.pack:
            self.pack = pack
            self.comparison = ComparisonService(self.store, pack)
            self._refill_exercises()
        if self.roles.is_facilitator:
            self.stack.setCurrentWidget(self.tabs if workshop_id else self.no_workshop)
        self.print_report_button.setEnabled(bool(workshop_id))
        self.print_groups_button.setEnabled(bool(workshop_id))
        self.refresh()

    def flush(self) -> None:
        self.autosave.flush()

    def poll_changes(self) -> bool:
        """Refresh when the store changed since the last look (groups syncing, files
        imported); never while the facilitator is writing feedback. True if refreshed."""
        if not (self.isVisible() and self.roles.is_facilitator and self.workshop_id):
            return False
        focus = QApplication.focusWidget()
        if self.autosave.has_pending() or (focus is not None and self.editor_box.isAncestorOf(
                focus)):
            return False
        from rmdesk.services.sync.dashboard import DashboardCursor

        if not isinstance(self._cursor, DashboardCursor) or \
                self._cursor.workshop_id != self.workshop_id:
            self._cursor = DashboardCursor(self.store, self.workshop_id)
            self._cursor.moved()  # what is on screen now
            return False
        try:
            moved = self._cursor.moved()
        except RmdeskError:
            return False  # the server is unreachable: the next tick tries again
        if moved:
            self.refresh()
        return moved

    def _share_toggled(self, shared: bool) -> None:
        if self._loading or not self.workshop_id:
            return
        from rmdesk.services.sync import set_feedback_shared

        try:
            set_feedback_shared(self.store, self.workshop_id, shared)
        except RmdeskError as exc:
            show_error(self, exc)

    def refresh(self) -> None:
        """Re-read everything shown (work may have come in from other laptops)."""
        if not self.roles.is_facilitator or not self.workshop_id:
            return
        self.flush()
        self.overview = self.facilitation.overview(self.workshop_id, self.pack)
        if self.share_feedback.isVisible():
            from rmdesk.services.sync import feedback_shared

            self._loading = True
            self.share_feedback.setChecked(feedback_shared(self.store, self.workshop_id))
            self._loading = False
        self._fill_status()
        self._fill_phases()
        self._refresh_current()

    def _refresh_current(self) -> None:
        if not self.roles.is_facilitator or not self.workshop_id:
            return
        index = self.tabs.currentIndex()
        if index == 1:
            self.refresh_side()
        elif index == 2:
            self.refresh_overlay()
        elif index == 3:
            self.refresh_leaderboard()

    # -- texts -----------------------------------------------------------------------------
    def exercise_label_text(self, exercise: Exercise) -> str:
        short = TAB_TITLES.get(exercise.kind)
        return _(short) if short else exercise.title.get(current_language())

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Facilitator dashboard"))
        self.refresh_button.setText(_("&Refresh"))
        self.refresh_button.setToolTip(_("Read the groups' work again (F5)"))
        self.share_feedback.setText(_("S&hare feedback with the groups' laptops"))
        self.share_feedback.setToolTip(_("Feedback, scores and the overall comment on each "
                                         "group reach that group's laptops with their next "
                                         "sync with the classroom server"))
        self.print_report_button.setText(_("Print the &workshop report…"))
        self.print_groups_button.setText(_("Print every group's &output…"))
        self.print_exercise_button.setText(_("Print this e&xercise for all groups…"))
        self.locked_text.setText(_("The facilitator dashboard, model answers, scores and "
                                   "phase control are for the facilitator. Unlock "
                                   "facilitator mode to see them."))
        self.unlock_button.setText(_("&Unlock facilitator mode…"))
        self.no_workshop.setText(_("Choose or create a workshop first."))
        for index, title in enumerate((_("Status and feedback"), _("Side by side"),
                                       _("Ratings overlay"), _("Targeting leaderboard"))):
            self.tabs.setTabText(index, title)
        self.editor_box.setTitle(_("Feedback and score"))
        self.feedback_label.setText(_("Feed&back:"))
        self.score_label.setText(_("&Score:"))
        self.overall_label.setText(_("O&verall comment on the group:"))
        self.score_spin.setSpecialValueText(_("no score"))
        self.score_spin.setSuffix(_(" / 100"))
        self.phase_box.setTitle(_("Phases"))
        self.phase_table.setHorizontalHeaderLabels(
            [_("Exercise"), _("Locked"), _("Model answer shown")])
        self.legend.setText("   ".join(f"{STATUS_MARKS[k]} {_(v)}"
                                       for k, v in STATUS_LABELS.items())
                            + "   " + _("Numbers are scores out of 100. Choose a cell to write "
                                        "feedback and a score."))
        self.exercise_label.setText(_("Exerc&ise:"))
        # One label, no suffix: "at least 1 groups" cannot be avoided with a suffix.
        self.min_label.setText(_("Show the risks rated by at least this many groups:"))
        self.overlay_table.setHorizontalHeaderLabels(
            [_("No."), _("Risk"), _("Scores"), _("Spread"), _("Groups per level")])
        self.members_label.setText(_("The groups' risks in this &match:"))
        self.confirm_match_button.setText(_("Confirm &this match"))
        self.confirm_match_button.setToolTip(_("These risks are one risk: the report marks "
                                               "the match as confirmed."))
        self.separate_button.setText(_("&Not the same risk"))
        self.separate_button.setToolTip(_("Take the chosen group's risk out of this match."))
        self.reset_matches_button.setText(_("Back to the suggested matches"))
        self.leader_table.setHorizontalHeaderLabels(
            [_("Rank"), _("Group"), _("Runs"), _("Hit rate"), _("Detection rate"),
             _("Selection rate (items)"), _("Lift")])
        self.leader_note.setText(_("Best run: the one with the best balance of hit rate and "
                                   "detection rate (their harmonic mean)."))
        refill_combo(self.match_combo, [(key, _(label)) for key, label in MATCH_LABELS.items()])
        refill_combo(self.run_combo,
                     [(key, _(label)) for key, label in RUN_CHOICE_LABELS.items()])
        self._refill_exercises()
        if self.overview is not None:
            self._fill_status()
            self._fill_phases()
            self._refresh_current()

    def _refill_exercises(self) -> None:
        refill_combo(self.exercise_combo, [(exercise.id, self.exercise_label_text(exercise))
                                           for exercise in self.pack.exercises])

    # -- status -----------------------------------------------------------------------------
    def _fill_status(self) -> None:
        overview = self.overview
        if overview is None:
            return
        self._loading = True
        current = (self.status_table.currentRow(), self.status_table.currentColumn())
        table = self.status_table
        table.setRowCount(len(overview.groups))
        table.setColumnCount(len(self.pack.exercises))
        table.setHorizontalHeaderLabels([self.exercise_label_text(e)
                                         for e in self.pack.exercises])
        table.setVerticalHeaderLabels([name for _i, name in overview.groups])
        for row, (group_id, _name) in enumerate(overview.groups):
            for column, exercise in enumerate(self.pack.exercises):
                table.setItem(row, column, self._status_item(group_id, exercise.id))
        if 0 <= current[0] < table.rowCount() and 0 <= current[1] < table.columnCount():
            table.setCurrentCell(*current)
        elif table.rowCount() and table.columnCount():
            table.setCurrentCell(0, 0)
        self._loading = False
        self._load_editor()

    def _status_item(self, group_id: str, exercise_id: str) -> QTableWidgetItem:
        assert self.overview is not None
        cell = self.overview.cell(group_id, exercise_id)
        text = f"{STATUS_MARKS.get(cell.status, '')} {_(STATUS_LABELS.get(cell.status, ''))}"
        if cell.score is not None:
            text += f" · {cell.score}"
        if cell.feedback.strip():
            text += " ✎"
        item = _item(text, (group_id, exercise_id))
        item.setToolTip(plain_tip(cell.feedback or _("No feedback yet.")))
        return item

    def selected_cell(self) -> tuple[str, str] | None:
        item = self.status_table.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _load_editor(self) -> None:
        if self._loading:
            return
        self.autosave.flush()
        selected = self.selected_cell()
        self._loading = True
        enabled = selected is not None and self.overview is not None
        self.editor_box.setEnabled(enabled)
        if enabled:
            group_id, exercise_id = selected  # type: ignore[misc]
            cell = self.overview.cell(group_id, exercise_id)  # type: ignore[union-attr]
            self.feedback_edit.setPlainText(cell.feedback)
            self.score_spin.setValue(NO_SCORE if cell.score is None else cell.score)
            self.overall_edit.setPlainText(self.facilitation.overall_comment(group_id))
            names = dict(self.overview.groups)  # type: ignore[union-attr]
            exercise = next(e for e in self.pack.exercises if e.id == exercise_id)
            self.editor_box.setTitle(_("Feedback and score: {group}, {exercise}").format(
                group=names.get(group_id, ""), exercise=self.exercise_label_text(exercise)))
        else:
            self.feedback_edit.clear()
            self.score_spin.setValue(NO_SCORE)
            self.overall_edit.clear()
        self._loading = False

    def _overall_typed(self) -> None:
        selected = self.selected_cell()
        if self._loading or selected is None:
            return
        self.autosave.queue(selected[0], OVERALL, self.overall_edit.toPlainText())

    def _feedback_typed(self) -> None:
        selected = self.selected_cell()
        if self._loading or selected is None:
            return
        self.autosave.queue("|".join(selected), "feedback", self.feedback_edit.toPlainText())

    def _write_feedback(self, key: str, field: str, value: object) -> None:
        if field == OVERALL:
            self.facilitation.set_overall_comment(key, str(value))
            return
        group_id, exercise_id = key.split("|", 1)
        self.facilitation.set_feedback(group_id, exercise_id, str(value))
        self._update_cell(group_id, exercise_id, feedback=str(value))

    def _score_changed(self, value: int) -> None:
        selected = self.selected_cell()
        if self._loading or selected is None:
            return
        score = None if value == NO_SCORE else value
        try:
            self.facilitation.set_score(*selected, score)
        except Exception as error:  # noqa: BLE001 - shown to the user
            show_error(self, error)
            return
        self._update_cell(*selected, score=score)

    def _update_cell(self, group_id: str, exercise_id: str, **changes: object) -> None:
        if self.overview is None:
            return
        from dataclasses import replace

        key = (group_id, exercise_id)
        self.overview.cells[key] = replace(self.overview.cell(*key), **changes)  # type: ignore[arg-type]
        for row in range(self.status_table.rowCount()):
            for column in range(self.status_table.columnCount()):
                item = self.status_table.item(row, column)
                if item is not None and tuple(item.data(Qt.ItemDataRole.UserRole)) == key:
                    self._loading = True
                    item.setText(self._status_item(*key).text())
                    item.setToolTip(self._status_item(*key).toolTip())
                    self._loading = False

    # -- phases -----------------------------------------------------------------------------
    def _fill_phases(self) -> None:
        if self.overview is None:
            return
        self._loading = True
        self.phase_table.setRowCount(len(self.pack.exercises))
        for row, exercise in enumerate(self.pack.exercises):
            phase = self.overview.phase(exercise.id)
            self.phase_table.setItem(row, 0, _item(self.exercise_label_text(exercise)))
            self.phase_table.setItem(row, 1, _check_item(phase.locked, (exercise.id, "locked")))
            self.phase_table.setItem(row, 2, _check_item(phase.model_revealed,
                                                         (exercise.id, "revealed")))
        self._loading = False

    def _phase_changed(self, item: QTableWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if self._loading or not data or not self.workshop_id:
            return
        exercise_id, what = data
        checked = item.checkState() == Qt.CheckState.Checked
        if what == "locked":
            self.facilitation.set_locked(self.workshop_id, exercise_id, checked)
        else:
            self.facilitation.set_revealed(self.workshop_id, exercise_id, checked)
        self.overview = self.facilitation.overview(self.workshop_id, self.pack)
        self.phases_changed.emit()

    # -- side by side -------------------------------------------------------------------------
    def refresh_side(self) -> None:
        exercise_id = self.exercise_combo.currentData()
        if not self.workshop_id or not exercise_id:
            return
        lang = current_language()
        side = self.comparison.side_by_side(self.workshop_id, exercise_id, _, lang)
        columns = [(_("Model answer"), lines_html(
            [Line(p.strip(), 1) for p in side.model_answer.split("\n\n") if p.strip()],
            _("The content pack has no model answer for this exercise.")))]
        assert self.overview is not None
        for answer in side.answers:
            cell = self.overview.cell(answer.group_id, exercise_id)
            status = _(STATUS_LABELS.get(cell.status, ""))
            top = f"<p><i>{escape(status)}</i>" + (
                f" · {escape(_('score {score}').format(score=cell.score))}"
                if cell.score is not None else "") + "</p>"
            columns.append((answer.group_name, top + lines_html(answer.lines,
                                                                _("No answer yet."))))
        self.side_columns = [title for title, _html in columns]
        head = "".join(f"<th width='{SIDE_COLUMN}' align='left' bgcolor='#e4e4e4'>"
                       f"{escape(title)}</th>" for title, _html in columns)
        body = "".join(f"<td width='{SIDE_COLUMN}' valign='top'>{html}</td>"
                       for _title, html in columns)
        self.side_view.setLineWrapColumnOrWidth(SIDE_COLUMN * len(columns) + 40)
        self.side_view.setHtml(f"<table border='1' cellspacing='0' cellpadding='6' "
                               f"style='border-color:#999999'><tr>{head}</tr>"
                               f"<tr>{body}</tr></table>")

    # -- overlay ------------------------------------------------------------------------------
    def refresh_overlay(self) -> None:
        if not self.workshop_id:
            return
        match_by = self.match_combo.currentData() if self._match_chosen else MATCH_AUTO
        self.overlay = self.comparison.overlay(self.workshop_id, match_by or MATCH_AUTO,
                                               self.min_groups.value())
        self.match_combo.blockSignals(True)  # show how the risks were matched
        self.match_combo.setCurrentIndex(self.match_combo.findData(self.overlay.match_by))
        self.match_combo.blockSignals(False)
        self.overlay_map.set_overlay(self.overlay)
        self.overlay_empty.setText(_("No risk was rated by that many groups yet.")
                                   if not self.overlay.risks else "")
        self.overlay_empty.setVisible(not self.overlay.risks)
        table = self.overlay_table
        table.setRowCount(len(self.overlay.risks))
        for row, risk in enumerate(self.overlay.risks):
            scores = risk.scores
            spread = risk.spread
            levels = " · ".join(f"{_(LEVEL_LABELS.get(level, level))} {count}"
                                for level, count in risk.level_counts(self.overlay.bands))
            cells = [str(risk.number), risk.label + (" ✓" if risk.confirmed else ""),
                     f"{scores[0]}–{scores[-1]}" if scores else "—",
                     "—" if spread is None else str(spread), levels]
            for column, text in enumerate(cells):
                item = _item(text, risk.number)
                if column == 3 and risk.disagree(self.overlay.bands):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip(_("The groups put this risk in different risk levels."))
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        self.match_note.setText(
            _("Matched by ID: one ID may name different risks in different groups.")
            if self.overlay.match_by == MATCH_CODE else
            _("Matched by meaning (same area, similar event): confirm each match, or take "
              "a risk out of it."))
        self._fill_members()

    def _overlay_row(self, row: int, *_args: object) -> None:
        item = self.overlay_table.item(row, 0) if row >= 0 else None
        self.overlay_map.highlight(item.data(Qt.ItemDataRole.UserRole) if item else None)
        self._fill_members()

    def chosen_match(self) -> OverlayRisk | None:
        item = self.overlay_table.item(self.overlay_table.currentRow(), 0)
        if item is None or self.overlay is None:
            return None
        return self.overlay.risk(item.data(Qt.ItemDataRole.UserRole))

    def _fill_members(self) -> None:
        self.match_members.clear()
        risk = self.chosen_match()
        for rating in risk.ratings if risk is not None else []:
            rated = (f"{rating.likelihood}×{rating.impact}" if rating.score is not None
                     else "—")
            item = QListWidgetItem(f"{rating.group_name} · {rating.code or '—'} · "
                                   f"{' '.join(rating.event.split()) or '—'} · {rated}")
            item.setData(Qt.ItemDataRole.UserRole, rating.risk_id)
            self.match_members.addItem(item)
        self._match_buttons()

    def _match_buttons(self) -> None:
        risk = self.chosen_match()
        by_meaning = self.overlay is not None and self.overlay.match_by != MATCH_CODE
        self.confirm_match_button.setEnabled(
            by_meaning and risk is not None and bool(risk.key) and not risk.confirmed)
        self.separate_button.setEnabled(risk is not None and len(risk.ratings) > 1
                                        and self.match_members.currentRow() >= 0)
        self.reset_matches_button.setEnabled(bool(self.workshop_id) and bool(
            self.comparison.match_decisions(self.workshop_id).confirmed
            or self.comparison.match_decisions(self.workshop_id).apart))

    def _reselect(self, number: int | None) -> None:
        if number is not None and number <= self.overlay_table.rowCount():
            self.overlay_table.setCurrentCell(number - 1, 0)

    def _confirm_match(self) -> None:
        risk = self.chosen_match()
        if risk is None or not self.workshop_id:
            return
        self.comparison.confirm_match(self.workshop_id, risk.key)
        self.refresh_overlay()
        self._reselect(risk.number)

    def _separate_risk(self) -> None:
        risk, item = self.chosen_match(), self.match_members.currentItem()
        if risk is None or item is None or not self.workshop_id:
            return
        self.comparison.separate_risk(self.workshop_id, item.data(Qt.ItemDataRole.UserRole))
        self.refresh_overlay()
        self._reselect(risk.number)

    def _reset_matches(self) -> None:
        if self.workshop_id:
            self.comparison.reset_matches(self.workshop_id)
            self.refresh_overlay()

    # -- leaderboard ----------------------------------------------------------------------------
    def refresh_leaderboard(self) -> None:
        if not self.workshop_id:
            return
        rows = self.comparison.leaderboard(self.workshop_id, self.run_combo.currentData()
                                           or "best")
        self.leader_table.setRowCount(len(rows))
        for row, entry in enumerate(rows):
            cells = [str(entry.rank) if entry.rank else "—", entry.group_name, str(entry.runs),
                     _pct(entry.hit_rate), _pct(entry.detection_rate),
                     _pct(entry.selection_rate),
                     _decimal(entry.lift)]
            for column, text in enumerate(cells):
                item = _item(text)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.leader_table.setItem(row, column, item)

    # -- printing -----------------------------------------------------------------------------
    def _default_path(self, kind: str) -> Path:
        from rmdesk.ui.folders import PDF_FOLDER, default_folder

        base = default_folder(self.store, PDF_FOLDER)
        workshop = self.workshops.get_workshop(self.workshop_id) if self.workshop_id else None
        from rmdesk.services.workshop_reports import safe_file_name

        title = safe_file_name(workshop.title if workshop else "rmdesk")
        if kind == BATCH:
            return base / title
        if kind == EXERCISE:
            return base / f"{title} - {safe_file_name(str(self.exercise_combo.currentData()))}.pdf"
        return base / f"{title}.pdf"

    def print_dialog(self, kind: str) -> None:
        if not self.workshop_id or not self.roles.is_facilitator:
            return
        self.flush()
        dialog = PrintOptionsDialog(self, kind, self._default_path(kind), current_language())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        langs, path = dialog.chosen()
        from rmdesk.ui.folders import PDF_FOLDER, remember_folder

        remember_folder(self.store, PDF_FOLDER, path if kind == BATCH else path.parent)
        self.start_print(kind, langs, path, with_feedback=dialog.release.isChecked())

    def start_print(self, kind: str, langs: tuple[str, ...], path: Path,
                    preview: bool = True, with_feedback: bool = False) -> object:
        """Build the PDF(s) in a worker thread with progress and cancel; then preview."""
        from rmdesk.services import workshop_reports as printing

        workshop_id, pack, store = self.workshop_id, self.pack, self.store
        exercise_id = self.exercise_combo.currentData()

        def job(progress, is_cancelled):  # noqa: ANN001, ANN202 - run in the worker
            if kind == BATCH:
                return printing.write_group_batch(store, workshop_id, path, langs, pack,
                                                  progress, is_cancelled,
                                                  with_feedback=with_feedback)
            if kind == EXERCISE:
                return printing.write_exercise_pdf(store, workshop_id, exercise_id, path,
                                                   langs, pack, progress, is_cancelled)
            return printing.write_consolidated_pdf(store, workshop_id, path, langs, pack,
                                                   progress, is_cancelled)

        def done(result: object) -> None:
            self.last_output = result
            if not preview:
                return
            if isinstance(result, list):
                answer = QMessageBox.question(
                    self, _("Group outputs ready"),
                    ngettext("{count} PDF file was saved in:\n{path}\n\nOpen the folder?",
                             "{count} PDF files were saved in:\n{path}\n\nOpen the folder?",
                             len(result)).format(count=len(result), path=path))
                if answer == QMessageBox.StandardButton.Yes:
                    open_externally(path)
            else:
                PrintPreviewDialog(self, Path(str(result))).exec()

        thread = run_job(self, _("Printing"), _("Building the PDF…"), job, done)
        self._threads.append(thread)
        thread.finished.connect(lambda: self._threads.remove(thread)
                                if thread in self._threads else None)
        return thread
