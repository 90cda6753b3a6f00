"""The selectivity engine on 30 realistic criteria against a plain numpy baseline.

    python bench/targeting.py [--runs 5] [--sizes 100000 1000000]

For each size, on generate_declarations(size, seed=7): the median wall time of the full
engine run (compile + evaluate + metrics), the median of the same 30 filters written by
hand as numpy expressions on decoded arrays (string columns as numpy str arrays, lower-cased
where a filter ignores case; decoding is not timed) with the same lane assignment and
counts, their ratio, and the peak memory growth of one engine run under tracemalloc.
Targets: <= 0.3 s at 100k and <= 3 s at 1M on a 2-core machine. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from rmdesk.domain.criteria import LANE_CODE, RuleSet, parse_ruleset
from rmdesk.domain.declaration_gen import generate_declarations
from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.domain.selectivity import run_selectivity

HUBS = ["AE", "HK", "PA", "SG"]
SOUTH_AMERICA = ["AR", "BR", "CL", "CO", "EC", "PE", "PY", "CR"]
COUNTERFEIT_LINES = ["640411", "640219", "850440", "851830", "420221"]
ELECTRONICS = ["851713", "850440", "847130", "852872", "852852", "851830"]
FRUIT = ["080390", "080440", "200899"]
PARCELS = ["post", "air"]


def c(field: str | None, op: str, value: Any = None, **bounds: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"op": op, **({"field": field} if field else {}), **bounds}
    if value is not None:
        node["value"] = value
    return node


def all_of(*items: dict[str, Any]) -> dict[str, Any]:
    return {"op": "and", "items": list(items)}


def any_of(*items: dict[str, Any]) -> dict[str, Any]:
    return {"op": "or", "items": list(items)}


def rule(name: str, lane: str, condition: dict[str, Any], priority: int = 0) -> dict[str, Any]:
    return {"name": name, "lane": lane, "priority": priority, "condition": condition}


def criteria(risky_importers: list[str]) -> RuleSet:
    rules = [
        rule("Used cars undervalued", "red",
             all_of(c("hs_code", "starts_with", "8703"),
                    c(None, "unit_value_below_reference", 60)), 5),
        rule("Cars via trading hubs", "yellow",
             all_of(c("hs_code", "starts_with", "8703"),
                    c("consignment", "in_watch_list", "hubs"))),
        rule("Footwear undervalued", "red",
             all_of(c("hs_code", "starts_with", "64"),
                    c(None, "unit_value_below_reference", 60)), 4),
        rule("Electronics from hubs, low value", "red",
             all_of(c("hs_code", "in", ELECTRONICS), c("consignment", "in_watch_list", "hubs"),
                    c(None, "unit_value_below_reference", 70)), 4),
        rule("Counterfeit-prone lines by parcel", "red",
             all_of(c("hs_code", "in_watch_list", "counterfeit lines"),
                    c("transport_mode", "in", PARCELS)), 3),
        rule("Unbranded goods", "red",
             any_of(c("description", "contains", "unbranded"),
                    c("description", "contains", "no brand")), 3),
        rule("Generic chargers from HK or AE", "yellow",
             all_of(c("description", "contains", "generic"),
                    c("consignment", "in", ["HK", "AE"]))),
        rule("Handbags, low-compliance importer", "yellow",
             all_of(c("hs_code", "eq", "420221"), c("importer_compliance", "lt", 0.5))),
        rule("Machinery parts n.e.s., odd weight", "yellow",
             all_of(c("hs_code", "eq", "848790"),
                    c(None, "weight_per_unit_outside", min=0.5, max=20))),
        rule("Machinery parts described as car parts", "red",
             all_of(c("hs_code", "eq", "848790"),
                    any_of(c("description", "contains", "car"),
                           c("description", "contains", "brake"),
                           c("description", "contains", "gearbox"))), 2),
        rule("Crude soybean oil, weak declarant", "yellow",
             all_of(c("hs_code", "eq", "150710"), c("declarant_compliance", "lt", 0.6))),
        rule("Monitors of television weight", "yellow",
             all_of(c("hs_code", "eq", "852852"),
                    c(None, "weight_per_unit_outside", min=2, max=8))),
        rule("Kestrian textiles and footwear", "yellow",
             all_of(c("origin", "eq", "KT"),
                    any_of(c("hs_code", "starts_with", "61"), c("hs_code", "starts_with", "62"),
                           c("hs_code", "starts_with", "64"))), 2),
        rule("Kestrian tiles", "orange",
             all_of(c("origin", "eq", "KT"), c("hs_code", "in", ["690721", "690722"]))),
        rule("Transhipped South American fruit", "red",
             all_of(c("hs_code", "in", FRUIT), c("origin", "in_watch_list", "south america"),
                    c("transhipment", "is_true")), 9),
        rule("Fruit by weak declarants", "orange",
             all_of(c("hs_code", "starts_with", "0803"), c("declarant_compliance", "lt", 0.4))),
        rule("Tool components by parcel", "red",
             all_of(c("description", "eq", "Tool components"),
                    c("transport_mode", "in", PARCELS)), 8),
        rule("Refrigerant by road from Norlandia", "red",
             all_of(c("hs_code", "eq", "290345"), c("transport_mode", "eq", "road"),
                    c("consignment", "eq", "ND")), 6),
        rule("Refrigerants undervalued", "yellow",
             all_of(c("hs_code", "starts_with", "2903"),
                    c(None, "unit_value_below_reference", 75))),
        rule("Supplements by parcel from IN or CN", "red",
             all_of(c("hs_code", "eq", "210690"), c("origin", "in", ["IN", "CN"]),
                    c("transport_mode", "in", PARCELS)), 7),
        rule("Used computer equipment", "yellow",
             c("description", "contains", "used computer")),
        rule("Computers through Kestria, very cheap", "red",
             all_of(c("hs_code", "eq", "847150"), c("consignment", "eq", "KT"),
                    c(None, "unit_value_below_reference", 50))),
        rule("New importers, high value", "yellow",
             all_of(c("importer_compliance", "lte", 0.5), c("declared_value", "gt", 50000))),
        rule("Watch-listed importers", "yellow",
             c("importer", "in_watch_list", "risky importers"), 1),
        rule("Weak declarant, transhipped", "blue",
             all_of(c("declarant_compliance", "lt", 0.3), c("transhipment", "is_true"))),
        rule("Medicines from hubs", "blue",
             all_of(c("hs_code", "starts_with", "30"), c("consignment", "in_watch_list", "hubs"))),
        rule("Far below reference", "yellow", c(None, "unit_value_below_reference", 30), 3),
        rule("Weak importer, costly freight", "blue",
             all_of(c("importer_compliance", "between", min=0.0, max=0.5),
                    c("freight", "gt", 5000))),
        rule("March operation: Chinese electronics", "orange",
             all_of(c("date", "between", min="2025-03-01", max="2025-03-31"),
                    c("origin", "eq", "CN"), c("hs_code", "starts_with", "85"))),
        rule("Trusted traders", "green",
             all_of(c("importer_compliance", "gte", 0.9), c("declarant_compliance", "gte", 0.8),
                    {"op": "not", "items": [c("consignment", "in_watch_list", "hubs")]})),
    ]
    assert len(rules) == 30
    return parse_ruleset({
        "criteria": rules,
        "watch_lists": {
            "hubs": HUBS, "south america": SOUTH_AMERICA,
            "counterfeit lines": COUNTERFEIT_LINES, "risky importers": risky_importers,
        },
        "random_rates": {"red": 0.01, "yellow": 0.02},
        "seed": 7,
    })


def risky_importers(table: DeclarationTable, count: int = 40) -> list[str]:
    """The importers with the lowest compliance score: a facilitator's watch list."""
    importer = table.column("importer")
    assert isinstance(importer, CategoryColumn)
    score = np.asarray(table.column("importer_compliance"))
    best = np.full(len(importer.values), np.inf)
    np.minimum.at(best, importer.codes[importer.codes >= 0], score[importer.codes >= 0])
    return [importer.values[i] for i in np.argsort(best, kind="stable")[:count]]


# -- the plain vectorised baseline ------------------------------------------------------


def decode(table: DeclarationTable) -> dict[str, np.ndarray]:
    """Plain arrays: text as numpy str, and lower-cased copies for case-free tests."""
    plain: dict[str, np.ndarray] = {}
    for name, column in table.columns.items():
        if isinstance(column, CategoryColumn):
            plain[name] = np.array(column.decode(), dtype=str)
        else:
            plain[name] = column
    plain["description_lower"] = np.char.lower(plain["description"])
    numbers = table.column("declaration_no")  # every generated row has a number
    plain["declaration_code"] = numbers.codes if isinstance(numbers, CategoryColumn) \
        else np.arange(len(table))
    return plain


def baseline(d: dict[str, np.ndarray], risky: list[str], seed: int = 7) -> dict[str, Any]:
    hs, low = d["hs_code"], d["description_lower"]
    origin, cons, mode = d["origin"], d["consignment"], d["transport_mode"]
    uv, ref = d["unit_value"], d["reference_price"]
    w, q = d["gross_weight"], d["quantity"]
    imp, dec = d["importer_compliance"], d["declarant_compliance"]

    def below(pct: float) -> np.ndarray:
        return (ref > 0) & (uv < ref * (pct / 100))

    def wpu_outside(lo: float, hi: float) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            per = w / q
        return (q > 0) & ((per < lo) | (per > hi))

    cars = np.char.startswith(hs, "8703")
    hubs = np.isin(cons, HUBS)
    parcel = np.isin(mode, PARCELS)
    kt = origin == "KT"
    masks = [
        (cars & below(60), "red", 5),
        (cars & hubs, "yellow", 0),
        (np.char.startswith(hs, "64") & below(60), "red", 4),
        (np.isin(hs, ELECTRONICS) & hubs & below(70), "red", 4),
        (np.isin(hs, COUNTERFEIT_LINES) & parcel, "red", 3),
        ((np.char.find(low, "unbranded") >= 0) | (np.char.find(low, "no brand") >= 0), "red", 3),
        ((np.char.find(low, "generic") >= 0) & np.isin(cons, ["HK", "AE"]), "yellow", 0),
        ((hs == "420221") & (imp < 0.5), "yellow", 0),
        ((hs == "848790") & wpu_outside(0.5, 20), "yellow", 0),
        ((hs == "848790") & ((np.char.find(low, "car") >= 0) | (np.char.find(low, "brake") >= 0)
                             | (np.char.find(low, "gearbox") >= 0)), "red", 2),
        ((hs == "150710") & (dec < 0.6), "yellow", 0),
        ((hs == "852852") & wpu_outside(2, 8), "yellow", 0),
        (kt & (np.char.startswith(hs, "61") | np.char.startswith(hs, "62")
               | np.char.startswith(hs, "64")), "yellow", 2),
        (kt & np.isin(hs, ["690721", "690722"]), "orange", 0),
        (np.isin(hs, FRUIT) & np.isin(origin, SOUTH_AMERICA) & d["transhipment"], "red", 9),
        (np.char.startswith(hs, "0803") & (dec < 0.4), "orange", 0),
        ((low == "tool components") & parcel, "red", 8),
        ((hs == "290345") & (mode == "road") & (cons == "ND"), "red", 6),
        (np.char.startswith(hs, "2903") & below(75), "yellow", 0),
        ((hs == "210690") & np.isin(origin, ["IN", "CN"]) & parcel, "red", 7),
        (np.char.find(low, "used computer") >= 0, "yellow", 0),
        ((hs == "847150") & (cons == "KT") & below(50), "red", 0),
        ((imp <= 0.5) & (d["declared_value"] > 50000), "yellow", 0),
        (np.isin(d["importer"], risky), "yellow", 1),
        ((dec < 0.3) & d["transhipment"], "blue", 0),
        (np.char.startswith(hs, "30") & hubs, "blue", 0),
        (below(30), "yellow", 3),
        ((imp >= 0.0) & (imp <= 0.5) & (d["freight"] > 5000), "blue", 0),
        ((d["date"] >= np.datetime64("2025-03-01")) & (d["date"] <= np.datetime64("2025-03-31"))
         & (origin == "CN") & np.char.startswith(hs, "85"), "orange", 0),
        ((imp >= 0.9) & (dec >= 0.8) & ~hubs, "green", 0),
    ]
    n = len(hs)
    lanes = np.zeros(n, dtype=np.int8)
    for mask, lane, _ in masks:
        np.maximum(lanes, np.where(mask, LANE_CODE[lane], 0).astype(np.int8), out=lanes)
    # Random checks draw whole declarations that no criterion touched, as the engine does.
    units = d["declaration_code"]
    n_units = int(units.max()) + 1
    touched = np.zeros(n_units, dtype=bool)
    touched[units[lanes > 0]] = True
    pool = np.flatnonzero((np.bincount(units, minlength=n_units) > 0) & ~touched)
    keys = np.random.default_rng(seed).random(n_units)[pool]
    k_red, k_yellow = round(0.01 * len(pool)), round(0.02 * len(pool))
    picked = pool[np.argsort(keys)[:k_red + k_yellow]]
    unit_lane = np.zeros(n_units, dtype=np.int8)
    unit_lane[picked[:k_red]], unit_lane[picked[k_red:]] = LANE_CODE["red"], LANE_CODE["yellow"]
    np.maximum(lanes, unit_lane[units], out=lanes)
    bad = d["non_compliant"]
    selected = lanes > 0
    return {
        "selected": int(selected.sum()),
        "tp": int((selected & bad).sum()),
        "per_criterion": [(int(m.sum()), int((m & bad).sum())) for m, _, _ in masks],
        "lanes": np.bincount(lanes, minlength=5),
    }


# -- measuring --------------------------------------------------------------------------


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_growth(fn: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    memory: dict[int, int] = {}
    for size in args.sizes:
        start = time.perf_counter()
        table = generate_declarations(size, seed=7)
        made = time.perf_counter() - start
        risky = risky_importers(table)
        ruleset = criteria(risky)
        plain = decode(table)

        run = run_selectivity(table, ruleset)  # warm-up, and a check on the baseline
        check = baseline(plain, risky)
        same = [(s.hits, s.finds) for s in run.metrics.criteria] == check["per_criterion"]
        engine = median_time(lambda: run_selectivity(table, ruleset), args.runs)  # noqa: B023
        base = median_time(lambda: baseline(plain, risky), args.runs)  # noqa: B023
        memory[size] = peak_growth(lambda: run_selectivity(table, ruleset))  # noqa: B023

        m = run.metrics
        declarations = table.column("declaration_no")
        count = len(declarations.values) if isinstance(declarations, CategoryColumn) else size
        print(f"{size:>9,} rows ({count:,} declarations, generated in {made:.1f} s)")
        print(f"  engine (compile + evaluate + metrics): median {engine:.3f} s of {args.runs}")
        print(f"  plain numpy baseline:                  median {base:.3f} s of {args.runs}")
        print(f"  engine / baseline: {engine / base:.2f}   same hits and finds per criterion: "
              f"{same}")
        print(f"  peak memory growth of one run: {memory[size] / 2**20:.1f} MiB "
              f"({memory[size] / size:.0f} bytes per row)")
        rates = (m.selection_rate or 0, m.hit_rate or 0, m.detection_rate or 0,
                 m.prevalence or 0)
        print("  selection {:.1%}, hit rate {:.1%}, detection {:.1%}, prevalence {:.1%}".format(
            *rates))
        print(f"  lanes: {m.lane_counts()}, workload {m.workload.total:,.0f}")
    if len(memory) > 1:
        sizes = sorted(memory)
        small, large = sizes[0], sizes[-1]
        print(f"memory growth {large:,} vs {small:,} rows: x{memory[large] / memory[small]:.1f} "
              f"for x{large / small:.0f} rows")


if __name__ == "__main__":
    main()
