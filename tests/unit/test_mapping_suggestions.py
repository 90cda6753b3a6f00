"""Mapping suggestions on the headers of real extracts: every language, abbreviations,
customs-system exports, and the ways spreadsheets spell a header (case, accents, snake or
camel case, units in brackets), as properties over a table of variants."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.services.mapping_suggestions import suggest_mapping

# field -> language -> headers seen in extracts ("sys": customs-system exports)
VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "declaration_no": {
        "en": ("Declaration number", "Declaration ID", "Decl. No", "Declaration ref",
               "Reg. number", "Customs declaration number", "Entry number"),
        "es": ("Número de declaración", "Nº DUA", "Nro. declaración", "Número de registro",
               "Número de pedimento"),
        "pt": ("Número da declaração", "Nº DI", "Número DUIMP", "Registro da declaração"),
        "fr": ("Numéro de déclaration", "N° de déclaration", "Numéro d'enregistrement"),
        "sys": ("DECL_ID", "DeclarationNumber", "REG_NUMBER", "MRN", "SAD_NO"),
    },
    "date": {
        "en": ("Declaration date", "Registration date", "Reg. date", "Acceptance date"),
        "es": ("Fecha de registro", "Fecha de la declaración", "Fecha de numeración"),
        "pt": ("Data de registro", "Data da declaração", "Data de desembaraço"),
        "fr": ("Date d'enregistrement", "Date de la déclaration", "Date de liquidation"),
        "sys": ("REG_DATE", "DeclarationDate", "decl_date"),
    },
    "importer": {
        "en": ("Importer", "Importer TIN", "Consignee code", "Importer name"),
        "es": ("Importador", "NIT importador", "RUT del importador", "Consignatario"),
        "pt": ("Importador", "CNPJ do importador", "Razão social importador"),
        "fr": ("Importateur", "NIF importateur", "Code importateur", "Destinataire"),
        "sys": ("IMPORTER_ID", "ImporterCode", "CONSIGNEE_CODE"),
    },
    "declarant": {
        "en": ("Declarant", "Declarant code", "Customs broker", "Broker code"),
        "es": ("Declarante", "Agente de aduanas", "Código del declarante", "Agente aduanero"),
        "pt": ("Despachante", "Despachante aduaneiro", "CPF do despachante", "Declarante"),
        "fr": ("Déclarant", "Commissionnaire en douane", "Code déclarant", "Transitaire"),
        "sys": ("DECLARANT_CODE", "DeclarantTin", "BROKER_ID"),
    },
    "hs_code": {
        "en": ("HS code", "HS10", "HS 8", "Commodity code", "Tariff code (8 digits)",
               "Tariff number", "CN code", "HTS code"),
        "es": ("Código SA", "Partida arancelaria", "Subpartida nacional", "Fracción arancelaria",
               "NANDINA", "Posición arancelaria (10 dígitos)"),
        "pt": ("NCM", "Código NCM", "NCM 8", "Classificação fiscal", "Código SH"),
        "fr": ("Code SH", "Position tarifaire", "Code SH (10 chiffres)", "Nomenclature",
               "Code NC"),
        "sys": ("HS_CODE", "HSCode", "COMMODITY_CODE", "hs6", "TARIC_CODE"),
    },
    "description": {
        "en": ("Goods description", "Description of goods", "Item description"),
        "es": ("Descripción de la mercancía", "Descripción comercial"),
        "pt": ("Descrição da mercadoria", "Descrição do produto"),
        "fr": ("Désignation des marchandises", "Description commerciale"),
        "sys": ("GOODS_DESC", "ItemDescription"),
    },
    "origin": {
        "en": ("Country of origin", "Origin", "Cty of origin", "COO"),
        "es": ("País de origen", "Origen"),
        "pt": ("País de origem", "Origem"),
        "fr": ("Pays d'origine", "Origine"),
        "sys": ("ORIGIN_CTY", "CountryOfOrigin", "origin_country_code"),
    },
    "consignment": {
        "en": ("Country of export", "Country of departure", "Cty of export",
               "Country of consignment", "Dispatch country", "Export country"),
        "es": ("País de procedencia", "País de exportación", "País de embarque"),
        "pt": ("País de procedência", "País de aquisição", "País de exportação"),
        "fr": ("Pays de provenance", "Pays d'exportation", "Pays d'expédition"),
        "sys": ("EXPORT_CTY", "CountryOfExport", "DEPARTURE_COUNTRY"),
    },
    "transport_mode": {
        "en": ("Mode of transport", "Transport mode at the border"),
        "es": ("Modo de transporte", "Vía de transporte", "Medio de transporte"),
        "pt": ("Modalidade de transporte", "Via de transporte"),
        "fr": ("Mode de transport", "Mode de transport à la frontière"),
        "sys": ("TRANSPORT_MODE", "ModeOfTransport"),
    },
    "gross_weight": {
        "en": ("Gross weight (kg)", "Gross mass", "Gross mass (kg)", "Gross wt"),
        "es": ("Peso bruto", "Peso bruto (kg)", "Masa bruta"),
        "pt": ("Peso bruto", "Peso bruto (kg)"),
        "fr": ("Poids brut", "Masse brute (kg)"),
        "sys": ("GROSS_MASS", "GrossWeightKg", "GROSS_WT_KG"),
    },
    "quantity": {
        "en": ("Quantity", "Qty", "Supplementary units"),
        "es": ("Cantidad", "Unidades físicas", "Cantidad comercial"),
        "pt": ("Quantidade", "Qtde", "Quantidade estatística"),
        "fr": ("Quantité", "Unités supplémentaires"),
        "sys": ("QTY", "SupplementaryQuantity"),
    },
    "declared_value": {
        "en": ("Declared value (USD)", "Customs value", "Item price", "Invoice value",
               "Statistical value", "Value"),
        "es": ("Valor en aduana", "Valor FOB (USD)", "Valor declarado", "Valor del ítem"),
        "pt": ("Valor aduaneiro", "Valor FOB", "Valor da mercadoria", "VMLE"),
        "fr": ("Valeur en douane", "Valeur déclarée", "Valeur FOB", "Valeur statistique"),
        "sys": ("ITEM_PRICE", "CustomsValue", "STAT_VALUE_USD"),
    },
    "unit_value": {
        "en": ("Unit value", "Unit price", "Price per unit"),
        "es": ("Valor unitario", "Precio unitario"),
        "pt": ("Valor unitário", "Preço unitário"),
        "fr": ("Valeur unitaire", "Prix unitaire"),
        "sys": ("UNIT_PRICE", "UnitValueUsd"),
    },
    "procedure": {
        "en": ("Customs procedure", "Procedure code", "CPC"),
        "es": ("Régimen aduanero", "Código de régimen"),
        "pt": ("Regime aduaneiro",),
        "fr": ("Régime douanier", "Code régime"),
        "sys": ("PROCEDURE_CODE", "CustomsRegime"),
    },
    "non_compliant": {
        "en": ("Non-compliant", "Fraud", "Illicit", "Control result", "Inspection result",
               "Fraud found", "Seizure"),
        "es": ("Resultado del control", "Fraude", "Ilícito", "Resultado del aforo",
               "Hallazgo"),
        "pt": ("Resultado da conferência", "Irregularidade", "Apreensão", "Não conforme"),
        "fr": ("Résultat du contrôle", "Fraude", "Saisie", "Non conforme",
               "Résultat de la visite"),
        "sys": ("FRAUD_FLAG", "IllicitFound", "CONTROL_RESULT", "is_fraud"),
    },
    "offence": {
        "en": ("Offence type", "Type of fraud", "Nature of offence"),
        "es": ("Tipo de infracción", "Tipo de fraude"),
        "pt": ("Tipo de infração", "Tipo de irregularidade"),
        "fr": ("Type d'infraction", "Nature de l'infraction"),
        "sys": ("OFFENCE_TYPE", "FraudType"),
    },
}
CASES = [(field, lang, header) for field, by_lang in VARIANTS.items()
         for lang, headers in by_lang.items() for header in headers]
# Columns an extract also carries that are no field of the declarations table.
OTHERS = ("Remarks", "Observaciones", "Observações", "Observations", "Office", "Aduana",
          "Bureau de douane", "Tax rate", "Payment type", "Seller", "Colour", "Lane",
          "Canal", "Circuit", "Total taxes", "Exchange rate")


@pytest.mark.parametrize(("field", "lang", "header"), CASES,
                         ids=[f"{f}-{lang}-{h}" for f, lang, h in CASES])
def test_every_known_header_suggests_its_field(field: str, lang: str, header: str) -> None:
    assert suggest_mapping([header]) == {field: header}


def test_other_columns_are_not_suggested() -> None:
    assert suggest_mapping(list(OTHERS)) == {}


def strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def camel(text: str) -> str:
    return "".join(w[:1].upper() + w[1:].lower() for w in re.split(r"[^\w]+", text) if w)


def snake(text: str) -> str:
    return "_".join(w for w in re.split(r"[^\w]+", strip_accents(text)) if w).upper()


SPELLINGS = (lambda t: t, str.upper, str.lower, str.title, strip_accents, camel, snake,
             lambda t: f"  {t} ", lambda t: t.replace(" ", "."))


@pytest.mark.parametrize("spelling", SPELLINGS, ids=lambda f: getattr(f, "__name__", "?"))
def test_a_header_is_recognised_however_it_is_spelt(spelling) -> None:
    """Every header people write, respelt in each of these ways (a system's own names,
    DeclarationNumber or DECL_ID, are tested as they are)."""
    missed = []
    for field, lang, header in CASES:
        written = spelling(header)
        if lang != "sys" and suggest_mapping([written]) != {field: written}:
            missed.append((field, written, suggest_mapping([written])))
    assert missed == []


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_whole_extract_is_mapped(data) -> None:
    """Property: any subset of fields, each under some variant in some language, in any
    order among other columns, maps each field to its own column and nothing else."""
    fields = data.draw(st.lists(st.sampled_from(list(VARIANTS)), min_size=1, unique=True))
    chosen = {f: data.draw(st.sampled_from([h for hs in VARIANTS[f].values() for h in hs]))
              for f in fields}
    others = data.draw(st.lists(st.sampled_from(OTHERS), unique=True, max_size=5))
    headers = data.draw(st.permutations(list(chosen.values()) + others))
    assert suggest_mapping(headers) == chosen


def test_a_stronger_name_wins_over_a_weaker_one() -> None:
    assert suggest_mapping(["Net mass (kg)", "Gross mass (kg)"]) == {
        "gross_weight": "Gross mass (kg)"}
    assert suggest_mapping(["Net mass (kg)"]) == {"gross_weight": "Net mass (kg)"}
    assert suggest_mapping(["Price", "Customs value"]) == {"declared_value": "Customs value"}
    assert suggest_mapping(["Result", "Fraud"]) == {"non_compliant": "Fraud"}
    # a header serves one field; a field takes the first header that names it
    assert suggest_mapping(["Origin", "Origen"]) == {"origin": "Origin"}
