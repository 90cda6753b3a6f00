"""Spreadsheets written by the tests themselves (no binary files from outside): XLSX and
ODS as zip archives of XML, with typed cells, several sheets, formulas with their cached
values, and whatever a hostile file may add."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

Cell = object  # str, int, float, bool, date, datetime, None, or Formula


class Formula:
    """A formula cell with the value the spreadsheet program saved with it."""

    def __init__(self, formula: str, cached: object) -> None:
        self.formula, self.cached = formula, cached


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_cell(ref: str, value: Cell) -> str:
    formula = ""
    if isinstance(value, Formula):
        formula = f"<f>{escape(value.formula)}</f>"
        value = value.cached
    if value is None:
        return f'<c r="{ref}">{formula}</c>' if formula else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b">{formula}<v>{int(value)}</v></c>'
    if isinstance(value, datetime | date):
        # Excel's serial day number, with the date style (s="1": numFmtId 14)
        base = datetime(1899, 12, 30)
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month,
                                                                    value.day)
        serial = (moment - base).total_seconds() / 86400
        return f'<c r="{ref}" s="1">{formula}<v>{serial!r}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}">{formula}<v>{value!r}</v></c>'
    kind = "str" if formula else "inlineStr"
    if formula:
        return f'<c r="{ref}" t="str">{formula}<v>{escape(str(value))}</v></c>'
    return f'<c r="{ref}" t="{kind}"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[Cell]], first_row: int = 1) -> str:
    body = []
    for r, row in enumerate(rows, start=first_row):
        cells = "".join(_xlsx_cell(f"{column_letters(c)}{r}", v) for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(body)}</sheetData></worksheet>')


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Cell]]],
               hidden: Sequence[str] = (), raw_sheets: dict[str, str] | None = None,
               extra: dict[str, bytes] | None = None, *, styles: str | None = None,
               shared_strings: str | None = None, date1904: bool = False) -> Path:
    """sheets: name -> rows. raw_sheets: name -> sheet XML written as it is. styles and
    shared_strings: the XML of xl/styles.xml and xl/sharedStrings.xml (default: one date
    style, s="1", and no shared strings); date1904: the workbook counts days from 1904."""
    raw_sheets = raw_sheets or {}
    names = list(sheets) + [n for n in raw_sheets if n not in sheets]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    entries = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"'
        + (' state="hidden"' if n in hidden else "") + "/>" for i, n in enumerate(names))
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" '
                f'xmlns:r="{rel}">{pr}<sheets>{entries}</sheets></workbook>')
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{rel}/worksheet" '
        f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names)))
    rels += (f'<Relationship Id="rId{len(names) + 1}" Type="{rel}/styles" '
             'Target="styles.xml"/>')
    if shared_strings is not None:
        rels += (f'<Relationship Id="rId{len(names) + 2}" Type="{rel}/sharedStrings" '
                 'Target="sharedStrings.xml"/>')
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(len(names)))
    if shared_strings is not None:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
        'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>')
    styles = styles or (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}">'
              '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
              '</cellXfs></styleSheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels",
                         f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
                         f'xmlns="{pkg}">{rels}</Relationships>')
        archive.writestr("xl/styles.xml", styles)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for i, name in enumerate(names):
            xml = raw_sheets.get(name) or sheet_xml(sheets[name])
            archive.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)
        for member, data in (extra or {}).items():
            archive.writestr(member, data)
    return path


def _ods_cell(value: Cell) -> str:
    formula = ""
    if isinstance(value, Formula):
        formula = f' table:formula="of:={escape(value.formula)}"'
        value = value.cached
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
        return (f'<table:table-cell{formula} office:value-type="boolean" '
                f'office:boolean-value="{str(value).lower()}"><text:p>{text}</text:p>'
                "</table:table-cell>")
    if isinstance(value, datetime | date):
        iso = value.isoformat()
        return (f'<table:table-cell{formula} office:value-type="date" '
                f'office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>')
    if isinstance(value, int | float):
        return (f'<table:table-cell{formula} office:value-type="float" '
                f'office:value="{value!r}"><text:p>{value}</text:p></table:table-cell>')
    return (f'<table:table-cell{formula} office:value-type="string"><text:p>'
            f"{escape(str(value))}</text:p></table:table-cell>")


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')


def ods_table(name: str, rows: Sequence[Sequence[Cell]], tail: str = "") -> str:
    body = "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row)
                   + "</table:table-row>" for row in rows)
    return f'<table:table table:name="{escape(name)}">{body}{tail}</table:table>'


def write_ods(path: Path, sheets: dict[str, Sequence[Sequence[Cell]]],
              raw_tables: str = "", trailing_empty_rows: int = 1_048_000) -> Path:
    """Like LibreOffice, each sheet ends with a million repeated empty rows."""
    tail = (f'<table:table-row table:number-rows-repeated="{trailing_empty_rows}">'
            '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
            if trailing_empty_rows else "")
    tables = "".join(ods_table(n, rows, tail) for n, rows in sheets.items()) + raw_tables
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}>'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest,
                         compress_type=zipfile.ZIP_DEFLATED)
    return path
