"""E7: a risk profile's logic as the rows a group edits, and back to engine criteria.

The profile editor shows one criterion per profile: an AND/OR list of conditions, each
a test on a data field, optionally negated. Typed values stay text until converted here,
by the field's kind, so "8703" stays an HS code and "1 500,5" is reported, not guessed.
A rule set with a shape the rows cannot show (nested groups, several criteria) is kept
as it is and edited as JSON. No Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.domain.criteria import (
    DERIVED_FIELDS,
    GROUP_OPS,
    OPERATORS,
    Condition,
    CriteriaIssue,
    Criterion,
    RuleSet,
    check_ruleset,
)
from rmdesk.domain.declaration_fields import FIELD_BY_NAME, FieldSpec, is_extra_name
from rmdesk.i18n import N_
from rmdesk.i18n.formatting import (
    decimal_separator,
    format_decimal_for_typing,
    parse_typed_number,
)

if TYPE_CHECKING:
    from rmdesk.domain.declarations import DeclarationTable

COMBINATORS: tuple[str, ...] = ("and", "or")


@dataclass
class ConditionRow:
    """One line of the editor. `field` is empty for the tests on fixed fields."""

    field: str = ""
    op: str = "eq"
    value: str = ""  # scalar, percent, watch-list name, or a list separated by ; or ,
    low: str = ""
    high: str = ""
    negate: bool = False


@dataclass
class ProfileLogic:
    combinator: str = "and"
    rows: list[ConditionRow] = field(default_factory=list)
    watch_lists: dict[str, list[str]] = field(default_factory=dict)


def operators_for(field_name: str, fields: Mapping[str, FieldSpec] | None = None
                  ) -> list[str]:
    """The tests that apply to a field ('' : the field-less tests); `fields`: the data
    set's fields, for its own columns."""
    if not field_name:
        return [op for op, spec in OPERATORS.items() if not spec.kinds and op not in GROUP_OPS]
    spec = _spec(field_name, fields)
    if spec is None:
        return []
    return [op for op, s in OPERATORS.items() if spec.kind in s.kinds]


def _convert(text: str, kind: str, lang: str = "en") -> object:
    """Typed text to the value the engine expects for a field kind, read as people write
    numbers in `lang` (2,5 is two and a half in fr; 60 % is sixty per cent); text that does
    not fit is passed on as text, so check_ruleset names the problem."""
    text = text.strip()
    if kind in ("number", "integer", "percent"):
        number = parse_typed_number(text, lang)
        if number is not None:
            return int(number) if kind == "integer" and number.is_integer() else number
        return text
    return text  # category text, dates as YYYY-MM-DD


def split_list(text: str) -> list[str]:
    """Texts separated by ";" or new lines, else by commas (HS codes, countries: a comma
    in them is never a decimal mark)."""
    parts = re.split(r"[;\n]" if ";" in text or "\n" in text else r",", text)
    return [p.strip() for p in parts if p.strip()]


# One number written with thousands separators and no spaces: "1,500" in en could as well
# be the list 1; 500.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def split_number_list(text: str, kind: str = "number", lang: str = "en"
                      ) -> list[str] | None:
    """The items of a list of numbers typed in `lang`, or None when it could be read two
    ways.

    ";" and new lines always separate items. Without them a comma separates items only
    where it is not the decimal mark (en: "1.5, 2.5"); where it is (es, fr, pt_BR),
    "1,5" is one number, while "1,5,2,5", or "3,4" on a whole-number field, could be
    several numbers or fewer with decimals. "1,500" in en could be one number or two.
    """
    stripped = text.strip()
    if ";" in text or "\n" in text or "," not in text:
        return split_list(text) if stripped else []
    if decimal_separator(lang) == ",":
        number = parse_typed_number(stripped, lang)
        return [stripped] if number is not None and kind != "integer" else None
    return None if _GROUPED.fullmatch(stripped) else split_list(text)


def format_value_list(values: Sequence[object], lang: str = "en") -> str:
    """A list as the user types it back in `lang`: ";" between the values in every
    language, numbers with the language's decimal mark and no thousands separators, so
    split_number_list reads back the same numbers."""
    return "; ".join(_text(v, lang) for v in values)


def _spec(name: str, fields: Mapping[str, FieldSpec] | None) -> FieldSpec | None:
    return FIELD_BY_NAME.get(name) or (fields or {}).get(name)


def row_condition(row: ConditionRow, lang: str = "en",
                  fields: Mapping[str, FieldSpec] | None = None) -> Condition:
    """`fields`: the data set's fields, so typed values on its own columns are read by
    their kind (a column not at hand: as text, which the check then names)."""
    spec = OPERATORS.get(row.op)
    field_spec = _spec(row.field, fields)
    kind = field_spec.kind if field_spec else (
        "category" if is_extra_name(row.field) else "number")
    arity = spec.arity if spec else "scalar"
    args: dict[str, object] = {}
    if arity == "scalar":
        args["value"] = _convert(row.value, kind, lang) if row.value.strip() else None
    elif arity == "list" and kind in ("number", "integer"):
        items = split_number_list(row.value, kind, lang)
        # Read two ways: kept as typed, as text, which check_ruleset reports as a list of
        # numbers to separate with ";" (and the row shows it as typed).
        args["value"] = [row.value.strip()] if items is None else \
            [_convert(i, kind, lang) for i in items]
    elif arity == "list":
        args["value"] = [_convert(i, kind, lang) for i in split_list(row.value)]
    elif arity == "watch_list":
        args["value"] = row.value.strip() or None
    elif arity == "percent":
        args["value"] = _convert(row.value, "percent", lang) if row.value.strip() else None
    elif arity == "range":
        range_kind = kind if spec and spec.kinds else "number"
        args["min"] = _convert(row.low, range_kind, lang) if row.low.strip() else None
        args["max"] = _convert(row.high, range_kind, lang) if row.high.strip() else None
    condition = Condition(op=row.op, field=row.field or None, **args)  # type: ignore[arg-type]
    return Condition(op="not", items=[condition]) if row.negate else condition


def logic_to_ruleset(logic: ProfileLogic, name: str, lane: str, priority: int = 0,
                     lang: str = "en", fields: Mapping[str, FieldSpec] | None = None
                     ) -> RuleSet:
    """The rule set of the rows; numbers in them are read as written in `lang`."""
    condition = Condition(op=logic.combinator,
                          items=[row_condition(r, lang, fields) for r in logic.rows])
    return RuleSet(
        criteria=[Criterion(name=name or "-", lane=lane, priority=priority,  # type: ignore[arg-type]
                            condition=condition)],
        watch_lists={k: v for k, v in logic.watch_lists.items() if k},
    )


def _text(value: object, lang: str = "en") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_decimal_for_typing(value, lang, decimals=6)
    return str(value)


def ruleset_to_logic(ruleset: RuleSet, lang: str = "en") -> ProfileLogic | None:
    """The rows for a rule set, or None when its shape needs the JSON editor; numbers
    written as in `lang` (2,5 in fr)."""
    if len(ruleset.criteria) != 1 or ruleset.random_rates:
        return None
    top = ruleset.criteria[0].condition
    if top.op not in COMBINATORS:
        return None
    rows = []
    for item in top.items or []:
        negate = item.op == "not"
        if negate:
            if not item.items or len(item.items) != 1:
                return None
            item = item.items[0]
        if item.op in GROUP_OPS:
            return None
        value = item.value
        text = format_value_list(value, lang) if isinstance(value, list) \
            else _text(value, lang)
        rows.append(ConditionRow(field=item.field or "", op=item.op, value=text,
                                 low=_text(item.min, lang), high=_text(item.max, lang),
                                 negate=negate))
    return ProfileLogic(top.op, rows, dict(ruleset.watch_lists))


# -- "Check my work" for E7 -----------------------------------------------------------

MESSAGES: dict[str, str] = {
    "no_profiles": N_("No profile yet: add one for a risk your group wants to target."),
    "profile_title_missing": N_("Profile {number}: give it a title."),
    "profile_fields_missing": N_("Profile “{title}”: fill in {fields}."),
    "profile_no_conditions": N_(
        "Profile “{title}”: add at least one condition on the declaration data."),
    "profile_logic_invalid": N_(
        "Profile “{title}”: the logic cannot run yet: {problems}"),
    "profile_review_before_activation": N_(
        "Profile “{title}”: the review date must come after the activation date."),
    "profile_selects_nothing": N_(
        "Profile “{title}” selects no declaration of the sample data: are the thresholds "
        "too strict?"),
    "profile_review_too_late": N_(
        "Profile “{title}”: the review date is more than {months} months after the "
        "activation date; review it by {latest} at the latest."),
    "profile_selects_too_much": N_(
        "Profile “{title}” would select {count} of the {total} sample declarations "
        "({share}), about {yearly} declarations a year: more than the {limit} a profile may "
        "select, and more than examiners could cope with. Narrow the conditions."),
    "profile_ok": N_("Profile “{title}” is complete and would select {count} of the {total} "
                     "sample declarations ({share}; {items} items), about {yearly} "
                     "declarations a year."),
}

# The same findings when the group works on a facilitator's own data set: its name in
# place of "the sample", and no yearly estimate (the sample's scale to Valdoria's year
# says nothing of another administration's data).
OWN_DATA_MESSAGES: dict[str, str] = {
    "profile_selects_nothing": N_(
        "Profile “{title}” selects no declaration of the data set “{dataset}”: are the "
        "thresholds too strict?"),
    "profile_selects_too_much": N_(
        "Profile “{title}” would select {count} of the {total} declarations of the data "
        "set “{dataset}” ({share}): more than the {limit} a profile may select, and more "
        "than examiners could cope with. Narrow the conditions."),
    "profile_ok": N_("Profile “{title}” is complete and would select {count} of the "
                     "{total} declarations of the data set “{dataset}” ({share}; {items} "
                     "items)."),
}

PROFILE_FIELD_LABELS: dict[str, str] = {
    "area": N_("the risk area"),
    "description": N_("the description"),
    "action": N_("the action"),
    "instructions": N_("the examiner instructions"),
    "owner": N_("the owner"),
    "effectiveness": N_("the effectiveness measure"),
    "activation_date": N_("the activation date"),
    "review_date": N_("the review date"),
}
# The pack's defaults (rmdesk.content.pack.ProfileRules): “a profile that selects more
# than a few per cent of declarations is a policy, not a profile”; “review date no more
# than six months later”.
MAX_DECLARATION_SHARE = 0.05
REVIEW_WITHIN_MONTHS = 6
YEARLY_DECLARATIONS = 412_000  # what the sample stands for (the E7 tip: “multiply by 43”)


@dataclass(frozen=True)
class ProfileLimits:
    """The E7 rules a pack states (ContentPack exercise.profile_rules has these fields)."""

    max_declaration_share: float = MAX_DECLARATION_SHARE
    review_within_months: int = REVIEW_WITHIN_MONTHS
    yearly_declarations: int = YEARLY_DECLARATIONS


def yearly_volume(selected: int, sample: int, yearly: int) -> int:
    """A count on the sample scaled to a year, rounded as an estimate is quoted (to 10
    below a thousand, to 100 above)."""
    estimate = selected * yearly / sample if sample else 0.0
    return int(round(estimate, -2 if estimate >= 1000 else -1))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day
    (31 August + 6 months = 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


@dataclass(frozen=True)
class ProfileSummary:
    """What the check needs of a profile: its fields and how its logic fared."""

    title: str
    fields: dict[str, object]
    rows: int
    issues: list[CriteriaIssue]
    selected: int | None  # items selected on the sample data; None if it could not run
    total: int  # items of the sample data
    # Declarations (not items): a declaration is selected when any of its items is.
    selected_declarations: int | None = None
    declarations: int = 0
    dataset: str | None = None  # the data set's name; None: the built-in sample


CHECKED_FIELDS = ("area", "description", "action", "instructions", "owner", "effectiveness",
                  "activation_date", "review_date")


def summarize_profile(title: str, fields: Mapping[str, object], criteria: object,
                      table: DeclarationTable | Callable[[], DeclarationTable],
                      dataset: str | None = None) -> ProfileSummary:
    """What check_profiles needs of one profile. `criteria`: its RuleSet, or the RuleSet's
    JSON text or dict; `table`: the declarations, or a function returning them (only
    called when the logic can run, so a profile without logic costs nothing); `dataset`:
    their data set's name, None for the built-in sample."""
    if isinstance(criteria, RuleSet):
        ruleset = criteria
    else:
        try:
            ruleset = (RuleSet.model_validate_json(criteria or "{}")
                       if isinstance(criteria, str | bytes)
                       else RuleSet.model_validate(criteria or {}))
        except ValueError:
            ruleset = RuleSet()
    logic = ruleset_to_logic(ruleset)
    rows = len(logic.rows) if logic else len(ruleset.criteria)
    issues = ruleset_issues(ruleset) if rows else []
    selected: int | None = None
    selected_declarations: int | None = None
    total = declarations = 0
    data = None
    if rows and not issues:  # the form is right: now against the data's own fields
        data = table() if callable(table) else table
        issues = ruleset_issues(ruleset, data.fields())
    if data is not None and not issues:
        from rmdesk.domain.selectivity import run_selectivity

        metrics = run_selectivity(data, ruleset).metrics
        selected, total = metrics.selected, len(data)
        declarations = sum(lane.declarations for lane in metrics.lanes)
        selected_declarations = sum(lane.declarations for lane in metrics.lanes
                                    if lane.lane != "green")
    return ProfileSummary(title, {name: fields.get(name) for name in CHECKED_FIELDS},
                          rows, issues, selected, total, selected_declarations, declarations,
                          dataset)


def check_profiles(profiles: list[ProfileSummary],
                   render_issue: Callable[[CriteriaIssue], str],
                   limits: ProfileLimits | None = None) -> list[Finding]:
    """`limits`: the pack's E7 rules (anything with ProfileLimits' attributes)."""
    limits = limits or ProfileLimits()
    if not profiles:
        return [Finding("no_profiles", ERROR)]
    findings: list[Finding] = []
    for number, p in enumerate(profiles, start=1):
        title = p.title.strip()
        if not title:
            findings.append(Finding("profile_title_missing", ERROR, {"number": number}))
            title = str(number)
        before = len(findings)
        missing = [name for name in PROFILE_FIELD_LABELS if p.fields.get(name) is None
                   or (isinstance(p.fields[name], str) and not str(p.fields[name]).strip())]
        if missing:
            findings.append(Finding("profile_fields_missing", WARNING,
                                    {"title": title, "fields": missing}))
        start, review = p.fields.get("activation_date"), p.fields.get("review_date")
        if isinstance(start, dt.date) and isinstance(review, dt.date):
            latest = add_months(start, limits.review_within_months)
            if review <= start:
                findings.append(Finding("profile_review_before_activation", ERROR,
                                        {"title": title}))
            elif review > latest:
                findings.append(Finding("profile_review_too_late", WARNING, {
                    "title": title, "months": limits.review_within_months,
                    "latest": latest}))
        if p.rows == 0:
            findings.append(Finding("profile_no_conditions", ERROR, {"title": title}))
        elif p.issues:
            findings.append(Finding("profile_logic_invalid", ERROR, {
                "title": title, "count": len(p.issues),
                "problems": [render_issue(i) for i in p.issues[:3]]}))
        elif p.selected_declarations is not None and p.declarations:
            share = p.selected_declarations / p.declarations
            counts = {"title": title, "count": p.selected_declarations,
                      "total": p.declarations, "share": share,
                      "yearly": yearly_volume(p.selected_declarations, p.declarations,
                                              limits.yearly_declarations)}
            own = {"dataset": p.dataset} if p.dataset is not None else {}
            counts.update(own)
            if p.selected_declarations == 0:
                findings.append(Finding("profile_selects_nothing", WARNING,
                                        {"title": title, **own}))
            elif share > limits.max_declaration_share:
                findings.append(Finding("profile_selects_too_much", WARNING, {
                    **counts, "limit": limits.max_declaration_share}))
            elif len(findings) == before:
                findings.append(Finding("profile_ok", GOOD, {**counts, "items": p.selected}))
    return findings


def render_profile_finding(finding: Finding, translate: Callable[[str], str],
                           format_percent: Callable[[float], str] | None = None,
                           format_number: Callable[[float], str] | None = None,
                           format_date: Callable[[dt.date], str] | None = None) -> str:
    params = dict(finding.params)
    for name in ("count", "total", "items", "yearly"):
        if name in params and format_number is not None:
            params[name] = format_number(params[name])  # type: ignore[arg-type]
    if "latest" in params:
        latest = params["latest"]
        params["latest"] = format_date(latest) if format_date and isinstance(
            latest, dt.date) else str(latest)
    if "limit" in params:
        limit = float(params["limit"])  # type: ignore[arg-type]
        params["limit"] = format_percent(limit) if format_percent else f"{limit:.0%}"
    if "fields" in params:
        params["fields"] = ", ".join(
            translate(PROFILE_FIELD_LABELS[str(name)]) for name in params["fields"])  # type: ignore[attr-defined]
    if "share" in params:
        share = float(params["share"])  # type: ignore[arg-type]
        params["share"] = format_percent(share) if format_percent else f"{share:.1%}"
    if "problems" in params:
        params["problems"] = " ".join(params["problems"])  # type: ignore[arg-type]
    if "dataset" in params and finding.code in OWN_DATA_MESSAGES:
        return translate(OWN_DATA_MESSAGES[finding.code]).format(**params)
    return translate(MESSAGES[finding.code]).format(**params)


def fields_read(ruleset: RuleSet) -> set[str]:
    """The data fields a rule set reads (for showing which indicators a profile uses)."""
    found: set[str] = set()

    def walk(node: Condition) -> None:
        if node.field:
            found.add(node.field)
        found.update(DERIVED_FIELDS.get(node.op, ()))
        for item in node.items or []:
            walk(item)

    for criterion in ruleset.criteria:
        walk(criterion.condition)
    return found


def ruleset_issues(ruleset: RuleSet,
                   fields: set[str] | Mapping[str, FieldSpec] | None = None
                   ) -> list[CriteriaIssue]:
    return check_ruleset(ruleset, fields)
