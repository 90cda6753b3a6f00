"""E13 in the group output: the population and strata with their sizes, samples and
findings, the sample-size arithmetic, the estimates with their confidence intervals, the
E8 hit rate they are compared with, the interpretation and the automatic feedback. The
figures are recomputed from the stored design (the draw is seeded), like on the page."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from rmdesk.content.pack import Exercise
from rmdesk.domain.compliance_survey import (
    ALLOCATION_NAMES,
    STRATIFY_BY,
    ComplianceSurvey,
    check_survey,
    design,
    estimate,
)
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.reports.sections.answer_helpers import escape_text


def _hit_rate(runs: list[dict[str, Any]]) -> float | None:
    metrics = runs[-1].get("metrics") if runs else None
    rate = metrics.get("hit_rate") if isinstance(metrics, dict) else None
    return float(rate) if isinstance(rate, int | float) else None


def section(builder: Any, exercise: Exercise) -> list[Flowable]:
    # The survey runs on the built-in declarations, cached by the service (as E7's does).
    from rmdesk.services.compliance_survey import builtin_population, format_money, renderer

    _, lang, r = builder._, builder.lang, builder.report
    survey = ComplianceSurvey.from_dict(r.exercise_work.get(exercise.id, {}))
    if survey.is_empty():
        return []
    population = builtin_population()
    planned = design(survey, population)
    result = estimate(survey, population) if survey.drawn else None

    def pct(value: float | None) -> str:
        return "—" if value is None else format_percent(value, lang, digits=1)

    def num(value: float | None) -> str:
        return "—" if value is None else format_number(value, lang)

    story: list[Flowable] = builder.exercise_heading(exercise)
    facts = [
        (_("Population:"), survey.population.strip() or "—"),
        (_("Strata by:"), _(STRATIFY_BY[survey.stratify_by])),
        (_("Allocation:"), _(ALLOCATION_NAMES[survey.allocation])),
    ]
    for label, value in facts:
        story.append(builder.p(f"<b>{escape(label)}</b> {escape_text(value)}"))

    head = [builder.p(escape(t), builder.s.head) for t in (
        _("Stratum"), _("Values it covers"), _("Declarations Nₕ"), _("Sample nₕ"),
        _("Non-compliant"), _("Rate"))]
    rows: list[list[object]] = [head]
    found = {i: s for i, s in enumerate(result.strata)} if result else {}
    for index, (typed, stratum) in enumerate(zip(survey.strata, planned.strata,
                                                 strict=True)):
        drawn = found.get(index)
        rows.append([builder.p(escape(typed.name.strip()) or "—", builder.s.cell_bold),
                     builder.cell(typed.values or "—"), builder.cell(num(stratum.population)),
                     builder.cell(num(typed.sample)),
                     builder.cell(num(drawn.found) if drawn else "—"),
                     builder.cell(pct(drawn.rate) if drawn else "—")])
    rows.append([builder.p(escape(_("Total")), builder.s.cell_bold), builder.cell(""),
                 builder.cell(num(planned.population)),
                 builder.cell(num(sum(s.sample or 0 for s in survey.strata))),
                 builder.cell(num(result.found) if result else "—"), builder.cell("")])
    story.append(builder.table(rows, builder.cols(1.6, 1.6, 1, 0.9, 0.9, 0.8)))

    story += builder.heading(_("Sample size"), top=False)
    lines = [
        _("Confidence {confidence} (z = {z}), margin of error {margin}, expected "
          "non-compliance {p}.").format(
            confidence=format_percent(survey.confidence, lang),
            z=format_number(planned.z, lang), margin=pct(survey.margin),
            p=pct(survey.anticipated)),
        _("Your n0: {typed} (z² × p(1 − p) ÷ e² gives {expected}).").format(
            typed=num(survey.n0),
            expected=num(round(planned.n0, 1)) if planned.n0 is not None else "—"),
        _("Your n after the correction: {typed} (with N = {population}: {expected}).").format(
            typed=num(survey.n), population=num(planned.population),
            expected=num(planned.n)),
    ]
    story += [builder.p(escape(line)) for line in lines]

    story += builder.heading(_("Estimate"), top=False)
    if result is None:
        story.append(builder.p(escape(_("The sample has not been drawn yet."))))
    else:
        story.append(builder.p(escape(_(
            "Estimated non-compliance: {rate} ({low} to {high}, {confidence} "
            "confidence).").format(rate=pct(result.rate), low=pct(result.rate_low),
                                   high=pct(result.rate_high),
                                   confidence=format_percent(survey.confidence, lang))),
            builder.s.info_label))
        story.append(builder.p(escape(_("Revenue at risk: {revenue} ({low} to {high}).").format(
            revenue=format_money(result.revenue, lang),
            low=format_money(result.revenue_low, lang),
            high=format_money(result.revenue_high, lang))), builder.s.info_label))
    hit_rate = _hit_rate(r.runs)
    story.append(builder.p(escape(
        _("Your last E8 run: hit rate {rate} of the items it selected.").format(
            rate=pct(hit_rate)) if hit_rate is not None
        else _("No E8 run yet to compare with."))))
    story += builder.heading(_("Interpretation"), top=False)
    story.append(builder.p(escape_text(survey.interpretation) or "—"))

    story += builder.heading(_("Feedback"), top=False)
    render = renderer(lang, _)
    story.append(builder._findings(check_survey(survey, population, hit_rate),
                                   lambda f, _t, _pct: render(f)))
    return story
