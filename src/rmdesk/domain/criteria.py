"""Selectivity criteria (E7-E9) as data: pydantic models a group edits and saves as JSON.

A criterion is a tree of conditions (AND / OR / NOT groups over tests on data fields)
plus a lane and a priority. Nothing here is ever turned into code: `check_ruleset`
validates a rule set against the declaration schema and returns issues that carry a
code, a path (e.g. ``criteria[2].condition.items[1].field``) and parameters, never
translated text; `render_issue` makes a sentence of one in the caller's language.
selectivity.py compiles a valid rule set to numpy evaluation. No Qt, no I/O.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from rmdesk.domain.declaration_fields import (
    FIELD_BY_NAME,
    FieldSpec,
    field_label,
    is_extra_name,
)
from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_

# -- lanes ------------------------------------------------------------------------------

Lane = Literal["green", "blue", "yellow", "orange", "red"]
RandomLane = Literal["blue", "yellow", "orange", "red"]
# The index of a lane is its code in result arrays and its precedence: higher wins.
LANES: tuple[str, ...] = ("green", "blue", "yellow", "orange", "red")
LANE_CODE: dict[str, int] = {lane: code for code, lane in enumerate(LANES)}
GREEN = LANE_CODE["green"]
LANE_LABELS: dict[str, str] = {
    "green": N_("Green (release)"),
    "blue": N_("Blue (post-clearance audit)"),
    "yellow": N_("Yellow (documentary check)"),
    "orange": N_("Orange (scanning)"),
    "red": N_("Red (physical examination)"),
}

# -- operators --------------------------------------------------------------------------

Arity = Literal["none", "scalar", "list", "range", "watch_list", "percent", "group"]


@dataclass(frozen=True)
class OperatorSpec:
    label: str  # N_-marked
    arity: Arity
    kinds: frozenset[str]  # field kinds it applies to; empty: it takes no field


def _op(label: str, arity: Arity, *kinds: str) -> OperatorSpec:
    return OperatorSpec(label, arity, frozenset(kinds))


GROUP_OPS: frozenset[str] = frozenset({"and", "or", "not"})
OPERATORS: dict[str, OperatorSpec] = {
    "and": _op(N_("all of (AND)"), "group"),
    "or": _op(N_("any of (OR)"), "group"),
    "not": _op(N_("not (NOT)"), "group"),
    "eq": _op(N_("equals"), "scalar", "category", "number", "integer", "date"),
    "ne": _op(N_("does not equal"), "scalar", "category", "number", "integer", "date"),
    "in": _op(N_("is in the list"), "list", "category", "integer"),
    "not_in": _op(N_("is not in the list"), "list", "category", "integer"),
    "gt": _op(N_("is greater than"), "scalar", "number", "integer", "date"),
    "gte": _op(N_("is at least"), "scalar", "number", "integer", "date"),
    "lt": _op(N_("is less than"), "scalar", "number", "integer", "date"),
    "lte": _op(N_("is at most"), "scalar", "number", "integer", "date"),
    "between": _op(N_("is between"), "range", "number", "integer", "date"),
    "contains": _op(N_("contains the text"), "scalar", "category"),
    "starts_with": _op(N_("starts with"), "scalar", "category"),
    # One row for "HS code starts with 8703, 64 or 85" or "description contains
    # unbranded or generic": an OR of text tests, without a nested group.
    "contains_any": _op(N_("contains one of the texts"), "list", "category"),
    "starts_with_any": _op(N_("starts with one of"), "list", "category"),
    "in_watch_list": _op(N_("is in the watch list"), "watch_list", "category"),
    "is_true": _op(N_("is yes"), "none", "flag"),
    "is_false": _op(N_("is no"), "none", "flag"),
    "is_empty": _op(N_("is empty"), "none", "category", "number", "date"),
    # Tests on fixed fields, so they take no field of their own.
    "unit_value_below_reference": _op(
        N_("unit value below this percentage of the reference price"), "percent"
    ),
    "weight_per_unit_outside": _op(N_("gross weight per unit outside the range"), "range"),
}
# The columns a field-less test reads, for the "is it in the data" check.
DERIVED_FIELDS: dict[str, tuple[str, ...]] = {
    "unit_value_below_reference": ("unit_value", "reference_price"),
    "weight_per_unit_outside": ("gross_weight", "quantity"),
}
MAX_DEPTH = 12  # nesting deeper than this is a mistake, and would strain recursion

# -- messages ---------------------------------------------------------------------------

MESSAGES: dict[str, str] = {
    "missing_key": N_("“{key}” is required here."),
    "unexpected_key": N_("“{key}” is not a known setting here."),
    "not_one_of": N_("“{value}” is not allowed here. Choose one of: {choices}."),
    "malformed": N_("This part of the criteria has the wrong form ({problem})."),
    "name_required": N_("Give the criterion a name."),
    "duplicate_name": N_("Two criteria are named “{name}”: give each its own name."),
    "unknown_operator": N_("“{op}” is not a known test."),
    "field_required": N_("Choose the data field that “{op}” tests."),
    "field_not_used": N_("“{op}” always tests the same fields: leave the field empty."),
    "unknown_field": N_("There is no data field called “{field}”."),
    "hidden_field": N_("{field} is the outcome the simulation hides: criteria cannot use it."),
    "operator_not_for_field": N_("“{op}” cannot be used on {field}."),
    "field_not_in_data": N_("The data set has no {field} column."),
    "value_required": N_("{subject}: enter a value."),
    "value_not_used": N_("{subject}: “{op}” does not use “{key}”; remove it."),
    "value_not_text": N_("{subject}: the value must be text."),
    "value_not_number": N_("{subject}: the value must be a number."),
    "value_not_date": N_("{subject}: the value must be a date written YYYY-MM-DD."),
    "value_not_list": N_("{subject}: the value must be a list."),
    "number_list_ambiguous": N_(
        "{subject}: “{text}” can be read as different lists of numbers. Separate the "
        "values with a semicolon, e.g. 1.5; 2.5, and write numbers without thousands "
        "separators."),
    "empty_list": N_("{subject}: the list is empty."),
    "empty_text": N_("{subject}: the text is empty."),
    "min_above_max": N_("{subject}: the lower limit {min} is above the upper limit {max}."),
    "not_positive": N_("{subject}: the value must be above zero."),
    "negative": N_("{subject}: the value cannot be negative."),
    "unknown_watch_list": N_("There is no watch list named “{name}”."),
    "watch_list_name_required": N_("Give the watch list a name."),
    "empty_watch_list": N_("The watch list “{name}” is empty."),
    "empty_group": N_("“{op}” needs at least one condition."),
    "not_needs_one_item": N_("“{op}” applies to exactly one condition or group."),
    "items_not_allowed": N_("“{op}” is a single test and cannot hold other conditions."),
    "too_deep": N_("The conditions are nested more than {limit} levels deep."),
    "rate_out_of_range": N_("{lane}: the random rate must be between 0% and 100%."),
    "rates_above_one": N_("The random rates add up to more than 100%."),
    "criteria_invalid": N_("Problems in the criteria ({count}): {problems}"),
}

# -- models -----------------------------------------------------------------------------

# Strict types: "8703" stays text and True stays a flag, so a wrong type is reported
# against the field's kind instead of being coerced into something that runs.
Scalar = StrictBool | StrictInt | StrictFloat | StrictStr


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Condition(_Model):
    """A test on a field (``op`` a test) or a group of conditions (``op`` and/or/not).

    One class for both keeps the JSON plain and the error paths short; `check_ruleset`
    says which keys each ``op`` needs. Dates are ISO strings (YYYY-MM-DD); text tests
    ignore case; ``contains_any`` and ``starts_with_any`` take a list and match when any
    of its texts does. ``in_watch_list`` takes the list's name as ``value``;
    ``unit_value_below_reference`` the percentage as ``value``; ``between`` and
    ``weight_per_unit_outside`` take ``min`` and ``max`` (both inclusive bounds).
    """

    op: str
    field: str | None = None
    value: Scalar | list[Scalar] | None = None
    min: Scalar | None = None
    max: Scalar | None = None
    items: list[Condition] | None = None


class Criterion(_Model):
    name: str
    lane: Lane
    # Within a lane the hit criterion with the highest priority decides (ties: first).
    priority: int = 0
    enabled: bool = True
    condition: Condition


class RuleSet(_Model):
    criteria: list[Criterion] = Field(default_factory=list)
    watch_lists: dict[str, list[str]] = Field(default_factory=dict)
    # Share (0-1) of the declarations no criterion selected (no item of them) that go to
    # each lane at random; rows without a declaration number count as declarations.
    random_rates: dict[RandomLane, float] = Field(default_factory=dict)
    seed: int = 0


# -- issues -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriteriaIssue:
    code: str
    path: str
    params: dict[str, object] = field(default_factory=dict)


class CriteriaError(RmdeskError):
    """Criteria that cannot run; `issues` says what and where."""

    def __init__(self, issues: list[CriteriaIssue]) -> None:
        super().__init__("criteria_invalid", count=len(issues))
        self.issues = issues

    def render(self, translate: Callable[[str], str]) -> str:
        problems = " ".join(render_issue(i, translate) for i in self.issues)
        return translate(MESSAGES["criteria_invalid"]).format(
            count=len(self.issues), problems=problems
        )


def render_issue(issue: CriteriaIssue, translate: Callable[[str], str]) -> str:
    """The issue as a sentence; field, operator and lane keys become translated labels
    (a data set's own column: its header, kept in the issue as `label`)."""
    params = dict(issue.params)
    if "field" in params:
        name = str(params["field"])
        label = params.get("label")
        params["field"] = label if isinstance(label, str) and is_extra_name(name) \
            else field_label(name, translate)
    if "op" in params:
        op = OPERATORS.get(str(params["op"]))
        params["op"] = translate(op.label) if op else params["op"]
    if "lane" in params:
        label = LANE_LABELS.get(str(params["lane"]))
        params["lane"] = translate(label) if label else params["lane"]
    if "subject" in params:  # a field name, else the name of a field-less test
        subject = str(params["subject"])
        label = params.get("label")
        if is_extra_name(subject):
            params["subject"] = label if isinstance(label, str) else \
                field_label(subject, translate)
        else:
            label = FIELD_BY_NAME[subject].label if subject in FIELD_BY_NAME else (
                OPERATORS[subject].label if subject in OPERATORS else None
            )
            params["subject"] = translate(label) if label else subject
    return translate(MESSAGES[issue.code]).format(**params)


def format_path(parts: Iterable[str | int]) -> str:
    """('criteria', 2, 'condition') -> 'criteria[2].condition'; dict keys as ["key"]."""
    out = ""
    previous: str | int | None = None
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif previous in ("watch_lists", "random_rates"):
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
        else:
            out += f".{part}" if out else part
        previous = part
    return out


# -- parsing ----------------------------------------------------------------------------


Fields = Iterable[str] | Mapping[str, FieldSpec]


def parse_ruleset(
    data: Mapping[str, object] | str | bytes, fields: Fields | None = None
) -> RuleSet:
    """A valid RuleSet from JSON text or decoded JSON, or CriteriaError with every issue.

    `fields`: the columns of the data set it will run on, when known (see check_ruleset).
    """
    try:
        if isinstance(data, str | bytes):
            ruleset = RuleSet.model_validate_json(data)
        else:
            ruleset = RuleSet.model_validate(data)
    except ValidationError as exc:
        raise CriteriaError(structure_issues(exc)) from None
    issues = check_ruleset(ruleset, fields)
    if issues:
        raise CriteriaError(issues)
    return ruleset


def structure_issues(exc: ValidationError) -> list[CriteriaIssue]:
    """Pydantic's errors as coded issues with our paths."""
    issues = []
    for error in exc.errors():
        loc = [p for p in error["loc"] if p != "[key]"]
        path = format_path(loc)
        kind = error["type"]
        if kind == "recursion_depth_exceeded":  # point at the criterion, not 1000 levels in
            path = format_path(loc[:3])
            issues.append(CriteriaIssue("too_deep", path, {"limit": MAX_DEPTH}))
        elif kind == "missing":
            issues.append(CriteriaIssue("missing_key", path, {"key": loc[-1]}))
        elif kind == "extra_forbidden":
            issues.append(CriteriaIssue("unexpected_key", path, {"key": loc[-1]}))
        elif kind == "literal_error":
            # pydantic's "'a', 'b' or 'c'" is English: keep only the choices themselves.
            expected = str(error.get("ctx", {}).get("expected", ""))
            choices = ", ".join(re.findall(r"'([^']*)'", expected)) or expected
            issues.append(
                CriteriaIssue(
                    "not_one_of", path, {"value": str(error["input"]), "choices": choices}
                )
            )
        else:
            issues.append(CriteriaIssue("malformed", path, {"problem": kind}))
    return issues


# -- semantic checks --------------------------------------------------------------------


def check_ruleset(ruleset: RuleSet, fields: Fields | None = None) -> list[CriteriaIssue]:
    """Every problem that would stop the rule set running; [] when it is valid.

    `fields`: the columns present in the data set, to report the ones a criterion needs
    but the data lacks; None skips that check. As a mapping of name to FieldSpec (a
    DeclarationTable's fields()), it also gives the kinds of the data set's own columns
    ("x:" names), so the tests on them are checked like those on built-in fields. Without
    their specs, a test on such a column is checked for its form only.
    """
    available = None if fields is None else frozenset(fields)
    specs = dict(fields) if isinstance(fields, Mapping) else {}
    issues: list[CriteriaIssue] = []
    for name, values in ruleset.watch_lists.items():
        path = format_path(["watch_lists", name])
        if not name.strip():
            issues.append(CriteriaIssue("watch_list_name_required", path))
        elif not values:
            issues.append(CriteriaIssue("empty_watch_list", path, {"name": name}))
    total = 0.0
    for lane, rate in ruleset.random_rates.items():
        if not (math.isfinite(rate) and 0.0 <= rate <= 1.0):
            issues.append(
                CriteriaIssue("rate_out_of_range", format_path(["random_rates", lane]),
                              {"lane": lane})
            )
        else:
            total += rate
    if total > 1.0 + 1e-9:
        issues.append(CriteriaIssue("rates_above_one", "random_rates"))
    seen: set[str] = set()
    for index, criterion in enumerate(ruleset.criteria):
        base = ["criteria", index]
        name = criterion.name.strip()
        if not name:
            issues.append(CriteriaIssue("name_required", format_path([*base, "name"])))
        elif name.casefold() in seen:
            issues.append(
                CriteriaIssue("duplicate_name", format_path([*base, "name"]), {"name": name})
            )
        seen.add(name.casefold())
        _check_node(criterion.condition, [*base, "condition"], 1, ruleset, available, issues,
                    specs)
    return issues


def _check_node(
    node: Condition,
    path: list[str | int],
    depth: int,
    ruleset: RuleSet,
    available: frozenset[str] | None,
    issues: list[CriteriaIssue],
    specs: Mapping[str, FieldSpec],
) -> None:
    extra = specs.get(node.field) if is_extra_name(node.field) else None

    def add(code: str, *where: str | int, **params: object) -> None:
        if extra is not None and ("field" in params or "subject" in params):
            params["label"] = extra.label  # the data set's header names its own column
        issues.append(CriteriaIssue(code, format_path([*path, *where]), params))

    spec = OPERATORS.get(node.op)
    if spec is None:
        add("unknown_operator", "op", op=node.op)
        return
    if spec.arity == "group":
        if depth > MAX_DEPTH:
            add("too_deep", limit=MAX_DEPTH)
            return
        for key in ("field", "value", "min", "max"):
            if getattr(node, key) is not None:
                add("value_not_used", key, subject=node.op, op=node.op, key=key)
        items = node.items or []
        if not items:
            add("empty_group", "items", op=node.op)
        elif node.op == "not" and len(items) != 1:
            add("not_needs_one_item", "items", op=node.op)
        for i, item in enumerate(items):
            _check_node(item, [*path, "items", i], depth + 1, ruleset, available, issues,
                        specs)
        return
    if node.items is not None:
        add("items_not_allowed", "items", op=node.op)
    if not spec.kinds:  # a field-less test on fixed columns
        if node.field is not None:
            add("field_not_used", "field", op=node.op)
        if available is not None:
            for column in DERIVED_FIELDS[node.op]:
                if column not in available:
                    add("field_not_in_data", op=node.op, field=column)
        kind = "number"
        subject = node.op
    else:
        if node.field is None:
            add("field_required", "field", op=node.op)
            return
        fspec = FIELD_BY_NAME.get(node.field) or extra
        if fspec is None and is_extra_name(node.field):
            # A data set's own column, its kind unknown here: the data set at hand lacks
            # it, or there is none at hand (a profile saved as typed; its run checks it).
            if available is not None:
                add("field_not_in_data", "field", field=node.field)
            _check_arguments(node, spec, None, node.field, ruleset, add)
            return
        if fspec is None:
            add("unknown_field", "field", field=node.field)
            return
        if fspec.hidden:
            add("hidden_field", "field", field=node.field)
            return
        if fspec.kind not in spec.kinds:
            add("operator_not_for_field", "op", op=node.op, field=node.field)
            return
        if available is not None and node.field not in available:
            add("field_not_in_data", "field", field=node.field)
        kind = fspec.kind
        subject = node.field
    _check_arguments(node, spec, kind, subject, ruleset, add)


def _check_arguments(
    node: Condition,
    spec: OperatorSpec,
    kind: str | None,
    subject: str,
    ruleset: RuleSet,
    add: Callable[..., None],
) -> None:
    """`kind` None: a column whose kind is not known here; values are checked for their
    form only (text, number or date all fit)."""
    used = {
        "none": (),
        "scalar": ("value",),
        "list": ("value",),
        "watch_list": ("value",),
        "percent": ("value",),
        "range": ("min", "max"),
    }[spec.arity]
    for key in ("value", "min", "max"):
        present = getattr(node, key) is not None
        if key in used and not present:
            add("value_required", key, subject=subject)
        elif key not in used and present:
            add("value_not_used", key, subject=subject, op=node.op, key=key)
    # Text tests take text, every other test on a category field takes text too.
    value_kind = "text" if kind == "category" else (kind or "any")
    if spec.arity == "scalar" and node.value is not None:
        _check_scalar(node.value, value_kind, subject, add, "value")
        if value_kind == "text" and node.value == "":
            add("empty_text", "value", subject=subject)
    elif spec.arity == "list" and node.value is not None:
        if not isinstance(node.value, list):
            add("value_not_list", "value", subject=subject)
        elif not node.value:
            add("empty_list", "value", subject=subject)
        else:
            for i, item in enumerate(node.value):
                if value_kind in ("number", "integer") and isinstance(item, str) \
                        and "," in item:  # the editor keeps such a list as typed
                    add("number_list_ambiguous", "value", i, subject=subject, text=item)
                elif _check_scalar(item, value_kind, subject, add, "value", i) and item == "":
                    add("empty_text", "value", i, subject=subject)
    elif spec.arity == "watch_list" and node.value is not None:
        if not isinstance(node.value, str):
            add("value_not_text", "value", subject=subject)
        elif node.value not in ruleset.watch_lists:
            add("unknown_watch_list", "value", name=node.value)
    elif spec.arity == "percent" and node.value is not None:
        if _check_scalar(node.value, "number", subject, add, "value"):
            if float(node.value) <= 0:  # type: ignore[arg-type]
                add("not_positive", "value", subject=subject)
    elif spec.arity == "range" and node.min is not None and node.max is not None:
        low_ok = _check_scalar(node.min, value_kind, subject, add, "min")
        high_ok = _check_scalar(node.max, value_kind, subject, add, "max")
        if not (low_ok and high_ok) or value_kind == "any":
            return
        if not spec.kinds:  # weight per unit: a physical quantity
            for key in ("min", "max"):
                if float(getattr(node, key)) < 0:
                    add("negative", key, subject=subject)
        low, high = scalar_value(node.min, value_kind), scalar_value(node.max, value_kind)
        if low > high:  # type: ignore[operator]
            add("min_above_max", "min", subject=subject, min=node.min, max=node.max)


def _check_scalar(
    value: object, kind: str, subject: str, add: Callable[..., None], *where: str | int
) -> bool:
    """True when `value` fits a field of `kind`; reports the issue otherwise."""
    if kind == "any":  # kind unknown: any JSON scalar but a flag (flags take no value)
        if isinstance(value, str) or (isinstance(value, int | float) and
                                      not isinstance(value, bool) and math.isfinite(value)):
            return True
        add("value_not_text", *where, subject=subject)
        return False
    if kind == "text":
        if isinstance(value, str):
            return True
        add("value_not_text", *where, subject=subject)
        return False
    if kind in ("number", "integer"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value):
                return True
        add("value_not_number", *where, subject=subject)
        return False
    if kind == "date":
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
                return True
            except ValueError:
                pass
        add("value_not_date", *where, subject=subject)
        return False
    raise AssertionError(kind)  # flags take no value


def scalar_value(value: object, kind: str) -> str | float | date:
    """A checked JSON scalar as the Python value a test compares with."""
    if kind == "date":
        return date.fromisoformat(str(value))
    if kind in ("number", "integer"):
        return float(value)  # type: ignore[arg-type]
    return str(value)
