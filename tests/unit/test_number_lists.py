"""Lists of numbers in E7's value cells, in every language: what is written back reads
back as the same numbers; a list that could be read two ways is reported, in the
reader's language, and never guessed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmdesk.domain.criteria import check_ruleset, render_issue
from rmdesk.domain.profile_logic import (
    ConditionRow,
    ProfileLogic,
    format_value_list,
    logic_to_ruleset,
    row_condition,
    ruleset_to_logic,
    split_number_list,
)
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import decimal_separator, parse_typed_number

# Numbers with up to six decimals (what the editor writes back), small enough that six
# decimals hold them exactly.
decimals = st.builds(lambda n, k: n / 10 ** k, st.integers(-10 ** 9, 10 ** 9),
                     st.integers(0, 6))
languages = st.sampled_from(LANGUAGES)


@given(st.lists(decimals, min_size=1, max_size=8), languages)
def test_a_number_list_written_in_a_language_reads_back_the_same(values: list[float],
                                                                 lang: str) -> None:
    text = format_value_list(values, lang)
    items = split_number_list(text, "number", lang)
    assert items is not None, text
    assert [parse_typed_number(i, lang) for i in items] == values


@given(st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=8), languages)
def test_a_whole_number_list_round_trips_through_the_editor_row(values: list[int],
                                                                lang: str) -> None:
    row = ConditionRow(field="containers", op="in", value=format_value_list(values, lang))
    condition = row_condition(row, lang)
    assert condition.value == values
    ruleset = logic_to_ruleset(ProfileLogic("and", [row]), "p", "red", lang=lang)
    assert not check_ruleset(ruleset)
    back = ruleset_to_logic(ruleset, lang)
    assert back is not None and back.rows[0].value == row.value


@given(st.lists(st.integers(0, 999), min_size=2, max_size=6))
def test_commas_separate_whole_numbers_where_they_are_no_decimal_mark(values: list[int]
                                                                      ) -> None:
    row = ConditionRow(field="containers", op="in", value=", ".join(map(str, values)))
    assert row_condition(row, "en").value == values


AMBIGUOUS = {
    # language: (field kind, typed text) pairs that could be read two ways
    "en": [("integer", "1,500"), ("number", "12,345,678"), ("integer", "2,000.5")],
    "es": [("number", "1,5,2,5"), ("integer", "3,4"), ("number", "1,5, 2,5")],
    "pt_BR": [("number", "1,5,2,5"), ("integer", "10,20,30"), ("integer", "1,0")],
    "fr": [("number", "1,5,2,5"), ("integer", "3,4"), ("number", "0,5 , 7")],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_list_read_two_ways_is_named_in_the_readers_language(lang: str) -> None:
    _ = gettext_for(lang)
    for kind, text in AMBIGUOUS[lang]:
        assert split_number_list(text, kind, lang) is None, (kind, text)
    row = ConditionRow(field="containers", op="not_in",
                       value=next(t for k, t in AMBIGUOUS[lang] if k == "integer"))
    ruleset = logic_to_ruleset(ProfileLogic("and", [row]), "p", "red", lang=lang)
    issues = check_ruleset(ruleset)
    assert [i.code for i in issues] == ["number_list_ambiguous"]
    message = render_issue(issues[0], _)
    assert row.value in message and _("Containers") in message
    assert message.startswith(_("Containers"))
    if lang != "en":
        assert "semicolon" not in message  # translated, not the English text
    # the row keeps what was typed, to correct it
    back = ruleset_to_logic(ruleset, lang)
    assert back is not None and back.rows[0].value == row.value


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_number_with_a_decimal_mark_is_one_number(lang: str) -> None:
    mark = decimal_separator(lang)
    assert split_number_list(f"1{mark}5", "number", lang) == [f"1{mark}5"]
    assert split_number_list(f"1{mark}5; 2{mark}5", "number", lang) == [
        f"1{mark}5", f"2{mark}5"]
    # text lists (HS codes, countries) still take commas in every language
    row = ConditionRow(field="hs_code", op="starts_with_any", value="8703, 6404,85")
    assert row_condition(row, lang).value == ["8703", "6404", "85"]
