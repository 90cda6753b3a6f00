"""Importing facilitators' declarations from CSV: forms a real extract comes in, exact
problem reports (physical lines), nothing half-imported, and hostile files refused."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from rmdesk.domain.declaration_gen import generate_declarations
from rmdesk.domain.declarations import FIELDS, CategoryColumn, DeclarationTable
from rmdesk.services import declaration_import as di
from rmdesk.services.declaration_import import (
    DeclarationImportError,
    RowProblem,
    import_csv,
    parse_date,
    parse_flag,
    parse_hs,
    parse_number,
    read_csv_header,
    render_note,
    render_problem,
    suggest_mapping,
)

ENGLISH = ("Declaration number", "Item", "Date", "HS code", "Description", "Origin",
           "Gross weight (kg)", "Quantity", "Declared value (USD)", "Transport mode")
MAPPING = {
    "declaration_no": "Declaration number", "item_no": "Item", "date": "Date",
    "hs_code": "HS code", "description": "Goods description", "origin": "Origin",
    "gross_weight": "Gross weight (kg)", "quantity": "Quantity",
    "declared_value": "Declared value (USD)", "transport_mode": "Transport mode",
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def values(table: DeclarationTable, name: str) -> list[object]:
    column = table.column(name)
    return column.decode() if isinstance(column, CategoryColumn) else column.tolist()


def codes(problems: list[RowProblem]) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.code) for p in problems]


def refused(path: Path, code: str, mapping: dict[str, str] | None = None) -> DeclarationImportError:
    with pytest.raises(DeclarationImportError) as caught:
        if mapping is None:
            read_csv_header(path)
        else:
            import_csv(path, mapping)
    assert caught.value.code == code
    assert "{" not in caught.value.render(lambda s: s)  # every placeholder filled
    return caught.value


# -- clean files ------------------------------------------------------------------------


def test_clean_comma_file(tmp_path: Path) -> None:
    path = write(tmp_path / "en.csv", (
        "Declaration number,Item,Date,HS code,Goods description,Origin,Gross weight (kg),"
        "Quantity,Declared value (USD),Transport mode\n"
        '25VD0000001,1,2025-03-14,8703.23,"Used cars, petrol",jp,"1,234.5",2,"12,500.00",Sea\n'
        "25VD0000001,2,2025-03-14,870322,Used cars,JP,1100,1,4500.5,sea\n"
        "25VD0000002,1,2025-03-15T08:30:00,64041100,Trainers,CN,12.5,20,180,Air\n"
    ))
    preview = read_csv_header(path)
    assert preview.delimiter == "," and preview.encoding == "utf-8"
    assert len(preview.rows) == 3 and preview.notes == ()
    assert suggest_mapping(preview.headers) == MAPPING
    result = import_csv(path, MAPPING)
    assert result.problems == [] and result.rows_read == result.rows_imported == 3
    table = result.table
    assert table is not None and len(table) == 3
    assert values(table, "hs_code") == ["870323", "870322", "640411"]
    assert values(table, "description")[0] == "Used cars, petrol"
    assert values(table, "origin") == ["JP", "JP", "CN"]
    assert values(table, "transport_mode") == ["sea", "sea", "air"]
    assert values(table, "gross_weight") == [1234.5, 1100.0, 12.5]
    assert values(table, "declared_value") == [12500.0, 4500.5, 180.0]
    assert values(table, "item_no") == [1, 2, 1]
    assert table.column("date").dtype == np.dtype("datetime64[D]")
    assert [str(d) for d in table.column("date")] == ["2025-03-14", "2025-03-14", "2025-03-15"]
    np.testing.assert_allclose(table.column("unit_value"), [6250.0, 4500.5, 9.0])
    assert not table.has_outcome()  # no outcome column: the exercise cannot score it


def test_semicolon_file_with_bom_and_decimal_commas(tmp_path: Path) -> None:
    path = write(tmp_path / "es.csv", (
        "Nº de declaración;Ítem;Fecha;Código SA;País de origen;Peso bruto;Cantidad;"
        "Valor declarado;Resultado;Puntaje importador\r\n"
        "25VD001;1;14/03/2025;8703.23;JP;1 234,5;2;12.500,00;sí;0,85\r\n"
        "25VD001;2;14.03.2025;870322;KT;1.100;1;4,5;no;85\r\n"
        "\r\n"  # a blank line is not a row
        "25VD002;1;15-03-2025;640411;Kestria;0,5;3;1234,56;No;\r\n"
    ), encoding="utf-8-sig")
    preview = read_csv_header(path)
    assert (preview.delimiter, preview.encoding) == (";", "utf-8-sig")
    assert preview.headers[0] == "Nº de declaración"
    mapping = suggest_mapping(preview.headers)
    assert mapping["declaration_no"] == "Nº de declaración"
    assert mapping["non_compliant"] == "Resultado"
    result = import_csv(path, mapping)
    assert result.problems == [], [render_problem(p, str) for p in result.problems]
    table = result.table
    assert table is not None and table.has_outcome()
    assert values(table, "gross_weight") == [1234.5, 1100.0, 0.5]
    assert values(table, "declared_value") == [12500.0, 4.5, 1234.56]
    assert values(table, "non_compliant") == [True, False, False]
    assert values(table, "origin") == ["JP", "KT", "Kestria"]
    assert [str(d) for d in table.column("date")] == ["2025-03-14"] * 2 + ["2025-03-15"]
    # one score written as a percentage: the column is read as percentages
    assert values(table, "importer_compliance")[:2] == [0.0085, 0.85]
    assert np.isnan(table.column("importer_compliance")[2])
    assert "scores_rescaled" in [n.code for n in result.notes]


def test_tab_separated_windows_1252_file(tmp_path: Path) -> None:
    path = write(tmp_path / "fr.txt", (
        "Numéro de déclaration\tArticle\tCode SH\tOrigine\tValeur déclarée (USD)\tQuantité\n"
        "25VD9\t1\t690721\tKT\t1500,5\t10\n"
        "25VD9\t2\t690722\tKT\t99\t3\n"
    ), encoding="cp1252")
    preview = read_csv_header(path)
    assert (preview.delimiter, preview.encoding) == ("\t", "cp1252")
    assert [n.code for n in preview.notes] == ["encoding_fallback"]
    assert preview.headers[0] == "Numéro de déclaration"  # accents read right
    mapping = suggest_mapping(preview.headers)
    result = import_csv(path, mapping)
    assert result.table is not None
    assert values(result.table, "declared_value") == [1500.5, 99.0]
    assert "encoding_fallback" in [n.code for n in result.notes]


def test_excel_unicode_text_utf16(tmp_path: Path) -> None:
    path = write(tmp_path / "unicode.txt", "Declaración\tSH\nA\t870323\n", encoding="utf-16")
    preview = read_csv_header(path)
    assert (preview.encoding, preview.delimiter) == ("utf-16", "\t")
    result = import_csv(path, suggest_mapping(preview.headers))
    assert result.table is not None and values(result.table, "hs_code") == ["870323"]


def test_items_are_numbered_and_the_outcome_derived_when_missing(tmp_path: Path) -> None:
    path = write(tmp_path / "min.csv", (
        "declaration,hs,offence\nA,870323,undervaluation\nB,640411,none\nA,870322,\n"
    ))
    mapping = suggest_mapping(read_csv_header(path).headers)
    assert mapping == {"declaration_no": "declaration", "hs_code": "hs", "offence": "offence"}
    result = import_csv(path, mapping)
    assert result.table is not None
    assert values(result.table, "item_no") == [1, 1, 2]
    assert values(result.table, "non_compliant") == [True, False, False]
    assert {"items_numbered", "outcome_derived"} <= {n.code for n in result.notes}


def test_the_generated_data_survive_a_round_trip(tmp_path: Path) -> None:
    table = generate_declarations(300, seed=4)
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([f.name for f in FIELDS])
        columns = [values(table, f.name) for f in FIELDS]
        for row in zip(*columns, strict=True):
            writer.writerow([str(v) for v in row])
    mapping = suggest_mapping(read_csv_header(path).headers)
    assert mapping == {f.name: f.name for f in FIELDS}
    result = import_csv(path, mapping)
    assert result.table is not None, result.problems[:3]
    for spec in FIELDS:
        mine, theirs = values(result.table, spec.name), values(table, spec.name)
        if spec.kind == "number":
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, err_msg=spec.name)
        else:
            assert mine == theirs, spec.name


# -- mapping suggestions ----------------------------------------------------------------


@pytest.mark.parametrize(("headers", "expected"), [
    (("Número de declaración", "Fecha de registro", "Partida arancelaria", "País de origen",
      "País de procedencia", "Peso bruto (kg)", "Valor en aduana", "Modo de transporte",
      "Agente de aduanas", "Tipo de infracción"),
     {"declaration_no": "Número de declaración", "date": "Fecha de registro",
      "hs_code": "Partida arancelaria", "origin": "País de origen",
      "consignment": "País de procedencia", "gross_weight": "Peso bruto (kg)",
      "declared_value": "Valor en aduana", "transport_mode": "Modo de transporte",
      "declarant": "Agente de aduanas", "offence": "Tipo de infracción"}),
    (("Nº DI", "Adição", "Data de registro", "NCM", "Origem", "Procedência", "Peso bruto",
      "Quantidade", "Valor aduaneiro", "Despachante", "Frete", "Regime aduaneiro"),
     {"declaration_no": "Nº DI", "item_no": "Adição", "date": "Data de registro",
      "hs_code": "NCM", "origin": "Origem", "consignment": "Procedência",
      "gross_weight": "Peso bruto", "quantity": "Quantidade",
      "declared_value": "Valor aduaneiro", "declarant": "Despachante", "freight": "Frete",
      "procedure": "Regime aduaneiro"}),
    (("N° de déclaration", "Date d'enregistrement", "Code SH", "Pays d'origine",
      "Pays de provenance", "Poids brut", "Valeur déclarée (USD)", "Importateur",
      "Prix unitaire", "Résultat du contrôle"),
     {"declaration_no": "N° de déclaration", "date": "Date d'enregistrement",
      "hs_code": "Code SH", "origin": "Pays d'origine", "consignment": "Pays de provenance",
      "gross_weight": "Poids brut", "declared_value": "Valeur déclarée (USD)",
      "importer": "Importateur", "unit_value": "Prix unitaire",
      "non_compliant": "Résultat du contrôle"}),
    (("SH", "Código SA", "Origen"), {"hs_code": "SH", "origin": "Origen"}),
    (("Remarks", "Colour", ""), {}),
])
def test_mapping_suggestions(headers: tuple[str, ...], expected: dict[str, str]) -> None:
    assert suggest_mapping(headers) == expected


# -- bad rows ---------------------------------------------------------------------------

BROKEN = (
    "Declaration number,Item,Date,HS code,Goods description,Origin,Gross weight (kg),"
    "Quantity,Declared value (USD),Transport mode\n"
    '25VD1,1,2025-01-02,870323,"Used car,\nleft-hand drive",JP,1200,1,8000,sea\n'  # lines 2-3
    "25VD1,2,2025-13-02,870323,Used car,JP,1200,1,8000,sea\n"  # 4: no 13th month
    "25VD2,1,2025-01-03,8703,Car,JP,heavy,1,-5,sea\n"  # 5: three problems
    "25VD3,1,2025-01-03,640411,Trainers,CN,10,2.5,100,post,extra\n"  # 6: eleven fields
    ',1,2025-01-04,640411,"Trainers\n\nin boxes",CN,10,2,100,post\n'  # 7-9: no number
    "25VD4,1,04/01/2025,640411,Trainers,CN,10,2,100,post\n"  # 10: fine
)


def test_a_broken_file_lists_every_bad_row_and_imports_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.csv", BROKEN)
    result = import_csv(path, MAPPING)
    assert result.table is None
    assert codes(result.problems) == [
        (4, "Date", "not_a_date"),
        (5, "HS code", "bad_hs_code"),
        (5, "Gross weight (kg)", "not_a_number"),
        (5, "Declared value (USD)", "negative_value"),
        (6, "", "wrong_field_count"),
        (7, "Declaration number", "required_missing"),
    ]
    assert (result.rows_read, result.bad_rows, result.rows_imported) == (6, 4, 0)
    texts = [render_problem(p, lambda s: s) for p in result.problems]
    assert texts[0] == "Line 4, column “Date”: “2025-13-02” is not a date (write 2025-03-14, " \
        "14/03/2025 or 14.03.2025)."
    assert texts[2] == "Line 5, column “Gross weight (kg)”: “heavy” is not a number."
    assert texts[4] == "Line 6: expected 10 fields, found 11."


def test_skipping_bad_rows_imports_the_others(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.csv", BROKEN)
    result = import_csv(path, MAPPING, skip_bad_rows=True)
    assert result.table is not None
    assert values(result.table, "declaration_no") == ["25VD1", "25VD4"]
    assert values(result.table, "description") == ["Used car, left-hand drive", "Trainers"]
    assert (result.rows_imported, result.rows_skipped) == (2, 4)
    assert len(result.problems) == 6  # still reported


def test_a_file_of_bad_rows_only_imports_nothing_even_when_skipping(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "declaration,hs\nA,12\nB,xyz\n")
    result = import_csv(path, {"declaration_no": "declaration", "hs_code": "hs"},
                        skip_bad_rows=True)
    assert result.table is None and result.bad_rows == 2
    assert [n.code for n in result.notes] == ["no_valid_rows"]


def test_problem_lists_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(di, "MAX_LISTED_PROBLEMS", 3)
    path = write(tmp_path / "bad.csv", "declaration,hs\n" + "A,1\n" * 10)
    result = import_csv(path, {"declaration_no": "declaration", "hs_code": "hs"})
    assert len(result.problems) == 3 and result.bad_rows == 10
    note = next(n for n in result.notes if n.code == "problems_truncated")
    assert render_note(note, lambda s: s) == \
        "Only the first 3 problems are listed; rows with further problems: 7."


def test_problems_are_rendered_through_the_translator() -> None:
    problem = RowProblem(3, "Peso", "not_a_number", {"value": "abc"})
    assert render_problem(problem, lambda s: "» " + s) == \
        "» Line 3, column “Peso”: “abc” is not a number."
    broken = RowProblem(3, "Peso", "not_a_number", {})  # a missing parameter must not crash
    assert "not a number" in render_problem(broken, lambda s: s)
    error = DeclarationImportError("required_field_unmapped", field="hs_code")
    assert error.render(lambda s: s) == "Choose the column that holds HS code."
    assert str(error) == "Choose the column that holds HS code."


# -- values -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "decimal_comma", "expected"), [
    ("1234.56", False, 1234.56), ("1 234,56", False, 1234.56), ("1,234.56", False, 1234.56),
    ("1.234,56", True, 1234.56), ("1234,56", True, 1234.56), ("1\u00a0234", True, 1234.0),
    ("1,234", False, 1234.0), ("1,234", True, 1.234), ("1.234", True, 1234.0),
    ("1.234", False, 1.234), ("0.500", True, 0.5), ("1,234,567", True, 1234567.0),
    ("-12", False, -12.0), ("+3", False, 3.0), (".5", False, 0.5), ("2e3", False, 2000.0),
])
def test_numbers(text: str, decimal_comma: bool, expected: float) -> None:
    assert parse_number(text, decimal_comma) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2.3", "12-", "nan", "inf", "1e999",
                                  "1,23,4", "$12"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_dates_flags_and_hs_codes() -> None:
    assert str(parse_date("2025-03-14")) == "2025-03-14"
    assert str(parse_date("14/03/2025")) == str(parse_date("14.03.2025")) == "2025-03-14"
    assert str(parse_date("2025-03-14 10:22")) == "2025-03-14"
    for bad in ("03/14/2025", "2025-02-30", "14/03/25", "yesterday", "0001-01-01"):
        with pytest.raises(ValueError):
            parse_date(bad)
    for yes in ("yes", "Sí", "SIM", "oui", "1", "true", "X"):
        assert parse_flag(yes) is True
    for no in ("no", "Não", "non", "0", "false", ""):
        assert parse_flag(no) is False
    with pytest.raises(ValueError):
        parse_flag("maybe")
    assert parse_hs("8703.23") == parse_hs("8703 23 10") == parse_hs("87032310") == "870323"
    for bad in ("8703", "87A323", ""):
        with pytest.raises(ValueError):
            parse_hs(bad)


# -- hostile files ----------------------------------------------------------------------


def test_binary_files_are_refused(tmp_path: Path) -> None:
    refused(write_bytes(tmp_path / "nul.csv", b"PK\x03\x04" + bytes(range(256)) * 40),
            "not_text")
    controls = bytes(b % 32 for b in range(1, 4000) if b % 32 not in (0, 9, 10, 13))
    refused(write_bytes(tmp_path / "ctl.csv", controls), "not_text")
    # undefined in Windows-1252 and invalid UTF-8
    refused(write_bytes(tmp_path / "bad.csv", b"a,b\n\x81\x8d,\x90\n"), "not_text")


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_empty_and_header_only_files_are_refused(tmp_path: Path) -> None:
    refused(write(tmp_path / "empty.csv", ""), "empty_file")
    refused(write(tmp_path / "blank.csv", "\n \r\n\t\n"), "empty_file")
    header_only = write(tmp_path / "header.csv", "declaration,hs\n\n")
    refused(header_only, "no_data_rows")
    refused(header_only, "no_data_rows", {"declaration_no": "declaration", "hs_code": "hs"})
    # rows of empty cells, as spreadsheets write them, are blank lines too
    refused(write(tmp_path / "cells.csv", ";;\n;;\nA;B\n;;\n"), "no_data_rows")


def test_missing_file(tmp_path: Path) -> None:
    refused(tmp_path / "nowhere.csv", "file_unreadable")


def test_oversize_and_overlong_files_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "rows.csv", "declaration,hs\n" + "A,870323\n" * 5)
    mapping = {"declaration_no": "declaration", "hs_code": "hs"}
    monkeypatch.setattr(di, "MAX_ROWS", 4)
    error = refused(path, "too_many_rows", mapping)
    assert "4" in error.render(lambda s: s)
    monkeypatch.setattr(di, "MAX_FILE_BYTES", 40)
    error = refused(path, "file_too_large")
    assert error.params["limit_mb"] == 0 and error.params["path"] == str(path)


def test_duplicate_headers_are_refused(tmp_path: Path) -> None:
    error = refused(write(tmp_path / "dup.csv", "HS,Origin,HS\n870323,JP,870322\n"),
                    "duplicate_header")
    assert error.render(lambda s: s) == \
        "Two columns are headed “HS”. Give each column its own name and try again."


def test_giant_fields_are_refused(tmp_path: Path) -> None:
    # 1 MB in one field: beyond what the csv module itself accepts
    big = write(tmp_path / "big.csv", 'declaration,hs\nA,"' + "x" * 1_000_000 + '"\n')
    error = refused(big, "field_too_long")
    assert error.params["line"] == 2
    # 20,000 characters: within csv's limit, beyond ours
    long = write(tmp_path / "long.csv", "declaration,hs\nA,870323\nB," + "9" * 20_000 + "\n")
    assert refused(long, "field_too_long", {"declaration_no": "declaration",
                                            "hs_code": "hs"}).params["line"] == 3
    # an unclosed quote swallows the rest of the file into one field
    open_quote = write(tmp_path / "quote.csv",
                       'declaration,hs\nA,"870323\n' + "B,870323\n" * 20_000)
    refused(open_quote, "field_too_long", {"declaration_no": "declaration", "hs_code": "hs"})


def test_too_many_columns(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(600))
    refused(write(tmp_path / "wide.csv", header + "\n" + "1," * 599 + "1\n"),
            "too_many_columns")


def test_bad_mappings_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "ok.csv", "declaration,hs\nA,870323\n")
    refused(path, "unknown_header", {"declaration_no": "declaration", "hs_code": "HS code"})
    refused(path, "unknown_field", {"declaration_no": "declaration", "hs_code": "hs",
                                    "colour": "hs"})
    error = refused(path, "required_field_unmapped", {"declaration_no": "declaration"})
    assert error.params["field"] == "hs_code"
    # an empty choice in the dialog means "not mapped"
    result = import_csv(path, {"declaration_no": "declaration", "hs_code": "hs",
                               "origin": ""})
    assert result.table is not None and "origin" not in result.table.columns


# -- cancellation and progress ----------------------------------------------------------


def test_cancelling_returns_no_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(di, "CHECK_EVERY", 10)
    path = write(tmp_path / "many.csv", "declaration,hs\n" + "A,870323\n" * 100)
    mapping = {"declaration_no": "declaration", "hs_code": "hs"}
    seen: list[tuple[int, int]] = []
    calls = iter(range(1000))
    result = import_csv(path, mapping, is_cancelled=lambda: next(calls) >= 3,
                        progress=lambda done, total: seen.append((done, total)))
    assert result.cancelled and result.table is None
    assert 30 <= result.rows_read < 100
    assert seen and all(0 < done <= total for done, total in seen)
    finished: list[tuple[int, int]] = []
    result = import_csv(path, mapping, progress=lambda d, t: finished.append((d, t)))
    assert result.table is not None and not result.cancelled
    assert finished[-1][0] == finished[-1][1] == path.stat().st_size
    assert [d for d, _ in finished] == sorted(d for d, _ in finished)
