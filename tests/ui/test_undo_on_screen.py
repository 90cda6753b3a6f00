"""Undo does what is on screen (issue 11 item 3): on every exercise, Ctrl+Z reverses the
last edit of that exercise and nothing else, Ctrl+Shift+Z brings it back, an empty field
or a spin box does not swallow the keys, and the Edit menu names what will be undone."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDoubleSpinBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from tests.ui.conftest import answer_message_box

from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.targeting import TargetingService
from rmdesk.ui.exercise_pages import LazyPage


def _pruned(value: object) -> object:
    """Without empty parts: an answer never saved and one saved empty are the same work."""
    if isinstance(value, dict):
        value = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in value.items() if v not in ("", [], {}, None)}
    if isinstance(value, list):
        items = [_pruned(v) for v in value]
        return [] if all(v in ("", [], {}, None) for v in items) else items
    return value


def everything(window) -> str:
    """All the group's stored work, every exercise, as one comparable text."""
    window.flush_edits()
    _workshop, group = window.workshops.current_selection()
    work = ExerciseWorkService(window.store)
    targeting = TargetingService(window.store)
    state = {
        "answers": {e.id: _pruned(work.load(group.id, e.id).data)
                    for e in window.pack.exercises},
        "risks": [r.__dict__ for r in RegisterService(window.store).list_risks(group.id)],
        "picks": [p.__dict__ for p in targeting.picks(group.id)],
        "profiles": targeting.profile_snapshot(group.id),
    }
    return json.dumps(state, sort_keys=True, default=str)


def page_of(window, kind: str) -> QWidget:
    for k, page in window.exercise_tabs:
        if k == kind:
            window.tabs.setCurrentWidget(page)
            QApplication.processEvents()
            return page.page if isinstance(page, LazyPage) else page
    raise LookupError(kind)


def text_fields(page: QWidget) -> list[QWidget]:
    return [w for w in page.findChildren(QWidget)
            if isinstance(w, QLineEdit | QPlainTextEdit) and w.isVisible() and w.isEnabled()
            and not w.isReadOnly() and not isinstance(w.parent(), QAbstractSpinBox)]


def type_into(page: QWidget, qtbot) -> None:
    """A user's edit on the page: a few letters in its first free text field."""
    fields = text_fields(page)
    assert fields, f"no field to type in on {type(page).__name__}"
    field = fields[0]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClicks(field, " zq")


def prepare(window, kind: str, page: QWidget, qtbot) -> None:
    """What a user does first on some pages before there is a field to type in."""
    if kind == "treatment":
        page.select_risk("R1")
    elif kind == "profile":
        page.add_profile()
    elif kind == "evaluation":
        page.table.selectRow(0)
    elif kind == "register_analysis":
        page.select_risk(page.model.risk_at(0).id)
    elif kind == "kpi_plan":
        page.add_kpi()
    QApplication.processEvents()
    # The page's answer as it stands, saved once, so that "before" is what undo restores
    # (an answer never saved and the same answer saved empty are one state for the user).
    if kind == "tuning":
        page._save()
    elif hasattr(page, "answer_data"):
        page.ctx.work.save(page.group_id, page.exercise.id, page.answer_data())


def edit(window, kind: str, page: QWidget, qtbot) -> None:
    if kind == "tuning":
        spin = page.findChildren(QDoubleSpinBox)[0]
        spin.setFocus()
        spin.setValue(spin.value() + 12.5)
    else:
        type_into(page, qtbot)


def neutral_focus(window, qtbot) -> None:
    """Focus somewhere that has no typing of its own to undo: the page list."""
    window.activateWindow()  # back from a message box
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.tabs.list.setFocus()
    qtbot.waitUntil(window.tabs.list.hasFocus)


KINDS = ["context_scan", "register_analysis", "evaluation", "treatment",
         "indicator_selection", "profile", "tuning", "kpi_plan", "regional_project",
         "maturity", "intelligence"]


@pytest.mark.parametrize("kind", KINDS)
def test_ctrl_z_reverses_the_edit_on_screen_and_nothing_else(make_window, qtbot,
                                                             kind) -> None:
    window = make_window()
    page = page_of(window, kind)
    prepare(window, kind, page, qtbot)
    window.flush_edits()
    before = everything(window)
    edit(window, kind, page, qtbot)
    window.flush_edits()
    edited = everything(window)
    assert edited != before, "the edit was saved"
    neutral_focus(window, qtbot)
    window._name_history_actions()
    assert window.undo_action.text() != "&Undo", "the Edit menu names the change"
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert everything(window) == before
    QTest.keyClick(window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert everything(window) == edited


def test_targeting_has_nothing_to_undo_and_changes_no_other_page(make_window, qtbot) -> None:
    window = make_window()
    page = page_of(window, "register_analysis")
    page.select_risk(page.model.risk_at(0).id)
    answer_message_box(QMessageBox.StandardButton.Yes)
    page.delete_current()
    before = everything(window)
    page_of(window, "targeting")
    neutral_focus(window, qtbot)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert everything(window) == before  # the deleted risk on E2-E3 stays deleted
    assert "Nothing to undo" in window.statusBar().currentMessage()


def test_an_empty_field_or_a_spin_box_does_not_swallow_undo(make_window, qtbot) -> None:
    window = make_window()
    page = page_of(window, "register_analysis")
    before = everything(window)
    page.select_risk(page.model.risk_at(1).id)
    answer_message_box(QMessageBox.StandardButton.Yes)
    page.delete_current()
    window._name_history_actions()
    assert window.undo_action.text() == "&Undo delete risk R2"
    empty = QLineEdit(page)  # any empty field of the page
    empty.show()
    neutral_focus(window, qtbot)
    empty.setFocus()
    qtbot.waitUntil(empty.hasFocus)
    QTest.keyClick(empty, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert everything(window) == before
    window._name_history_actions()
    assert window.redo_action.text() == "&Redo delete risk R2"
    tuning = page_of(window, "tuning")
    tuning._save()
    before = everything(window)
    spin = tuning.findChildren(QDoubleSpinBox)[0]
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    spin.setValue(40)
    tuning.flush()
    changed = everything(window)
    QTest.keyClick(spin, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert everything(window) == before != changed
