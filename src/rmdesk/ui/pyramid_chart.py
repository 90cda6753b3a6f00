"""E14: the compliance pyramid drawn with QPainter: four bands from "facilitate" at the
base to "enforce" at the top, each with its response and the numbers of the segments the
group placed there; the band of the selected segment is outlined."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from rmdesk.domain.compliance_pyramid import LEVELS, SHORT_RESPONSES
from rmdesk.i18n import _

# Light fills, base to top, so the black text stays readable (and in black and white).
FILLS = {"facilitate": QColor("#d7ecd9"), "assist": QColor("#e6f0c8"),
         "deter": QColor("#fbe3c0"), "enforce": QColor("#f6c9c4")}
TEXT = QColor("#202020")
OUTLINE = QColor("#555555")
SELECTED = QColor("#2f5f8f")
APEX = 0.8  # the top band ends at a fifth of the base's width


class PyramidChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placed: dict[str, list[int]] = {level: [] for level in LEVELS}  # row numbers
        self.selected: str = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 150)

    def set_values(self, placed: dict[str, list[int]], selected: str = "") -> None:
        self.placed = {level: list(placed.get(level, [])) for level in LEVELS}
        self.selected = selected
        self.setAccessibleName(_("Compliance pyramid"))
        self.setAccessibleDescription("; ".join(
            _("{response}: {count}").format(response=_(SHORT_RESPONSES[level]),
                                            count=len(self.placed[level]))
            for level in LEVELS))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(320, 200)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        area = QRectF(self.rect()).adjusted(6, 6, -6, -6)
        band_h = area.height() / len(LEVELS)
        half = area.width() / 2
        cx = area.center().x()
        bold = QFont(self.font())
        bold.setBold(True)
        for index, level in enumerate(LEVELS):  # 0: the base
            bottom = area.bottom() - index * band_h
            top = bottom - band_h
            # The sides run from the base's full width to a cut apex (room for a label).
            w_bottom = half * (1 - APEX * index / len(LEVELS))
            w_top = half * (1 - APEX * (index + 1) / len(LEVELS))
            shape = QPolygonF([QPointF(cx - w_bottom, bottom), QPointF(cx + w_bottom, bottom),
                               QPointF(cx + w_top, top), QPointF(cx - w_top, top)])
            chosen = level == self.selected
            painter.setPen(QPen(SELECTED if chosen else OUTLINE, 3 if chosen else 1))
            painter.setBrush(FILLS[level])
            painter.drawPolygon(shape)
            rows = self.placed.get(level, [])
            label = _(SHORT_RESPONSES[level])
            numbers = ", ".join(str(n) for n in rows) if rows else "—"
            room = QRectF(cx - half, top, 2 * half, band_h)
            painter.setPen(TEXT)
            painter.setFont(bold)
            painter.drawText(room.adjusted(0, 0, 0, -band_h / 2 + 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             label)
            painter.setFont(self.font())
            painter.drawText(room.adjusted(0, band_h / 2, 0, 0),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             numbers)
        painter.end()
