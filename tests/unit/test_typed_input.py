"""Numbers and dates as people type them, in every language (issue 11 item 4)."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from rmdesk.domain.profile_logic import (
    ConditionRow,
    ProfileLogic,
    logic_to_ruleset,
    ruleset_to_logic,
)
from rmdesk.i18n import LANGUAGES
from rmdesk.i18n.formatting import (
    date_pattern,
    decimal_separator,
    format_decimal_for_typing,
    format_short_date,
    parse_typed_date,
    parse_typed_number,
)

languages = st.sampled_from(LANGUAGES)
dates = st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31))


@given(day=dates, lang=languages)
def test_a_date_reads_back_as_it_is_shown(day: dt.date, lang: str) -> None:
    shown = format_short_date(day, lang)
    assert re.search(r"\b\d{4}\b", shown), "four-digit year"
    assert parse_typed_date(shown, lang) == day
    assert parse_typed_date(day.isoformat(), lang) == day  # ISO is understood everywhere


@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), lang=languages)
def test_a_two_digit_year_is_this_century(day: dt.date, lang: str) -> None:
    shown = format_short_date(day, lang)
    assert parse_typed_date(shown[:-4] + shown[-2:], lang) == day


def test_the_date_order_is_the_language_s() -> None:
    assert parse_typed_date("5/15/26", "en") == dt.date(2026, 5, 15)
    for lang in ("es", "fr", "pt_BR"):
        assert parse_typed_date("15/5/26", lang) == dt.date(2026, 5, 15)
        assert parse_typed_date("5/15/26", lang) is None  # no 15th month
    assert {date_pattern(lang) for lang in LANGUAGES} == {"M/d/yyyy", "d/M/yyyy",
                                                           "dd/MM/yyyy"}


@given(text=st.text(max_size=12), lang=languages)
def test_anything_typed_is_a_date_or_none(text: str, lang: str) -> None:
    day = parse_typed_date(text, lang)
    assert day is None or isinstance(day, dt.date)


@given(value=st.decimals(min_value=-10**6, max_value=10**6, places=2,
                         allow_nan=False, allow_infinity=False), lang=languages)
def test_a_number_reads_back_as_typed_in_the_language(value, lang: str) -> None:
    text = format_decimal_for_typing(float(value), lang)
    assert parse_typed_number(text, lang) == float(value)


@given(whole=st.integers(0, 999), tenth=st.integers(1, 9), lang=languages)
def test_either_mark_before_one_or_two_digits_is_a_decimal_mark(whole: int, tenth: int,
                                                                lang: str) -> None:
    for mark in (",", "."):
        assert parse_typed_number(f"{whole}{mark}{tenth}", lang) == whole + tenth / 10


def test_two_and_a_half_is_never_twenty_five() -> None:
    for lang in ("es", "fr", "pt_BR"):
        assert decimal_separator(lang) == ","
        assert parse_typed_number("2,5", lang) == 2.5
        assert parse_typed_number("1.250,5", lang) == 1250.5
    assert parse_typed_number("1,250.5", "en") == 1250.5
    assert parse_typed_number("60 %", "fr") == parse_typed_number("60%", "en") == 60
    assert parse_typed_number("2,5,5", "fr") is None
    assert parse_typed_number("abc", "en") is None


@given(value=st.floats(0.1, 999.9).map(lambda v: round(v, 1)), lang=languages)
def test_profile_thresholds_are_read_and_shown_in_the_language(value: float,
                                                               lang: str) -> None:
    typed = format_decimal_for_typing(value, lang)
    logic = ProfileLogic("and", [ConditionRow(field="unit_value", op="lt", value=typed)], {})
    ruleset = logic_to_ruleset(logic, "P", "red", lang=lang)
    assert ruleset.criteria[0].condition.items[0].value == value
    back = ruleset_to_logic(ruleset, lang)
    assert back is not None and back.rows[0].value == typed
