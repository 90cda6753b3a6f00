"""E6 in the GUI: choosing and mapping indicators is saved, and feedback follows the key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from tests.ui.conftest import switch
from tests.ui.indicators_helpers import choose

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.indicators import IndicatorPick


def test_choosing_and_mapping_is_saved(make_window, qtbot) -> None:
    window = make_window()
    page = window.indicators_page
    window.tabs.setCurrentWidget(page)
    choose(page, "I10", "unit_value", "arrival", "Used cars at 40 % of the reference price")
    choose(page, "I13", "date", "arrival", "")
    page.table.item(page.rows["I13"], 0).setCheckState(Qt.CheckState.Unchecked)
    group_id = page.group_id
    qtbot.waitUntil(lambda: not page.autosave.has_pending(), timeout=2000)
    assert page.targeting.picks(group_id) == [
        IndicatorPick("I10", "unit_value", "arrival", "Used cars at 40 % of the reference price")]


def test_feedback_reports_precision_and_recall(make_window, qtbot) -> None:
    window = make_window()
    page = window.indicators_page
    window.tabs.setCurrentWidget(page)
    relevant = [i for i in builtin_pack().indicators if i.relevant][:3]
    for indicator in relevant:
        choose(page, indicator.id, indicator.field, indicator.phase, "in the case")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    rows = [page.feedback.item(i).text() for i in range(page.feedback.count())]
    assert any("precision 100%" in row and "you found 3 of its" in row for row in rows)


def test_indicator_texts_and_choices_switch_language(make_window, languages) -> None:
    window = make_window()
    page = window.indicators_page
    window.tabs.setCurrentWidget(page)
    choose(page, "I10", "unit_value", "arrival", "texto escrito")
    indicator = next(i for i in builtin_pack().indicators if i.id == "I10")
    switch(languages, "fr")
    row = page.rows["I10"]
    assert indicator.text.get("fr") in page.table.item(row, 0).text()
    field: QComboBox = page.table.cellWidget(row, 1)  # type: ignore[assignment]
    assert field.currentData() == "unit_value"
    assert field.currentText() != "Unit value (USD)"  # the label is in French now
    assert page.table.cellWidget(row, 3).text() == "texto escrito"
    QApplication.processEvents()


def test_typing_a_reason_selects_the_indicator(make_window, qtbot) -> None:
    from PySide6.QtTest import QTest

    window = make_window()
    page = window.indicators_page
    window.tabs.setCurrentWidget(page)
    edit = page.table.cellWidget(page.rows["I03"], 3)
    edit.setFocus()
    QTest.keyClicks(edit, "New importers: counterfeit trainers")
    assert page.is_chosen("I03")
    qtbot.waitUntil(lambda: not page.autosave.has_pending(), timeout=2000)
    assert page.targeting.picks(page.group_id) == [
        IndicatorPick("I03", "", "", "New importers: counterfeit trainers")]
