"""Dates, numbers and percentages in the reader's language (babel), for UI and PDF alike."""

from __future__ import annotations

import datetime as dt
import re

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


# -- dates and numbers as people type them ---------------------------------------------
# One numeric date format per language, shown and typed alike on every page, dialog and
# table: the language's short CLDR pattern with a four-digit year (5/15/2026 in en,
# 15/5/2026 in es, 15/05/2026 in fr and pt_BR), so no year is ever ambiguous.


def date_pattern(lang: str | None = None) -> str:
    """The short numeric date pattern (LDML, which Qt's display formats read the same way
    for d, M and yyyy)."""
    from babel import Locale

    pattern = Locale.parse(_locale(lang)).date_formats["short"].pattern
    return re.sub(r"y+", "yyyy", pattern)


def format_short_date(value: dt.date, lang: str | None = None) -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=date_pattern(lang), locale=_locale(lang))


def parse_typed_date(text: str, lang: str | None = None) -> dt.date | None:
    """A date typed in the language's order (5/15/26, 15.5.2026, 15-05-2026) or as ISO
    (2026-05-15); a two-digit year is in this century. None when it is not a real date."""
    parts = re.findall(r"\d+", text)
    if len(parts) != 3 or re.sub(r"[\d\s./\-]", "", text):
        return None
    if len(parts[0]) == 4:  # ISO order, whatever the language
        year, month, day = (int(p) for p in parts)
    else:
        order = [c for c in re.sub(r"'[^']*'", "", date_pattern(lang)) if c in "dMy"]
        fields = dict(zip(dict.fromkeys(order), parts, strict=False))
        if len(fields) != 3 or len(fields["y"]) not in (2, 4):
            return None
        year, month, day = int(fields["y"]), int(fields["M"]), int(fields["d"])
        if len(fields["y"]) == 2:
            year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def decimal_separator(lang: str | None = None) -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(_locale(lang))


def group_separator(lang: str | None = None) -> str:
    from babel.numbers import get_group_symbol

    return get_group_symbol(_locale(lang))


def parse_typed_number(text: str, lang: str | None = None) -> float | None:
    """A number typed as people write it in `lang`: 2,5 is two and a half in es, fr and
    pt_BR, 2.5 in en. The other mark groups thousands when three digits follow it (1.250
    in es, 1,250 in en), else it is a decimal mark typed from habit: 2.5 typed in fr is
    still two and a half, never 25. Spaces group digits; a trailing % is allowed.
    None when the text is not a number."""
    value = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    value = value.replace("\u2212", "-").removesuffix("%")
    match = re.fullmatch(r"([+-]?)([\d.,]+)", value)
    if match is None or not re.search(r"\d", value):
        return None
    sign, digits = match.groups()
    decimal = decimal_separator(lang)
    other = "," if decimal == "." else "."
    tail = ""
    if decimal in digits:
        digits, _mark, tail = digits.rpartition(decimal)
        if decimal in digits or other in tail:
            return None
    parts = digits.split(other)
    if len(parts) == 2 and not tail and len(parts[1]) != 3:
        digits, tail = parts  # 2.5 in fr: a decimal mark from habit
    elif len(parts) > 1:
        if not parts[0] or any(len(p) != 3 for p in parts[1:]):
            return None
        digits = "".join(parts)
    try:
        return float(f"{sign}{digits or 0}.{tail or 0}")
    except ValueError:
        return None


def format_decimal_for_typing(value: float, lang: str | None = None, decimals: int = 2) -> str:
    """A number as it is typed back: the language's decimal mark, no grouping, no trailing
    zeros (2,5 not 2,50)."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    return text.replace(".", decimal_separator(lang)) if text != "-0" else "0"


def percent_suffix(lang: str | None = None) -> str:
    """What follows a number to make it a percentage: "%" in en and pt_BR, " %" (a
    non-breaking space) in es and fr."""
    from babel import Locale

    pattern = Locale.parse(_locale(lang)).percent_formats[None].pattern.split(";")[0]
    return pattern[pattern.rfind("0") + 1:] or "%"
