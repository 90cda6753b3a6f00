"""E4 in the GUI: the register ranked with the appetite line, moves, decisions, reloads."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch
from tests.ui.e145_helpers import Pseudo, build, group_id, leaks

from rmdesk import i18n
from rmdesk.i18n import gettext_for
from rmdesk.services.register import RegisterService
from rmdesk.ui.evaluation_page import COL_DECISION, COL_ESCALATION, COL_REASON, EvaluationPage


def add_risks(store) -> None:
    register = RegisterService(store)
    gid = group_id(store)
    register.add_risk(gid, event="Waste shipments", likelihood=1, impact=2)  # R3: 2
    register.add_risk(gid, event="Misdeclared origin", likelihood=3, impact=2)  # R4: 6


def decide(page: EvaluationPage, code: str, decision: str, reason: str = "",
           escalation: str = "") -> None:
    row = page._table_row(page.ranked_codes().index(code))
    combo = page.table.cellWidget(row, COL_DECISION)
    combo.setCurrentIndex(combo.findData(decision))
    combo.activated.emit(combo.currentIndex())
    for col, text in ((COL_REASON, reason), (COL_ESCALATION, escalation)):
        if text:
            edit = page.table.cellWidget(row, col)
            edit.setFocus()
            QTest.keyClicks(edit, text)


def test_ranked_by_score_with_the_appetite_line(qtbot, filled_store) -> None:
    add_risks(filled_store)
    page = build(qtbot, filled_store, EvaluationPage, "evaluation")
    assert page.ranked_codes() == ["R1", "R2", "R4", "R3"]  # 12, 10, 6, 2
    assert page.line == 2
    line = page.table.item(2, 0).text()
    assert line == "▲ Above this line: exceed the appetite (score above 9) ▲"
    assert page.table.item(0, 3).text() == "12 · High"
    assert "No high risk to health is accepted." in page.appetite_label.text()


def test_keyboard_moves_and_decisions_are_saved_and_reload(qtbot, filled_store) -> None:
    add_risks(filled_store)
    page = build(qtbot, filled_store, EvaluationPage, "evaluation")
    page.table.setFocus()
    page.table.setCurrentCell(3, 1)  # R4, just below the line
    QTest.keyClick(page.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert page.ranked_codes() == ["R1", "R4", "R2", "R3"]
    assert page.line == 3  # R2 still exceeds the appetite: the line follows it
    decide(page, "R1", "treat", "Revenue loss", "Director of revenue")
    decide(page, "R4", "accept", "Rising fast")
    page.flush()
    data = page.ctx.work.load(page.group_id, "e4").data
    ids = {r.code: r.id for r in page.risks}
    assert data["order"] == [ids["R1"], ids["R4"], ids["R2"], ids["R3"]]
    assert data["decisions"] == {
        ids["R1"]: {"decision": "treat", "reason": "Revenue loss",
                    "escalation": "Director of revenue", "order_reason": ""},
        ids["R4"]: {"decision": "accept", "reason": "Rising fast", "escalation": "",
                    "order_reason": ""},
    }
    again = build(qtbot, filled_store, EvaluationPage, "evaluation")
    assert again.ranked_codes() == ["R1", "R4", "R2", "R3"]
    combo = again.table.cellWidget(again._table_row(1), COL_DECISION)
    assert combo.currentData() == "accept"
    assert again.table.cellWidget(0, COL_ESCALATION).text() == "Director of revenue"


def test_moving_with_focus_in_a_reason_keeps_typing_there(qtbot, filled_store) -> None:
    add_risks(filled_store)
    page = build(qtbot, filled_store, EvaluationPage, "evaluation")
    decide(page, "R3", "accept", "Tiny")
    reason = page.table.cellWidget(page._table_row(3), COL_REASON)
    reason.setFocus()
    QTest.keyClick(reason, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert page.ranked_codes() == ["R1", "R2", "R3", "R4"]
    focused = QApplication.focusWidget()
    assert focused is page.table.cellWidget(page._table_row(2), COL_REASON)
    assert focused.text() == "Tiny"


def test_register_changes_flow_in(qtbot, filled_store) -> None:
    add_risks(filled_store)
    page = build(qtbot, filled_store, EvaluationPage, "evaluation")
    decide(page, "R2", "treat", "Health")
    page.flush()
    register = RegisterService(filled_store)
    gone = next(r for r in page.risks if r.code == "R1")
    register.delete_risk(gone.id)
    register.add_risk(page.group_id, event="Cigarettes", likelihood=5, impact=5)  # R5: 25
    page.hide()
    page.show()  # showing the tab again reads the register
    assert page.ranked_codes() == ["R2", "R4", "R3", "R5"]  # new ones last, undecided
    assert page.table.cellWidget(page._table_row(3), COL_DECISION).currentData() == ""
    page.check_work()
    texts = page.findings_texts()
    assert "✗ Risk R5: decide whether to accept or treat it." in texts
    assert not any("R1" in t for t in texts)


def test_accepting_above_the_appetite_is_an_error(qtbot, filled_store) -> None:
    page = build(qtbot, filled_store, EvaluationPage, "evaluation")
    decide(page, "R1", "accept", "We can live with it", "Board")
    decide(page, "R2", "treat", "Health", "Board")
    page.check_work()
    assert ("✗ Risk R1 scores 12, above the appetite (at most 9 may be accepted): treat it, "
            "or escalate it to someone who may accept it.") in page.findings_texts()
    assert page.undo()  # back to before R2's reason and escalation were typed
    row = page._table_row(1)
    assert page.table.cellWidget(row, COL_DECISION).currentData() == "treat"
    assert page.table.cellWidget(row, COL_REASON).text() == ""
    assert page.undo()  # back to before R2 was decided
    assert page.table.cellWidget(row, COL_DECISION).currentData() == ""


def test_language_switch_relabels_everything(qtbot, filled_store, languages,
                                             monkeypatch) -> None:
    page = build(qtbot, filled_store, EvaluationPage, "evaluation")
    decide(page, "R1", "treat", "Revenue loss")
    page.check_work()
    switch(languages, "es")
    es = gettext_for("es")
    assert page.check_button.text() == es("Check my work") != "Check my work"
    assert page.table.cellWidget(0, COL_REASON).text() == "Revenue loss"
    assert page.table.cellWidget(0, COL_DECISION).currentData() == "treat"
    monkeypatch.setitem(i18n._catalogs, "fr", Pseudo())
    switch(languages, "fr")
    assert page.table.horizontalHeaderItem(COL_DECISION).text() == "⟦Decision⟧"
    user = {"R1", "R2", "Subfaturamento de calçados", "Counterfeit medicines", "Revenue loss"}
    assert leaks(page, user) == []
