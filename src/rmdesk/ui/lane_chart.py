"""A bar chart of declarations per lane, with the expected share marked (E8, E9).

Each bar carries its lane name and figures as text, so it reads without colour too."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from rmdesk.domain.criteria import LANE_LABELS, LANES
from rmdesk.i18n import _
from rmdesk.i18n.formatting import format_number, format_percent

LANE_COLOURS = {"green": "#3a9a4a", "blue": "#3b6fc4", "yellow": "#e0b400",
                "orange": "#e07b00", "red": "#c62f2f"}


class LaneChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: dict[str, int] = {}
        self.expected: dict[str, float] = {}
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 200)

    def set_data(self, counts: dict[str, int], expected: dict[str, float] | None = None) -> None:
        self.counts = dict(counts)
        self.expected = dict(expected or {})
        # What the bars show, for a screen reader.
        self.setAccessibleName(_("Declarations per lane"))
        self.setAccessibleDescription("; ".join(
            _("{lane}: {count}").format(lane=_(LANE_LABELS[lane]), count=self.counts[lane])
            for lane in LANES if lane in self.counts) or _("No run yet."))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        total = sum(self.counts.values())
        metrics = painter.fontMetrics()
        text_h = metrics.height()
        figure_w = metrics.horizontalAdvance("000,000 (100.0%)") + 8
        row_h = min(2 * text_h + 30, max(2 * text_h + 6, (self.height() - 4) // len(LANES)))
        bar_h = min(22, max(8, row_h - text_h - 8))
        bar_w = max(40, self.width() - figure_w - 8)
        text = self.palette().text().color()
        if not total:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             _("No run yet: the lanes appear here after a run."))
            return
        for i, lane in enumerate(reversed(LANES)):  # red on top, as lanes are ranked
            y = 2 + i * row_h
            count = self.counts.get(lane, 0)
            share = count / total
            painter.setPen(text)
            painter.drawText(QRectF(4, y, bar_w, text_h), Qt.AlignmentFlag.AlignVCenter,
                             _(LANE_LABELS[lane]))
            bar_y = y + text_h + 2
            painter.fillRect(QRectF(4, bar_y, bar_w, bar_h), QColor("#e6e6e6"))
            painter.fillRect(QRectF(4, bar_y, max(1.0, bar_w * share), bar_h),
                             QColor(LANE_COLOURS[lane]))
            expected = self.expected.get(lane)
            if expected is not None:
                x = 4 + bar_w * min(1.0, expected)
                painter.setPen(QPen(QColor("#000000"), 2, Qt.PenStyle.DashLine))
                painter.drawLine(int(x), int(bar_y) - 2, int(x), int(bar_y + bar_h) + 2)
            painter.setPen(text)
            figures = f"{format_number(count)} ({format_percent(share, digits=1)})"
            painter.drawText(QRectF(bar_w + 10, bar_y, figure_w, bar_h),
                             Qt.AlignmentFlag.AlignVCenter, figures)
