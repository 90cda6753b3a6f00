"""A CSV import kept as a data set and read back, and the import's fix for whole numbers
too large to store."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rmdesk.domain.declarations import CategoryColumn
from rmdesk.services.datasets import DatasetService
from rmdesk.services.declaration_import import import_csv, render_problem, suggest_mapping


def test_imported_csv_survives_the_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_text(
        "Declaration number,Item,Date,Importer,HS code,Transhipment,Containers,"
        "Gross weight (kg),Offence\n"
        "25VD1,1,2025-03-14,Acme SA,8703.23,yes,2,1200.5,none\n"
        "25VD1,2,2025-03-14,Acme SA,640411,no,,10,undervaluation\n"
        "25VD2,1,15/03/2025,Café Ñandú,300490,no,1,,\n", encoding="utf-8")
    headers = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    result = import_csv(path, suggest_mapping(headers))
    assert result.problems == [] and result.table is not None
    service = DatasetService(tmp_path / "data")
    info = service.save_dataset(result.table, "Extract", str(path))
    assert info.has_outcome  # derived from the offence column
    loaded = DatasetService(tmp_path / "data").load_dataset(info.id)
    for name, column in result.table.columns.items():
        other = loaded.column(name)
        if isinstance(column, CategoryColumn):
            assert other.decode() == column.decode(), name
        else:
            np.testing.assert_array_equal(other, column)
            assert other.dtype == column.dtype, name
    assert loaded.column("importer").decode()[2] == "Café Ñandú"
    assert loaded.column("non_compliant").tolist() == [False, True, False]


def test_whole_numbers_too_large_are_a_row_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("Declaration number,Item,HS code,Containers\n"
                    "A,100000000000000000000,870323,1\n"
                    "B,1,870323,99999999999999999999999\n"
                    "C,2,870323,3\n", encoding="utf-8")
    mapping = {"declaration_no": "Declaration number", "item_no": "Item",
               "hs_code": "HS code", "containers": "Containers"}
    result = import_csv(path, mapping)
    assert result.table is None
    assert [render_problem(p, lambda s: s) for p in result.problems] == [
        "Line 2, column “Item”: “100000000000000000000” is too large.",
        "Line 3, column “Containers”: “99999999999999999999999” is too large."]
    skipped = import_csv(path, mapping, skip_bad_rows=True)
    assert skipped.table is not None and skipped.rows_imported == 1
    assert skipped.table.column("containers").tolist() == [3]
