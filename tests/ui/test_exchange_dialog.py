"""The import and export dialogs, driven as a facilitator would: files dropped in, the
preview read, a conflict decided, Import pressed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QTreeWidgetItem

from rmdesk.services import settings
from rmdesk.services.exchange import ExchangeService
from rmdesk.services.register import RegisterService
from rmdesk.services.roles import hash_pin
from rmdesk.services.settings import SettingsService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.ui.exchange_dialogs import THEIRS, ExportDialog, ImportDialog


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[dict[str, Store]]:
    opened = {name: open_store(tmp_path / name) for name in ("fac", "a", "b")}
    yield opened
    for store in opened.values():
        store.close()


@pytest.fixture
def files(stores: dict[str, Store], tmp_path: Path) -> dict[str, object]:
    """Two laptops of one group changed the same risk; a third file is broken."""
    fac, a, b = stores["fac"], stores["a"], stores["b"]
    workshops = WorkshopService(fac)
    workshop = workshops.create_workshop(WorkshopInput("Taller regional"))
    group = workshops.add_group(workshop.id, "Grupo Ñandú")
    kit = tmp_path / "kit.rmdx"
    SettingsService(fac).set(settings.FACILITATOR_PIN, hash_pin("2468", n=2**10))
    ExchangeService(fac).export_kit(workshop.id, kit, group.id)  # for the group's laptops
    for laptop in (a, b):
        assert ExchangeService(laptop).import_file(kit).error is None
    risk = RegisterService(a).add_risk(group.id, event="Cocaine in containers", likelihood=4)
    first = tmp_path / "a-first.rmdx"
    ExchangeService(a).export_group_work(group.id, first)
    ExchangeService(b).import_file(first)
    ExchangeService(fac).import_file(first)
    RegisterService(a).update_field(risk.id, "event", "Cocaine in reefer containers")
    RegisterService(b).update_field(risk.id, "event", "Cocaine in transhipped containers")
    RegisterService(b).add_risk(group.id, event="Undervalued textiles")
    paths = {"a": tmp_path / "Grupo A - laptop 1.rmdx", "b": tmp_path / "Grupo A - laptop 2.rmdx"}
    ExchangeService(a).export_group_work(group.id, paths["a"])
    ExchangeService(b).export_group_work(group.id, paths["b"])
    bad = tmp_path / "copied badly.rmdx"
    bad.write_bytes(paths["b"].read_bytes()[:300])
    return {"a": paths["a"], "b": paths["b"], "bad": bad, "group": group.id, "risk": risk.id,
            "workshop": workshop.id}


def drop(widget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    position = QPointF(widget.rect().center())
    enter = QDragEnterEvent(position.toPoint(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(position, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def top_items(dialog: ImportDialog) -> dict[str, QTreeWidgetItem]:
    tree = dialog.tree
    return {tree.topLevelItem(i).text(0): tree.topLevelItem(i)
            for i in range(tree.topLevelItemCount())}


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [item.child(i) for i in range(item.childCount())]


def test_import_dialog_previews_dropped_files_and_applies_the_choice(
        qtbot, stores, files, tmp_path: Path) -> None:
    fac = stores["fac"]
    dialog = ImportDialog(None, fac)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.import_button.isEnabled()

    dialog.add_files([files["a"]])
    drop(dialog, [files["b"], files["bad"]])
    items = top_items(dialog)
    assert list(items) == ["Grupo A - laptop 1.rmdx", "Grupo A - laptop 2.rmdx",
                           "copied badly.rmdx"]
    assert items["Grupo A - laptop 1.rmdx"].text(1).startswith("Ready: add 0 · update 1")
    assert items["copied badly.rmdx"].text(1).startswith("Refused: copied badly.rmdx")
    # The preview of laptop 2's file against the store as it is now: one new risk, and its
    # edit of the shared risk clashes with nothing yet (laptop 1's is not imported).
    second = items["Grupo A - laptop 2.rmdx"]
    assert "add 1" in second.text(1)
    QApplication.processEvents()
    dialog.grab().save(str(tmp_path / "import-preview.png"))

    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    items = top_items(dialog)
    assert items["Grupo A - laptop 1.rmdx"].text(1).startswith("Imported:")
    assert items["Grupo A - laptop 2.rmdx"].text(1).startswith("Imported:")
    assert "conflicts 1" in items["Grupo A - laptop 2.rmdx"].text(1)
    assert items["copied badly.rmdx"].text(1).startswith("Refused:")
    register = RegisterService(fac)
    assert register.get(files["risk"]).event == "Cocaine in reefer containers"  # mine, kept
    assert "Undervalued textiles" in [r.event for r in register.list_risks(files["group"])]

    # Laptop 2's version waits for a choice; the facilitator takes it.
    waiting = items["Conflicts waiting for a choice"]
    [conflict] = children(waiting)
    assert [(c.text(0), c.text(1)) for c in children(conflict)] == [
        ("Event (this laptop)", "Cocaine in reefer containers"),
        ("Event (the file)", "Cocaine in transhipped containers")]
    QApplication.processEvents()
    dialog.grab().save(str(tmp_path / "import-conflict.png"))
    combo = dialog.tree.itemWidget(conflict, 2)
    assert not dialog.import_button.isEnabled()
    combo.setCurrentIndex(combo.findData(THEIRS))
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert register.get(files["risk"]).event == "Cocaine in transhipped containers"
    assert "Conflicts waiting for a choice" not in top_items(dialog)
    assert ExchangeService(fac).pending_conflicts() == []
    assert len(dialog.applied_reports()) == 2


def test_a_conflict_seen_in_the_preview_is_decided_before_import(qtbot, stores,
                                                                  files) -> None:
    fac = stores["fac"]
    ExchangeService(fac).import_file(files["a"])
    dialog = ImportDialog(None, fac)
    qtbot.addWidget(dialog)
    dialog.add_files([files["b"]])
    [item] = top_items(dialog).values()
    conflict = next(c for c in children(item) if c.text(1).startswith("Conflict"))
    assert children(conflict)[0].text(0) == "Event (this laptop)"
    combo = dialog.tree.itemWidget(conflict, 2)
    combo.setCurrentIndex(combo.findData(THEIRS))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert RegisterService(fac).get(files["risk"]).event == "Cocaine in transhipped containers"
    assert ExchangeService(fac).pending_conflicts() == []


def test_removing_a_file_before_import(qtbot, stores, files) -> None:
    dialog = ImportDialog(None, stores["fac"])
    qtbot.addWidget(dialog)
    dialog.add_files([files["a"], files["b"]])
    top_items(dialog)["Grupo A - laptop 1.rmdx"].setSelected(True)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert list(top_items(dialog)) == ["Grupo A - laptop 2.rmdx"]


def test_export_dialog_writes_the_groups_work_or_the_kit(qtbot, stores, files,
                                                          tmp_path: Path) -> None:
    a = stores["a"]
    dialog = ExportDialog(None, a, files["workshop"], files["group"], folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.work_radio.isChecked()
    assert dialog.path_edit.text() == str(tmp_path / "Taller regional - Grupo Ñandú.rmdx")
    # a participant's laptop cannot sign the workshop's kit: the choice is not offered
    assert not dialog.kit_radio.isEnabled()
    dialog.grab().save(str(tmp_path / "export.png"))
    dialog.work_radio.setChecked(True)
    dialog.export_now()
    assert dialog.written == tmp_path / "Taller regional - Grupo Ñandú.rmdx"
    assert dialog.written.is_file()
    report = ExchangeService(stores["fac"]).preview(dialog.written)
    assert report.error is None and report.kind == "group-work"


def test_export_dialog_without_a_group_offers_the_kit_only(qtbot, stores, files,
                                                           tmp_path: Path,
                                                           monkeypatch) -> None:
    dialog = ExportDialog(None, stores["fac"], files["workshop"], None, folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.kit_radio.isChecked() and not dialog.work_radio.isEnabled()
    assert dialog.path_edit.text() == str(tmp_path / "Taller regional - workshop kit.rmdx")
    assert "content pack" in dialog.explain.text()
    dialog.kit_for.setCurrentIndex(dialog.kit_for.findData(files["group"]))
    assert dialog.path_edit.text() == str(
        tmp_path / "Taller regional - workshop kit for Grupo Ñandú.rmdx")
    dialog.export_now()
    assert dialog.written is not None
    fresh = open_store(tmp_path / "fresh")
    try:
        report = ExchangeService(fresh).import_file(dialog.written)
        assert report.error is None
        # the kit set the laptop up for the group: it now signs that group's work
        ExchangeService(fresh).export_group_work(files["group"], tmp_path / "fresh.rmdx")
    finally:
        fresh.close()
    dialog.written = None
    shown: list[str] = []
    monkeypatch.setattr("rmdesk.ui.exchange_dialogs.show_error",
                        lambda _parent, error: shown.append(str(error)))
    dialog.path_edit.setText(str(tmp_path / "no such folder" / "kit.rmdx"))
    dialog.export_now()
    assert dialog.written is None and "no such folder" in shown[0]
