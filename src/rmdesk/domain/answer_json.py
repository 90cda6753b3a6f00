"""Tolerant readers for exercise answers stored as JSON (E1, E4, E5).

An answer written by an older or newer version, or edited by hand, must still load: a
missing key gives the default, a value of the wrong type is dropped, never an exception.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

MAX_ANSWER_TEXT = 2000  # one field, as in the register
MAX_LIST_ITEMS = 200  # far beyond any real grid cell or table


def text_of(value: Any, limit: int = MAX_ANSWER_TEXT) -> str:
    if isinstance(value, str):
        return value[:limit]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)[:limit]
    return ""


def texts_of(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text_of(item) for item in value[:MAX_LIST_ITEMS] if isinstance(item, str)]


def dict_of(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def rating_of(value: Any) -> int | None:
    """A 1-5 rating, or None for anything else (including a stored 0 or '3')."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= 5 else None


def iso_date(value: Any) -> dt.date | None:
    """A YYYY-MM-DD date, or None when empty or not a real date."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def fold(text: str) -> str:
    """Lower case without accents, whitespace collapsed: for comparing typed texts."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("œ", "oe").replace("æ", "ae").split())


def normalised(text: str) -> str:
    """Folded, without punctuation: “Weak IT systems.” and “weak it-systems” are the same."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())
