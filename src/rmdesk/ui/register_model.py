"""Table model of the register: one row per risk, computed score and level included."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from rmdesk.domain.register import FIELD_LABELS, RISK_AREAS, RiskEntry
from rmdesk.domain.scales import LEVEL_LABELS
from rmdesk.i18n import _, pgettext
from rmdesk.ui.common import plain_tip

COLUMNS: tuple[str, ...] = ("code", "event", "area", "likelihood", "impact", "score", "level")
_Index = QModelIndex | QPersistentModelIndex


class RegisterTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._risks: list[RiskEntry] = []

    # -- data ----------------------------------------------------------------------
    def set_risks(self, risks: list[RiskEntry]) -> None:
        if [r.id for r in risks] == [r.id for r in self._risks]:
            self._risks = risks  # same rows: repaint values, keep selection
            self._all_changed()
            return
        self.beginResetModel()
        self._risks = risks
        self.endResetModel()

    def risks(self) -> list[RiskEntry]:
        return list(self._risks)

    def risk_at(self, row: int) -> RiskEntry | None:
        return self._risks[row] if 0 <= row < len(self._risks) else None

    def row_of(self, risk_id: str) -> int:
        return next((i for i, r in enumerate(self._risks) if r.id == risk_id), -1)

    def retranslate(self) -> None:
        """Headers and translated cells get no LanguageChange event of their own."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._all_changed()

    def _all_changed(self) -> None:
        if self._risks:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._risks) - 1, len(COLUMNS) - 1)
            )

    # -- Qt model API --------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._risks)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            column = COLUMNS[section]
            if role == Qt.ItemDataRole.DisplayRole:
                short = {
                    "likelihood": pgettext("column: likelihood, one letter", "L"),
                    "impact": pgettext("column: consequence, one letter", "C"),
                }
                return short.get(column) or _(FIELD_LABELS[column])
            if role == Qt.ItemDataRole.ToolTipRole:
                return _(FIELD_LABELS[column])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        risk = self.risk_at(index.row())
        if risk is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = self.data(index, Qt.ItemDataRole.DisplayRole)
            value = getattr(risk, column, None) if column == "event" else shown
            return plain_tip(value) if isinstance(value, str) else value  # typed text
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "area":
                return _(RISK_AREAS[risk.area]) if risk.area in RISK_AREAS else ""
            if column == "level":
                level = risk.level()
                return _(LEVEL_LABELS[level]) if level else ""
            if column == "score":
                return risk.score if risk.score is not None else ""
            value = getattr(risk, column)
            if column == "event":
                return " ".join(str(value).split())  # one line in the table
            return "" if value is None else value
        numeric = column in ("likelihood", "impact", "score")
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
