"""E14 in the group output: the pyramid with the numbers of the segments on each level,
the table of placements (behaviour, response, measures, reason, E5 treatment) and the
automatic feedback. The bands are light grey shades with black outlines and their
response written in them, so the pyramid prints in black and white."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Polygon, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from rmdesk.content.pack import Exercise
from rmdesk.domain.compliance_pyramid import (
    BEHAVIOURS,
    LEVELS,
    SHORT_RESPONSES,
    CompliancePyramid,
    SegmentInfo,
    available_treatments,
    check_pyramid,
    render_pyramid_finding,
)
from rmdesk.domain.evaluation import Evaluation
from rmdesk.domain.treatment import TreatmentPlan
from rmdesk.reports.sections.answer_helpers import findings_block

SHADES = {"facilitate": "#f2f2f2", "assist": "#e0e0e0", "deter": "#cccccc",
          "enforce": "#b3b3b3"}
BAND_H = 26.0
APEX = 0.8  # the top is cut at a fifth of the base, so its label fits inside


def pyramid_drawing(placed: dict[str, list[int]], labels: dict[str, str], font: str,
                    bold: str, width: float) -> Drawing:
    """Four bands, base to top; each names its response and the segments' numbers."""
    base = min(width, 320.0)
    drawing = Drawing(width, BAND_H * len(LEVELS) + 4)
    cx = width / 2
    for index, level in enumerate(LEVELS):
        y = 2 + index * BAND_H
        w_bottom = base / 2 * (1 - APEX * index / len(LEVELS))
        w_top = base / 2 * (1 - APEX * (index + 1) / len(LEVELS))
        drawing.add(Polygon([cx - w_bottom, y, cx + w_bottom, y, cx + w_top, y + BAND_H,
                             cx - w_top, y + BAND_H],
                            fillColor=colors.HexColor(SHADES[level]),
                            strokeColor=colors.black, strokeWidth=0.8))
        numbers = ", ".join(str(n) for n in placed.get(level, [])) or "—"
        drawing.add(String(cx, y + BAND_H / 2 + 1, labels[level], fontName=bold,
                           fontSize=8, textAnchor="middle"))
        drawing.add(String(cx, y + 4, numbers, fontName=font, fontSize=7.5,
                           textAnchor="middle"))
    return drawing


def section(b: Any, exercise: Exercise) -> list[Flowable]:
    data = b.report.exercise_work.get(exercise.id)
    pyramid = CompliancePyramid.from_dict(data or {})
    if not pyramid.to_dict()["placements"]:
        return []
    _, s, r, lang = b._, b.s, b.report, b.lang
    segments = list(exercise.segments)
    e4, e5 = r.pack.exercise("evaluation"), r.pack.exercise("treatment")
    evaluation = Evaluation.from_dict(r.exercise_work.get(e4.id)) if e4 else None
    plan = TreatmentPlan.from_dict(r.exercise_work.get(e5.id) if e5 else {})
    treatments = available_treatments(r.risks, evaluation, plan)
    codes = {t.risk_id: t.code for t in treatments}

    story: list[Flowable] = b.exercise_heading(exercise)
    placed: dict[str, list[int]] = {level: [] for level in LEVELS}
    for number, segment in enumerate(segments, start=1):
        level = pyramid.placement(segment.id).level
        if level:
            placed[level].append(number)
    story.append(pyramid_drawing(placed, {lv: _(SHORT_RESPONSES[lv]) for lv in LEVELS},
                                 b.font, b.bold, b.width))

    head = [_("No."), _("Segment"), _("Behaviour (level)"), _("Response"), _("Measures"),
            _("Reason"), _("E5 treatment")]
    rows: list[list[object]] = [[b.p(escape(h), s.head) for h in head]]
    for number, segment in enumerate(segments, start=1):
        p = pyramid.placement(segment.id)
        link = codes.get(p.treatment, _("not in the E5 plan") if p.treatment else "—")
        rows.append([
            b.p(str(number), s.level),
            b.p(escape(segment.name.get(lang)), s.cell_bold),
            b.cell(_(BEHAVIOURS[p.level]) if p.level in BEHAVIOURS else "—"),
            b.cell(_(SHORT_RESPONSES[p.response]) if p.response in SHORT_RESPONSES else "—"),
            b.cell(p.measures or "—"),
            b.cell(p.reason or "—"),
            b.p(escape(link), s.cell_bold),
        ])
    story.append(b.table(rows, b.cols(0.35, 1.5, 1.3, 0.9, 2.2, 2.0, 0.8)))

    names = {seg.id: seg.name.get(lang) for seg in segments}
    story += findings_block(
        b, check_pyramid(pyramid, [SegmentInfo(seg.id, seg.aeo) for seg in segments],
                         treatments),
        lambda f, tr: render_pyramid_finding(f, tr, names))
    return story
