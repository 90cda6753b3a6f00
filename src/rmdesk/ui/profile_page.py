"""E7 risk profiles: the profile card form, its selection logic, and a live preview of
how many sample declarations it would select."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.criteria import LANE_LABELS, LANES, RuleSet, render_issue
from rmdesk.domain.profile_logic import (
    CHECKED_FIELDS,
    ProfileLogic,
    check_profiles,
    logic_to_ruleset,
    render_profile_finding,
    ruleset_issues,
    ruleset_to_logic,
    summarize_profile,
)
from rmdesk.domain.register import RISK_AREAS
from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, current_language
from rmdesk.i18n.formatting import format_date, format_number, format_percent
from rmdesk.services.datasets import DatasetService
from rmdesk.services.history import SnapshotHistory
from rmdesk.services.targeting import BUILTIN_DATASET, TargetingService, group_dataset
from rmdesk.store.models import Profile
from rmdesk.ui.autosave import Autosaver
from rmdesk.ui.common import Retranslatable, refill_combo, show_error
from rmdesk.ui.criteria_editor import CriteriaEditor
from rmdesk.ui.data_profile_panel import DataProfilePanel
from rmdesk.ui.date_input import DateInput
from rmdesk.ui.exercise_pages import PageContext
from rmdesk.ui.feedback import FeedbackList
from rmdesk.ui.sample_data import sample_data
from rmdesk.ui.snapshot_undo import SnapshotUndo
from rmdesk.ui.whole_text import explain_clipped_text, show_starts

if TYPE_CHECKING:
    from rmdesk.domain.declarations import DeclarationTable

TEXT_FIELDS = ("title", "description", "action", "instructions", "owner", "effectiveness")


def _preview_selection(ruleset: RuleSet, table: object = None
                       ) -> tuple[int, int, int] | None:
    """(selected declarations, declarations, selected items) on `table` (default: the
    sample data), or None while it is being prepared. A declaration is selected when any
    of its items is."""
    table = table if table is not None else sample_data().table()
    if table is None:
        return None
    from rmdesk.domain.selectivity import run_selectivity

    metrics = run_selectivity(table, ruleset).metrics
    declarations = sum(lane.declarations for lane in metrics.lanes)
    selected = sum(lane.declarations for lane in metrics.lanes if lane.lane != "green")
    return selected, declarations, metrics.selected


class ProfilePage(SnapshotUndo, Retranslatable, QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.targeting = TargetingService(ctx.store)
        self.group_id: str | None = None
        self.profile_id: str | None = None
        self.datasets = DatasetService.for_store(ctx.store)
        self.dataset_id = BUILTIN_DATASET  # the group's data set (chosen in E8)
        self._loading = False
        self._json_mode = False  # a rule set the rows cannot show is edited as JSON
        self.autosave = Autosaver(lambda _pid, _f, _v: self._save(), self)
        self.autosave.failed.connect(lambda error: show_error(self, error))
        self.history = SnapshotHistory()  # Ctrl+Z on this page: the profiles before
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)
        self._preview_timer.timeout.connect(self._update_preview)
        sample_data().ready.connect(self._update_preview)

        # Left: the group's profiles.
        self.list = QListWidget()
        self.list.setWordWrap(True)  # long profile titles wrap rather than scroll sideways
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._profile_chosen)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_profile)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete_profile)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        left_layout.addLayout(buttons)
        # The data profile, shown beside the card on demand (room at 1366x768).
        self.data_button = QPushButton()
        self.data_button.setCheckable(True)
        self.data_button.toggled.connect(self._show_data_profile)
        left_layout.addWidget(self.data_button)
        self.data_profile = DataProfilePanel(DatasetService.for_store(ctx.store))
        self.data_profile.hide()

        # Right: the profile card.
        self.title = QLineEdit()
        self.area = QComboBox()
        self.description = QPlainTextEdit()
        self.lane = QComboBox()
        self.action = QLineEdit()
        self.instructions = QPlainTextEdit()
        self.activation = DateInput()
        self.review = DateInput()
        self.owner = QLineEdit()
        self.effectiveness = QLineEdit()
        for edit in (self.description, self.instructions):
            edit.setMaximumHeight(64)
            edit.textChanged.connect(self._edited)
        for edit in (self.title, self.action, self.owner, self.effectiveness):
            edit.textEdited.connect(self._edited)
        for combo in (self.area, self.lane):
            combo.activated.connect(lambda _i: self._edited())
        for date in (self.activation, self.review):
            date.changed.connect(lambda _iso: self._edited())
        self.form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(10)]
        for label, widget in zip(self.form_labels, (
                self.title, self.area, self.description, self.lane, self.action,
                self.instructions, self.activation, self.review, self.owner,
                self.effectiveness), strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.logic_box = QGroupBox()
        self.criteria = CriteriaEditor()
        self.criteria.changed.connect(self._edited)
        self.json_edit = QPlainTextEdit()
        self.json_edit.textChanged.connect(self._edited)
        self.json_edit.hide()
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        logic_layout = QVBoxLayout(self.logic_box)
        logic_layout.addWidget(self.criteria)
        logic_layout.addWidget(self.json_edit)
        logic_layout.addWidget(self.preview)
        card = QWidget()
        card_layout = QVBoxLayout(card)
        card_layout.addLayout(self.form)
        card_layout.addWidget(self.logic_box)
        card_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(card)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.feedback_box = QGroupBox()
        self.feedback = FeedbackList()
        QVBoxLayout(self.feedback_box).addWidget(self.feedback)
        self._findings: list | None = None

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.empty)
        right_layout.addWidget(self.scroll, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.addWidget(self.data_profile)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        split.setSizes([220, 780, 0])
        self.split = split
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(split)
        vertical.addWidget(self.feedback_box)
        vertical.setStretchFactor(0, 4)
        vertical.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(vertical)
        self.retranslate_ui()
        sample_data().ensure()
        self._show_card(False)

    # -- texts --------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.list.setAccessibleName(_("Profiles"))
        self.list.setAccessibleDescription(_("The group's risk profiles; choose one to edit "
                                             "it."))
        self.add_button.setText(_("New &profile"))
        self.delete_button.setText(_("Delete profile"))
        self.data_button.setText(_("&View data profile"))
        self.data_button.setToolTip(_("Show or hide how the declarations' values are "
                                      "spread, field by field, beside the profile card."))
        for label, text in zip(self.form_labels, (
                _("&Title"), _("Risk &area"), _("&Description"), _("La&ne"),
                _("Action"), _("Examiner &instructions"), _("Activation date"),
                _("Review date"), _("Owner"), _("Effectiveness measure")), strict=True):
            label.setText(text)
        refill_combo(self.area, [(key, _(label)) for key, label in RISK_AREAS.items()])
        refill_combo(self.lane, [(lane, _(LANE_LABELS[lane])) for lane in reversed(LANES)
                                 if lane != "green"])
        self.title.setPlaceholderText(_("e.g. Undervalued used cars from Kestria"))
        self.action.setPlaceholderText(_("e.g. Check the invoice against the reference price"))
        self.effectiveness.setPlaceholderText(_("e.g. Hit rate above 20% after three months"))
        self.logic_box.setTitle(_("Selection logic (indicators and thresholds)"))
        self.feedback_box.setTitle(_("Feedback"))
        self.empty.setText(_("Choose the group on this laptop, then add a profile with "
                             "“New profile”.") if self.group_id is None else
                           _("No profile yet: press “New profile” to write one."))
        self._render_feedback()
        self._update_preview()

    def _show_data_profile(self, shown: bool) -> None:
        self.data_profile.setVisible(shown)
        if shown:  # the card keeps the larger part; the panel room for its figures
            sizes = self.split.sizes()
            room = sum(sizes[1:])
            self.split.setSizes([sizes[0], room - room * 2 // 5, room * 2 // 5])

    # -- group and profiles -------------------------------------------------------------
    def set_group(self, group_id: str | None) -> None:
        self.flush()
        if group_id != self.group_id:
            self.history.clear()
        self.group_id = group_id
        self._findings = None
        self._follow_dataset()
        self._reload_list()
        self.add_button.setEnabled(group_id is not None)
        self.retranslate_ui()

    # -- the group's data set ----------------------------------------------------------
    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        if self._follow_dataset():  # the group may have chosen other data in E8
            self._update_preview()
        super().showEvent(event)  # type: ignore[arg-type]

    def _follow_dataset(self) -> bool:
        """Offer the own columns of the group's data set in the editor; True if it
        changed. A data set no longer on this laptop counts as the built-in one."""
        chosen = BUILTIN_DATASET if self.group_id is None else group_dataset(
            self.ctx.work, self.ctx.pack, self.group_id)
        extra: dict = {}
        if chosen != BUILTIN_DATASET:
            try:
                extra = {spec.name: spec for spec in self.datasets.info(chosen).extra}
            except RmdeskError:
                chosen = BUILTIN_DATASET
        changed = chosen != self.dataset_id
        self.dataset_id = chosen
        self.criteria.set_fields(extra)
        if changed:  # the data profile describes the data the group works on
            self.data_profile.show_dataset(chosen)
        return changed

    def _data(self) -> DeclarationTable | None:
        """The declarations the preview counts on: the group's data set, or the sample
        (None while the sample is being prepared)."""
        if self.dataset_id != BUILTIN_DATASET:
            try:
                return self.datasets.load_dataset(self.dataset_id)
            except RmdeskError as error:
                self.ctx.status(error.render(_))
                self.dataset_id = BUILTIN_DATASET
                self.criteria.set_fields(None)
        return sample_data().table()

    def _reload_list(self, select: str | None = None) -> None:
        self._loading = True
        self.list.clear()
        profiles = self.targeting.profiles(self.group_id) if self.group_id else []
        for p in profiles:
            item = QListWidgetItem(p.title or _("(untitled profile)"))
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.list.addItem(item)
        self._loading = False
        target = select or (profiles[0].id if profiles else None)
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == target:
                self.list.setCurrentRow(row)
                break
        else:
            self._load(None)
        self.delete_button.setEnabled(bool(profiles))

    def _profile_chosen(self, current: QListWidgetItem | None,
                        _previous: QListWidgetItem | None) -> None:
        if self._loading:
            return
        self.flush()
        self._load(current.data(Qt.ItemDataRole.UserRole) if current else None)

    def _current_row(self) -> Profile | None:
        if not self.group_id or not self.profile_id:
            return None
        return next((p for p in self.targeting.profiles(self.group_id)
                     if p.id == self.profile_id), None)

    def _load(self, profile_id: str | None) -> None:
        self.profile_id = profile_id
        row = self._current_row()
        self._show_card(row is not None)
        if row is None:
            return
        self._loading = True
        for name in ("title", "action", "owner", "effectiveness"):
            getattr(self, name).setText(getattr(row, name))
        self.description.setPlainText(row.description)
        self.instructions.setPlainText(row.instructions)
        self.area.setCurrentIndex(max(0, self.area.findData(row.area)))
        self.lane.setCurrentIndex(max(0, self.lane.findData(row.lane)))
        self.activation.set_date(row.activation_date)
        self.review.set_date(row.review_date)
        try:
            ruleset = RuleSet.model_validate_json(row.criteria_json or "{}")
        except ValueError:
            ruleset = RuleSet()
        logic = ruleset_to_logic(ruleset, current_language()) if ruleset.criteria \
            else ProfileLogic()
        self._json_mode = logic is None
        self.criteria.setVisible(not self._json_mode)
        self.json_edit.setVisible(self._json_mode)
        if logic is None:
            self.json_edit.setPlainText(ruleset.model_dump_json(indent=2))
        else:
            self.criteria.set_logic(logic)
        self._loading = False
        show_starts(self.scroll)  # long values show their first words
        explain_clipped_text(self.criteria)  # the criteria's combo boxes, made just now
        self._update_preview()

    def _show_card(self, shown: bool) -> None:
        self.scroll.setVisible(shown)
        self.empty.setVisible(not shown)

    def add_profile(self) -> None:
        if self.group_id is None:
            return
        self.flush()
        title = _("Profile {number}").format(number=self.list.count() + 1)
        logic = ProfileLogic()
        self.history.record(self.targeting.profile_snapshot(self.group_id),
                            _("new profile “{title}”").format(title=title))
        row = self.targeting.save_profile(
            self.group_id, criteria=logic_to_ruleset(logic, title, "yellow"), draft=True,
            title=title, lane="yellow", area="revenue")
        self._reload_list(select=row.id)
        self.title.setFocus()
        self.title.selectAll()

    def delete_profile(self) -> None:
        if self.profile_id is None:
            return
        self.autosave.flush()
        if self.group_id is not None:
            row = self._current_row()
            self.history.record(self.targeting.profile_snapshot(self.group_id),
                                _("delete profile “{title}”").format(
                                    title=row.title if row else ""))
        self.targeting.delete_profile(self.profile_id)
        self.ctx.status(_("Profile deleted."))
        self._reload_list()

    # -- editing ------------------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading or self.profile_id is None:
            return
        self.autosave.queue(self.profile_id, "card", None)
        self._preview_timer.start()
        current = self.list.currentItem()
        if current is not None:
            current.setText(self.title.text() or _("(untitled profile)"))

    def _ruleset(self) -> RuleSet | None:
        if self._json_mode:
            try:
                return RuleSet.model_validate_json(self.json_edit.toPlainText())
            except ValueError:
                return None
        return logic_to_ruleset(self.criteria.logic(), self.title.text().strip(),
                                self.lane.currentData() or "yellow", lang=current_language(),
                                fields=self.criteria.extra_fields())

    def _save(self) -> None:
        if self.group_id is None or self.profile_id is None:
            return
        ruleset = self._ruleset()
        fields: dict[str, object] = {
            "title": self.title.text().strip()[:200],
            "description": self.description.toPlainText()[:4000],
            "action": self.action.text()[:500],
            "instructions": self.instructions.toPlainText()[:4000],
            "owner": self.owner.text()[:200],
            "effectiveness": self.effectiveness.text()[:500],
            "area": self.area.currentData() or "",
            "lane": self.lane.currentData() or "yellow",
            "activation_date": self.activation.date(),
            "review_date": self.review.date(),
        }
        if ruleset is None:  # JSON being typed that does not parse yet: keep the old logic
            row = self._current_row()
            criteria: RuleSet | str = row.criteria_json if row else RuleSet()
        else:
            criteria = ruleset
        before = self.targeting.profile_snapshot(self.group_id)
        self.targeting.save_profile(self.group_id, self.profile_id, criteria=criteria,
                                    draft=True, **fields)
        if before != self.targeting.profile_snapshot(self.group_id):
            self.history.record(before, _("changes to profile “{title}”").format(
                title=fields["title"]), key=self.profile_id)

    # -- undo -------------------------------------------------------------------------
    def current_snapshot(self) -> object:
        assert self.group_id is not None
        return self.targeting.profile_snapshot(self.group_id)

    def restore_snapshot(self, state: object) -> None:
        assert self.group_id is not None
        self.targeting.restore_profiles(self.group_id, state)  # type: ignore[arg-type]
        keep = self.profile_id
        live = {str(p["id"]) for p in state}  # type: ignore[attr-defined]
        self._reload_list(select=keep if keep in live else None)

    def flush(self) -> None:
        self.autosave.flush()

    # -- preview and feedback -----------------------------------------------------------
    def _update_preview(self) -> None:
        if self.profile_id is None:
            self.preview.clear()
            return
        ruleset = self._ruleset()
        if ruleset is None:
            self.preview.setText(_("The JSON is not valid yet."))
            return
        if not self.criteria.logic().rows and not self._json_mode:
            self.preview.setText(_("Add conditions to see how many declarations this "
                                   "profile would select."))
            return
        issues = ruleset_issues(ruleset)
        table = self._data() if not issues else None
        if not issues and table is None:
            self.preview.setText(_("Preparing the sample declarations…"))
            return
        if table is not None:  # against the data's own fields: a column it lacks is named
            issues = ruleset_issues(ruleset, table.fields())
        if issues:
            self.preview.setText(_("Not runnable yet: {problems}").format(
                problems=" ".join(render_issue(i, _) for i in issues[:3])))
            return
        counts = _preview_selection(ruleset, table)
        assert counts is not None
        selected, declarations, items = counts
        name = self._dataset_name()
        if name is not None:
            text = _("This profile would select {count} of the {total} declarations of "
                     "“{name}” ({share}; {items} items).")
        else:
            text = _("This profile would select {count} of the {total} sample declarations "
                     "({share}; {items} items).")
        self.preview.setText(text.format(
                name=name or "",
                count=format_number(selected), total=format_number(declarations),
                share=format_percent(selected / declarations if declarations else 0.0,
                                     digits=1),
                items=format_number(items)))

    def _dataset_name(self) -> str | None:
        """The name of the group's own data set, None for the built-in sample (what the
        counts are said to be on)."""
        if self.dataset_id == BUILTIN_DATASET:
            return None
        with contextlib.suppress(RmdeskError):
            return self.datasets.info(self.dataset_id).name
        return None

    def check_work(self) -> None:
        if self.group_id is None:
            return
        self.flush()
        table = self._data() or sample_data().wait()
        dataset = self._dataset_name()
        summaries = [summarize_profile(p.title, {name: getattr(p, name)
                                                 for name in CHECKED_FIELDS},
                                       p.criteria_json, table, dataset)
                     for p in self.targeting.profiles(self.group_id)]
        self._findings = check_profiles(summaries, lambda i: render_issue(i, _),
                                        self.ctx.exercise.profile_limits())
        self._render_feedback()

    def _render_feedback(self) -> None:
        self.feedback.show_findings(
            self._findings,
            lambda f: render_profile_finding(f, _, lambda v: format_percent(v, digits=1),
                                             format_number, format_date),
            _("Press “Check my work” (F5) for feedback on your profiles."))

