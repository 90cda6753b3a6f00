"""The live 5x5 likelihood x consequence heat map with risk IDs in their cells, and the
grid drawing it shares with E5's before/after matrix and the facilitator's overlay."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from rmdesk.domain.register import RiskEntry, heat_map_cells
from rmdesk.domain.scales import DEFAULT_BANDS, LEVEL_LABELS, RiskBands
from rmdesk.i18n import _
from rmdesk.ui.common import Retranslatable

LEVEL_COLOURS = {
    "low": QColor("#cfe8cf"),
    "medium": QColor("#fff1b3"),
    "high": QColor("#ffc98a"),
    "extreme": QColor("#f29b9b"),
}


def small_font(font: QFont) -> QFont:
    """The font of the scores and scales: a little smaller than the widget's."""
    small = QFont(font)
    small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
    return small


class RiskGrid:
    """A 5x5 likelihood (up) x consequence (across) grid at (left, top) in a widget."""

    def __init__(self, left: float, top: float, width: float, height: float) -> None:
        self.left, self.top, self.width, self.height = left, top, width, height
        self.cw, self.ch = width / 5, height / 5

    def cell_rect(self, likelihood: int, consequence: int) -> QRectF:
        return QRectF(self.left + (consequence - 1) * self.cw,
                      self.top + (5 - likelihood) * self.ch, self.cw, self.ch)

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        con = int((point.x() - self.left) // self.cw) + 1
        lik = 5 - int((point.y() - self.top) // self.ch)
        return (lik, con) if 1 <= lik <= 5 and 1 <= con <= 5 else None

    def paint_cells(self, p: QPainter, bands: RiskBands, small: QFont) -> None:
        """Each cell in its level's colour, with its score in the top right corner."""
        for lik in range(1, 6):
            for con in range(1, 6):
                rect = self.cell_rect(lik, con)
                p.fillRect(rect, LEVEL_COLOURS.get(bands.level_for(lik * con),
                                                   QColor("#dddddd")))
                p.setPen(QColor("#777777"))
                p.drawRect(rect)
                p.setFont(small)
                p.setPen(QColor("#555555"))
                p.drawText(rect.adjusted(3, 1, -3, -1),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                           str(lik * con))

    def paint_scales(self, p: QPainter, small: QFont, colour: QColor) -> None:
        """The numbers 1-5 left of the rows and under the columns."""
        p.setFont(small)
        p.setPen(colour)
        for i in range(1, 6):
            p.drawText(QRectF(self.left - 18, self.top + (5 - i) * self.ch, 14, self.ch),
                       Qt.AlignmentFlag.AlignCenter, str(i))
            p.drawText(QRectF(self.left + (i - 1) * self.cw, self.top + self.height + 2,
                              self.cw, 14), Qt.AlignmentFlag.AlignCenter, str(i))

    def paint_axis_titles(self, p: QPainter, row: float) -> None:
        """"Consequence →" `row` pixels below the grid, "Likelihood →" up its left side."""
        p.drawText(QRectF(self.left, self.top + self.height + row, self.width, row),
                   Qt.AlignmentFlag.AlignCenter, _("Consequence") + " →")
        p.save()
        p.translate(12, self.top + self.height / 2)
        p.rotate(-90)
        p.drawText(QRectF(-self.height / 2, -8, self.height, 18), Qt.AlignmentFlag.AlignCenter,
                   _("Likelihood") + " →")
        p.restore()


class HeatMapWidget(Retranslatable, QWidget):
    def __init__(self, parent: QWidget | None = None, bands: RiskBands = DEFAULT_BANDS) -> None:
        super().__init__(parent)
        self._bands = bands
        self._cells: dict[tuple[int, int], list[str]] = {}
        self.setMinimumSize(320, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.retranslate_ui()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 340)

    def set_risks(self, risks: list[RiskEntry]) -> None:
        self._cells = heat_map_cells(risks)
        self.setAccessibleDescription("; ".join(
            _("likelihood {likelihood}, consequence {consequence}: {ids}").format(
                likelihood=likelihood, consequence=consequence, ids=", ".join(ids))
            for (likelihood, consequence), ids in sorted(self._cells.items()))
            or _("No rated risk yet."))
        self.update()

    def cell_ids(self, likelihood: int, consequence: int) -> list[str]:
        return list(self._cells.get((likelihood, consequence), []))

    def retranslate_ui(self) -> None:
        legend = ", ".join(
            f"{_(LEVEL_LABELS[b.level])} {b.low}-{b.high}" for b in self._bands.bands
        )
        self.setToolTip(_("Heat map: risk IDs by likelihood and consequence. {legend}").format(
            legend=legend))
        self.setAccessibleName(_("Heat map"))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, bottom, top, right = 46, 40, 8, 8
        grid = RiskGrid(left, top, self.width() - left - right, self.height() - top - bottom)
        small = small_font(self.font())
        grid.paint_cells(p, self._bands, small)
        p.setFont(self.font())
        p.setPen(QColor("#000000"))
        for (lik, con), ids in self._cells.items():
            if ids and 1 <= lik <= 5 and 1 <= con <= 5:
                p.drawText(grid.cell_rect(lik, con).adjusted(3, 10, -3, -2),
                           Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                           " ".join(ids))
        grid.paint_scales(p, small, self.palette().windowText().color())
        grid.paint_axis_titles(p, 18)
        p.end()
