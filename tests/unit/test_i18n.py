"""Language codes, catalogs and locale formatting of dates, numbers and percentages."""

from __future__ import annotations

import datetime as dt
import gettext
import re

import pytest
from babel.numbers import format_percent as babel_format_percent

from rmdesk import i18n
from rmdesk.i18n import (
    LANGUAGES,
    UnknownLanguage,
    current_language,
    gettext_for,
    normalize_language,
    set_language,
)
from rmdesk.i18n.formatting import format_date, format_number, format_percent

MARCH_9 = dt.date(2026, 3, 9)
GROUP_SEPARATORS = "\u202f\u00a0 "  # narrow no-break space, no-break space, space


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("pt-BR", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("pt_PT.UTF-8", "pt_BR"),
        ("es", "es"),
        ("es_MX", "es"),
        ("es-AR.UTF-8", "es"),
        ("fr_CA.UTF-8", "fr"),
        ("fr_BE@euro", "fr"),
        ("en_GB", "en"),
        ("de_DE", None),
        ("C", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_language_maps_system_codes_to_shipped_languages(
    code: str | None, expected: str | None
) -> None:
    assert normalize_language(code) == expected


def test_unknown_language_is_refused_and_the_current_one_kept() -> None:
    set_language("es")
    with pytest.raises(UnknownLanguage) as info:
        set_language("de")
    assert info.value.lang == "de"
    assert current_language() == "es"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_shipped_language_can_be_selected(lang: str) -> None:
    set_language(lang)
    assert current_language() == lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gettext_for_gives_a_translator_for_each_language(lang: str) -> None:
    translate = gettext_for(lang)
    assert callable(translate)
    assert isinstance(translate("Revenue"), str) and translate("Revenue")


def test_gettext_for_english_returns_the_source_text() -> None:
    assert gettext_for("en")("Revenue") == "Revenue"


def test_gettext_for_unknown_language_raises() -> None:
    with pytest.raises(UnknownLanguage):
        gettext_for("de")


class _Pseudo(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"[{message}]"


def test_underscore_translates_with_the_language_current_at_call_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(i18n._catalogs, "qps", _Pseudo())
    label = i18n.N_("Revenue")  # marked at import time, translated where shown
    set_language("qps")
    assert i18n._(label) == "[Revenue]"
    set_language("en")
    assert i18n._(label) == "Revenue"


@pytest.mark.parametrize(
    ("lang", "month"),
    [("en", "March"), ("es", "marzo"), ("fr", "mars"), ("pt_BR", "março")],
)
def test_dates_use_the_month_name_of_the_language(lang: str, month: str) -> None:
    text = format_date(MARCH_9, lang)
    assert month in text
    assert "9" in text and "2026" in text


def test_number_in_english() -> None:
    assert format_number(1234567.5, "en") == "1,234,567.5"


@pytest.mark.parametrize("lang", ["es", "pt_BR"])
def test_number_in_spanish_and_portuguese_groups_with_dots(lang: str) -> None:
    assert format_number(1234567.5, lang) == "1.234.567,5"


def test_number_in_french_groups_with_a_space_and_uses_a_decimal_comma() -> None:
    text = format_number(1234567.5, "fr")
    assert re.fullmatch(f"1[{GROUP_SEPARATORS}]234[{GROUP_SEPARATORS}]567,5", text), repr(text)


def test_formatting_follows_the_current_language_when_none_is_given() -> None:
    set_language("pt_BR")
    assert format_number(1234567.5) == "1.234.567,5"
    assert "março" in format_date(MARCH_9)


@pytest.mark.parametrize(
    ("value", "lang", "digits", "number"),
    [
        (0.25, "en", 0, "25"),
        (2 / 3, "en", 0, "67"),
        (2 / 3, "en", 1, "66.7"),
        (2 / 3, "es", 1, "66,7"),
        (2 / 3, "fr", 1, "66,7"),
        (2 / 3, "pt_BR", 2, "66,67"),
    ],
)
def test_percent_digits_and_decimal_mark(value: float, lang: str, digits: int,
                                         number: str) -> None:
    text = format_percent(value, lang, digits)
    assert text.startswith(number)
    assert text.endswith("%")
    assert text.rstrip("%").rstrip(GROUP_SEPARATORS) == number


def test_percent_in_english() -> None:
    assert format_percent(0.6, "en") == "60%"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_percent_follows_the_language_convention_for_the_percent_sign(lang: str) -> None:
    # French and Spanish put a no-break space before '%' ("60 %"); English and Portuguese
    # do not (CLDR percent patterns, as babel formats them by default).
    expected = babel_format_percent(0.6, locale=lang)
    assert format_percent(0.6, lang) == expected
