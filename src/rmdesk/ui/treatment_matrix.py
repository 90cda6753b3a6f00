"""E5's before/after matrix: each risk at its inherent position (dark marker) and at its
target residual position (light marker), joined by an arrow."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from rmdesk.domain.scales import DEFAULT_BANDS, LEVEL_LABELS, RiskBands
from rmdesk.domain.treatment import Marker, Move, matrix_markers, slot_centre
from rmdesk.i18n import _
from rmdesk.ui.common import Retranslatable
from rmdesk.ui.heatmap import RiskGrid, small_font

DARK = QColor("#222222")
HIGHLIGHT = QColor("#1f5fbf")


class BeforeAfterMatrix(Retranslatable, QWidget):
    def __init__(self, parent: QWidget | None = None, bands: RiskBands = DEFAULT_BANDS) -> None:
        super().__init__(parent)
        self._bands = bands
        self._moves: list[Move] = []
        self._markers: list[Marker] = []
        self.selected: str | None = None
        self.setMinimumSize(320, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.retranslate_ui()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 380)

    def set_moves(self, moves: list[Move], selected: str | None = None) -> None:
        self._moves = moves
        self._markers = matrix_markers(moves)
        self.selected = selected
        self.setAccessibleName(_("Risks before and after treatment"))
        self.setAccessibleDescription("; ".join(
            _("{code}: {before} to {after}").format(
                code=m.code, before=_cell(m.inherent), after=_cell(m.residual))
            for m in moves) or _("No risk to treat yet."))
        self.update()

    def markers(self) -> list[Marker]:
        return list(self._markers)

    def retranslate_ui(self) -> None:
        legend = ", ".join(
            f"{_(LEVEL_LABELS[b.level])} {b.low}-{b.high}" for b in self._bands.bands)
        self.setToolTip(_("Before and after treatment: dark markers show each risk now, "
                          "light markers its target after treatment. {legend}").format(
                              legend=legend))
        self.setAccessibleName(_("Before/after matrix"))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, bottom, top, right = 46, 60, 8, 8
        grid = RiskGrid(left, top, self.width() - left - right, self.height() - top - bottom)
        grid_w, grid_h = grid.width, grid.height
        small = small_font(self.font())
        grid.paint_cells(p, self._bands, small)

        # Where each marker sits, then arrows under the markers.
        marker_font = QFont(self.font())
        marker_font.setBold(True)
        marker_font.setPointSizeF(max(7.0, marker_font.pointSizeF() - 1))
        metrics = QFontMetricsF(marker_font)
        centres: dict[tuple[str, bool], QPointF] = {}
        for marker in self._markers:
            rect = grid.cell_rect(*marker.cell)
            fx, fy = slot_centre(marker.slot, marker.slots)
            centres[(marker.code, marker.after)] = QPointF(rect.left() + fx * rect.width(),
                                                           rect.top() + fy * rect.height())
        for move in self._moves:
            start, end = centres.get((move.code, False)), centres.get((move.code, True))
            if start is not None and end is not None:
                chosen = move.code == self.selected
                self._arrow(p, start, end, HIGHLIGHT if chosen else DARK, 2.4 if chosen else 1.3,
                            metrics.height() * 0.7)
        p.setFont(marker_font)
        for marker in self._markers:
            centre = centres[(marker.code, marker.after)]
            width = metrics.horizontalAdvance(marker.code) + 10
            height = metrics.height() + 4
            pill = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
            chosen = marker.code == self.selected
            p.setPen(QPen(HIGHLIGHT if chosen else DARK, 2.4 if chosen else 1.2))
            p.setBrush(DARK if not marker.after else QColor("#ffffff"))
            p.drawRoundedRect(pill, height / 2, height / 2)
            p.setPen(QColor("#ffffff") if not marker.after else DARK)
            p.drawText(pill, Qt.AlignmentFlag.AlignCenter, marker.code)
        p.setBrush(Qt.BrushStyle.NoBrush)

        # Axes and legend.
        grid.paint_scales(p, small, self.palette().windowText().color())
        grid.paint_axis_titles(p, 16)
        y = top + grid_h + 34
        x = float(left)
        for after, text in ((False, _("now (inherent)")), (True, _("target (residual)"))):
            pill = QRectF(x, y + 3, 22, 11)
            p.setPen(QPen(DARK, 1.2))
            p.setBrush(DARK if not after else QColor("#ffffff"))
            p.drawRoundedRect(pill, 5.5, 5.5)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(self.palette().windowText().color())
            label = QRectF(x + 28, y, grid_w, 18)
            p.drawText(label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            x += 28 + QFontMetricsF(small).horizontalAdvance(text) + 18
        p.end()

    @staticmethod
    def _arrow(p: QPainter, start: QPointF, end: QPointF, colour: QColor, width: float,
               stop_short: float) -> None:
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = math.hypot(dx, dy)
        if length < 1:
            return
        ux, uy = dx / length, dy / length
        tip = QPointF(end.x() - ux * stop_short, end.y() - uy * stop_short)
        p.setPen(QPen(colour, width))
        p.drawLine(start, tip)
        head = 8.0
        back = QPointF(tip.x() - ux * head, tip.y() - uy * head)
        wing1 = QPointF(back.x() - uy * head / 2, back.y() + ux * head / 2)
        wing2 = QPointF(back.x() + uy * head / 2, back.y() - ux * head / 2)
        p.setBrush(colour)
        p.drawPolygon(QPolygonF([tip, wing1, wing2]))
        p.setBrush(Qt.BrushStyle.NoBrush)


def _cell(position: tuple[int, int] | None) -> str:
    """Likelihood × consequence, as the matrix places a risk ("—" when not rated)."""
    return f"{position[0]}×{position[1]}" if position else "—"
