"""E1 in the group output: the PESTLE and SWOT grids, stakeholders, objectives, criteria."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from rmdesk.domain.context_scan import (
    PESTLE,
    SWOT,
    ContextScan,
    check_context_scan,
    filled,
    render_context_finding,
)
from rmdesk.reports.sections.answer_helpers import escape_text, findings_block

GRID = colors.HexColor("#888888")
LABEL_FILL = colors.HexColor("#e4e4e4")


def _cell(b: Any, title: str, items: list[str]) -> list[Paragraph]:
    """A grid cell: its heading, then one bullet per item (or a dash when empty)."""
    lines = [b.p(escape_text(title), b.s.cell_bold)]
    entries = filled(items)
    lines += [b.p("• " + escape_text(item), b.s.cell) for item in entries] or [
        b.p("—", b.s.cell)]
    return lines


def _grid(rows: list[list[object]], widths: list[float], label_col: bool = False) -> Table:
    table = Table(rows, colWidths=widths)
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if label_col:
        commands += [("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                     ("VALIGN", (0, 0), (0, -1), "MIDDLE")]
    table.setStyle(TableStyle(commands))
    return table


def section(b: Any, exercise: Any) -> list[Flowable]:
    data = b.report.exercise_work.get(exercise.id)
    scan = ContextScan.from_dict(data)
    if not data or scan.is_empty():
        return []
    _, s = b._, b.s
    keys = list(PESTLE)
    pestle = [[_cell(b, _(PESTLE[k]), scan.pestle[k]) for k in keys[row * 3:row * 3 + 3]]
              for row in range(2)]
    swot = [
        [b.p(escape_text(_("Internal")), s.cell_bold),
         _cell(b, _(SWOT["strengths"]), scan.swot["strengths"]),
         _cell(b, _(SWOT["weaknesses"]), scan.swot["weaknesses"])],
        [b.p(escape_text(_("External")), s.cell_bold),
         _cell(b, _(SWOT["opportunities"]), scan.swot["opportunities"]),
         _cell(b, _(SWOT["threats"]), scan.swot["threats"])],
    ]
    grids: list[Flowable] = [
        *b.exercise_heading(exercise),
        b.p(escape_text(_("PESTLE")), s.h2),
        _grid(pestle, b.cols(1, 1, 1)),  # type: ignore[arg-type]
        b.p(escape_text(_("SWOT")), s.h2),
        _grid(swot, b.cols(0.7, 2, 2), label_col=True),  # type: ignore[arg-type]
    ]
    story: list[Flowable] = [KeepTogether(grids)]

    objectives = filled(scan.objectives)
    block: list[Flowable] = [b.p(escape_text(_("Objectives")), s.h2)]
    if objectives:
        block += [b.p(f"{i}. " + escape_text(text), s.body)
                  for i, text in enumerate(objectives, start=1)]
    else:
        block.append(b.p("—", s.small))
    block.append(b.p(escape_text(_("Risk criteria")), s.h2))
    block.append(b.p(escape_text(scan.risk_criteria) if scan.risk_criteria.strip() else "—",
                     s.body))
    story.append(KeepTogether(block))

    people = [p for p in scan.stakeholders if p.name.strip() or p.interest.strip()]
    if people:
        rows: list[list[object]] = [[b.p(escape_text(_("Stakeholder")), s.head),
                                     b.p(escape_text(_("Interests")), s.head)]]
        rows += [[b.cell(p.name), b.cell(p.interest)] for p in people]
        story += [b.p(escape_text(_("Stakeholders")), s.h2), b.table(rows, b.cols(1, 2.2))]

    story += findings_block(b, check_context_scan(scan),
                            lambda f, tr: render_context_finding(f, tr))
    return story
