"""Dates, numbers and percentages in the reader's language (babel), for UI and PDF alike."""

from __future__ import annotations

import datetime as dt

from rmdesk.i18n import LANGUAGES, SOURCE_LANGUAGE, current_language


def _locale(lang: str | None) -> str:
    lang = lang or current_language()
    return lang if lang in LANGUAGES else SOURCE_LANGUAGE  # e.g. the tests' pseudo-locale


def format_date(value: dt.date, lang: str | None = None, fmt: str = "long") -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=fmt, locale=_locale(lang))


def format_number(value: float | int, lang: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(lang))


def format_percent(value: float, lang: str | None = None, digits: int = 0) -> str:
    from babel import Locale
    from babel.numbers import format_percent as babel_format_percent

    locale = _locale(lang)
    # Start from the language's own pattern: French and Spanish write "60 %", English "60%".
    pattern = Locale.parse(locale).percent_formats[None].pattern
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return babel_format_percent(value, format=pattern, locale=locale)
