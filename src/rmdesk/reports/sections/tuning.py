"""E9 in the group output: the settings, the lane chart against expected shares, and the
workload arithmetic against capacity."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from rmdesk.domain.criteria import LANE_LABELS, LANES
from rmdesk.domain.tuning import RANDOM_LANES, Tuning, plan_workload, workload_from_run
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.reports.lane_chart import lane_chart


def section(builder: Any, exercise: Any) -> list[Flowable]:
    r, _, lang = builder.report, builder._, builder.lang
    data = r.exercise_work.get(exercise.id)
    if not data:
        return []
    tuning = Tuning.from_dict(data)

    def num(value: float) -> str:
        return format_number(round(value, 1), lang)

    def rate(value: float | None) -> str:
        return "—" if value is None else format_percent(value, lang, digits=1)

    story: list[Flowable] = builder.exercise_heading(exercise)
    rules = exercise.plan_rules()
    summary = workload_from_run(r.runs[-1]["metrics"], tuning, rules) if r.runs else None
    loads = {load.lane: load for load in summary.lanes} if summary else {}
    rows = [[builder.p(escape(t), builder.s.cell_bold) for t in (
        _("Lane"), _("Expected share"), _("Random rate"), _("Share in the last run"),
        _("Workload per declaration"), _("Workload per item"), _("Workload"))]]
    for lane in reversed(LANES):
        load = loads.get(lane)
        rows.append([builder.cell(_(LANE_LABELS[lane])),
                     builder.cell(rate(tuning.expected.get(lane))),
                     builder.cell(rate(tuning.random_rates.get(lane))
                                  if lane in RANDOM_LANES else "—"),
                     builder.cell(rate(load.share) if load else "—"),
                     builder.cell(num(tuning.per_declaration.get(lane, 0.0))),
                     builder.cell(num(tuning.per_item.get(lane, 0.0))),
                     builder.cell(num(load.workload) if load else "—")])
    story.append(builder.table(rows, builder.cols(1.8, 0.9, 0.9, 0.9, 1, 0.9, 0.9)))
    story.append(builder.p(escape(_("Minimum random rate: {rate}.").format(
        rate=rate(tuning.min_random_rate)))))
    if tuning.expected:
        plan = plan_workload(tuning, rules)
        story.append(builder.p(escape(_(
            "Your plan for {declarations} declarations a year needs {total} workload units "
            "for a capacity of {capacity}: {share} used.").format(
                declarations=num(rules.yearly_declarations), total=num(round(plan.total)),
                capacity=num(plan.capacity), share=rate(plan.utilisation))),
            builder.s.info_label))
    if summary is None:
        story.append(builder.p(escape(_("No targeting run yet: the workload is computed "
                                        "from the last E8 run."))))
        return story
    if summary.capacity:
        name = r.runs[-1].get("dataset_name")
        text = (_("Last E8 run, on the {declarations} declarations of “{name}”:").format(
            declarations=num(summary.declarations), name=name) if name else
            _("Last E8 run, on {declarations} sample declarations:").format(
                declarations=num(summary.declarations))) + " " + _(
            "Total workload {total} for a capacity of {capacity}: {share} used.").format(
            total=num(summary.total), capacity=num(round(summary.capacity)),
            share=rate(summary.utilisation))
        if summary.utilisation and summary.utilisation > 1:
            text += " " + _("Over capacity.")
    else:
        text = _("Total workload {total}.").format(total=num(summary.total))
    story.append(builder.p(escape(text), builder.s.info_label))
    story += builder.heading(_("Declarations per lane"), top=False)
    story.append(lane_chart({load.lane: load.declarations for load in summary.lanes},
                            tuning.expected,
                            builder.width, builder.font, _,
                            lambda count, share: f"{format_number(count, lang)} ({rate(share)})"))
    return story
