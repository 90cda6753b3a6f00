"""Importing declarations from CSV in the GUI: the mapping is proposed, every bad row is
listed with its line, nothing is kept until the file is clean or the rows are skipped,
and E8 runs on the imported data set (with and without the outcome)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from tests.ui.conftest import answer_message_box, switch
from tests.ui.test_targeting_pages import page_of, targeting_pack, write_profile

from rmdesk.services.datasets import DatasetService
from rmdesk.services.declaration_import import import_csv, read_csv_header
from rmdesk.services.targeting import BUILTIN_DATASET
from rmdesk.ui import dataset_import
from rmdesk.ui.dataset_import import DatasetImportDialog, import_declarations_dialog
from rmdesk.ui.targeting_page import IMPORT_ENTRY

HEADER = "Número de declaración;Fecha;Código HS;Origen;Valor unitario;Precio de referencia"


def spanish_csv(tmp_path: Path, bad: bool = False, outcome: bool = True) -> Path:
    header = HEADER + (";Resultado" if outcome else "")
    lines = [header]
    for i in range(40):
        cheap = i % 4 == 0
        row = [f"25VD{i:07d}", "14/03/2025", "6404.11", "CN",
               "10,50" if cheap else "95,00", "100,00"]
        if outcome:
            row.append("sí" if cheap else "no")
        lines.append(";".join(row))
    if bad:
        lines.insert(5, "25VD9999991;31/02/2025;64;CN;abc;100,00" + (";no" if outcome else ""))
        lines.insert(9, "25VD9999992;14/03/2025;640411")
    path = tmp_path / "aduana.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def service(tmp_path: Path) -> DatasetService:
    return DatasetService(tmp_path / "data")


def dialog_for(qtbot, path: Path, service: DatasetService) -> DatasetImportDialog:
    dialog = DatasetImportDialog(read_csv_header(path), service)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def nothing_saved(service: DatasetService) -> bool:
    return not service.folder.exists() or list(service.folder.iterdir()) == []


def test_mapping_is_proposed_and_required_fields_are_marked(qtbot, tmp_path, service,
                                                            languages) -> None:
    dialog = dialog_for(qtbot, spanish_csv(tmp_path), service)
    assert dialog.mapping() == {
        "declaration_no": "Número de declaración", "date": "Fecha", "hs_code": "Código HS",
        "origin": "Origen", "unit_value": "Valor unitario",
        "reference_price": "Precio de referencia", "non_compliant": "Resultado"}
    assert dialog.field_labels["hs_code"].text() == "HS code *"
    # the outcome is marked and the dialog says why E8 needs it
    assert dialog.field_labels["non_compliant"].text() == "Non-compliant (outcome) †"
    hint = dialog.required_hint.text()
    assert hint.startswith("7 columns were suggested from their names") and \
        "hit and detection rates" in hint
    assert dialog.field_labels["origin"].text() == "Country of origin"
    assert dialog.preview.rowCount() == 20 and dialog.preview.columnCount() == 7
    assert "aduana.csv" in dialog.file_label.text()
    assert dialog.next_button.isEnabled() and dialog.next_button.text() == "&Import"
    assert not dialog.mapping_status.isVisible()  # the outcome is mapped: nothing to say
    dialog.combos["hs_code"].setCurrentIndex(0)  # "(not in the file)"
    assert not dialog.next_button.isEnabled()
    assert "Choose the column that holds HS code." in dialog.mapping_status.text()
    dialog.combos["non_compliant"].setCurrentIndex(0)
    assert "selection and workload only" in dialog.mapping_status.text()
    switch(languages, "es")
    assert dialog.field_labels["declaration_no"].text() == "Número de declaración *"
    switch(languages, "en")
    assert dialog.field_labels["declaration_no"].text() == "Declaration number *"


def test_bad_rows_are_listed_then_skipped(qtbot, tmp_path, service) -> None:
    dialog = dialog_for(qtbot, spanish_csv(tmp_path, bad=True), service)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    dialog.wait_for_import()
    assert dialog.pages.currentIndex() == dialog.PROBLEMS
    rows = [(dialog.problems.item(r, 0).text(), dialog.problems.item(r, 1).text(),
             dialog.problems.item(r, 2).text()) for r in range(dialog.problems.rowCount())]
    assert [(line, column) for line, column, _text in rows] == [
        ("6", "Fecha"), ("6", "Código HS"), ("6", "Valor unitario"), ("10", "(whole row)")]
    assert rows[1][2] == "Line 6, column “Código HS”: “64” is not an HS code of at least 6 digits."
    assert rows[3][2] == "Line 10: expected 7 fields, found 3."
    assert dialog.problems_heading.text() == (
        "2 of the 42 rows have problems. Nothing has been imported yet.")
    assert dialog.skip_button.isVisible()
    assert dialog.skip_button.text() == "&Skip these 2 rows and import the rest"
    assert nothing_saved(service)
    dialog.copy_problems()
    assert QApplication.clipboard().text().count("\n") == 3
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    dialog.wait_for_import()
    assert dialog.pages.currentIndex() == dialog.NAME
    assert dialog.summary.text() == "Rows imported: 40; bad rows left out: 2."
    assert dialog.name_edit.text() == "aduana"
    assert not dialog.outcome_notice.isVisible()
    assert nothing_saved(service)  # not before the name is confirmed
    dialog.name_edit.setText("Aduana de Valdoria, marzo")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    info = dialog.info
    assert info is not None and info.name == "Aduana de Valdoria, marzo"
    assert info.rows == 40 and info.has_outcome and info.source == "aduana.csv"
    assert [d.id for d in service.list_datasets()] == [BUILTIN_DATASET, info.id]
    assert len(service.load_dataset(info.id)) == 40


def test_cancel_on_the_problem_list_imports_nothing(qtbot, tmp_path, service) -> None:
    dialog = dialog_for(qtbot, spanish_csv(tmp_path, bad=True), service)
    dialog.go_next()
    dialog.wait_for_import()
    assert dialog.pages.currentIndex() == dialog.PROBLEMS
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.info is None
    assert nothing_saved(service)


def test_back_from_the_problems_to_fix_the_mapping(qtbot, tmp_path, service) -> None:
    dialog = dialog_for(qtbot, spanish_csv(tmp_path, bad=True), service)
    dialog.combos["date"].setCurrentIndex(0)
    dialog.combos["unit_value"].setCurrentIndex(0)
    dialog.go_next()
    dialog.wait_for_import()
    assert dialog.problems.rowCount() == 2  # only the HS code and the short row are left
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == dialog.MAPPING
    assert dialog.next_button.isVisible() and not dialog.skip_button.isVisible()


def test_cancel_while_importing_keeps_nothing(qtbot, tmp_path, service, monkeypatch) -> None:
    real = dataset_import.import_csv

    def pressed_cancel(path, mapping, **kwargs):
        kwargs["is_cancelled"] = lambda: True
        return real(path, mapping, **kwargs)

    monkeypatch.setattr(dataset_import, "import_csv", pressed_cancel)
    monkeypatch.setattr("rmdesk.services.declaration_import.CHECK_EVERY", 1)
    dialog = dialog_for(qtbot, spanish_csv(tmp_path), service)
    dialog.go_next()
    dialog.wait_for_import()
    assert dialog.pages.currentIndex() == dialog.MAPPING
    assert "Import cancelled: nothing was imported." in dialog.mapping_status.text()
    assert dialog.isVisible() and nothing_saved(service)


def test_file_without_outcome_says_what_the_simulation_can_show(qtbot, tmp_path,
                                                                service) -> None:
    dialog = dialog_for(qtbot, spanish_csv(tmp_path, outcome=False), service)
    assert "selection and workload only" in dialog.mapping_status.text()
    dialog.go_next()
    dialog.wait_for_import()
    assert dialog.pages.currentIndex() == dialog.NAME
    assert dialog.outcome_notice.isVisible()
    assert "selection and workload only" in dialog.outcome_notice.text()
    dialog.save()
    assert dialog.info is not None and not dialog.info.has_outcome


def test_unreadable_file_is_refused_with_a_message(qtbot, tmp_path, filled_store) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 40)
    seen: list[str] = []
    texts: list[str] = []
    answer_message_box(QMessageBox.StandardButton.Ok, seen)

    original = QMessageBox.warning

    def warning(parent, title, text, *args):
        texts.append(text)
        return original(parent, title, text, *args)

    QMessageBox.warning = warning  # type: ignore[method-assign]
    try:
        assert import_declarations_dialog(None, filled_store, str(path)) is None
    finally:
        QMessageBox.warning = original  # type: ignore[method-assign]
    assert texts and "is not a CSV text file" in texts[0] and str(path) in texts[0]
    assert nothing_saved(DatasetService.for_store(filled_store))


# -- E8 on an imported data set ----------------------------------------------------------


def drive_dialog(monkeypatch, path: Path) -> None:
    """The file dialog answers `path`, and the import dialog imports and saves."""
    monkeypatch.setattr(dataset_import, "open_csv_file_dialog", lambda parent: str(path))

    def run(dialog: DatasetImportDialog) -> int:
        dialog.go_next()
        dialog.wait_for_import()
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(DatasetImportDialog, "exec", run)


def test_file_menu_imports_and_e8_offers_the_data_set(make_window, qtbot, tmp_path,
                                                      monkeypatch) -> None:
    window = make_window(targeting_pack())
    assert window.import_declarations_action in window.file_menu.actions()
    assert window.import_declarations_action.text() == "Import declarations (&CSV, XLSX, ODS)…"
    drive_dialog(monkeypatch, spanish_csv(tmp_path))
    window.import_declarations_action.trigger()
    service = DatasetService.for_store(window.store)
    imported = service.list_datasets()[1]
    assert imported.name == "aduana" and imported.rows == 40
    page = page_of(window, "targeting")
    items = [page.dataset_combo.itemText(i) for i in range(page.dataset_combo.count())]
    assert items == ["Built-in practice declarations (20,000 items)", "aduana (40 items)", "",
                     "Import from a file (CSV, XLSX, ODS)…", "Manage data sets…"]
    assert page.dataset_combo.currentData() == BUILTIN_DATASET


@pytest.mark.parametrize("outcome", [True, False])
def test_e8_runs_on_an_imported_data_set(make_window, qtbot, tmp_path, monkeypatch,
                                         outcome: bool) -> None:
    window = make_window(targeting_pack())
    write_profile(window, qtbot)  # unit value below 50 % of the reference price: red
    page = page_of(window, "targeting")
    drive_dialog(monkeypatch, spanish_csv(tmp_path, outcome=outcome))
    page.dataset_combo.setCurrentIndex(page.dataset_combo.findData(IMPORT_ENTRY))
    page.dataset_combo.activated.emit(page.dataset_combo.currentIndex())
    info = page.datasets.list_datasets()[1]
    assert page.dataset_combo.currentData() == info.id
    stored = page.ctx.work.load(page.group_id, page.ctx.exercise.id).data
    assert stored == {"dataset": info.id}
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    page.wait_for_run()
    runs = page.targeting.runs(page.group_id)
    assert [r.dataset for r in runs] == [info.id]
    assert page.matrix.item(2, 0).text() == "All items"
    assert page.metrics.item(0, 1).text() == "25.0%"  # 10 of the 40 rows are cheap
    assert "Data: aduana (40 items)" in page.history.item(0).text()
    if outcome:
        assert page.metrics.item(1, 1).text() == "100.0%"  # every cheap row was bad
        assert page.metrics.item(2, 1).text() == "100.0%"
        assert page.matrix.item(0, 1).text() == "10"
        assert not page.notice.isVisible()
    else:
        for row, col in ((1, 1), (1, 2), (2, 1), (3, 1), (3, 2)):
            assert page.metrics.item(row, col).text() == "—", (row, col)
        # A random selection detects its own rate of the non-compliant, outcome or not.
        assert page.metrics.item(2, 2).text() == "25.0%"
        assert page.matrix.item(0, 1).text() == "—"
        assert page.notice.isVisible()
        assert "no outcome column" in page.notice.text()
    # The choice is the group's: a page built afresh starts on the same data set.
    page.set_group(page.group_id)
    assert page.dataset_combo.currentData() == info.id
    # Back to the built-in data set, and a second run there.
    page.dataset_combo.setCurrentIndex(0)
    page.dataset_combo.activated.emit(0)
    assert page.ctx.work.load(page.group_id, page.ctx.exercise.id).data == {
        "dataset": BUILTIN_DATASET}
    page.start_run()
    page.wait_for_run()
    assert [r.dataset for r in page.targeting.runs(page.group_id)] == [info.id,
                                                                       BUILTIN_DATASET]
    assert not page.notice.isVisible()


def test_e8_falls_back_when_the_data_set_is_gone(make_window, qtbot, tmp_path) -> None:
    window = make_window(targeting_pack())
    page = page_of(window, "targeting")
    service = DatasetService.for_store(window.store)
    result = import_csv(spanish_csv(tmp_path), {"declaration_no": "Número de declaración",
                                                "hs_code": "Código HS"})
    info = service.save_dataset(result.table, "Gone soon", "gone.csv")
    page.choose_dataset(info.id)
    service.delete_dataset(info.id)
    page.set_group(page.group_id)
    assert page.dataset_combo.currentData() == BUILTIN_DATASET
    assert page.current_dataset() == BUILTIN_DATASET
    assert "no longer on this laptop" in page.notice.text()


def test_a_workbook_sheet_is_chosen_mapped_and_kept(qtbot, tmp_path, service) -> None:
    from datetime import date

    from tests.spreadsheet_files import write_xlsx

    rows = [["Nº DUA", "Fecha", "Partida arancelaria", "Origen", "Resultado"]] + [
        [f"25VD{i:05d}", date(2025, 3, 1 + i % 28), 640411, "CN", i % 3 == 0]
        for i in range(30)]
    path = write_xlsx(tmp_path / "aduana.xlsx", {"Léame": [["Extracto anonimizado"]],
                                                 "Datos": rows, "Copia": rows[:11]})
    dialog = dialog_for(qtbot, path, service)
    assert dialog.sheet_combo.isVisible() and dialog.sheet_combo.count() == 3
    # the notes sheet in front holds no declarations: the first sheet with rows is shown
    assert dialog.sheet_combo.currentData() == "Datos"
    assert "Datos" in dialog.file_label.text() and dialog.preview.columnCount() == 5
    assert dialog.mapping() == {"declaration_no": "Nº DUA", "date": "Fecha",
                                "hs_code": "Partida arancelaria", "origin": "Origen",
                                "non_compliant": "Resultado"}
    dialog.sheet_combo.setCurrentIndex(dialog.sheet_combo.findData("Copia"))
    assert "Copia" in dialog.file_label.text() and dialog.preview.rowCount() == 10
    assert dialog.mapping()["hs_code"] == "Partida arancelaria"  # mapped again
    dialog.sheet_combo.setCurrentIndex(dialog.sheet_combo.findData("Datos"))
    assert dialog.preview.rowCount() == 20
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    dialog.wait_for_import()
    assert dialog.pages.currentIndex() == dialog.NAME
    assert dialog.import_result.sheet == "Datos" and dialog.import_result.rows_imported == 30
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.info is not None and dialog.info.rows == 30 and dialog.info.has_outcome
