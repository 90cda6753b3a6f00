"""E16 in the group output: the figures of the group's passenger profiles on the
generated passengers (run now by the selectivity engine), the profiles with their lane,
conditions and rationale, the group's reading, the data-protection safeguards and the
automatic feedback."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from rmdesk.content.pack import Exercise
from rmdesk.domain.criteria import LANE_LABELS, OPERATORS, Condition
from rmdesk.domain.passengers import (
    SAFEGUARD_LABELS,
    SAFEGUARDS,
    PassengerWork,
    check_passengers,
    passenger_field_label,
    render_passenger_finding,
    run_passengers,
)
from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.reports.sections.answer_helpers import findings_block

JOINERS = {"and": N_("and"), "or": N_("or")}
NOT_WORD = N_("not")


def condition_text(node: Condition, tr: Any) -> str:
    """A condition as a line of text: "Payment method equals cash", groups in brackets."""
    if node.items:
        joiner = tr(JOINERS[node.op]) if node.op in JOINERS else ""
        inner = f" {joiner} ".join(condition_text(item, tr) for item in node.items)
        return f"{tr(NOT_WORD)} ({inner})" if node.op == "not" else f"({inner})"
    spec = OPERATORS.get(node.op)
    test = tr(spec.label) if spec else node.op
    value = node.value
    shown = "; ".join(str(v) for v in value) if isinstance(value, list) else (
        "" if value is None else str(value))
    if node.min is not None or node.max is not None:
        shown = f"{node.min}–{node.max}"
    return " ".join(t for t in (passenger_field_label(node.field or "", tr), test, shown)
                    if t)


def section(b: Any, exercise: Exercise) -> list[Flowable]:
    work = PassengerWork.from_dict(b.report.exercise_work.get(exercise.id) or {})
    if not (work.ruleset.criteria or work.reading.strip()
            or any(v.strip() for v in work.safeguards.values())):
        return []
    _, s, lang = b._, b.s, b.lang
    story: list[Flowable] = b.exercise_heading(exercise)

    def pct(value: float | None) -> str:
        return "—" if value is None else format_percent(value, lang, digits=1)

    try:
        metrics = run_passengers(work).metrics if work.ruleset.criteria else None
    except RmdeskError:  # criteria that cannot run: the feedback below says why
        metrics = None
    stats = {c.index: c for c in metrics.criteria} if metrics else {}
    if metrics is not None:
        story.append(b.p(escape(_(
            "{selected} of {total} passengers selected ({rate}); hit rate {hit_rate}, "
            "against {prevalence} for all passengers; {detection} of the offenders "
            "found.").format(
                selected=format_number(metrics.selected, lang),
                total=format_number(metrics.rows, lang), rate=pct(metrics.selection_rate),
                hit_rate=pct(metrics.hit_rate), prevalence=pct(metrics.prevalence),
                detection=pct(metrics.detection_rate)))))
    if work.ruleset.criteria:
        head = [_("Profile"), _("Lane"), _("Conditions"), _("Rationale"), _("Selected"),
                _("Hit rate")]
        rows: list[list[object]] = [[b.p(escape(h), s.head) for h in head]]
        for index, criterion in enumerate(work.ruleset.criteria):
            st = stats.get(index)
            rows.append([
                b.p(escape(criterion.name or "—"), s.cell_bold),
                b.cell(_(LANE_LABELS[criterion.lane])),
                b.cell(condition_text(criterion.condition, _)),
                b.cell(work.rationale(index) or "—"),
                b.cell(format_number(st.hits, lang) if st else "—"),
                b.cell(pct(st.hit_rate) if st else "—"),
            ])
        story.append(b.table(rows, b.cols(1.3, 1.1, 2.8, 2.4, 0.8, 0.8)))
    pairs = [(_("Your reading of the figures"), work.reading)] + [
        (_(SAFEGUARD_LABELS[key]), work.safeguards.get(key, "")) for key in SAFEGUARDS]
    rows = [[b.p(escape(label), s.cell_bold), b.cell(text.strip() or "—")]
            for label, text in pairs]
    story.append(b.table(rows, b.cols(2.0, 7.2)))
    story += findings_block(b, check_passengers(work), lambda f, tr: render_passenger_finding(
        f, tr, lambda v: format_percent(v, lang, digits=1)))
    return story
