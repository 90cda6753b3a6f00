"""E11: a Gantt-like timeline of the milestones, with dependency arrows (QPainter)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_skeleton
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from rmdesk.domain.regional_project import RegionalProject, chart_span, month_ticks, parse_date
from rmdesk.i18n import _, current_language

ROW_HEIGHT = 26
AXIS_HEIGHT = 24
BAR = QColor("#4a78a8")
BAR_PROBLEM = QColor("#c0392b")
WINDOW_FILL = QColor("#eef3e6")
GRID = QColor("#d0d0d0")
TEXT = QColor("#202020")
MUTED = QColor("#666666")
ARROW = QColor("#333333")


def month_label(day: dt.date, first: bool, lang: str) -> str:
    """'Apr 2026' on the first tick and in January, 'May' elsewhere, in the language."""
    skeleton = "yMMM" if first or day.month == 1 else "MMM"
    return format_skeleton(skeleton, day, locale=lang if lang != "pseudo" else "en")


class TimelineChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = RegionalProject()
        self.selected_id: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(AXIS_HEIGHT + 3 * ROW_HEIGHT)
        self.setAutoFillBackground(True)

    def set_project(self, project: RegionalProject, selected_id: str | None = None) -> None:
        self.project = project
        self.selected_id = selected_id
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        rows = max(3, len(self.project.milestones))
        return QSize(700, AXIS_HEIGHT + rows * ROW_HEIGHT + 30)

    def empty_text(self) -> str:
        return _("Give the milestones their dates to see the timeline.")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        span = chart_span(self.project)
        metrics = QFontMetrics(self.font())
        if span is None or not self.project.milestones:
            painter.setPen(MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text())
            painter.end()
            return
        first, last = span
        lang = current_language()
        width = self.width()
        label_width = min(240, max(120, width // 4))
        left, right = label_width + 8, width - 12
        days = max(1, (last - first).days)

        def x(day: dt.date) -> float:
            return left + (right - left) * (day - first).days / days

        rows = self.project.milestones
        top = AXIS_HEIGHT
        bottom = top + len(rows) * ROW_HEIGHT

        # The operation window, shaded, with its edges dashed.
        window_start = parse_date(self.project.window_start)
        window_end = parse_date(self.project.window_end)
        if window_start and window_end and window_end >= window_start:
            x0, x1 = x(window_start), x(window_end + dt.timedelta(days=1))
            painter.fillRect(QRectF(x0, top, x1 - x0, bottom - top), WINDOW_FILL)
            painter.setPen(QPen(MUTED, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x0, top - 4), QPointF(x0, bottom))
            painter.drawLine(QPointF(x1, top - 4), QPointF(x1, bottom))

        # Month grid and labels.
        painter.setPen(QPen(GRID, 1))
        ticks = month_ticks(first, last, max_ticks=max(2, (right - left) // 70))
        for n, tick in enumerate(ticks):
            tx = x(tick)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(tx, top - 4), QPointF(tx, bottom))
            painter.setPen(MUTED)
            painter.drawText(QRectF(tx + 3, 0, 120, AXIS_HEIGHT - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             month_label(tick, n == 0, lang))

        # Bars: one row per milestone, in list order (M1 at the top).
        boxes: dict[str, QRectF] = {}
        partners = {p.id: p for p in self.project.partners}
        for row, milestone in enumerate(rows):
            y = top + row * ROW_HEIGHT
            if milestone.id == self.selected_id:
                painter.fillRect(QRectF(0, y, width, ROW_HEIGHT), QColor(74, 120, 168, 40))
            painter.setPen(TEXT)
            label = self.project.milestone_label(milestone.id)
            painter.drawText(QRectF(6, y, label_width - 6, ROW_HEIGHT),
                             Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                label_width - 8))
            start, end = milestone.start_date, milestone.end_date
            if start is None or end is None:
                painter.setPen(MUTED)
                painter.drawText(QRectF(left + 4, y, right - left, ROW_HEIGHT),
                                 Qt.AlignmentFlag.AlignVCenter, _("dates not set"))
                continue
            problem = end < start
            x0 = x(min(start, end))
            x1 = max(x(max(start, end) + dt.timedelta(days=1)), x0 + 3)
            box = QRectF(x0, y + 6, x1 - x0, ROW_HEIGHT - 12)
            boxes[milestone.id] = box
            if problem:
                painter.setPen(QPen(BAR_PROBLEM, 1.5, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BAR)
            painter.drawRoundedRect(box, 3, 3)
            partner = partners.get(milestone.responsible)
            if partner and partner.administration.strip():
                painter.setPen(MUTED)
                name = metrics.elidedText(partner.administration.strip(),
                                          Qt.TextElideMode.ElideRight, 160)
                text_x = box.right() + 10
                if text_x + metrics.horizontalAdvance(name) > right:
                    text_x = box.left() - 4 - metrics.horizontalAdvance(name)
                painter.drawText(QPointF(text_x, y + ROW_HEIGHT / 2 + metrics.ascent() / 2 - 1),
                                 name)

        # Dependencies: from the end of the predecessor to the start of the milestone.
        for milestone in rows:
            target = boxes.get(milestone.id)
            if target is None:
                continue
            for dep in milestone.depends_on:
                source = boxes.get(dep)
                if source is None:
                    continue
                late = (milestone.start_date or dt.date.min) < \
                    (self.project.milestone(dep).end_date or dt.date.min)  # type: ignore[union-attr]
                self._arrow(painter, source, target, late)
        painter.end()

    @staticmethod
    def _arrow(painter: QPainter, source: QRectF, target: QRectF, late: bool) -> None:
        colour = BAR_PROBLEM if late else ARROW
        painter.setPen(QPen(colour, 1.2, Qt.PenStyle.DashLine if late else Qt.PenStyle.SolidLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        start = QPointF(source.right(), source.center().y())
        end = QPointF(target.left(), target.center().y())
        elbow = start.x() + 6
        path = QPainterPath(start)
        path.lineTo(elbow, start.y())
        if end.x() - 6 >= elbow:
            path.lineTo(elbow, end.y())
        else:  # the milestone starts before its predecessor ends: go round, back
            mid_y = end.y() - (ROW_HEIGHT / 2 if end.y() > start.y() else -ROW_HEIGHT / 2)
            path.lineTo(elbow, mid_y)
            path.lineTo(end.x() - 6, mid_y)
            path.lineTo(end.x() - 6, end.y())
        path.lineTo(end.x() - 1, end.y())
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        head = QPolygonF([QPointF(end.x(), end.y()), QPointF(end.x() - 6, end.y() - 3.5),
                          QPointF(end.x() - 6, end.y() + 3.5)])
        painter.drawPolygon(head)
