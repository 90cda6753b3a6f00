"""E4 evaluation: the register's risks ranked, with the appetite line; accept or treat."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.answer_json import MAX_ANSWER_TEXT
from rmdesk.domain.checks import Finding
from rmdesk.domain.evaluation import (
    DECISIONS,
    AppetiteRule,
    Evaluation,
    RankedRisk,
    RiskDecision,
    appetite_line,
    check_evaluation,
    moved,
    ranked,
    render_evaluation_finding,
    tolerance_text,
)
from rmdesk.domain.register import RISK_AREAS, RiskEntry
from rmdesk.domain.scales import LEVEL_LABELS
from rmdesk.i18n import _, current_language
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.common import button_row, plain_tip, select_rows_only
from rmdesk.ui.heatmap import LEVEL_COLOURS
from rmdesk.ui.whole_text import show_starts

(COL_RANK, COL_CODE, COL_EVENT, COL_SCORE, COL_TOLERANCE, COL_DECISION, COL_REASON,
 COL_ESCALATION, COL_ORDER_REASON) = range(9)
DEFAULT_MAX_ACCEPTED = 9  # when a pack gives E4 no appetite
LINE_FILL = QColor("#8a1c2b")


class EvaluationPage(AnswerPage):
    model: Evaluation

    def model_from(self, data: dict[str, Any]) -> Evaluation:
        return Evaluation.from_dict(data)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.risks: list[RiskEntry] = []
        self.rows: list[RankedRisk] = []
        self.line = 0
        editor = QWidget()

        self.appetite_label = QLabel()
        self.appetite_label.setWordWrap(True)
        self.appetite_label.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 9)
        select_rows_only(self.table)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in (COL_RANK, COL_CODE, COL_SCORE, COL_TOLERANCE, COL_DECISION):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col in (COL_EVENT, COL_REASON, COL_ESCALATION, COL_ORDER_REASON):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.up_button = QPushButton()
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton()
        self.down_button.clicked.connect(lambda: self.move_current(1))
        for keys, delta in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=delta: self.move_current(d))
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)

        buttons = button_row(self.up_button, self.down_button)
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.appetite_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        return editor

    @property
    def max_accepted(self) -> int:
        appetite = self.ctx.exercise.appetite
        return appetite.max_accepted_score if appetite else DEFAULT_MAX_ACCEPTED

    @property
    def rule(self) -> AppetiteRule:
        from rmdesk.content.pack import appetite_rule

        return appetite_rule(self.ctx.exercise)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # The register may have changed on the E2-E3 tab: show it as it is now.
        if self.group_id is not None:
            self.autosave.flush()
            self.risks = self.ctx.register.list_risks(self.group_id)
            self._rebuild(self._current_id())
        super().showEvent(event)

    # -- texts ------------------------------------------------------------------------
    def retranslate_editor(self) -> None:
        lang = current_language()
        appetite = self.ctx.exercise.appetite
        statement = appetite.statement.get(lang) if appetite else ""
        rule = _("Risks scoring above {maximum} exceed the appetite: they may not be "
                 "accepted.").format(maximum=self.max_accepted)
        if self.rule.by_area():
            rule = tolerance_text(self.rule, _)
        self.appetite_label.setText(
            _("Risk appetite: {statement}").format(statement=statement) + "\n" + rule
            if statement else rule)
        self.table.setHorizontalHeaderLabels([
            _("Rank"), _("ID"), _("Event"), _("Score"), _("Tolerance"), _("Decision"),
            _("Reason"), _("Escalation"), _("Why this rank"),
        ])
        # The tolerance column matters only when areas have tolerances of their own.
        self.table.setColumnHidden(COL_TOLERANCE, not self.rule.by_area())
        self.up_button.setText(_("Move &up"))
        self.up_button.setToolTip(_("Move the selected risk up (Ctrl+Up)"))
        self.down_button.setText(_("Move do&wn"))
        self.down_button.setToolTip(_("Move the selected risk down (Ctrl+Down)"))
        self.empty_label.setText(_("The register has no risks yet: identify and rate them "
                                   "on the E2–E3 tab, and they will appear here."))
        self._rebuild(self._current_id())

    def _line_text(self) -> str:
        if self.rule.by_area():
            return _("No risk exceeds the tolerance of its area") if self.line == 0 else \
                _("▲ Above this line: exceed the tolerance of their area ▲")
        if self.line == 0:
            return _("No risk exceeds the appetite (at most {maximum} may be accepted)").format(
                maximum=self.max_accepted)
        return _("▲ Above this line: exceed the appetite (score above {maximum}) ▲").format(
            maximum=self.max_accepted)

    # -- answer -----------------------------------------------------------------------
    def answer_data(self) -> dict[str, Any]:
        self.model.order = [r.id for r in self.rows]
        return self.model.to_dict()

    def fill(self) -> None:
        self.risks = self.ctx.register.list_risks(self.group_id) if self.group_id else []
        self._rebuild(None)

    def _table_row(self, index: int) -> int:
        return index if index < self.line else index + 1

    def _index_of_row(self, row: int) -> int | None:
        if row < 0 or row == self.line:
            return None
        index = row if row < self.line else row - 1
        return index if index < len(self.rows) else None

    def _rebuild(self, select_id: str | None, focus_col: int | None = None) -> None:
        self.rows = ranked(self.model, self.risks)
        self.line = appetite_line(self.rows, self.max_accepted, self.rule)
        self.empty_label.setVisible(self.group_id is not None and not self.rows)
        loading, self._loading = self._loading, True
        self.table.clearSpans()
        self.table.setRowCount(0)  # drops the old cell widgets too
        self.table.setRowCount(len(self.rows) + 1 if self.rows else 0)
        decisions = [("", "—")] + [(key, _(label)) for key, label in DECISIONS.items()]
        for index, row in enumerate(self.rows):
            self._fill_row(self._table_row(index), index, row, decisions)
        if self.rows:
            separator = QTableWidgetItem(self._line_text())
            separator.setFlags(Qt.ItemFlag.ItemIsEnabled)
            separator.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            font = separator.font()
            font.setBold(True)
            separator.setFont(font)
            separator.setBackground(QBrush(LINE_FILL))
            separator.setForeground(QBrush(QColor("#ffffff")))
            self.table.setItem(self.line, 0, separator)
            self.table.setSpan(self.line, 0, 1, self.table.columnCount())
        self._loading = loading
        self.table.resizeRowsToContents()
        show_starts(self.table)  # reasons show their first words, not their last
        if select_id is not None:
            self._select(select_id, focus_col)

    def _fill_row(self, table_row: int, index: int, row: RankedRisk,
                  decisions: list[tuple[str, str]]) -> None:
        risk = row.risk
        level = risk.level()
        texts = {
            COL_RANK: str(index + 1),
            COL_CODE: row.code,
            COL_EVENT: risk.event.strip(),
            COL_SCORE: f"{row.score} · {_(LEVEL_LABELS[level])}" if row.score and level
            in LEVEL_LABELS else "—",
            COL_TOLERANCE: _("≤ {maximum}").format(maximum=self.rule.max_for(risk.area)),
        }
        for col, text in texts.items():
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            if col == COL_EVENT:
                item.setToolTip(plain_tip(risk.event))
            if col == COL_TOLERANCE:
                item.setToolTip(_("At most {maximum} may be accepted in {area}").format(
                    maximum=self.rule.max_for(risk.area),
                    area=_(RISK_AREAS[risk.area]) if risk.area in RISK_AREAS
                    else _("areas without a tolerance of their own")))
            if col == COL_SCORE and level in LEVEL_COLOURS:
                item.setBackground(QBrush(LEVEL_COLOURS[level]))
                item.setForeground(QBrush(QColor("#000000")))
            self.table.setItem(table_row, col, item)
        combo = QComboBox()
        for data, text in decisions:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(row.decision.decision)))
        combo.setAccessibleName(_("Decision for {code}").format(code=row.code))
        combo.activated.connect(lambda _i, rid=row.id, c=combo: self._decided(rid, c))
        self.table.setCellWidget(table_row, COL_DECISION, combo)
        names = {"reason": _("Reason for {code}"), "escalation": _("Escalation of {code}"),
                 "order_reason": _("Why {code} ranks here")}
        for col, name, hint in (
            (COL_REASON, "reason", _("Why accept or treat")),
            (COL_ESCALATION, "escalation", _("To whom, if it exceeds the appetite")),
            (COL_ORDER_REASON, "order_reason", _("Why here, if not in score order")),
        ):
            edit = QLineEdit(getattr(row.decision, name))
            edit.setCursorPosition(0)  # show the start of a long reason, not its end
            edit.setMaxLength(MAX_ANSWER_TEXT)
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(names[name].format(code=row.code))
            edit.textEdited.connect(lambda text, rid=row.id, n=name: self._typed(rid, n, text))
            self.table.setCellWidget(table_row, col, edit)

    def _decision(self, risk_id: str) -> RiskDecision:
        return self.model.decisions.setdefault(risk_id, RiskDecision())

    def _decided(self, risk_id: str, combo: QComboBox) -> None:
        if not self.before_edit():
            return
        self._decision(risk_id).decision = combo.currentData() or ""
        self.edited()

    def _typed(self, risk_id: str, name: str, text: str) -> None:
        # Typing a risk's reason and escalation is one undo step.
        if not self.before_edit(f"text:{risk_id}"):
            return
        setattr(self._decision(risk_id), name, text)
        self.edited(typing=True)

    # -- ranking ----------------------------------------------------------------------
    def _current_id(self) -> str | None:
        focus = QApplication.focusWidget()
        for table_row in range(self.table.rowCount()):
            for col in (COL_DECISION, COL_REASON, COL_ESCALATION, COL_ORDER_REASON):
                widget = self.table.cellWidget(table_row, col)
                if widget is not None and focus is not None and (
                        widget is focus or widget.isAncestorOf(focus)):
                    index = self._index_of_row(table_row)
                    return self.rows[index].id if index is not None else None
        index = self._index_of_row(self.table.currentRow())
        return self.rows[index].id if index is not None else None

    def _focus_col(self) -> int | None:
        focus = QApplication.focusWidget()
        for table_row in range(self.table.rowCount()):
            for col in (COL_DECISION, COL_REASON, COL_ESCALATION, COL_ORDER_REASON):
                if self.table.cellWidget(table_row, col) is focus and focus is not None:
                    return col
        return None

    def _select(self, risk_id: str, focus_col: int | None) -> None:
        index = next((i for i, r in enumerate(self.rows) if r.id == risk_id), None)
        if index is None:
            return
        table_row = self._table_row(index)
        self.table.setCurrentCell(table_row, COL_CODE)
        self.table.scrollToItem(self.table.item(table_row, COL_CODE))
        widget = self.table.cellWidget(table_row, focus_col) if focus_col is not None else None
        (widget or self.table).setFocus()

    def move_current(self, delta: int) -> None:
        risk_id = self._current_id()
        if risk_id is None or not self.before_edit():
            return
        focus_col = self._focus_col()
        self.model.order = moved([r.id for r in self.rows], risk_id, delta)
        self._rebuild(risk_id, focus_col)
        self.edited()

    def ranked_codes(self) -> list[str]:
        return [r.code for r in self.rows]

    # -- feedback ---------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        self.risks = self.ctx.register.list_risks(self.group_id) if self.group_id else []
        self._rebuild(self._current_id())
        return check_evaluation(self.rows, self.max_accepted, self.rule)

    def render_finding(self, finding: Finding) -> str:
        return render_evaluation_finding(finding, _)
