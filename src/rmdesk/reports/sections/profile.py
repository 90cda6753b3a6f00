"""E7 in the group output: one profile card per profile, its logic in words, then the
automatic feedback of "Check my work" (the selection counts on the built-in sample
declarations, generated only when a profile's logic can run)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether

from rmdesk.domain.criteria import LANE_LABELS, OPERATORS, render_issue
from rmdesk.domain.declaration_fields import FIELD_BY_NAME
from rmdesk.domain.profile_logic import check_profiles, render_profile_finding, summarize_profile
from rmdesk.domain.register import RISK_AREAS
from rmdesk.i18n.formatting import format_date, format_number, format_percent


def _number(value: object) -> object:
    """60.0 as 60: the engine keeps percentages and thresholds as floats."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def describe_condition(node: dict[str, Any], _: Any) -> str:
    """A condition tree in words, in the report's language."""
    op = node.get("op", "")
    items = node.get("items") or []
    if op in ("and", "or"):
        # Plain calls, not inside f-strings, so the extractor sees the words.
        joiner = " " + (_("AND") if op == "and" else _("OR")) + " "
        parts = [describe_condition(i, _) for i in items]
        return "(" + joiner.join(parts) + ")" if len(parts) > 1 else "".join(parts)
    if op == "not":
        return _("NOT {condition}").format(
            condition=describe_condition(items[0], _) if items else "")
    spec = OPERATORS.get(op)
    test = _(spec.label) if spec else op
    field = FIELD_BY_NAME.get(node.get("field") or "")
    subject = _(field.label) if field else ""
    value = _number(node.get("value"))
    if isinstance(value, list):
        value = "; ".join(str(_number(v)) for v in value)
    if node.get("min") is not None or node.get("max") is not None:
        value = f"{_number(node.get('min'))} – {_number(node.get('max'))}"
    return " ".join(str(part) for part in (subject, test, value) if part not in (None, ""))


def section(builder: Any, exercise: Any) -> list[Flowable]:
    r, _, lang = builder.report, builder._, builder.lang
    if not r.profiles:
        return []
    story: list[Flowable] = builder.heading(exercise.title.get(lang))

    def date(value: object) -> str:
        return format_date(value, lang) if isinstance(value, dt.date) else "—"

    for profile in r.profiles:
        criteria = (profile.get("criteria") or {}).get("criteria") or []
        logic = " ".join(describe_condition(c.get("condition") or {}, _) for c in criteria)
        lane = profile.get("lane", "")
        rows = [
            (_("Risk area"), _(RISK_AREAS[profile["area"]])
             if profile.get("area") in RISK_AREAS else "—"),
            (_("Description"), profile.get("description") or "—"),
            (_("Selection logic"), logic or "—"),
            (_("Lane"), _(LANE_LABELS[lane]) if lane in LANE_LABELS else "—"),
            (_("Action"), profile.get("action") or "—"),
            (_("Examiner instructions"), profile.get("instructions") or "—"),
            (_("Activation date"), date(profile.get("activation_date"))),
            (_("Review date"), date(profile.get("review_date"))),
            (_("Owner"), profile.get("owner") or "—"),
            (_("Effectiveness measure"), profile.get("effectiveness") or "—"),
        ]
        table = builder.table(
            [[builder.p(escape(profile.get("title") or "—"), builder.s.cell_bold), ""]]
            + [[builder.p(escape(label), builder.s.cell_bold), builder.cell(str(value))]
               for label, value in rows],
            builder.cols(1, 3))
        table.setStyle([("SPAN", (0, 0), (1, 0))])
        story += [KeepTogether([table]), builder.p("", builder.s.small)]
    story += _feedback(builder, r.profiles, exercise)
    return story


def _sample_table() -> Any:
    from rmdesk.services.targeting import builtin_table  # cached; generated on first use

    return builtin_table()


def _feedback(builder: Any, profiles: list[dict[str, Any]],
              exercise: Any = None) -> list[Flowable]:
    _, lang = builder._, builder.lang
    summaries = [summarize_profile(p.get("title") or "", p, p.get("criteria") or {},
                                   _sample_table) for p in profiles]
    findings = check_profiles(summaries, lambda issue: render_issue(issue, _),
                              exercise.profile_limits() if exercise is not None else None)
    if not findings:
        return []
    return [*builder.heading(_("Feedback"), top=False),
            builder._findings(findings, lambda f, tr, _pct: render_profile_finding(
                f, tr, lambda v: format_percent(v, lang, digits=1),
                lambda v: format_number(v, lang), lambda d: format_date(d, lang)))]
