"""E5 in the group output: the treatment plan table and the before/after matrix."""

from __future__ import annotations

import math
from typing import Any

from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from rmdesk.content.pack import appetite_rule
from rmdesk.domain.answer_json import iso_date
from rmdesk.domain.evaluation import Evaluation
from rmdesk.domain.register import RiskEntry
from rmdesk.domain.scales import CONSEQUENCE_LABELS, LIKELIHOOD_LABELS, RiskBands
from rmdesk.domain.treatment import (
    OPTIONS,
    Move,
    TreatmentPlan,
    check_treatment,
    matrix_markers,
    matrix_moves,
    render_treatment_finding,
    risks_to_treat,
    slot_centre,
)
from rmdesk.i18n.formatting import format_date
from rmdesk.reports.fonts import register_fonts
from rmdesk.reports.heatmap import level_fill, level_of, level_text_color
from rmdesk.reports.sections.answer_helpers import escape_text, findings_block

_CELL_H = 40.0
_MAX_CELL_W = 70.0
_ROW_LABEL_W = 66.0
_AXIS_W = 14.0
_BOTTOM = 40.0
_MARKER_SIZE = 7.0
DARK = colors.HexColor("#111111")


def _position(likelihood: int | None, impact: int | None) -> str:
    return f"{likelihood}×{impact} = {likelihood * impact}" if likelihood and impact else "—"


def _date(value: str, lang: str) -> str:
    day = iso_date(value)
    return format_date(day, lang, fmt="medium") if day else (value.strip() or "—")


def _arrow(d: Drawing, x1: float, y1: float, x2: float, y2: float, stop: float) -> None:
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    tx, ty = x2 - ux * stop, y2 - uy * stop
    # A white halo under the black shaft keeps the arrow visible on dark cells.
    d.add(Line(x1, y1, tx, ty, strokeColor=colors.white, strokeWidth=2.8))
    d.add(Line(x1, y1, tx, ty, strokeColor=DARK, strokeWidth=1.1))
    head = 6.0
    bx, by = tx - ux * head, ty - uy * head
    d.add(Polygon([tx, ty, bx - uy * head / 2, by + ux * head / 2,
                   bx + uy * head / 2, by - ux * head / 2],
                  fillColor=DARK, strokeColor=colors.white, strokeWidth=0.6))


def _pill(d: Drawing, cx: float, cy: float, code: str, after: bool, font: str) -> float:
    width = stringWidth(code, font, _MARKER_SIZE) + 7
    height = _MARKER_SIZE + 5
    d.add(Rect(cx - width / 2, cy - height / 2, width, height, rx=height / 2, ry=height / 2,
               fillColor=colors.white if after else DARK,
               strokeColor=DARK if after else colors.white, strokeWidth=0.9))
    d.add(String(cx, cy - _MARKER_SIZE * 0.35, code, fontName=font, fontSize=_MARKER_SIZE,
                 fillColor=DARK if after else colors.white, textAnchor="middle"))
    return height


def matrix_drawing(moves: list[Move], bands: RiskBands, _: Any, width: float) -> Drawing:
    """The 5x5 grid with each risk now (dark) and its target (light), joined by arrows."""
    font, bold = register_fonts()
    legend_texts = (_("now (inherent)"), _("target (residual)"))
    legend_w = 30 + max(stringWidth(t, font, 7.5) for t in legend_texts)
    x0 = _AXIS_W + _ROW_LABEL_W + 6
    cell_w = min(_MAX_CELL_W, (width - x0 - 16 - legend_w) / 5)
    grid_h = 5 * _CELL_H
    d = Drawing(width, _BOTTOM + grid_h + 4, initialFontName=font)
    y0 = _BOTTOM
    for likelihood in range(1, 6):
        for consequence in range(1, 6):
            x, y = x0 + (consequence - 1) * cell_w, y0 + (likelihood - 1) * _CELL_H
            level = level_of(bands, likelihood * consequence)
            d.add(Rect(x, y, cell_w, _CELL_H, fillColor=level_fill(level),
                       strokeColor=colors.black, strokeWidth=0.6))
            d.add(String(x + cell_w - 2.5, y + _CELL_H - 7.5, str(likelihood * consequence),
                         fontName=font, fontSize=6, fillColor=level_text_color(level),
                         textAnchor="end"))
    centres: dict[tuple[str, bool], tuple[float, float]] = {}
    markers = matrix_markers(moves)
    for m in markers:
        likelihood, consequence = m.cell
        fx, fy = slot_centre(m.slot, m.slots)
        centres[(m.code, m.after)] = (x0 + (consequence - 1 + fx) * cell_w,
                                      y0 + (likelihood - fy) * _CELL_H)
    for move in moves:
        start, end = centres.get((move.code, False)), centres.get((move.code, True))
        if start and end:
            _arrow(d, *start, *end, stop=_MARKER_SIZE)
    for m in markers:
        _pill(d, *centres[(m.code, m.after)], m.code, m.after, bold)

    for likelihood in range(1, 6):
        label = simpleSplit(_(LIKELIHOOD_LABELS[likelihood]), font, 7, _ROW_LABEL_W - 4)
        lines = [(str(likelihood), bold, 8.0)] + [(t, font, 7.0) for t in label]
        top = y0 + (likelihood - 0.5) * _CELL_H + len(lines) * 9 / 2 - 7
        for i, (text, face, size) in enumerate(lines):
            d.add(String(x0 - 4, top - i * 9, text, fontName=face, fontSize=size,
                         textAnchor="end"))
    for consequence in range(1, 6):
        cx = x0 + (consequence - 0.5) * cell_w
        label = simpleSplit(_(CONSEQUENCE_LABELS[consequence]), font, 7, cell_w - 2)[:2]
        lines = [(str(consequence), bold, 8.0)] + [(t, font, 7.0) for t in label]
        for i, (text, face, size) in enumerate(lines):
            d.add(String(cx, y0 - 9 - i * 8.5, text, fontName=face, fontSize=size,
                         textAnchor="middle"))
    d.add(String(x0 + 2.5 * cell_w, 2, _("Consequence"), fontName=bold, fontSize=9,
                 textAnchor="middle"))
    title = Group(String(0, 0, _("Likelihood"), fontName=bold, fontSize=9,
                         textAnchor="middle"))
    title.transform = (0, 1, -1, 0, 9, y0 + grid_h / 2)
    d.add(title)
    lx, ly = x0 + 5 * cell_w + 16, y0 + grid_h - 12
    for i, (after, text) in enumerate(((False, legend_texts[0]), (True, legend_texts[1]))):
        _pill(d, lx + 10, ly - i * 18 + 3, "R", after, bold)
        d.add(String(lx + 22, ly - i * 18, text, fontName=font, fontSize=7.5))
    return d


def section(b: Any, exercise: Any) -> list[Flowable]:
    data = b.report.exercise_work.get(exercise.id)
    if not data:
        return []
    _, s, r = b._, b.s, b.report
    plan = TreatmentPlan.from_dict(data)
    e4 = r.pack.exercise("evaluation")
    evaluation = Evaluation.from_dict(r.exercise_work.get(e4.id)) if e4 else None
    risks: list[RiskEntry] = risks_to_treat(r.risks, evaluation)
    story: list[Flowable] = b.exercise_heading(exercise)
    if not risks:
        story.append(b.p(escape_text(_("No risk to treat."))))
        return story
    header = [b.p(escape_text(t), s.head) for t in (
        _("ID"), _("Option"), _("Actions"), _("Owner"), _("Start – due"), _("Resources"),
        _("Now → target"), _("KPI"))]
    rows: list[list[object]] = [header]
    for risk in risks:
        row = plan.row(risk.id)
        target = row.residual(risk)
        rows.append([
            b.p(escape_text(risk.code or "?"), s.cell_bold),
            b.p(escape_text(_(OPTIONS[row.option])) if row.option in OPTIONS else "—",
                s.cell_bold),
            b.cell(row.actions),
            b.cell(row.owner),
            b.cell(f"{_date(row.start, b.lang)} –\n{_date(row.due, b.lang)}"),
            b.cell(row.resources),
            b.cell(f"{_position(risk.likelihood, risk.impact)} →\n"
                   f"{_position(*target) if target else '—'}"),
            b.cell(row.kpi),
        ])
    story.append(b.table(rows, b.cols(0.5, 0.95, 2.1, 1.15, 1.15, 1.3, 1.05, 1.5)))
    story.append(KeepTogether([
        *b.heading(_("Before and after treatment"), top=False),
        matrix_drawing(matrix_moves(risks, plan), r.bands, _, b.width),
        Spacer(1, 2),
    ]))
    story += findings_block(
        b, check_treatment(risks, plan, appetite_rule(e4), from_e4=evaluation is not None
                           and evaluation.has_decisions(r.risks)),
        lambda f, tr: render_treatment_finding(f, tr, lambda d: format_date(d, b.lang,
                                                                            fmt="medium")))
    return story
