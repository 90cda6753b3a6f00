"""The overlay heat map: every group's rating of the same risks on one 5x5 grid.

Each cell counts the ratings the groups put there and how many different risks they are,
which stays readable at 30 groups. Choosing a risk (highlight) outlines the cells where
groups put it, so a facilitator sees at a glance how far apart they are.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from rmdesk.domain.comparison import Overlay
from rmdesk.domain.scales import DEFAULT_BANDS
from rmdesk.i18n import _, ngettext
from rmdesk.ui.common import Retranslatable
from rmdesk.ui.heatmap import RiskGrid, small_font

LEFT, BOTTOM, TOP, RIGHT = 40, 34, 8, 8


class OverlayHeatMap(Retranslatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overlay: Overlay | None = None
        self.highlighted: int | None = None
        self.setMinimumSize(360, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.retranslate_ui()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, 380)

    def set_overlay(self, overlay: Overlay | None) -> None:
        self.overlay = overlay
        if overlay is None or self.highlighted not in {r.number for r in overlay.risks}:
            self.highlighted = None
        self.update()

    def highlight(self, number: int | None) -> None:
        self.highlighted = number
        self.update()

    def cell_text(self, likelihood: int, consequence: int) -> str:
        """"12\n3 risks": the ratings in the cell and how many risks they are."""
        if self.overlay is None:
            return ""
        ratings, risks = self.overlay.cell_counts().get((likelihood, consequence), (0, 0))
        if not ratings:
            return ""
        return f"{ratings}\n" + ngettext("{count} risk", "{count} risks", risks).format(
            count=risks)

    def retranslate_ui(self) -> None:
        self.setAccessibleName(_("Overlay of the groups' ratings"))
        self.setToolTip(_("Each cell counts the groups' ratings that fall there and how "
                          "many different risks they are. Choose a risk in the table to "
                          "outline its cells."))
        self.update()

    def _grid(self) -> RiskGrid:
        return RiskGrid(LEFT, TOP, self.width() - LEFT - RIGHT, self.height() - TOP - BOTTOM)

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        return self._grid().cell_at(point)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        cell = self.cell_at(event.position())
        if cell is None or self.overlay is None:
            return
        entries = self.overlay.cells().get(cell, [])
        lines = []
        for number, _count in entries:
            risk = self.overlay.risk(number)
            if risk is None:
                continue
            names = ", ".join(r.group_name for r in risk.rated
                              if (r.likelihood, r.impact) == cell)
            lines.append(f"{number}. {risk.label} — {names}")
        QToolTip.showText(event.globalPosition().toPoint(), "\n".join(lines) or
                          _("No group put a risk here."), self)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bands = self.overlay.bands if self.overlay is not None else DEFAULT_BANDS
        cells = self.overlay.cells() if self.overlay is not None else {}
        small = small_font(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        grid = self._grid()
        grid.paint_cells(p, bands, small)
        for lik in range(1, 6):
            for con in range(1, 6):
                rect = grid.cell_rect(lik, con)
                entries = cells.get((lik, con), [])
                if not entries:
                    continue
                mine = any(n == self.highlighted for n, _c in entries)
                if mine:
                    p.setPen(QPen(QColor("#000000"), 3))
                    p.drawRect(rect.adjusted(1.5, 1.5, -1.5, -1.5))
                p.setPen(QColor("#000000"))
                p.setFont(bold if mine else self.font())
                text = self.cell_text(lik, con)
                p.drawText(rect.adjusted(3, 12, -3, -2),
                           Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        grid.paint_scales(p, small, self.palette().windowText().color())
        p.drawText(QRectF(LEFT, self.height() - 18, grid.width, 16),
                   Qt.AlignmentFlag.AlignCenter, _("Consequence"))
        p.save()
        p.translate(12, TOP + 2.5 * grid.ch)
        p.rotate(-90)
        p.drawText(QRectF(-80, -10, 160, 16), Qt.AlignmentFlag.AlignCenter, _("Likelihood"))
        p.restore()
        p.end()
