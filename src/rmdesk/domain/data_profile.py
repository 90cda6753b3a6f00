"""A data set's profile: per field, how its values are spread and how often each kind of
value was non-compliant, so a group can choose criteria and thresholds from the data
rather than by guess (E7), and print it for the room.

Computed with numpy from the stored column arrays (a million rows in well under a
second): a category or flag field gives its most frequent values with their item counts
and non-compliance rates; a number field its quantiles and the non-compliance rate
between them; a date field its range and the items per month. Rows are declaration
items, as the criteria count them. The rates need the outcome column; without it they
are None. No Qt, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rmdesk.domain.declaration_fields import (
    FIELD_BY_NAME,
    OFFENCES,
    TRANSPORT_MODES,
    VISIBLE_FIELDS,
    FieldSpec,
    Kind,
    field_label,
    field_lookup,
)
from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.i18n import N_
from rmdesk.i18n.formatting import format_date, format_number, format_percent

TOP_VALUES = 12  # values listed per category field (the rest are summed up)
QUANTILES: tuple[float, ...] = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)
QUANTILE_LABELS: dict[float, str] = {
    0.0: N_("Minimum"), 0.1: N_("10th percentile"), 0.25: N_("25th percentile"),
    0.5: N_("Median"), 0.75: N_("75th percentile"), 0.9: N_("90th percentile"),
    1.0: N_("Maximum"),
}
MAX_MONTHS = 36  # a date field lists its months up to this many, most recent last


@dataclass(frozen=True)
class ValueCount:
    """One value (or band, or month) of a field: its items, and of those the
    non-compliant ones (None: the data set has no outcome)."""

    value: object  # str (category), bool (flag), dt.date (first of a month), or a band
    #                of a number field: (low, high, closed): low <= x < high (closed: <=)
    items: int
    non_compliant: int | None

    @property
    def rate(self) -> float | None:
        if self.non_compliant is None or not self.items:
            return None
        return self.non_compliant / self.items


@dataclass(frozen=True)
class FieldProfile:
    field: str
    kind: Kind
    items: int  # rows of the data set
    missing: int  # rows without a value
    distinct: int  # different values present (categories, flags, dates)
    values: tuple[ValueCount, ...]  # top values, flag values, months or number bands
    others: ValueCount | None = None  # the values beyond the top ones, together
    quantiles: tuple[tuple[float, float], ...] = ()  # (fraction, value), numbers only
    mean: float | None = None
    first: dt.date | None = None  # dates only
    last: dt.date | None = None


@dataclass(frozen=True)
class DataProfile:
    items: int
    non_compliant: int | None  # None: no outcome column
    fields: tuple[FieldProfile, ...]
    extra: tuple[FieldSpec, ...] = ()  # the data set's own columns

    def label(self, name: str, translate: Callable[[str], str]) -> str:
        """A field's name as shown: a built-in field's translated label, an own column's
        header as the file had it."""
        return field_label(name, translate, field_lookup(self.extra))

    @property
    def rate(self) -> float | None:
        if self.non_compliant is None or not self.items:
            return None
        return self.non_compliant / self.items

    def field(self, name: str) -> FieldProfile | None:
        return next((f for f in self.fields if f.field == name), None)


# A number per declaration: every value is its own, nothing to learn about risk.
NOT_PROFILED = frozenset({"declaration_no"})


def profile_fields(table: DeclarationTable) -> tuple[str, ...]:
    """The fields a profile describes: those a criterion can test, in table order: the
    built-in ones, then the data set's own columns in the file's order."""
    builtin = tuple(name for name in VISIBLE_FIELDS
                    if name in table.columns and name not in NOT_PROFILED)
    return builtin + tuple(spec.name for spec in table.extra if spec.name in table.columns)


def profile_table(table: DeclarationTable, fields: tuple[str, ...] | None = None,
                  top: int = TOP_VALUES) -> DataProfile:
    outcome = _outcome(table)
    names = profile_fields(table) if fields is None else fields
    return DataProfile(len(table), None if outcome is None else int(outcome.sum()),
                       tuple(profile_field(table, name, top, outcome) for name in names),
                       extra=table.extra)


def _outcome(table: DeclarationTable) -> np.ndarray | None:
    if not table.has_outcome():
        return None
    return np.asarray(table.column("non_compliant"), dtype=bool)


def profile_field(table: DeclarationTable, name: str, top: int = TOP_VALUES,
                  outcome: np.ndarray | None = None) -> FieldProfile:
    """The profile of one field of `table` (KeyError if the table lacks it)."""
    if outcome is None:
        outcome = _outcome(table)
    column = table.column(name)
    kind = table.fields()[name].kind if name not in FIELD_BY_NAME else \
        FIELD_BY_NAME[name].kind
    if isinstance(column, CategoryColumn):
        return _category(name, kind, column, outcome, top)
    data = np.asarray(column)
    if kind == "flag":
        return _flag(name, data.astype(bool), outcome)
    if kind == "date":
        return _dates(name, data.astype("datetime64[D]"), outcome)
    return _numbers(name, kind, data, outcome)


def _counts(codes: np.ndarray, size: int, outcome: np.ndarray | None
            ) -> tuple[np.ndarray, np.ndarray | None]:
    """Items and non-compliant items per code 0..size-1 (codes below 0 left out)."""
    valid = codes >= 0
    items = np.bincount(codes[valid], minlength=size)
    if outcome is None:
        return items, None
    bad = np.bincount(codes[valid], weights=outcome[valid], minlength=size)
    return items, np.rint(bad).astype(np.int64)


def _value(value: object, code: int, items: np.ndarray, bad: np.ndarray | None
           ) -> ValueCount:
    return ValueCount(value, int(items[code]), None if bad is None else int(bad[code]))


def _category(name: str, kind: Kind, column: CategoryColumn, outcome: np.ndarray | None,
              top: int) -> FieldProfile:
    codes = np.asarray(column.codes)
    items, bad = _counts(codes, len(column.values), outcome)
    present = np.flatnonzero(items)
    # most items first; equal counts in the values' order
    order = present[np.lexsort((present, -items[present]))]
    shown = order[:top]
    rest = order[top:]
    others = None
    if rest.size:
        others = ValueCount(None, int(items[rest].sum()),
                            None if bad is None else int(bad[rest].sum()))
    return FieldProfile(
        name, kind, len(codes), int((codes < 0).sum()), int(present.size),
        tuple(_value(column.values[i], int(i), items, bad) for i in shown.tolist()),
        others)


def _flag(name: str, data: np.ndarray, outcome: np.ndarray | None) -> FieldProfile:
    items, bad = _counts(data.astype(np.int64), 2, outcome)
    values = tuple(_value(flag, int(flag), items, bad) for flag in (True, False)
                   if items[int(flag)])
    return FieldProfile(name, "flag", len(data), 0, len(values), values)


def _dates(name: str, data: np.ndarray, outcome: np.ndarray | None) -> FieldProfile:
    present = ~np.isnat(data)
    days = data[present]
    if not days.size:
        return FieldProfile(name, "date", len(data), len(data), 0, ())
    months = days.astype("datetime64[M]")
    first_month = months.min()
    index = (months - first_month).astype(np.int64)
    span = int(index.max()) + 1
    items, bad = _counts(index, span, None if outcome is None else outcome[present])
    start = max(0, span - MAX_MONTHS)
    values = tuple(
        _value((first_month + i).astype("datetime64[D]").item(), i, items, bad)
        for i in range(start, span) if items[i])
    return FieldProfile(name, "date", len(data), int((~present).sum()),
                        int(np.unique(days).size), values,
                        first=days.min().item(), last=days.max().item())


def _numbers(name: str, kind: Kind, data: np.ndarray, outcome: np.ndarray | None
             ) -> FieldProfile:
    values = data.astype(np.float64)
    present = ~np.isnan(values)
    if kind == "integer":
        present &= values >= 0  # an empty integer cell is stored as -1
    numbers = values[present]
    if not numbers.size:
        return FieldProfile(name, kind, len(data), len(data), 0, ())
    # Observed values (the smallest with at least q of the items at or below it), so a
    # threshold read off the profile is one the data hold.
    cuts = np.quantile(numbers, QUANTILES, method="inverted_cdf")
    quantiles = tuple((q, float(v)) for q, v in zip(QUANTILES, cuts, strict=True))
    # Bands from one quartile up to the next, [min, p25), [p25, median), [median, p75),
    # and the last one [p75, max] closed; quartiles that coincide make one band.
    edges = np.unique(cuts[[0, 2, 3, 4]])
    band = np.searchsorted(edges, numbers, side="right") - 1
    items, bad = _counts(band, len(edges), None if outcome is None else outcome[present])
    top = float(cuts[-1])
    bands = tuple(
        _value((float(edges[i]), float(edges[i + 1]) if i + 1 < len(edges) else top,
                i + 1 == len(edges)), i, items, bad)
        for i in range(len(edges)))
    return FieldProfile(name, kind, len(data), int((~present).sum()),
                        int(np.unique(numbers).size) if kind == "integer" else 0,
                        bands, quantiles=quantiles, mean=float(numbers.mean()))


def value_label(field: str, value: object, translate: Callable[[str], str],
                lang: str) -> str:
    """A value as a table shows it, in `lang`: transport modes and offences by their
    names, yes/no, months, bands "from – to"."""
    if value is None:
        return translate("(all other values)")
    if isinstance(value, bool):
        return translate("Yes") if value else translate("No")
    if isinstance(value, dt.date):
        return format_date(value, lang, fmt="MMM y")
    if isinstance(value, tuple):
        low, high, closed = value
        if low == high:
            return format_number(low, lang)
        template = translate("{low} to {high}") if closed else \
            translate("{low} to under {high}")
        return template.format(low=format_number(low, lang), high=format_number(high, lang))
    text = str(value)
    if field == "transport_mode" and text in TRANSPORT_MODES:
        return translate(TRANSPORT_MODES[text])
    if field == "offence" and text in OFFENCES:
        return translate(OFFENCES[text])
    return text


def value_rows(profile: FieldProfile, translate: Callable[[str], str], lang: str
               ) -> list[tuple[str, str, str, str]]:
    """The table of a field's profile as text: value (or band, or month), items, share
    of the items, non-compliance rate ("–" without an outcome)."""
    rows = []
    for count in (*profile.values, *([profile.others] if profile.others else [])):
        share = format_percent(count.items / profile.items, lang, digits=1) \
            if profile.items else "–"
        rate = "–" if count.rate is None else format_percent(count.rate, lang, digits=1)
        rows.append((value_label(profile.field, count.value, translate, lang),
                     format_number(count.items, lang), share, rate))
    return rows


def value_heading(profile: FieldProfile, translate: Callable[[str], str]) -> str:
    """The heading of the table's first column."""
    if profile.kind in ("number", "integer"):
        return translate("Range (quartiles)")
    if profile.kind == "date":
        return translate("Month")
    return translate("Value")


def summary_lines(profile: FieldProfile, has_outcome: bool,
                  translate: Callable[[str], str], lang: str) -> list[str]:
    """What goes above the table: items, missing and different values, the quantiles
    and mean of a number field, the range of a date field."""
    lines = [translate("{items} items; without a value: {missing}.").format(
        items=format_number(profile.items, lang),
        missing=format_number(profile.missing, lang))]
    if profile.kind != "number" and profile.distinct:
        lines.append(translate("Different values: {count}.").format(
            count=format_number(profile.distinct, lang)))
    if profile.quantiles:
        lines.append(" · ".join(f"{translate(QUANTILE_LABELS[q])} {format_number(v, lang)}"
                                for q, v in profile.quantiles))
    if profile.mean is not None:
        lines.append(translate("Mean: {mean}").format(mean=format_number(profile.mean, lang)))
    if profile.first is not None and profile.last is not None:
        lines.append(translate("From {first} to {last}.").format(
            first=format_date(profile.first, lang, "medium"),
            last=format_date(profile.last, lang, "medium")))
    if not has_outcome:
        lines.append(translate("This data set has no outcome column: no non-compliance "
                               "rates."))
    return lines


# Texts passed through `translate` above: marked here so the catalogs have them.
_TEXTS = (N_("(all other values)"), N_("Yes"), N_("No"), N_("{low} to {high}"),
          N_("{low} to under {high}"),
          N_("Range (quartiles)"), N_("Month"), N_("Value"),
          N_("{items} items; without a value: {missing}."), N_("Different values: {count}."),
          N_("Mean: {mean}"), N_("From {first} to {last}."),
          N_("This data set has no outcome column: no non-compliance rates."))
