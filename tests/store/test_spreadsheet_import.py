"""Declarations from XLSX and ODS: the same preview, mapping, bad-row report and table as
CSV; typed cells read as what they are; the sheet chosen; formulas' saved values used and
never evaluated; hostile archives refused before the reader sees them."""

from __future__ import annotations

import csv
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.spreadsheet_files import Formula, sheet_xml, write_ods, write_xlsx

from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.services import spreadsheets
from rmdesk.services.datasets import DatasetService
from rmdesk.services.declaration_import import (
    DeclarationImportError,
    import_csv,
    read_csv_header,
    render_problem,
    suggest_mapping,
)

HEADER = ["Declaration number", "Date", "HS code", "Origin", "Declared value (USD)",
          "Transhipment", "Non-compliant"]
MAPPING = {"declaration_no": "Declaration number", "date": "Date", "hs_code": "HS code",
           "origin": "Origin", "declared_value": "Declared value (USD)",
           "transhipment": "Transhipment", "non_compliant": "Non-compliant"}
WRITERS = {"xlsx": lambda p, sheets: write_xlsx(p, sheets),
           "ods": lambda p, sheets: write_ods(p, sheets)}


def typed_rows() -> list[list[object]]:
    return [
        HEADER,
        ["25VD1", datetime(2025, 3, 14), 870323, "jp", 12500.5, True, False],
        ["25VD2", date(2025, 3, 15), "6404.11", "CN", 180, False, True],
        ["25VD3", date(2024, 12, 31), 30049000, "IN", 0.25, False, False],
    ]


def values(table: DeclarationTable, name: str) -> list[object]:
    column = table.column(name)
    return column.decode() if isinstance(column, CategoryColumn) else column.tolist()


def refused(path: Path, code: str, sheet: str | None = None) -> DeclarationImportError:
    with pytest.raises(DeclarationImportError) as caught:
        read_csv_header(path, sheet)
    assert caught.value.code == code
    assert "{" not in caught.value.render(lambda s: s)
    return caught.value


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_typed_cells_are_read_as_what_they_are(tmp_path: Path, kind: str) -> None:
    path = WRITERS[kind](tmp_path / f"extract.{kind}", {"Declarations": typed_rows()})
    preview = read_csv_header(path)
    assert preview.headers == tuple(HEADER) and preview.sheet == "Declarations"
    assert preview.sheets == ("Declarations",) and len(preview.rows) == 3
    assert suggest_mapping(preview.headers) == MAPPING
    result = import_csv(path, MAPPING)
    assert result.problems == [] and result.table is not None and result.sheet
    table = result.table
    assert values(table, "declaration_no") == ["25VD1", "25VD2", "25VD3"]
    # a date cell is a date whatever the locale shows; a number cell keeps its decimals
    assert table.column("date").astype(str).tolist() == ["2025-03-14", "2025-03-15",
                                                         "2024-12-31"]
    assert values(table, "hs_code") == ["870323", "640411", "300490"]
    assert table.column("declared_value").tolist() == [12500.5, 180.0, 0.25]
    assert table.column("transhipment").tolist() == [True, False, False]
    assert table.column("non_compliant").tolist() == [False, True, False]
    assert values(table, "origin") == ["JP", "CN", "IN"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(
    st.integers(1, 10**9), st.dates(date(1950, 1, 1), date(2090, 12, 31)),
    st.integers(100000, 999999), st.sampled_from(["CN", "JP", "BR", "FR"]),
    st.floats(0, 1e9, allow_nan=False).map(lambda v: round(v, 2)), st.booleans(),
    st.booleans()), min_size=1, max_size=30))
def test_every_format_gives_the_same_table(tmp_path: Path, rows) -> None:
    """Property: a sheet saved as CSV, XLSX and ODS imports to identical columns."""
    typed = [HEADER] + [[f"D{n}", d, hs, o, v, t, c] for n, d, hs, o, v, t, c in rows]
    csv_path = tmp_path / "same.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows([r[0], r[1].isoformat(), r[2], r[3], repr(r[4]),
                          "yes" if r[5] else "no", "yes" if r[6] else "no"]
                         for r in typed[1:])
    tables = [import_csv(csv_path, MAPPING).table]
    for kind, writer in WRITERS.items():
        tables.append(import_csv(writer(tmp_path / f"same.{kind}", {"S": typed}),
                                 MAPPING).table)
    first = tables[0]
    assert first is not None
    for other in tables[1:]:
        assert other is not None and set(other.columns) == set(first.columns)
        for name in first.columns:
            assert values(other, name) == values(first, name), name


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_the_sheet_is_chosen_and_hidden_sheets_are_not_offered(tmp_path: Path,
                                                               kind: str) -> None:
    notes = [["Read me"]]
    sheets = {"Notes": notes, "Extract": typed_rows()}
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "book.xlsx", {**sheets, "Secret": notes},
                          hidden=["Secret"])
    else:
        path = write_ods(tmp_path / "book.ods", sheets)
    first = read_csv_header(path)  # the notes sheet has no rows of data: passed over
    assert first.sheets == ("Notes", "Extract") and first.sheet == "Extract"
    with pytest.raises(DeclarationImportError, match="no data rows"):
        read_csv_header(path, "Notes")  # asked for by name: said plainly
    chosen = read_csv_header(path, "Extract")
    assert chosen.sheet == "Extract" and chosen.headers == tuple(HEADER)
    result = import_csv(path, MAPPING, sheet="Extract")
    assert result.table is not None and result.rows_imported == 3
    error = refused(path, "unknown_sheet", "Nowhere")
    assert "Notes, Extract" in error.render(lambda s: s)


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_bad_cells_name_the_sheet_row_and_column(tmp_path: Path, kind: str) -> None:
    rows = typed_rows()
    rows.insert(2, ["25VD9", "31/02/2025", 64, "CN", "abc", "perhaps", False])
    path = WRITERS[kind](tmp_path / f"bad.{kind}", {"S": rows})
    result = import_csv(path, MAPPING)
    assert result.table is None and result.bad_rows == 1
    assert {(p.line, p.column, p.code) for p in result.problems} == {
        (3, "Date", "not_a_date"), (3, "HS code", "bad_hs_code"),
        (3, "Declared value (USD)", "not_a_number"), (3, "Transhipment", "not_a_flag")}
    assert render_problem(result.problems[0], lambda s: s).startswith("Line 3, column")
    skipped = import_csv(path, MAPPING, skip_bad_rows=True)
    assert skipped.table is not None and skipped.rows_imported == 3


def test_rows_keep_their_sheet_numbers_when_the_data_start_lower(tmp_path: Path) -> None:
    rows = typed_rows()
    rows[2][2] = "12"
    path = write_xlsx(tmp_path / "low.xlsx", {}, raw_sheets={"S": sheet_xml(rows, 5)})
    result = import_csv(path, MAPPING)
    assert [(p.line, p.code) for p in result.problems] == [(7, "bad_hs_code")]


def test_formulas_give_their_saved_values_and_external_links_are_not_followed(
        tmp_path: Path) -> None:
    rows = typed_rows()
    rows[1][4] = Formula("[1]Prices!B2*2", 77.5)  # a link to another workbook
    rows[2][4] = Formula("NOW()", 10.0)  # would change if evaluated
    rows[3][2] = Formula('"3004"&"90"', "300490")
    path = write_xlsx(tmp_path / "formulas.xlsx", {"S": rows}, extra={
        "xl/externalLinks/externalLink1.xml": b'<?xml version="1.0"?><externalLink xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        "xl/externalLinks/_rels/externalLink1.xml.rels": b'<?xml version="1.0"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/externalLinkPath" Target="file:///'
        b'C:/secret/prices.xlsx" TargetMode="External"/></Relationships>'})
    table = import_csv(path, MAPPING).table
    assert table is not None
    assert table.column("declared_value").tolist() == [77.5, 10.0, 0.25]
    assert values(table, "hs_code")[2] == "300490"


def test_ods_formulas_give_their_saved_values(tmp_path: Path) -> None:
    rows = typed_rows()
    rows[1][4] = Formula("[.Z99]*1000", 42.0)
    table = import_csv(write_ods(tmp_path / "f.ods", {"S": rows}), MAPPING).table
    assert table is not None and table.column("declared_value").tolist()[0] == 42.0


def test_a_spreadsheet_import_is_kept_as_a_data_set(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "kept.ods", {"S": typed_rows()})
    result = import_csv(path, MAPPING)
    assert result.table is not None
    service = DatasetService(tmp_path / "data")
    info = service.save_dataset(result.table, "From ODS", str(path))
    assert info.rows == 3 and info.has_outcome and info.source == "kept.ods"
    loaded = service.load_dataset(info.id)
    np.testing.assert_array_equal(loaded.column("declared_value"),
                                  result.table.column("declared_value"))


# -- hostile files ----------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", {"S": typed_rows()},
                      extra={"xl/media/padding.bin": bytes(64 * 1024 * 1024)})
    opened: list[str] = []
    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_path",
                        lambda p: opened.append(p))  # must never be reached
    error = refused(path, "spreadsheet_bomb")
    assert "bomb.xlsx" in error.render(lambda s: s) and opened == []


def test_an_archive_too_large_once_unpacked_is_refused(tmp_path: Path,
                                                       monkeypatch) -> None:
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED", 10_000)
    path = write_ods(tmp_path / "big.ods", {"S": typed_rows() * 40})
    refused(path, "spreadsheet_bomb")


def test_a_member_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "liar.xlsx", {"S": typed_rows()})
    data = bytearray(path.read_bytes())
    # shrink the declared size of the sheet in its central directory entry
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    entry = data.find(b"PK\x01\x02")
    while entry != -1:
        name_len = int.from_bytes(data[entry + 28:entry + 30], "little")
        name = bytes(data[entry + 46:entry + 46 + name_len])
        if name == b"xl/worksheets/sheet1.xml":
            data[entry + 24:entry + 28] = (info.file_size // 4).to_bytes(4, "little")
        entry = data.find(b"PK\x01\x02", entry + 4)
    path.write_bytes(bytes(data))
    refused(path, "spreadsheet_unreadable")


def test_a_sheet_reaching_far_cells_is_refused_before_it_is_built(tmp_path: Path,
                                                                  monkeypatch) -> None:
    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_path",
                        lambda p: pytest.fail("the reader was reached"))
    far_column = sheet_xml(typed_rows()).replace(
        "</sheetData>", '<row r="9"><c r="XFD9"><v>1</v></c></row></sheetData>')
    refused(write_xlsx(tmp_path / "wide.xlsx", {}, raw_sheets={"S": far_column}),
            "too_many_columns")
    far_row = sheet_xml(typed_rows()).replace(
        "</sheetData>", '<row r="1048576"><c r="CV1048576"><v>1</v></c></row></sheetData>')
    refused(write_xlsx(tmp_path / "tall.xlsx", {}, raw_sheets={"T": far_row}),
            "too_many_cells")  # 100 columns by a million rows, though only 8 cells
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 1000)
    refused(write_xlsx(tmp_path / "rows.xlsx", {}, raw_sheets={"T": sheet_xml(
        typed_rows(), first_row=1001)}), "too_many_rows")


def test_ods_repeated_rows_with_values_are_counted(tmp_path: Path) -> None:
    # LibreOffice's trailing million empty rows are fine (write_ods adds them) ...
    assert read_csv_header(write_ods(tmp_path / "fine.ods", {"S": typed_rows()})).rows
    # ... a value repeated on three million rows is not
    repeated = ('<table:table table:name="R"><table:table-row table:number-rows-repeated='
                '"3000000"><table:table-cell office:value-type="float" office:value="1">'
                "<text:p>1</text:p></table:table-cell></table:table-row></table:table>")
    refused(write_ods(tmp_path / "rows.ods", {}, raw_tables=repeated), "too_many_rows")
    wide = ('<table:table table:name="W"><table:table-row><table:table-cell '
            'table:number-columns-repeated="16000" office:value-type="float" '
            'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
            "</table:table>")
    refused(write_ods(tmp_path / "cols.ods", {}, raw_tables=wide), "too_many_columns")


def test_not_a_spreadsheet_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("Declaration number,HS code\n1,870323\n", encoding="utf-8")
    error = refused(path, "spreadsheet_unreadable")
    assert "fake.xlsx" in error.render(lambda s: s)
    refused(write_ods(tmp_path / "empty.ods", {}), "no_sheets")


def test_without_the_reader_the_message_says_how_to_get_it(tmp_path: Path,
                                                           monkeypatch) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", {"S": typed_rows()})
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails
    error = refused(path, "spreadsheet_reader_missing")
    text = error.render(lambda s: s)
    assert 'pip install "rmdesk[spreadsheets]"' in text and "CSV" in text
    # CSV import needs no extra package
    csv_path = tmp_path / "plain.csv"
    csv_path.write_text("Declaration number,HS code\n1,870323\n", encoding="utf-8")
    assert read_csv_header(csv_path).headers == ("Declaration number", "HS code")


def test_the_import_reads_the_sheet_its_preview_loaded_unless_the_file_changed(
        tmp_path: Path, monkeypatch) -> None:
    loads: list[str] = []
    load = spreadsheets._load_sheet
    monkeypatch.setattr(spreadsheets, "_load_sheet",
                        lambda path, sheet: loads.append(path.name) or load(path, sheet))
    path = write_xlsx(tmp_path / "once.xlsx", {"Notes": [["x"]], "S": typed_rows()})
    preview = read_csv_header(path)  # the first sheet has no data rows: "S" is shown
    assert preview.sheet == "S"
    first = import_csv(path, MAPPING, sheet=preview.sheet).table
    assert first is not None and len(loads) == 2  # Notes, then S; the import took S
    # a file saved again between preview and import is read again, and checked again
    read_csv_header(path, "S")
    rows = typed_rows()
    rows[1][0] = "25VD9"
    write_xlsx(path, {"Notes": [["x"]], "S": rows})
    table = import_csv(path, MAPPING, sheet="S").table
    assert table is not None and values(table, "declaration_no")[0] == "25VD9"
    assert len(loads) == 4
    # what a preview kept serves one import only, and can be let go
    read_csv_header(path, "S")
    spreadsheets.release_preview()
    assert import_csv(path, MAPPING, sheet="S").table is not None and len(loads) == 6


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# cellXfs: 0 general, 1 built-in date 14, 2 custom date, 3 custom date and time, 4 a
# number format whose quoted text holds date letters (a number, not a date)
STYLES = (f'<styleSheet xmlns="{MAIN_NS}"><numFmts count="3">'
          '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
          '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/>'
          '<numFmt numFmtId="166" formatCode="#,##0.00&quot; USD paid&quot;"/></numFmts>'
          '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
          '<xf numFmtId="165"/><xf numFmtId="166"/></cellXfs></styleSheet>')
# shared strings as Excel writes them: plain, rich text in runs (with a phonetic reading
# that is not part of the text), an entity
SHARED = (f'<sst xmlns="{MAIN_NS}" count="4" uniqueCount="4"><si><t>25VD1</t></si>'
          '<si><r><t>25V</t></r><r><rPr><b/></rPr><t>D2</t></r><rPh sb="0" eb="1">'
          '<t>x</t></rPh></si><si><t>C&amp;N</t></si><si><t>jp</t></si></sst>')


@pytest.mark.parametrize("date1904", [False, True])
@pytest.mark.parametrize("date_style", [1, 2, 3])
def test_date_cells_shared_strings_and_number_formats_as_excel_saves_them(
        tmp_path: Path, date1904: bool, date_style: int) -> None:
    """A workbook from Excel for Mac counts days from 1904; a custom date format is a
    date like the built-in ones; a format with quoted text stays a number; shared
    strings, rich text included, are the cells' text."""
    epoch = date(1904, 1, 1) if date1904 else date(1899, 12, 30)
    days = [(d - epoch).days for d in (date(2025, 3, 14), date(1999, 12, 31))]
    header = "".join(f'<c r="{letter}1" t="inlineStr"><is><t>{escape(name)}</t></is></c>'
                     for letter, name in zip("ABCDEFG", HEADER, strict=True))
    rows = [f'<row r="1">{header}</row>']
    for r, (number, day, origin, value) in enumerate(
            [(0, days[0], 3, "1250.5"), (1, days[1], 2, "7")], start=2):
        rows.append(
            f'<row r="{r}"><c r="A{r}" t="s"><v>{number}</v></c>'
            f'<c r="B{r}" s="{date_style}"><v>{day}</v></c><c r="C{r}"><v>870323</v></c>'
            f'<c r="D{r}" t="s"><v>{origin}</v></c><c r="E{r}" s="4"><v>{value}</v></c>'
            f'<c r="F{r}" t="b"><v>0</v></c><c r="G{r}" t="b"><v>{r % 2}</v></c></row>')
    sheet = (f'<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(rows)}</sheetData>'
             "</worksheet>")
    path = write_xlsx(tmp_path / "excel.xlsx", {}, raw_sheets={"Declarations": sheet},
                      styles=STYLES, shared_strings=SHARED, date1904=date1904)
    result = import_csv(path, MAPPING)
    assert result.problems == [] and result.table is not None
    table = result.table
    assert table.column("date").astype(str).tolist() == ["2025-03-14", "1999-12-31"]
    assert values(table, "declaration_no") == ["25VD1", "25VD2"]
    assert values(table, "origin") == ["JP", "C&N"]
    assert table.column("declared_value").tolist() == [1250.5, 7.0]
    assert table.column("non_compliant").tolist() == [False, True]
