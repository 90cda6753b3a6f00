"""`rmdesk data import --keep-other-columns / --keep` and `rmdesk data list` with a data
set's own columns: what a facilitator scripting the laptops sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rmdesk.app import main
from rmdesk.services.datasets import DatasetService
from rmdesk.store.database import open_store

HEADER = ["N° déclaration", "HS code", "Offence found", "Office", "Tax rate", "Paid on",
          "Prepaid"]
ROWS = [
    ["25VD1", "870323", "none", "001", "5,5", "14/03/2025", "sí"],
    ["25VD2", "640411", "undervaluation", "002", "12", "", "no"],
    ["25VD3", "300490", "none", "A7", "", "15/03/2025", "sí"],
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    open_store(data).close()
    return data


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(";".join(r) for r in [HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_keep_other_columns_guesses_kinds_and_list_shows_them(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", ROWS)
    code, out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                         "--keep-other-columns", "--name", "Port")
    assert code == 0, err
    assert "Other columns kept as the data set's own" in out
    for line in ("“Office” (text or category)", "“Tax rate” (number)",
                 "“Paid on” (date)", "“Prepaid” (yes/no flag)"):
        assert line in out
    info = [i for i in DatasetService(folder).list_datasets() if not i.builtin][0]
    assert [(s.name, s.kind) for s in info.extra] == [
        ("x:office", "category"), ("x:tax_rate", "number"), ("x:paid_on", "date"),
        ("x:prepaid", "flag")]
    table = DatasetService(folder).load_dataset(info.id)
    assert table.columns["x:tax_rate"][0] == 5.5  # a ;-separated file's decimal comma
    assert table.columns["x:prepaid"].tolist() == [True, False, True]

    code, out, _err = run(capsys, "data", "list", "--data-dir", str(folder))
    assert code == 0
    assert ("Own columns: Office (text or category); Tax rate (number); Paid on (date); "
            "Prepaid (yes/no flag)") in out
    code, out, _err = run(capsys, "data", "list", "--data-dir", str(folder), "--json")
    listed = [json.loads(line) for line in out.splitlines()]
    assert listed[0]["extra"] == []  # the built-in data set
    assert listed[1]["extra"][1] == {"name": "x:tax_rate", "kind": "number",
                                     "label": "Tax rate"}


def test_keep_one_column_with_a_kind(folder: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", ROWS)
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                          "--keep", "Tax rate=text", "--keep", "Office")
    assert code == 0, err
    info = [i for i in DatasetService(folder).list_datasets() if not i.builtin][0]
    assert [(s.label, s.kind) for s in info.extra] == [("Office", "category"),
                                                        ("Tax rate", "category")]
    code, out, _err = run(capsys, "data", "import", "--data-dir", str(folder), str(path))
    assert code == 0
    assert ("Other columns left out (keep them with --keep-other-columns or --keep COLUMN): "
            "“Office”, “Tax rate”, “Paid on”, “Prepaid”") in out
    # A kind the values do not fit: every bad cell listed, nothing imported.
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                          "--keep", "Office=number")
    assert code == 1
    assert "Line 4, column “Office”: “A7” is not a number." in err
    assert len(DatasetService(folder).list_datasets()) == 3


@pytest.mark.parametrize("argv, words", [
    (["--keep", "Office=colour"], "“colour” is not a kind. The kinds are: text, number"),
    (["--keep", "Nope"], "the file has no column “Nope”"),
    (["--keep", "HS code"], "“HS code” is already read as a built-in field"),
])
def test_keep_mistakes_exit_2_naming_the_choices(folder: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 argv: list[str], words: str) -> None:
    path = write_csv(tmp_path / "extract.csv", ROWS)
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                          *argv)
    assert code == 2
    assert words in err
    assert "Traceback" not in err
    assert len(DatasetService(folder).list_datasets()) == 1


def test_too_many_other_columns_exit_2(folder: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    header = ["Declaration", "HS code", *[f"Extra {i}" for i in range(60)]]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["D1", "870323", *["1"] * 60]) +
                    "\n", encoding="utf-8")
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                          "--keep-other-columns")
    assert code == 2
    assert "60 other columns were chosen to keep; a data set keeps at most 40." in err
