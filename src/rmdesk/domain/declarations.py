"""Import declarations as a column table: the data the targeting exercises (E6-E9) run on.

Columns are numpy arrays. Text-like fields are dictionary-encoded (an int32 code per row
plus a tuple of distinct values), so equality, lists, watch lists and even "contains"
are evaluated once per distinct value and then gathered by code: a million rows of
HS codes or importer names cost no more than their few thousand distinct values.
No Qt, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from rmdesk.i18n import N_

Kind = Literal["category", "number", "integer", "date", "flag"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    label: str  # N_-marked; translate where shown
    hidden: bool = False  # the outcome: known to the simulation, never to the criteria


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("declaration_no", "category", N_("Declaration number")),
    FieldSpec("item_no", "integer", N_("Item number")),
    FieldSpec("date", "date", N_("Date")),
    FieldSpec("importer", "category", N_("Importer")),
    FieldSpec("importer_compliance", "number", N_("Importer compliance score")),
    FieldSpec("declarant", "category", N_("Declarant")),
    FieldSpec("declarant_compliance", "number", N_("Declarant compliance score")),
    FieldSpec("hs_code", "category", N_("HS code")),
    FieldSpec("description", "category", N_("Goods description")),
    FieldSpec("origin", "category", N_("Country of origin")),
    FieldSpec("consignment", "category", N_("Country of consignment")),
    FieldSpec("route", "category", N_("Route")),
    FieldSpec("transhipment", "flag", N_("Transhipment")),
    FieldSpec("transport_mode", "category", N_("Transport mode")),
    FieldSpec("containers", "integer", N_("Containers")),
    FieldSpec("gross_weight", "number", N_("Gross weight (kg)")),
    FieldSpec("quantity", "number", N_("Quantity")),
    FieldSpec("declared_value", "number", N_("Declared value (USD)")),
    FieldSpec("unit_value", "number", N_("Unit value (USD)")),
    FieldSpec("reference_price", "number", N_("Reference unit price (USD)")),
    FieldSpec("freight", "number", N_("Freight (USD)")),
    FieldSpec("procedure", "category", N_("Customs procedure")),
    FieldSpec("non_compliant", "flag", N_("Non-compliant (outcome)"), hidden=True),
    FieldSpec("offence", "category", N_("Offence found (outcome)"), hidden=True),
)
FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
VISIBLE_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if not f.hidden)

OFFENCES: dict[str, str] = {
    "none": N_("None"),
    "undervaluation": N_("Undervaluation"),
    "misclassification": N_("Misclassification"),
    "origin_fraud": N_("Origin fraud"),
    "counterfeit": N_("Counterfeit goods"),
    "drugs": N_("Drugs"),
    "prohibited": N_("Other prohibited goods"),
}
TRANSPORT_MODES: dict[str, str] = {
    "sea": N_("Sea"), "air": N_("Air"), "road": N_("Road"), "rail": N_("Rail"),
    "post": N_("Post and express"),
}


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
