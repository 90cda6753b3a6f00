"""The debrief part of the workshop report: what the groups decided, side by side.

Every table aggregates (counts over the groups, "7/30"), so it reads the same at 3 groups
as at 30: E4 decisions per risk the groups share (matched as the overlay matches them:
by meaning, with the facilitator's confirmations), the E6 indicators chosen, the E8
results, and the E12 maturity levels per dimension.
"""

from __future__ import annotations

import statistics
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from rmdesk.domain.comparison import MATCH_CODE
from rmdesk.domain.evaluation import ACCEPT, TREAT, Evaluation
from rmdesk.domain.maturity import LEVELS, MaturityAssessment
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


def side_by_side(parts: Any) -> list[Flowable]:
    """The debrief section; empty when no group has decided anything yet."""
    body = decisions(parts) + indicators(parts) + targeting(parts) + maturity(parts)
    if not body:
        return []
    return [*parts.heading(parts._("What the groups decided")), *body]
