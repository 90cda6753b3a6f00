"""Read declarations from XLSX and ODS spreadsheets for the import (declaration_import).

The cells are read with python-calamine (an optional extra: `pip install
rmdesk[spreadsheets]`): it reads both formats, never evaluates a formula (a formula cell
gives the value the spreadsheet program saved with it) and does not follow links to other
workbooks. Typed cells become the text the CSV path already understands, so every
check, mapping and bad-row report is shared: a date cell becomes 2025-03-14, a number cell
1234.5 (never a decimal comma), a yes/no cell true/false.

An XLSX or ODS file is a zip archive of XML, which invites zip bombs and sheets that
claim a million rows. Before the reader sees the file, `check_archive` looks at every
member's declared sizes and compression ratio and then inflates each member once with
zipfile (whose CRC check proves the declared size true), scanning the sheet XML for the
extent of its cells (XLSX cell references, ODS repeated rows and cells holding a value).
Anything beyond the limits is refused with a clear error, before any sheet is built in
memory.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from pathlib import Path
from time import monotonic

from rmdesk.services.declaration_import import MAX_COLUMNS, MAX_ROWS, DeclarationImportError

SUFFIXES = (".xlsx", ".xlsm", ".ods")
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # all members of the archive, inflated
MAX_RATIO = 200  # inflated / compressed size of one member (XML of data: 5 to 30)
RATIO_FLOOR = 1024 * 1024  # small members may compress better without harm
MAX_CELLS = 20_000_000  # a dense sheet in the reader: about 32 bytes a cell
_CHUNK = 1 << 20
_XLSX_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_XLSX_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]{1,7})"')
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*)>(.*?)</table:table-row>", re.DOTALL)
_ODS_REPEAT_ROWS = re.compile(rb'number-rows-repeated="([0-9]+)"')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_REPEAT_COLS = re.compile(rb'number-columns-repeated="([0-9]+)"')


def is_spreadsheet(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def reader_missing() -> DeclarationImportError:
    return DeclarationImportError("spreadsheet_reader_missing",
                                  command='pip install "rmdesk[spreadsheets]"')


def _calamine():  # noqa: ANN202 - the module, when installed
    try:
        import python_calamine
    except ImportError:
        raise reader_missing() from None
    return python_calamine


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def check_archive(path: Path) -> None:
    """Refuse archives that would inflate beyond the limits, and sheets whose cells reach
    beyond MAX_ROWS rows, MAX_COLUMNS columns or MAX_CELLS cells."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DeclarationImportError("spreadsheet_unreadable", path=str(path),
                                     reason=str(exc)) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise DeclarationImportError("spreadsheet_bomb", path=str(path))
        total = 0
        for info in members:
            total += info.file_size
            ratio_ok = info.file_size <= RATIO_FLOOR or \
                info.file_size <= MAX_RATIO * max(info.compress_size, 1)
            if total > MAX_UNCOMPRESSED or not ratio_ok:
                raise DeclarationImportError("spreadsheet_bomb", path=str(path))
        for info in members:
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _check_xlsx_sheet(archive, info, path)
            elif name == "content.xml":
                _check_ods_content(archive, info, path)
            else:
                _inflate(archive, info, path, lambda _chunk: None)


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path,
             consume) -> None:  # noqa: ANN001 - a callable taking bytes
    """Inflate one member in chunks; zipfile stops at the declared size and checks the
    CRC, so a member that lies about its size fails here."""
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                consume(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError) as exc:  # RuntimeError: an encrypted member
        raise DeclarationImportError("spreadsheet_unreadable", path=str(path),
                                     reason=str(exc)) from exc


def _too_large(path: Path, rows: int, columns: int) -> None:
    if rows > MAX_ROWS + 1:
        raise DeclarationImportError("too_many_rows", limit=MAX_ROWS)
    if columns > MAX_COLUMNS:
        raise DeclarationImportError("too_many_columns", count=columns, limit=MAX_COLUMNS)
    if rows * columns > MAX_CELLS:
        raise DeclarationImportError("too_many_cells", path=str(path), limit=MAX_CELLS)


def _check_xlsx_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    extent = [0, 0]
    tail = b""

    def consume(chunk: bytes) -> None:
        nonlocal tail
        text = tail + chunk
        cut = text.rfind(b">") + 1  # scan whole tags only; the rest waits for more
        body, tail = text[:cut], text[cut:]
        if len(tail) > _CHUNK:  # no tag is this long in a real sheet
            raise DeclarationImportError("spreadsheet_unreadable", path=str(path),
                                         reason="tag too long")
        # findall and C-level max: a million cells are not a million Python steps
        refs = _XLSX_REF.findall(body)
        if refs:
            letters = set(map(itemgetter(0), refs))  # few: A..J in a sheet of 10 columns
            extent[1] = max(extent[1], *map(_column_number, letters))
            extent[0] = max(extent[0], *map(int, map(itemgetter(1), refs)))
        rows = _XLSX_ROW.findall(body)
        if rows:
            extent[0] = max(extent[0], *map(int, rows))
        _too_large(path, extent[0], extent[1])

    _inflate(archive, info, path, consume)


def _check_ods_content(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """Rows count, repeats included, only up to the last row holding a value: trailing
    empty repeats (LibreOffice writes a million of them) cost nothing."""
    state = {"rows": 0, "pending": 0, "columns": 0}
    tail = b""

    def row_extent(attrs: bytes, body: bytes) -> None:
        repeat = _ODS_REPEAT_ROWS.search(attrs)
        count = int(repeat.group(1)) if repeat else 1
        width = filled_width = 0
        for cell in _ODS_CELL.finditer(body):
            cols = _ODS_REPEAT_COLS.search(cell.group(1))
            span = int(cols.group(1)) if cols else 1
            width += span
            if cell.group(2) != b"/" or b"value" in cell.group(1):
                filled_width = width
        if filled_width:
            state["rows"] += state["pending"] + count
            state["pending"] = 0
            state["columns"] = max(state["columns"], filled_width)
        else:
            state["pending"] += count
        _too_large(path, state["rows"], state["columns"])

    def consume(chunk: bytes) -> None:
        nonlocal tail
        text = tail + chunk
        end = 0
        for match in _ODS_ROW.finditer(text):
            row_extent(match.group(1), match.group(2))
            end = match.end()
        tail = text[end:]
        if len(tail) > 64 * _CHUNK:  # one row of this size is not a declaration
            raise DeclarationImportError("spreadsheet_unreadable", path=str(path),
                                         reason="row too long")

    _inflate(archive, info, path, consume)


def _open_workbook(path: Path):  # noqa: ANN202 - a CalamineWorkbook
    calamine = _calamine()
    check_archive(path)
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - the reader's own errors vary by version
        raise DeclarationImportError("spreadsheet_unreadable", path=str(path),
                                     reason=str(exc)[:200]) from exc


def _visible_sheets(workbook) -> list[str]:  # noqa: ANN001
    names = [m.name for m in workbook.sheets_metadata
             if str(m.visible).endswith(".Visible") and str(m.typ).endswith(".WorkSheet")]
    return names or list(workbook.sheet_names)


def sheet_names(path: Path) -> list[str]:
    """The visible worksheets of the file, in order."""
    workbook = _open_workbook(path)
    try:
        return _visible_sheets(workbook)
    finally:
        workbook.close()


# The sheet the last preview loaded, for the import that follows it (the dialog and the
# command line preview a file, then import it): loading and checking a 200,000-row sheet
# is most of the import's time, and the reader cannot read only the first rows. Taken
# once by the import; dropped when another sheet is previewed, when the file changes
# (size, time or inode) and after a while (a dialog closed without importing).
HANDOFF_SECONDS = 600.0
_handoff_lock = threading.Lock()
_handoff: tuple[tuple[object, ...], str, tuple[str, ...], object, float] | None = None


def _signature(path: Path) -> tuple[object, ...]:
    """The file as it stands: its size, times and inode, and the end of the archive,
    where the directory lists every member's CRC (a file saved again within the clock's
    granularity still differs there)."""
    with path.open("rb") as fh:
        stat = os.fstat(fh.fileno())
        fh.seek(max(stat.st_size - 65536, 0))
        tail = hashlib.sha256(fh.read(65536)).digest()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino, tail)


def _take_handoff(path: Path, sheet: str | None
                  ) -> tuple[str, tuple[str, ...], object] | None:
    global _handoff
    with _handoff_lock:
        entry, _handoff = _handoff, None
    if entry is None:
        return None
    key, name, names, data, when = entry
    try:
        fresh = monotonic() - when < HANDOFF_SECONDS and key == _signature(path)
    except OSError:
        fresh = False
    if fresh and (sheet == name or (sheet is None and names and names[0] == name)):
        return name, names, data
    return None


def release_preview() -> None:
    """Forget the sheet kept for an import (its memory is given back)."""
    global _handoff
    with _handoff_lock:
        _handoff = None


def open_sheet(path: Path, sheet: str | None, *, for_preview: bool = False
               ) -> tuple[str, tuple[str, ...], int, Iterator[tuple[int, list[object]]]]:
    """(sheet read, visible sheets, rows in the sheet, iterator of (row number, cells as
    the reader types them: `cell_text` makes them text)). The first visible sheet unless
    `sheet` names one. The reader holds the whole sheet in memory (python-calamine cannot
    stream: dimastbk/python-calamine#42); the rows become Python objects one at a time.
    A preview keeps the sheet it loaded for the import of the same unchanged file."""
    global _handoff
    kept = _take_handoff(path, sheet)
    if kept is not None:
        sheet, names, data = kept
    else:
        sheet, names, data = _load_sheet(path, sheet)
    if for_preview:
        try:
            key = _signature(path)
        except OSError:
            key = None
        if key is not None:
            with _handoff_lock:
                _handoff = (key, sheet, names, data, monotonic())
    # iter_rows starts at the sheet's first row even when the data start lower (the
    # leading rows come empty), so row numbers are the sheet's own.
    last_row = data.end[0] + 1 if data.end else 0  # type: ignore[attr-defined]
    return sheet, names, last_row, enumerate(data.iter_rows(), start=1)  # type: ignore


def _load_sheet(path: Path, sheet: str | None) -> tuple[str, tuple[str, ...], object]:
    """Check the archive, then load the sheet whole; the file is closed afterwards."""
    workbook = _open_workbook(path)
    try:
        names = tuple(_visible_sheets(workbook))
        if not names:
            raise DeclarationImportError("no_sheets", path=str(path))
        sheet = sheet or names[0]
        if sheet not in workbook.sheet_names:
            raise DeclarationImportError("unknown_sheet", sheet=sheet,
                                         sheets=", ".join(names))
        return sheet, names, workbook.get_sheet_by_name(sheet)
    except DeclarationImportError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise DeclarationImportError("spreadsheet_unreadable", path=str(path),
                                     reason=str(exc)[:200]) from exc
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A typed cell as the text the import parses: ISO dates, '.' decimals, no grouping."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else \
            value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (time, timedelta)):
        return str(value)
    return str(value)
