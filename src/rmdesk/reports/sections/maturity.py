"""E12 in the group output: a radar chart of the levels, the table of levels with
evidence and next steps, and the automatic feedback. The chart is grey with black lines
and numbered rings, so it prints in black and white."""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from rmdesk.content.pack import Exercise
from rmdesk.domain.maturity import (
    LEVELS,
    MaturityAssessment,
    check_maturity,
    render_maturity_finding,
)
from rmdesk.i18n.formatting import format_number

SIZE = 7.5
RING = colors.HexColor("#bbbbbb")
FILL = colors.HexColor("#c8c8c8")
MUTED = colors.HexColor("#555555")


def _fit(text: str, font: str, width: float) -> str:
    if stringWidth(text, font, SIZE) <= width:
        return text
    while text and stringWidth(text + "…", font, SIZE) > width:
        text = text[:-1]
    return text + "…"


def maturity_chart(axes: list[tuple[str, int | None]], font: str, width: float) -> Drawing:
    """A radar chart for three or more dimensions, horizontal bars otherwise."""
    top = LEVELS[-1]
    if len(axes) < 3:
        label_w = min(160.0, width * 0.35)
        height = 16 + len(axes) * 18
        drawing = Drawing(width, height)
        left, right = label_w + 6, width - 10
        for level in range(0, top + 1):
            gx = left + (right - left) * level / top
            drawing.add(Line(gx, 0, gx, height - 12, strokeColor=RING, strokeWidth=0.4))
            drawing.add(String(gx, height - 9, str(level), fontName=font, fontSize=SIZE,
                               textAnchor="middle", fillColor=MUTED))
        for row, (label, level) in enumerate(axes):
            base = height - 16 - (row + 1) * 18
            drawing.add(String(0, base + 5, _fit(label, font, label_w), fontName=font,
                               fontSize=SIZE))
            if level:
                drawing.add(Rect(left, base + 2, (right - left) * level / top, 12,
                                 fillColor=FILL, strokeColor=colors.black, strokeWidth=0.6))
        return drawing

    n = len(axes)
    radius, pad = 80.0, 20.0
    # Fit the height to the polygon: a triangle needs less room below its centre.
    lowest = min(math.sin(math.pi / 2 - 2 * math.pi * i / n) for i in range(n))
    height = radius * (1 - lowest) + 2 * pad
    drawing = Drawing(width, height)
    cx, cy = width / 2, pad + radius * -lowest

    def point(i: int, level: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * i / n
        r = radius * level / top
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for level in LEVELS:
        ring = [c for i in range(n) for c in point(i, level)]
        drawing.add(Polygon(ring, fillColor=None, strokeColor=RING, strokeWidth=0.5))
        lx, ly = point(0, level)
        drawing.add(String(lx + 2, ly - 7, str(level), fontName=font, fontSize=SIZE - 1,
                           fillColor=MUTED))
    room = (width - 2 * radius) / 2 - 16
    for i, (label, _level) in enumerate(axes):
        ex, ey = point(i, top)
        drawing.add(Line(cx, cy, ex, ey, strokeColor=RING, strokeWidth=0.5))
        lx, ly = point(i, top + 0.45)
        text = _fit(label, font, room)
        anchor = "middle" if abs(lx - cx) < 4 else ("end" if lx < cx else "start")
        drawing.add(String(lx, ly - SIZE / 3, text, fontName=font, fontSize=SIZE,
                           textAnchor=anchor))
    if any(level for _l, level in axes):
        shape = [c for i, (_l, level) in enumerate(axes) for c in point(i, level or 0)]
        drawing.add(Polygon(shape, fillColor=FILL, strokeColor=colors.black,
                            strokeWidth=1.0))
        for i, (_l, level) in enumerate(axes):
            if level:
                px, py = point(i, level)
                drawing.add(Circle(px, py, 2, fillColor=colors.black, strokeColor=None))
    return drawing


def section(builder: Any, exercise: Exercise) -> list[Flowable]:
    _, s, lang = builder._, builder.s, builder.lang
    assessment = MaturityAssessment.from_dict(
        builder.report.exercise_work.get(exercise.id, {}))
    if not assessment.to_dict()["ratings"]:
        return []
    dimensions = exercise.dimensions
    story: list[Flowable] = builder.exercise_heading(exercise)
    axes = [(d.name.get(lang), assessment.level(d.id)) for d in dimensions]
    story.append(maturity_chart(axes, builder.font, builder.width))

    head = [_("Dimension"), _("Level"), _("Evidence"), _("Next step")]
    rows: list[list[object]] = [[builder.p(escape(h), s.head) for h in head]]
    for d in dimensions:
        rating = assessment.ratings.get(d.id)
        level = rating.level if rating else None
        if level in LEVELS:
            markup = f"<b>{level}</b> · {escape(d.levels[level - 1].get(lang))}"
        else:
            markup = escape(_("not rated"))
        rows.append([
            builder.p(escape(d.name.get(lang)), s.cell_bold), builder.p(markup, s.cell),
            builder.cell((rating.evidence if rating else "") or "—"),
            builder.cell((rating.next_step if rating else "") or "—"),
        ])
    story.append(builder.table(rows, builder.cols(1.3, 2.4, 2.2, 2)))

    names = {d.id: d.name.get(lang) for d in dimensions}
    story += builder.heading(_("Feedback"), top=False)
    story.append(builder._findings(
        check_maturity(assessment, [d.id for d in dimensions]),
        lambda f, t, _pct: render_maturity_finding(
            f, t, names, lambda v: format_number(v, lang))))
    return story
