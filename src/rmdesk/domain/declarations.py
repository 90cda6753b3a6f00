"""Import declarations as a column table: the data the targeting exercises (E6-E9) run on.

Columns are numpy arrays. Text-like fields are dictionary-encoded (an int32 code per row
plus a tuple of distinct values), so equality, lists, watch lists and even "contains"
are evaluated once per distinct value and then gathered by code: a million rows of
HS codes or importer names cost no more than their few thousand distinct values.
No Qt, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rmdesk.domain.declaration_fields import (  # noqa: F401 - re-exported
    FIELD_BY_NAME,
    FIELDS,
    MAX_EXTRA_FIELDS,
    OFFENCES,
    TRANSPORT_MODES,
    VISIBLE_FIELDS,
    FieldSpec,
    Kind,
    field_lookup,
)


@dataclass(frozen=True)
class CategoryColumn:
    """Dictionary-encoded text: codes[i] indexes values (-1 means empty)."""

    codes: np.ndarray  # int32
    values: tuple[str, ...]

    @classmethod
    def from_strings(cls, items: list[str] | np.ndarray) -> CategoryColumn:
        array = np.asarray(items, dtype=object)
        uniques, codes = np.unique(array.astype(str), return_inverse=True)
        values = tuple(str(u) for u in uniques)
        codes = codes.astype(np.int32)
        if "" in values:  # keep "" as "missing", not a value a criterion can match
            empty = values.index("")
            codes = np.where(codes == empty, -1, codes - (codes > empty)).astype(np.int32)
            values = values[:empty] + values[empty + 1:]
        return cls(codes, values)

    def __len__(self) -> int:
        return len(self.codes)

    def decode(self, rows: np.ndarray | slice | None = None) -> list[str]:
        codes = self.codes if rows is None else self.codes[rows]
        lookup = np.array((*self.values, ""), dtype=object)
        return list(lookup[codes])  # -1 picks the trailing ""


@dataclass
class DeclarationTable:
    """One row per declaration item. Number/integer/date/flag columns are plain arrays
    (float64, int64, datetime64[D], bool); category columns are CategoryColumn.

    `extra`: the data set's own columns (declaration_fields.extra_field specs), each with
    a column under its "x:" name; built-in fields keep their fixed names."""

    columns: dict[str, np.ndarray | CategoryColumn] = field(default_factory=dict)
    extra: tuple[FieldSpec, ...] = ()

    def __post_init__(self) -> None:
        lengths = {len(col) for col in self.columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        if len(self.extra) > MAX_EXTRA_FIELDS:
            raise ValueError(f"more than {MAX_EXTRA_FIELDS} extra fields")
        names = [spec.name for spec in self.extra]
        if len(set(names)) != len(names) or not all(spec.extra for spec in self.extra) \
                or set(names) & set(FIELD_BY_NAME):
            raise ValueError("extra fields must be extra specs with distinct names")
        unknown = set(self.columns) - set(FIELD_BY_NAME) - set(names)
        if unknown:
            raise ValueError(f"unknown columns: {sorted(unknown)}")
        absent = set(names) - set(self.columns)
        if absent:
            raise ValueError(f"extra fields without a column: {sorted(absent)}")

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def column(self, name: str) -> np.ndarray | CategoryColumn:
        return self.columns[name]

    def fields(self) -> dict[str, FieldSpec]:
        """The spec of every column present, built-in and extra, in field order (what
        criteria.check_ruleset and the editor take as a data set's fields)."""
        lookup = field_lookup(self.extra)
        return {name: spec for name, spec in lookup.items() if name in self.columns}

    def has_outcome(self) -> bool:
        return "non_compliant" in self.columns
