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
import math
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from rmdesk.domain.declarations import (
    FIELD_BY_NAME,
    FIELDS,
    TRANSPORT_MODES,
    CategoryColumn,
    DeclarationTable,
    FieldSpec,
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


class _Lines:
    """Iterates a text file by physical line, counting characters for progress."""

    def __init__(self, fh: io.TextIOBase) -> None:
        self.fh = fh
        self.chars = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.fh:
            self.chars += len(line)
            yield line


@dataclass
class _Opened:
    size: int  # for progress: bytes of a CSV file, rows of a sheet
    encoding: str
    delimiter: str
    notes: list[ImportNote]
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    rows: Iterator[tuple[int, list[str]]] | None = None  # a sheet's cells, as text


class _RowCounter:
    """Progress of a sheet: `chars` counts rows, as _Lines counts characters."""

    chars = 0


def _open(path: Path, sheet: str | None = None) -> _Opened:
    size = _file_size(path)
    from rmdesk.services import spreadsheets

    if spreadsheets.is_spreadsheet(path):
        name, sheets, height, rows = spreadsheets.open_sheet(path, sheet)
        return _Opened(max(height, 1), "", "", [], name, sheets, rows)
    encoding, notes = _detect_encoding(path)
    with path.open(encoding=encoding, newline="", errors="replace") as fh:
        sample = fh.read(SNIFF_CHARS)
    if not sample.strip():
        raise DeclarationImportError("empty_file", path=str(path))
    return _Opened(size, encoding, _sniff_delimiter(sample), notes)


def _records(path: Path, opened: _Opened) -> Iterator[tuple[int, list[str], _Lines]]:
    """(first physical line, fields, line counter) of every non-blank record. csv.Error
    and over-long fields stop the import: the rest of such a file cannot be trusted."""
    if opened.rows is not None:
        yield from _sheet_records(opened.rows)
        return
    with path.open(encoding=opened.encoding, newline="") as fh:
        lines = _Lines(fh)
        reader = csv.reader(lines, delimiter=opened.delimiter)
        start = 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise DeclarationImportError(
                        "field_too_long", line=start, limit=MAX_FIELD_CHARS) from exc
                raise DeclarationImportError("malformed_csv", line=start,
                                             reason=str(exc)) from exc
            except UnicodeDecodeError as exc:
                raise DeclarationImportError("not_text", path=str(path)) from exc
            if record and max(map(len, record)) > MAX_FIELD_CHARS:
                raise DeclarationImportError("field_too_long", line=start,
                                             limit=MAX_FIELD_CHARS)
            if "".join(record).strip():
                yield start, record, lines
            start = reader.line_num + 1


def _sheet_records(rows: Iterator[tuple[int, list[str]]]
                   ) -> Iterator[tuple[int, list[str], _RowCounter]]:
    counter = _RowCounter()
    try:
        for line, record in rows:
            counter.chars += 1
            if record and max(map(len, record)) > MAX_FIELD_CHARS:
                raise DeclarationImportError("field_too_long", line=line,
                                             limit=MAX_FIELD_CHARS)
            if "".join(record).strip():
                yield line, record, counter
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


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
    opened = _open(path, sheet)
    try:
        return _preview(path, opened)
    except DeclarationImportError as error:
        # A workbook often opens with a notes or cover sheet: unless a sheet was asked
        # for, the preview shows the first sheet that holds a header and data rows.
        if sheet is not None or error.code not in ("empty_file", "no_data_rows"):
            raise
        for other in opened.sheets[1:]:
            try:
                return _preview(path, _open(path, other))
            except DeclarationImportError as later:
                if later.code not in ("empty_file", "no_data_rows"):
                    raise
        raise


def _preview(path: Path, opened: _Opened) -> CsvPreview:
    records = _records(path, opened)
    try:
        _, first, _ = next(records)
    except StopIteration:
        raise DeclarationImportError("empty_file", path=str(path)) from None
    headers = _header(first)
    rows = []
    for _, record, _ in records:
        rows.append(tuple(record))
        if len(rows) >= PREVIEW_ROWS:
            break
    records.close()
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


class _Column:
    """Values of one mapped field, stored compactly as rows are accepted."""

    def __init__(self, name: str, header: str, index: int, kind: str | None = None) -> None:
        self.name, self.header, self.index = name, header, index
        self.kind = kind or FIELD_BY_NAME[name].kind  # `kind`: a data set's own column
        self.required = name in REQUIRED_FIELDS
        self.max_value = -math.inf
        self.codes = array("i")
        self.lookup: dict[str, int] = {}
        self.numbers = array("d")
        self.integers = array("q")  # integers; dates as days since 1970 (NaT if empty)
        self.flags = bytearray()
        # Codes, countries, dates and flags repeat a lot: parse each distinct text once.
        self.cache: dict[str, object] = {}

    def parse(self, text: str, decimal_comma: bool) -> object:
        found = self.cache.get(text, _MISSING)
        if found is _MISSING:
            try:
                found = self._parse(text, decimal_comma)
            except _Bad as bad:
                found = bad
            if len(self.cache) >= CACHE_SIZE:
                self.cache.clear()
            self.cache[text] = found
        if isinstance(found, _Bad):
            raise _Bad(found.code, found.value)
        return found

    def _parse(self, text: str, decimal_comma: bool) -> object:
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
        if value < 0 and self.name in NON_NEGATIVE:
            raise _Bad("negative_value", text)
        if kind == "integer" and value != int(value):
            raise _Bad("not_an_integer", text)
        if kind == "integer" and abs(value) > MAX_INTEGER:
            raise _Bad("integer_too_large", text)
        if self.name in SCORES and not 0 <= value <= 100:
            raise _Bad("score_out_of_range", text)
        return value

    def _category(self, text: str) -> str:
        if not text:
            return ""
        if self.name == "hs_code":
            try:
                return parse_hs(text)
            except ValueError:
                raise _Bad("bad_hs_code", text) from None
        if self.name == "transport_mode":
            return _MODE_OF.get(normalise_flag(text), text.lower())
        text = " ".join(text.split())
        if self.name in ("origin", "consignment") and len(text) <= 3:
            return text.upper()
        return text

    def append(self, value: object) -> None:
        kind = self.kind
        if kind == "category":
            text = str(value)
            if not text:
                self.codes.append(-1)
            else:
                self.codes.append(self.lookup.setdefault(text, len(self.lookup)))
        elif kind == "flag":
            self.flags.append(bool(value))
        elif kind == "date":
            # int64 minimum is NaT once viewed as datetime64
            days = (value - _EPOCH).days if isinstance(value, date) else -(2**63)
            self.integers.append(days)
        elif kind == "integer":
            self.integers.append(int(value) if isinstance(value, float) else -1)
        else:
            number = value if isinstance(value, float) else math.nan
            self.numbers.append(number)
            if number > self.max_value:
                self.max_value = number

    def build(self) -> np.ndarray | CategoryColumn:
        kind = self.kind
        if kind == "category":
            values = list(self.lookup)
            order = sorted(range(len(values)), key=values.__getitem__)
            remap = np.empty(len(values) + 1, dtype=np.int32)
            remap[np.array(order, dtype=np.int64)] = np.arange(len(values), dtype=np.int32)
            remap[-1] = -1  # code -1 indexes the last slot: stays "empty"
            codes = np.frombuffer(self.codes, dtype=np.int32) if self.codes else \
                np.empty(0, np.int32)
            return CategoryColumn(remap[codes], tuple(values[i] for i in order))
        if kind == "flag":
            return np.frombuffer(bytes(self.flags), dtype=np.uint8).astype(bool)
        if kind == "date":
            return np.array(self.integers, dtype=np.int64).view("datetime64[D]")
        if kind == "integer":
            return np.array(self.integers, dtype=np.int64)
        return np.array(self.numbers, dtype=np.float64)


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
    records = _records(path, opened)
    try:
        _, first, lines = next(records)
    except StopIteration:
        raise DeclarationImportError("empty_file", path=str(path)) from None
    headers = _header(first)
    used = _check_mapping(mapping, headers)
    columns = [_Column(name, header, headers.index(header))
               for name, header in used.items()]
    extra: list[FieldSpec] = []
    if keep:  # other columns kept as the data set's own: parsed like the built-in ones
        from rmdesk.services.extra_columns import plan_extra_columns

        for planned in plan_extra_columns(keep, headers, used):
            extra.append(planned.spec)
            columns.append(_Column(planned.spec.name, planned.header,
                                   headers.index(planned.header), planned.spec.kind))
    width = len(headers)
    keep_values = True  # stops once a bad row means nothing will be imported

    try:
        for line, record, lines in records:
            result.rows_read += 1
            if result.rows_read > MAX_ROWS:
                raise DeclarationImportError("too_many_rows", limit=MAX_ROWS)
            if result.rows_read % CHECK_EVERY == 0:
                if is_cancelled():
                    result.cancelled = True
                    return result
                if progress is not None:
                    progress(min(lines.chars, total), total)
            if len(record) > width and not any(f.strip() for f in record[width:]):
                record = record[:width]  # trailing empty cells, as spreadsheets write
            problems: list[RowProblem] = []
            values: list[object] = []
            if len(record) != width:
                problems.append(RowProblem(line, "", "wrong_field_count",
                                           {"found": len(record), "expected": width}))
            else:
                for column in columns:
                    try:
                        values.append(column.parse(record[column.index], decimal_comma))
                    except _Bad as bad:
                        problems.append(RowProblem(line, column.header, bad.code,
                                                   {"value": _shorten(bad.value)}))
            if problems:
                result.bad_rows += 1
                room = MAX_LISTED_PROBLEMS - len(result.problems)
                if room > 0:
                    result.problems.extend(problems[:room])
                if not skip_bad_rows:
                    keep_values = False
                continue
            if keep_values:
                for column, value in zip(columns, values, strict=True):
                    column.append(value)
    finally:
        records.close()

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
    result.table = _build_table(columns, result, extra)
    return result


def _shorten(text: str, limit: int = 40) -> str:
    """A cell as a message quotes it: on one line, and not too long."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _build_table(columns: list[_Column], result: ImportResult,
                 extra: Sequence[FieldSpec] = ()) -> DeclarationTable:
    arrays: dict[str, np.ndarray] = {}
    categories: dict[str, CategoryColumn] = {}
    for column in columns:
        data = column.build()
        if isinstance(data, CategoryColumn):
            categories[column.name] = data
            continue
        if column.name in SCORES and column.max_value > 1:
            data = data / 100.0
            result.notes.append(ImportNote("scores_rescaled", {"column": column.header}))
        arrays[column.name] = data
    numbers = categories["declaration_no"]
    if "item_no" not in arrays:
        arrays["item_no"] = _number_items(numbers)
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
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    numbers = np.empty(len(codes), dtype=np.int64)
    numbers[order] = np.arange(len(codes)) - run_start + 1
    return numbers

