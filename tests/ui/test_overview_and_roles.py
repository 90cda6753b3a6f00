"""The workshop overview shows each group's progress and opens an exercise; the
facilitator's tab appears only once facilitator mode is unlocked."""

from __future__ import annotations


def test_overview_shows_progress_and_opens_the_exercise(make_window) -> None:
    window = make_window()
    window.tabs.setCurrentWidget(window.workshop_page)
    table = window.progress.table
    exercises = window.pack.exercises
    assert table.rowCount() == len(exercises)
    row = [e.kind for e in exercises].index("register_analysis")
    assert table.horizontalHeaderItem(1).text() == "Grupo Ñandú ★"
    assert table.item(row, 1).text() == "◐ In progress"  # the group has two risks
    other = next(i for i, e in enumerate(exercises) if e.kind != "register_analysis")
    assert table.item(other, 1).text() == "○ Not started"
    _workshop, group = window.workshops.current_selection()
    window.study.submit(group.id, exercises[row].id)
    window.progress.refresh()
    assert table.item(row, 1).text() == "● Submitted"
    table.cellActivated.emit(other, 0)
    assert window.current_exercise().id == exercises[other].id


def test_facilitator_tab_only_in_facilitator_mode(make_window) -> None:
    window = make_window()
    assert window.facilitator_page is None  # participants never build it
    assert not window.lock_action.isEnabled()
    window.roles.set_first_pin("2468", "2468")
    window.roles.unlock("2468")
    index = window.tabs.indexOf(window.facilitator_page)
    assert window.tabs.isTabVisible(index)
    assert window.tabs.tabText(index) == "Facilitator"
    window.show_dashboard()
    assert window.tabs.currentWidget() is window.facilitator_page
    window.roles.lock()
    assert not window.tabs.isTabVisible(index)
    assert window.tabs.currentWidget() is not window.facilitator_page


def test_overlay_matches_by_meaning_and_by_id_only_when_asked(
        qtbot, tmp_path, languages) -> None:
    from rmdesk.content.pack import builtin_pack
    from rmdesk.services.demo import create_demo
    from rmdesk.services.workshops import WorkshopService
    from rmdesk.store.database import open_store
    from rmdesk.ui.main_window import MainWindow

    store = open_store(tmp_path / "data")
    workshop = create_demo(store)  # three groups, registers in en, es and pt_BR
    WorkshopService(store).select(workshop.id, None)
    window = MainWindow(store, builtin_pack(), languages)
    qtbot.addWidget(window)
    window.roles.set_first_pin("2468", "2468")
    window.show_dashboard()
    page = window.facilitator_page
    page.tabs.setCurrentIndex(2)
    assert page.match_combo.currentData() == "event"
    labels = [page.overlay_table.item(r, 1).text() for r in range(page.overlay_table.rowCount())]
    # The Spanish and Portuguese wordings of the cigarettes in transit are one risk.
    assert any("Sulmara" in label for label in labels)
    assert "meaning" in page.match_note.text()
    # By ID only when the facilitator asks, and the page says what that means.
    by_id = page.match_combo.findData("code")
    page.match_combo.activated.emit(by_id)  # the facilitator picks it (as a click does)
    page.match_combo.setCurrentIndex(by_id)
    assert page.overlay.match_by == "code" and page.overlay_table.rowCount() >= 5
    assert "one ID may name different risks" in page.match_note.text()
    store.close()
