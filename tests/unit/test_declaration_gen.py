"""The synthetic declarations of Valdoria: deterministic, well-formed, plausible, and with
non-compliance that good indicators find and random checks mostly miss."""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import pytest

from rmdesk.domain.declaration_gen import (
    COMMODITY_BY_HS,
    COUNTRIES,
    PROCEDURES,
    builtin_dataset,
    generate_declarations,
)
from rmdesk.domain.declarations import (
    FIELDS,
    OFFENCES,
    TRANSPORT_MODES,
    CategoryColumn,
    DeclarationTable,
)

DTYPES = {"number": np.float64, "integer": np.int64, "date": np.dtype("datetime64[D]"),
          "flag": np.bool_}


@pytest.fixture(scope="module")
def table() -> DeclarationTable:
    return builtin_dataset()


def text(t: DeclarationTable, name: str) -> np.ndarray:
    column = t.column(name)
    assert isinstance(column, CategoryColumn)
    return np.array((*column.values, ""), dtype=object)[column.codes]


def same_columns(a: DeclarationTable, b: DeclarationTable) -> bool:
    if a.columns.keys() != b.columns.keys():
        return False
    for name, col in a.columns.items():
        other = b.columns[name]
        if isinstance(col, CategoryColumn):
            assert isinstance(other, CategoryColumn)
            if col.values != other.values or not np.array_equal(col.codes, other.codes):
                return False
        elif not np.array_equal(col, other):
            return False
    return True


def hit_rate(t: DeclarationTable, mask: np.ndarray) -> float:
    assert mask.sum() > 0
    return float(t.column("non_compliant")[mask].mean())


# -- determinism ------------------------------------------------------------------------


def test_same_seed_gives_the_same_table() -> None:
    assert same_columns(generate_declarations(3000, seed=7), generate_declarations(3000, seed=7))


def test_another_seed_gives_another_table() -> None:
    a, b = generate_declarations(3000, seed=7), generate_declarations(3000, seed=8)
    assert not np.array_equal(a.column("declared_value"), b.column("declared_value"))
    assert not same_columns(a, b)


def test_builtin_dataset_is_the_2026_seed(table: DeclarationTable) -> None:
    assert len(table) == 20000
    assert same_columns(table, generate_declarations(20000, seed=2026))


@pytest.mark.parametrize("n", [0, 1, 2, 7, 999])
def test_any_size_gives_exactly_n_rows(n: int) -> None:
    t = generate_declarations(n, seed=3)
    assert len(t) == n
    assert set(t.columns) == {f.name for f in FIELDS}


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_declarations(-1)
    with pytest.raises(ValueError):
        generate_declarations(10, days=0)


def test_a_hundred_thousand_rows_take_well_under_a_few_seconds() -> None:
    started = time.perf_counter()
    generate_declarations(100_000, seed=1)
    assert time.perf_counter() - started < 5.0  # about 0.2 s; loose for slow CI


# -- schema -----------------------------------------------------------------------------


def test_every_field_is_present_with_its_kind(table: DeclarationTable) -> None:
    for spec in FIELDS:
        column = table.column(spec.name)
        assert len(column) == len(table), spec.name
        if spec.kind == "category":
            assert isinstance(column, CategoryColumn), spec.name
            assert column.codes.dtype == np.int32
            assert list(column.values) == sorted(set(column.values)), spec.name
            assert "" not in column.values
            assert column.codes.min() >= 0 and column.codes.max() < len(column.values)
        else:
            assert isinstance(column, np.ndarray), spec.name
            assert column.dtype == DTYPES[spec.kind], spec.name
    assert table.has_outcome()


def test_categories_use_the_known_vocabularies(table: DeclarationTable) -> None:
    assert set(table.column("transport_mode").values) == set(TRANSPORT_MODES)
    assert set(table.column("offence").values) == set(OFFENCES)
    assert set(table.column("procedure").values) <= set(PROCEDURES)
    assert set(table.column("origin").values) <= set(COUNTRIES) - {"VD"}
    assert set(table.column("consignment").values) <= set(COUNTRIES) - {"VD"}
    assert set(table.column("hs_code").values) <= set(COMMODITY_BY_HS)
    assert all(len(h) == 6 and h.isdigit() for h in table.column("hs_code").values)
    assert {"KT", "ND"} <= set(table.column("origin").values)  # the fictional neighbours


def test_declarations_have_one_to_five_numbered_items(table: DeclarationTable) -> None:
    numbers = table.column("declaration_no")
    assert isinstance(numbers, CategoryColumn)
    codes, items = numbers.codes, table.column("item_no")
    assert np.all(np.diff(codes) >= 0)  # rows grouped by declaration, in number order
    starts = np.r_[True, codes[1:] != codes[:-1]]
    assert np.all(items[starts] == 1)
    assert np.all(items[~starts] == items[np.flatnonzero(~starts) - 1] + 1)
    assert items.min() == 1 and items.max() == 5
    assert all(len(v) == 11 and v.startswith("25VD") and v[4:].isdigit()
               for v in numbers.values)
    # Declaration-level fields are the same on every item of a declaration.
    for name in ("date", "importer", "declarant", "route", "transport_mode", "containers"):
        col = table.column(name)
        values = col.codes if isinstance(col, CategoryColumn) else col
        assert np.all(values[~starts] == values[np.flatnonzero(~starts) - 1]), name


def test_parties_and_scores(table: DeclarationTable) -> None:
    assert 1000 < len(table.column("importer").values) <= 3000
    assert 100 < len(table.column("declarant").values) <= 400
    for name in ("importer_compliance", "declarant_compliance"):
        score = table.column(name)
        assert score.min() >= 0 and score.max() <= 1
        assert np.median(score) > 0.75  # most traders comply...
        assert (score < 0.5).mean() > 0.02  # ...and there is a risky tail


def test_dates_cover_the_year_and_favour_weekdays(table: DeclarationTable) -> None:
    dates = table.column("date")
    assert dates.min() >= np.datetime64("2025-01-01")
    assert dates.max() <= np.datetime64("2025-12-31")
    assert np.all(np.diff(dates.astype(np.int64)) >= 0)
    weekday = (dates.astype(np.int64) + 3) % 7  # Monday = 0
    assert (weekday < 5).mean() > 0.85


def test_start_and_days_are_honoured() -> None:
    t = generate_declarations(2000, seed=5, start=date(2025, 12, 1), days=62)
    dates = t.column("date")
    assert dates.min() >= np.datetime64("2025-12-01")
    assert dates.max() < np.datetime64("2026-02-01")
    years = {v[:2] for v in t.column("declaration_no").values}
    assert years == {"25", "26"}  # serials restart with the year's prefix


# -- plausibility -----------------------------------------------------------------------


def test_amounts_are_positive_and_consistent(table: DeclarationTable) -> None:
    weight, quantity = table.column("gross_weight"), table.column("quantity")
    value, unit_value = table.column("declared_value"), table.column("unit_value")
    assert weight.min() > 0 and quantity.min() > 0 and value.min() > 0
    assert table.column("freight").min() >= 0
    assert table.column("reference_price").min() > 0
    np.testing.assert_allclose(unit_value, value / quantity, rtol=1e-6, atol=6e-5)


def test_weight_per_unit_follows_the_commodity(table: DeclarationTable) -> None:
    hs = text(table, "hs_code")
    per_unit = table.column("gross_weight") / table.column("quantity")
    honest = ~table.column("non_compliant")
    low = np.array([COMMODITY_BY_HS[h].kg_per_unit[0] for h in hs])
    high = np.array([COMMODITY_BY_HS[h].kg_per_unit[1] for h in hs])
    # rounding of small parcels (0.1 kg) aside, honest items stay in their range
    heavy = table.column("gross_weight") >= 10
    inside = (per_unit >= low * 0.99) & (per_unit <= high * 1.01)
    assert inside[honest & heavy].mean() > 0.999


def test_modes_and_containers_fit_the_goods(table: DeclarationTable) -> None:
    hs, mode = text(table, "hs_code"), text(table, "transport_mode")
    containers = table.column("containers")
    assert np.all(containers[mode != "sea"] == 0)
    assert (containers[mode == "sea"] > 0).mean() > 0.6
    assert not np.isin(mode[np.isin(hs, ["271019", "271012", "100199"])], ["air", "post"]).any()
    assert not np.isin(mode[np.char.startswith(hs.astype(str), "8703")], ["air", "post"]).any()
    assert (mode[hs == "150710"] == "sea").mean() > 0.8  # crude oil comes in tankers
    assert (mode == "sea").mean() > 0.5  # Santa Brava handles most declarations


def test_transhipment_matches_the_route(table: DeclarationTable) -> None:
    route = text(table, "route")
    stops = np.array([r.count(">") + 1 for r in route])
    assert np.array_equal(table.column("transhipment"), stops >= 3)
    assert all(r.endswith(">VD") for r in table.column("route").values)
    consignment = text(table, "consignment")
    assert all(c in r.split(">") for c, r in zip(consignment, route, strict=True))
    assert 0.2 < table.column("transhipment").mean() < 0.7


def test_outcome_columns_agree(table: DeclarationTable) -> None:
    offence, flag = text(table, "offence"), table.column("non_compliant")
    assert np.array_equal(flag, offence != "none")


def test_prevalence_and_every_offence_present(table: DeclarationTable) -> None:
    prevalence = table.column("non_compliant").mean()
    assert 0.04 <= prevalence <= 0.10
    offence = text(table, "offence")
    for key in OFFENCES:
        assert (offence == key).sum() > 0, key
    assert 3 <= (offence == "drugs").sum() <= 40  # a few containers


# -- the exercise works: indicators beat random checks ----------------------------------


def indicators(t: DeclarationTable) -> dict[str, np.ndarray]:
    hs, origin, route = text(t, "hs_code"), text(t, "origin"), text(t, "route")
    description = text(t, "description")
    per_unit = t.column("gross_weight") / t.column("quantity")
    return {
        "unit value below 60 % of reference":
            t.column("unit_value") < 0.6 * t.column("reference_price"),
        "importer score below 0.5": t.column("importer_compliance") < 0.5,
        "declarant score below 0.5": t.column("declarant_compliance") < 0.5,
        "Kestrian origin, route from elsewhere":
            (origin == "KT") & ~np.char.startswith(route.astype(str), "KT"),
        "machinery parts weighing over 12 kg a unit": (hs == "848790") & (per_unit > 12),
        "monitors weighing over 10 kg a unit": (hs == "852852") & (per_unit > 10),
        "unbranded or generic goods": np.array(
            [any(w in d.lower() for w in ("unbranded", "generic", "no brand"))
             for d in description]),
        "used cars consigned from the Emirates":
            np.char.startswith(hs.astype(str), "8703") & (text(t, "consignment") == "AE"),
    }


def test_good_indicators_beat_the_prevalence_but_none_is_perfect(
    table: DeclarationTable,
) -> None:
    prevalence = table.column("non_compliant").mean()
    found = indicators(table)
    assert hit_rate(table, found["unit value below 60 % of reference"]) > 4 * prevalence
    for name, mask in found.items():
        rate = hit_rate(table, mask)
        assert rate > 2.5 * prevalence, name
        assert rate < 1.0, name  # honest declarations match too
        recall = (mask & table.column("non_compliant")).sum() / table.column(
            "non_compliant").sum()
        assert recall < 0.6, name


def test_a_random_sample_finds_about_the_prevalence(table: DeclarationTable) -> None:
    prevalence = table.column("non_compliant").mean()
    rng = np.random.default_rng(11)
    rates = [hit_rate(table, rng.random(len(table)) < 0.1) for _ in range(5)]
    assert abs(np.mean(rates) - prevalence) < 0.01
    assert all(abs(r - prevalence) < 0.025 for r in rates)


def test_misclassified_items_betray_themselves(table: DeclarationTable) -> None:
    offence, hs = text(table, "offence"), text(table, "hs_code")
    description = text(table, "description")
    wrong = offence == "misclassification"
    assert set(hs[wrong]) == {"848790", "150710", "852852"}
    car_words = np.array(["car" in d.lower() for d in description])
    # parts for cars under the machinery-parts code are mostly misclassified
    assert hit_rate(table, (hs == "848790") & car_words) > 0.6
    # refined oil declared as crude is packed: heavier than its net weight
    crude = hs == "150710"
    packed = table.column("gross_weight") / table.column("quantity") > 1.065
    assert hit_rate(table, crude & packed) > 0.5


def test_origin_fraud_claims_kestria(table: DeclarationTable) -> None:
    offence, origin = text(table, "offence"), text(table, "origin")
    assert set(origin[offence == "origin_fraud"]) == {"KT"}


def test_drugs_ride_in_south_american_fruit_containers(table: DeclarationTable) -> None:
    drugs = text(table, "offence") == "drugs"
    assert set(text(table, "hs_code")[drugs]) <= {"080390", "080440", "200899"}
    assert set(text(table, "transport_mode")[drugs]) == {"sea"}
    assert table.column("containers")[drugs].min() >= 1
    assert table.column("transhipment")[drugs].mean() > 0.6
