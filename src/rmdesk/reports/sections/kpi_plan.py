"""E10 in the group output: the KPI table, the variables, and the automatic feedback."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from rmdesk.content.pack import Exercise
from rmdesk.domain.kpi_plan import (
    FREQUENCIES,
    KPI_FIELD_LABELS,
    KPI_FIELDS,
    KpiPlan,
    check_kpi_plan,
    render_kpi_finding,
)

WEIGHTS = (1.35, 1.05, 1.15, 0.85, 0.75, 0.95, 1.1, 1.55)


def section(builder: Any, exercise: Exercise) -> list[Flowable]:
    _ = builder._
    plan = KpiPlan.from_dict(builder.report.exercise_work.get(exercise.id, {}))
    if plan.is_empty():
        return []
    story: list[Flowable] = builder.exercise_heading(exercise)
    rows: list[list[object]] = [[builder.p(escape(_(KPI_FIELD_LABELS[f])), builder.s.head)
                                 for f in KPI_FIELDS]]
    for kpi in plan.kpis:
        cells: list[object] = []
        for name in KPI_FIELDS:
            value = getattr(kpi, name)
            if name == "frequency":
                value = _(FREQUENCIES[value]) if value in FREQUENCIES else "—"
            if name == "name":
                cells.append(builder.p(escape(value.strip()) or "—", builder.s.cell_bold))
            else:
                cells.append(builder.cell(value or "—"))
        rows.append(cells)
    story.append(builder.table(rows, builder.cols(*WEIGHTS)))

    variables = [v for v in plan.variables if v.name.strip() or v.meaning.strip()]
    story += builder.heading(_("Variables the formulas may use"), top=False)
    if variables:
        rows = [[builder.p(escape(_("Variable")), builder.s.head),
                 builder.p(escape(_("Meaning")), builder.s.head)]]
        rows += [[builder.p(escape(v.name.strip()) or "—", builder.s.cell_bold),
                  builder.cell(v.meaning or "—")] for v in variables]
        story.append(builder.table(rows, builder.cols(1, 3.5)))
    else:
        story.append(builder.p(escape(_("No variable defined.")), builder.s.small))

    story += builder.heading(_("Feedback"), top=False)
    story.append(builder._findings(
        check_kpi_plan(plan, builder.lang), lambda f, t, _pct: render_kpi_finding(f, t)))
    return story
