"""The declaration data elements: names, kinds and labels (no numpy, so content packs and
the start-up path can check field names cheaply)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
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
    extra: bool = False  # a data set's own column: `label` is its header, not N_-marked


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


# -- a data set's own columns ("extra fields") ----------------------------------------
# Columns of an imported file that map to no built-in field can be kept under a name of
# their own: "x:" plus a slug of the header (lower-case ASCII letters, digits, "_"), so
# such a name can never be a built-in field's and never carries the file's raw text into
# array names or criteria. The header itself is kept as the label, shown untranslated.

EXTRA_PREFIX = "x:"
EXTRA_KINDS: tuple[Kind, ...] = ("category", "number", "date", "flag")
MAX_EXTRA_FIELDS = 40  # per data set: more is not a declaration extract any more
MAX_EXTRA_SLUG = 40
MAX_EXTRA_LABEL = 80
_EXTRA_NAME = re.compile(rf"x:[a-z0-9](?:[a-z0-9_]{{0,{MAX_EXTRA_SLUG - 2}}}[a-z0-9])?")


def is_extra_name(name: object) -> bool:
    """True for a well-formed extra field name ("x:tax_rate")."""
    return isinstance(name, str) and _EXTRA_NAME.fullmatch(name) is not None


def extra_label_problem(label: object) -> str | None:
    """Why `label` cannot be an extra field's label (a key), or None when it can."""
    if not isinstance(label, str) or not label.strip():
        return "empty"
    if len(label) > MAX_EXTRA_LABEL or label != " ".join(label.split()):
        return "form"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in label):
        return "character"
    return None


def clean_extra_label(header: str) -> str:
    """A file's header as an extra field's label: one line, no control characters, cut
    to MAX_EXTRA_LABEL characters."""
    text = "".join(ch for ch in str(header) if unicodedata.category(ch) not in
                   ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = " ".join(text.split())
    if len(text) > MAX_EXTRA_LABEL:
        text = text[:MAX_EXTRA_LABEL - 1].rstrip() + "…"
    return text


def extra_name_for(header: str, taken: Iterable[str] = ()) -> str:
    """The extra field name for a header: its slug, made unique among `taken`
    ("Tax rate" -> "x:tax_rate"; a second one "x:tax_rate_2"; "Ñ" alone -> "x:column")."""
    text = unicodedata.normalize("NFKD", str(header))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    slug = "_".join(re.sub(r"[^a-z0-9]+", " ", text).split())[:MAX_EXTRA_SLUG - 3]
    slug = slug.strip("_") or "column"
    used = set(taken)
    name, number = EXTRA_PREFIX + slug, 2
    while name in used:
        name = f"{EXTRA_PREFIX}{slug}_{number}"
        number += 1
    return name


def extra_field(name: str, kind: str, label: str) -> FieldSpec:
    """An extra field's spec, checked: ValueError when the name, kind or label is not
    one rmdesk writes."""
    if not is_extra_name(name):
        raise ValueError("extra field name")
    if kind not in EXTRA_KINDS:
        raise ValueError("extra field kind")
    if extra_label_problem(label) is not None:
        raise ValueError("extra field label")
    return FieldSpec(name, kind, label, extra=True)  # type: ignore[arg-type]


def field_lookup(extra: Iterable[FieldSpec] = ()) -> dict[str, FieldSpec]:
    """The fields of a data set: the built-in ones, then its own columns."""
    lookup = dict(FIELD_BY_NAME)
    lookup.update((spec.name, spec) for spec in extra)
    return lookup


def field_label(name: str, translate: Callable[[str], str],
                fields: Mapping[str, FieldSpec] | None = None) -> str:
    """What to call a field in a sentence: a built-in field's translated label, an extra
    field's own header, else (an extra field of a data set not at hand) its slug."""
    spec = (fields or FIELD_BY_NAME).get(name) or FIELD_BY_NAME.get(name)
    if spec is not None:
        return spec.label if spec.extra else translate(spec.label)
    if is_extra_name(name):
        return name[len(EXTRA_PREFIX):]
    return name
