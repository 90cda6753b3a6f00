"""Import a facilitator's own (anonymised) declarations from CSV for the targeting exercises.

Two steps, as the import dialog runs them: `read_csv_header` reads the header and the
first rows so the user can map columns to fields (`suggest_mapping` proposes a mapping
from header names in English, Spanish, Portuguese and French), then `import_csv` checks
every row and builds a DeclarationTable. Nothing is imported while a row is bad, unless
the caller asks to skip bad rows; every problem names the physical line of the file (a
quoted field may span lines), the column and the reason.

Files come from many systems, so the reader is lenient about form (delimiter , ; or
tab, UTF-8 with or without BOM, else Windows-1252, decimal commas, several date forms)
and strict about content. It is also wary: files are size-, row- and field-limited, and
binary or malformed files are refused with a clear error instead of being half-read.

Errors and problems carry a code and parameters; MESSAGES holds their N_-marked English
templates and `render_problem` / `DeclarationImportError.render` make the sentences in the
caller's language. Stdlib csv and numpy; no Qt.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import numpy as np

from rmdesk.domain.declarations import (
    FIELD_BY_NAME,
    FIELDS,
    TRANSPORT_MODES,
    CategoryColumn,
    DeclarationTable,
    FieldSpec,
    Kind,
)
from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_
from rmdesk.i18n.formatting import format_number
from rmdesk.services.mapping_suggestions import (  # noqa: F401 - part of this API
    SYNONYMS,
    normalise_header,
    suggest_mapping,
)

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000
MAX_FIELD_CHARS = 10_000
MAX_COLUMNS = 500
MAX_LISTED_PROBLEMS = 10_000  # further bad rows are counted, not listed
PREVIEW_ROWS = 20
SNIFF_CHARS = 64 * 1024
CHECK_EVERY = 2_000  # rows between progress reports and cancellation checks
CACHE_SIZE = 50_000  # distinct texts remembered per column
MAX_INTEGER = 2**53  # whole numbers beyond this are not exact as floats nor fit int64
_MISSING = object()
_EPOCH = date(1970, 1, 1)
# parse_date's years, 1900 to 2100, as days since 1970
_FIRST_DAY = (date(1900, 1, 1) - _EPOCH).days
_LAST_DAY = (date(2100, 12, 31) - _EPOCH).days

REQUIRED_FIELDS: tuple[str, ...] = ("declaration_no", "hs_code")
# Amounts that cannot be negative (a negative weight is a typo or an export's sign).
NON_NEGATIVE: frozenset[str] = frozenset({
    "gross_weight", "quantity", "declared_value", "unit_value", "reference_price", "freight",
    "item_no", "containers",
})
SCORES: frozenset[str] = frozenset({"importer_compliance", "declarant_compliance"})

MESSAGES: dict[str, str] = {
    # the file as a whole
    "file_unreadable": N_("The file {path} cannot be read: {reason}"),
    "file_too_large": N_(
        "The file {path} is {size_mb} MB; files of up to {limit_mb} MB can be imported."
    ),
    "too_many_rows": N_(
        "The file has more than {limit} rows. Import a sample or split the file."
    ),
    "too_many_columns": N_("The file has {count} columns; at most {limit} can be read."),
    "not_text": N_(
        "The file {path} is not a CSV text file: it looks binary, or its text is neither "
        "UTF-8 nor Windows-1252."
    ),
    "empty_file": N_("The file {path} is empty."),
    "no_data_rows": N_("The file has a header line but no data rows."),
    "duplicate_header": N_(
        "Two columns are headed “{header}”. Give each column its own name and try again."
    ),
    "field_too_long": N_(
        "Line {line}: a field is longer than {limit} characters. This does not look like "
        "a file of declarations (is a quotation mark missing?)."
    ),
    "malformed_csv": N_("Line {line}: the file cannot be read as CSV ({reason})."),
    # spreadsheets (XLSX, ODS)
    "spreadsheet_reader_missing": N_(
        "Reading XLSX and ODS spreadsheets needs the optional package python-calamine, "
        "which is not installed. Install it with {command}, or save the sheet as CSV "
        "(UTF-8) in the spreadsheet program and import that file."
    ),
    "spreadsheet_unreadable": N_("The spreadsheet {path} cannot be read: {reason}"),
    "spreadsheet_bomb": N_(
        "The spreadsheet {path} would take far more room once unpacked than a sheet of "
        "declarations needs, so it was not opened. Save the sheet again as XLSX, ODS or "
        "CSV and import that file."
    ),
    "too_many_cells": N_(
        "The spreadsheet {path} has more than {limit} cells. Import a sample or split it."
    ),
    "unknown_sheet": N_("The file has no sheet “{sheet}”. Its sheets: {sheets}."),
    "no_sheets": N_("The spreadsheet {path} has no sheet of data."),
    # the column mapping
    "unknown_field": N_("“{name}” is not a field of the declarations table."),
    "unknown_header": N_(
        "{field} is mapped to the column “{header}”, which the file does not have."
    ),
    "required_field_unmapped": N_("Choose the column that holds {field}."),
    # columns kept as the data set's own fields (services/extra_columns.py)
    "too_many_extra_columns": N_(
        "{count} other columns were chosen to keep; a data set keeps at most {limit}. "
        "Keep only the columns the profiles need."
    ),
    "unknown_extra_column": N_("The file has no column “{header}” to keep."),
    "extra_column_mapped": N_(
        "The column “{header}” is already read as a built-in field, so it cannot also be "
        "kept as a column of its own."
    ),
    "unknown_extra_kind": N_(
        "The column “{header}” cannot be kept as “{kind}”. Choose one of: {kinds}."
    ),
    "extra_column_unnamed": N_("A column without a header cannot be kept: give it a name."),
    # one row
    "wrong_field_count": N_("Line {line}: expected {expected} fields, found {found}."),
    "required_missing": N_("Line {line}, column “{column}”: a value is required."),
    "not_a_number": N_("Line {line}, column “{column}”: “{value}” is not a number."),
    "negative_value": N_("Line {line}, column “{column}”: “{value}” cannot be negative."),
    "not_an_integer": N_("Line {line}, column “{column}”: “{value}” is not a whole number."),
    "integer_too_large": N_("Line {line}, column “{column}”: “{value}” is too large."),
    "not_a_date": N_(
        "Line {line}, column “{column}”: “{value}” is not a date (write 2025-03-14, "
        "14/03/2025 or 14.03.2025)."
    ),
    "not_a_flag": N_("Line {line}, column “{column}”: “{value}” is neither yes nor no."),
    "bad_hs_code": N_(
        "Line {line}, column “{column}”: “{value}” is not an HS code of at least 6 digits."
    ),
    "score_out_of_range": N_(
        "Line {line}, column “{column}”: “{value}” is not a score from 0 to 1 (or 0 to 100)."
    ),
    # notes: the import went ahead, but the user should know
    "encoding_fallback": N_(
        "The file is not in UTF-8, so it was read as Windows-1252 (Western European). "
        "Check that accented letters look right."
    ),
    "scores_rescaled": N_(
        "The scores in column “{column}” go up to 100, so they were divided by 100."
    ),
    "items_numbered": N_(
        "No column holds the item number: items were numbered within each declaration in "
        "the order of the file."
    ),
    "unit_value_derived": N_("Unit values were calculated as declared value / quantity."),
    "outcome_derived": N_(
        "Non-compliance was taken from the column “{column}”: any offence other than "
        "none counts."
    ),
    "problems_truncated": N_(
        "Only the first {listed} problems are listed; rows with further problems: {more}."
    ),
    "no_valid_rows": N_("No row of the file could be imported."),
}


class DeclarationImportError(RmdeskError):
    """The file (or the mapping) cannot be imported at all."""

    def render(self, translate: Callable[[str], str]) -> str:
        template = MESSAGES.get(self.code)
        if template is None:
            return super().render(translate)
        return _format(translate(template), self.params, translate)


@dataclass(frozen=True)
class RowProblem:
    """One bad cell or row: `line` is the 1-based physical line where the row starts,
    counting the header; `column` is the file's header ("" for the whole row)."""

    line: int
    column: str
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportNote:
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CsvPreview:
    path: Path
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first PREVIEW_ROWS data rows, as read
    delimiter: str  # "" for a spreadsheet
    encoding: str  # "utf-8", "utf-8-sig", "utf-16" or "cp1252"; "" for a spreadsheet
    notes: tuple[ImportNote, ...] = ()
    sheet: str = ""  # the sheet read, for XLSX and ODS
    sheets: tuple[str, ...] = ()  # every visible sheet of the file


@dataclass
class ImportResult:
    table: DeclarationTable | None  # None: nothing was imported
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0  # data rows in the file (blank lines aside)
    rows_imported: int = 0
    rows_skipped: int = 0  # bad rows left out because skip_bad_rows was set
    bad_rows: int = 0  # rows with a problem, listed or not
    cancelled: bool = False
    notes: list[ImportNote] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""


def render_problem(problem: RowProblem, translate: Callable[[str], str]) -> str:
    template = MESSAGES.get(problem.code, "{line} {column}: " + problem.code)
    params = {"line": problem.line, "column": problem.column, **problem.params}
    return _format(translate(template), params, translate)


def render_note(note: ImportNote, translate: Callable[[str], str]) -> str:
    return _format(translate(MESSAGES.get(note.code, note.code)), note.params, translate)


def _format(template: str, params: Mapping[str, object],
            translate: Callable[[str], str]) -> str:
    values = dict(params)
    if "field" in values:  # a field key: show its label in the user's language
        spec = FIELD_BY_NAME.get(str(values["field"]))
        values["field"] = translate(spec.label) if spec else values["field"]
    for key, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool) and key != "line":
            values[key] = format_number(value)
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a broken translation must not crash
        return f"{template} {values}"


# -- reading the file ------------------------------------------------------------------


def _file_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DeclarationImportError("file_unreadable", path=str(path),
                                     reason=exc.strerror or str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise DeclarationImportError(
            "file_too_large", path=str(path), size_mb=math.ceil(size / 2**20),
            limit_mb=MAX_FILE_BYTES // 2**20)
    return size


def _detect_encoding(path: Path) -> tuple[str, list[ImportNote]]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; binary refused.
    The whole file is checked in chunks, so a bad byte deep inside is not missed."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
            if not head:
                raise DeclarationImportError("empty_file", path=str(path))
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16", []
            fh.seek(0)
            utf8 = codecs.getincrementaldecoder("utf-8")()
            cp1252 = codecs.getincrementaldecoder("cp1252")()
            utf8_ok = cp1252_ok = True
            first = True
            while chunk := fh.read(1 << 20):
                if b"\x00" in chunk or (first and _looks_binary(chunk)):
                    raise DeclarationImportError("not_text", path=str(path))
                first = False
                if chunk.isascii() and not utf8.getstate()[0]:
                    continue  # text in both encodings, and no character cut in two
                try:
                    if utf8_ok:
                        utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
                try:
                    if cp1252_ok:
                        cp1252.decode(chunk)
                except UnicodeDecodeError:
                    cp1252_ok = False
                if not (utf8_ok or cp1252_ok):
                    break
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
    except OSError as exc:
        raise DeclarationImportError("file_unreadable", path=str(path),
                                     reason=exc.strerror or str(exc)) from exc
    if utf8_ok:
        return ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"), []
    if cp1252_ok:
        return "cp1252", [ImportNote("encoding_fallback")]
    raise DeclarationImportError("not_text", path=str(path))


def _looks_binary(chunk: bytes) -> bool:
    """Control characters other than tab and line ends are rare in text, common in
    binary files (which often have no NUL in the first bytes)."""
    sample = chunk[:SNIFF_CHARS]
    controls = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13))
    return controls > max(len(sample) // 100, 0)


def _sniff_delimiter(sample: str) -> str:
    """The delimiter among , ; tab that splits the first lines into the most columns,
    consistently."""
    lines = sample.splitlines(keepends=True)
    if len(sample) >= SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    text = "".join(lines[:50])
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in (",", ";", "\t"):
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        steady = sum(len(r) == width for r in rows) / len(rows)
        score = (width > 1, steady, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass
class _Opened:
    size: int  # for progress: bytes of a CSV file, rows of a sheet
    encoding: str
    delimiter: str
    notes: list[ImportNote]
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    rows: Iterator[tuple[int, list[object]]] | None = None  # a sheet's typed cells


def _open(path: Path, sheet: str | None = None, for_preview: bool = False) -> _Opened:
    size = _file_size(path)
    from rmdesk.services import spreadsheets

    if spreadsheets.is_spreadsheet(path):
        name, sheets, height, rows = spreadsheets.open_sheet(path, sheet,
                                                             for_preview=for_preview)
        return _Opened(max(height, 1), "", "", [], name, sheets, rows)
    encoding, notes = _detect_encoding(path)
    with path.open(encoding=encoding, newline="", errors="replace") as fh:
        sample = fh.read(SNIFF_CHARS)
    if not sample.strip():
        raise DeclarationImportError("empty_file", path=str(path))
    return _Opened(size, encoding, _sniff_delimiter(sample), notes)


@dataclass
class _Batch:
    """Consecutive non-blank records of the file, column by column.

    `columns` holds every column of the header's width as text (a record with trailing
    empty cells is cut to the width; one of another width gives empty cells and is listed
    in `wrong`, record index -> fields found). `lines[i]` is the physical line (sheet
    row) where record i starts; `done` is how far the file was read (bytes or rows)."""

    lines: list[int]
    columns: list[Sequence[str]]
    wrong: dict[int, int]
    done: int

    def __len__(self) -> int:
        return len(self.lines)


class _Reader:
    """Reads a CSV file or a sheet in batches of records, checking in file order what
    stops an import: an over-long field, one row more than `MAX_ROWS`, a record the csv
    module cannot read. The first non-blank record (the header) comes from `header()`."""

    def __init__(self, path: Path, opened: _Opened) -> None:
        self.path, self.opened = path, opened
        self.rows_seen = 0  # non-blank records after the header
        self.width = 0
        self._end_line = 0  # the physical line where the last record read ended
        self._done = 0
        self._fh: io.TextIOBase | None = None
        if opened.rows is None:
            self._fh = path.open(encoding=opened.encoding, newline="")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        rows = self.opened.rows
        if rows is not None:
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    # -- the raw records --------------------------------------------------------------
    def read(self, count: int) -> tuple[list[int], list[list[object]],
                                         DeclarationImportError | None]:
        """(start lines, records, the error that ends the file early) of the next
        `count` records, blank ones included."""
        if self.opened.rows is not None:
            read = list(itertools.islice(self.opened.rows, count))
            self._done += len(read)
            return [n for n, _ in read], [r for _, r in read], None
        return self._csv_records(self._fh, lambda records, _lines: records >= count)

    def _csv_records(self, source: Iterator[str], enough: Callable[[int, int], bool]
                     ) -> tuple[list[int], list[list[object]], DeclarationImportError | None]:
        """Records of the csv module from `source` (physical lines) until `enough(records,
        lines read)`. The csv module sees the lines exactly as the file iterator cuts
        them (newline=""), so its line count is the file's."""
        starts: list[int] = []
        records: list[list[object]] = []
        add_start, add_record = starts.append, records.append
        reader = csv.reader(source, delimiter=self.opened.delimiter)
        base = end = self._end_line
        error = None
        try:
            for record in reader:
                add_start(end + 1)
                add_record(record)
                end = base + reader.line_num
                if enough(len(records), end - base):
                    break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                error = DeclarationImportError("field_too_long", line=end + 1,
                                               limit=MAX_FIELD_CHARS)
            else:
                error = DeclarationImportError("malformed_csv", line=end + 1,
                                               reason=str(exc))
        except UnicodeDecodeError:
            error = DeclarationImportError("not_text", path=str(self.path))
        self._end_line = end
        # bytes the text layer has taken from the file: a little ahead of the records
        self._done = self._fh.buffer.tell()  # type: ignore[union-attr]
        return starts, records, error

    def texts(self, records: list[list[object]]) -> list[list[str]]:
        if self.opened.rows is None:
            return records  # type: ignore[return-value]  # csv gives text
        from rmdesk.services.spreadsheets import cell_text

        return [[cell if type(cell) is str else cell_text(cell) for cell in record]
                for record in records]

    def header(self) -> tuple[int, list[str]] | None:
        """The first non-blank record as text (None: the file has none)."""
        while True:
            starts, records, error = self.read(1)
            if records:
                record = self.texts(records)[0]
                _check_length(starts, [record])
                if "".join(record).strip():
                    return starts[0], record
            if error is not None:
                raise error
            if not records:
                return None

    # -- batches of data records ------------------------------------------------------
    def batch(self, count: int) -> _Batch | None:
        """The next non-blank records, read `count` at a time (None at the end)."""
        if self.opened.rows is None:
            return self._csv_batch(count)
        starts, records, error = self.read(count)
        if not records:
            if error is not None:
                raise error
            return None
        if self.opened.rows is not None:
            lines, columns = self._sheet_columns(starts, records)
            wrong: dict[int, int] = {}
        else:
            lines, columns, wrong = self._csv_columns(starts, records)
        if error is not None:
            raise error
        return _Batch(lines, columns, wrong, self._done)

    def _csv_batch(self, count: int) -> _Batch | None:
        """`count` physical lines of a CSV file as a batch. Lines without a quotation
        mark (most files have none, or few) are split with str.split, which then gives
        exactly the csv module's fields: a million rows are not a million Python lists.
        Where a quotation mark, a NUL, a field over the limit, a blank line or a line of
        another width appears, the batch takes the general way."""
        try:
            lines = list(itertools.islice(self._fh, count))  # type: ignore[arg-type]
        except UnicodeDecodeError:
            raise DeclarationImportError("not_text", path=str(self.path)) from None
        if not lines:
            return None
        text = "".join(lines)
        if '"' in text or "\x00" in text:  # the csv module reads these (quoted fields)
            del text
            physical = len(lines)
            starts, records, error = self._csv_records(
                itertools.chain(lines, self._fh),  # type: ignore[arg-type]
                lambda _records, read: read >= physical)
            del lines
            if not records:
                if error is not None:
                    raise error
                return None
            found, columns, wrong = self._csv_columns(starts, records)
            if error is not None:
                raise error
            return _Batch(found, columns, wrong, self._done)
        base = self._end_line
        self._end_line = base + len(lines)
        self._done = self._fh.buffer.tell()  # type: ignore[union-attr]
        starts = list(range(base + 1, base + 1 + len(lines)))
        delimiter, width = self.opened.delimiter, self.width
        repeat = itertools.repeat
        # Each line a record of the header's width, none blank, none too long (a line
        # end counts here, which only sends a borderline batch the general way). The
        # file iterator gives no empty line: a line's first character tells whether it
        # can be blank at all.
        regular = (
            list(map(str.count, lines, repeat(delimiter))).count(width - 1) == len(lines)
            and max(map(len, lines)) <= MAX_FIELD_CHARS
            and ("\r" not in text or "\r" not in text.replace("\r\n", "\n"))
            and (not any(ch.isspace() or ch == delimiter
                         for ch in set(map(operator.itemgetter(0), lines)))
                 or all(map(str.strip, map(str.replace, lines, repeat(delimiter),
                                           repeat("")))))
        )
        if not regular:  # the records the csv module would give, checked as such
            del text
            contents = map(str.rstrip, lines, repeat("\r\n"))
            records = [line.split(delimiter) if line else [] for line in contents]
            del lines
            found, columns, wrong = self._csv_columns(starts, records)  # type: ignore
            return _Batch(found, columns, wrong, self._done)
        self._count_rows(starts, range(len(lines)), None)
        del lines
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        if text.endswith("\n"):  # the last line of a file may have no line end
            text = text[:-1]
        cells = text.replace("\n", delimiter).split(delimiter)
        del text
        columns: list[Sequence[str]] = [cells[c::width] for c in range(width)]
        return _Batch(starts, columns, {}, self._done)

    def _count_rows(self, starts: list[int], nonblank: Sequence[int],
                    long_at: int | None) -> None:
        """Over-long fields and too many rows, whichever comes first in the file."""
        room = MAX_ROWS - self.rows_seen
        too_many = nonblank[room] if len(nonblank) > room else None
        if long_at is not None and (too_many is None or long_at <= too_many):
            raise DeclarationImportError("field_too_long", line=starts[long_at],
                                         limit=MAX_FIELD_CHARS)
        if too_many is not None:
            raise DeclarationImportError("too_many_rows", limit=MAX_ROWS)
        self.rows_seen += len(nonblank)

    def _csv_columns(self, starts: list[int], records: list[list[str]]
                     ) -> tuple[list[int], list[Sequence[str]], dict[int, int]]:
        joined = list(map("".join, records))
        long_at = _first_long(records) if \
            max(map(len, joined), default=0) > MAX_FIELD_CHARS else None
        stripped = list(map(str.strip, joined))
        nonblank: Sequence[int] = range(len(records)) if all(stripped) else \
            [i for i, text in enumerate(stripped) if text]
        self._count_rows(starts, nonblank, long_at)
        if len(nonblank) < len(records):
            records = [records[i] for i in nonblank]
            starts = [starts[i] for i in nonblank]
        width = self.width
        wrong: dict[int, int] = {}
        if set(map(len, records)) - {width}:
            fixed = []
            for index, record in enumerate(records):
                if len(record) > width and not any(f.strip() for f in record[width:]):
                    record = record[:width]  # trailing empty cells, as spreadsheets write
                if len(record) != width:
                    wrong[index] = len(record)
                    record = [""] * width
                fixed.append(record)
            records = fixed
        columns: list[Sequence[str]] = list(zip(*records, strict=True)) if records else \
            [() for _ in range(width)]
        return starts, columns, wrong

    def _sheet_columns(self, starts: list[int], records: list[list[object]]
                       ) -> tuple[list[int], list[Sequence[str]]]:
        from rmdesk.services.spreadsheets import cell_text

        columns: list[Sequence[str]] = []
        # number cells only, or date cells only: kept as they are (never blank)
        numeric: list[bool] = []
        for cells in zip(*records, strict=True):
            types = set(map(type, cells))
            numeric.append(bool(types) and (types <= {float, int} or
                                            types <= {date, datetime}))
            if types <= {str} or numeric[-1]:
                columns.append(cells)  # type: ignore[arg-type]
            else:
                columns.append([c if type(c) is str else cell_text(c) for c in cells])
        long_at = None
        for column, is_numeric in zip(columns, numeric, strict=True):
            if not is_numeric and max(map(len, column), default=0) > MAX_FIELD_CHARS:
                first = next(i for i, text in enumerate(column) if len(text) > MAX_FIELD_CHARS)
                long_at = first if long_at is None else min(long_at, first)
        filled = np.zeros(len(records), dtype=bool)
        if any(numeric):
            filled[:] = True
        for column, is_numeric in zip(columns, numeric, strict=True):
            if not filled.all() and not is_numeric:
                filled |= np.fromiter(map(bool, map(str.strip, column)), dtype=bool,
                                      count=len(records))
        nonblank = np.flatnonzero(filled).tolist()
        self._count_rows(starts, nonblank, long_at)
        width = self.width
        columns = (columns + [("",) * len(records)] * width)[:width]
        if len(nonblank) < len(records):
            columns = [[column[i] for i in nonblank] for column in columns]
            starts = [starts[i] for i in nonblank]
        return starts, columns


def _cell_text(cell: object) -> str:
    if type(cell) is str:
        return cell
    from rmdesk.services.spreadsheets import cell_text

    return cell_text(cell)


def _first_long(records: list[list[str]]) -> int | None:
    """The index of the first record with a field longer than MAX_FIELD_CHARS."""
    if max(map(len, itertools.chain.from_iterable(records)), default=0) <= MAX_FIELD_CHARS:
        return None
    return next(i for i, record in enumerate(records)
                if record and max(map(len, record)) > MAX_FIELD_CHARS)


def _check_length(starts: list[int], records: list[list[str]]) -> None:
    long_at = _first_long(records)
    if long_at is not None:
        raise DeclarationImportError("field_too_long", line=starts[long_at],
                                     limit=MAX_FIELD_CHARS)


def _header(record: list[str]) -> tuple[str, ...]:
    headers = tuple(h.strip().lstrip("\ufeff").strip() for h in record)
    if len(headers) > MAX_COLUMNS:
        raise DeclarationImportError("too_many_columns", count=len(headers),
                                     limit=MAX_COLUMNS)
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise DeclarationImportError("duplicate_header", header=header)
        seen.add(header)
    return headers


def read_csv_header(path: str | Path, sheet: str | None = None) -> CsvPreview:
    """The header and first rows of a CSV file or of a spreadsheet's sheet (the first
    unless `sheet` names one), for the column-mapping step."""
    path = Path(path)
    opened = _open(path, sheet, for_preview=True)
    try:
        return _preview(path, opened)
    except DeclarationImportError as error:
        # A workbook often opens with a notes or cover sheet: unless a sheet was asked
        # for, the preview shows the first sheet that holds a header and data rows.
        if sheet is not None or error.code not in ("empty_file", "no_data_rows"):
            raise
        for other in opened.sheets[1:]:
            try:
                return _preview(path, _open(path, other, for_preview=True))
            except DeclarationImportError as later:
                if later.code not in ("empty_file", "no_data_rows"):
                    raise
        raise


def _preview(path: Path, opened: _Opened) -> CsvPreview:
    reader = _Reader(path, opened)
    try:
        first = reader.header()
        if first is None:
            raise DeclarationImportError("empty_file", path=str(path))
        headers = _header(first[1])
        rows: list[tuple[str, ...]] = []
        while len(rows) < PREVIEW_ROWS:
            starts, records, error = reader.read(PREVIEW_ROWS - len(rows))
            texts = reader.texts(records)
            _check_length(starts, texts)
            rows.extend(tuple(record) for record in texts if "".join(record).strip())
            if error is not None:
                raise error
            if not records:
                break
    finally:
        reader.close()
    if not rows:
        raise DeclarationImportError("no_data_rows")
    return CsvPreview(path, headers, tuple(rows), opened.delimiter, opened.encoding,
                      tuple(opened.notes), opened.sheet, opened.sheets)


# -- parsing values --------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, code: str, value: str) -> None:
        super().__init__(code)
        self.code = code
        self.value = value


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")


def _grouped(text: str, separator: str) -> bool:
    """'1,234,567' with separator ','. Groups never start with 0, so 0.500 is a decimal."""
    return re.fullmatch(rf"[+-]?[1-9]\d{{0,2}}(\{separator}\d{{3}})+", text) is not None


def parse_number(text: str, decimal_comma: bool = False) -> float:
    """'1 234,56', '1,234.56', '1.234,56' and '1234.56'. With both separators the last
    is the decimal one; with one, it is the thousands separator only where it groups
    digits by three and the file's convention (decimal_comma: ';'-separated files) says
    so. Raises ValueError."""
    s = text.strip().translate(_SPACES)
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") \
            else s.replace(",", "")
    elif "," in s:
        if _grouped(s, ",") and (not decimal_comma or s.count(",") > 1):
            s = s.replace(",", "")
        elif s.count(",") == 1:
            s = s.replace(",", ".")
    elif "." in s and _grouped(s, ".") and (decimal_comma or s.count(".") > 1):
        s = s.replace(".", "")
    if not _NUMBER.fullmatch(s):
        raise ValueError(text)
    value = float(s)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


_DATE_FORMS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: .*)?"), (3, 2, 1)),
)


def parse_date(text: str) -> date:
    """ISO (2025-03-14, with or without a time), 14/03/2025, 14.03.2025 or 14-03-2025."""
    s = text.strip()
    for pattern, (y, m, d) in _DATE_FORMS:
        match = pattern.fullmatch(s)
        if match:
            year = int(match.group(y))
            if not 1900 <= year <= 2100:
                raise ValueError(text)
            return date(year, int(match.group(m)), int(match.group(d)))
    raise ValueError(text)


_TRUE = frozenset({"yes", "y", "1", "true", "t", "x", "si", "s", "sim", "oui", "o",
                   "verdadero", "verdadeiro", "vrai"})
_FALSE = frozenset({"no", "n", "0", "false", "f", "nao", "non", "falso", "faux", ""})


def parse_flag(text: str) -> bool:
    """yes/no, 1/0, true/false, sí/no, sim/não, oui/non; empty is no."""
    key = normalise_flag(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(text)


def normalise_flag(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).rstrip(".")


def parse_hs(text: str) -> str:
    """'8703.23', '8703 23 10' or '87032310' -> '870323'; fewer than 6 digits is wrong."""
    digits = re.sub(r"[\s.\-]", "", text)
    if not digits.isdigit() or len(digits) < 6:
        raise ValueError(text)
    return digits[:6]


_MODE_WORDS = {
    "sea": ("sea", "maritime", "maritimo", "maritima", "mar", "vessel", "ship", "ocean", "1",
            "mer", "navire"),
    "rail": ("rail", "railway", "train", "ferroviario", "ferroviaria", "ferroviaire",
             "tren", "trem", "2"),
    "road": ("road", "truck", "lorry", "carretera", "terrestre", "camion", "camiao",
             "rodoviario", "rodoviaria", "route", "routier", "3"),
    "air": ("air", "aerial", "aereo", "aerea", "avion", "aviao", "aerien", "4"),
    "post": ("post", "postal", "mail", "courier", "express", "correo", "correio",
             "poste", "courrier", "5"),
}
_MODE_OF: dict[str, str] = {w: key for key, words in _MODE_WORDS.items() for w in words}
assert set(_MODE_WORDS) == set(TRANSPORT_MODES)
_NO_OFFENCE = frozenset({"", "none", "no", "ninguna", "ninguno", "nenhuma", "nenhum",
                         "aucune", "aucun", "neant", "-", "0", "false", "non", "nao"})


# -- columns being filled ------------------------------------------------------------

# Values a parsed cell can have in a batch, besides its value: codes and days are
# integers, so a whole batch is one numpy array.
_EMPTY_CODE, _NEW, _BAD = -1, -2, -3  # category codes and flags
_NAT = -(2**63)  # an empty date: int64 minimum is NaT once viewed as datetime64
_NEW_DAY, _BAD_DAY = _NAT + 1, _NAT + 2
# Bytes of numbers whose float() is what parse_number makes of them (anything else the
# gate lets through, float() refuses): digits, a minus, a decimal point unless the file
# writes decimal commas (there "1.500" is 1500); \x00 parts the cells of a batch.
_PLAIN_BYTES = {False: b"0123456789.-\x00", True: b"0123456789-\x00"}
CategoryRule = Literal["text", "hs", "mode", "country"]


@dataclass
class ParsedBatch:
    """One column of a batch: `values` (float64 for numbers, int64 otherwise: category
    codes, days since 1970, 0/1 flags) and the bad cells as (index, code, cell text)."""

    values: np.ndarray
    bad: list[tuple[int, str, str]]


class ColumnParser:
    """Parses one column of the file batch by batch into a compact array, and checks
    each cell: a kind's rules (number, integer, date, flag, category) plus, for the
    built-in fields, required, non-negative, score and category cleaning rules.

    A batch is parsed column-wise: each distinct text is parsed once (`parse_cell`, the
    rules for one cell), and plain numbers are converted all at once. `append` keeps the
    values of the rows that are imported; `build` makes the column."""

    def __init__(self, kind: Kind, *, required: bool = False, non_negative: bool = False,
                 score: bool = False, category: CategoryRule = "text") -> None:
        self.kind = kind
        self.required, self.non_negative, self.score = required, non_negative, score
        self.category = category
        self.max_value = -math.inf
        self.rows = _Growing(_STORED[kind])  # the values of the rows imported
        # Category values by first appearance; a value's code is its index. For "text"
        # and "country" a value parses to itself, so the lookup is also the cache.
        self.lookup: dict[str, int] = {}
        self.cache: dict[str, int] = {}  # text -> code, days or flag (or the bad mark)
        self.bad_cells: dict[str, tuple[str, str]] = {}  # text -> (problem code, value)

    @classmethod
    def for_field(cls, name: str) -> ColumnParser:
        rule: CategoryRule = {"hs_code": "hs", "transport_mode": "mode", "origin": "country",
                              "consignment": "country"}.get(name, "text")  # type: ignore
        return cls(FIELD_BY_NAME[name].kind, required=name in REQUIRED_FIELDS,
                   non_negative=name in NON_NEGATIVE, score=name in SCORES, category=rule)

    # -- one cell ---------------------------------------------------------------------
    def parse_cell(self, text: str, decimal_comma: bool) -> object:
        """The value of one cell (None: empty), or raises _Bad."""
        text = text.strip()
        if not text and self.required:
            raise _Bad("required_missing", text)
        kind = self.kind
        if kind == "category":
            return self._category(text)
        if kind == "flag":
            try:
                return parse_flag(text)
            except ValueError:
                raise _Bad("not_a_flag", text) from None
        if not text:
            return None
        if kind == "date":
            try:
                return parse_date(text)
            except ValueError:
                raise _Bad("not_a_date", text) from None
        try:
            value = parse_number(text, decimal_comma)
        except ValueError:
            raise _Bad("not_a_number", text) from None
        if value < 0 and self.non_negative:
            raise _Bad("negative_value", text)
        if kind == "integer" and value != int(value):
            raise _Bad("not_an_integer", text)
        if kind == "integer" and abs(value) > MAX_INTEGER:
            raise _Bad("integer_too_large", text)
        if self.score and not 0 <= value <= 100:
            raise _Bad("score_out_of_range", text)
        return value

    def _category(self, text: str) -> str:
        if not text:
            return ""
        if self.category == "hs":
            try:
                return parse_hs(text)
            except ValueError:
                raise _Bad("bad_hs_code", text) from None
        if self.category == "mode":
            return _MODE_OF.get(normalise_flag(text), text.lower())
        text = " ".join(text.split())
        if self.category == "country" and len(text) <= 3:
            return text.upper()
        return text

    # -- a batch ----------------------------------------------------------------------
    def parse(self, texts: Sequence[str], decimal_comma: bool) -> ParsedBatch:
        """Every cell of one column of a batch; the same values and bad cells as
        `parse_cell` on each. A sheet's column of number cells may come as numbers."""
        if texts and type(texts[0]) is not str:
            from rmdesk.services.spreadsheets import cell_text

            if self.kind in ("number", "integer"):
                try:
                    return self._checked(np.array(texts, dtype=np.float64), texts)
                except (OverflowError, ValueError, TypeError):
                    pass
            if self.kind == "date" and set(map(type, texts)) <= {date, datetime}:
                # a sheet's date cells: the day, as parse_date reads their ISO text
                days = np.fromiter(map(date.toordinal, texts), dtype=np.int64,
                                   count=len(texts)) - _EPOCH.toordinal()
                if ((days >= _FIRST_DAY) & (days <= _LAST_DAY)).all():
                    return ParsedBatch(days, [])
            texts = [cell_text(cell) for cell in texts]
        if self.kind in ("number", "integer"):
            return self._numbers(texts, decimal_comma)
        if self.kind == "date":
            return self._coded(texts, decimal_comma, _NEW_DAY, _BAD_DAY, self._day)
        if self.kind == "flag":
            return self._coded(texts, decimal_comma, _NEW, _BAD, lambda v: int(bool(v)))
        return self._coded(texts, decimal_comma, _NEW, _BAD, self._code)

    def _code(self, value: object) -> int:
        text = str(value)
        if not text:
            return _EMPTY_CODE
        return self.lookup.setdefault(text, len(self.lookup))

    @staticmethod
    def _day(value: object) -> int:
        return (value - _EPOCH).days if isinstance(value, date) else _NAT

    def _coded(self, texts: Sequence[str], decimal_comma: bool, new: int, bad_mark: int,
               encode: Callable[[object], int]) -> ParsedBatch:
        """Columns whose parsed values are integers: each distinct text is parsed once
        and remembered; the rest is dictionary look-ups in C."""
        # A category value parses to itself (text, country): the values are the first
        # cache, `cache` keeps the other texts (cells to clean, bad cells).
        self_parsing = self.kind == "category" and self.category in ("text", "country")
        first = self.lookup if self_parsing else self.cache
        values = np.fromiter(map(first.get, texts, itertools.repeat(new)), dtype=np.int64,
                             count=len(texts))
        bad = [(index, *self.bad_cells[texts[index]])
               for index in np.flatnonzero(values == bad_mark).tolist()]
        cache = self.cache
        missing = np.flatnonzero(values == new).tolist()
        if self_parsing and missing:
            missing = self._new_values(texts, missing, values)
        for index in missing:
            text = texts[index]
            code = cache.get(text, new)
            if code == new:
                try:
                    code = encode(self.parse_cell(text, decimal_comma))
                    problem = None
                except _Bad as error:
                    code, problem = bad_mark, (error.code, error.value)
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                    self.bad_cells.clear()
                if not (self_parsing and problem is None and self.lookup.get(text) == code):
                    cache[text] = code
                if problem is not None:
                    self.bad_cells[text] = problem
            if code == bad_mark:
                bad.append((index, *self.bad_cells[text]))
            values[index] = code
        bad.sort()
        return ParsedBatch(values, bad)

    def _new_values(self, texts: Sequence[str], missing: list[int],
                    values: np.ndarray) -> list[int]:
        """Give codes to the texts that are new values as they stand (most of a column
        of declaration numbers or names); the others (cells to clean, bad or empty
        cells) are left to parse_cell."""
        lookup = self.lookup
        country = self.category == "country"
        left: list[int] = []
        found: list[int] = []
        codes: list[int] = []
        news = [texts[index] for index in missing]
        joined = "\x00".join(news)  # \x00 is no whitespace: words stay apart
        words = joined.split(maxsplit=1)
        if all(news) and len(words) == 1 and len(words[0]) == len(joined) and \
                (not country or joined.upper() == joined):
            # the usual batch: no cell has a space to clean, none is empty, so every
            # text is its own value; codes in order of first appearance, as below
            del words
            lookup.update(zip(dict.fromkeys(news), itertools.count(len(lookup))))
            values[missing] = np.fromiter(map(lookup.__getitem__, news), dtype=np.int64,
                                          count=len(news))
            return []
        del joined, words
        for index, text, own in zip(missing, news, map(" ".join, map(str.split, news)),
                                    strict=True):
            if text == own and text and (not country or len(text) > 3 or
                                         text.upper() == text):
                found.append(index)
                codes.append(lookup.setdefault(text, len(lookup)))
            else:
                left.append(index)
        values[found] = codes
        return left

    def _numbers(self, texts: Sequence[str], decimal_comma: bool) -> ParsedBatch:
        values = self._plain_numbers(texts, decimal_comma)
        if values is None:  # some cell needs parse_number's care
            parsed = np.empty(len(texts), dtype=np.float64)
            bad = []
            cache = self.cache
            for index, text in enumerate(texts):
                found = cache.get(text, _MISSING)
                if found is _MISSING:
                    try:
                        found = self.parse_cell(text, decimal_comma)
                    except _Bad as problem:
                        found = problem
                    if len(cache) >= CACHE_SIZE:
                        cache.clear()
                    cache[text] = found
                if isinstance(found, _Bad):
                    bad.append((index, found.code, found.value))
                    parsed[index] = math.nan
                else:
                    parsed[index] = math.nan if found is None else found
            return ParsedBatch(parsed, bad)
        return self._checked(values, texts)

    def _checked(self, values: np.ndarray, cells: Sequence[object]) -> ParsedBatch:
        """parse_cell's checks, in its order, on a batch of numbers at once (`cells`:
        the plain texts, or a sheet's number cells, which give the same numbers)."""
        if not np.isfinite(values[~np.isnan(values)]).all():  # not from a real sheet
            from rmdesk.services.spreadsheets import cell_text

            return self._numbers([cell_text(cell) for cell in cells], False)
        problem = np.zeros(len(values), dtype=np.int8)
        rules = []
        if self.non_negative:
            rules.append(("negative_value", values < 0))
        if self.kind == "integer":
            rules.append(("not_an_integer", ~np.isnan(values) & (values != np.trunc(values))))
            rules.append(("integer_too_large", np.abs(values) > MAX_INTEGER))
        if self.score:
            rules.append(("score_out_of_range", (values < 0) | (values > 100)))
        for number, (_code, mask) in enumerate(rules, start=1):
            problem[(problem == 0) & mask] = number
        bad = [(index, rules[problem[index] - 1][0], _cell_text(cells[index]))
               for index in np.flatnonzero(problem).tolist()]
        return ParsedBatch(values, bad)

    @staticmethod
    def _plain_numbers(texts: Sequence[str], decimal_comma: bool) -> np.ndarray | None:
        """The numbers of a batch whose cells are all plain (digits, a sign, a decimal
        point; empty allowed), or None. float() of such a text equals parse_number's."""
        try:
            joined = "\x00".join(texts).encode("ascii")
        except UnicodeEncodeError:
            return None
        if joined.translate(None, _PLAIN_BYTES[decimal_comma]):
            return None  # some other character
        del joined
        if "" in texts:  # empty cells: no value
            texts = ["nan" if not text else text for text in texts]
        try:
            values = np.array(texts, dtype=np.float64)  # float() of each text
        except ValueError:  # "1-2", "1.2.3"...: parse_number says why
            return None
        if np.isinf(values).any():  # hundreds of digits: parse_number refuses them
            return None
        return values

    # -- the imported rows ------------------------------------------------------------
    def reserve(self, rows: int) -> None:
        self.rows.reserve(rows)

    def append(self, values: np.ndarray) -> None:
        """Keep the values of the imported rows of a batch."""
        if self.kind in ("number", "integer") and len(values):
            top = np.nanmax(values) if not np.isnan(values).all() else -math.inf
            self.max_value = max(self.max_value, float(top))
        self.rows.append(values)

    def build(self) -> np.ndarray | CategoryColumn:
        kind = self.kind
        data = self.rows.take()
        self.cache, self.bad_cells = {}, {}
        if kind == "category":
            codes = data
            del data
            # values seen only in rows left out are dropped; the rest sorted
            used = np.zeros(len(self.lookup) + 1, dtype=bool)
            used[codes] = True  # code -1 marks the last slot, left out below
            values = list(self.lookup)
            self.lookup = {}
            order = sorted(np.flatnonzero(used[:-1]).tolist(), key=values.__getitem__)
            del used
            remap = np.full(len(values) + 1, -1, dtype=np.int32)
            remap[np.array(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
            codes = remap[codes]
            return CategoryColumn(codes, tuple(values[i] for i in order))
        if kind == "date":
            return data.view("datetime64[D]")
        if kind == "integer":
            data[np.isnan(data)] = -1
            return data.astype(np.int64)
        return data


class _Growing:
    """An array filled batch by batch, grown when full. Batches kept apart and joined
    at the end held a column twice, and their small pieces stayed in the heap: the
    peak memory of a large import."""

    def __init__(self, dtype: type) -> None:
        self.dtype = dtype
        self.data: np.ndarray | None = None
        self.size = 0

    def reserve(self, rows: int) -> None:
        """Room for about `rows` values. Pages of the room never written cost no
        memory, so a generous guess is cheap; a short one only means growing later."""
        if self.data is None or len(self.data) < rows:
            self._grow(rows)

    def _grow(self, rows: int) -> None:
        data = np.empty(rows, dtype=self.dtype)
        if self.data is not None:
            data[: self.size] = self.data[: self.size]
        self.data = data

    def append(self, values: np.ndarray) -> None:
        end = self.size + len(values)
        if self.data is None or end > len(self.data):
            self._grow(max(end, 4 * CHECK_EVERY,
                           len(self.data) * 3 // 2 if self.data is not None else 0))
        self.data[self.size:end] = values  # type: ignore[index]  # cast to the dtype
        self.size = end

    def take(self) -> np.ndarray:
        """The values, as an array of their own size (the room left is given back,
        without a copy for a large array); the object is empty afterwards."""
        data = self.data if self.data is not None else np.empty(0, self.dtype)
        if len(data) != self.size:
            try:
                data.resize(self.size, refcheck=False)
            except ValueError:  # not the array's own memory: a copy then
                data = data[: self.size].copy()
        self.data, self.size = None, 0
        return data


# How each kind's values are kept while the rows are read (dates as days since 1970).
_STORED: dict[str, type] = {"category": np.int32, "flag": np.bool_, "date": np.int64,
                            "number": np.float64, "integer": np.float64}


class _ItemNumbers:
    """1, 2, 3... within each declaration in file order, counted batch by batch as the
    rows are imported (numbering them all at the end sorted the whole column: its
    temporaries made the peak memory of a large import)."""

    def __init__(self) -> None:
        self.seen = np.zeros(0, dtype=np.int64)  # items so far, by declaration code
        self.numbers = _Growing(np.int64)

    def add(self, codes: np.ndarray) -> None:
        """The declaration codes (>= 0) of a batch's imported rows."""
        if not len(codes):
            return
        top = int(codes.max()) + 1
        if top > len(self.seen):
            self.seen = np.concatenate(
                [self.seen, np.zeros(max(top, 2 * len(self.seen)) - len(self.seen),
                                     dtype=np.int64)])
        order = np.argsort(codes, kind="stable")
        ordered = codes[order]
        first = np.ones(len(codes), dtype=bool)  # where a declaration's rows begin
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        begin = np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
        numbers = np.empty(len(codes), dtype=np.int64)
        numbers[order] = np.arange(1, len(codes) + 1) - begin + self.seen[ordered]
        self.seen[ordered[starts]] += np.diff(np.r_[starts, len(codes)])
        self.numbers.append(numbers)


# -- the import ------------------------------------------------------------------------


def _check_mapping(mapping: Mapping[str, str | None],
                   headers: Sequence[str]) -> dict[str, str]:
    used = {name: header for name, header in mapping.items() if header}
    for name, header in used.items():
        if name not in FIELD_BY_NAME:
            raise DeclarationImportError("unknown_field", name=name)
        if header not in headers:
            raise DeclarationImportError("unknown_header", field=name, header=header)
    for name in REQUIRED_FIELDS:
        if name not in used:
            raise DeclarationImportError("required_field_unmapped", field=name)
    return used


def import_csv(
    path: str | Path,
    mapping: Mapping[str, str | None],
    *,
    sheet: str | None = None,
    skip_bad_rows: bool = False,
    is_cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] | None = None,
    keep: Mapping[str, str] | None = None,
) -> ImportResult:
    """Check every row of the file and build the table from the mapped columns.

    `mapping` is field name -> header (empty: not mapped). With problems and without
    `skip_bad_rows`, the result lists them and holds no table; with it, the bad rows are
    left out and listed. `progress(done, total)` is called now and then with the
    approximate number of bytes (rows of a sheet) read; `is_cancelled()` is polled as
    often, and a cancelled import returns no table. For XLSX and ODS, `sheet` names the
    sheet (default: the first). `keep`: other columns to keep as the data set's own
    fields, header -> kind (extra_columns.plan_extra_columns checks them). Whole-file
    failures raise DeclarationImportError.
    """
    path = Path(path)
    opened = _open(path, sheet)
    total = max(opened.size, 1)
    result = ImportResult(None, notes=list(opened.notes), encoding=opened.encoding,
                          delimiter=opened.delimiter, sheet=opened.sheet)
    decimal_comma = opened.delimiter == ";"  # sheets' numbers are typed: never
    reader = _Reader(path, opened)
    try:
        first = reader.header()
        if first is None:
            raise DeclarationImportError("empty_file", path=str(path))
        headers = _header(first[1])
        used = _check_mapping(mapping, headers)
        columns = [_Column(name, header, headers.index(header))
                   for name, header in used.items()]
        extra: list[FieldSpec] = []
        if keep:  # other columns kept as the data set's own: parsed like the built-in ones
            from rmdesk.services.extra_columns import plan_extra_columns

            for planned in plan_extra_columns(keep, headers, used):
                extra.append(planned.spec)
                columns.append(_Column(planned.spec.name, planned.header,
                                       headers.index(planned.header),
                                       planned.spec.kind))  # type: ignore[arg-type]
        reader.width = len(headers)
        items = _ItemNumbers() if "item_no" not in used else None
        declarations = next(i for i, c in enumerate(columns) if c.name == "declaration_no")
        keep_values = True  # stops once a bad row means nothing will be imported
        while (batch := reader.batch(CHECK_EVERY)) is not None:
            result.rows_read += len(batch)
            if is_cancelled():
                result.cancelled = True
                return result
            if progress is not None:
                progress(min(batch.done, total), total)
            parsed = [column.parser.parse(batch.columns[column.index], decimal_comma)
                      for column in columns]
            bad = _batch_problems(batch, columns, parsed, result)
            if bad and not skip_bad_rows:
                keep_values = False
            if keep_values:
                if result.rows_read == len(batch):  # the first batch: room for the file
                    rows = result.rows_read * total // max(batch.done, 1) * 5 // 4
                    for column in columns:
                        column.parser.reserve(rows + CHECK_EVERY)
                    if items is not None:
                        items.numbers.reserve(rows + CHECK_EVERY)
                accepted = np.ones(len(batch), dtype=bool)
                accepted[bad] = False
                for column, values in zip(columns, parsed, strict=True):
                    column.parser.append(values.values if not bad else
                                         values.values[accepted])
                if items is not None:
                    codes = parsed[declarations].values
                    items.add(codes if not bad else codes[accepted])
    finally:
        reader.close()

    if progress is not None:
        progress(total, total)
    if result.rows_read == 0:
        raise DeclarationImportError("no_data_rows")
    listed_rows = len({p.line for p in result.problems})
    if result.bad_rows > listed_rows:
        result.notes.append(ImportNote("problems_truncated", {
            "listed": len(result.problems), "more": result.bad_rows - listed_rows}))
    if not keep_values:
        return result
    result.rows_skipped = result.bad_rows
    result.rows_imported = result.rows_read - result.bad_rows
    if result.rows_imported == 0:
        result.notes.append(ImportNote("no_valid_rows"))
        return result
    result.table = _build_table(columns, result, extra,
                                items.numbers.take() if items is not None else None)
    return result


@dataclass
class _Column:
    """A mapped field: its header, its index in the file and its parser."""

    name: str
    header: str
    index: int
    kind: Kind | None = None  # a data set's own column (x:...); None: a built-in field
    parser: ColumnParser = field(init=False)

    def __post_init__(self) -> None:
        self.parser = ColumnParser(self.kind) if self.kind else \
            ColumnParser.for_field(self.name)


def _batch_problems(batch: _Batch, columns: list[_Column], parsed: list[ParsedBatch],
                    result: ImportResult) -> list[int]:
    """List a batch's problems row by row (in each row, column by column) as a row-by-row
    reading would, up to MAX_LISTED_PROBLEMS; the indexes of its bad rows."""
    found: list[tuple[int, int, RowProblem]] = [
        (index, -1, RowProblem(batch.lines[index], "", "wrong_field_count",
                               {"found": count, "expected": len(batch.columns)}))
        for index, count in batch.wrong.items()]
    for order, (column, values) in enumerate(zip(columns, parsed, strict=True)):
        found.extend((index, order, RowProblem(batch.lines[index], column.header, code,
                                               {"value": _shorten(value)}))
                     for index, code, value in values.bad if index not in batch.wrong)
    if not found:
        return []
    found.sort(key=lambda item: item[:2])
    room = MAX_LISTED_PROBLEMS - len(result.problems)
    if room > 0:
        result.problems.extend(problem for _, _, problem in found[:room])
    bad = sorted({index for index, _, _ in found})
    result.bad_rows += len(bad)
    return bad


def _shorten(text: str, limit: int = 40) -> str:
    """A cell as a message quotes it: on one line, and not too long."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _build_table(columns: list[_Column], result: ImportResult,
                 extra: Sequence[FieldSpec] = (),
                 item_numbers: np.ndarray | None = None) -> DeclarationTable:
    arrays: dict[str, np.ndarray] = {}
    categories: dict[str, CategoryColumn] = {}
    for column in columns:
        data = column.parser.build()
        if isinstance(data, CategoryColumn):
            categories[column.name] = data
            continue
        if column.name in SCORES and column.parser.max_value > 1:
            data = data / 100.0
            result.notes.append(ImportNote("scores_rescaled", {"column": column.header}))
        arrays[column.name] = data
    numbers = categories["declaration_no"]
    if "item_no" not in arrays:
        arrays["item_no"] = item_numbers if item_numbers is not None else \
            _number_items(numbers)
        result.notes.append(ImportNote("items_numbered"))
    elif (arrays["item_no"] < 0).any():  # some cells empty
        arrays["item_no"] = np.where(arrays["item_no"] < 0, _number_items(numbers),
                                     arrays["item_no"])
    if "containers" in arrays:
        arrays["containers"] = np.maximum(arrays["containers"], 0)  # empty means none
    if "unit_value" not in arrays and {"declared_value", "quantity"} <= set(arrays):
        value, quantity = arrays["declared_value"], arrays["quantity"]
        with np.errstate(divide="ignore", invalid="ignore"):
            arrays["unit_value"] = np.where(quantity > 0, value / quantity, np.nan)
        result.notes.append(ImportNote("unit_value_derived"))
    if "non_compliant" not in arrays and "offence" in categories:
        offence = categories["offence"]
        found = np.array([normalise_flag(v) not in _NO_OFFENCE for v in offence.values] +
                         [False])  # the last slot is for empty cells (code -1)
        arrays["non_compliant"] = found[offence.codes]
        header = next(c.header for c in columns if c.name == "offence")
        result.notes.append(ImportNote("outcome_derived", {"column": header}))
    merged: dict[str, np.ndarray | CategoryColumn] = {**categories, **arrays}
    return DeclarationTable({f.name: merged[f.name] for f in (*FIELDS, *extra)
                             if f.name in merged}, extra=tuple(extra))


def _number_items(declarations: CategoryColumn) -> np.ndarray:
    """1, 2, 3... within each declaration, in file order."""
    codes = declarations.codes
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(sorted_codes[1:] != sorted_codes[:-1]) + 1]
    del sorted_codes  # a million rows: keep the temporary arrays few (peak memory)
    rank = np.arange(1, len(codes) + 1, dtype=np.int64)
    rank -= np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    numbers = np.empty(len(codes), dtype=np.int64)
    numbers[order] = rank
    return numbers

