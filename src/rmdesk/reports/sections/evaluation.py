"""E4 in the group output: the ranked list with the appetite line and the decisions."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, TableStyle

from rmdesk.domain.evaluation import (
    DECISIONS,
    Evaluation,
    appetite_line,
    check_evaluation,
    ranked,
    render_evaluation_finding,
    tolerance_text,
)
from rmdesk.reports.heatmap import level_fill, level_name, level_of, level_text_color
from rmdesk.reports.sections.answer_helpers import escape_text, findings_block

DEFAULT_MAX_ACCEPTED = 9
LINE_FILL = colors.HexColor("#333333")  # reads as a black band on any printer


def section(b: Any, exercise: Any) -> list[Flowable]:
    data = b.report.exercise_work.get(exercise.id)
    if not data:
        return []
    _, s, r = b._, b.s, b.report
    appetite = exercise.appetite
    maximum = appetite.max_accepted_score if appetite else DEFAULT_MAX_ACCEPTED
    from rmdesk.content.pack import appetite_rule

    rule = appetite_rule(exercise)
    by_area = rule.by_area()  # a tolerance column, and the line drawn by area
    rows = ranked(Evaluation.from_dict(data), r.risks)
    story: list[Flowable] = b.exercise_heading(exercise)
    if appetite:
        story.append(b.p("<b>" + escape_text(_("Risk appetite:")) + "</b> "
                         + escape_text(appetite.statement.get(b.lang))))
    story.append(b.p(escape_text(tolerance_text(rule, _) if by_area else _(
        "Risks scoring above {maximum} exceed the appetite: they may not be accepted."
    ).format(maximum=maximum)), s.small))
    if not rows:
        story.append(b.p(escape_text(_("The register is empty: no risk has been entered "
                                       "yet."))))
        return story

    line = appetite_line(rows, maximum, rule)
    header = [b.p(escape_text(t), s.head) for t in (
        _("Rank"), _("ID"), _("Event"), _("Score"), *([_("Tolerance")] if by_area else []),
        _("Decision"), _("Reason"), _("Escalation"))]
    table_rows: list[list[object]] = [header]
    commands: list[tuple[object, ...]] = [("ALIGN", (0, 1), (0, -1), "CENTER")]
    band_style = ParagraphStyle("appetite_band", parent=s.level, textColor=colors.white)

    def add_line() -> None:
        at = len(table_rows)
        if by_area:
            text = (_("▲ Above this line: exceed the tolerance of their area ▲") if line
                    else _("No risk exceeds the tolerance of its area"))
        else:
            text = (_("▲ Above this line: exceed the appetite (score above {maximum}) ▲")
                    if line else
                    _("No risk exceeds the appetite (at most {maximum} may be accepted)"))
        table_rows.append([b.p(escape_text(text.format(maximum=maximum)), band_style)]
                          + [""] * (len(header) - 1))
        commands.extend([
            ("SPAN", (0, at), (-1, at)),
            ("BACKGROUND", (0, at), (-1, at), LINE_FILL),
            ("LINEABOVE", (0, at), (-1, at), 1.5, colors.black),
            ("LINEBELOW", (0, at), (-1, at), 1.5, colors.black),
        ])

    for index, row in enumerate(rows):
        if index == line:
            add_line()
        level = level_of(r.bands, row.score)
        at = len(table_rows)
        if level:
            commands.append(("BACKGROUND", (3, at), (3, at), level_fill(level)))
            ink = ParagraphStyle("ink", parent=s.level, textColor=level_text_color(level))
            score = b.p(escape_text(f"{row.score} · {level_name(level, _)}"), ink)
        else:
            score = b.p("—", s.level)
        decision = row.decision.decision
        table_rows.append([
            b.p(str(index + 1), s.level),
            b.p(escape_text(row.code), s.cell_bold),
            b.cell(row.risk.event),
            score,
            *([b.p(escape_text(_("≤ {maximum}").format(maximum=rule.max_for(row.risk.area))),
                   s.level)]
              if by_area else []),
            b.p(escape_text(_(DECISIONS[decision])) if decision in DECISIONS else "—",
                s.cell_bold),
            b.cell(row.decision.reason if not row.decision.order_reason.strip() else
                   f"{row.decision.reason}\n{_('Why this rank')}: "
                   f"{row.decision.order_reason}".strip()),
            b.cell(row.decision.escalation),
        ])
    if line == len(rows):
        add_line()
    widths = (0.75, 0.6, 2.4, 1.1, *((0.6,) if by_area else ()), 0.9, 2.35, 1.6)
    table = b.table(table_rows, b.cols(*widths))
    table.setStyle(TableStyle(commands))
    story.append(table)
    story += findings_block(b, check_evaluation(rows, maximum, rule),
                            lambda f, tr: render_evaluation_finding(f, tr))
    return story
