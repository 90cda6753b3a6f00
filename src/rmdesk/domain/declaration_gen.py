"""Synthetic import declarations of Valdoria for the targeting exercises (E6-E9).

The data follow the built-in case study: used cars from Japan and Korea (often through
Dubai), medicines from India, refrigerants and electronics from China, tiles and textiles
over the Kestrian border, soybean oil at Kerran, reefer fruit from South America, and
e-commerce parcels at Almira airport. About 7 % of the items are non-compliant, planted
in patterns that good indicators find and random checking mostly misses:

* undervaluation: unit value at 30-60 % of the reference price, concentrated in used
  cars, footwear and electronics consigned from trading hubs (AE, HK, PA) by risky
  importers;
* misclassification: vehicle parts declared as machinery parts (848790), refined
  soybean oil as crude oil (150710), televisions as computer monitors (852852): the
  description, the weight per unit or the packing betrays them;
* origin fraud: goods made in China, India or Türkiye declared as Kestrian to claim the
  trade agreement, routed through Kestria or consigned from elsewhere;
* counterfeits: branded trainers, chargers, earphones and bags, often by post or air
  from Hong Kong or Dubai for new importers, declared "unbranded";
* drugs: cocaine in a few transhipped containers of fruit from South America lodged by
  low-compliance declarants;
* other prohibited goods: pistol parts as "tool components" in express parcels, HCFC-22
  as HFC-134a over the Norlandian border, falsified antimalarials as vitamin
  supplements, e-waste as used computer equipment through Tesora.

Every indicator also hits honest declarations (old cars are cheap, some chargers are
truly unbranded, some Kestrian tiles cross at Tesora), so none is perfect.

Generation is vectorised numpy on a `np.random.Generator` seeded with `seed`: the same
arguments always give the same table. Python loops run only over the small lookup tables
(sectors, lines, countries, parties). No Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from rmdesk.domain.declarations import (
    FIELDS,
    TRANSPORT_MODES,
    CategoryColumn,
    DeclarationTable,
)
from rmdesk.i18n import N_

# -- countries and routes -------------------------------------------------------------

HOME = "VD"
COUNTRIES: dict[str, str] = {
    "VD": N_("Valdoria"),
    "ND": N_("Norlandia"),
    "KT": N_("Kestria"),
    "SW": N_("Sulmara"),
    "AE": N_("United Arab Emirates"),
    "AR": N_("Argentina"),
    "BD": N_("Bangladesh"),
    "BE": N_("Belgium"),
    "BR": N_("Brazil"),
    "CA": N_("Canada"),
    "CH": N_("Switzerland"),
    "CL": N_("Chile"),
    "CN": N_("China"),
    "CO": N_("Colombia"),
    "CR": N_("Costa Rica"),
    "CZ": N_("Czechia"),
    "DE": N_("Germany"),
    "EC": N_("Ecuador"),
    "ES": N_("Spain"),
    "FR": N_("France"),
    "GB": N_("United Kingdom"),
    "HK": N_("Hong Kong, China"),
    "ID": N_("Indonesia"),
    "IN": N_("India"),
    "IT": N_("Italy"),
    "JP": N_("Japan"),
    "KR": N_("Republic of Korea"),
    "MA": N_("Morocco"),
    "MX": N_("Mexico"),
    "MY": N_("Malaysia"),
    "NL": N_("Netherlands"),
    "NZ": N_("New Zealand"),
    "PA": N_("Panama"),
    "PE": N_("Peru"),
    "PK": N_("Pakistan"),
    "PY": N_("Paraguay"),
    "SA": N_("Saudi Arabia"),
    "SG": N_("Singapore"),
    "TH": N_("Thailand"),
    "TR": N_("Türkiye"),
    "US": N_("United States"),
    "VN": N_("Viet Nam"),
    "ZA": N_("South Africa"),
}
_CODES: tuple[str, ...] = tuple(COUNTRIES)
_C: dict[str, int] = {code: i for i, code in enumerate(_CODES)}
NEIGHBOURS: frozenset[str] = frozenset({"ND", "KT", "SW"})
SOUTH_AMERICA: frozenset[str] = frozenset({"AR", "BR", "CL", "CO", "EC", "PE", "PY"})
_REGION: dict[str, str] = {
    **{c: "asia" for c in ("CN", "IN", "JP", "KR", "TH", "VN", "MY", "ID", "BD", "PK", "SG",
                           "HK", "AE", "SA")},
    **{c: "americas_south" for c in ("BR", "AR", "PY", "CL", "PE", "EC", "CO", "CR", "MX",
                                     "PA")},
    **{c: "europe" for c in ("DE", "FR", "ES", "IT", "NL", "BE", "GB", "CH", "TR", "CZ",
                             "MA")},
    **{c: "americas_north" for c in ("US", "CA")},
    **{c: "other" for c in ("NZ", "ZA")},
    **{c: "neighbour" for c in NEIGHBOURS},
    HOME: "home",
}

PROCEDURES: dict[str, str] = {
    "4000": N_("Release for home use"),
    "4071": N_("Release for home use from a customs warehouse"),
    "5100": N_("Inward processing"),
    "7100": N_("Entry into a customs warehouse"),
    "8000": N_("Transit"),
}
_PROC: tuple[str, ...] = tuple(PROCEDURES)
_MODES: tuple[str, ...] = tuple(TRANSPORT_MODES)  # sea, air, road, rail, post
SEA, AIR, ROAD, RAIL, POST = (_MODES.index(m) for m in ("sea", "air", "road", "rail", "post"))

Dist = tuple[tuple[str, float], ...]

# How goods reach Valdoria: (share direct, share transhipped at a hub with the origin
# still the consignor, hubs for that, hubs that re-export (they become the consignor)).
_ROUTING: dict[tuple[str, str], tuple[float, float, Dist, Dist]] = {
    ("sea", "asia"): (0.45, 0.35, (("SG", .35), ("AE", .2), ("MY", .2), ("ES", .15),
                                   ("ND", .1)), (("AE", .55), ("HK", .25), ("SG", .2))),
    ("sea", "americas_south"): (0.55, 0.37, (("PA", .5), ("ES", .25), ("MA", .25)),
                                (("PA", 1.0),)),
    ("sea", "europe"): (0.6, 0.3, (("ES", .35), ("MA", .25), ("NL", .25), ("ND", .15)),
                        (("NL", .6), ("AE", .4))),
    ("sea", "americas_north"): (0.6, 0.3, (("PA", .6), ("ES", .4)),
                                (("PA", .5), ("AE", .5))),
    ("sea", "other"): (0.5, 0.4, (("SG", .5), ("ES", .5)), (("AE", 1.0),)),
    ("air", "*"): (0.55, 0.3, (("AE", .45), ("NL", .25), ("DE", .1), ("US", .2)),
                   (("AE", .6), ("HK", .3), ("SG", .1))),
    ("post", "*"): (0.55, 0.15, (("AE", .5), ("NL", .5)),
                    (("HK", .5), ("AE", .3), ("SG", .2))),
    # Trucks and trains from overseas goods land at a neighbour's port first.
    ("road", "*"): (0.0, 0.5, (("ND", .55), ("KT", .45)), (("ND", .55), ("KT", .45))),
    ("rail", "*"): (0.0, 0.5, (("ND", .5), ("KT", .3), ("SW", .2)),
                    (("ND", .5), ("KT", .3), ("SW", .2))),
}
_NEIGHBOUR_MODES = (0.08, 0.0, 0.8, 0.12, 0.0)
_REEXPORT_STARTS_AT_HUB = 0.4  # a re-exporter's route often starts at its own warehouse

# -- sectors and commodity lines -------------------------------------------------------


@dataclass(frozen=True)
class Sector:
    key: str
    share: float  # of declarations
    modes: tuple[float, float, float, float, float]  # sea, air, road, rail, post
    origins: Dist
    words: tuple[str, ...]  # for importer names
    same_line: float = 0.5  # chance a further item repeats the first item's line
    procedures: Dist = (("4000", .85), ("4071", .06), ("7100", .05), ("8000", .03),
                        ("5100", .01))


SECTORS: tuple[Sector, ...] = (
    Sector("vehicles", .07, (.86, 0, .12, .02, 0),
           (("JP", .35), ("KR", .2), ("US", .15), ("DE", .12), ("CN", .08), ("TH", .05),
            ("ND", .05)), ("Motors", "Autos", "Car Import"), .6,
           (("4000", .9), ("7100", .05), ("4071", .05))),
    Sector("vehicle_parts", .08, (.62, .12, .18, .02, .06),
           (("CN", .45), ("JP", .1), ("KR", .1), ("DE", .08), ("TH", .07), ("IN", .08),
            ("TR", .05), ("ND", .04), ("US", .03)), ("Auto Parts", "Autorepuestos", "Spares")),
    Sector("medicines", .06, (.35, .5, .1, 0, .05),
           (("IN", .4), ("DE", .12), ("FR", .08), ("CH", .08), ("CN", .1), ("US", .07),
            ("BR", .05), ("ND", .06), ("KT", .04)), ("Pharma", "Farmacéutica", "Medical")),
    Sector("chemicals", .07, (.65, .03, .27, .05, 0),
           (("CN", .35), ("IN", .12), ("US", .08), ("DE", .08), ("ND", .08), ("KT", .05),
            ("BE", .06), ("TR", .05), ("SA", .08)), ("Chemicals", "Química", "Cooling"), .5,
           (("4000", .85), ("5100", .05), ("7100", .05), ("4071", .05))),
    Sector("textiles", .10, (.72, .06, .12, .02, .08),
           (("CN", .45), ("BD", .15), ("IN", .1), ("VN", .08), ("TR", .08), ("KT", .06),
            ("PK", .05), ("US", .03)), ("Textiles", "Fashion", "Moda")),
    Sector("footwear", .06, (.7, .07, .08, 0, .15),
           (("CN", .55), ("VN", .2), ("ID", .08), ("IN", .06), ("BR", .05), ("KT", .03),
            ("TR", .03)), ("Footwear", "Calzados", "Shoes")),
    Sector("electronics", .12, (.45, .25, .07, 0, .23),
           (("CN", .6), ("VN", .1), ("KR", .07), ("MY", .06), ("US", .04), ("JP", .04),
            ("TH", .04), ("DE", .05)), ("Electronics", "Digital", "Tech")),
    Sector("food", .13, (.8, .01, .15, .04, 0),
           (("BR", .2), ("AR", .15), ("US", .15), ("ND", .15), ("KT", .15), ("FR", .1),
            ("TH", .1)), ("Foods", "Alimentos", "Agro"), .7,
           (("4000", .82), ("8000", .08), ("5100", .05), ("7100", .03), ("4071", .02))),
    Sector("fuel", .02, (.9, 0, .04, .06, 0),
           (("SA", .3), ("AE", .15), ("IN", .2), ("US", .15), ("ND", .2)),
           ("Energy", "Petroleum", "Fuels"), .9,
           (("4000", .45), ("7100", .25), ("4071", .2), ("8000", .1))),
    Sector("construction", .07, (.72, 0, .2, .08, 0),
           (("CN", .45), ("TR", .2), ("IN", .15), ("KT", .1), ("ND", .1)),
           ("Building Materials", "Cerámica", "Steel"), .6,
           (("4000", .9), ("8000", .06), ("7100", .04))),
    Sector("machinery", .11, (.7, .12, .12, .03, .03),
           (("CN", .4), ("DE", .12), ("JP", .1), ("US", .1), ("IT", .08), ("KR", .06),
            ("TR", .05), ("ND", .05), ("IN", .04)), ("Machinery", "Industrial", "Equipment")),
    Sector("beverages_tobacco", .03, (.7, .05, .22, .03, 0),
           (("GB", .25), ("FR", .2), ("AE", .15), ("CN", .1), ("KT", .15), ("ND", .15)),
           ("Beverages", "Distribution", "Tabacalera"), .5,
           (("4000", .4), ("7100", .2), ("4071", .15), ("8000", .25))),
    Sector("consumer", .08, (.45, .1, .05, 0, .4),
           (("CN", .6), ("US", .08), ("KR", .06), ("FR", .05), ("IN", .06), ("TR", .05),
            ("VN", .05), ("ND", .05)), ("Trading", "Imports", "Store")),
)
_SECTOR: dict[str, int] = {s.key: i for i, s in enumerate(SECTORS)}


@dataclass(frozen=True)
class Commodity:
    """One HS line: what honest declarations of it look like."""

    hs: str
    sector: str
    unit: str  # of the quantity: u, pairs, kg, l, m2, 1000 sticks
    kg_per_unit: tuple[float, float]  # gross weight per unit of quantity
    reference_price: float  # USD per unit, from the (2021) valuation database
    price_spread: float  # sd of the log unit price among honest declarations
    quantity: float  # median quantity of one item in a sea consignment
    descriptions: tuple[tuple[str, float], ...]  # the first is the usual one
    weight: float = 1.0  # share among the sector's lines
    origins: Dist = ()  # empty: the sector's
    modes: tuple[float, float, float, float, float] | None = None  # None: the sector's
    container_kg: float = 18000.0  # payload of one container
    bulk: float = 0.0  # chance a sea consignment travels in bulk (no container)
    integral: bool = True  # the quantity is a count

    @property
    def description(self) -> str:
        return self.descriptions[0][0]


def _line(hs: str, sector: str, unit: str, kg: tuple[float, float], price: float,
          spread: float, quantity: float, *descriptions: str | tuple[str, float],
          weight: float = 1.0, origins: Dist = (),
          modes: tuple[float, float, float, float, float] | None = None,
          container_kg: float = 18000.0, bulk: float = 0.0) -> Commodity:
    """A Commodity written compactly; a plain description has weight 1."""
    described = tuple(d if isinstance(d, tuple) else (d, 1.0) for d in descriptions)
    return Commodity(hs, sector, unit, kg, price, spread, quantity, described, weight,
                     origins, modes, container_kg, bulk, integral=unit not in ("kg", "l"))


_SOUTH_FRUIT = (("EC", .55), ("CO", .35), ("CR", .1))
_SEA_ONLY = (1.0, 0.0, 0.0, 0.0, 0.0)

COMMODITIES: tuple[Commodity, ...] = (
    # vehicles: mostly used cars, 4 to a container or on ro-ro ships
    _line("870322", "vehicles", "u", (950, 1350), 5200, .35, 3,
          "Used passenger cars, petrol, 1,000-1,500 cc", weight=3, container_kg=5000, bulk=.4),
    _line("870323", "vehicles", "u", (1150, 1750), 8400, .35, 3,
          "Used passenger cars, petrol, 1,500-3,000 cc", ("Used SUVs, petrol", .3), weight=4,
          container_kg=6000, bulk=.4),
    _line("870332", "vehicles", "u", (1350, 2000), 9800, .35, 2,
          "Used passenger cars, diesel, 1,500-2,500 cc", weight=2, container_kg=6500, bulk=.4),
    _line("870340", "vehicles", "u", (1300, 1800), 16500, .3, 2,
          "Hybrid passenger cars, petrol-electric", weight=1.2, container_kg=6000, bulk=.4),
    _line("870421", "vehicles", "u", (1700, 2400), 14500, .3, 2,
          "Pick-up trucks, diesel, GVW up to 5 t", weight=1.5, container_kg=7000, bulk=.4),
    _line("871120", "vehicles", "u", (95, 170), 950, .25, 20,
          "Motorcycles, 50-250 cc", weight=1.3, container_kg=5000),
    # vehicle parts
    _line("870830", "vehicle_parts", "u", (0.4, 1.2), 9, .3, 800,
          "Brake pads and linings for passenger cars", "Brake discs for cars", weight=2,
          container_kg=14000),
    _line("870840", "vehicle_parts", "u", (35, 80), 420, .35, 20,
          "Gearboxes for passenger cars", "Automatic transmissions for cars",
          container_kg=14000),
    _line("870899", "vehicle_parts", "u", (2, 15), 38, .4, 300,
          "Suspension parts for cars", "Radiators for motor vehicles",
          "Exhaust silencers for cars", weight=2, container_kg=12000),
    _line("870829", "vehicle_parts", "u", (3, 25), 55, .4, 150,
          "Car body parts (bumpers, doors, bonnets)", container_kg=8000),
    _line("840991", "vehicle_parts", "u", (0.2, 3), 14, .4, 500,
          "Pistons and gaskets for car engines", "Parts of spark-ignition engines",
          container_kg=14000),
    _line("401110", "vehicle_parts", "u", (7.5, 12), 48, .25, 400,
          "New pneumatic tyres for passenger cars", weight=2, container_kg=10000),
    _line("850710", "vehicle_parts", "u", (12, 24), 62, .25, 200,
          "Lead-acid starter batteries", weight=1.2, container_kg=20000),
    # medicines (quantities in kg net)
    _line("300490", "medicines", "kg", (1.05, 1.3), 45, .5, 800,
          "Medicaments for retail sale, n.e.s.", "Analgesic tablets, retail packs",
          "Antihypertensive tablets, retail packs", weight=3, container_kg=8000),
    _line("300460", "medicines", "kg", (1.05, 1.3), 55, .45, 300,
          "Antimalarial medicaments, retail packs", container_kg=8000),
    _line("300420", "medicines", "kg", (1.05, 1.3), 40, .45, 500,
          "Antibiotics for retail sale", "Amoxicillin capsules, retail packs", weight=1.5,
          container_kg=8000),
    _line("300241", "medicines", "kg", (1.5, 3.0), 600, .6, 60,
          "Vaccines for human medicine", weight=.6, modes=(.1, .9, 0, 0, 0),
          origins=(("IN", .4), ("BE", .3), ("US", .15), ("FR", .15)), container_kg=5000),
    _line("901831", "medicines", "u", (0.005, 0.015), 0.06, .3, 200000,
          "Disposable syringes", weight=.8, container_kg=6000),
    # chemicals, refrigerants, plastics
    _line("290345", "chemicals", "kg", (1.35, 1.55), 7.5, .25, 3000,
          "HFC-134a refrigerant gas, in cylinders", "Refrigerant R-134a, cylinders 13.6 kg",
          origins=(("CN", .8), ("IN", .1), ("US", .1)), container_kg=14000),
    _line("290342", "chemicals", "kg", (1.35, 1.55), 6.5, .25, 2000,
          "HFC-32 refrigerant gas, in cylinders", weight=.5,
          origins=(("CN", .85), ("IN", .15)), container_kg=14000),
    _line("310520", "chemicals", "kg", (1.0, 1.02), 0.45, .2, 400000,
          "NPK mineral fertilisers", origins=(("ND", .3), ("SA", .25), ("CN", .25),
                                               ("US", .2)), container_kg=26000, bulk=.7),
    _line("390110", "chemicals", "kg", (1.01, 1.05), 1.25, .15, 40000,
          "Polyethylene granules, density below 0.94", weight=1.5,
          origins=(("SA", .45), ("US", .2), ("KR", .15), ("ND", .1), ("CN", .1)),
          container_kg=24000),
    _line("320990", "chemicals", "kg", (1.05, 1.2), 2.8, .3, 8000,
          "Water-based paints and varnishes", container_kg=20000),
    _line("380891", "chemicals", "kg", (1.05, 1.25), 5.5, .35, 5000,
          "Insecticides, retail packings", weight=.8, container_kg=18000),
    _line("340220", "chemicals", "kg", (1.03, 1.15), 1.4, .25, 15000,
          "Detergent preparations for retail sale", container_kg=20000),
    # textiles and clothing
    _line("610910", "textiles", "u", (0.15, 0.3), 2.4, .3, 6000,
          "T-shirts of cotton, knitted", "Cotton T-shirts, assorted", weight=2,
          container_kg=8000),
    _line("620342", "textiles", "u", (0.5, 0.9), 6.8, .3, 3000,
          "Men's trousers of cotton (jeans)", "Denim jeans", weight=1.5, container_kg=8000),
    _line("611020", "textiles", "u", (0.3, 0.6), 5.2, .3, 2500,
          "Jerseys and pullovers of cotton, knitted", container_kg=8000),
    _line("520852", "textiles", "kg", (1.02, 1.08), 6.5, .25, 8000,
          "Printed plain-weave cotton fabrics", container_kg=16000),
    _line("630900", "textiles", "kg", (1.0, 1.03), 0.85, .3, 20000,
          "Worn clothing, in bales", "Second-hand clothing, mixed bales",
          origins=(("US", .4), ("CA", .15), ("DE", .15), ("GB", .15), ("ND", .15)),
          container_kg=24000),
    _line("420221", "textiles", "u", (0.4, 1.2), 14, .45, 800,
          "Handbags, outer surface of leather", ("Ladies' handbags, assorted", .1),
          weight=.7, container_kg=6000),
    # footwear (quantities in pairs)
    _line("640411", "footwear", "pairs", (0.6, 1.1), 9.5, .35, 3000,
          "Sports footwear (trainers), textile uppers", "Running shoes, textile uppers",
          ("Unbranded sports footwear", .08), weight=3, container_kg=7000),
    _line("640299", "footwear", "pairs", (0.3, 0.7), 3.2, .3, 5000,
          "Footwear with rubber or plastic soles and uppers", "Plastic sandals and slippers",
          weight=2, container_kg=7000),
    _line("640399", "footwear", "pairs", (0.8, 1.5), 18, .35, 1500,
          "Footwear with leather uppers", "Leather shoes for men", weight=1.5,
          container_kg=8000),
    _line("640219", "footwear", "pairs", (0.5, 1.0), 6.5, .3, 3000,
          "Sports footwear, rubber or plastic uppers", ("Sports shoes, assorted, unbranded",
                                                         .1), container_kg=7000),
    # electronics
    _line("851713", "electronics", "u", (0.25, 0.5), 155, .45, 600,
          "Smartphones", "Mobile phones, smartphones", weight=2.5, container_kg=5000),
    _line("850440", "electronics", "u", (0.06, 0.2), 2.6, .35, 5000,
          "Phone chargers and power adapters", "USB chargers",
          ("Generic USB chargers", .08), weight=2, container_kg=6000),
    _line("847130", "electronics", "u", (2.0, 3.8), 390, .35, 200,
          "Laptop computers", weight=1.5, container_kg=6000),
    _line("852872", "electronics", "u", (7, 26), 220, .35, 300,
          "LED television receivers, 32-65 in", "Smart TVs, LED", weight=1.8,
          container_kg=8000),
    _line("852852", "electronics", "u", (3.5, 12), 105, .3, 300,
          "LED monitors for computers", "Computer monitors, 24 in", container_kg=7000),
    _line("851830", "electronics", "u", (0.05, 0.35), 5.5, .45, 4000,
          "Headphones and earphones", ("Earphones, assorted, no brand", .08), weight=1.2,
          container_kg=5000),
    _line("854442", "electronics", "u", (0.03, 0.2), 1.4, .35, 10000,
          "Electric cables with connectors, up to 1,000 V", container_kg=10000),
    _line("847150", "electronics", "u", (6, 14), 35, .5, 100,
          "Used computer equipment, tested", "Refurbished desktop computers", weight=.3,
          origins=(("US", .5), ("ND", .25), ("DE", .25)), container_kg=8000),
    # food: soybean oil at Kerran, grain in bulk, reefer fruit and chicken
    _line("150710", "food", "kg", (1.0, 1.06), 0.98, .12, 1_500_000,
          "Crude soybean oil, degummed, for refining", weight=.8, modes=_SEA_ONLY,
          origins=(("AR", .45), ("BR", .3), ("US", .15), ("PY", .1)), container_kg=21000,
          bulk=.85),
    _line("150790", "food", "kg", (1.05, 1.16), 1.32, .15, 20000,
          "Refined soybean oil in retail bottles", "Soybean cooking oil, 1 l bottles",
          weight=1.4, origins=(("AR", .45), ("BR", .3), ("US", .15), ("PY", .1)),
          container_kg=20000),
    _line("100630", "food", "kg", (1.0, 1.01), 0.52, .15, 200000,
          "Milled rice, bagged", weight=1.5,
          origins=(("TH", .4), ("VN", .3), ("IN", .2), ("PK", .1)), container_kg=25000),
    _line("100199", "food", "kg", (1.0, 1.0), 0.26, .12, 3_000_000,
          "Wheat for milling", weight=.6, modes=(.9, 0, 0, .1, 0),
          origins=(("US", .3), ("AR", .3), ("ND", .25), ("CA", .15)), container_kg=25000,
          bulk=.9),
    _line("170199", "food", "kg", (1.0, 1.01), 0.55, .15, 50000,
          "Refined cane sugar", origins=(("BR", .6), ("IN", .2), ("TH", .1), ("KT", .1)),
          container_kg=25000),
    _line("040221", "food", "kg", (1.02, 1.05), 3.6, .2, 20000,
          "Milk powder, fat above 1.5 %",
          origins=(("NZ", .35), ("FR", .15), ("ND", .25), ("US", .1), ("AR", .15)),
          container_kg=22000),
    _line("020714", "food", "kg", (1.02, 1.06), 1.9, .2, 25000,
          "Frozen chicken cuts", origins=(("BR", .6), ("US", .3), ("AR", .1)),
          container_kg=25000),
    _line("080390", "food", "kg", (1.08, 1.15), 0.62, .2, 20000,
          "Fresh bananas", modes=(.97, .03, 0, 0, 0), origins=_SOUTH_FRUIT,
          container_kg=20000),
    _line("080440", "food", "kg", (1.1, 1.2), 2.1, .25, 18000,
          "Fresh avocados", weight=.6, modes=(.97, .03, 0, 0, 0),
          origins=(("PE", .45), ("CO", .35), ("CL", .1), ("MX", .1)), container_kg=20000),
    _line("200899", "food", "kg", (1.15, 1.3), 1.45, .2, 18000,
          "Canned mixed fruit in syrup", weight=.8, modes=(.9, 0, .1, 0, 0),
          origins=(("CL", .3), ("AR", .2), ("ZA", .2), ("TH", .2), ("CN", .1)),
          container_kg=22000),
    # fuel at Kerran, in tankers
    _line("271019", "fuel", "kg", (1.0, 1.0), 0.78, .08, 8_000_000,
          "Gas oil (diesel), sulphur up to 0.05 %", weight=2, container_kg=22000, bulk=1.0),
    _line("271012", "fuel", "kg", (1.0, 1.0), 0.82, .08, 6_000_000,
          "Motor spirit (petrol), RON 95", weight=1.3, container_kg=22000, bulk=1.0),
    _line("271112", "fuel", "kg", (1.0, 1.0), 0.55, .1, 2_000_000,
          "Liquefied propane", weight=.5, container_kg=18000, bulk=1.0),
    # construction: tiles over Tesora, steel and cement
    _line("690721", "construction", "m2", (18, 25), 6.8, .3, 4000,
          "Glazed ceramic floor tiles, absorption up to 0.5 %", "Porcelain floor tiles 60x60",
          weight=2, origins=(("CN", .4), ("IN", .25), ("ES", .1), ("KT", .15), ("TR", .1)),
          container_kg=25000),
    _line("690722", "construction", "m2", (13, 18), 5.2, .3, 4000,
          "Glazed ceramic wall tiles", weight=1.2,
          origins=(("CN", .4), ("IN", .2), ("ES", .1), ("KT", .2), ("TR", .1)),
          container_kg=25000),
    _line("721049", "construction", "kg", (1.0, 1.01), 0.85, .15, 60000,
          "Galvanised flat-rolled steel, width 600 mm or more",
          origins=(("CN", .5), ("TR", .15), ("IN", .15), ("KR", .1), ("ND", .1)),
          container_kg=25000),
    _line("721420", "construction", "kg", (1.0, 1.0), 0.62, .12, 300000,
          "Steel reinforcing bars", origins=(("TR", .5), ("CN", .3), ("ND", .2)),
          container_kg=26000, bulk=.6),
    _line("252329", "construction", "kg", (1.0, 1.01), 0.09, .2, 500000,
          "Portland cement", weight=.6,
          origins=(("TR", .3), ("VN", .3), ("KT", .2), ("ND", .1), ("SW", .1)),
          container_kg=26000, bulk=.7),
    # machinery and tools
    _line("848790", "machinery", "u", (0.2, 15), 22, .55, 300,
          "Machinery parts, n.e.s.", "Spare parts for industrial machinery",
          "Bushings and seals for machines", ("Parts for car wash machines", .12),
          weight=1.5, container_kg=12000),
    _line("841510", "machinery", "u", (30, 60), 290, .3, 150,
          "Split-system air conditioners", weight=1.5, container_kg=9000),
    _line("850211", "machinery", "u", (400, 1200), 5200, .35, 4,
          "Diesel generating sets up to 75 kVA", weight=.8, container_kg=16000),
    _line("843149", "machinery", "u", (5, 200), 140, .6, 60,
          "Parts of construction machinery", container_kg=16000),
    _line("842952", "machinery", "u", (5000, 22000), 68000, .35, 2,
          "Excavators, 360-degree revolving", weight=.4,
          origins=(("JP", .4), ("CN", .3), ("KR", .2), ("US", .1)), container_kg=22000,
          bulk=.5),
    _line("848180", "machinery", "u", (0.2, 5), 12, .45, 1500,
          "Taps, valves and similar appliances", container_kg=14000),
    _line("820790", "machinery", "u", (0.05, 1.5), 7, .45, 1000,
          "Interchangeable tools for machine tools", "Drill bits and cutting inserts",
          ("Tool components", .15), container_kg=12000),
    _line("846721", "machinery", "u", (1.5, 3.5), 28, .3, 600,
          "Electric hand drills", weight=.8, container_kg=9000),
    # beverages and tobacco
    _line("240220", "beverages_tobacco", "1000 sticks", (1.1, 1.4), 16, .3, 5000,
          "Cigarettes containing tobacco", weight=2,
          origins=(("AE", .3), ("CN", .2), ("ID", .1), ("KT", .15), ("ND", .15), ("BR", .1)),
          container_kg=10000),
    _line("220830", "beverages_tobacco", "l", (1.4, 1.7), 11, .4, 8000,
          "Whisky, in bottles", origins=(("GB", .7), ("US", .2), ("IN", .1)),
          container_kg=18000),
    _line("220421", "beverages_tobacco", "l", (1.3, 1.6), 3.2, .4, 9000,
          "Wine in bottles of 2 l or less", weight=1.2,
          origins=(("FR", .3), ("CL", .25), ("AR", .2), ("ES", .15), ("IT", .1)),
          container_kg=20000),
    _line("220300", "beverages_tobacco", "l", (1.1, 1.3), 0.9, .25, 25000,
          "Beer made from malt", origins=(("ND", .3), ("KT", .3), ("MX", .15), ("NL", .15),
                                          ("SW", .1)), container_kg=22000),
    # consumer goods and e-commerce
    _line("950300", "consumer", "u", (0.1, 1.5), 3.8, .5, 3000,
          "Toys: dolls, puzzles and scale models", "Plastic toys, assorted", weight=2,
          container_kg=6000),
    _line("330499", "consumer", "u", (0.05, 0.4), 3.2, .5, 5000,
          "Beauty and skin-care preparations", "Cosmetics, assorted", weight=1.5,
          container_kg=8000),
    _line("210690", "consumer", "kg", (1.1, 1.4), 28, .45, 500,
          "Food supplements (vitamin tablets)", ("Vitamin supplements", .4),
          origins=(("US", .35), ("IN", .25), ("CN", .2), ("DE", .2)), container_kg=8000),
    _line("940360", "consumer", "u", (8, 60), 85, .45, 150,
          "Wooden furniture", container_kg=8000),
    _line("392410", "consumer", "kg", (1.05, 1.3), 2.6, .3, 3000,
          "Plastic tableware and kitchenware", container_kg=10000),
)
COMMODITY_BY_HS: dict[str, Commodity] = {c.hs: c for c in COMMODITIES}
_L: dict[str, int] = {c.hs: i for i, c in enumerate(COMMODITIES)}

# Descriptions a fraudster writes instead of the true one.
_FRAUD_DESCRIPTIONS = (
    "Unbranded sports footwear", "Sports shoes, assorted, unbranded", "Generic USB chargers",
    "Earphones, assorted, no brand", "Ladies' handbags, assorted", "Tool components",
    "Vitamin supplements", "Machinery parts, n.e.s.",
    "Crude soybean oil, degummed, for refining", "LED monitors for computers",
    "Used computer equipment, tested",
)
_DESCRIPTIONS: tuple[str, ...] = tuple(dict.fromkeys(
    [text for c in COMMODITIES for text, _ in c.descriptions] + list(_FRAUD_DESCRIPTIONS)
))
_D: dict[str, int] = {text: i for i, text in enumerate(_DESCRIPTIONS)}
_COUNTERFEIT_DESCRIPTION = {
    "640411": "Unbranded sports footwear", "640219": "Sports shoes, assorted, unbranded",
    "850440": "Generic USB chargers", "851830": "Earphones, assorted, no brand",
    "420221": "Ladies' handbags, assorted",
}

# -- offences ---------------------------------------------------------------------------

# Share of items with each planted offence (rows, not declarations).
OFFENCE_RATES: dict[str, float] = {
    "undervaluation": 0.026,
    "misclassification": 0.014,
    "origin_fraud": 0.010,
    "counterfeit": 0.012,
    "drugs": 0.0007,
    "prohibited": 0.0046,
}
_OFFENCE_KEYS: tuple[str, ...] = ("none", *OFFENCE_RATES)
_O: dict[str, int] = {k: i for i, k in enumerate(_OFFENCE_KEYS)}

# Party groups: how likely each is to offend, relative to an ordinary good trader.
AEO, GOOD, MEDIUM, RISKY, NEW = range(5)
_IMPORTER_RISK = np.array([0.05, 0.5, 2.5, 9.0, 4.0])
_IMPORTER_RISK_SMUGGLING = np.array([0.02, 0.3, 2.0, 6.0, 10.0])  # counterfeits, parcels
_DECLARANT_RISK = np.array([1.0, 1.0, 1.5, 4.0])  # by declarant group (index 1..3 used)
_DECLARANT_RISK_DRUGS = np.array([1.0, 1.0, 2.5, 10.0])
N_IMPORTERS = 3000
N_DECLARANTS = 400
ANNUAL_DECLARATIONS = 412_000  # the case's figure: a sample's numbers are spread over it
AIR_MIN_USD_PER_KG = 6.0  # goods worth less per kg do not fly

_STEMS = (
    "Almira", "Santa Brava", "Kerran", "Rocamar", "Tesora", "Linde", "Valdor", "Costa Azul",
    "Del Puerto", "Bahía", "Atlas", "Orion", "Nova", "Delta", "Sol", "Aurora", "Cóndor",
    "Pacífico", "Andina", "Meridian", "Zenith", "Horizonte", "Sirius", "Vega", "Polaris",
    "Alba", "Estrella", "Fénix", "Mirador", "Laguna", "Montaña", "Río Verde", "San Telmo",
    "Libertad", "Progreso", "Unión", "Central", "Global", "Continental", "Atlántico",
    "Norte", "Sur", "Oriente", "Primavera", "Olivar", "Roble", "Cedro", "Palmera", "Coral",
    "Marina", "Faro", "Puente", "Tres Ríos", "Cinco Estrellas", "Halcón", "Jaguar",
    "Quetzal", "Puma", "Cumbre", "Valle Alto", "Brisa", "Arena", "Piedra Blanca", "Lucero",
)
_SUFFIXES = ("S.A.", "Ltda.", "Ltd", "& Co.", "Group", "S.R.L.")
_NEW_WORDS = ("Import Export", "Global Sourcing", "E-Commerce", "Online Store")
_DECLARANT_WORDS = ("Customs Brokers", "Agencia de Aduanas", "Despachos", "Logistics",
                    "Forwarding", "Customs Services")

# -- helpers ----------------------------------------------------------------------------


def _cumulative(dists: Sequence[Dist], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Padded (ids, cumulative probabilities) matrices, one row per distribution."""
    width = max(len(d) for d in dists)
    ids = np.zeros((len(dists), width), dtype=np.int64)
    cum = np.ones((len(dists), width))
    for row, dist in enumerate(dists):
        weights = np.array([w for _, w in dist], dtype=float)
        ids[row, : len(dist)] = [index[key] for key, _ in dist]
        ids[row, len(dist):] = ids[row, len(dist) - 1]
        cum[row, : len(dist)] = np.cumsum(weights / weights.sum())
        cum[row, len(dist) - 1:] = 1.0
    return ids, cum


def _pick(rng: np.random.Generator, table: tuple[np.ndarray, np.ndarray],
          which: np.ndarray) -> np.ndarray:
    """One draw per element from distribution `which[i]` of `table`."""
    ids, cum = table
    u = rng.random(len(which))
    column = (u[:, None] >= cum[which]).sum(axis=1)
    return ids[which, np.minimum(column, ids.shape[1] - 1)]


def _choice(rng: np.random.Generator, size: int, options: Dist) -> np.ndarray:
    """Indices into `options`, drawn by weight."""
    weights = np.array([w for _, w in options], dtype=float)
    return rng.choice(len(options), size=size, p=weights / weights.sum())


def _category(codes: np.ndarray, labels: Sequence[str]) -> CategoryColumn:
    """A CategoryColumn of the labels actually used, sorted like `from_strings` does."""
    used = np.unique(codes)
    names = [labels[i] for i in used]
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int32)
    rank[order] = np.arange(len(names), dtype=np.int32)
    remap = np.full(len(labels), -1, dtype=np.int32)
    remap[used] = rank
    return CategoryColumn(remap[codes].astype(np.int32), tuple(names[i] for i in order))


def _target(rate: float, n: int) -> int:
    """Rows to plant: at least one once the table is big enough to show every offence."""
    rows = int(round(rate * n))
    return max(rows, 1) if n >= 1000 else rows


def _select(rng: np.random.Generator, weights: np.ndarray, rows_per_decl: np.ndarray,
            target_rows: int, taken: np.ndarray) -> np.ndarray:
    """Weighted sample of declarations without replacement (Efraimidis-Spirakis keys),
    taken until they hold `target_rows` affected items. Marks them in `taken`."""
    candidates = np.flatnonzero((weights > 0) & ~taken & (rows_per_decl > 0))
    if target_rows <= 0 or candidates.size == 0:
        return np.empty(0, dtype=np.int64)
    with np.errstate(divide="ignore"):
        keys = np.log(rng.random(candidates.size)) / weights[candidates]
    order = candidates[np.argsort(-keys, kind="stable")]
    reached = np.cumsum(rows_per_decl[order])
    chosen = order[: int(np.searchsorted(reached, target_rows)) + 1]
    taken[chosen] = True
    return chosen


@dataclass
class _Parties:
    names: list[str]
    group: np.ndarray
    score: np.ndarray
    volume: np.ndarray
    sector: np.ndarray  # importers only
    price_factor: np.ndarray  # importers only
    declarant: np.ndarray  # importers only: their usual declarant


def _unique_names(rng: np.random.Generator, count: int, words: Sequence[str]) -> list[str]:
    combos = len(_STEMS) * len(words) * len(_SUFFIXES)
    picks = rng.choice(combos, size=count, replace=False)
    names = []
    for pick in picks.tolist():
        stem, rest = divmod(pick, len(words) * len(_SUFFIXES))
        word, suffix = divmod(rest, len(_SUFFIXES))
        names.append(f"{_STEMS[stem]} {words[word]} {_SUFFIXES[suffix]}")
    return names


def _declarants(rng: np.random.Generator) -> _Parties:
    group = rng.choice([GOOD, MEDIUM, RISKY], size=N_DECLARANTS, p=[.85, .10, .05])
    score = np.select(
        [group == GOOD, group == MEDIUM],
        [rng.beta(12, 1.8, N_DECLARANTS), rng.beta(5, 3, N_DECLARANTS)],
        rng.beta(2.5, 4, N_DECLARANTS),
    )
    volume = rng.lognormal(0, 1.0, N_DECLARANTS)
    names = _unique_names(rng, N_DECLARANTS, _DECLARANT_WORDS)
    empty = np.empty(0)
    return _Parties(names, group, np.round(score, 2), volume, empty, empty, empty)


def _importers(rng: np.random.Generator, declarants: _Parties) -> _Parties:
    n_new = int(N_IMPORTERS * 0.08)
    n_regular = N_IMPORTERS - n_new
    shares = np.array([s.share for s in SECTORS])
    sector = np.concatenate([
        rng.choice(len(SECTORS), size=n_regular, p=shares / shares.sum()),
        # New importers deal in what sells online: footwear, electronics, consumer goods.
        rng.choice([_SECTOR[k] for k in ("footwear", "electronics", "consumer", "textiles")],
                   size=n_new, p=[.3, .3, .3, .1]),
    ])
    volume = rng.lognormal(0, 1.2, N_IMPORTERS)
    volume[n_regular:] *= 0.15
    group = np.concatenate([
        rng.choice([GOOD, MEDIUM, RISKY], size=n_regular, p=[.78, .14, .08]),
        np.full(n_new, NEW),
    ])
    # The 46 largest regular traders are the AEOs; they lodge about 28 % of declarations.
    aeo = np.argsort(-volume[:n_regular], kind="stable")[:46]
    group[aeo] = AEO
    rest = volume.sum() - volume[aeo].sum()
    volume[aeo] *= 0.28 * rest / (0.72 * volume[aeo].sum())
    score = np.select(
        [group == AEO, group == GOOD, group == MEDIUM, group == RISKY],
        [rng.uniform(0.92, 1.0, N_IMPORTERS), rng.beta(10, 1.6, N_IMPORTERS),
         rng.beta(5, 3.5, N_IMPORTERS), rng.beta(2.5, 4, N_IMPORTERS)],
        0.5,  # the default a new trader gets until it has a history
    )
    names: list[str] = [""] * N_IMPORTERS
    for s, spec in enumerate(SECTORS):
        members = np.flatnonzero((sector == s) & (group != NEW))
        for i, name in zip(members.tolist(), _unique_names(rng, members.size, spec.words),
                           strict=True):
            names[i] = name
    members = np.flatnonzero(group == NEW)
    for i, name in zip(members.tolist(), _unique_names(rng, members.size, _NEW_WORDS),
                       strict=True):
        names[i] = name
    # Usual declarant: risky and new traders favour the brokers that ask no questions.
    by_volume = declarants.volume / declarants.volume.sum()
    usual = rng.choice(N_DECLARANTS, size=N_IMPORTERS, p=by_volume)
    bad = np.flatnonzero(declarants.group == RISKY)
    shady = np.isin(group, [RISKY, NEW]) & (rng.random(N_IMPORTERS) < 0.35)
    usual[shady] = rng.choice(bad, size=int(shady.sum()))
    good = np.flatnonzero(declarants.group == GOOD)
    careless = (group == AEO) & (declarants.group[usual] != GOOD)  # AEOs use good brokers
    usual[careless] = rng.choice(good, size=int(careless.sum()))
    price_factor = rng.lognormal(0, 0.07, N_IMPORTERS)
    return _Parties(names, group, np.round(score, 2), volume, sector, price_factor, usual)


def _dates(rng: np.random.Generator, count: int, start: date, days: int) -> np.ndarray:
    """Sorted declaration dates: weekdays busy, weekends quiet, an autumn peak."""
    day = np.datetime64(start, "D") + np.arange(days)
    weekday = (day.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    weights = np.array([1.0, 1.05, 1.05, 1.0, 0.95, 0.3, 0.08])[weekday]
    day_of_year = (day - day.astype("datetime64[Y]")).astype(np.int64)
    weights = weights * (1 + 0.15 * np.cos(2 * np.pi * (day_of_year - 300) / 365))
    month = day.astype("datetime64[M]").astype(np.int64) % 12
    day_of_month = (day - day.astype("datetime64[M]")).astype(np.int64) + 1
    holiday = ((month == 0) & (day_of_month == 1)) | ((month == 11) & (day_of_month == 25))
    weights[holiday] = 0.05
    return np.sort(day[rng.choice(days, size=count, p=weights / weights.sum())])


def _declaration_numbers(dates: np.ndarray, rng: np.random.Generator) -> list[str]:
    """"25VD0001234": year, office prefix, serial within the year. A sample is spread over
    the year's register, so its serials jump as a real extract's would."""
    count = len(dates)
    gap_mean = max(ANNUAL_DECLARATIONS / max(count, 1) - 1, 0)
    gaps = 1 + rng.poisson(gap_mean, count)
    running = np.cumsum(gaps)
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    first_of_year = np.r_[True, year[1:] != year[:-1]]
    first = np.maximum.accumulate(np.where(first_of_year, np.arange(count), 0))
    serial = running - running[first] + gaps[first]  # restart each year
    text = np.strings.add(
        np.strings.add(np.strings.zfill((year % 100).astype(str), 2), "VD"),
        np.strings.zfill(serial.astype(str), 7),
    )
    return text.tolist()


def _empty_table() -> DeclarationTable:
    empty = {"number": np.float64, "integer": np.int64, "flag": np.bool_,
             "date": "datetime64[D]"}
    return DeclarationTable({
        f.name: CategoryColumn(np.empty(0, np.int32), ()) if f.kind == "category"
        else np.empty(0, dtype=empty[f.kind]) for f in FIELDS
    })


# -- the generator ----------------------------------------------------------------------


def generate_declarations(n: int, seed: int = 2026, start: date = date(2025, 1, 1),
                          days: int = 365) -> DeclarationTable:
    """`n` declaration items of Valdoria, over `days` days from `start`, with the hidden
    outcome (non_compliant, offence). Same arguments, same table."""
    if n < 0 or days < 1:
        raise ValueError(f"n must be >= 0 and days >= 1, not n={n}, days={days}")
    if n == 0:
        return _empty_table()
    rng = np.random.default_rng(seed)
    lines = COMMODITIES

    # Declarations of 1-5 items; the last one is cut to make exactly n rows.
    sizes = rng.choice(np.arange(1, 6), size=n, p=[.45, .25, .15, .1, .05])
    ends = np.cumsum(sizes)
    n_decl = int(np.searchsorted(ends, n)) + 1
    sizes = sizes[:n_decl]
    sizes[-1] -= ends[n_decl - 1] - n
    decl = np.repeat(np.arange(n_decl), sizes)
    first_row = np.r_[0, np.cumsum(sizes)[:-1]]
    item_no = np.arange(n) - first_row[decl] + 1

    declarants = _declarants(rng)
    importers = _importers(rng, declarants)

    # Sector, importer (by volume within the sector) and declarant of each declaration.
    shares = np.array([s.share for s in SECTORS])
    sector = rng.choice(len(SECTORS), size=n_decl, p=shares / shares.sum())
    importer = np.empty(n_decl, dtype=np.int64)
    for s in range(len(SECTORS)):
        mask = sector == s
        members = np.flatnonzero(importers.sector == s)
        p = importers.volume[members] / importers.volume[members].sum()
        importer[mask] = members[rng.choice(members.size, size=int(mask.sum()), p=p)]
    declarant = importers.declarant[importer].copy()
    switch = rng.random(n_decl) < 0.15
    by_volume = declarants.volume / declarants.volume.sum()
    declarant[switch] = rng.choice(N_DECLARANTS, size=int(switch.sum()), p=by_volume)

    # HS lines: the first item's line is the declaration's main one.
    sector_lines = _cumulative(
        [tuple((c.hs, c.weight) for c in lines if c.sector == s.key) for s in SECTORS], _L)
    main_line = _pick(rng, sector_lines, sector)
    line = main_line[decl]
    same = rng.random(n) < np.array([s.same_line for s in SECTORS])[sector[decl]]
    other = (item_no > 1) & ~same
    line[other] = _pick(rng, sector_lines, sector[decl][other])

    # Origin, transport mode and route of each declaration.
    line_origins = _cumulative(
        [c.origins or SECTORS[_SECTOR[c.sector]].origins for c in lines], _C)
    origin = _pick(rng, line_origins, main_line)
    mode_dists = [tuple(zip(_MODES, _line_modes(c), strict=True)) for c in lines]
    mode = _pick(rng, _cumulative(mode_dists, {m: i for i, m in enumerate(_MODES)}),
                 main_line)
    neighbour = np.isin(origin, [_C[c] for c in NEIGHBOURS])
    mode[neighbour] = rng.choice(len(_MODES), size=int(neighbour.sum()), p=_NEIGHBOUR_MODES)
    hub, starts_at_hub, consignment = _routes(rng, origin, mode)

    # -- plant the offences (declaration level), most specific patterns first ----------
    group = importers.group[importer]
    imp_risk = _IMPORTER_RISK[group]
    imp_smuggling = _IMPORTER_RISK_SMUGGLING[group]
    dec_group = declarants.group[declarant]
    dec_risk = _DECLARANT_RISK[dec_group]
    taken = np.zeros(n_decl, dtype=bool)
    offence_of_decl = np.zeros(n_decl, dtype=np.int64)
    one_row = np.ones(n_decl, dtype=np.int64)

    def items_in(hs_codes: Sequence[str]) -> np.ndarray:
        hit = np.isin(line, [_L[h] for h in hs_codes])
        return np.bincount(decl, weights=hit, minlength=n_decl).astype(np.int64)

    def plant(key: str, chosen: np.ndarray) -> np.ndarray:
        offence_of_decl[chosen] = _O[key]
        return chosen

    def country_factor(where: np.ndarray, factors: dict[str, float]) -> np.ndarray:
        table = np.ones(len(_CODES))
        for code, factor in factors.items():
            table[_C[code]] = factor
        return table[where]

    transhipped = (hub >= 0) & ~starts_at_hub
    new_importers = np.flatnonzero(importers.group == NEW)
    bad_declarants = np.flatnonzero(declarants.group == RISKY)

    # Drugs: cocaine behind the doors of transhipped fruit containers from South America.
    fruit = np.isin(main_line, [_L[h] for h in ("080390", "080440", "200899")])
    weights = (fruit & np.isin(origin, [_C[c] for c in SOUTH_AMERICA]) & (mode == SEA)) * \
        _DECLARANT_RISK_DRUGS[dec_group] * np.where(group >= MEDIUM, 4.0, 1.0) * \
        np.where(transhipped, 2.5, 1.0)
    chosen = plant("drugs", _select(rng, weights, one_row, _target(
        OFFENCE_RATES["drugs"], n), taken))
    move = chosen[(hub[chosen] < 0) & (rng.random(chosen.size) < 0.8)]
    hub[move] = rng.choice([_C["PA"], _C["ES"], _C["MA"]], size=move.size, p=[.45, .3, .25])
    starts_at_hub[move] = False
    consignment[move] = origin[move]
    shady = chosen[rng.random(chosen.size) < 0.4]
    declarant[shady] = rng.choice(bad_declarants, size=shady.size)
    drug_rows = np.zeros(n, dtype=bool)
    drug_rows[first_row[chosen]] = True

    # Other prohibited goods: one item of each chosen declaration.
    prohibited_rows = np.zeros(n, dtype=bool)
    price_cut = np.ones(n)
    description = np.full(n, -1, dtype=np.int64)  # -1: draw from the line's variants
    target = OFFENCE_RATES["prohibited"]
    in_sector = {k: sector == _SECTOR[k] for k in _SECTOR}
    variants = (
        ("firearm_parts", .26, in_sector["machinery"] | in_sector["consumer"]),
        ("hcfc22", .26, in_sector["chemicals"]),
        ("falsified_medicines", .35, in_sector["medicines"] | in_sector["consumer"]),
        ("ewaste", .13, in_sector["electronics"]),
    )
    for variant, share, eligible in variants:
        chosen = plant("prohibited", _select(rng, eligible * imp_smuggling * dec_risk,
                                             one_row, _target(target * share, n), taken))
        rows = first_row[chosen]
        prohibited_rows[rows] = True
        k = chosen.size
        if variant == "firearm_parts":  # pistol frames as "tool components", by courier
            mode[chosen] = np.where(rng.random(k) < 0.6, POST, AIR)
            origin[chosen] = rng.choice([_C["US"], _C["TR"], _C["CZ"]], size=k,
                                        p=[.6, .25, .15])
            hub[chosen] = np.where(rng.random(k) < 0.2, _C["AE"], -1)
            starts_at_hub[chosen] = False
            line[rows], description[rows] = _L["820790"], _D["Tool components"]
        elif variant == "hcfc22":  # HCFC-22 in HFC-134a cylinders, trucked via Norlandia
            mode[chosen] = ROAD
            origin[chosen] = _C["CN"]
            hub[chosen] = _C["ND"]
            starts_at_hub[chosen] = rng.random(k) < 0.3
            line[rows] = _L["290345"]
            price_cut[rows] = rng.uniform(0.45, 0.75, k)
        elif variant == "falsified_medicines":  # antimalarials as vitamins, split parcels
            mode[chosen] = np.where(rng.random(k) < 0.5, POST, AIR)
            origin[chosen] = np.where(rng.random(k) < 0.6, _C["IN"], _C["CN"])
            hub[chosen] = np.where(rng.random(k) < 0.5, _C["AE"], -1)
            starts_at_hub[chosen] = (hub[chosen] >= 0) & (rng.random(k) < 0.5)
            line[rows], description[rows] = _L["210690"], _D["Vitamin supplements"]
            price_cut[rows] = rng.uniform(0.4, 0.9, k)
        else:  # e-waste as used computer equipment, through Tesora
            mode[chosen] = ROAD
            origin[chosen] = rng.choice([_C["US"], _C["ND"], _C["KT"]], size=k,
                                        p=[.4, .3, .3])
            hub[chosen] = np.where(origin[chosen] == _C["KT"], -1, _C["KT"])
            starts_at_hub[chosen] = False
            line[rows] = _L["847150"]
            description[rows] = _D["Used computer equipment, tested"]
            price_cut[rows] = rng.uniform(0.15, 0.4, k)
        main_line[chosen] = line[rows]
        reexport = (hub[chosen] >= 0) & (starts_at_hub[chosen] | (mode[chosen] == ROAD))
        consignment[chosen] = np.where(reexport, hub[chosen], origin[chosen])
        newcomer = chosen[rng.random(k) < 0.5]
        importer[newcomer] = rng.choice(new_importers, size=newcomer.size)
    # (the lines changed above can put a declaration into "counterfeit-prone" lines;
    # `taken` keeps them out of the later patterns)

    # Counterfeits: branded trainers, chargers, earphones, bags.
    fake_lines = tuple(_COUNTERFEIT_DESCRIPTION)
    weights = (items_in(fake_lines) > 0) * imp_smuggling * dec_risk * \
        np.where(np.isin(mode, [POST, AIR]), 3.0, 1.0) * \
        country_factor(consignment, {"HK": 3.0, "AE": 2.5, "CN": 1.5})
    chosen = plant("counterfeit", _select(rng, weights, items_in(fake_lines), _target(
        OFFENCE_RATES["counterfeit"], n), taken))
    parcels = chosen[rng.random(chosen.size) < 0.55]
    k = parcels.size
    mode[parcels] = np.where(rng.random(k) < 0.6, POST, AIR)
    origin[parcels] = _C["CN"]
    via = rng.choice(3, size=k, p=[.45, .3, .25])  # HK, AE re-export, or straight from CN
    hub[parcels] = np.array([_C["HK"], _C["AE"], -1])[via]
    starts_at_hub[parcels] = (via == 0) & (rng.random(k) < 0.6)
    consignment[parcels] = np.where(via < 2, hub[parcels], origin[parcels])
    newcomer = chosen[rng.random(chosen.size) < 0.5]
    importer[newcomer] = rng.choice(new_importers, size=newcomer.size)
    fake_rows = np.isin(decl, chosen) & np.isin(line, [_L[h] for h in fake_lines])
    relabel = fake_rows & (rng.random(n) < 0.6)
    description[relabel] = np.array([_D[_COUNTERFEIT_DESCRIPTION.get(c.hs, c.description)]
                                     for c in lines])[line[relabel]]
    price_cut[fake_rows] = rng.uniform(0.3, 0.8, int(fake_rows.sum()))

    # Origin fraud: third-country goods declared Kestrian for the trade agreement.
    kestria = _C["KT"]
    made_elsewhere = np.isin(origin, [_C[c] for c in ("CN", "IN", "TR", "VN", "BD")])
    eligible = made_elsewhere & (in_sector["textiles"] | in_sector["footwear"] | np.isin(
        main_line, [_L[h] for h in ("690721", "690722", "721049")]))
    tiles = np.isin(main_line, [_L["690721"], _L["690722"]])
    weights = eligible * imp_risk * dec_risk * np.where(tiles, 4.0, 1.0)
    chosen = plant("origin_fraud", _select(rng, weights, sizes, _target(
        OFFENCE_RATES["origin_fraud"], n), taken))
    how = rng.choice(3, size=chosen.size, p=[.55, .2, .25])
    repacked, disguised = chosen[how == 0], chosen[how == 2]
    mode[repacked] = np.where(rng.random(repacked.size) < 0.7, ROAD, SEA)
    hub[repacked], starts_at_hub[repacked], consignment[repacked] = kestria, False, kestria
    mode[disguised] = ROAD
    hub[disguised], starts_at_hub[disguised], consignment[disguised] = kestria, True, kestria
    origin_fraud_rows = np.isin(decl, chosen)
    price_cut[origin_fraud_rows] = rng.uniform(0.6, 0.95, int(origin_fraud_rows.sum()))

    # Misclassification into a lower-duty neighbouring code.
    declared_line = line.copy()
    misclassified_rows = np.zeros(n, dtype=bool)
    target = OFFENCE_RATES["misclassification"]
    schemes = (
        (("870830", "870840", "870899", "870829", "840991"), "848790", .53),
        (("150790",), "150710", .15),
        (("852872",), "852852", .32),
    )
    for sources, into, share in schemes:
        count = items_in(sources)
        chosen = plant("misclassification", _select(
            rng, (count > 0) * imp_risk * dec_risk, count, _target(target * share, n), taken))
        rows = np.isin(decl, chosen) & np.isin(line, [_L[h] for h in sources])
        misclassified_rows |= rows
        declared_line[rows] = _L[into]
        # The true description often stays and betrays the code (drawn below from the
        # true line); otherwise the declared code's own wording.
        keep_true = {"848790": .6, "150710": .1, "852852": .5}[into]
        disguise = rows & (rng.random(n) >= keep_true)
        description[disguise] = _D[lines[_L[into]].description]

    # Undervaluation: cars, footwear, electronics, via trading hubs, by risky importers.
    sector_factor = np.array([{"vehicles": 5.0, "footwear": 3.5, "electronics": 3.0,
                               "textiles": 1.2, "vehicle_parts": 1.2, "consumer": .6,
                               "machinery": .5, "beverages_tobacco": .8, "construction": .4,
                               "medicines": .2, "chemicals": .3, "food": .15,
                               "fuel": .05}[s.key] for s in SECTORS])
    weights = sector_factor[sector] * imp_risk * dec_risk * country_factor(
        consignment, {"AE": 4.0, "HK": 3.0, "PA": 2.0, "SG": 1.5})
    chosen = plant("undervaluation", _select(rng, weights, sizes, _target(
        OFFENCE_RATES["undervaluation"], n), taken))
    # Many are invoiced through an intermediary in a trading hub (the Dubai car case).
    hubs = {_SECTOR["vehicles"]: (("AE", .85), ("PA", .15)),
            _SECTOR["footwear"]: (("HK", .5), ("AE", .5)),
            _SECTOR["electronics"]: (("HK", .6), ("AE", .4))}
    for s, options in hubs.items():
        rerouted = chosen[(sector[chosen] == s) & np.isin(mode[chosen], [SEA, AIR]) &
                          (rng.random(chosen.size) < 0.5)]
        hub[rerouted] = np.array([_C[c] for c, _ in options])[
            _choice(rng, rerouted.size, options)]
        consignment[rerouted] = hub[rerouted]
        starts_at_hub[rerouted] = rng.random(rerouted.size) < _REEXPORT_STARTS_AT_HUB
    undervalued_rows = np.isin(decl, chosen)
    k = int(undervalued_rows.sum())
    price_cut[undervalued_rows] = np.where(rng.random(k) < 0.85, rng.uniform(0.3, 0.6, k),
                                           rng.uniform(0.6, 0.8, k))

    # -- items ---------------------------------------------------------------------------
    dates = _dates(rng, n_decl, start, days)
    numbers = _declaration_numbers(dates, rng)

    # Declared origin: the declaration's, but consolidated cargo mixes a few origins.
    row_origin = origin[decl]
    mixed = (item_no > 1) & (rng.random(n) < 0.08) & (offence_of_decl[decl] == 0)
    row_origin[mixed] = _pick(rng, line_origins, line[mixed])
    declared_origin = row_origin.copy()
    declared_origin[origin_fraud_rows] = kestria

    # Quantity and gross weight follow the true goods and the transport mode.
    kg_lo = np.array([c.kg_per_unit[0] for c in lines])
    kg_hi = np.array([c.kg_per_unit[1] for c in lines])
    kg_mid = (kg_lo + kg_hi) / 2
    base = np.array([c.quantity for c in lines])[line]
    row_mode = mode[decl]
    scale = np.array([1.0, 0.12, 0.6, 1.2, 1.0])[row_mode]
    median = np.where(row_mode == POST, np.maximum(4.0 / kg_mid[line], 1.0), base * scale)
    quantity = median * rng.lognormal(0, 0.8, n)
    quantity = np.minimum(quantity, np.where(row_mode == POST, 30.0 / kg_mid[line],
                                             median * 8))
    integral = np.array([c.integral for c in lines])[line]
    quantity = np.where(integral, np.maximum(np.rint(quantity), 1.0),
                        np.maximum(np.round(quantity, 1), 0.1))
    gross_weight = np.maximum(np.round(quantity * rng.uniform(kg_lo[line], kg_hi[line]), 1),
                              0.1)

    # Value: the true goods' price, then what each offence does to it.
    reference = np.array([c.reference_price for c in lines])
    spread = np.array([c.price_spread for c in lines])
    unit_price = reference[line] * np.exp(rng.normal(np.log(1.06), spread[line])) * \
        importers.price_factor[importer][decl] * price_cut
    declared_value = np.maximum(np.round(quantity * unit_price, 2), 0.01)
    unit_value = np.round(declared_value / quantity, 4)

    # Descriptions not set by an offence: a variant of the true goods' wording.
    variant_table = _cumulative([c.descriptions for c in lines], _D)
    unset = description < 0
    description[unset] = _pick(rng, variant_table, line[unset])

    # Containers per declaration (sea only; bulk, ro-ro and tankers carry none).
    container_kg = np.array([c.container_kg for c in lines])
    loads = np.bincount(decl, weights=gross_weight / container_kg[line], minlength=n_decl)
    bulk = rng.random(n_decl) < np.array([c.bulk for c in lines])[main_line]
    containers = np.where((mode == SEA) & ~bulk, np.clip(np.ceil(loads), 1, 60), 0)
    containers = containers.astype(np.int64)

    # Freight: per kg by mode; a container's price is spread over its cargo.
    decl_weight = np.bincount(decl, weights=gross_weight, minlength=n_decl)
    per_kg = np.select(
        [mode == AIR, mode == POST, mode == ROAD, mode == RAIL, containers > 0],
        [rng.uniform(2.5, 5.5, n_decl), rng.uniform(4, 11, n_decl),
         rng.uniform(0.05, 0.14, n_decl), rng.uniform(0.035, 0.09, n_decl),
         containers * rng.uniform(1400, 3400, n_decl) / np.maximum(decl_weight, 1)],
        rng.uniform(0.02, 0.06, n_decl),  # bulk sea
    )
    freight = np.round(per_kg[decl] * gross_weight, 2)
    freight = np.where(row_mode == POST, np.maximum(freight, 5.0), freight)

    # Procedure: the sector's mix; parcels are always released for home use.
    procedure_tables = _cumulative([s.procedures for s in SECTORS],
                                   {p: i for i, p in enumerate(_PROC)})
    procedure = _pick(rng, procedure_tables, sector)
    procedure[np.isin(mode, [POST, AIR]) & (procedure == _PROC.index("8000"))] = 0
    procedure[mode == POST] = 0

    # Routes as text, built once per distinct (first stop, hub) pair.
    first_stop = np.where(starts_at_hub & (hub >= 0), hub, origin)
    middle = np.where(starts_at_hub | (hub < 0) | (hub == origin), -1, hub)
    route_key = first_stop * (len(_CODES) + 1) + (middle + 1)
    keys, route_code = np.unique(route_key, return_inverse=True)
    route_labels = []
    for key in keys.tolist():
        start_at, via = divmod(key, len(_CODES) + 1)
        stops = [_CODES[start_at]] + ([_CODES[via - 1]] if via else []) + [HOME]
        route_labels.append(">".join(stops))
    hops = np.array([label.count(">") for label in route_labels])

    offence = np.zeros(n, dtype=np.int64)
    for key, rows in (("undervaluation", undervalued_rows),
                      ("misclassification", misclassified_rows),
                      ("origin_fraud", origin_fraud_rows), ("counterfeit", fake_rows),
                      ("prohibited", prohibited_rows), ("drugs", drug_rows)):
        offence[rows] = _O[key]

    hs_labels = [c.hs for c in lines]
    columns: dict[str, np.ndarray | CategoryColumn] = {
        "declaration_no": CategoryColumn(decl.astype(np.int32), tuple(numbers)),
        "item_no": item_no.astype(np.int64),
        "date": dates[decl],
        "importer": _category(importer[decl], importers.names),
        "importer_compliance": importers.score[importer][decl].astype(np.float64),
        "declarant": _category(declarant[decl], declarants.names),
        "declarant_compliance": declarants.score[declarant][decl].astype(np.float64),
        "hs_code": _category(declared_line, hs_labels),
        "description": _category(description, _DESCRIPTIONS),
        "origin": _category(declared_origin, _CODES),
        "consignment": _category(consignment[decl], _CODES),
        "route": _category(route_code[decl], route_labels),
        "transhipment": (hops[route_code] >= 2)[decl],
        "transport_mode": _category(row_mode, _MODES),
        "containers": containers[decl],
        "gross_weight": gross_weight,
        "quantity": quantity,
        "declared_value": declared_value,
        "unit_value": unit_value,
        "reference_price": reference[declared_line].astype(np.float64),
        "freight": freight,
        "procedure": _category(procedure[decl], _PROC),
        "non_compliant": offence > 0,
        "offence": _category(offence, _OFFENCE_KEYS),
    }
    return DeclarationTable(columns)


def _line_modes(line: Commodity) -> tuple[float, ...]:
    """Transport mode shares of a line: cheap heavy goods do not fly."""
    sea, air, road, rail, post = line.modes or SECTORS[_SECTOR[line.sector]].modes
    if line.reference_price / sum(line.kg_per_unit) * 2 < AIR_MIN_USD_PER_KG:
        sea, air = sea + air, 0.0
    return sea, air, road, rail, post


def _routes(rng: np.random.Generator, origin: np.ndarray,
            mode: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per declaration: the hub (-1 if none), whether the route starts at it, and the
    country of consignment."""
    count = len(origin)
    hub = np.full(count, -1, dtype=np.int64)
    starts_at_hub = np.zeros(count, dtype=bool)
    consignment = origin.copy()
    region = np.array([_REGION[c] for c in _CODES])[origin]
    for (mode_key, region_key), (direct, tranship, via, reexporters) in _ROUTING.items():
        mask = (mode == _MODES.index(mode_key)) & (region != "neighbour")
        if region_key != "*":
            mask &= region == region_key
        rows = np.flatnonzero(mask)
        if rows.size == 0:
            continue
        u = rng.random(rows.size)
        via_hub = rows[(u >= direct) & (u < direct + tranship)]
        by_reexport = rows[u >= direct + tranship]
        hub[via_hub] = np.array([_C[c] for c, _ in via])[_choice(rng, via_hub.size, via)]
        hub[by_reexport] = np.array([_C[c] for c, _ in reexporters])[
            _choice(rng, by_reexport.size, reexporters)]
        consignment[by_reexport] = hub[by_reexport]
        starts_at_hub[by_reexport] = rng.random(by_reexport.size) < _REEXPORT_STARTS_AT_HUB
    home_grown = hub == origin  # a hub's own goods come straight
    hub[home_grown], starts_at_hub[home_grown] = -1, False
    consignment[home_grown] = origin[home_grown]
    return hub, starts_at_hub, consignment


def builtin_dataset(n: int = 20000) -> DeclarationTable:
    """The data set of the built-in practice pack: generated on the fly, always the same."""
    return generate_declarations(n, seed=2026)
