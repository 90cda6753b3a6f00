"""E15 intelligence cycle and a targeting centre: one tab per step of the cycle.

1 grade the pack's items, 2 collate and analyse, 3 the profile (the E7 criteria editor,
with a live preview on the practice declarations), 4 the centre's functions, staff and
shifts, 5 its outputs and KPIs. Every rule lives in domain/intelligence.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.checks import Finding
from rmdesk.domain.criteria import LANE_LABELS, LANES
from rmdesk.domain.intelligence import (
    CENTRE_FUNCTIONS,
    CONFIDENCE,
    INFO_GRADES,
    MAX_ROWS,
    SOURCE_GRADES,
    CentreKpi,
    Collation,
    Grading,
    IntelligenceWork,
    Output,
    Shift,
    Staff,
    renderer,
    run_profile,
)
from rmdesk.domain.register import RISK_AREAS
from rmdesk.i18n import N_, _, current_language
from rmdesk.i18n.formatting import format_number
from rmdesk.services import intelligence
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.answer_widgets import DateField, LineTable
from rmdesk.ui.common import button_row, plain_tip, refill_combo, select_rows_only
from rmdesk.ui.criteria_editor import CriteriaEditor

COL_ID, COL_KIND, COL_SOURCE, COL_RELIABILITY, COL_VALIDITY = range(5)

# The row lists edited in a LineTable: name -> (row class, column headings, placeholders).
LISTS: dict[str, tuple[type, tuple[str, ...], tuple[str, ...]]] = {
    "collations": (Collation, (N_("Collation"), N_("Report nos."), N_("Note")),
                   (N_("a title for the story"), N_("e.g. S01, S02"), "")),
    "staffing": (Staff, (N_("Agency"), N_("Role"), N_("People")),
                 (N_("e.g. National Police"), N_("e.g. liaison officer"), N_("number"))),
    "shifts": (Shift, (N_("Shift"), N_("Start"), N_("End"), N_("Staff")),
               (N_("e.g. Night"), "06:00", "14:00", N_("number"))),
    "outputs": (Output, (N_("Output"), N_("Sent to"), N_("When")),
                (N_("e.g. target list"), N_("e.g. duty officer at Rocamar"),
                 N_("e.g. before arrival"))),
    "kpis": (CentreKpi, (N_("KPI"), N_("Formula"), N_("Target"), N_("Frequency")),
             (N_("name"), N_("e.g. hits / targets × 100"), N_("e.g. at least 30%"),
              N_("e.g. monthly"))),
}
LIST_TITLES: dict[str, str] = {
    "collations": N_("Collation: reports that tell the same story"),
    "staffing": N_("Staffing across agencies"),
    "shifts": N_("Shifts and hours"),
    "outputs": N_("What the centre sends to the ports and partners"),
    "kpis": N_("KPIs of the centre"),
}


class IntelligencePage(AnswerPage):
    CHECK_TIP = N_("Check the grades, run the profile and check the centre (F5)")
    CHECK_HINT = N_("Press “Check my work” for feedback on your grades, profile and "
                    "centre.")

    model: IntelligenceWork

    def model_from(self, data: dict[str, Any]) -> IntelligenceWork:
        return IntelligenceWork.from_dict(data)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.list_tables: dict[str, LineTable] = {}
        self.list_boxes: dict[str, QGroupBox] = {}
        self.list_buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_grading_tab(), "")
        self.tabs.addTab(self._build_analysis_tab(), "")
        self.tabs.addTab(self._build_profile_tab(), "")
        self.tabs.addTab(self._build_centre_tab(), "")
        self.tabs.addTab(self._two_lists("outputs", "kpis"), "")
        return self.tabs

    def _build_grading_tab(self) -> QWidget:
        self.items_table = QTableWidget(len(self.exercise.intel_items), 5)
        self.items_table.setObjectName("intel_items")
        select_rows_only(self.items_table)
        self.items_table.setWordWrap(False)
        header = self.items_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SOURCE, QHeaderView.ResizeMode.Stretch)
        self.source_combos: list[QComboBox] = []
        self.info_combos: list[QComboBox] = []
        for row, item in enumerate(self.exercise.intel_items):
            for col in (COL_ID, COL_KIND, COL_SOURCE):
                self.items_table.setItem(row, col, QTableWidgetItem())
            self.items_table.item(row, COL_ID).setText(item.id)
            source, info = QComboBox(), QComboBox()
            source.activated.connect(lambda _i, r=row: self._graded(r))
            info.activated.connect(lambda _i, r=row: self._graded(r))
            self.items_table.setCellWidget(row, COL_RELIABILITY, source)
            self.items_table.setCellWidget(row, COL_VALIDITY, info)
            self.source_combos.append(source)
            self.info_combos.append(info)
        self.items_table.currentCellChanged.connect(lambda row, *_a: self._show_item(row))
        self.item_text = QLabel()
        self.item_text.setObjectName("intel_item_text")
        self.item_text.setTextFormat(Qt.TextFormat.PlainText)  # pack text, never markup
        self.item_text.setWordWrap(True)
        self.item_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.item_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel()
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("intel_note")
        self.note_edit.textEdited.connect(self._note_typed)
        self.note_label.setBuddy(self.note_edit)
        self.scale_hint = QLabel()
        self.scale_hint.setWordWrap(True)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.item_text, 1)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_label)
        note_row.addWidget(self.note_edit, 1)
        detail_layout.addLayout(note_row)
        detail_layout.addWidget(self.scale_hint)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.items_table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def _list_box(self, name: str) -> QGroupBox:
        columns = len(LISTS[name][1])
        table = LineTable(columns)
        table.setObjectName(f"intel_{name}")
        table.text_edited.connect(lambda r, c, text, n=name: self._row_typed(n, r, c, text))
        add, remove = QPushButton(), QPushButton()
        add.clicked.connect(lambda _c=False, n=name: self.add_row(n))
        remove.clicked.connect(lambda _c=False, n=name: self.remove_row(n))
        box = QGroupBox()
        layout = QVBoxLayout(box)
        layout.addWidget(table, 1)
        layout.addLayout(button_row(add, remove))
        self.list_tables[name], self.list_boxes[name] = table, box
        self.list_buttons[name] = (add, remove)
        return box

    def _two_lists(self, first: str, second: str) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._list_box(first))
        splitter.addWidget(self._list_box(second))
        return splitter

    def _text_edit(self, name: str, lines: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(f"intel_{name}")
        edit.setTabChangesFocus(True)
        edit.setMaximumHeight(self.fontMetrics().lineSpacing() * lines + 12)
        edit.textChanged.connect(lambda n=name: self._product_typed(n))
        return edit

    def _build_analysis_tab(self) -> QWidget:
        self.product_box = QGroupBox()
        form = QFormLayout(self.product_box)
        self.product_edits = {"assessment": self._text_edit("assessment", 3),
                              "judgements": self._text_edit("judgements", 3),
                              "gaps": self._text_edit("gaps", 2)}
        self.confidence = QComboBox()
        self.confidence.activated.connect(self._confidence_chosen)
        self.product_labels: dict[str, QLabel] = {}
        for name, widget in (("assessment", self.product_edits["assessment"]),
                             ("judgements", self.product_edits["judgements"]),
                             ("confidence", self.confidence),
                             ("gaps", self.product_edits["gaps"])):
            label = QLabel()
            label.setBuddy(widget)
            self.product_labels[name] = label
            form.addRow(label, widget)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._list_box("collations"))
        splitter.addWidget(self.product_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        return splitter

    def _build_profile_tab(self) -> QWidget:
        page = QWidget()
        self.profile_title = QLineEdit()
        self.profile_title.setObjectName("intel_profile_title")
        self.profile_title.textEdited.connect(lambda t: self._profile_typed("title", t))
        self.profile_action = QLineEdit()
        self.profile_action.textEdited.connect(lambda t: self._profile_typed("action", t))
        self.based_on = QLineEdit()
        self.based_on.setObjectName("intel_based_on")
        self.based_on.textEdited.connect(lambda t: self._profile_typed("based_on", t))
        self.area = QComboBox()
        self.area.activated.connect(lambda _i: self._profile_chosen("area", self.area))
        self.lane = QComboBox()
        self.lane.activated.connect(lambda _i: self._profile_chosen("lane", self.lane))
        self.activation = DateField()
        self.review = DateField()
        self.activation.changed.connect(lambda iso: self._profile_date("activation_date", iso))
        self.review.changed.connect(lambda iso: self._profile_date("review_date", iso))
        self.profile_labels: dict[str, QLabel] = {}
        left, right = QFormLayout(), QFormLayout()
        for name, widget, form in (("title", self.profile_title, left),
                                   ("based_on", self.based_on, left),
                                   ("action", self.profile_action, left),
                                   ("area", self.area, right), ("lane", self.lane, right),
                                   ("activation_date", self.activation, right),
                                   ("review_date", self.review, right)):
            label = QLabel()
            label.setBuddy(widget.edit if isinstance(widget, DateField) else widget)
            self.profile_labels[name] = label
            form.addRow(label, widget)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addLayout(right, 2)
        self.criteria = CriteriaEditor()
        self.criteria.watch_label.hide()  # one profile, no watch lists: the rows say it all
        self.criteria.watch_lists.hide()
        self.criteria.changed.connect(self._criteria_changed)
        self.preview = QLabel()
        self.preview.setObjectName("intel_preview")
        self.preview.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.criteria, 1)
        layout.addWidget(self.preview)
        return page

    def _build_centre_tab(self) -> QWidget:
        self.functions_box = QGroupBox()
        form = QFormLayout(self.functions_box)
        self.function_edits: dict[str, QLineEdit] = {}
        self.function_labels: dict[str, QLabel] = {}
        for key in CENTRE_FUNCTIONS:
            edit = QLineEdit()
            edit.setObjectName(f"intel_function_{key}")
            edit.textEdited.connect(lambda text, k=key: self._function_typed(k, text))
            label = QLabel()
            label.setBuddy(edit)
            self.function_edits[key], self.function_labels[key] = edit, label
            form.addRow(label, edit)
        lists = QWidget()
        row = QHBoxLayout(lists)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._list_box("staffing"), 3)
        row.addWidget(self._list_box("shifts"), 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.functions_box)
        splitter.addWidget(lists)
        return splitter

    # -- texts ----------------------------------------------------------------------------
    def retranslate_editor(self) -> None:
        for index, title in enumerate((_("1 Grade"), _("2 Collate and analyse"),
                                       _("3 Profile"), _("4 Centre"),
                                       _("5 Outputs and KPIs"))):
            self.tabs.setTabText(index, title)
        self.items_table.setHorizontalHeaderLabels(
            [_("Report no."), _("Type"), _("Source"), _("Source reliability"),
             _("Information validity")])
        lang = current_language()
        for row, item in enumerate(self.exercise.intel_items):
            self.items_table.item(row, COL_KIND).setText(item.kind.get(lang))
            self.items_table.item(row, COL_SOURCE).setText(item.source.get(lang))
            self.items_table.item(row, COL_SOURCE).setToolTip(plain_tip(item.text.get(lang)))
            refill_combo(self.source_combos[row], [("", "—")] + [
                (k, k) for k in SOURCE_GRADES])
            refill_combo(self.info_combos[row], [("", "—")] + [(k, k) for k in INFO_GRADES])
            for combo, labels in ((self.source_combos[row], SOURCE_GRADES),
                                  (self.info_combos[row], INFO_GRADES)):
                for i, key in enumerate(labels, start=1):
                    combo.setItemData(i, _(labels[key]), Qt.ItemDataRole.ToolTipRole)
        self.note_label.setText(_("Your &note on this report:"))
        self.note_edit.setPlaceholderText(_("why this grade"))
        self.scale_hint.setText(_("Source reliability: {sources}. Information validity: "
                                  "{infos}.").format(
            sources="; ".join(_(t) for t in SOURCE_GRADES.values()),
            infos="; ".join(_(t) for t in INFO_GRADES.values())))
        for name, (_cls, headings, placeholders) in LISTS.items():
            table = self.list_tables[name]
            table.setHorizontalHeaderLabels([_(h) for h in headings])
            table.set_placeholders([_(p) if p else "" for p in placeholders])
            self.list_boxes[name].setTitle(_(LIST_TITLES[name]))
            add, remove = self.list_buttons[name]
            add.setText(_("Add row"))
            remove.setText(_("Remove row"))
        self.product_box.setTitle(_("Intelligence product"))
        for name, text in (("assessment", _("Assessment:")),
                           ("judgements", _("Key judgements:")),
                           ("confidence", _("Confidence:")),
                           ("gaps", _("Gaps to fill:"))):
            self.product_labels[name].setText(text)
        self.product_edits["judgements"].setPlaceholderText(_("one per line"))
        self.product_edits["assessment"].setPlaceholderText(
            _("what is happening, who is behind it, what comes next"))
        refill_combo(self.confidence, [("", "—")] + [(k, _(v)) for k, v in CONFIDENCE.items()])
        for name, text in (("title", _("Profile title:")),
                           ("based_on", _("Rests on reports:")),
                           ("action", _("Action:")), ("area", _("Risk area:")),
                           ("lane", _("Lane:")), ("activation_date", _("Activation:")),
                           ("review_date", _("Review:"))):
            self.profile_labels[name].setText(text)
        self.based_on.setPlaceholderText(_("e.g. S01, S02"))
        refill_combo(self.area, [("", "—")] + [(k, _(v)) for k, v in RISK_AREAS.items()])
        refill_combo(self.lane, [(k, _(LANE_LABELS[k])) for k in LANES if k != "green"])
        self.functions_box.setTitle(_("How the centre covers each function"))
        for key, label in self.function_labels.items():
            label.setText(_("{field}:").format(field=_(CENTRE_FUNCTIONS[key])))
        self._show_item(self.items_table.currentRow())
        self._update_preview()

    # -- model -> widgets -----------------------------------------------------------------
    def _list_rows(self, name: str) -> list[Any]:
        if name == "collations":
            return self.model.collations  # type: ignore[no-any-return]
        return getattr(self.model.centre, name)  # type: ignore[no-any-return]

    def fill(self) -> None:
        for row, item in enumerate(self.exercise.intel_items):
            grading = self.model.grading(item.id)
            self.source_combos[row].setCurrentIndex(
                max(0, self.source_combos[row].findData(grading.source)))
            self.info_combos[row].setCurrentIndex(
                max(0, self.info_combos[row].findData(grading.info)))
        if self.exercise.intel_items and self.items_table.currentRow() < 0:
            self.items_table.setCurrentCell(0, COL_ID)
        self._show_item(self.items_table.currentRow())
        for name, (cls, _h, placeholders) in LISTS.items():
            table = self.list_tables[name]
            table.set_rows([[getattr(r, f) for f in cls.FIELDS] for r in self._list_rows(name)])
            table.set_placeholders([_(p) if p else "" for p in placeholders])
        product = self.model.product
        for name, edit in self.product_edits.items():
            if edit.toPlainText() != getattr(product, name):
                edit.setPlainText(getattr(product, name))
        self.confidence.setCurrentIndex(max(0, self.confidence.findData(product.confidence)))
        profile = self.model.profile
        for edit, value in ((self.profile_title, profile.title),
                            (self.profile_action, profile.action),
                            (self.based_on, profile.based_on)):
            if edit.text() != value:
                edit.setText(value)
        self.area.setCurrentIndex(max(0, self.area.findData(profile.area)))
        self.lane.setCurrentIndex(max(0, self.lane.findData(profile.lane)))
        self.activation.set_iso(profile.activation_date)
        self.review.set_iso(profile.review_date)
        self.criteria.set_logic(profile.logic())
        for key, edit in self.function_edits.items():
            value = self.model.centre.functions.get(key, "")
            if edit.text() != value:
                edit.setText(value)
        self._update_preview()

    def _show_item(self, row: int) -> None:
        self._last_edit = None  # typing on another item is another undo step
        items = self.exercise.intel_items
        if not 0 <= row < len(items):
            self.item_text.setText("")
            self.note_edit.setEnabled(False)
            return
        item, lang = items[row], current_language()
        self.item_text.setText(f"{item.id} · {item.kind.get(lang)} · {item.source.get(lang)}"
                               f"\n\n{item.text.get(lang)}")
        self.note_edit.setEnabled(True)
        note = self.model.grading(item.id).note
        if self.note_edit.text() != note:
            self.note_edit.setText(note)

    def _update_preview(self) -> None:
        from rmdesk.services.targeting import builtin_table

        lang = current_language()
        run = run_profile(self.model.profile, builtin_table, lang)
        if run is None:
            self.preview.setText(_("Add conditions: the profile is run on the practice "
                                   "declarations as you build it."))
        elif run.issues:
            self.preview.setText(_("The conditions cannot run yet; “Check my work” says "
                                   "why."))
        else:
            self.preview.setText(_(
                "Preview: {count} of {total} practice declarations selected ({items} "
                "items).").format(count=format_number(run.selected_declarations, lang),
                                  total=format_number(run.declarations, lang),
                                  items=format_number(run.selected_items, lang)))

    # -- edits ----------------------------------------------------------------------------
    def _change(self, apply: Callable[[], None], key: str | None = None) -> None:
        """One edit of the model: an undo step (typing in one field is one), then saved."""
        if not self.before_edit(key):
            return
        apply()
        self.edited(typing=key is not None)

    def _graded(self, row: int) -> None:
        item = self.exercise.intel_items[row]

        def apply() -> None:
            grading = self.model.gradings.setdefault(item.id, Grading())
            grading.source = self.source_combos[row].currentData() or ""
            grading.info = self.info_combos[row].currentData() or ""
        self._change(apply)

    def _note_typed(self, text: str) -> None:
        row = self.items_table.currentRow()
        if not 0 <= row < len(self.exercise.intel_items):
            return
        item_id = self.exercise.intel_items[row].id
        self._change(lambda: setattr(self.model.gradings.setdefault(item_id, Grading()),
                                     "note", text), f"note:{item_id}")

    def _row_typed(self, name: str, row: int, column: int, text: str) -> None:
        rows = self._list_rows(name)
        if not 0 <= row < len(rows):
            return
        field_name = LISTS[name][0].FIELDS[column]  # type: ignore[attr-defined]
        self._change(lambda: setattr(rows[row], field_name, text),
                     f"{name}:{row}:{column}")

    def add_row(self, name: str) -> None:
        rows = self._list_rows(name)
        if len(rows) >= MAX_ROWS:
            return
        self._change(lambda: rows.append(LISTS[name][0]()))
        self._refill()
        table = self.list_tables[name]
        table.setCurrentCell(len(rows) - 1, 0)
        table.editor(len(rows) - 1, 0).setFocus()

    def remove_row(self, name: str) -> None:
        rows = self._list_rows(name)
        row = self.list_tables[name].currentRow()
        if not 0 <= row < len(rows):
            return
        self._change(lambda: rows.pop(row))
        self._refill()

    def _product_typed(self, name: str) -> None:
        text = self.product_edits[name].toPlainText()
        if getattr(self.model.product, name) == text:
            return
        self._change(lambda: setattr(self.model.product, name, text), f"product:{name}")

    def _confidence_chosen(self, _index: int) -> None:
        self._change(lambda: setattr(self.model.product, "confidence",
                                     self.confidence.currentData() or ""))

    def _profile_typed(self, name: str, text: str) -> None:
        self._change(lambda: setattr(self.model.profile, name, text), f"profile:{name}")

    def _profile_chosen(self, name: str, combo: QComboBox) -> None:
        self._change(lambda: setattr(self.model.profile, name, combo.currentData() or ""))

    def _profile_date(self, name: str, iso: str) -> None:
        self._change(lambda: setattr(self.model.profile, name, iso))

    def _criteria_changed(self) -> None:
        logic = self.criteria.logic()

        def apply() -> None:
            self.model.profile.combinator = logic.combinator
            self.model.profile.conditions = list(logic.rows)
        self._change(apply, "criteria")
        self._update_preview()

    def _function_typed(self, key: str, text: str) -> None:
        self._change(lambda: self.model.centre.functions.__setitem__(key, text),
                     f"function:{key}")

    # -- feedback -------------------------------------------------------------------------
    def _check(self) -> tuple[list[Finding], Callable[[Finding], str]]:
        return intelligence.check(self.ctx.store, self.exercise, self.group_id,
                                  self.answer_data(), current_language(), _,
                                  self.ctx.pack.exercise("profile"))

    def findings(self) -> list[Finding]:
        return self._check()[0]

    def render_finding(self, finding: Finding) -> str:
        return renderer(current_language(), _)(finding)
