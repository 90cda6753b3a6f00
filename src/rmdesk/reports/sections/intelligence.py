"""E15 in the group output: the grades, the collation, the intelligence product, the
profile with what the engine made of it, the targeting centre, and the feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Spacer

from rmdesk.content.pack import Exercise
from rmdesk.domain.criteria import LANE_LABELS, OPERATORS, render_issue
from rmdesk.domain.declaration_fields import FIELD_BY_NAME
from rmdesk.domain.intelligence import (
    CENTRE_FUNCTIONS,
    CONFIDENCE,
    IntelligenceWork,
    ItemKey,
    check_intelligence,
    renderer,
    run_profile,
)
from rmdesk.domain.register import RISK_AREAS
from rmdesk.i18n.formatting import format_date
from rmdesk.reports.sections.answer_helpers import escape_text


def _sample_table() -> Any:
    from rmdesk.services.targeting import builtin_table  # cached; generated on first use

    return builtin_table()


def _date(iso: str, lang: str) -> str:
    try:
        return format_date(dt.date.fromisoformat(iso), lang, "medium")
    except ValueError:
        return iso.strip() or "—"


def _rows_table(builder: Any, headings: list[str], rows: list[list[str]],
                weights: tuple[float, ...]) -> Flowable:
    head = [builder.p(escape(h), builder.s.head) for h in headings]
    body = [[builder.p(escape(r[0].strip()) or "—", builder.s.cell_bold)]
            + [builder.cell(v or "—") for v in r[1:]] for r in rows]
    return builder.table([head, *body], builder.cols(*weights))


def section(builder: Any, exercise: Exercise) -> list[Flowable]:
    _, lang, s = builder._, builder.lang, builder.s
    work = IntelligenceWork.from_dict(builder.report.exercise_work.get(exercise.id, {}))
    if work.is_empty():
        return []
    story: list[Flowable] = builder.exercise_heading(exercise)

    story += builder.heading(_("Grades (4×4: source reliability A–D, information 1–4)"),
                             top=False)
    rows = []
    for item in exercise.intel_items:
        grading = work.grading(item.id)
        rows.append([item.id, item.kind.get(lang), item.source.get(lang),
                     grading.code() if grading.source or grading.info else "",
                     grading.note])
    story.append(_rows_table(builder, [_("Report no."), _("Type"), _("Source"), _("Grade"),
                                       _("Note")], rows, (0.5, 1.2, 3.0, 0.55, 2.2)))

    collations = [c for c in work.collations if c.title.strip() or c.items.strip()]
    if collations:
        story += builder.heading(_("Collation"), top=False)
        story.append(_rows_table(builder, [_("Collation"), _("Report nos."), _("Note")],
                                 [[c.title, c.items.strip(), c.note]
                                  for c in collations], (2, 2, 3)))

    product = work.product
    story += builder.heading(_("Intelligence product"), top=False)
    story.append(builder.p(escape_text(product.assessment) or "—"))
    judgements = product.judgement_lines()
    if judgements:
        label = escape(_("Key judgements:"))
        story.append(builder.p(f"<b>{label}</b>"))
        story += [builder.p("• " + escape_text(line)) for line in judgements]
    if product.confidence:
        story.append(builder.p(f"<b>{escape(_(CONFIDENCE[product.confidence]))}</b>"))
    if product.gaps.strip():
        label = escape(_("Gaps to fill:"))
        story.append(builder.p(f"<b>{label}</b> {escape_text(product.gaps)}"))

    profile = work.profile
    story += builder.heading(_("Profile for E7"), top=False)
    conditions = []
    for c in profile.conditions:
        spec = FIELD_BY_NAME.get(c.field)
        op = OPERATORS.get(c.op)
        value = c.value or (f"{c.low} – {c.high}" if c.low or c.high else "")
        text = " ".join(p for p in (_(spec.label) if spec else "", _(op.label) if op else c.op,
                                    value) if p)
        conditions.append((_("not") + " " if c.negate else "") + text)
    joiner = " " + (_("AND") if profile.combinator == "and" else _("OR")) + " "
    details = [
        (_("Profile title:"), profile.title),
        (_("Risk area:"), _(RISK_AREAS[profile.area]) if profile.area in RISK_AREAS else ""),
        (_("Lane:"), _(LANE_LABELS[profile.lane]) if profile.lane in LANE_LABELS else ""),
        (_("Action:"), profile.action),
        (_("Conditions:"), joiner.join(conditions)),
        (_("Rests on reports:"), profile.based_on.strip()),  # as typed: text stays text
        (_("Activation:"), _date(profile.activation_date, lang)),
        (_("Review:"), _date(profile.review_date, lang)),
    ]
    story.append(builder.table(
        [[builder.p(escape(k), s.cell_bold), builder.cell(v or "—")] for k, v in details],
        builder.cols(1.3, 5)))

    centre = work.centre
    story += builder.heading(_("Targeting centre"), top=False)
    story.append(_rows_table(builder, [_("Function"), _("How the centre covers it")],
                             [[_(label), centre.functions.get(key, "")]
                              for key, label in CENTRE_FUNCTIONS.items()], (2, 5)))
    for headings, rows, weights in (
        ([_("Agency"), _("Role"), _("People")],
         [[r.agency, r.role, r.people] for r in centre.staffing], (3, 3, 1)),
        ([_("Shift"), _("Start"), _("End"), _("Staff")],
         [[r.name, r.start, r.end, r.staff] for r in centre.shifts], (3, 1, 1, 1)),
        ([_("Output"), _("Sent to"), _("When")],
         [[r.output, r.recipient, r.timing] for r in centre.outputs], (3, 3, 2)),
        ([_("KPI"), _("Formula"), _("Target"), _("Frequency")],
         [[r.name, r.formula, r.target, r.frequency] for r in centre.kpis], (3, 3, 2, 1.3)),
    ):
        if rows:
            story.append(Spacer(1, 6))
            story.append(_rows_table(builder, headings, rows, weights))

    keys = [ItemKey(i.id, i.expected_source, i.expected_info, i.one_step_ok)
            for i in exercise.intel_items]
    run = run_profile(profile, _sample_table, lang)
    day = builder.report.end_date or builder.report.start_date
    e7 = builder.report.pack.exercise("profile")
    findings = check_intelligence(work, keys, run, lambda i: render_issue(i, _), day,
                                  e7.profile_limits() if e7 is not None else None)
    story += builder.heading(_("Feedback"), top=False)
    story.append(builder._findings(findings, lambda f, t, _pct: renderer(lang, t)(f)))
    return story
