"""The facilitator dashboard and PIN dialog, driven as a facilitator would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from rmdesk.content.pack import builtin_pack
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.register import RegisterService
from rmdesk.services.roles import RolesService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.store.models import TargetingRun
from rmdesk.ui.facilitator_page import CONSOLIDATED, FacilitatorPage
from rmdesk.ui.pin_dialog import SET, UNLOCK, PinDialog


class Clock:
    now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def workshop(filled_store: Store) -> tuple[Store, str, list[str]]:
    """The ui fixture's workshop (one group, two risks) plus a second group."""
    workshops = WorkshopService(filled_store)
    workshop, first = workshops.current_selection()
    assert workshop is not None and first is not None
    second = workshops.add_group(workshop.id, "Beta")
    RegisterService(filled_store).add_risk(second.id, event="Counterfeit medicines",
                                           likelihood=5, impact=5)
    with filled_store.session() as s:
        s.add(TargetingRun(group_id=second.id, metrics_json=json.dumps(
            {"hit_rate": 0.25, "detection_rate": 0.5, "selection_rate": 0.1, "lift": 3.0})))
    return filled_store, workshop.id, [first.id, second.id]


@pytest.fixture
def page(qtbot, workshop, languages) -> FacilitatorPage:
    store, workshop_id, _groups = workshop
    roles = RolesService(store, Clock())
    widget = FacilitatorPage(store, builtin_pack(), roles)
    qtbot.addWidget(widget)
    widget.set_workshop(workshop_id)
    widget.resize(1000, 700)
    widget.show()
    return widget


def test_hidden_until_facilitator_mode_is_unlocked(page: FacilitatorPage) -> None:
    assert page.stack.currentWidget() is page.locked_panel
    assert not page.print_report_button.isVisible()
    page.roles.set_first_pin("2468")
    assert page.stack.currentWidget() is page.tabs
    assert page.print_report_button.isVisible()
    assert page.status_table.rowCount() == 2
    page.roles.lock()
    assert page.stack.currentWidget() is page.locked_panel


def test_status_grid_feedback_and_score(qtbot, page: FacilitatorPage, workshop) -> None:
    store, _w, (first, second) = workshop
    page.roles.set_first_pin("2468")
    table = page.status_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    ids = [e.id for e in page.pack.exercises]
    register, indicators = ids.index("e2e3"), ids.index("e6")
    assert headers[register] == "E2–E3 Risk register and analysis"
    assert headers[indicators] == "E6 Risk indicators"
    assert len(headers) == len(ids)
    assert "In progress" in table.item(0, register).text()
    assert "Not started" in table.item(0, indicators).text()
    table.setCurrentCell(1, register)
    qtbot.keyClicks(page.feedback_edit, "Rate R1 again.")
    page.score_spin.setValue(72)
    page.flush()
    state = ExerciseWorkService(store).load(second, "e2e3")
    assert (state.feedback, state.score) == ("Rate R1 again.", 72)
    assert "72" in table.item(1, register).text() and "✎" in table.item(1, register).text()
    page.score_spin.setValue(page.score_spin.minimum())  # "no score"
    assert ExerciseWorkService(store).load(second, "e2e3").score is None
    # Another cell shows its own (empty) feedback.
    table.setCurrentCell(0, indicators)
    assert page.feedback_edit.toPlainText() == ""


def test_phase_toggles(page: FacilitatorPage, workshop) -> None:
    store, workshop_id, _groups = workshop
    page.roles.set_first_pin("2468")
    changes: list[bool] = []
    page.phases_changed.connect(lambda: changes.append(True))
    ids = [e.id for e in page.pack.exercises]
    page.phase_table.item(ids.index("e2e3"), 1).setCheckState(Qt.CheckState.Checked)
    page.phase_table.item(ids.index("e6"), 2).setCheckState(Qt.CheckState.Checked)
    service = FacilitationService(store)
    assert service.is_locked(workshop_id, "e2e3") and not service.is_revealed(workshop_id, "e2e3")
    assert service.is_revealed(workshop_id, "e6")
    assert changes == [True, True]


def test_side_by_side_overlay_and_leaderboard(page: FacilitatorPage) -> None:
    page.roles.set_first_pin("2468")
    page.tabs.setCurrentIndex(1)
    page.exercise_combo.setCurrentIndex(page.exercise_combo.findData("e2e3"))
    assert page.side_columns == ["Model answer", "Grupo Ñandú", "Beta"]
    html = page.side_view.toPlainText()
    assert "Subfaturamento de calçados" in html and "Counterfeit medicines" in html
    page.tabs.setCurrentIndex(2)
    page.min_groups.setValue(1)
    labels = [page.overlay_table.item(r, 1).text() for r in range(page.overlay_table.rowCount())]
    assert set(labels) == {"Subfaturamento de calçados", "Counterfeit medicines"}
    page.overlay_table.setCurrentCell(0, 0)
    assert page.overlay_map.highlighted == 1
    page.min_groups.setValue(2)  # only the risk both groups rated
    assert page.overlay_table.rowCount() == 1
    assert page.overlay_table.item(0, 1).text() == "Counterfeit medicines"
    assert page.overlay_table.item(0, 3).text() == str(25 - 10)
    page.min_groups.setValue(3)
    assert page.overlay_table.rowCount() == 0 and page.overlay_empty.isVisibleTo(page)
    page.tabs.setCurrentIndex(3)
    rows = [[page.leader_table.item(r, c).text() for c in range(4)]
            for r in range(page.leader_table.rowCount())]
    assert rows[0][:4] == ["1", "Beta", "1", "25.0%"]
    assert rows[1][:3] == ["—", "Grupo Ñandú", "0"]
    page.grab().save(str(Path(page.store.path).parent / "dashboard.png"))


def test_retranslates(page: FacilitatorPage, languages) -> None:
    page.roles.set_first_pin("2468")
    languages.switch("es")
    QApplication.processEvents()
    assert page.status_table.horizontalHeaderItem(0).text() != "E2–E3 Risk register and analysis"
    languages.switch("en")
    QApplication.processEvents()
    assert page.tabs.tabText(0) == "Status and feedback"


def test_print_workshop_report_in_a_thread(qtbot, page: FacilitatorPage, tmp_path,
                                           monkeypatch) -> None:
    errors: list[object] = []
    monkeypatch.setattr("rmdesk.ui.print_preview.show_error",
                        lambda _parent, error: errors.append(error))
    page.roles.set_first_pin("2468")
    out = tmp_path / "report.pdf"
    thread = page.start_print(CONSOLIDATED, ("en",), out, preview=False)
    qtbot.waitUntil(lambda: page.last_output is not None or bool(errors), timeout=30000)
    assert errors == []
    thread.wait(5000)
    assert page.last_output == out and out.exists()


def test_overall_comment_and_release_into_the_group_outputs(
        qtbot, page: FacilitatorPage, workshop, tmp_path) -> None:
    """The facilitator writes an overall comment on a group and, printing every group's
    output, ticks the release box: the group's PDF carries the comment and the scores."""
    from pypdf import PdfReader

    from rmdesk.ui.facilitator_page import BATCH, PrintOptionsDialog

    store, _w, (first, second) = workshop
    page.roles.set_first_pin("2468")
    register = [e.id for e in page.pack.exercises].index("e2e3")
    page.status_table.setCurrentCell(1, register)
    qtbot.keyClicks(page.overall_edit, "Ready for the director.")
    page.score_spin.setValue(64)
    page.flush()
    assert FacilitationService(store).overall_comment(second) == "Ready for the director."
    page.status_table.setCurrentCell(0, register)  # another group: its own comment
    assert page.overall_edit.toPlainText() == ""

    dialog = PrintOptionsDialog(page, BATCH, tmp_path, "en")
    qtbot.addWidget(dialog)
    assert not dialog.release.isChecked()  # nothing leaves without the facilitator's say
    dialog.show()
    assert dialog.release.isVisible()
    texts = {}
    for released in (False, True):
        folder = tmp_path / str(released)
        page.last_output = None
        thread = page.start_print(BATCH, ("en",), folder, preview=False,
                                  with_feedback=released)
        qtbot.waitUntil(lambda: page.last_output is not None, timeout=30000)
        thread.wait(5000)
        texts[released] = " ".join(" ".join((p.extract_text() or "").split())
                                   for p in PdfReader(folder / "Beta - en.pdf").pages)
    assert "Ready for the director." in texts[True] and "Score: 64/100" in texts[True]
    assert "Ready for the director." not in texts[False] and "64/100" not in texts[False]


def test_pin_dialog_first_use_then_unlock(qtbot, workshop) -> None:
    store, _w, _g = workshop
    clock = Clock()
    roles = RolesService(store, clock)
    dialog = PinDialog(None, roles, SET)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.new_pin, "12ab34")  # letters are not accepted
    assert dialog.new_pin.text() == "1234"
    qtbot.keyClicks(dialog.confirm, "1235")
    dialog.try_accept()
    assert dialog.result() == 0 and "not the same" in dialog.message.text()
    assert dialog.new_pin.text() == dialog.confirm.text() == ""  # both typed again
    dialog.new_pin.setText("1234")
    dialog.confirm.setText("1234")
    dialog.try_accept()
    assert roles.is_facilitator and roles.has_pin()

    roles.lock()
    unlock = PinDialog(None, roles, UNLOCK)
    qtbot.addWidget(unlock)
    assert unlock.hint.isHidden()  # "Forgotten? …" only once a PIN was wrong
    ok = unlock.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for attempt in ("0000", "1111"):
        unlock.pin.setText(attempt)
        unlock.try_accept()
        assert "not right" in unlock.message.text()
        assert unlock.pin.text() == ""
    assert not unlock.hint.isHidden() and "reset-pin" in unlock.hint.text()
    unlock.pin.setText("2222")
    unlock.try_accept()
    assert "Try again in 5 seconds" in unlock.message.text()
    assert not unlock.hint.isHidden()
    unlock.pin.setText("1234")
    assert not ok.isEnabled()  # the service refuses tries now, and the dialog shows it
    clock.now += 5
    unlock._tick()
    assert ok.isEnabled() and unlock.message.text() == ""
    unlock.try_accept()
    assert roles.is_facilitator


def test_facilitator_confirms_and_splits_a_match(qtbot, page: FacilitatorPage,
                                                 workshop) -> None:
    store, workshop_id, _groups = workshop
    page.roles.set_first_pin("2468")
    page.tabs.setCurrentIndex(2)
    page.min_groups.setValue(2)
    assert page.overlay_table.rowCount() == 1
    page.overlay_table.setCurrentCell(0, 0)
    assert page.match_members.count() == 2  # one line per group, with its own wording
    assert not page.separate_button.isEnabled()  # no group's risk chosen yet
    qtbot.mouseClick(page.confirm_match_button, Qt.MouseButton.LeftButton)
    assert page.overlay_table.item(0, 1).text() == "Counterfeit medicines ✓"
    assert not page.confirm_match_button.isEnabled()
    # Kept in the store: a new page (another session) shows the same confirmation.
    from rmdesk.services.comparison import ComparisonService

    assert ComparisonService(store, page.pack).overlay(workshop_id).risks[0].confirmed
    page.overlay_table.setCurrentCell(0, 0)
    page.match_members.setCurrentRow(1)
    qtbot.mouseClick(page.separate_button, Qt.MouseButton.LeftButton)
    assert page.overlay_table.rowCount() == 0  # Beta's risk stands alone now
    qtbot.mouseClick(page.reset_matches_button, Qt.MouseButton.LeftButton)
    assert page.overlay_table.rowCount() == 1
    assert page.overlay_table.item(0, 1).text() == "Counterfeit medicines"
