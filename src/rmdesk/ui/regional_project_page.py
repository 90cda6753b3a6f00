"""E11 regional targeting project: the project, its partners, and dated milestones with
dependencies, drawn live on a timeline."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.checks import Finding
from rmdesk.domain.regional_project import (
    FIELD_LABELS,
    MAX_MILESTONES,
    MAX_ROWS,
    MIN_MILESTONES,
    Milestone,
    RegionalProject,
    check_regional_project,
    parse_date,
    render_project_finding,
)
from rmdesk.i18n import N_, _, current_language, ngettext
from rmdesk.i18n.formatting import format_date
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.answer_widgets import DateField, LineTable
from rmdesk.ui.common import button_row, select_rows_only
from rmdesk.ui.timeline_chart import TimelineChart

LONG_FIELDS = ("objective", "data_exchanged", "legal_basis", "indicators", "evaluation")
COL_NO, COL_TITLE, COL_START, COL_END, COL_RESPONSIBLE, COL_DEPENDS = range(6)
TABLE_FIELDS = ("title", "start", "end", "responsible", "depends_on")


def _ui_date(iso: str) -> str:
    day = parse_date(iso)
    return format_date(day, fmt="medium") if day else ""


class RegionalProjectPage(AnswerPage):
    CHECK_TIP = N_("Check the structure of your answer (F5)")
    CHECK_HINT = N_("Press “Check my work” for feedback on your project plan.")

    model: RegionalProject

    def model_from(self, data: dict[str, Any]) -> RegionalProject:
        return RegionalProject.from_dict(data)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_project_tab(), "")
        self.tabs.addTab(self._build_partners_tab(), "")
        self.tabs.addTab(self._build_milestones_tab(), "")
        return self.tabs

    def _build_project_tab(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.texts: dict[str, QPlainTextEdit] = {}
        self.text_labels: dict[str, QLabel] = {}
        lines = self.fontMetrics().lineSpacing()
        for name in LONG_FIELDS:
            edit = QPlainTextEdit()
            edit.setObjectName(f"project_{name}")
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(lines * (4 if name in ("objective", "evaluation") else 3)
                                  + 12)
            edit.textChanged.connect(lambda n=name: self._text_changed(n))
            self.texts[name] = edit
            label = QLabel()
            label.setBuddy(edit)
            self.text_labels[name] = label
            if name == "evaluation":
                self._window_row(form)
            form.addRow(label, edit)
        return page

    def _window_row(self, form: QFormLayout) -> None:
        self.window_label = QLabel()
        self.window_start = DateField()
        self.window_end = DateField()
        self.window_start.changed.connect(lambda iso: self._window_changed("window_start", iso))
        self.window_end.changed.connect(lambda iso: self._window_changed("window_end", iso))
        self.window_to = QLabel()
        row = QWidget()
        row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.window_start)
        box.addWidget(self.window_to)
        box.addWidget(self.window_end)
        box.addStretch(1)
        self.window_label.setBuddy(self.window_start.edit)
        form.addRow(self.window_label, row)

    def _build_partners_tab(self) -> QWidget:
        page = QWidget()
        self.partners_hint = QLabel()
        self.partners_hint.setWordWrap(True)
        self.partners = LineTable(3)
        self.partners.text_edited.connect(self._partner_typed)
        self.add_partner_button = QPushButton()
        self.add_partner_button.clicked.connect(self.add_partner)
        self.remove_partner_button = QPushButton()
        self.remove_partner_button.clicked.connect(self.remove_partner)
        buttons = button_row(self.add_partner_button, self.remove_partner_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.partners_hint)
        layout.addWidget(self.partners, 1)
        layout.addLayout(buttons)
        return page

    def _build_milestones_tab(self) -> QWidget:
        self.milestones = QTableWidget(0, 6)
        select_rows_only(self.milestones)
        self.milestones.setWordWrap(False)
        header = self.milestones.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.milestones.currentCellChanged.connect(lambda row, *_a: self._show_milestone(row))
        self.milestones.doubleClicked.connect(lambda _i: self.title_edit.setFocus())

        self.add_milestone_button = QPushButton()
        self.add_milestone_button.clicked.connect(lambda: self.add_milestone())
        self.template_button = QToolButton()
        self.template_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.template_menu = QMenu(self.template_button)
        self.template_button.setMenu(self.template_menu)
        self.template_button.setEnabled(bool(self.exercise.milestone_templates))
        self.remove_milestone_button = QPushButton()
        self.remove_milestone_button.clicked.connect(self.remove_milestone)
        self.up_button = QToolButton()
        self.up_button.setArrowType(Qt.ArrowType.UpArrow)
        self.up_button.clicked.connect(lambda: self.move_milestone(-1))
        self.down_button = QToolButton()
        self.down_button.setArrowType(Qt.ArrowType.DownArrow)
        self.down_button.clicked.connect(lambda: self.move_milestone(1))
        self.sort_button = QPushButton()
        self.sort_button.clicked.connect(self.sort_milestones)
        self.count_label = QLabel()
        buttons = QHBoxLayout()
        for widget in (self.add_milestone_button, self.template_button,
                       self.remove_milestone_button, self.up_button, self.down_button,
                       self.sort_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        table_side = QWidget()
        table_layout = QVBoxLayout(table_side)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.milestones, 1)
        table_layout.addLayout(buttons)
        # The count on its own line: beside the buttons it made the page too wide in French.
        table_layout.addWidget(self.count_label)

        self.milestone_form = QWidget()
        form = QFormLayout(self.milestone_form)
        form.setContentsMargins(0, 0, 0, 0)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("milestone_title")
        self.title_edit.textEdited.connect(self._title_typed)
        self.start_edit = DateField()
        self.end_edit = DateField()
        self.start_edit.changed.connect(lambda iso: self._milestone_date("start", iso))
        self.end_edit.changed.connect(lambda iso: self._milestone_date("end", iso))
        self.responsible = QComboBox()
        self.responsible.activated.connect(self._responsible_chosen)
        self.depends = QListWidget()
        self.depends.itemChanged.connect(self._dependency_toggled)
        self.form_labels: dict[str, QLabel] = {}
        for name, widget in (("title", self.title_edit), ("start", self.start_edit),
                             ("end", self.end_edit), ("responsible", self.responsible),
                             ("depends_on", self.depends)):
            label = QLabel()
            label.setBuddy(widget.edit if isinstance(widget, DateField) else widget)
            self.form_labels[name] = label
            form.addRow(label, widget)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(table_side)
        top.addWidget(self.milestone_form)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        self.chart = TimelineChart()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        return splitter

    # -- texts ----------------------------------------------------------------------------
    def retranslate_editor(self) -> None:
        self.tabs.setTabText(0, _("Project"))
        self.tabs.setTabText(1, _("Partners"))
        self.tabs.setTabText(2, _("Milestones and timeline"))
        for name, label in self.text_labels.items():
            label.setText(_("{field}:").format(field=_(FIELD_LABELS[name])))
        placeholders = {
            "objective": _("What the partners want to achieve together, and by when"),
            "data_exchanged": _("Which data elements, in which direction, how often"),
            "legal_basis": _("The agreement or convention that allows the exchange"),
            "indicators": _("The risk indicators all partners will apply"),
            "evaluation": _("How and when the partners will judge the results"),
        }
        for name, text in placeholders.items():
            self.texts[name].setPlaceholderText(text)
        self.window_label.setText(_("{field}:").format(field=_(FIELD_LABELS["window"])))
        self.window_to.setText(_("to"))
        for field in (self.window_start, self.window_end, self.start_edit, self.end_edit):
            field.retranslate_ui()
        self.partners_hint.setText(_(
            "Every partner administration needs a contact point and a role in the "
            "operation."))
        self.partners.setHorizontalHeaderLabels(
            [_(FIELD_LABELS[f]) for f in ("administration", "contact", "role")])
        self._partner_placeholders()
        self.add_partner_button.setText(_("Add &partner"))
        self.remove_partner_button.setText(_("Remove partner"))
        self.milestones.setHorizontalHeaderLabels(
            ["#"] + [_(FIELD_LABELS[f]) for f in TABLE_FIELDS])
        self.add_milestone_button.setText(_("Add &milestone"))
        self.template_button.setText(_("From a template"))
        self.template_button.setToolTip(_("Start a milestone from one the exercise suggests"))
        self._fill_template_menu()
        self.remove_milestone_button.setText(_("Remove milestone"))
        self.up_button.setToolTip(_("Move the milestone up"))
        self.down_button.setToolTip(_("Move the milestone down"))
        self.sort_button.setText(_("Sort by start date"))
        for name, label in self.form_labels.items():
            label.setText(_("{field}:").format(field=_(FIELD_LABELS[name])))
        self.title_edit.setPlaceholderText(_("What is done or decided at this milestone"))
        self.depends.setToolTip(_("Tick the milestones that must end before this one "
                                  "starts."))
        self._refresh_milestones()
        self._show_milestone(self.milestones.currentRow())

    def _partner_placeholders(self) -> None:
        self.partners.set_placeholders([_("e.g. Customs of the neighbouring country"),
                                        _("name, e-mail or phone"),
                                        _("what this partner does")])

    def _fill_template_menu(self) -> None:
        self.template_menu.clear()
        lang = current_language()
        templates = self.exercise.milestone_templates
        if templates:
            every = QAction(_("All the suggested milestones not used yet"), self.template_menu)
            every.triggered.connect(self.add_all_templates)
            self.template_menu.addAction(every)
            self.template_menu.addSeparator()
        for template in templates:
            title = template.get(lang)
            action = QAction(title, self.template_menu)
            action.triggered.connect(lambda _c=False, t=title: self.add_milestone(t))
            self.template_menu.addAction(action)

    # -- model -> widgets -----------------------------------------------------------------
    def fill(self) -> None:
        for name, edit in self.texts.items():
            value = getattr(self.model, name)
            if edit.toPlainText() != value:
                edit.setPlainText(value)
        self.window_start.set_iso(self.model.window_start)
        self.window_end.set_iso(self.model.window_end)
        self.window_end.set_suggestion(self.model.window_start)
        self.partners.set_rows([[p.administration, p.contact, p.role]
                                for p in self.model.partners])
        self._partner_placeholders()
        self.remove_partner_button.setEnabled(bool(self.model.partners))
        self._refresh_milestones()
        if self.model.milestones and self.milestones.currentRow() < 0:
            self.milestones.setCurrentCell(0, COL_TITLE)
        self._show_milestone(self.milestones.currentRow())

    def _refresh_milestones(self) -> None:
        keep = self.milestones.currentRow()
        self.milestones.blockSignals(True)
        self.milestones.setRowCount(len(self.model.milestones))
        for row in range(len(self.model.milestones)):
            self._refresh_milestone_row(row)
        if self.model.milestones:
            self.milestones.setCurrentCell(
                min(max(keep, 0), len(self.model.milestones) - 1), COL_TITLE)
        self.milestones.blockSignals(False)
        count = len(self.model.milestones)
        self.count_label.setText(ngettext("{count} milestone (plan {minimum} to {maximum})",
                                          "{count} milestones (plan {minimum} to {maximum})",
                                          count).format(
            count=count, minimum=MIN_MILESTONES, maximum=MAX_MILESTONES))
        self._update_chart()

    def _refresh_milestone_row(self, row: int) -> None:
        m = self.model.milestones[row]
        partner = self.model.partner(m.responsible)
        values = [
            f"M{row + 1}", m.title, _ui_date(m.start), _ui_date(m.end),
            partner.administration if partner else "",
            ", ".join(self.model.short_label(d) for d in m.depends_on),
        ]
        for col, value in enumerate(values):
            item = self.milestones.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                self.milestones.setItem(row, col, item)
            item.setText(value)

    def _update_chart(self) -> None:
        current = self.current_milestone()
        self.chart.set_project(self.model, current.id if current else None)

    def current_milestone(self) -> Milestone | None:
        row = self.milestones.currentRow()
        return self.model.milestones[row] if 0 <= row < len(self.model.milestones) else None

    def _show_milestone(self, row: int) -> None:
        self._last_edit = None
        m = self.model.milestones[row] if 0 <= row < len(self.model.milestones) else None
        self.milestone_form.setEnabled(m is not None)
        for button in (self.remove_milestone_button, self.up_button, self.down_button):
            button.setEnabled(m is not None)
        was, self._loading = self._loading, True
        try:
            if self.title_edit.text() != (m.title if m else ""):
                self.title_edit.setText(m.title if m else "")
            self.start_edit.set_iso(m.start if m else "")
            self.end_edit.set_iso(m.end if m else "")
            self.start_edit.set_suggestion(self._suggested_start(m))
            self.end_edit.set_suggestion(m.start if m and m.start else self._suggested_start(m))
            self._fill_responsible(m)
            self._fill_depends(m)
        finally:
            self._loading = was
        self._update_chart()

    def _suggested_start(self, m: Milestone | None) -> str:
        """The day after the latest predecessor (or the window's start)."""
        ends = [p.end for d in (m.depends_on if m else [])
                if (p := self.model.milestone(d)) is not None and p.end]
        if ends:
            day = parse_date(max(ends))
            return (day.fromordinal(day.toordinal() + 1)).isoformat() if day else ""
        return self.model.window_start

    def _fill_responsible(self, m: Milestone | None) -> None:
        self.responsible.clear()
        self.responsible.addItem("—", "")
        for row, partner in enumerate(self.model.partners, start=1):
            self.responsible.addItem(partner.label(row), partner.id)
        self.responsible.setCurrentIndex(max(0, self.responsible.findData(
            m.responsible if m else "")))
        self.responsible.setToolTip("" if self.model.partners else
                                    _("Add the partners first, on the Partners tab."))

    def _fill_depends(self, m: Milestone | None) -> None:
        self.depends.blockSignals(True)
        self.depends.clear()
        for other in self.model.milestones:
            if m is None or other.id == m.id:
                continue
            item = QListWidgetItem(self.model.milestone_label(other.id))
            item.setData(Qt.ItemDataRole.UserRole, other.id)
            chosen = other.id in m.depends_on
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            if not chosen and self.model.would_cycle(m.id, other.id):
                # Offered only when it keeps the plan free of circles.
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(_("Not possible: {other} already waits for this milestone.")
                                .format(other=self.model.short_label(other.id)))
            self.depends.addItem(item)
        self.depends.blockSignals(False)

    # -- project edits --------------------------------------------------------------------
    def _text_changed(self, name: str) -> None:
        if not self.before_edit(f"text:{name}"):
            return
        setattr(self.model, name, self.texts[name].toPlainText())
        self.edited(typing=True)

    def _window_changed(self, name: str, iso: str) -> None:
        if not self.before_edit():
            return
        setattr(self.model, name, iso)
        if name == "window_start":
            self.window_end.set_suggestion(iso)
        self._update_chart()
        self.edited()

    # -- partners -------------------------------------------------------------------------
    def _partner_typed(self, row: int, column: int, text: str) -> None:
        if not 0 <= row < len(self.model.partners) \
                or not self.before_edit(f"partner:{row}:{column}"):
            return
        partner = self.model.partners[row]
        setattr(partner, ("administration", "contact", "role")[column], text)
        if column == 0:
            for r, m in enumerate(self.model.milestones):
                if m.responsible == partner.id:
                    self._refresh_milestone_row(r)
            self._update_chart()
        self.edited(typing=True)

    def add_partner(self) -> None:
        if len(self.model.partners) >= MAX_ROWS or not self.before_edit():
            return
        self.model.new_partner()
        self._refill()
        row = len(self.model.partners) - 1
        self.partners.setCurrentCell(row, 0)
        self.partners.editor(row, 0).setFocus()
        self.edited()

    def remove_partner(self) -> None:
        row = self.partners.currentRow()
        if not 0 <= row < len(self.model.partners) or not self.before_edit():
            return
        partner = self.model.partners[row]
        self.model.remove_partner(partner.id)
        self._refill()
        self.edited()
        self.ctx.status(_("Partner “{name}” removed (Undo brings it back).").format(
            name=partner.label(row + 1)))

    # -- milestones -----------------------------------------------------------------------
    def add_milestone(self, title: str = "") -> None:
        if len(self.model.milestones) >= MAX_ROWS or not self.before_edit():
            return
        self.model.new_milestone(title)
        self._refill()
        self.milestones.setCurrentCell(len(self.model.milestones) - 1, COL_TITLE)
        self.tabs.setCurrentIndex(2)
        self.title_edit.setFocus()
        self.edited()

    def add_all_templates(self) -> None:
        lang = current_language()
        used = {m.title.strip().casefold() for m in self.model.milestones}
        titles = [t.get(lang) for t in self.exercise.milestone_templates
                  if t.get(lang).strip().casefold() not in used]
        if not titles or not self.before_edit():
            return
        for title in titles[:MAX_ROWS - len(self.model.milestones)]:
            self.model.new_milestone(title)
        self._refill()
        self.edited()

    def remove_milestone(self) -> None:
        m = self.current_milestone()
        if m is None or not self.before_edit():
            return
        label = self.model.milestone_label(m.id)
        self.model.remove_milestone(m.id)
        self._refill()
        self.edited()
        self.ctx.status(_("Milestone “{name}” removed (Undo brings it back).").format(
            name=label))

    def move_milestone(self, step: int) -> None:
        row = self.milestones.currentRow()
        target = row + step
        if not (0 <= row < len(self.model.milestones)
                and 0 <= target < len(self.model.milestones)) or not self.before_edit():
            return
        rows = self.model.milestones
        rows[row], rows[target] = rows[target], rows[row]
        self.milestones.blockSignals(True)
        self.milestones.setCurrentCell(target, COL_TITLE)
        self.milestones.blockSignals(False)
        self._refill()
        self.edited()

    def sort_milestones(self) -> None:
        if len(self.model.milestones) < 2 or not self.before_edit():
            return
        current = self.current_milestone()
        self.model.milestones.sort(key=lambda m: (m.start or "9999", m.end or "9999"))
        self._refill()
        if current is not None:
            self.milestones.setCurrentCell(self.model.milestones.index(current), COL_TITLE)
        self.edited()

    def _title_typed(self, text: str) -> None:
        m = self.current_milestone()
        if m is None or not self.before_edit(f"title:{m.id}"):
            return
        m.title = text
        self._refresh_milestone_row(self.milestones.currentRow())
        self._update_chart()
        self.edited(typing=True)

    def _milestone_date(self, name: str, iso: str) -> None:
        m = self.current_milestone()
        if m is None or not self.before_edit():
            return
        setattr(m, name, iso)
        if name == "start":
            self.end_edit.set_suggestion(iso)
        self._refresh_milestone_row(self.milestones.currentRow())
        self._update_chart()
        self.edited()

    def _responsible_chosen(self, _index: int) -> None:
        m = self.current_milestone()
        if m is None or not self.before_edit():
            return
        m.responsible = self.responsible.currentData() or ""
        self._refresh_milestone_row(self.milestones.currentRow())
        self._update_chart()
        self.edited()

    def _dependency_toggled(self, item: QListWidgetItem) -> None:
        m = self.current_milestone()
        if m is None or not self.before_edit():
            return
        other = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            if other not in m.depends_on and not self.model.would_cycle(m.id, other):
                m.depends_on.append(other)
        else:
            m.depends_on = [d for d in m.depends_on if d != other]
        self._refresh_milestone_row(self.milestones.currentRow())
        self.start_edit.set_suggestion(self._suggested_start(m))
        self._update_chart()
        self.edited()

    # -- feedback -------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        return check_regional_project(self.model)

    def render_finding(self, finding: Finding) -> str:
        return render_project_finding(finding, _, lambda d: format_date(d, fmt="medium"))
