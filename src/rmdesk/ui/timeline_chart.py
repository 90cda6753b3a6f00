"""E11: a Gantt-like timeline of the milestones, with dependency arrows (QPainter).

Milestone names wrap in the label column (never cut), with the responsible
administration under them; month labels carry their year where it changes. No text sits
in the chart area, so no arrow crosses one."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_skeleton
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from rmdesk.domain.regional_project import (
    RegionalProject,
    chart_span,
    month_ticks,
    parse_date,
    years_shown,
)
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


def month_label(day: dt.date, with_year: bool, lang: str) -> str:
    """'Apr 2026' where the year is shown (domain.years_shown), 'May' elsewhere."""
    skeleton = "yMMM" if with_year else "MMM"
    return format_skeleton(skeleton, day, locale=lang if lang != "pseudo" else "en")


def label_width_for(width: int) -> int:
    return min(260, max(140, width // 3))


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
        rows = self.row_layout(label_width_for(700))
        body = rows[-1][0] + rows[-1][1] if rows else 3 * ROW_HEIGHT
        return QSize(700, AXIS_HEIGHT + max(body, 3 * ROW_HEIGHT) + 30)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        rows = self.row_layout(label_width_for(width))
        body = rows[-1][0] + rows[-1][1] if rows else 3 * ROW_HEIGHT
        return AXIS_HEIGHT + max(body, 3 * ROW_HEIGHT) + 8

    def row_layout(self, label_width: int) -> list[tuple[int, int, list[str], str]]:
        """Per milestone: (top from the axis, height, name lines, muted detail line)."""
        metrics = QFontMetrics(self.font())
        room = label_width - 10
        rows, y = [], 0
        for m in self.project.milestones:
            lines = wrap_text(self.project.milestone_label(m.id), metrics, room)
            partner = self.project.partner(m.responsible)
            detail = _("dates not set") if m.start_date is None or m.end_date is None \
                else (partner.administration.strip() if partner else "")
            detail_lines = wrap_text(detail, metrics, room) if detail else []
            height = max(ROW_HEIGHT, (len(lines) + len(detail_lines)) * metrics.lineSpacing()
                         + 8)
            rows.append((y, height, lines, "\n".join(detail_lines)))
            y += height
        return rows

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
        label_width = label_width_for(width)
        left, right = label_width + 8, width - 12
        days = max(1, (last - first).days)

        def x(day: dt.date) -> float:
            return left + (right - left) * (day - first).days / days

        layout = self.row_layout(label_width)
        rows = self.project.milestones
        top = AXIS_HEIGHT
        bottom = top + layout[-1][0] + layout[-1][1]

        # The operation window, shaded, with its edges dashed.
        window_start = parse_date(self.project.window_start)
        window_end = parse_date(self.project.window_end)
        if window_start and window_end and window_end >= window_start:
            x0, x1 = x(window_start), x(window_end + dt.timedelta(days=1))
            painter.fillRect(QRectF(x0, top, x1 - x0, bottom - top), WINDOW_FILL)
            painter.setPen(QPen(MUTED, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x0, top - 4), QPointF(x0, bottom))
            painter.drawLine(QPointF(x1, top - 4), QPointF(x1, bottom))

        # Month grid and labels, the year where it changes.
        ticks = month_ticks(first, last, max_ticks=max(2, (right - left) // 80))
        shown_until = float(left - 6)  # where the last month label ends
        for tick, with_year in zip(ticks, years_shown(ticks), strict=True):
            tx = x(tick)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(tx, top - 4), QPointF(tx, bottom))
            label = month_label(tick, with_year, lang)
            advance = metrics.horizontalAdvance(label)
            lx = min(tx + 3, width - advance - 2)  # the last one ends at the edge
            if lx >= shown_until + 6:
                painter.setPen(MUTED)
                painter.drawText(QRectF(lx, 0, advance + 2, AXIS_HEIGHT - 4),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 label)
                shown_until = lx + advance

        # Bars: one row per milestone, in list order (M1 at the top).
        boxes: dict[str, QRectF] = {}
        line = metrics.lineSpacing()
        for (row_top, height, lines, detail), milestone in zip(layout, rows, strict=True):
            y = top + row_top
            if milestone.id == self.selected_id:
                painter.fillRect(QRectF(0, y, width, height), QColor(74, 120, 168, 40))
            painter.setPen(TEXT)
            text_y = y + 4
            for text in lines:
                painter.drawText(QRectF(6, text_y, label_width - 6, line),
                                 Qt.AlignmentFlag.AlignVCenter, text)
                text_y += line
            painter.setPen(MUTED)
            for text in detail.split("\n") if detail else []:
                painter.drawText(QRectF(6, text_y, label_width - 6, line),
                                 Qt.AlignmentFlag.AlignVCenter, text)
                text_y += line
            start, end = milestone.start_date, milestone.end_date
            if start is None or end is None:
                continue
            problem = end < start
            x0 = x(min(start, end))
            x1 = max(x(max(start, end) + dt.timedelta(days=1)), x0 + 3)
            mid = y + height / 2
            box = QRectF(x0, mid - (ROW_HEIGHT - 12) / 2, x1 - x0, ROW_HEIGHT - 12)
            boxes[milestone.id] = box
            if problem:
                painter.setPen(QPen(BAR_PROBLEM, 1.5, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(BAR)
            painter.drawRoundedRect(box, 3, 3)

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
            mid_y = end.y() - (ROW_HEIGHT / 2 - 2 if end.y() > start.y()
                               else -(ROW_HEIGHT / 2 - 2))
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


def wrap_text(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """`text` in lines no wider than `width` (a word longer than a line stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
