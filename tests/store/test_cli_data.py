"""`rmdesk data import|list|delete`: what a facilitator scripting the laptops sees: the
dialog's suggested mapping unless --map says otherwise, every bad row on stderr, exit 1
when nothing is imported, a delete that asks first, and hostile files refused with a
message (never a traceback)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from tests.spreadsheet_files import write_ods, write_xlsx

from rmdesk.app import main
from rmdesk.domain.declarations import CategoryColumn
from rmdesk.services.datasets import DatasetService
from rmdesk.services.declaration_import import suggest_mapping
from rmdesk.store.database import open_store

HEADER = ["N° déclaration", "Fecha", "HS code", "Country of origin", "Declared value",
          "Offence found", "Office"]
GOOD = [
    ["25VD1", "2025-03-14", "870323", "JP", "12500", "none", "North"],
    ["25VD2", "2025-03-15", "640411", "CN", "180", "undervaluation", "South"],
    ["25VD3", "2025-03-15", "300490", "IN", "0.25", "none", "North"],
]
BAD = [
    ["25VD4", "2025-03-16", "64", "CN", "100", "none", "East"],  # line 5: HS code
    ["25VD5", "not a day", "640411", "CN", "-3", "none", "East"],  # line 6: two cells
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    open_store(data).close()
    return data


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in [HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def imported(folder: Path) -> list:
    return [i for i in DatasetService(folder).list_datasets() if not i.builtin]


def test_import_uses_the_suggested_mapping(folder: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", GOOD)
    code, out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path))
    assert code == 0, err
    suggested = suggest_mapping(HEADER)
    for name, header in suggested.items():  # every suggestion is shown, as it was used
        assert f"{name} (" in out and f"“{header}”" in out
    [info] = imported(folder)
    assert info.name == "extract" and info.rows == 3 and info.source == "extract.csv"
    table = DatasetService(folder).load_dataset(info.id)
    assert set(info.fields) >= set(suggested)
    assert table.column("declaration_no").decode() == ["25VD1", "25VD2", "25VD3"]
    assert table.column("non_compliant").tolist() == [False, True, False]
    assert info.id in out and "3" in out


def test_map_overrides_a_suggestion_and_can_leave_a_field_out(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", GOOD)
    assert suggest_mapping(HEADER).get("origin") == "Country of origin"
    code, out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                         "--map", "origin=Office", "--map", "declared_value=",
                         "--name", "By office")
    assert code == 0, err
    [info] = imported(folder)
    table = DatasetService(folder).load_dataset(info.id)
    assert info.name == "By office"
    assert table.column("origin").decode() == ["North", "South", "North"]
    assert "declared_value" not in info.fields and "declared_value (" not in out


@pytest.mark.parametrize(("option", "named", "listed"), [
    ("nosuchfield=Office", "nosuchfield", "hs_code"),
    ("origin=No such column", "No such column", "“Office”"),
    ("origin", "origin", "FIELD=COLUMN"),
])
def test_an_unknown_field_or_column_is_a_usage_error_naming_the_valid_ones(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        option: str, named: str, listed: str) -> None:
    path = write_csv(tmp_path / "extract.csv", GOOD)
    code, out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                         "--map", option)
    assert code == 2
    assert named in err and listed in err and "Traceback" not in err
    assert imported(folder) == []


def test_a_required_field_left_out_says_how_to_map_it(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", GOOD)
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                          "--map", "hs_code=")
    assert code == 2 and "--map hs_code=COLUMN" in err and "“HS code”" in err
    assert imported(folder) == []


def test_bad_rows_are_all_listed_and_nothing_is_imported(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", GOOD + BAD)
    code, out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path))
    assert code == 1 and imported(folder) == []
    problems = [line for line in err.splitlines() if line.startswith("Line ")]
    assert problems == [
        "Line 5, column “HS code”: “64” is not an HS code of at least 6 digits.",
        "Line 6, column “Fecha”: “not a day” is not a date (write 2025-03-14, "
        "14/03/2025 or 14.03.2025).",
        "Line 6, column “Declared value”: “-3” cannot be negative.",
    ]
    assert "--skip-bad-rows" in err and "Problems" not in out


def test_skip_bad_rows_imports_the_rest_and_still_lists_them(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", BAD[:1] + GOOD + BAD[1:])
    code, out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                         "--skip-bad-rows")
    assert code == 0, err
    assert [line.split(",")[0] for line in err.splitlines() if line.startswith("Line ")] \
        == ["Line 2", "Line 6", "Line 6"]
    [info] = imported(folder)
    assert info.rows == 3
    assert "Rows imported: 3; bad rows left out: 2." in out


def test_nothing_to_import_exits_1_even_when_skipping(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", BAD)
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                          "--skip-bad-rows")
    assert code == 1 and "Nothing was imported" in err and imported(folder) == []


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_spreadsheet_sheet_is_chosen_and_read_typed(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    rows = [HEADER,
            ["25VD1", date(2025, 3, 14), 870323, "JP", 12500.5, "none", "North"],
            ["25VD2", date(2025, 3, 15), "6404.11", "CN", 180, "smuggling", "South"]]
    writer = write_xlsx if kind == "xlsx" else write_ods
    path = writer(tmp_path / f"extract.{kind}", {"Notes": [["read me"]], "Data": rows})
    code, out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                         "--sheet", "Data")
    assert code == 0, err
    [info] = imported(folder)
    table = DatasetService(folder).load_dataset(info.id)
    assert table.column("date").tolist() == [date(2025, 3, 14), date(2025, 3, 15)]
    assert table.column("declared_value").tolist() == [12500.5, 180.0]
    assert table.column("hs_code").decode() == ["870323", "640411"]
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path),
                          "--sheet", "Nope")
    assert code == 2 and "Data" in err and "Notes" in err


def test_list_shows_the_builtin_and_the_imported_sets(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "data", "import", "--data-dir", str(folder),
        str(write_csv(tmp_path / "a.csv", GOOD)), "--name", "Port extract")
    code, out, _err = run(capsys, "data", "list", "--data-dir", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[0] == "NAME"
    assert lines[1].startswith("Built-in practice declarations")
    assert lines[2].startswith("Port extract") and imported(folder)[0].id in lines[2]
    code, out, _err = run(capsys, "data", "list", "--data-dir", str(folder), "--json")
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["builtin"] for o in objects] == [True, False]
    assert objects[1]["name"] == "Port extract" and objects[1]["rows"] == 3
    assert objects[1]["source"] == "a.csv" and objects[1]["has_outcome"] is True


def test_list_in_another_language(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["data", "list", "--data-dir", str(folder), "--lang", "fr"])
    out = capsys.readouterr().out
    assert code == 0 and "Built-in practice declarations" not in out


def test_delete_with_yes(folder: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "data", "import", "--data-dir", str(folder),
        str(write_csv(tmp_path / "a.csv", GOOD)), "--name", "Port extract")
    [info] = imported(folder)
    code, out, err = run(capsys, "data", "delete", "Port extract", "--data-dir",
                         str(folder), "--yes")
    assert code == 0, err
    assert imported(folder) == [] and not list((folder / "datasets").glob(f"{info.id}.*"))


def test_delete_asks_and_no_terminal_means_no(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "data", "import", "--data-dir", str(folder),
        str(write_csv(tmp_path / "a.csv", GOOD)), "--name", "Port extract")
    [info] = imported(folder)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal: EOF at once
    code, out, err = run(capsys, "data", "delete", info.id, "--data-dir", str(folder))
    assert code == 1 and "Nothing was changed." in err and "Port extract" in out
    assert [i.id for i in imported(folder)] == [info.id]
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    code, _out, _err = run(capsys, "data", "delete", "Port extract", "--data-dir",
                           str(folder))
    assert code == 0 and imported(folder) == []


def test_delete_refuses_the_builtin_and_unknown_names(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "data", "delete", "Built-in practice declarations",
                          "--data-dir", str(folder), "--yes")
    assert code == 2 and "cannot be changed or deleted" in err
    code, _out, err = run(capsys, "data", "delete", "nothing", "--data-dir", str(folder),
                          "--yes")
    assert code == 2 and "rmdesk data list" in err


def test_a_folder_without_a_store_is_refused(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "a.csv", GOOD)
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(tmp_path / "typo"),
                          str(path))
    assert code == 2 and "no rmdesk store" in err
    assert not (tmp_path / "typo").exists()


def hostile_files(tmp_path: Path) -> list[Path]:
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    bomb = write_xlsx(tmp_path / "bomb.xlsx", {"S": [HEADER, GOOD[0]]},
                      extra={"xl/media/padding.bin": bytes(64 * 1024 * 1024)})
    fake = tmp_path / "fake.ods"
    fake.write_text("Declaration number,HS code\n1,870323\n", encoding="utf-8")
    unclosed = tmp_path / "quote.csv"
    unclosed.write_text(",".join(HEADER) + '\n25VD1,"' + "x" * 20_000 + "\n",
                        encoding="utf-8")
    return [binary, bomb, fake, unclosed, tmp_path / "missing.csv"]


def test_hostile_files_are_refused_with_a_message(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in hostile_files(tmp_path):
        code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path))
        assert code == 1, path
        assert path.name in err or "Line 2" in err, (path, err)
        assert "Traceback" not in err and "Nothing was imported." in err
    assert imported(folder) == []
    assert [p for p in (folder / "datasets").glob("*")] == [] \
        if (folder / "datasets").exists() else True


def test_messages_are_translated(folder: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "extract.csv", GOOD + BAD)
    for lang in ("es", "pt_BR", "fr"):
        code = main(["data", "import", "--data-dir", str(folder), str(path), "--lang", lang])
        captured = capsys.readouterr()
        assert code == 1
        assert "--skip-bad-rows" in captured.err
        assert "rows have problems" not in captured.err  # not the English sentence
        assert "Columns used" not in captured.out


def test_the_table_is_the_one_the_dialog_builds(folder: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The command and the dialog call the same import: same mapping, same table."""
    from rmdesk.services.declaration_import import import_csv

    path = write_csv(tmp_path / "extract.csv", GOOD)
    run(capsys, "data", "import", "--data-dir", str(folder), str(path))
    [info] = imported(folder)
    stored = DatasetService(folder).load_dataset(info.id)
    direct = import_csv(path, suggest_mapping(HEADER)).table
    assert direct is not None and set(stored.columns) == set(direct.columns)
    for name in direct.columns:
        a, b = stored.column(name), direct.column(name)
        if isinstance(a, CategoryColumn):
            assert a.decode() == b.decode()  # type: ignore[union-attr]
        else:
            np.testing.assert_array_equal(a, b)


def test_a_data_set_that_cannot_be_saved_leaves_nothing(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rmdesk.services.datasets._savez", full_disk)
    path = write_csv(tmp_path / "extract.csv", GOOD)
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path))
    assert code == 1 and "No space left on device" in err and "Traceback" not in err
    assert imported(folder) == [] and list((folder / "datasets").iterdir()) == []


def test_progress_shows_on_a_terminal_only(folder: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [[f"25VD{i}", "2025-03-14", "870323", "JP", str(i), "none", "North"]
            for i in range(5000)]  # the import reports progress every 2,000 rows
    path = write_csv(tmp_path / "big.csv", rows)
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path))
    assert code == 0 and "%" not in err
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _out, err = run(capsys, "data", "import", "--data-dir", str(folder), str(path))
    assert code == 0 and "100 %" in err and err.endswith("\r\033[K")
    assert [i.rows for i in imported(folder)] == [5000, 5000]


def test_the_command_loads_only_when_it_runs() -> None:
    """app.py builds every parser; the code of `rmdesk data` (and numpy with it) is not
    loaded to start the app."""
    import subprocess
    import sys

    code = ("import sys; from rmdesk.app import build_parser; build_parser(); "
            "print('rmdesk.cli_data' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.split()[0] == "False"
