"""E8 targeting simulation: run the group's profiles over the declarations in a worker
thread (progress, cancel), then show the confusion matrix, the metrics next to a random
selection at the same rate, hits per criterion, the lane chart, and every earlier run.

The data set is chosen per group (kept in the exercise's work as {"dataset": id}): the
built-in practice declarations or one the facilitator imported from CSV, which the combo
also offers to import. A data set without the outcome gives selection and workload only."""

from __future__ import annotations

import json
import threading
from typing import Any

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
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.criteria import LANE_LABELS
from rmdesk.domain.tuning import Tuning
from rmdesk.i18n import _, current_language
from rmdesk.i18n.formatting import format_date, format_number, format_percent
from rmdesk.services.datasets import DatasetInfo, DatasetService
from rmdesk.services.targeting import BUILTIN_DATASET, TargetingService
from rmdesk.ui.common import Retranslatable, show_error
from rmdesk.ui.dataset_manager import dataset_events, manage_datasets_dialog
from rmdesk.ui.exercise_pages import PageContext
from rmdesk.ui.lane_chart import LaneChart
from rmdesk.ui.sample_data import sample_data

TUNING_EXERCISE = "e9"  # the E9 settings a run applies, when the group has set them
IMPORT_ENTRY = "import:csv"  # the combo entry that opens the CSV import
MANAGE_ENTRY = "manage:datasets"  # the combo entry that opens the data set manager


class Cancelled(Exception):
    pass


class _RunWorker(QObject):
    """Evaluates in a worker thread; the store is written on the GUI thread afterwards."""

    progressed = Signal(int, int)
    finished = Signal(object)  # SelectivityRun
    failed = Signal(object)

    def __init__(self, ruleset: object, workload: object, dataset: str = BUILTIN_DATASET,
                 datasets: DatasetService | None = None) -> None:
        super().__init__()
        self.ruleset, self.workload = ruleset, workload
        self.dataset, self.datasets = dataset, datasets
        self.cancel_event = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            from rmdesk.domain.selectivity import run_selectivity

            if self.dataset == BUILTIN_DATASET or self.datasets is None:
                table = sample_data().wait()
            else:
                table = self.datasets.load_dataset(self.dataset)

            def progress(done: int, total: int) -> None:
                if self.cancel_event.is_set():
                    raise Cancelled
                self.progressed.emit(done, total)

            outcome = run_selectivity(table, self.ruleset, workload=self.workload,  # type: ignore[arg-type]
                                      progress=progress)
            if self.cancel_event.is_set():
                raise Cancelled
            self.finished.emit(outcome)
        except Exception as exc:  # noqa: BLE001 - reported in the GUI thread
            self.failed.emit(exc)


def _rate(value: object) -> str:
    return format_percent(float(value), digits=1) if isinstance(value, int | float) else "—"


class TargetingPage(Retranslatable, QWidget):
    run_finished = Signal()

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.targeting = TargetingService(ctx.store)
        self.datasets = DatasetService.for_store(ctx.store)
        self.dataset_id = BUILTIN_DATASET
        self._dataset_infos: dict[str, DatasetInfo] = {}
        self._dataset_missing = False  # the group's data set is no longer on this laptop
        self._run_dataset = BUILTIN_DATASET
        self._message = ""
        self.group_id: str | None = None
        self._thread: QThread | None = None
        self._worker: _RunWorker | None = None
        self._skipped: list[str] = []
        self._shown: dict[str, Any] | None = None

        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.start_run)
        QShortcut(QKeySequence("Ctrl+R"), self, self.start_run)
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_run)
        self.cancel_button.hide()
        self.data_label = QLabel()
        self.dataset_combo = QComboBox()
        self.dataset_combo.setMinimumContentsLength(28)
        self.dataset_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.dataset_combo.activated.connect(self._dataset_chosen)
        self.data_label.setBuddy(self.dataset_combo)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.run_button)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        bar.addWidget(self.data_label)
        bar.addWidget(self.dataset_combo)

        self.history_box = QGroupBox()
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.history.currentItemChanged.connect(self._run_chosen)
        QVBoxLayout(self.history_box).addWidget(self.history)

        self.matrix_box = QGroupBox()
        self.matrix = QTableWidget(3, 3)
        self._plain_table(self.matrix)
        QVBoxLayout(self.matrix_box).addWidget(self.matrix)
        self.metrics_box = QGroupBox()
        self.metrics = QTableWidget(5, 3)
        self._plain_table(self.metrics)
        QVBoxLayout(self.metrics_box).addWidget(self.metrics)
        self.lanes_box = QGroupBox()
        self.lane_chart = LaneChart()
        QVBoxLayout(self.lanes_box).addWidget(self.lane_chart)
        self.criteria_box = QGroupBox()
        self.criteria = QTableWidget(0, 6)
        self._plain_table(self.criteria)
        # The criterion's name keeps a readable width and wraps (stretched, it was squeezed
        # to "…" by the number columns on a laptop); rows grow to the wrapped name.
        self.criteria.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Interactive)
        self.criteria.setColumnWidth(0, 170)
        self.criteria.horizontalHeader().setStretchLastSection(True)
        self.criteria.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        QVBoxLayout(self.criteria_box).addWidget(self.criteria)

        results = QWidget()
        grid = QGridLayout(results)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.matrix_box, 0, 0)
        grid.addWidget(self.metrics_box, 0, 1)
        grid.addWidget(self.lanes_box, 1, 0)
        grid.addWidget(self.criteria_box, 1, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setRowStretch(1, 1)
        for table in (self.matrix, self.metrics):
            table.setMaximumHeight(190)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.history_box)
        split.addWidget(results)
        split.setSizes([240, 860])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)
        self.retranslate_ui()
        sample_data().ensure()
        dataset_events().changed.connect(self._fill_datasets)  # imported, renamed, deleted

    @staticmethod
    def _plain_table(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    # -- texts --------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.run_button.setText(_("&Run my profiles"))
        self.run_button.setToolTip(_("Run every complete profile over the declarations "
                                     "(Ctrl+R)"))
        self.cancel_button.setText(_("Cancel"))
        self.data_label.setText(_("&Data:"))
        self.dataset_combo.setToolTip(_("The declarations the run uses: the built-in "
                                        "practice set or one imported from CSV"))
        self._fill_datasets()
        self.history_box.setTitle(_("Runs"))
        self.matrix_box.setTitle(_("Confusion matrix (items)"))
        self.metrics_box.setTitle(_("Your criteria against a random selection"))
        self.lanes_box.setTitle(_("Declarations per lane"))
        self.criteria_box.setTitle(_("Results per criterion"))
        self.matrix.setHorizontalHeaderLabels(["", _("Non-compliant"), _("Compliant")])
        self.metrics.setHorizontalHeaderLabels(
            [_("Measure"), _("Your criteria"), _("Random, same rate")])
        self.criteria.setHorizontalHeaderLabels([
            _("Criterion"), _("Lane"), _("Items selected"), _("Non-compliant items found"),
            _("Hit rate"), _("Items whose lane it set")])
        self._fill_history()
        self._show(self._shown)
        self._show_notice()

    # -- group --------------------------------------------------------------------------
    def set_group(self, group_id: str | None) -> None:
        self.group_id = group_id
        self.run_button.setEnabled(group_id is not None and self._thread is None)
        self._skipped = []
        self._message = ""
        self.dataset_id = BUILTIN_DATASET
        if group_id is not None:
            chosen = self.ctx.work.load(group_id, self.ctx.exercise.id).data.get("dataset")
            if isinstance(chosen, str) and chosen:
                self.dataset_id = chosen
        self._fill_datasets()
        self._fill_history(select_last=True)
        self._show_notice()

    def flush(self) -> None:
        """Nothing is typed here."""

    def check_work(self) -> None:
        self.start_run()

    # -- data sets ----------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        self._fill_datasets()  # a data set may have been imported from the File menu
        super().showEvent(event)

    def dataset_name(self, dataset_id: str) -> str:
        info = self._dataset_infos.get(dataset_id)
        if info is None:
            return _("a data set no longer on this laptop")
        if info.builtin:
            return _("Built-in practice declarations ({count} items)").format(
                count=format_number(info.rows))
        return _("{name} ({count} items)").format(name=info.name,
                                                  count=format_number(info.rows))

    def _fill_datasets(self) -> None:
        infos = self.datasets.list_datasets()
        self._dataset_infos = {info.id: info for info in infos}
        self._dataset_missing = self.dataset_id not in self._dataset_infos
        chosen = BUILTIN_DATASET if self._dataset_missing else self.dataset_id
        combo = self.dataset_combo
        combo.blockSignals(True)
        combo.clear()
        for info in infos:
            text = self.dataset_name(info.id)
            if not info.has_outcome:
                text = _("{name} — no outcome").format(name=text)
            combo.addItem(text, info.id)
        combo.insertSeparator(combo.count())
        combo.addItem(_("Import from a file (CSV, XLSX, ODS)…"), IMPORT_ENTRY)
        combo.addItem(_("Manage data sets…"), MANAGE_ENTRY)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)
        self._show_notice()

    def current_dataset(self) -> str:
        """The data set a run would use now."""
        return BUILTIN_DATASET if self._dataset_missing else self.dataset_id

    def _dataset_chosen(self, index: int) -> None:
        chosen = self.dataset_combo.itemData(index)
        if chosen == MANAGE_ENTRY:
            manage_datasets_dialog(self, self.ctx.store, select=self.current_dataset())
            self._fill_datasets()  # back to the data set chosen, unless it was deleted
            return
        if chosen == IMPORT_ENTRY:
            from rmdesk.ui.dataset_import import import_declarations_dialog

            info = import_declarations_dialog(self, self.ctx.store)
            if info is None:
                self._fill_datasets()  # back to the data set chosen before
                return
            chosen = info.id
        if not isinstance(chosen, str):
            return
        self.choose_dataset(chosen)

    def choose_dataset(self, dataset_id: str) -> None:
        """Use `dataset_id` for this group's runs from now on, and remember it."""
        self.dataset_id = dataset_id
        self._message = ""
        if self.group_id is not None:
            try:
                data = dict(self.ctx.work.load(self.group_id, self.ctx.exercise.id).data)
                if data.get("dataset") != dataset_id:
                    data["dataset"] = dataset_id
                    self.ctx.work.save(self.group_id, self.ctx.exercise.id, data)
            except Exception as exc:  # noqa: BLE001
                show_error(self, exc)
        self._fill_datasets()

    # -- runs ---------------------------------------------------------------------------
    def _tuning(self) -> Tuning | None:
        if self.group_id is None:
            return None
        state = self.ctx.work.load(self.group_id, TUNING_EXERCISE)
        return Tuning.from_dict(state.data) if state.data else None

    def start_run(self) -> None:
        if self.group_id is None or self._thread is not None:
            return
        from rmdesk.domain.targeting_metrics import WorkloadSettings

        tuning = self._tuning()
        self._skipped = []
        try:
            ruleset = self.targeting.prepare_run(
                self.group_id, tuning.random_rates if tuning else None, self._skipped)
            workload = WorkloadSettings(**tuning.workload_settings()) if tuning else None
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        if not ruleset.criteria:
            self._show_notice(_("No profile can run yet: write at least one complete "
                                "profile in E7."))
            return
        self._ruleset = ruleset
        self._message = ""
        self._run_dataset = self.current_dataset()
        self._worker = _RunWorker(ruleset, workload, self._run_dataset, self.datasets)
        self._thread = QThread(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progressed)
        self._worker.finished.connect(self._done)
        self._worker.failed.connect(self._failed)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.run_button.setEnabled(False)
        self.dataset_combo.setEnabled(False)
        self._thread.start()

    def cancel_run(self) -> None:
        if self._worker is not None:
            self._worker.cancel_event.set()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _finish_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None
        self.progress.hide()
        self.cancel_button.hide()
        self.dataset_combo.setEnabled(True)
        self.run_button.setEnabled(self.group_id is not None)

    def _done(self, outcome: object) -> None:
        self._finish_thread()
        if self.group_id is None:
            return
        try:
            self.targeting.record_run(self.group_id, self._ruleset, outcome,  # type: ignore[arg-type]
                                      dataset=self._run_dataset)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._fill_history(select_last=True)
        self._show_notice()
        self.ctx.status(_("Run finished and kept in the list of runs."))
        self.run_finished.emit()

    def _failed(self, exc: object) -> None:
        self._finish_thread()
        if isinstance(exc, Cancelled):
            self.ctx.status(_("Run cancelled: nothing was kept."))
            return
        show_error(self, exc)  # type: ignore[arg-type]

    def wait_for_run(self, timeout_ms: int = 60000) -> None:
        """For tests and for closing the window: let a running simulation end (its
        result arrives through the event loop, so events are processed meanwhile)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._thread is not None and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            QThread.msleep(5)

    # -- display ------------------------------------------------------------------------
    def _show_notice(self, text: str | None = None) -> None:
        """`text`: a one-off message, kept until the next run or group; the rest of the
        notice follows from the state (profiles left out, the data set)."""
        if text is not None:
            self._message = text
        lines = [self._message] if self._message else []
        if self._skipped:
            lines.append(_("Left out because their logic is not complete: {titles}").format(
                titles=", ".join(t or _("(untitled profile)") for t in self._skipped)))
        if getattr(self, "_dataset_missing", False):
            lines.append(_("The data set this group chose earlier is no longer on this "
                           "laptop: runs use the built-in practice declarations."))
        info = getattr(self, "_dataset_infos", {}).get(self.current_dataset())
        shown = getattr(self, "_shown", None)
        if (info is not None and not info.has_outcome) or (
                shown is not None and shown.get("rows") and shown.get("non_compliant") is None):
            lines.append(_(
                "This data set has no outcome column: the simulation shows selection and "
                "workload only. Hit rates, detection rates and the non-compliant found "
                "need to know which declarations were non-compliant, so they show “—”."))
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))

    def _fill_history(self, select_last: bool = False) -> None:
        current = self.history.currentItem()
        chosen = current.data(Qt.ItemDataRole.UserRole) if current and not select_last else None
        self.history.blockSignals(True)
        self.history.clear()
        runs = self.targeting.runs(self.group_id) if self.group_id else []
        for number, run in enumerate(runs, start=1):
            try:
                metrics = json.loads(run.metrics_json)
            except ValueError:
                continue
            item = QListWidgetItem(_(
                "Run {number} · {date}\nselected {selection} · hit rate {hit} · "
                "detected {detection}").format(
                number=number, date=format_date(run.created_at.date(), current_language(),
                                                "short"),
                selection=_rate(metrics.get("selection_rate")),
                hit=_rate(metrics.get("hit_rate")),
                detection=_rate(metrics.get("detection_rate")))
                + "\n" + _("Data: {dataset}").format(dataset=self.dataset_name(run.dataset)))
            item.setData(Qt.ItemDataRole.UserRole, run.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, metrics)
            self.history.addItem(item)
        self.history.blockSignals(False)
        row = self.history.count() - 1
        for i in range(self.history.count()):
            if self.history.item(i).data(Qt.ItemDataRole.UserRole) == chosen:
                row = i
        if row >= 0:
            self.history.setCurrentRow(row)
            self._show(self.history.item(row).data(Qt.ItemDataRole.UserRole + 1))
        else:
            self._show(None)

    def _run_chosen(self, current: QListWidgetItem | None, _prev: object) -> None:
        self._show(current.data(Qt.ItemDataRole.UserRole + 1) if current else None)
        self._show_notice()

    def _set(self, table: QTableWidget, row: int, col: int, text: str) -> None:
        item = QTableWidgetItem(text)
        if col > 0:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setItem(row, col, item)

    def _show(self, metrics: dict[str, Any] | None) -> None:
        self._shown = metrics
        m = metrics or {}
        confusion = m.get("confusion") or {}

        def n(key: str) -> str:
            value = confusion.get(key)
            return format_number(value) if isinstance(value, int) else "—"

        for row, (label, a, b) in enumerate((
                (_("Selected"), n("tp"), n("fp")),
                (_("Not selected"), n("fn"), n("tn")))):
            self._set(self.matrix, row, 0, label)
            self._set(self.matrix, row, 1, a)
            self._set(self.matrix, row, 2, b)
        self._set(self.matrix, 2, 0, _("All items"))
        self._set(self.matrix, 2, 1, format_number(m["non_compliant"])
                  if isinstance(m.get("non_compliant"), int) else "—")
        self._set(self.matrix, 2, 2, format_number(m["rows"] - m["non_compliant"])
                  if isinstance(m.get("non_compliant"), int) else "—")
        lift = m.get("lift")
        workload = m.get("workload") or {}
        rows = (
            (_("Selection rate (items)"), _rate(m.get("selection_rate")),
             _rate(m.get("selection_rate"))),
            (_("Hit rate"), _rate(m.get("hit_rate")), _rate(m.get("random_hit_rate"))),
            (_("Detection rate"), _rate(m.get("detection_rate")),
             _rate(m.get("random_detection_rate"))),
            (_("Times better than random"),
             format_number(round(lift, 1)) if isinstance(lift, int | float) else "—",
             format_number(1) if isinstance(lift, int | float) else "—"),
            (_("Examiner workload"), format_number(round(workload.get("total", 0)))
             if metrics else "—", ""),
        )
        for row, values in enumerate(rows):
            for col, text in enumerate(values):
                self._set(self.metrics, row, col, text)
        self.lane_chart.set_data({entry["lane"]: entry.get("declarations", entry["rows"])
                                  for entry in m.get("lanes", [])})
        criteria = m.get("criteria", [])
        self.criteria.setRowCount(len(criteria))
        for row, c in enumerate(criteria):
            lane = c.get("lane", "")
            values = (c.get("name", ""), _(LANE_LABELS[lane]) if lane in LANE_LABELS else lane,
                      format_number(c.get("hits", 0)),
                      format_number(c["finds"]) if isinstance(c.get("finds"), int) else "—",
                      _rate(c.get("hit_rate")), format_number(c.get("decided", 0)))
            for col, text in enumerate(values):
                self._set(self.criteria, row, col, text)
