"""E7 in the group output: one profile card per profile, its logic in words, then the
automatic feedback of "Check my work" (the selection counts on the group's data set,
or the built-in sample declarations, generated only when a profile's logic can run)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from babel import Locale
from babel.numbers import format_decimal
from reportlab.platypus import Flowable, KeepTogether

from rmdesk.domain.criteria import LANE_LABELS, OPERATORS, render_issue
from rmdesk.domain.declaration_fields import TRANSPORT_MODES, field_label
from rmdesk.domain.profile_logic import check_profiles, render_profile_finding, summarize_profile
from rmdesk.domain.register import RISK_AREAS
from rmdesk.i18n.formatting import format_date, format_number, format_percent


def _number(value: object) -> object:
    """60.0 as 60: the engine keeps percentages and thresholds as floats."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


COUNTRY_FIELDS = ("origin", "consignment")


def value_words(field: str, value: object, _: Any, lang: str) -> str:
    """One value of a condition as a reader of `lang` reads it: a transport mode by its
    name, a country by its name (and code), a number in the language's format."""
    value = _number(value)
    if field == "transport_mode" and isinstance(value, str) and value in TRANSPORT_MODES:
        return str(_(TRANSPORT_MODES[value]))
    if field in COUNTRY_FIELDS and isinstance(value, str):
        name = Locale.parse(lang).territories.get(value.upper())
        return f"{name} ({value})" if name else value
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int | float):
        return format_decimal(value, locale=lang)
    return str(value)


def describe_condition(node: dict[str, Any], _: Any, lang: str = "en",
                       fields: dict[str, Any] | None = None) -> str:
    """A condition tree in words, in the report's language; `fields`: the data set's own
    columns (name -> FieldSpec), named by their headers."""
    op = node.get("op", "")
    items = node.get("items") or []
    if op in ("and", "or"):
        # Plain calls, not inside f-strings, so the extractor sees the words.
        joiner = " " + (_("AND") if op == "and" else _("OR")) + " "
        parts = [describe_condition(i, _, lang, fields) for i in items]
        return "(" + joiner.join(parts) + ")" if len(parts) > 1 else "".join(parts)
    if op == "not":
        return _("NOT {condition}").format(
            condition=describe_condition(items[0], _, lang, fields) if items else "")
    spec = OPERATORS.get(op)
    test = _(spec.label) if spec else op
    name = node.get("field") or ""
    subject = field_label(str(name), _, fields) if name else ""
    raw = node.get("value")
    value = ("; ".join(value_words(name, v, _, lang) for v in raw) if isinstance(raw, list)
             else value_words(name, raw, _, lang) if raw is not None else "")
    if node.get("min") is not None or node.get("max") is not None:
        value = (f"{value_words(name, node.get('min'), _, lang)} – "
                 f"{value_words(name, node.get('max'), _, lang)}")
    return " ".join(str(part) for part in (subject, test, value) if part not in (None, ""))


def describe_logic(criteria: list[dict[str, Any]], _: Any, lang: str = "en",
                   fields: dict[str, Any] | None = None) -> str:
    """A profile's logic in words; a profile of several criteria (edited as JSON) names
    each one, so the reader sees which test sends what to which lane."""
    if len(criteria) == 1:
        return describe_condition(criteria[0].get("condition") or {}, _, lang, fields)
    parts = []
    for c in criteria:
        lane = LANE_LABELS.get(str(c.get("lane")))
        name = f"{c.get('name') or '—'} ({_(lane)})" if lane else str(c.get("name") or "—")
        parts.append(f"{name}: {describe_condition(c.get('condition') or {}, _, lang, fields)}")
    return "; ".join(parts)


def section(builder: Any, exercise: Any) -> list[Flowable]:
    r, _, lang = builder.report, builder._, builder.lang
    if not r.profiles:
        return []
    story: list[Flowable] = builder.exercise_heading(exercise)

    def date(value: object) -> str:
        return format_date(value, lang) if isinstance(value, dt.date) else "—"

    for profile in r.profiles:
        logic = describe_logic((profile.get("criteria") or {}).get("criteria") or [], _, lang,
                               r.extra_fields)
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
    story += _feedback(builder, r.profiles, exercise, r.profile_data, r.profile_dataset)
    return story


def _sample_table() -> Any:
    from rmdesk.services.targeting import builtin_table  # cached; generated on first use

    return builtin_table()


def _feedback(builder: Any, profiles: list[dict[str, Any]],
              exercise: Any = None, data: Any = None, dataset: str | None = None
              ) -> list[Flowable]:
    """`data`: a function giving the group's data set (its own columns are tested),
    `dataset` its name, which the counts name; None: the built-in sample."""
    _, lang = builder._, builder.lang
    summaries = [summarize_profile(p.get("title") or "", p, p.get("criteria") or {},
                                   data or _sample_table, dataset if data else None)
                 for p in profiles]
    findings = check_profiles(summaries, lambda issue: render_issue(issue, _),
                              exercise.profile_limits() if exercise is not None else None)
    if not findings:
        return []
    return [*builder.heading(_("Feedback"), top=False),
            builder._findings(findings, lambda f, tr, _pct: render_profile_finding(
                f, tr, lambda v: format_percent(v, lang, digits=1),
                lambda v: format_number(v, lang), lambda d: format_date(d, lang)))]
