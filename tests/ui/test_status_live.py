"""Status is live (issue 11 item 5): the first edit makes an exercise "in progress" in the
exercise bar and the progress table, a new group shows in the table at once, and editing a
submitted exercise reopens it and says so."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from tests.ui.test_undo_on_screen import page_of

KINDS = ["context_scan", "evaluation", "indicator_selection", "kpi_plan", "maturity"]


def progress_cell(window, exercise_id: str) -> str:
    window.tabs.setCurrentWidget(window.workshop_page)
    QApplication.processEvents()
    row = [e.id for e in window.pack.exercises].index(exercise_id)
    return window.progress.table.item(row, 1).text()


def first_line_edit(page) -> QLineEdit:
    return next(w for w in page.findChildren(QLineEdit)
                if w.isVisible() and w.isEnabled() and not w.isReadOnly())


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_edit_makes_the_exercise_in_progress(make_window, qtbot, kind) -> None:
    window = make_window()
    page = page_of(window, kind)
    exercise = window.current_exercise()
    if kind == "kpi_plan":
        page.add_kpi()
        _workshop, group = window.workshops.current_selection()
        window.exercise_work.set_status(group.id, exercise.id, "not_started")
        window._update_bar()
    assert window.exercise_bar.status_label.text() == "Status: Not started"
    field = first_line_edit(page)
    field.setFocus()
    QTest.keyClicks(field, "Aduana")
    qtbot.waitUntil(lambda: window.exercise_bar.status_label.text() == "Status: In progress",
                    timeout=3000)
    assert progress_cell(window, exercise.id) == "◐ In progress"


def test_editing_a_submitted_exercise_reopens_it_and_says_so(make_window, qtbot) -> None:
    window = make_window()
    page = page_of(window, "context_scan")
    window.exercise_bar.submit_button.click()
    assert window.exercise_bar.status_label.text() == "Status: Submitted"
    field = first_line_edit(page)
    field.setFocus()
    QTest.keyClicks(field, "Aduana")
    qtbot.waitUntil(lambda: window.exercise_bar.status_label.text() == "Status: In progress",
                    timeout=3000)
    assert "reopened" in window.statusBar().currentMessage()
    assert window.exercise_bar.submit_button.text() == "Submit exercise"


def test_a_new_group_shows_in_the_progress_table_at_once(make_window, monkeypatch) -> None:
    window = make_window()
    window.tabs.setCurrentWidget(window.workshop_page)
    QApplication.processEvents()
    assert window.progress.table.columnCount() == 2
    monkeypatch.setattr("rmdesk.ui.workshop_page.QInputDialog.getText",
                        lambda *a, **k: ("Grupo Cóndor", True))
    window.workshop_page.add_group_button.click()
    headers = [window.progress.table.horizontalHeaderItem(c).text()
               for c in range(window.progress.table.columnCount())]
    assert "Grupo Cóndor" in headers
