"""The E7 selection-logic editor: AND/OR over rows of tests on declaration data fields.
Given a field set of its own (E16: passengers), it offers those fields instead.

Business rules (which tests fit which field, how typed text becomes values) live in
domain/profile_logic.py; this widget only shows rows and reports edits.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.criteria import OPERATORS
from rmdesk.domain.declaration_fields import (
    FIELD_BY_NAME,
    VISIBLE_FIELDS,
    FieldSpec,
    field_label,
    is_extra_name,
)
from rmdesk.domain.profile_logic import (
    COMBINATORS,
    ConditionRow,
    ProfileLogic,
    format_value_list,
    operators_for,
    split_list,
)
from rmdesk.i18n import N_, _, current_language
from rmdesk.ui.common import Retranslatable, refill_combo

COL_NOT, COL_FIELD, COL_OP, COL_VALUE, COL_LOW, COL_HIGH = range(6)
FIXED = ""  # the "field" of the tests on fixed fields (unit value vs reference, weight)


class CriteriaEditor(Retranslatable, QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *,
                 field_set: Mapping[str, FieldSpec] | None = None,
                 select_label: str = N_("Select a declaration when it meets")) -> None:
        super().__init__(parent)
        self._loading = False
        # Another data set's fields (labels N_-marked) in place of the declaration fields.
        self._field_set = {name: spec for name, spec in (field_set or {}).items()
                           if not spec.hidden} or None
        self._select_label = select_label
        self._extra: dict[str, FieldSpec] = {}  # the data set's own columns
        self.combinator_label = QLabel()
        self.combinator = QComboBox()
        self.combinator.activated.connect(lambda _i: self._emit())
        self.table = QTableWidget(0, 6)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NOT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_FIELD, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_OP, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_VALUE, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(COL_FIELD, 190)
        self.table.setColumnWidth(COL_OP, 230)
        self.table.setMinimumHeight(150)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_current)
        self.watch_label = QLabel()
        self.watch_lists = QPlainTextEdit()
        self.watch_lists.setMaximumHeight(70)
        self.watch_lists.textChanged.connect(self._emit)

        top = QHBoxLayout()
        top.addWidget(self.combinator_label)
        top.addWidget(self.combinator)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.watch_label)
        layout.addWidget(self.watch_lists)
        self.retranslate_ui()

    # -- texts --------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.combinator_label.setText(_(self._select_label))
        current = self.combinator.currentIndex()
        self.combinator.clear()
        self.combinator.addItem(_("all of the conditions (AND)"), "and")
        self.combinator.addItem(_("any of the conditions (OR)"), "or")
        self.combinator.setCurrentIndex(max(0, current))
        self.table.setHorizontalHeaderLabels([
            _("Not"), _("Data field"), _("Test"), _("Value"), _("From"), _("To")])
        self.add_button.setText(_("Add c&ondition"))
        self.remove_button.setText(_("Remove condition"))
        self.watch_label.setText(_("Watch lists, one per line: NAME: value; value; …"))
        self.watch_lists.setPlaceholderText(_("e.g. NEW_IMPORTERS: IMP-0412; IMP-0977"))
        self._loading = True
        for row in range(self.table.rowCount()):
            self._fill_fields(row)
            self._fill_ops(row)
            self._placeholders(row)
        self._loading = False
        self._fit_columns()

    def _fit_columns(self) -> None:
        """The field and test columns as wide as their longest choice (within reason), so
        that most choices are read whole on a laptop (the longest show in a tooltip)."""
        for col, least, most in ((COL_FIELD, 190, 250), (COL_OP, 230, 290)):
            combos = [self.table.cellWidget(r, col) for r in range(self.table.rowCount())]
            widths = []
            for combo in combos:
                if isinstance(combo, QComboBox):
                    # The hint follows the items, not only what the first show saw.
                    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
                    widths.append(combo.sizeHint().width())
            # Beyond `most` the value column would go: the tooltip shows the rest.
            self.table.setColumnWidth(col, min(max([least, *widths]), most))

    def set_fields(self, fields: Mapping[str, FieldSpec] | None) -> None:
        """Offer the data set's own columns too (`fields`: its fields, as
        DeclarationTable.fields() gives them; None: the built-in fields only)."""
        extra = {name: spec for name, spec in (fields or {}).items() if spec.extra}
        if extra == self._extra:
            return
        self._extra = extra
        self._loading, loading = True, self._loading
        for row in range(self.table.rowCount()):
            combo: QComboBox = self.table.cellWidget(row, COL_FIELD)  # type: ignore[assignment]
            current = combo.currentData()
            self._fill_fields(row, current)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            self._fill_ops(row)
        self._loading = loading
        self._fit_columns()

    def extra_fields(self) -> dict[str, FieldSpec]:
        """The data set's own columns offered (name -> spec)."""
        return dict(self._extra)

    def _fill_fields(self, row: int, keep: str | None = None) -> None:
        """The built-in fields, the fixed tests, then the data set's own columns; a
        column of a data set not at hand that a row tests (`keep`) stays, marked."""
        combo: QComboBox = self.table.cellWidget(row, COL_FIELD)  # type: ignore[assignment]
        if keep is None:
            keep = combo.currentData()
        if self._field_set is not None:
            refill_combo(combo, [(name, _(spec.label))
                                 for name, spec in self._field_set.items()])
            return
        items = [(name, _(FIELD_BY_NAME[name].label)) for name in VISIBLE_FIELDS]
        items.append((FIXED, _("(unit value or weight test)")))
        items += [(name, _("{name} (own column)").format(name=spec.label))
                  for name, spec in self._extra.items()]
        if is_extra_name(keep) and keep not in self._extra:
            items.append((keep, _("{name} (not in the data set)").format(
                name=field_label(keep, _))))
        refill_combo(combo, items)

    def _fill_ops(self, row: int) -> None:
        field_combo: QComboBox = self.table.cellWidget(row, COL_FIELD)  # type: ignore[assignment]
        combo: QComboBox = self.table.cellWidget(row, COL_OP)  # type: ignore[assignment]
        name = field_combo.currentData()
        ops = operators_for(name, self._field_set or self._extra)
        if not ops and is_extra_name(name):  # its kind is not known here: keep the test
            op = combo.currentData()
            ops = [op] if op in OPERATORS else []
        refill_combo(combo, [(op, _(OPERATORS[op].label)) for op in ops])

    def _placeholders(self, row: int) -> None:
        op = self._op_combo(row).currentData()
        spec = OPERATORS.get(op)
        arity = spec.arity if spec else "none"
        value, low, high = (self._edit(row, c) for c in (COL_VALUE, COL_LOW, COL_HIGH))
        value.setEnabled(arity in ("scalar", "list", "watch_list", "percent"))
        low.setEnabled(arity == "range")
        high.setEnabled(arity == "range")
        hint = {
            "list": self._list_hint(row),
            "watch_list": _("watch list name"),
            "percent": _("percentage, e.g. 50"),
            "scalar": _("value"),
        }.get(arity, "")
        value.setPlaceholderText(hint)
        # The cell is narrow: how a list is written is also read whole on hovering.
        value.setToolTip(hint if arity == "list" else "")

    def _list_hint(self, row: int) -> str:
        """What a list is typed like: ";" between values, and for numbers an example
        in the language's own decimal mark (a comma in es, fr, pt_BR is not a separator)."""
        name = self.table.cellWidget(row, COL_FIELD).currentData()  # type: ignore[union-attr]
        spec = (self._field_set or {}).get(name) or FIELD_BY_NAME.get(name) or \
            self._extra.get(name)
        if spec is not None and spec.kind in ("number", "integer"):
            example = [2, 5] if spec.kind == "integer" else [1.5, 2.5]
            return _("numbers separated by ;, e.g. {example}").format(
                example=format_value_list(example, current_language()))
        return _("values separated by ;")

    def _op_combo(self, row: int) -> QComboBox:
        return self.table.cellWidget(row, COL_OP)  # type: ignore[return-value]

    def _edit(self, row: int, col: int) -> QLineEdit:
        return self.table.cellWidget(row, col)  # type: ignore[return-value]

    def _row_of(self, widget: QWidget) -> int:
        for row in range(self.table.rowCount()):
            for col in range(6):
                cell = self.table.cellWidget(row, col)
                if cell is widget or (cell is not None and cell.isAncestorOf(widget)):
                    return row
        return -1

    # -- rows ---------------------------------------------------------------------------
    def add_row(self, condition: ConditionRow | None = None) -> None:
        first = next(iter(self._field_set or {}), "")
        condition = condition if isinstance(condition, ConditionRow) else ConditionRow(
            field=first, op=operators_for(first, self._field_set)[0]) if first else \
            ConditionRow(field="hs_code", op="starts_with")
        row = self.table.rowCount()
        self.table.insertRow(row)
        negate = QCheckBox()
        negate.setChecked(condition.negate)
        holder = QWidget()
        box = QHBoxLayout(holder)
        box.setContentsMargins(6, 0, 0, 0)
        box.addWidget(negate)
        negate.toggled.connect(lambda _c: self._emit())
        self.table.setCellWidget(row, COL_NOT, holder)
        field_combo = QComboBox()
        self.table.setCellWidget(row, COL_FIELD, field_combo)
        op_combo = QComboBox()
        self.table.setCellWidget(row, COL_OP, op_combo)
        for col, text in ((COL_VALUE, condition.value), (COL_LOW, condition.low),
                          (COL_HIGH, condition.high)):
            edit = QLineEdit(text)
            edit.textEdited.connect(lambda _t: self._emit())
            self.table.setCellWidget(row, col, edit)
        self._fill_fields(row, condition.field)
        field_combo.setCurrentIndex(max(0, field_combo.findData(condition.field)))
        if is_extra_name(condition.field) and condition.field not in self._extra \
                and self._field_set is None:
            op_combo.addItem(condition.op, condition.op)  # so _fill_ops can keep it
            op_combo.setCurrentIndex(0)
        self._fill_ops(row)
        op_combo.setCurrentIndex(max(0, op_combo.findData(condition.op)))
        self._placeholders(row)
        self._fit_columns()
        field_combo.activated.connect(lambda _i, w=field_combo: self._field_changed(w))
        op_combo.activated.connect(lambda _i, w=op_combo: self._op_changed(w))
        if not self._loading:
            self.table.setCurrentCell(row, COL_VALUE)
            self._emit()

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row < 0 and self.table.rowCount():
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            self._emit()

    def _field_changed(self, widget: QComboBox) -> None:
        row = self._row_of(widget)
        if row >= 0:
            self._fill_ops(row)
            self._placeholders(row)
            self._emit()

    def _op_changed(self, widget: QComboBox) -> None:
        row = self._row_of(widget)
        if row >= 0:
            self._placeholders(row)
            self._emit()

    def _emit(self) -> None:
        if not self._loading:
            self.changed.emit()

    # -- values -------------------------------------------------------------------------
    def set_logic(self, logic: ProfileLogic) -> None:
        self._loading = True
        self.table.setRowCount(0)
        self.combinator.setCurrentIndex(max(0, self.combinator.findData(logic.combinator)))
        for condition in logic.rows:
            self.add_row(condition)
        self.watch_lists.setPlainText("\n".join(
            f"{name}: {'; '.join(values)}" for name, values in logic.watch_lists.items()))
        self._loading = False

    def logic(self) -> ProfileLogic:
        rows = []
        for row in range(self.table.rowCount()):
            negate = self.table.cellWidget(row, COL_NOT).findChild(QCheckBox)
            field_combo: QComboBox = self.table.cellWidget(row, COL_FIELD)  # type: ignore[assignment]
            rows.append(ConditionRow(
                field=field_combo.currentData() or "",
                op=self._op_combo(row).currentData() or "",
                value=self._edit(row, COL_VALUE).text(),
                low=self._edit(row, COL_LOW).text(),
                high=self._edit(row, COL_HIGH).text(),
                negate=bool(negate and negate.isChecked()),
            ))
        combinator = self.combinator.currentData()
        return ProfileLogic(combinator if combinator in COMBINATORS else "and", rows,
                            parse_watch_lists(self.watch_lists.toPlainText()))


def parse_watch_lists(text: str) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    for line in text.splitlines():
        name, sep, values = line.partition(":")
        if sep and name.strip():
            lists[name.strip()] = split_list(values.replace(",", ";"))
    return lists
