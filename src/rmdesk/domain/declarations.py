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
    OFFENCES,
    TRANSPORT_MODES,
    VISIBLE_FIELDS,
    FieldSpec,
    Kind,
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
    (float64, int64, datetime64[D], bool); category columns are CategoryColumn."""

    columns: dict[str, np.ndarray | CategoryColumn] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lengths = {len(col) for col in self.columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        unknown = set(self.columns) - set(FIELD_BY_NAME)
        if unknown:
            raise ValueError(f"unknown columns: {sorted(unknown)}")

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def column(self, name: str) -> np.ndarray | CategoryColumn:
        return self.columns[name]

    def has_outcome(self) -> bool:
        return "non_compliant" in self.columns
