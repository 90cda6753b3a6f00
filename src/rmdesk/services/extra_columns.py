"""A data set's own columns at import: which columns of the file to keep beyond the
built-in fields, under which names and of which kind.

The import dialog and `rmdesk data import --keep-other-columns` offer every column that
maps to no built-in field; `guess_kind` proposes a kind from the values seen, which the
user may change; `plan_extra_columns` checks the choice and names the fields (an "x:"
slug of the header, never the header's raw text). The values themselves are read by
declaration_import with the same parsers as the built-in fields. No Qt.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rmdesk.domain.declaration_fields import (
    EXTRA_KINDS,
    MAX_EXTRA_FIELDS,
    FieldSpec,
    clean_extra_label,
    extra_field,
    extra_name_for,
)
from rmdesk.i18n import N_
from rmdesk.services.declaration_import import (
    DeclarationImportError,
    parse_date,
    parse_flag,
    parse_number,
)

# The kinds as the dialog and the command line name them.
KIND_LABELS: dict[str, str] = {
    "category": N_("text or category"),
    "number": N_("number"),
    "date": N_("date"),
    "flag": N_("yes/no flag"),
}
assert tuple(KIND_LABELS) == EXTRA_KINDS
KIND_WORDS: dict[str, str] = {"text": "category", "category": "category",
                              "number": "number", "date": "date", "flag": "flag"}
SAMPLE_ROWS = 1000  # rows read to guess a kind: enough to see a few odd values
_LEADING_ZERO = re.compile(r"[+-]?0\d")  # "0042": an office or tariff code, not 42


@dataclass(frozen=True)
class ExtraColumn:
    """A column kept as a field of the data set's own."""

    header: str  # as in the file
    spec: FieldSpec  # name ("x:..."), kind, label (the header made safe to show)


def other_columns(headers: Sequence[str], mapping: Mapping[str, str | None]) -> list[str]:
    """The file's named columns that no built-in field is mapped to, in file order."""
    used = {header for header in mapping.values() if header}
    return [h for h in headers if h and h not in used and clean_extra_label(h)]


def guess_kind(values: Iterable[str], decimal_comma: bool = False) -> str:
    """The kind that reads every non-empty value: a flag when they are yes/no words, a
    number, a date, else text. Codes with leading zeros stay text."""
    texts = [v.strip() for v in values if v and v.strip()]
    if not texts:
        return "category"

    def all_parse(parse: object) -> bool:
        try:
            for text in texts:
                parse(text)  # type: ignore[operator]
        except ValueError:
            return False
        return True

    numeric = all_parse(lambda t: parse_number(t, decimal_comma))
    if numeric and not any(_LEADING_ZERO.match(t) for t in texts):
        return "number"
    if not numeric and all_parse(parse_flag):
        return "flag"
    if all_parse(parse_date):
        return "date"
    return "category"


def guess_kinds(headers: Sequence[str], rows: Iterable[Sequence[str]], columns: Iterable[str],
                decimal_comma: bool = False) -> dict[str, str]:
    """header -> guessed kind for `columns`, from the sample `rows` (the preview)."""
    rows = list(rows)
    guesses = {}
    for header in columns:
        index = headers.index(header)
        guesses[header] = guess_kind((r[index] for r in rows if index < len(r)),
                                     decimal_comma)
    return guesses


def sample_rows(path: Path | str, sheet: str | None = None, limit: int = SAMPLE_ROWS
                ) -> tuple[list[list[str]], bool]:
    """The first `limit` non-blank data rows of the file as text, for guessing kinds, and
    whether its numbers are written with a decimal comma (as the import reads them). A
    file the csv module stops on gives the rows before that: the import reports it."""
    from rmdesk.services.declaration_import import _open
    from rmdesk.services.spreadsheets import cell_text

    path = Path(path)
    opened = _open(path, sheet)
    rows: list[list[str]] = []
    if opened.rows is not None:  # a sheet: its cells, typed or text
        try:
            for _number, record in opened.rows:
                texts = [c if isinstance(c, str) else cell_text(c) for c in record]
                if "".join(texts).strip():
                    rows.append(texts)
                if len(rows) > limit:
                    break
        finally:
            close = getattr(opened.rows, "close", None)
            if close is not None:
                close()
    else:
        with path.open(encoding=opened.encoding, newline="", errors="replace") as fh:
            try:
                for record in csv.reader(fh, delimiter=opened.delimiter):
                    if "".join(record).strip():
                        rows.append(record)
                    if len(rows) > limit:
                        break
            except csv.Error:
                pass
    return rows[1:], opened.delimiter == ";"  # the first non-blank record: the header


def plan_extra_columns(chosen: Mapping[str, str], headers: Sequence[str],
                       mapping: Mapping[str, str | None]) -> list[ExtraColumn]:
    """The columns to keep (header -> kind) as checked extra fields, in file order.

    Refuses (DeclarationImportError) a header the file lacks or a built-in field already
    reads, an unknown kind, and more than MAX_EXTRA_FIELDS columns.
    """
    used = {header for header in mapping.values() if header}
    if len(chosen) > MAX_EXTRA_FIELDS:
        raise DeclarationImportError("too_many_extra_columns", count=len(chosen),
                                     limit=MAX_EXTRA_FIELDS)
    for header, kind in chosen.items():
        if header not in headers:
            raise DeclarationImportError("unknown_extra_column", header=header[:80])
        if header in used:
            raise DeclarationImportError("extra_column_mapped", header=header[:80])
        if kind not in EXTRA_KINDS:
            raise DeclarationImportError("unknown_extra_kind", header=header[:80],
                                         kind=str(kind)[:40],
                                         kinds=", ".join(_kind_words()))
        if not clean_extra_label(header):
            raise DeclarationImportError("extra_column_unnamed")
    planned: list[ExtraColumn] = []
    taken: list[str] = []
    for header in headers:  # file order
        if header not in chosen:
            continue
        name = extra_name_for(header, taken)
        taken.append(name)
        planned.append(ExtraColumn(header, extra_field(name, chosen[header],
                                                       clean_extra_label(header))))
    return planned


def _kind_words() -> list[str]:
    return ["text", "number", "date", "flag"]


def parse_kind_word(word: str) -> str | None:
    """'text', 'number', 'date' or 'flag' (as typed on the command line) -> a kind."""
    return KIND_WORDS.get(word.strip().lower())
