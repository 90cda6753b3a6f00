"""E1 in the GUI: typing in the grids is saved, survives a reload, switches language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch
from tests.ui.e145_helpers import Pseudo, build, group_id, leaks

from rmdesk import i18n
from rmdesk.i18n import gettext_for
from rmdesk.services.workshops import WorkshopService
from rmdesk.ui.context_scan_page import ContextScanPage
from rmdesk.ui.exercise_pages import PAGE_CLASSES


def type_into(editor, row: int, text: str, col: int = 0) -> None:
    """Keystrokes for ASCII; accented text arrives as an input method would deliver it
    (QTest cannot synthesise keys for it)."""
    edit = editor.rows[row][col]
    edit.setFocus()
    if text.isascii():
        QTest.keyClicks(edit, text)
    else:
        edit.insert(text)
        edit.textEdited.emit(edit.text())


def test_registered_for_its_kind() -> None:
    assert PAGE_CLASSES["context_scan"] == "context_scan_page:ContextScanPage"


def test_typed_answers_are_saved_and_reload(qtbot, filled_store) -> None:
    page = build(qtbot, filled_store, ContextScanPage, "context_scan")
    type_into(page.pestle["political"], 0, "Integração regional")
    type_into(page.pestle["political"], 1, "Élections en 2026")
    type_into(page.swot["threats"], 0, "Redes de fraude organizadas")
    type_into(page.stakeholders, 0, "Ministry of Finance")
    type_into(page.stakeholders, 0, "Revenue targets", col=1)
    type_into(page.objectives, 2, "Faster clearance")
    page.criteria.setFocus()
    QTest.keyClicks(page.criteria, "Above 9: treat")
    qtbot.waitUntil(lambda: not page.autosave.has_pending(), timeout=2000)  # debounced

    data = page.ctx.work.load(group_id(filled_store), "e1").data
    assert data["pestle"]["political"] == ["Integração regional", "Élections en 2026"]
    assert data["stakeholders"] == [{"name": "Ministry of Finance",
                                     "interest": "Revenue targets"}]
    assert data["risk_criteria"] == "Above 9: treat"

    again = build(qtbot, filled_store, ContextScanPage, "context_scan")
    assert again.pestle["political"].texts() == ["Integração regional", "Élections en 2026"]
    assert again.swot["threats"].texts() == ["Redes de fraude organizadas"]
    assert again.objectives.texts() == ["", "", "Faster clearance"]
    assert again.criteria.toPlainText() == "Above 9: treat"


def test_enter_adds_a_row_backspace_removes_an_empty_one(qtbot, filled_store) -> None:
    page = build(qtbot, filled_store, ContextScanPage, "context_scan")
    economic = page.pestle["economic"]
    type_into(economic, 1, "Inflation")
    QTest.keyClick(economic.rows[1][0], Qt.Key.Key_Return)
    assert len(economic.rows) == 3
    assert economic.rows[2][0].hasFocus()
    QTest.keyClicks(economic.rows[2][0], "Exchange rate")
    QTest.keyClick(economic.rows[2][0], Qt.Key.Key_Return)
    QTest.keyClick(economic.rows[3][0], Qt.Key.Key_Backspace)  # empty: removed
    assert economic.texts() == ["", "Inflation", "Exchange rate"]
    economic.remove_row(0)  # the × button
    page.flush()
    assert page.ctx.work.load(page.group_id, "e1").data["pestle"]["economic"] == [
        "Inflation", "Exchange rate"]


def test_undo_restores_a_removed_row(qtbot, filled_store) -> None:
    page = build(qtbot, filled_store, ContextScanPage, "context_scan")
    type_into(page.swot["strengths"], 0, "Experienced valuation unit")
    page.flush()
    page.swot["strengths"].remove_row(0)
    assert page.swot["strengths"].texts() == []
    assert page.undo()
    assert page.swot["strengths"].texts() == ["Experienced valuation unit"]
    assert page.ctx.work.load(page.group_id, "e1").data["swot"]["strengths"] == [
        "Experienced valuation unit"]
    assert page.redo()
    assert page.swot["strengths"].texts() == [""]  # an empty row to type into


def test_check_my_work_names_cells(qtbot, filled_store) -> None:
    page = build(qtbot, filled_store, ContextScanPage, "context_scan")
    type_into(page.pestle["legal"], 0, "New customs code")
    type_into(page.swot["opportunities"], 0, "Training for our staff")
    page.check_work()
    texts = page.findings_texts()
    assert "✗ Legal: 1 factor; list at least 2." in texts
    assert any(t.startswith("! Opportunities: “Training for our staff” mentions") for t in texts)


def test_language_switch_relabels_everything_and_keeps_typing(
        qtbot, filled_store, languages, monkeypatch) -> None:
    page = build(qtbot, filled_store, ContextScanPage, "context_scan")
    type_into(page.pestle["social"], 0, "Saúde pública")
    page.check_work()
    switch(languages, "fr")
    fr = gettext_for("fr")
    assert page.check_button.text() == fr("Check my work") != "Check my work"
    assert page.pestle["social"].texts()[0] == "Saúde pública"
    # Every label goes through the catalog: with a marking catalog, none is left bare.
    monkeypatch.setitem(i18n._catalogs, "fr", Pseudo())
    switch(languages, "en")
    switch(languages, "fr")
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        QApplication.processEvents()
    assert page.tabs.tabText(0) == "⟦&PESTLE⟧"
    assert leaks(page, {"Saúde pública"}) == []


def test_undo_steps_per_field_and_typing_stays_with_its_group(qtbot, filled_store) -> None:
    page = build(qtbot, filled_store, ContextScanPage, "context_scan")
    first = page.group_id
    type_into(page.pestle["legal"], 0, "New code")
    type_into(page.swot["threats"], 0, "Fraud")
    assert page.undo()  # only the typing in the threats goes
    assert page.pestle["legal"].texts()[0] == "New code"
    assert page.swot["threats"].texts() == [""]
    assert page.undo()
    assert page.pestle["legal"].texts()[0] == ""
    assert not page.undo()  # nothing left
    assert page.redo()
    assert page.pestle["legal"].texts()[0] == "New code"
    type_into(page.swot["weaknesses"], 0, "Old scanners")
    workshops = WorkshopService(filled_store)
    workshop, _group = workshops.current_selection()
    other = workshops.add_group(workshop.id, "Other group").id
    page.set_group(other)  # pending typing is written for the group it was typed for
    assert page.swot["weaknesses"].texts() == [""]
    assert not page.undo()  # each group starts a fresh history
    stored = page.ctx.work.load(first, "e1").data
    assert stored["swot"]["weaknesses"] == ["Old scanners"]
    assert page.ctx.work.load(other, "e1").data == {}
