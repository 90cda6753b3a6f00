"""The declaration data elements: names, kinds and labels (no numpy, so content packs and
the start-up path can check field names cheaply)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
