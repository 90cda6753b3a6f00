"""E9 selectivity tuning: expected share per lane, random rates, minimum random rate,
examiner capacity and workload weights; the workload of the last E8 run against
capacity, recomputed as the group types, with a capacity warning."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.criteria import LANE_LABELS, LANES
from rmdesk.domain.tuning import (
    RANDOM_LANES,
    Tuning,
    WorkloadSummary,
    check_tuning,
    plan_workload,
    render_tuning_finding,
    workload_from_run,
)
from rmdesk.i18n import _
from rmdesk.i18n.formatting import format_number, format_percent, percent_suffix
from rmdesk.services.datasets import run_dataset_name
from rmdesk.services.history import SnapshotHistory
from rmdesk.services.targeting import TargetingService
from rmdesk.ui.autosave import Autosaver
from rmdesk.ui.common import Retranslatable, show_error
from rmdesk.ui.exercise_pages import PageContext
from rmdesk.ui.feedback import FeedbackList
from rmdesk.ui.lane_chart import LaneChart
from rmdesk.ui.snapshot_undo import SnapshotUndo


def _spin(maximum: float, decimals: int = 1, suffix: str = "") -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(True)
    return spin


class TuningPage(SnapshotUndo, Retranslatable, QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.targeting = TargetingService(ctx.store)
        self.group_id: str | None = None
        self._loading = False
        self._findings: list | None = None
        self.autosave = Autosaver(lambda _r, _f, _v: self._save(), self)
        self.autosave.failed.connect(lambda error: show_error(self, error))
        self.history = SnapshotHistory()  # Ctrl+Z on this page: the rates before
        self._stored: dict = {}  # the tuning as last saved, the state an undo goes back to

        self.rates_box = QGroupBox()
        grid = QGridLayout(self.rates_box)
        self.header_labels = [QLabel() for _ in range(5)]
        for col, label in enumerate(self.header_labels):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)  # long headings take two lines, not the page's width
            grid.addWidget(label, 0, col)
        self.lane_labels: dict[str, QLabel] = {}
        self.expected: dict[str, QDoubleSpinBox] = {}
        self.random: dict[str, QDoubleSpinBox] = {}
        self.per_declaration: dict[str, QDoubleSpinBox] = {}
        self.per_item: dict[str, QDoubleSpinBox] = {}
        for row, lane in enumerate(reversed(LANES), start=1):
            self.lane_labels[lane] = QLabel()
            grid.addWidget(self.lane_labels[lane], row, 0)
            self.expected[lane] = _spin(100, 1)
            grid.addWidget(self.expected[lane], row, 1)
            if lane in RANDOM_LANES:
                self.random[lane] = _spin(100, 1)
                grid.addWidget(self.random[lane], row, 2)
            self.per_declaration[lane] = _spin(1000, 1)
            grid.addWidget(self.per_declaration[lane], row, 3)
            self.per_item[lane] = _spin(1000, 1)
            grid.addWidget(self.per_item[lane], row, 4)
        self.minimum_label = QLabel()
        self.minimum = _spin(100, 1)
        self.capacity_label = QLabel()
        self.capacity = _spin(10_000_000, 0)
        self.minimum_label.setBuddy(self.minimum)
        self.capacity_label.setBuddy(self.capacity)
        bottom = QHBoxLayout()
        for widget in (self.minimum_label, self.minimum, self.capacity_label, self.capacity):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        for spin in self._spins():
            spin.valueChanged.connect(self._edited)

        self.result_box = QGroupBox()
        # The box's heading is a wrapped label: as a group box title it set the page's width.
        self.result_title = QLabel()
        self.result_title.setWordWrap(True)
        self.chart = LaneChart()
        self.workload_text = QLabel()
        self.workload_text.setWordWrap(True)
        self.workload_text.setTextFormat(Qt.TextFormat.PlainText)
        result_layout = QVBoxLayout(self.result_box)
        result_layout.addWidget(self.result_title)
        result_layout.addWidget(self.chart, 1)
        result_layout.addWidget(self.workload_text)

        self.feedback_box = QGroupBox()
        self.feedback = FeedbackList()
        QVBoxLayout(self.feedback_box).addWidget(self.feedback)

        left = QVBoxLayout()
        left.addWidget(self.rates_box)
        left.addLayout(bottom)
        left.addWidget(self.feedback_box, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addWidget(self.result_box, 2)
        self.retranslate_ui()

    def _spins(self) -> list[QDoubleSpinBox]:
        return [*self.expected.values(), *self.random.values(),
                *self.per_declaration.values(), *self.per_item.values(),
                self.minimum, self.capacity]

    # -- texts --------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.rates_box.setTitle(_("Rates per lane and examiner workload"))
        for spin in (*self.expected.values(), *self.random.values(), self.minimum):
            spin.setSuffix(percent_suffix())  # 60 % in fr, 60% in en
        for label, text in zip(self.header_labels, (
                _("Lane"), _("Expected share"), _("Random rate"),
                _("Workload per declaration"), _("Workload per item")), strict=True):
            label.setText(text)
        for lane, label in self.lane_labels.items():
            label.setText(_(LANE_LABELS[lane]))
        self.minimum_label.setText(_("Minimum random rate:"))
        self.capacity_label.setText(_("Examiner capacity (workload units a year):"))
        # 0 means "not set": the exercise's stated capacity applies.
        self.capacity.setSpecialValueText(format_number(self.ctx.exercise.plan_rules().capacity))
        self.result_title.setText(_("Last run: lanes against expected shares (dashed)"))
        self.feedback_box.setTitle(_("Feedback"))
        self._refresh()

    # -- values -------------------------------------------------------------------------
    def set_group(self, group_id: str | None) -> None:
        self.flush()
        if group_id != self.group_id:
            self.history.clear()
        self.group_id = group_id
        self._findings = None
        tuning = Tuning()
        if group_id is not None:
            state = self.ctx.work.load(group_id, self.ctx.exercise.id)
            tuning = Tuning.from_dict(state.data) if state.data else Tuning()
        self._loading = True
        for lane in LANES:
            self.expected[lane].setValue(100 * tuning.expected.get(lane, 0.0))
            self.per_declaration[lane].setValue(tuning.per_declaration.get(lane, 0.0))
            self.per_item[lane].setValue(tuning.per_item.get(lane, 0.0))
        for lane, spin in self.random.items():
            spin.setValue(100 * tuning.random_rates.get(lane, 0.0))
        self.minimum.setValue(100 * tuning.min_random_rate)
        self.capacity.setValue(tuning.capacity or 0)
        self._loading = False
        self._stored = self.tuning().to_dict()
        for spin in self._spins():
            spin.setEnabled(group_id is not None)
        self._refresh()

    def tuning(self) -> Tuning:
        def shares(spins: dict[str, QDoubleSpinBox]) -> dict[str, float]:
            return {lane: spin.value() / 100 for lane, spin in spins.items() if spin.value()}

        return Tuning(
            expected=shares(self.expected), random_rates=shares(self.random),
            min_random_rate=self.minimum.value() / 100,
            capacity=self.capacity.value() or None,
            per_declaration={lane: s.value() for lane, s in self.per_declaration.items()},
            per_item={lane: s.value() for lane, s in self.per_item.items() if s.value()},
        )

    def _edited(self) -> None:
        if self._loading or self.group_id is None:
            return
        self.autosave.queue(self.ctx.exercise.id, "tuning", None)
        self._refresh()

    def _save(self) -> None:
        if self.group_id is None:
            return
        data = self.tuning().to_dict()
        self.ctx.work.save(self.group_id, self.ctx.exercise.id, data)
        if data != self._stored:
            spin = self.focusWidget()
            self.history.record(self._stored, _("change of the rates and workload"),
                                key=id(spin) if spin is not None else None)
            self._stored = data

    # -- undo -------------------------------------------------------------------------
    def current_snapshot(self) -> object:
        return self.tuning().to_dict()

    def restore_snapshot(self, state: object) -> None:
        assert self.group_id is not None
        self.ctx.work.save(self.group_id, self.ctx.exercise.id, state)  # type: ignore[arg-type]
        self.set_group(self.group_id)  # shows the stored tuning, and keeps it as the base

    def flush(self) -> None:
        self.autosave.flush()

    def _summary(self) -> WorkloadSummary | None:
        if self.group_id is None:
            return None
        runs = self.targeting.runs(self.group_id)
        if not runs:
            return None
        try:
            metrics = json.loads(runs[-1].metrics_json)
        except ValueError:
            return None
        return workload_from_run(metrics, self.tuning(), self.ctx.exercise.plan_rules())

    def _run_dataset_name(self) -> str | None:
        """The name of the data set the last E8 run was on (None: the built-in sample)."""
        runs = self.targeting.runs(self.group_id) if self.group_id else []
        return run_dataset_name(self.ctx.store, runs[-1].dataset) if runs else None

    def _plan_lines(self, tuning: Tuning) -> list[str]:
        """The plan's arithmetic for a year, lane by lane, as the exercise asks for it."""
        if not tuning.expected:
            return []
        rules = self.ctx.exercise.plan_rules()
        plan = plan_workload(tuning, rules)
        lines = [_("Your plan for {declarations} declarations a year:").format(
            declarations=format_number(rules.yearly_declarations))]
        lines += [_("{lane}: {share} = {declarations} declarations × {units} units = "
                    "{workload}").format(
            lane=_(LANE_LABELS[lane.lane]), share=format_percent(lane.share, digits=1),
            declarations=format_number(round(lane.declarations)),
            units=format_number(lane.units), workload=format_number(round(lane.workload)))
            for lane in plan.lanes if lane.share]
        lines.append(_("Total workload {total} for a capacity of {capacity}: "
                       "{share} used.").format(
            total=format_number(round(plan.total)), capacity=format_number(plan.capacity),
            share=format_percent(plan.utilisation)))
        return [*lines, ""]

    def _refresh(self) -> None:
        summary = self._summary()
        tuning = self.tuning()
        plan_lines = self._plan_lines(tuning)
        if summary is None:
            self.chart.set_data({}, tuning.expected)
            self.workload_text.setText("\n".join([*plan_lines, _(
                "Run the targeting simulation (E8) to see the workload of your criteria.")]))
        else:
            self.chart.set_data({load.lane: load.declarations for load in summary.lanes},
                                tuning.expected)
            name = self._run_dataset_name()
            lines = [*plan_lines, _(
                "Last E8 run, on the {declarations} declarations of “{name}”:").format(
                declarations=format_number(summary.declarations), name=name) if name else _(
                "Last E8 run, on {declarations} sample declarations:").format(
                declarations=format_number(summary.declarations))]
            lines += [_("{lane}: {declarations} declarations × {per_declaration} + {items} "
                       "items × {per_item} = {workload}").format(
                lane=_(LANE_LABELS[load.lane]), declarations=format_number(load.declarations),
                per_declaration=format_number(tuning.per_declaration.get(load.lane, 0.0)),
                items=format_number(load.items),
                per_item=format_number(tuning.per_item.get(load.lane, 0.0)),
                workload=format_number(round(load.workload)))
                for load in reversed(summary.lanes) if load.workload]
            if summary.capacity:
                lines.append(_("Total workload {total} for a capacity of {capacity}: "
                               "{share} used.").format(
                    total=format_number(round(summary.total)),
                    capacity=format_number(round(summary.capacity)),
                    share=format_percent(summary.utilisation or 0.0)))
            else:
                lines.append(_("Total workload {total}.").format(
                    total=format_number(round(summary.total))))
            self.workload_text.setText("\n".join(lines))
            over = summary.utilisation is not None and summary.utilisation > 1
            self.workload_text.setStyleSheet("color: #b00020; font-weight: bold;"
                                             if over else "")
        self._render_feedback()

    def check_work(self) -> None:
        self.flush()
        self._findings = check_tuning(self.tuning(), self._summary(),
                                      self.ctx.exercise.plan_rules())
        self._render_feedback()

    def _render_feedback(self) -> None:
        self.feedback.show_findings(
            self._findings,
            lambda f: render_tuning_finding(f, _, lambda v: format_percent(v, digits=1),
                                            lambda v: format_number(round(v))),
            _("Press “Check my work” (F5) to check the rates and the workload."))
