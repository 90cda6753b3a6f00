"""Which column of a declarations extract holds which field: suggestions from the headers.

Real extracts name their columns in English, Spanish, Portuguese or French, in full or
abbreviated ("Decl. No", "Cty of export", "Peso líq. (kg)"), in camelCase or snake_case
(DeclarationNumber, NET_MASS_KG), with units, tax-id words and digit counts ("HS code (8
digits)", "NIT importador"). `suggest_mapping` tries, tier by tier over all headers:

1. the header, normalised (no accents, case, punctuation, filler words), as a known name;
2. the same with abbreviations spelled out and qualifiers (units, currencies, digit
   counts, "code", "id", tax-id names) left out;
3. weaker names that only stand in when nothing better names the field (a net mass for
   the weight, a bare price for the declared value).

A field takes the first header of the best tier; a header serves one field. These are
suggestions: the import dialog shows them for the user to confirm or change. No Qt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rmdesk.domain.declaration_fields import FIELDS

_STOPWORDS = frozenset({
    "de", "da", "do", "das", "dos", "del", "des", "du", "la", "le", "les", "el", "los",
    "the", "of", "d", "l", "n", "no", "nr", "nro", "num", "numero", "number", "nb", "nbr",
    "en", "em", "in", "o", "a", "e", "et", "y", "and", "per", "por", "par",
})


def normalise_header(text: str) -> str:
    """'Nº de Declaración' -> 'declaracion', 'NetMass_KG' -> 'net mass kg': no accents,
    case, punctuation or filler."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # camelCase -> camel Case, HSCode -> HS Code, HS10 -> HS 10
    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])"
                  r"|(?<=[0-9])(?=[A-Za-z])", " ", text).lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in _STOPWORDS)


# Header names seen in customs extracts, in English, Spanish, Portuguese and French.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "declaration_no": (
        "declaration", "declaration number", "declaration id", "decl", "decl no", "entry",
        "entry number", "customs declaration", "sad number", "declaration reference",
        "número de declaración", "declaración", "nro declaración", "dua", "número dua",
        "dui", "di", "número di", "duimp", "número da declaração", "declaração",
        "déclaration", "numéro de déclaration", "référence de la déclaration",
    ),
    "item_no": (
        "item", "item number", "line", "line number", "item nbr", "ítem", "número de ítem",
        "adición", "serie", "item da declaração", "adição", "número da adição", "article",
        "numéro d'article", "ligne", "rang",
    ),
    "date": (
        "date", "declaration date", "registration date", "acceptance date", "lodgement date",
        "fecha", "fecha de registro", "fecha de la declaración", "fecha de aceptación",
        "data", "data de registro", "data da declaração", "data do registro",
        "date d'enregistrement", "date de la déclaration", "date de dépôt",
    ),
    "importer": (
        "importer", "importer name", "importer id", "importer code", "consignee",
        "importador", "nombre del importador", "rut importador", "nit importador",
        "código importador", "cnpj importador", "importador cnpj", "importateur",
        "destinataire", "code importateur",
    ),
    "importer_compliance": (
        "importer compliance", "importer score", "importer compliance score",
        "importer risk score", "puntaje importador", "puntaje del importador",
        "cumplimiento importador", "score importador", "nota importador",
        "conformidade importador", "pontuação importador", "score importateur",
        "note importateur", "conformité importateur",
    ),
    "declarant": (
        "declarant", "broker", "customs broker", "customs agent", "agent", "declarante",
        "agente de aduanas", "agente aduanal", "agencia de aduanas", "despachante",
        "despachante aduaneiro", "commissionnaire", "commissionnaire en douane",
        "déclarant",
    ),
    "declarant_compliance": (
        "declarant compliance", "declarant score", "broker score", "broker compliance",
        "puntaje declarante", "puntaje del agente", "cumplimiento declarante",
        "score despachante", "conformidade despachante", "conformidade declarante",
        "score déclarant", "note déclarant", "conformité déclarant",
    ),
    "hs_code": (
        "hs", "hs code", "hs6", "hs 6", "commodity code", "tariff code", "tariff line",
        "tariff heading", "subheading", "sa", "código sa", "código hs", "partida",
        "partida arancelaria", "subpartida", "subpartida arancelaria", "posición arancelaria",
        "fracción arancelaria", "código arancelario", "nandina", "ncm", "código ncm", "sh",
        "código sh", "classificação", "classificação fiscal", "code sh", "sh6",
        "position tarifaire", "code tarifaire", "nomenclature",
    ),
    "description": (
        "description", "goods description", "description of goods", "commercial description",
        "descripción", "descripción de la mercancía", "descripción comercial", "mercancía",
        "descrição", "descrição da mercadoria", "mercadoria", "désignation",
        "désignation des marchandises", "description des marchandises", "libellé",
    ),
    "origin": (
        "origin", "country of origin", "origin country", "coo", "origen", "país de origen",
        "país origen", "origem", "país de origem", "origine", "pays d'origine",
    ),
    "consignment": (
        "consignment", "country of consignment", "consignment country", "dispatch country",
        "country of dispatch", "country of export", "export country", "procedencia",
        "país de procedencia", "país de expedición", "país de embarque", "procedência",
        "país de procedência", "país de aquisição", "provenance", "pays de provenance",
        "pays d'expédition",
    ),
    "route": ("route", "routing", "itinerary", "ruta", "itinerario", "rota", "itinerário",
              "itinéraire", "trajet"),
    "transhipment": ("transhipment", "transshipment", "transbordo", "trasbordo",
                     "transbordement"),
    "transport_mode": (
        "transport mode", "mode of transport", "mode", "transport", "modo de transporte",
        "medio de transporte", "vía de transporte", "via de transporte", "modal",
        "modalidade de transporte", "mode de transport",
    ),
    "containers": (
        "containers", "number of containers", "container count", "contenedores",
        "cantidad de contenedores", "número de contenedores", "contêineres", "conteineres",
        "quantidade de contêineres", "contentores", "conteneurs", "nombre de conteneurs",
    ),
    "gross_weight": (
        "gross weight", "gross mass", "weight", "gross weight kg", "peso bruto", "peso",
        "peso bruto kg", "poids brut", "masse brute", "poids",
    ),
    "quantity": (
        "quantity", "qty", "units", "supplementary units", "cantidad", "unidades",
        "cantidad comercial", "quantidade", "qtde", "quantidade estatística", "quantité",
    ),
    "declared_value": (
        "declared value", "value", "customs value", "invoice value", "fob value",
        "cif value", "statistical value", "value usd", "valor declarado", "valor",
        "valor en aduana", "valor aduanero", "valor fob", "valor cif", "valor aduaneiro",
        "valor da mercadoria", "valor usd", "valeur déclarée", "valeur", "valeur en douane",
        "valeur statistique",
    ),
    "unit_value": (
        "unit value", "unit price", "price per unit", "valor unitario", "precio unitario",
        "preço unitário", "valor unitário", "valeur unitaire", "prix unitaire",
    ),
    "reference_price": (
        "reference price", "reference value", "reference unit price", "precio de referencia",
        "valor de referencia", "preço de referência", "valor de referência",
        "prix de référence", "valeur de référence",
    ),
    "freight": ("freight", "freight cost", "transport cost", "flete", "frete", "fret",
                "coût du fret"),
    "procedure": (
        "procedure", "procedure code", "customs procedure", "cpc", "regime", "régimen",
        "régimen aduanero", "código de régimen", "procedimiento", "regime aduaneiro",
        "régime", "régime douanier", "code régime",
    ),
    "non_compliant": (
        "non compliant", "noncompliant", "non compliance", "hit",
        "irregular", "irregularity", "incumplimiento", "irregularidad",
        "resultado del control", "irregularidade", "não conforme",
        "resultado da conferência", "non conforme", "irrégularité",
        "résultat du contrôle",
    ),
    "offence": (
        "offence", "offense", "offence type", "offence found", "fraud type", "infraction",
        "infracción", "tipo de infracción", "tipo de fraude", "infração", "tipo de infração",
        "type d'infraction", "type de fraude",
    ),
}



# Abbreviations of customs extracts, spelled out before a second look-up.
ABBREVIATIONS: dict[str, str] = {
    "decl": "declaration", "dec": "declaration", "dcl": "declaration", "declar": "declaration",
    "ctry": "country", "cty": "country", "cntry": "country", "co": "country",
    "val": "value", "vl": "value", "vlr": "valor", "valr": "valor",
    "wt": "weight", "wgt": "weight", "wght": "weight", "gr": "gross", "grs": "gross",
    "qty": "quantity", "qtd": "quantidade", "qte": "quantite", "cant": "cantidad",
    "imp": "importer", "impr": "importer", "orig": "origin", "dt": "date", "fec": "fecha",
    "ref": "reference", "desc": "description", "descr": "description",
    "dep": "departure", "exp": "export", "decla": "declarant", "dclt": "declarant",
    "pais": "pais", "proc": "procedure", "cpc": "procedure", "trans": "transport",
    "liq": "liquido", "net": "net", "nett": "net", "mass": "mass", "ctrl": "control",
    "res": "result", "insp": "inspection", "pos": "posicion", "stat": "statistical",
}
# Words that qualify a column without changing which field it is: units, currencies,
# digit counts, identifiers and tax-id names.
QUALIFIERS = frozenset({
    "kg", "kgs", "kilo", "kilos", "kilograms", "kilogramos", "quilos", "t", "tonnes",
    "usd", "us", "eur", "euro", "euros", "brl", "r", "xaf", "xof", "cfa", "fcfa", "mxn",
    "ars", "clp", "cop", "pen", "bob", "pyg", "uyu", "gtq", "crc", "dop", "aoa", "mzn",
    "cve", "mad", "dzd", "tnd", "htg", "ngn", "ghs", "kes", "local", "currency", "moneda",
    "moeda", "devise", "amount", "montant", "monto", "montante",
    "2", "4", "6", "8", "10", "12", "digits", "digit", "digitos", "chiffres", "dig",
    "id", "code", "codigo", "cod", "ident", "identifier", "identificador", "identifiant",
    "tin", "nit", "rut", "ruc", "rfc", "cuit", "cnpj", "cpf", "nif", "nuit", "ifu", "ninea",
    "eori", "name", "nombre", "nome", "nom", "razao", "social", "raison", "sociale",
    "flag", "indicator", "indicador", "indicateur", "yn", "sn", "on", "bool", "is", "has",
    "was",
    "item", "line", "article", "linea", "ligne", "adicao", "serie",
})

# Stronger names than the first tier misses, seen in customs-system exports.
MORE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "declaration_no": (
        "declaration ref", "declaration reference number", "registration number", "reg",
        "reg number", "reg no", "registration", "declaration serial", "customs reference",
        "customs declaration number", "entry no", "sad", "sad no", "mrn", "ucr",
        "declaration key", "declaration code", "numero de registro", "registro",
        "numero de aceptacion", "numero de orden", "referencia de la declaracion",
        "declaracion aduanera", "pedimento", "numero de pedimento", "dam", "numero dam",
        "dim", "numero de registro da di", "registro da declaracao", "numero da di",
        "declaracao de importacao", "numero d enregistrement", "enregistrement",
        "reference declaration", "numero de liquidation", "declaration en douane",
        "bulletin de liquidation", "numero de la declaration",
    ),
    "item_no": (
        "item no", "item nbr", "item seq", "item sequence", "line no", "line item",
        "numero de item", "numero de linea", "numero de serie", "serie", "item di",
        "numero do item", "numero de l article", "numero de ligne",
    ),
    "date": (
        "reg date", "registration date", "assessment date", "declaration date",
        "clearance date", "fecha registro", "fecha de numeracion", "fecha de despacho",
        "fecha de levante", "data registro", "data de desembaraco", "data da di",
        "date enregistrement", "date de liquidation", "date de la liquidation",
    ),
    "importer": (
        "consignee", "consignee code", "importer tin", "importer tax id", "importer name",
        "importer of record", "consignatario", "consignatario importador",
        "razon social importador", "destinatario", "importador", "importador adquirente",
        "adquirente", "importateur", "destinataire reel", "code importateur",
    ),
    "importer_compliance": (
        "importer risk", "importer rating", "importer compliance rating",
        "calificacion importador", "riesgo importador", "perfil importador",
        "nivel de cumplimiento importador", "risco importador", "classificacao importador",
        "risque importateur", "cotation importateur",
    ),
    "declarant": (
        "declarant", "declarant code", "declarant name", "broker code", "broker name",
        "agent code", "customs broker code", "representative", "agente", "agente aduanero",
        "agente de aduana", "agencia aduanera", "representante", "despachante aduaneiro",
        "comissaria", "transitaire", "declarant en douane", "code declarant",
        "commissionnaire agree",
    ),
    "declarant_compliance": (
        "declarant risk", "declarant rating", "broker rating", "agent score",
        "calificacion declarante", "calificacion agente", "riesgo agente", "risco despachante",
        "risque declarant", "cotation declarant",
    ),
    "hs_code": (
        "commodity", "commodity code", "tariff", "tariff number", "tariff code",
        "tariff item", "hs tariff", "hs heading", "hs subheading", "harmonized code",
        "harmonised code", "harmonized system code", "cn", "cn code", "nc", "nc8", "cn8",
        "hts", "hts code", "htsus", "taric", "taric code", "national tariff line",
        "codigo arancelario", "fraccion", "fraccion arancelaria", "item arancelario",
        "subpartida nacional", "nomenclatura", "codigo nandina", "ncm sh", "nomenclatura ncm",
        "posicao", "posicao tarifaria", "codigo tarifario", "code nc", "code sh",
        "position", "nomenclature tarifaire", "code douanier", "espece tarifaire",
    ),
    "description": (
        "goods", "goods desc", "commercial description of goods", "item description",
        "product", "product description", "producto", "descripcion del producto",
        "descripcion de mercancias", "produto", "descricao do produto", "produit",
        "designation commerciale", "description commerciale",
    ),
    "origin": (
        "origin country", "country origin", "origin code", "country of origin code",
        "pais origen", "origen de la mercancia", "pais de origem da mercadoria",
        "origine des marchandises", "pays origine",
    ),
    "consignment": (
        "country of departure", "departure country", "country of export",
        "export country", "exporting country", "country of shipment", "shipment country",
        "country of provenance", "country consignment", "dispatch", "pais de exportacion",
        "pais exportador", "pais de salida", "pais de partida", "pais de procedencia",
        "pais de exportacao", "pais de embarque", "pays d exportation", "pays de depart",
        "pays de provenance", "pays d expedition", "pays exportateur",
    ),
    "transport_mode": (
        "mode of transport at the border", "transport mode at border", "border transport mode",
        "mode transport", "means of transport", "modo transporte", "via",
        "via de transporte", "modalidad de transporte", "modal de transporte",
        "mode de transport a la frontiere",
    ),
    "containers": (
        "container", "nb containers", "number containers", "ctr", "cntr", "contenedor",
        "conteiner", "conteneur", "container count",
    ),
    "gross_weight": (
        "gross mass", "gross weight", "mass", "weight kg", "peso bruto", "masa bruta",
        "peso bruto total", "poids brut", "masse brute", "gross",
    ),
    "quantity": (
        "supplementary quantity", "supplementary unit", "statistical quantity",
        "cantidad fisica", "cantidad estadistica", "unidades fisicas", "quantidade comercial",
        "quantite supplementaire", "unites supplementaires", "nombre d unites",
    ),
    "declared_value": (
        "item price", "item value", "invoice amount", "invoice price", "fob",
        "cif", "customs value item", "statistical value", "valor del item", "valor item",
        "valor factura", "valor de factura", "valor fob usd", "valor de la mercancia",
        "valor total", "valor da fatura", "valor no local de embarque", "valor vmle",
        "vmle", "vmld", "valeur article", "valeur facture", "valeur fob", "valeur caf",
        "caf",
    ),
    "unit_value": (
        "unit value", "price per unit", "value per unit", "valor unitario declarado",
        "precio por unidad", "valor por unidad", "preco por unidade", "valeur par unite",
        "prix par unite",
    ),
    "reference_price": (
        "reference", "benchmark price", "reference unit value", "valor referencial",
        "precio referencial", "precio indicativo", "preco de referencia",
        "valeur mercuriale", "mercuriale", "prix indicatif",
    ),
    "freight": ("freight charges", "freight amount", "transport costs", "costo del flete",
                "valor del flete", "valor do frete", "montant du fret", "frais de transport"),
    "procedure": (
        "cpc", "extended procedure code", "regime code", "procedure regime",
        "customs regime", "regimen", "regimen aduanero", "modalidad", "tipo de despacho",
        "regime", "regime aduaneiro", "tipo de declaracao", "regime douanier",
        "code regime douanier",
    ),
    "non_compliant": (
        "fraud", "fraude", "fraud found", "fraud detected", "illicit", "illicit found",
        "ilicito", "ilicitud", "ilícito", "illicite", "infraction found", "offence found",
        "seizure", "seized", "incautacion", "apreensao", "saisie", "discrepancy",
        "discrepancy found", "control result", "inspection result", "examination result",
        "positive", "positivo", "positif", "hit", "detected", "detection", "finding",
        "irregularity found", "resultado de aforo", "resultado del aforo",
        "resultado de la inspeccion", "resultado de la fiscalizacion", "con hallazgo",
        "hallazgo", "ajuste", "con ajuste", "com irregularidade",
        "resultado da fiscalizacao", "resultado conferencia", "constatacao",
        "resultat de la visite", "resultat du controle", "contentieux", "infraction",
        "litige", "non compliant flag", "compliance result", "outcome flag",
    ),
    "offence": (
        "offence type", "offense type", "type of offence", "type of fraud", "fraud type",
        "nature of offence", "offence category", "infringement", "infringement type",
        "tipo de ilicito", "tipo de hallazgo", "naturaleza de la infraccion",
        "tipo de irregularidade", "natureza da infracao", "nature de l infraction",
        "nature de la fraude", "type d infraction", "type de fraude",
    ),
}
# Weaker names: suggested only when no stronger name takes the field.
WEAK_SYNONYMS: dict[str, tuple[str, ...]] = {
    "gross_weight": ("net mass", "net weight", "peso neto", "peso liquido", "poids net",
                     "masse nette", "net"),
    "declared_value": ("price", "precio", "preco", "prix", "amount", "monto", "montant",
                       "valor moneda local", "customs value local"),
    "non_compliant": ("result", "resultado", "resultat", "outcome"),
}


def _index(groups: Sequence[dict[str, tuple[str, ...]]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for group in groups:
        for name, words in group.items():
            for text in words:
                index.setdefault(normalise_header(text), name)
    index.pop("", None)
    return index


def _own_names() -> dict[str, tuple[str, ...]]:
    """The app's own names and English labels come first."""
    return {spec.name: (spec.name.replace("_", " "), spec.label,
                        re.sub(r"\(.*?\)", " ", spec.label)) for spec in FIELDS}


_STRONG = _index([_own_names(), SYNONYMS, MORE_SYNONYMS])
_WEAK = _index([WEAK_SYNONYMS])
_HS_WITH_DIGITS = re.compile(r"(hs|sh|sa|ncm|cn|nc|taric|hts|htsus|nandina)\s?(4|6|8|10|12)")


def _expanded(normalised: str) -> str:
    words = [ABBREVIATIONS.get(w, w) for w in normalised.split()]
    return " ".join(words)


def _without_qualifiers(normalised: str) -> str:
    return " ".join(w for w in normalised.split() if w not in QUALIFIERS)


def _forms(header: str) -> list[str]:
    """The header's normalised forms, from the most to the least literal."""
    texts = [header, re.sub(r"\(.*?\)|\[.*?\]", " ", header)]
    forms: list[str] = []
    for text in texts:
        plain = normalise_header(text)
        for form in (plain, _expanded(plain), _without_qualifiers(plain),
                     _without_qualifiers(_expanded(plain))):
            if form and form not in forms:
                forms.append(form)
    return forms


def _strong_match(header: str) -> str | None:
    forms = _forms(header)
    for form in forms:
        if form in _STRONG:
            return _STRONG[form]
    for form in forms:  # "HS10", "NCM 8", "cod_sh6"
        if _HS_WITH_DIGITS.fullmatch(form.replace(" ", "")) or \
                _HS_WITH_DIGITS.fullmatch(form):
            return "hs_code"
    return None


def _weak_match(header: str) -> str | None:
    for form in _forms(header):
        if form in _WEAK:
            return _WEAK[form]
    return None


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """field name -> header, for the headers whose name is a known synonym. A field
    takes the first header of the strongest tier that names it; a header serves one
    field."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for match in (_strong_match, _weak_match):
        for header in headers:
            if not header or header in taken:
                continue
            name = match(header)
            if name and name not in mapping:
                mapping[name] = header
                taken.add(header)
    return mapping
