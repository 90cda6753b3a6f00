"""E8 in the group output: the latest run's confusion matrix, metrics against a random
selection at the same rate, hits per criterion and the lane chart; earlier runs listed."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from rmdesk.domain.criteria import LANE_LABELS
from rmdesk.i18n.formatting import format_date, format_number, format_percent
from rmdesk.reports.lane_chart import lane_chart


def section(builder: Any, exercise: Any) -> list[Flowable]:
    r, _, lang = builder.report, builder._, builder.lang
    if not r.runs:
        return []
    m: dict[str, Any] = r.runs[-1]["metrics"]

    def num(value: object) -> str:
        return format_number(value, lang) if isinstance(value, int | float) else "—"

    def rate(value: object) -> str:
        return format_percent(float(value), lang, digits=1) if isinstance(
            value, int | float) else "—"

    def head(*texts: str) -> list[object]:
        return [builder.p(escape(t), builder.s.cell_bold) for t in texts]

    story: list[Flowable] = builder.exercise_heading(exercise)
    declarations = sum(int(e.get("declarations", e.get("rows", 0))) for e in m.get("lanes", []))
    story.append(builder.p(escape(_("Latest run: {date}, {rows} items in {declarations} "
                                    "declarations.").format(
        date=format_date(r.runs[-1]["created_at"].date(), lang), rows=num(m.get("rows")),
        declarations=num(declarations)))))
    c = m.get("confusion") or {}
    story += builder.heading(_("Confusion matrix (items)"), top=False)
    story.append(builder.table([
        head("", _("Non-compliant"), _("Compliant")),
        [builder.cell(_("Selected")), builder.cell(num(c.get("tp"))),
         builder.cell(num(c.get("fp")))],
        [builder.cell(_("Not selected")), builder.cell(num(c.get("fn"))),
         builder.cell(num(c.get("tn")))],
    ], builder.cols(1.4, 1, 1)))
    lift = m.get("lift")
    story += builder.heading(_("Your criteria against a random selection"), top=False)
    story.append(builder.table([
        head(_("Measure"), _("Your criteria"), _("Random, same rate")),
        *[[builder.cell(label), builder.cell(a), builder.cell(b)] for label, a, b in (
            (_("Selection rate (items)"), rate(m.get("selection_rate")),
             rate(m.get("selection_rate"))),
            (_("Hit rate"), rate(m.get("hit_rate")), rate(m.get("random_hit_rate"))),
            (_("Detection rate"), rate(m.get("detection_rate")),
             rate(m.get("random_detection_rate"))),
            (_("Times better than random"),
             num(round(lift, 1)) if isinstance(lift, int | float) else "—", num(1)),
            (_("Examiner workload"), num(round((m.get("workload") or {}).get("total", 0))),
             ""),
        )],
    ], builder.cols(1.6, 1, 1)))
    criteria = m.get("criteria") or []
    if criteria:
        story += builder.heading(_("Results per criterion"), top=False)
        rows = [head(_("Criterion"), _("Lane"), _("Items selected"),
                     _("Non-compliant items found"), _("Hit rate"),
                     _("Items whose lane it set"))]
        for crit in criteria:
            lane = crit.get("lane", "")
            rows.append([builder.cell(crit.get("name", "")),
                         builder.cell(_(LANE_LABELS[lane]) if lane in LANE_LABELS else lane),
                         builder.cell(num(crit.get("hits"))), builder.cell(num(crit.get("finds"))),
                         builder.cell(rate(crit.get("hit_rate"))),
                         builder.cell(num(crit.get("decided")))])
        story.append(builder.table(rows, builder.cols(2.2, 1.6, 0.9, 1.1, 0.8, 0.9)))
    story += builder.heading(_("Declarations per lane"), top=False)
    story.append(lane_chart(
        {e["lane"]: e.get("declarations", e["rows"]) for e in m.get("lanes", [])}, {},
        builder.width, builder.font,
        _, lambda count, share: f"{num(count)} ({rate(share)})"))
    if len(r.runs) > 1:
        story += builder.heading(_("All runs"), top=False)
        rows = [head(_("Run"), _("Date"), _("Selection rate (items)"), _("Hit rate"),
                     _("Detection rate"))]
        for number, run in enumerate(r.runs, start=1):
            rm = run["metrics"]
            rows.append([builder.cell(str(number)),
                         builder.cell(format_date(run["created_at"].date(), lang, "short")),
                         builder.cell(rate(rm.get("selection_rate"))),
                         builder.cell(rate(rm.get("hit_rate"))),
                         builder.cell(rate(rm.get("detection_rate")))])
        story.append(builder.table(rows, builder.cols(0.6, 1.4, 1, 1, 1)))
    return story
