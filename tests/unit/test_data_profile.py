"""A data set's profile: every item counted once per field (values, the rest, empty),
rates that are the non-compliant share of the items they describe, quantiles as numpy
computes them, and texts in each language."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.domain.data_profile import (
    profile_field,
    profile_fields,
    profile_table,
    summary_lines,
    value_rows,
)
from rmdesk.domain.declaration_gen import builtin_dataset
from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.i18n import LANGUAGES, gettext_for


def small_table(outcome: bool = True) -> DeclarationTable:
    columns = {
        "declaration_no": CategoryColumn.from_strings(["A", "A", "B", "C", "D", "E"]),
        "origin": CategoryColumn.from_strings(["CN", "CN", "CN", "JP", "", "FR"]),
        "declared_value": np.array([10.0, 20.0, 30.0, 40.0, np.nan, 50.0]),
        "date": np.array(["2025-01-05", "2025-01-20", "2025-03-01", "NaT", "2025-03-31",
                          "2025-03-02"], dtype="datetime64[D]"),
        "transhipment": np.array([True, False, False, False, True, False]),
        "transport_mode": CategoryColumn.from_strings(["sea", "sea", "air", "air", "air",
                                                      "road"]),
    }
    if outcome:
        columns["non_compliant"] = np.array([True, False, True, False, False, True])
    return DeclarationTable(columns)


def test_a_small_table_gives_the_counts_and_rates_one_can_work_out_by_hand() -> None:
    profile = profile_table(small_table())
    assert (profile.items, profile.non_compliant) == (6, 3)
    assert "declaration_no" not in [f.field for f in profile.fields]  # all distinct
    origin = profile.field("origin")
    assert [(v.value, v.items, v.non_compliant) for v in origin.values] == [
        ("CN", 3, 2), ("FR", 1, 1), ("JP", 1, 0)]
    assert (origin.missing, origin.distinct, origin.others) == (1, 3, None)
    assert origin.values[0].rate == pytest.approx(2 / 3)
    value = profile.field("declared_value")
    assert value.missing == 1 and value.mean == pytest.approx(30.0)
    assert [q for q, _ in value.quantiles][0::3] == [0.0, 0.5, 1.0]
    assert dict(value.quantiles)[0.5] == 30.0
    assert [(v.value, v.items) for v in value.values] == [
        ((10.0, 20.0, False), 1), ((20.0, 30.0, False), 1), ((30.0, 40.0, False), 1),
        ((40.0, 50.0, True), 2)]
    dates = profile.field("date")
    assert (dates.first, dates.last, dates.missing) == (dt.date(2025, 1, 5),
                                                      dt.date(2025, 3, 31), 1)
    assert [(v.value, v.items, v.non_compliant) for v in dates.values] == [
        (dt.date(2025, 1, 1), 2, 1), (dt.date(2025, 3, 1), 3, 2)]  # no empty February
    flags = profile.field("transhipment")
    assert [(v.value, v.items, v.non_compliant) for v in flags.values] == [
        (True, 2, 1), (False, 4, 2)]


def test_without_an_outcome_there_are_no_rates() -> None:
    profile = profile_table(small_table(outcome=False))
    assert profile.non_compliant is None and profile.rate is None
    rows = value_rows(profile.field("origin"), lambda s: s, "en")
    assert rows[0] == ("CN", "3", "50.0%", "–")
    assert summary_lines(profile.field("origin"), False, lambda s: s, "en")[-1] == \
        "This data set has no outcome column: no non-compliance rates."


@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_follow_the_language(lang: str) -> None:
    profile = profile_table(small_table())
    translate = gettext_for(lang)
    mode = value_rows(profile.field("transport_mode"), translate, lang)
    assert mode[0][0] == translate("Air") and mode[0][1] == "3"
    value = value_rows(profile.field("declared_value"), translate, lang)
    assert value[0][0] == translate("{low} to under {high}").format(low="10", high="20")
    assert value[-1][0] == translate("{low} to {high}").format(low="40", high="50")
    months = value_rows(profile.field("date"), translate, lang)
    assert months[0][0] != months[1][0] and "2025" in months[0][0]
    lines = summary_lines(profile.field("declared_value"), True, translate, lang)
    assert translate("Median") in lines[1]
    decimal = "." if lang == "en" else ","
    assert f"66{decimal}7" in value_rows(profile.field("origin"), translate, lang)[0][3]


def counted(table: DeclarationTable) -> None:
    """Each field's rows add up to the items, and their non-compliant ones to the
    non-compliant items of the rows that have a value."""
    profile = profile_table(table, top=5)
    outcome = table.column("non_compliant") if table.has_outcome() else None
    for field in profile.fields:
        rows = [*field.values, *([field.others] if field.others else [])]
        assert sum(r.items for r in rows) + field.missing == field.items == len(table)
        if outcome is not None:
            assert all(0 <= r.non_compliant <= r.items for r in rows)
            assert sum(r.non_compliant for r in rows) <= int(outcome.sum())
        if field.kind == "category":
            counts = [r.items for r in field.values]
            assert counts == sorted(counts, reverse=True) and len(counts) <= 5
        if field.quantiles:
            column = np.asarray(table.column(field.field), dtype=float)
            present = column[~np.isnan(column) & (column >= 0 if field.kind == "integer"
                                                  else True)]
            assert [v for _, v in field.quantiles] == pytest.approx(
                np.quantile(present, [q for q, _ in field.quantiles],
                            method="inverted_cdf").tolist())


def test_every_field_of_the_practice_data_adds_up() -> None:
    table = builtin_dataset()
    assert set(profile_fields(table)) >= {"origin", "hs_code", "declared_value", "date",
                                          "transhipment", "containers"}
    counted(table)
    for name in profile_fields(table):  # one field alone gives the same as all
        assert profile_field(table, name) == profile_table(table).field(name)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "CN", "JP", "FR", "BR", "IN", "US", "DE"]),
                          st.one_of(st.none(), st.floats(0, 1e6)),
                          st.booleans(), st.one_of(st.none(), st.integers(0, 800))),
                min_size=1, max_size=60))
def test_any_table_adds_up(rows: list[tuple[str, float | None, bool, int | None]]) -> None:
    start = np.datetime64("2024-01-01")
    table = DeclarationTable({
        "origin": CategoryColumn.from_strings([r[0] for r in rows]),
        "declared_value": np.array([np.nan if r[1] is None else r[1] for r in rows]),
        "non_compliant": np.array([r[2] for r in rows]),
        "date": np.array([np.datetime64("NaT") if r[3] is None else start + r[3]
                          for r in rows], dtype="datetime64[D]"),
    })
    counted(table)
