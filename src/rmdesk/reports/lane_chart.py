"""Declarations per lane as a reportlab drawing: labelled bars with figures, readable in
greyscale (every bar carries its lane name and numbers), expected shares dashed."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from rmdesk.domain.criteria import LANE_LABELS, LANES

LANE_FILLS = {"green": "#3a9a4a", "blue": "#3b6fc4", "yellow": "#e0b400",
              "orange": "#e07b00", "red": "#c62f2f"}


def lane_chart(counts: dict[str, int], expected: dict[str, float], width: float, font: str,
               translate: Callable[[str], str], figures: Callable[[int, float], str]) -> Drawing:
    row_h, bar_h, label_w = 24.0, 9.0, width * 0.36
    bar_w = width - label_w - 90
    drawing = Drawing(width, row_h * len(LANES) + 4)
    total = sum(counts.values()) or 1
    for i, lane in enumerate(reversed(LANES)):
        y = drawing.height - (i + 1) * row_h
        share = counts.get(lane, 0) / total
        drawing.add(String(0, y + 7, translate(LANE_LABELS[lane]), fontName=font,
                           fontSize=8))
        drawing.add(Rect(label_w, y + 5, bar_w, bar_h, fillColor=colors.HexColor("#e6e6e6"),
                         strokeColor=None))
        drawing.add(Rect(label_w, y + 5, max(0.8, bar_w * share), bar_h,
                         fillColor=colors.HexColor(LANE_FILLS[lane]), strokeColor=None))
        if lane in expected:
            x = label_w + bar_w * min(1.0, expected[lane])
            drawing.add(Line(x, y + 2, x, y + 17, strokeColor=colors.black, strokeWidth=1.2,
                             strokeDashArray=[2, 1.5]))
        drawing.add(String(label_w + bar_w + 6, y + 7, figures(counts.get(lane, 0), share),
                           fontName=font, fontSize=8))
    return drawing
