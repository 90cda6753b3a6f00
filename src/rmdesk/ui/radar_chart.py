"""E12: a radar chart of maturity levels 1-5 (QPainter); bars when fewer than three axes."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from rmdesk.i18n import _

LEVEL_MAX = 5
RING = QColor("#c8c8c8")
AXIS = QColor("#9a9a9a")
FILL = QColor(74, 120, 168, 90)
LINE = QColor("#2f5f8f")
TEXT = QColor("#202020")
MUTED = QColor("#666666")


class RadarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axes: list[tuple[str, int | None]] = []  # (label, level or None)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 240)

    def set_values(self, axes: list[tuple[str, int | None]]) -> None:
        self.axes = list(axes)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(420, 380)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if not self.axes:
            painter.setPen(MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             _("No dimension to rate."))
        elif len(self.axes) < 3:
            self._bars(painter)
        else:
            self._radar(painter)
        painter.end()

    def _radar(self, painter: QPainter) -> None:
        metrics = QFontMetrics(self.font())
        n = len(self.axes)
        margin = metrics.height() * 2 + 12
        label_room = min(160, self.width() // 4,
                         max(metrics.horizontalAdvance(label) for label, _l in self.axes) + 8)
        radius = max(30.0, min((self.width() - 2 * label_room) / 2 - 10,
                               (self.height() - 2 * margin) / 2))
        centre = QPointF(self.width() / 2, self.height() / 2)

        def point(i: int, level: float) -> QPointF:
            angle = -math.pi / 2 + 2 * math.pi * i / n
            r = radius * level / LEVEL_MAX
            return QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))

        for level in range(1, LEVEL_MAX + 1):
            painter.setPen(QPen(RING, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(QPolygonF([point(i, level) for i in range(n)]))
            painter.setPen(MUTED)
            ring = point(0, level)
            painter.drawText(QPointF(ring.x() + 3, ring.y() + metrics.ascent() - 2), str(level))
        for i, (label, _level) in enumerate(self.axes):
            painter.setPen(QPen(AXIS, 1))
            painter.drawLine(centre, point(i, LEVEL_MAX))
            self._axis_label(painter, metrics, point(i, LEVEL_MAX + 0.35), label, label_room)
        rated = [(i, level) for i, (_l, level) in enumerate(self.axes) if level]
        if rated:
            polygon = QPolygonF([point(i, level or 0) for i, (_l, level) in
                                 enumerate(self.axes)])
            painter.setPen(QPen(LINE, 2))
            painter.setBrush(FILL)
            painter.drawPolygon(polygon)
            painter.setBrush(LINE)
            for i, level in rated:
                painter.drawEllipse(point(i, level), 3.5, 3.5)

    def _axis_label(self, painter: QPainter, metrics: QFontMetrics, at: QPointF, label: str,
                    room: int) -> None:
        # A long name ("Ressources humaines") takes two lines rather than losing its end.
        lines = [label]
        spaces = [i for i, c in enumerate(label) if c.isspace()]  # no-break spaces too
        if metrics.elidedText(label, Qt.TextElideMode.ElideRight, room) != label and spaces:
            cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
            lines = [label[:cut], label[cut + 1:]]
        lines = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in lines]
        centre_x = self.width() / 2
        top = at.y() + metrics.ascent() / 2 - (len(lines) - 1) * metrics.lineSpacing() / 2
        painter.setPen(TEXT)
        for n, text in enumerate(lines):
            width = metrics.horizontalAdvance(text)
            if abs(at.x() - centre_x) < 4:
                x = at.x() - width / 2
            elif at.x() < centre_x:
                x = at.x() - width
            else:
                x = at.x()
            x = max(2.0, min(x, self.width() - width - 2))
            y = top + n * metrics.lineSpacing()
            y = max(metrics.ascent() + 2, min(y, self.height() - metrics.descent() - 2))
            painter.drawText(QPointF(x, y), text)

    def _bars(self, painter: QPainter) -> None:
        metrics = QFontMetrics(self.font())
        label_width = min(200, self.width() // 3)
        left, right = label_width + 10, self.width() - 20
        bar_height = 22
        top = 30
        painter.setPen(MUTED)
        for level in range(0, LEVEL_MAX + 1):
            x = left + (right - left) * level / LEVEL_MAX
            painter.setPen(QPen(RING, 1))
            painter.drawLine(QPointF(x, top - 6),
                             QPointF(x, top + len(self.axes) * (bar_height + 10)))
            painter.setPen(MUTED)
            painter.drawText(QRectF(x - 10, 4, 20, 18), Qt.AlignmentFlag.AlignCenter, str(level))
        for row, (label, level) in enumerate(self.axes):
            y = top + row * (bar_height + 10)
            painter.setPen(TEXT)
            painter.drawText(QRectF(4, y, label_width, bar_height), Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width))
            if level:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(LINE)
                painter.drawRect(QRectF(left, y, (right - left) * level / LEVEL_MAX, bar_height))
