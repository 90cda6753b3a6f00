"""The debrief part of the workshop report: what the groups decided, side by side.

Every table aggregates (counts over the groups, "7/30"), so it reads the same at 3 groups
as at 30: E4 decisions per risk the groups share (matched as the overlay matches them:
by meaning, with the facilitator's confirmations), the E6 indicators chosen, the E8
results, the E12 maturity levels per dimension, and E13-E16 summed up (the figures come
from domain/debrief_figures.py).
"""

from __future__ import annotations

import statistics
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from rmdesk.domain.comparison import MATCH_CODE
from rmdesk.domain.evaluation import ACCEPT, TREAT, Evaluation
from rmdesk.domain.maturity import LEVELS, MaturityAssessment
from rmdesk.i18n import ngettext_matching
from rmdesk.reports.group_output import _table, exercise_title


def _exercise(parts: Any, kind: str) -> Any:
    return next((e for e in parts.report.pack.exercises if e.kind == kind), None)


def risk_text(report: Any, risk: Any) -> str:
    """A shared risk named by what it is: its short event text, the IDs the groups gave it
    ("R6, R2") and ✓ when the facilitator confirmed the match."""
    codes = ", ".join(risk.codes[:3]) + ("…" if len(risk.codes) > 3 else "")
    mark = " ✓" if risk.confirmed else ""
    return f"{risk.label} ({codes}){mark}" if codes else f"{risk.label}{mark}"


def matching_note(overlay: Any, _: Any) -> str:
    """How the risks were matched, so nobody reads an ID match as agreement."""
    if overlay.match_by == MATCH_CODE:
        return _("Risks are matched by ID: one ID may name different risks in different "
                 "groups, so check each row.")
    return _("Risks are matched by meaning: the same risk area and similar event wording. "
             "✓ marks a match the facilitator confirmed; the others are suggestions.")


def decisions(parts: Any) -> list[Flowable]:
    """E4: for each risk two or more groups share, how many accept it and treat it."""
    _, s, report = parts._, parts.s, parts.report
    exercise = _exercise(parts, "evaluation")
    if exercise is None or not report.overlay.risks:
        return []
    by_group = {}
    for (group_id, _name), group in zip(report.overview.groups, report.groups, strict=False):
        data = group.exercise_work.get(exercise.id)
        if data:
            by_group[group_id] = Evaluation.from_dict(data)
    if not by_group:
        return []
    rows: list[list[object]] = [[parts.head(t) for t in (
        _("Risk"), _("Groups"), _("Treat"), _("Accept"), _("Undecided"))]]
    for risk in report.overlay.risks:
        counts = {TREAT: 0, ACCEPT: 0, "": 0}
        for rating in risk.ratings:
            if rating.group_id not in by_group:
                continue
            decision = by_group[rating.group_id].decision(rating.risk_id).decision
            counts[decision if decision in counts else ""] += 1
        decided = counts[TREAT] + counts[ACCEPT] + counts[""]
        if not decided:
            continue
        rows.append([parts.cell(risk_text(report, risk)), parts.p(f"{decided}", s.level),
                     parts.p(str(counts[TREAT]), s.level),
                     parts.p(str(counts[ACCEPT]), s.level),
                     parts.p(str(counts[""]), s.level)])
    if len(rows) == 1:
        return []
    return [*parts.heading(exercise_title(exercise, parts.lang), top=False),
            parts.p(escape(_("How many groups treat or accept each risk they share.")),
                    s.small),
            _table(rows, parts.cols(4, 0.9, 0.9, 0.9, 1.1))]


def targeting(parts: Any) -> list[Flowable]:
    """E8: the groups' best runs summed up: how many ran, and the median and range of
    each rate over them."""
    _, s, report = parts._, parts.s, parts.report
    exercise = _exercise(parts, "targeting")
    ran = [row for row in report.leaderboard if row.runs]
    if exercise is None or not ran:
        return []
    rows: list[list[object]] = [[parts.head(t) for t in (
        _("Result"), _("Median"), _("Lowest"), _("Highest"))]]
    for label, values in ((_("Hit rate"), [r.hit_rate for r in ran]),
                          (_("Detection rate"), [r.detection_rate for r in ran]),
                          (_("Selection rate (items)"), [r.selection_rate for r in ran])):
        found = sorted(v for v in values if v is not None)
        if not found:
            continue
        rows.append([parts.cell(label),
                     *(parts.p(parts.pct(v), s.level)
                       for v in (statistics.median(found), found[0], found[-1]))])
    total = len(report.overview.groups)
    return [*parts.heading(exercise_title(exercise, parts.lang), top=False),
            parts.p(escape(_("Each group's best run; {count} of {total} groups ran the "
                             "simulation.").format(count=len(ran), total=total)),
                    s.small),
            _table(rows, parts.cols(3, 1, 1, 1))]


def indicators(parts: Any) -> list[Flowable]:
    """E6: how many groups chose each indicator of the bank."""
    _, s, report = parts._, parts.s, parts.report
    exercise = _exercise(parts, "indicator_selection")
    total = len(report.groups)
    counts: dict[str, int] = {}
    for group in report.groups:
        for pick in {p.indicator_id for p in group.indicator_picks}:
            counts[pick] = counts.get(pick, 0) + 1
    if exercise is None or not counts:
        return []
    bank = {i.id: i for i in report.pack.indicators}
    rows: list[list[object]] = [[parts.head(t) for t in (
        _("ID"), _("Indicator"), _("Groups"))]]
    for indicator_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        indicator = bank.get(indicator_id)
        rows.append([parts.cell(indicator_id),
                     parts.cell(indicator.text.get(parts.lang) if indicator else "—"),
                     parts.p(f"{count}/{total}", s.level)])
    return [*parts.heading(exercise_title(exercise, parts.lang), top=False),
            parts.p(escape(_("How many groups chose each indicator.")), s.small),
            _table(rows, parts.cols(0.6, 5, 0.9))]


def maturity(parts: Any) -> list[Flowable]:
    """E12: per dimension, how many groups put it at each level, and the median."""
    _, s, report = parts._, parts.s, parts.report
    exercise = _exercise(parts, "maturity")
    if exercise is None or not exercise.dimensions:
        return []
    levels: dict[str, list[int]] = {d.id: [] for d in exercise.dimensions}
    for group in report.groups:
        assessment = MaturityAssessment.from_dict(group.exercise_work.get(exercise.id, {}))
        for dimension_id, found in levels.items():
            level = assessment.level(dimension_id)
            if level in LEVELS:
                found.append(level)  # type: ignore[arg-type]
    if not any(levels.values()):
        return []
    header = [_("Dimension"), *(str(level) for level in LEVELS), _("Median")]
    rows: list[list[object]] = [[parts.head(t) for t in header]]
    for dimension in exercise.dimensions:
        found = levels[dimension.id]
        median = statistics.median(found) if found else None
        rows.append([parts.cell(dimension.name.get(parts.lang)),
                     *(parts.p(str(found.count(level)) if found.count(level) else "·",
                               s.level) for level in LEVELS),
                     parts.p(parts.number(median) if median is not None else "—", s.level)])
    return [*parts.heading(exercise_title(exercise, parts.lang), top=False),
            parts.p(escape(_("How many groups put each dimension at each level (1 to 5).")),
                    s.small),
            _table(rows, parts.cols(3, *(0.6 for _level in LEVELS), 0.9))]


def _spread_row(parts: Any, label: str, spread: Any, show: Any) -> list[object]:
    """A row "label | median | lowest | highest"; dashes when no group has the figure."""
    values = (spread.median, spread.low, spread.high) if spread is not None else (None,) * 3
    return [parts.cell(label), *(parts.p(show(v) if v is not None else "—", parts.s.level)
                                 for v in values)]


def _spread_head(parts: Any) -> list[object]:
    _ = parts._
    return [parts.head(t) for t in (_("Result"), _("Median"), _("Lowest"), _("Highest"))]


def survey(parts: Any) -> list[Flowable]:
    """E13: the groups' estimated non-compliance rates, and who named the selection bias."""
    _, s = parts._, parts.s
    ngettext = ngettext_matching(_)
    figures = getattr(parts.report.new_figures, "survey", None)
    exercise = _exercise(parts, "compliance_survey")
    if figures is None or exercise is None:
        return []
    drew = figures.rate.count if figures.rate is not None else 0
    return [*parts.heading(exercise_title(exercise, parts.lang), top=False),
            parts.p(escape(ngettext(
                "The estimate of the {count} group that drew its sample.",
                "The estimates of the {count} groups that drew their sample.",
                drew).format(count=drew)), s.small),
            _table([_spread_head(parts),
                    _spread_row(parts, _("Estimated non-compliance rate"), figures.rate,
                                parts.pct)], parts.cols(3, 1, 1, 1)),
            Spacer(1, 2 * mm), parts.p(escape(ngettext(
                "{count} group out of {total} named the selection bias in its interpretation.",
                "{count} groups out of {total} named the selection bias in their "
                "interpretation.", figures.named_bias).format(
                    count=figures.named_bias, total=figures.groups)), s.small)]


def pyramid(parts: Any) -> list[Flowable]:
    """E14: per trader segment, how many groups put it on each level of the pyramid."""
    from rmdesk.domain.compliance_pyramid import SHORT_RESPONSES

    _, s = parts._, parts.s
    ngettext = ngettext_matching(_)
    figures = getattr(parts.report.new_figures, "pyramid", None)
    exercise = _exercise(parts, "compliance_pyramid")
    if figures is None or exercise is None:
        return []
    names = {segment.id: segment.name.get(parts.lang) for segment in exercise.segments}
    rows: list[list[object]] = [[parts.head(_("Trader segment")),
                                 *(parts.head(_(SHORT_RESPONSES[level]))
                                   for level in figures.rows[0].counts)]]
    for row in figures.rows:
        rows.append([parts.cell(names.get(row.segment_id, row.segment_id)),
                     *(parts.p(parts.number(n) if n else "·", s.level)
                       for n in row.counts.values())])
    return [*parts.heading(exercise_title(exercise, parts.lang), top=False),
            parts.p(escape(ngettext(
                "How many groups put each segment on each level of the pyramid "
                "({count} group placed segments).",
                "How many groups put each segment on each level of the pyramid "
                "({count} groups placed segments).", figures.groups).format(
                    count=figures.groups)), s.small),
            _table(rows, parts.cols(3.4, 1, 1, 1, 1))]


def intelligence(parts: Any) -> list[Flowable]:
    """E15: per information report the grade most groups gave and how many gave the
    pack's; the hits of the groups' profiles."""
    _, s = parts._, parts.s
    ngettext = ngettext_matching(_)
    figures = getattr(parts.report.new_figures, "intelligence", None)
    exercise = _exercise(parts, "intelligence")
    if figures is None or exercise is None:
        return []
    rows: list[list[object]] = [[parts.head(t) for t in (
        _("Report"), _("Pack's grade"), _("Most common grade"),
        _("Groups with the pack's grade"))]]
    for row in figures.rows:
        common = (f"{row.common} ({parts.number(row.common_count)}/"
                  f"{parts.number(row.graded)})" if row.common else "—")
        matched = (f"{parts.number(row.matched)}/{parts.number(row.graded)}"
                   if row.expected else "—")
        rows.append([parts.cell(row.item_id), parts.p(row.expected or "—", s.level),
                     parts.p(escape(common), s.level), parts.p(escape(matched), s.level)])
    hits = figures.hits
    return [*parts.heading(exercise_title(exercise, parts.lang), top=False),
            parts.p(escape(ngettext(
                "How the {count} group graded each information report (source A to D, "
                "information 1 to 4).",
                "How the {count} groups graded each information report (source A to D, "
                "information 1 to 4).", figures.groups).format(count=figures.groups)),
                s.small),
            _table(rows, parts.cols(1.2, 1.2, 1.6, 1.8)), Spacer(1, 3 * mm),
            _table([_spread_head(parts),
                    _spread_row(parts, _("Profile hits on the practice declarations"),
                                hits, parts.number)], parts.cols(3, 1, 1, 1)),
            Spacer(1, 2 * mm), parts.p(escape(ngettext(
                "Over the {count} group whose profile runs.",
                "Over the {count} groups whose profiles run.",
                hits.count if hits else 0).format(count=hits.count if hits else 0)),
                s.small)]


def passengers(parts: Any) -> list[Flowable]:
    """E16: the profiles' hit and selection rates, and who used a forbidden field."""
    _, s = parts._, parts.s
    ngettext = ngettext_matching(_)
    figures = getattr(parts.report.new_figures, "passengers", None)
    exercise = _exercise(parts, "passenger_targeting")
    if figures is None or exercise is None:
        return []
    ran = figures.hit_rate.count if figures.hit_rate is not None else 0
    return [*parts.heading(exercise_title(exercise, parts.lang), top=False),
            parts.p(escape(ngettext(
                "The profiles of the {count} group whose profiles run on the passengers.",
                "The profiles of the {count} groups whose profiles run on the passengers.",
                ran).format(count=ran)), s.small),
            _table([_spread_head(parts),
                    _spread_row(parts, _("Hit rate"), figures.hit_rate, parts.pct),
                    _spread_row(parts, _("Selection rate (passengers)"),
                                figures.selection_rate, parts.pct)],
                   parts.cols(3, 1, 1, 1)),
            Spacer(1, 2 * mm), parts.p(escape(ngettext(
                "{count} group out of {total} used a field a passenger profile may not use.",
                "{count} groups out of {total} used a field a passenger profile may not use.",
                figures.forbidden).format(count=figures.forbidden, total=figures.groups)),
                s.small)]


def side_by_side(parts: Any) -> list[Flowable]:
    """The debrief section; empty when no group has decided anything yet."""
    body = (decisions(parts) + indicators(parts) + targeting(parts) + maturity(parts)
            + survey(parts) + pyramid(parts) + intelligence(parts) + passengers(parts))
    if not body:
        return []
    return [*parts.heading(parts._("What the groups decided")), *body]
