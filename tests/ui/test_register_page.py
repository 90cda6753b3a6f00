"""Driving the E2/E3 page as a participant would: keyboard, autosave, undo, heat map."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QPlainTextEdit
from tests.ui.conftest import answer_message_box

from rmdesk.ui.autosave import AUTOSAVE_MS


def _page(window):
    window.tabs.setCurrentWidget(window.register_page)
    return window.register_page


def test_add_type_and_autosave_within_a_second(make_window, qtbot) -> None:
    window = make_window()
    page = _page(window)
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert page.model.rowCount() == 3
    risk = page.current_risk()
    assert risk is not None and risk.code == "R3"
    event: QPlainTextEdit = page.fields["event"]  # type: ignore[assignment]
    assert event.hasFocus()
    qtbot.keyClicks(event, "Drugs concealed in reefer containers")
    # No Save button: the store has it within the autosave delay (well under a second).
    qtbot.waitUntil(lambda: page.register.get(risk.id).event
                    == "Drugs concealed in reefer containers", timeout=1000)
    assert AUTOSAVE_MS < 1000
    assert page.model.risk_at(2).event == "Drugs concealed in reefer containers"


def test_ratings_update_score_level_and_heat_map(make_window, qtbot) -> None:
    window = make_window()
    page = _page(window)
    page.add_risk()
    risk_id = page.current_risk().id
    for name, value in (("likelihood", 5), ("impact", 4)):
        combo: QComboBox = page.fields[name]  # type: ignore[assignment]
        combo.setCurrentIndex(combo.findData(value))
        combo.activated.emit(combo.currentIndex())
    stored = page.register.get(risk_id)
    assert (stored.likelihood, stored.impact, stored.score) == (5, 4, 20)
    assert "20" in page.score_value.text() and "Extreme" in page.score_value.text()
    assert page.heatmap.cell_ids(5, 4) == ["R3"]
    assert page.heatmap.cell_ids(4, 3) == ["R1"]


def test_undo_redo_with_shortcuts(make_window, qtbot) -> None:
    window = make_window()
    page = _page(window)
    owner = page.fields["owner"]
    owner.setFocus()
    owner.selectAll()
    qtbot.keyClicks(owner, "Risk unit")
    page.autosave.flush()
    risk_id = page.current_risk().id
    assert page.register.get(risk_id).owner == "Risk unit"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.register.get(risk_id).owner == "Valuation unit"
    assert owner.text() == "Valuation unit"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert page.register.get(risk_id).owner == "Risk unit"
    assert owner.text() == "Risk unit"


def test_delete_then_undo_brings_the_risk_back(make_window, qtbot) -> None:
    window = make_window()
    page = _page(window)
    answer_message_box(QMessageBox.StandardButton.Yes)
    page.delete_current()
    assert [r.code for r in page.model.risks()] == ["R2"]
    assert page.heatmap.cell_ids(4, 3) == []
    window.undo()
    assert [r.code for r in page.model.risks()] == ["R1", "R2"]
    assert page.current_risk().code == "R1"


def test_out_of_range_rating_is_refused_with_a_message(make_window, qtbot, monkeypatch) -> None:
    window = make_window()
    page = _page(window)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    risk_id = page.current_risk().id
    page.autosave.queue(risk_id, "likelihood", "7")
    page.autosave.flush()
    assert shown and "1 to 5" in shown[0] and "7" in shown[0]
    assert page.register.get(risk_id).likelihood == 4  # nothing half-written


def test_check_my_work_lists_findings(make_window, qtbot) -> None:
    window = make_window()
    page = _page(window)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    rows = [page.feedback.item(i).text() for i in range(page.feedback.count())]
    assert any("R2" in row and "cause" in row for row in rows)
    assert any(row.startswith("!") and "Security" in row for row in rows)  # areas not considered


def test_group_choice_is_remembered(make_window, filled_store, qtbot) -> None:
    window = make_window()
    assert window.group_combo.currentText() == "Grupo Ñandú"
    assert "Grupo Ñandú" in window.windowTitle()
    window.close()
    again = make_window()
    assert again.group_combo.currentText() == "Grupo Ñandú"
    assert again.register_page.model.rowCount() == 2
