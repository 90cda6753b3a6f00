"""Managing declaration data sets in the GUI: listed with rows, date and outcome; imported
ones renamed or deleted (after a confirmation naming them), the built-in one never; the
targeting page follows at once, and runs already made keep their figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from tests.ui.conftest import answer_message_box, switch
from tests.ui.test_dataset_import import spanish_csv
from tests.ui.test_targeting_pages import page_of, targeting_pack, write_profile

from rmdesk.services.datasets import DatasetInfo, DatasetService
from rmdesk.services.declaration_import import import_csv
from rmdesk.services.targeting import BUILTIN_DATASET
from rmdesk.ui import dataset_manager
from rmdesk.ui.dataset_manager import DatasetManagerDialog
from rmdesk.ui.targeting_page import MANAGE_ENTRY

MAPPING = {"declaration_no": "Número de declaración", "hs_code": "Código HS",
           "unit_value": "Valor unitario", "reference_price": "Precio de referencia",
           "non_compliant": "Resultado"}


def imported(service: DatasetService, tmp_path: Path, name: str = "aduana",
             outcome: bool = True) -> DatasetInfo:
    mapping = dict(MAPPING)
    if not outcome:
        mapping.pop("non_compliant")
    result = import_csv(spanish_csv(tmp_path, outcome=outcome), mapping)
    return service.save_dataset(result.table, name, "aduana.csv")


def texts(dialog: DatasetManagerDialog, row: int) -> list[str]:
    return [dialog.table.item(row, col).text() for col in range(dialog.table.columnCount())]


@pytest.fixture
def service(tmp_path: Path) -> DatasetService:
    return DatasetService(tmp_path / "data")


def open_dialog(qtbot, service: DatasetService) -> DatasetManagerDialog:
    dialog = DatasetManagerDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_lists_every_data_set_and_protects_the_built_in_one(qtbot, tmp_path, service,
                                                            languages) -> None:
    info = imported(service, tmp_path, "With outcome")
    imported(service, tmp_path, "Without outcome", outcome=False)
    dialog = open_dialog(qtbot, service)
    assert dialog.table.rowCount() == 3
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(4)] == [
        "Name", "Items", "Imported on", "Outcome"]
    assert texts(dialog, 0) == ["Built-in practice declarations", "20,000", "—", "Yes"]
    rows = {texts(dialog, r)[0]: texts(dialog, r) for r in (1, 2)}
    assert rows["With outcome"][1:2] == ["40"] and rows["With outcome"][3] == "Yes"
    assert rows["Without outcome"][3] == "No"
    assert rows["With outcome"][2] != "—"  # the date it was imported
    assert "3 data sets" in dialog.intro.text()
    # An imported data set is selected first; the built-in one cannot be changed.
    assert dialog.selected() is not None and not dialog.selected().builtin
    assert dialog.rename_button.isEnabled() and dialog.delete_button.isEnabled()
    dialog.select_dataset(BUILTIN_DATASET)
    assert not dialog.rename_button.isEnabled() and not dialog.delete_button.isEnabled()
    assert "cannot be renamed or deleted" in dialog.hint.text()
    dialog.rename_selected()  # nothing happens, no prompt
    dialog.delete_selected()
    assert len(service.list_datasets()) == 3
    dialog.select_dataset(info.id)
    assert dialog.rename_button.isEnabled()
    switch(languages, "es")
    assert dialog.rename_button.text() != "&Rename…"
    assert dialog.table.horizontalHeaderItem(0).text() != "Name"


def test_rename_keeps_the_data_and_refuses_an_empty_name(qtbot, tmp_path, service,
                                                         monkeypatch) -> None:
    info = imported(service, tmp_path)
    dialog = open_dialog(qtbot, service)
    dialog.select_dataset(info.id)
    seen: list[str] = []
    monkeypatch.setattr(dataset_manager, "show_error",
                        lambda parent, error: seen.append(str(error)))
    answers = iter(["  Aduana   2025  ", "   ", None])
    monkeypatch.setattr(dialog, "ask_name", lambda current: next(answers))
    dialog.rename_selected()
    assert service.info(info.id).name == "Aduana 2025"
    assert texts(dialog, 1)[0] == "Aduana 2025" and dialog.selected().id == info.id
    assert dialog.changed
    dialog.rename_selected()  # blank: refused with a message, the name stays
    assert seen and "name is required" in seen[0]
    assert service.info(info.id).name == "Aduana 2025"
    dialog.rename_selected()  # cancelled
    assert service.info(info.id).name == "Aduana 2025"
    assert len(service.load_dataset(info.id)) == 40


def test_delete_asks_naming_the_data_set(qtbot, tmp_path, service) -> None:
    info = imported(service, tmp_path, "Aduana 2025")
    dialog = open_dialog(qtbot, service)
    dialog.select_dataset(info.id)
    seen: list[str] = []
    read_box_then(QMessageBox.StandardButton.No, seen)
    dialog.delete_selected()
    question = seen[0]
    assert "“Aduana 2025” (40 items)" in question
    assert "keep their figures" in question and "built-in practice declarations" in question
    assert "&Keep it" in seen and "&Delete" in seen
    assert len(service.list_datasets()) == 2 and not dialog.changed
    answer_message_box(QMessageBox.StandardButton.Yes)
    dialog.delete_selected()
    assert [i.id for i in service.list_datasets()] == [BUILTIN_DATASET]
    assert dialog.table.rowCount() == 1 and dialog.changed
    assert "1 data set on" in dialog.intro.text()


def read_box_then(button, seen: list[str], tries: int = 100) -> None:
    """Once the next message box is up: note its text and buttons, then click `button`."""
    def attempt(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and box.button(button):
            seen.append(box.text() + "\n" + box.informativeText())
            seen.extend(b.text() for b in box.buttons())
            box.button(button).click()
        elif left > 0:
            QTimer.singleShot(20, lambda: attempt(left - 1))

    QTimer.singleShot(20, lambda: attempt(tries))


def test_targeting_page_opens_the_manager_and_follows_it(make_window, qtbot, tmp_path,
                                                        monkeypatch) -> None:
    window = make_window(targeting_pack())
    assert window.manage_datasets_action in window.file_menu.actions()
    assert window.manage_datasets_action.text() == "&Manage declaration data sets…"
    write_profile(window, qtbot)
    page = page_of(window, "targeting")
    service = DatasetService.for_store(window.store)
    info = imported(service, tmp_path, "Aduana 2025")
    page.choose_dataset(info.id)
    page.start_run()
    page.wait_for_run()
    first = page.history.item(0).text()
    assert "Aduana 2025 (40 items)" in first
    items = [page.dataset_combo.itemText(i) for i in range(page.dataset_combo.count())]
    assert items[-2:] == ["Import from a file (CSV, XLSX, ODS)…", "Manage data sets…"]

    def rename_then_delete(dialog: DatasetManagerDialog) -> int:
        assert dialog.selected().id == info.id  # opens on the data set in use
        dialog.ask_name = lambda current: "Renamed"
        dialog.rename_selected()
        # The page follows while the dialog is still open.
        assert page.dataset_combo.currentText() == "Renamed (40 items)"
        answer_message_box(QMessageBox.StandardButton.Yes)
        dialog.delete_selected()
        return 0

    monkeypatch.setattr(DatasetManagerDialog, "exec", rename_then_delete)
    index = page.dataset_combo.findData(MANAGE_ENTRY)
    page.dataset_combo.setCurrentIndex(index)
    page.dataset_combo.activated.emit(index)
    assert page.current_dataset() == BUILTIN_DATASET
    assert page.dataset_combo.currentData() == BUILTIN_DATASET
    assert "no longer on this laptop" in page.notice.text()
    # The run made on it keeps its figures.
    assert len(page.targeting.runs(page.group_id)) == 1
    assert page.history.item(0).text().split("\n")[1] == first.split("\n")[1]


def test_file_menu_opens_the_manager(make_window, monkeypatch) -> None:
    window = make_window(targeting_pack())
    shown: list[int] = []
    monkeypatch.setattr(DatasetManagerDialog, "exec",
                        lambda dialog: shown.append(dialog.table.rowCount()) or 0)
    window.manage_datasets_action.trigger()
    assert shown == [1]
