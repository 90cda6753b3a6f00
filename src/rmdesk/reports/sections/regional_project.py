"""E11 in the group output: the project, a milestone chart with its dependencies, the
responsibilities, and the automatic feedback. The chart reads in black and white: bars
are grey with a black outline, late dependencies and reversed dates are dashed. Month
labels carry their year where it changes; milestone names wrap, never cut; every text
sits in the label column or above the grid, so no arrow crosses one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from babel.dates import format_skeleton
from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from rmdesk.content.pack import Exercise
from rmdesk.domain.regional_project import (
    FIELD_LABELS,
    RegionalProject,
    chart_span,
    check_regional_project,
    month_ticks,
    parse_date,
    render_project_finding,
    years_shown,
)
from rmdesk.i18n.formatting import format_date

ROW_H = 16.0
AXIS_H = 16.0
LABEL_SIZE = 7.0
BAR_FILL = colors.HexColor("#9a9a9a")
WINDOW_FILL = colors.HexColor("#f0f0f0")
GRID = colors.HexColor("#cccccc")
MUTED = colors.HexColor("#555555")
STRIPE = colors.HexColor("#f6f6f6")


def _date(iso: str, lang: str) -> str:
    day = parse_date(iso)
    return format_date(day, lang, "medium") if day else "—"


LEAD = 8.5  # line spacing of the label column


@dataclass
class _Row:
    """One milestone's row: its wrapped name (never cut) and a muted second line (the
    responsible administration, or "dates not set"), both in the label column so that no
    arrow or bar ever crosses a text."""

    bottom: float
    height: float
    lines: list[str]
    detail: list[str]

    @property
    def mid(self) -> float:
        return self.bottom + self.height / 2


def _rows(project: RegionalProject, font: str, label_w: float, not_set: str,
          top: float) -> list[_Row]:
    rows, y = [], top
    for m in project.milestones:
        lines = simpleSplit(project.milestone_label(m.id), font, LABEL_SIZE, label_w - 4) \
            or [""]
        partner = project.partner(m.responsible)
        detail_text = not_set if m.start_date is None or m.end_date is None else (
            partner.administration.strip() if partner else "")
        detail = simpleSplit(detail_text, font, LABEL_SIZE - 0.5, label_w - 4) \
            if detail_text else []
        height = max(ROW_H, (len(lines) + len(detail)) * LEAD + 5)
        y -= height
        rows.append(_Row(y, height, lines, detail))
    return rows


def milestone_chart(project: RegionalProject, lang: str, font: str, width: float,
                    not_set: str) -> Drawing | None:
    span = chart_span(project)
    if span is None or not project.milestones:
        return None
    first, last = span
    label_w = min(170.0, width * 0.34)
    layout = _rows(project, font, label_w, not_set, 0.0)
    body = -layout[-1].bottom
    height = AXIS_H + body + 4
    for row in layout:  # rows were laid from 0 downwards; shift them under the axis
        row.bottom += body + 4
    drawing = Drawing(width, height)
    left, right = label_w + 6, width - 4
    days = max(1, (last - first).days)

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - first).days / days

    chart_bottom, chart_top = 4.0, height - AXIS_H
    for n, row in enumerate(layout):
        if n % 2:  # every other row shaded, so a wrapped name reads with its bar
            drawing.add(Rect(0, row.bottom, width, row.height, fillColor=STRIPE,
                             strokeColor=None))
    window_start, window_end = parse_date(project.window_start), parse_date(project.window_end)
    if window_start and window_end and window_end >= window_start:
        x0, x1 = x(window_start), x(window_end + dt.timedelta(days=1))
        drawing.add(Rect(x0, chart_bottom, x1 - x0, chart_top - chart_bottom,
                         fillColor=WINDOW_FILL, strokeColor=None))
        for edge in (x0, x1):
            drawing.add(Line(edge, chart_bottom, edge, chart_top + 3,
                             strokeColor=MUTED, strokeWidth=0.6, strokeDashArray=[2, 2]))
    ticks = month_ticks(first, last, max_ticks=max(2, int((right - left) // 52)))
    shown_until = left - 4.0  # where the last month label ends
    for tick, with_year in zip(ticks, years_shown(ticks), strict=True):
        tx = x(tick)
        drawing.add(Line(tx, chart_bottom, tx, chart_top + 3, strokeColor=GRID,
                         strokeWidth=0.4))
        label = format_skeleton("yMMM" if with_year else "MMM", tick, locale=lang)
        label_w = stringWidth(label, font, LABEL_SIZE)
        lx = min(tx + 2, width - label_w)  # the last one ends at the edge, not off it
        if lx >= shown_until + 4:
            drawing.add(String(lx, chart_top + 5, label, fontName=font,
                               fontSize=LABEL_SIZE, fillColor=MUTED))
            shown_until = lx + label_w

    boxes: dict[str, tuple[float, float, _Row]] = {}  # id -> (x0, x1, row)
    for row, m in zip(layout, project.milestones, strict=True):
        text_y = row.bottom + row.height - LEAD
        for line in row.lines:
            drawing.add(String(2, text_y, line, fontName=font, fontSize=LABEL_SIZE))
            text_y -= LEAD
        for line in row.detail:
            drawing.add(String(2, text_y, line, fontName=font, fontSize=LABEL_SIZE - 0.5,
                               fillColor=MUTED))
            text_y -= LEAD
        start, end = m.start_date, m.end_date
        if start is None or end is None:
            continue
        x0 = x(min(start, end))
        x1 = max(x(max(start, end) + dt.timedelta(days=1)), x0 + 2)
        reversed_dates = end < start
        bar_h = ROW_H - 7
        drawing.add(Rect(x0, row.mid - bar_h / 2, x1 - x0, bar_h,
                         fillColor=None if reversed_dates else BAR_FILL,
                         strokeColor=colors.black, strokeWidth=0.6,
                         strokeDashArray=[2, 1.5] if reversed_dates else None))
        boxes[m.id] = (x0, x1, row)

    for m in project.milestones:
        if m.id not in boxes:
            continue
        tx0, _tx1, target = boxes[m.id]
        for dep in m.depends_on:
            if dep not in boxes:
                continue
            _sx0, sx1, source = boxes[dep]
            predecessor = project.milestone(dep)
            late = bool(predecessor and predecessor.end_date and m.start_date
                        and m.start_date < predecessor.end_date)
            sy, ty = source.mid, target.mid
            elbow = sx1 + 3
            if tx0 - 4 >= elbow:
                points = [sx1, sy, elbow, sy, elbow, ty, tx0 - 1, ty]
            else:  # starts before its predecessor ends: round along the row's edge, back
                edge = target.bottom + target.height if ty < sy else target.bottom
                points = [sx1, sy, elbow, sy, elbow, edge, tx0 - 4, edge, tx0 - 4, ty,
                          tx0 - 1, ty]
            drawing.add(PolyLine(points, strokeColor=colors.black, strokeWidth=0.6,
                                 strokeDashArray=[2, 1.5] if late else None))
            drawing.add(Polygon([tx0, ty, tx0 - 3.5, ty + 2, tx0 - 3.5, ty - 2],
                                fillColor=colors.black, strokeColor=None))
    return drawing


def section(builder: Any, exercise: Exercise) -> list[Flowable]:
    _, s, lang = builder._, builder.s, builder.lang
    project = RegionalProject.from_dict(builder.report.exercise_work.get(exercise.id, {}))
    if project.is_empty():
        return []
    story: list[Flowable] = builder.exercise_heading(exercise)

    window = "—"
    if project.window_start or project.window_end:
        window = f"{_date(project.window_start, lang)} – {_date(project.window_end, lang)}"
    info = [
        ("objective", project.objective), ("data_exchanged", project.data_exchanged),
        ("legal_basis", project.legal_basis), ("indicators", project.indicators),
        ("window", window), ("evaluation", project.evaluation),
    ]
    rows: list[list[object]] = [
        [builder.p(escape(_(FIELD_LABELS[key])), s.cell_bold), builder.cell(value or "—")]
        for key, value in info
    ]
    story.append(builder.table(rows, builder.cols(1, 4), header=False))

    chart = milestone_chart(project, lang, builder.font, builder.width, _("dates not set"))
    if chart is not None:
        note = builder.p(escape(_(
            "Shaded: the operation window. Arrows run from a milestone to those that wait "
            "for it; dashed arrows start before their predecessor ends.")), s.small)
        # The heading stays with the chart: a chart taller than the heading's own room
        # would otherwise leave the heading alone at the foot of a page.
        story.append(KeepTogether([builder.p(escape(_("Milestone chart")), s.h2), chart,
                                   Spacer(1, 3), note]))
    else:
        story += builder.heading(_("Milestone chart"), top=False)
        story.append(builder.p(escape(_("No milestone has dates yet.")), s.small))

    story += builder.heading(_("Responsibilities"), top=False)
    if project.milestones:
        head = ["#", _(FIELD_LABELS["title"]), _(FIELD_LABELS["start"]), _(FIELD_LABELS["end"]),
                _(FIELD_LABELS["responsible"]), _(FIELD_LABELS["depends_on"])]
        rows = [[builder.p(escape(h), s.head) for h in head]]
        for number, m in enumerate(project.milestones, start=1):
            partner = project.partner(m.responsible)
            rows.append([
                builder.p(f"M{number}", s.cell_bold), builder.cell(m.title or "—"),
                builder.cell(_date(m.start, lang)), builder.cell(_date(m.end, lang)),
                builder.cell(partner.administration if partner else "—"),
                builder.cell(", ".join(project.short_label(d) for d in m.depends_on) or "—"),
            ])
        story.append(builder.table(rows, builder.cols(0.45, 3, 1.25, 1.25, 2, 0.9)))
    partners = [p for p in project.partners if p.administration or p.contact or p.role]
    if partners:
        head = [_(FIELD_LABELS[f]) for f in ("administration", "contact", "role")]
        rows = [[builder.p(escape(h), s.head) for h in head]]
        rows += [[builder.p(escape(p.administration.strip()) or "—", s.cell_bold),
                  builder.cell(p.contact or "—"), builder.cell(p.role or "—")]
                 for p in partners]
        story += [Spacer(1, 6), builder.table(rows, builder.cols(2, 2, 3))]

    story += builder.heading(_("Feedback"), top=False)
    story.append(builder._findings(
        check_regional_project(project),
        lambda f, t, _pct: render_project_finding(
            f, t, lambda d: format_date(d, lang, "medium"))))
    return story
