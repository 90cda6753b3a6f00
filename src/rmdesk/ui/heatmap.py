"""The live 5x5 likelihood x consequence heat map with risk IDs in their cells."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
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
        grid_w = self.width() - left - right
        grid_h = self.height() - top - bottom
        cw, ch = grid_w / 5, grid_h / 5
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        for lik in range(1, 6):
            for con in range(1, 6):
                rect = QRectF(left + (con - 1) * cw, top + (5 - lik) * ch, cw, ch)
                score = lik * con
                p.fillRect(rect, LEVEL_COLOURS[self._bands.level_for(score)])
                p.setPen(QColor("#777777"))
                p.drawRect(rect)
                p.setFont(small)
                p.setPen(QColor("#555555"))
                p.drawText(rect.adjusted(3, 1, -3, -1), Qt.AlignmentFlag.AlignRight
                           | Qt.AlignmentFlag.AlignTop, str(score))
                ids = self._cells.get((lik, con))
                if ids:
                    p.setFont(self.font())
                    p.setPen(QColor("#000000"))
                    p.drawText(rect.adjusted(3, 10, -3, -2),
                               Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                               " ".join(ids))
        p.setFont(small)
        p.setPen(self.palette().windowText().color())
        for i in range(1, 6):
            p.drawText(QRectF(left - 18, top + (5 - i) * ch, 14, ch), Qt.AlignmentFlag.AlignCenter,
                       str(i))
            p.drawText(QRectF(left + (i - 1) * cw, top + grid_h + 2, cw, 14),
                       Qt.AlignmentFlag.AlignCenter, str(i))
        p.drawText(QRectF(left, top + grid_h + 18, grid_w, 18), Qt.AlignmentFlag.AlignCenter,
                   _("Consequence") + " →")
        p.save()
        p.translate(12, top + grid_h / 2)
        p.rotate(-90)
        p.drawText(QRectF(-grid_h / 2, -8, grid_h, 18), Qt.AlignmentFlag.AlignCenter,
                   _("Likelihood") + " →")
        p.restore()
        p.end()
