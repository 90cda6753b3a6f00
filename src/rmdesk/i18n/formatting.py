"""Dates, numbers and percentages in the reader's language (babel), for UI and PDF alike."""

from __future__ import annotations

import datetime as dt

from rmdesk.i18n import current_language


def _locale(lang: str | None) -> str:
    return lang or current_language()


def format_date(value: dt.date, lang: str | None = None, fmt: str = "long") -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=fmt, locale=_locale(lang))


def format_number(value: float | int, lang: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(lang))


def format_percent(value: float, lang: str | None = None, digits: int = 0) -> str:
    from babel.numbers import format_percent as babel_format_percent

    pattern = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    return babel_format_percent(value, format=pattern, locale=_locale(lang))
