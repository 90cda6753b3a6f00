"""The window's live sync: File > Connect to classroom server…, the status bar, work that
goes on while the server is unreachable and is sent when it is back, and the facilitator's
dashboard refreshing as groups sync. The server is an SQLite file standing in for
PostgreSQL (the same SQLAlchemy code; tests/store/test_sync*.py run both)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from tests.store.sync_support import (
    risks,
    set_up_laptop,
    setup_classroom,
    sqlite_server_url,
)

from rmdesk.content.pack import builtin_pack
from rmdesk.services.settings import SettingsService
from rmdesk.services.sync import SERVER_URL
from rmdesk.ui.main_window import MainWindow
from rmdesk.ui.server_dialog import CONNECTED, ServerDialog

OFFLINE_URL = "postgresql://group1:secret@127.0.0.1:9/rmdesk"  # nothing listens on port 9


@pytest.fixture
def room(tmp_path: Path):
    room = setup_classroom(sqlite_server_url(tmp_path / "server"), tmp_path / "facilitator")
    yield room
    room.server.close()


@pytest.fixture
def laptop(room, tmp_path: Path):
    laptop = set_up_laptop(room, tmp_path / "laptop", room.groups[0])
    yield laptop
    laptop.store.close()


@pytest.fixture
def window(qtbot, laptop, languages):
    window = MainWindow(laptop.store, builtin_pack(), languages)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()  # stops the sync thread


def _status(window: MainWindow) -> str:
    QApplication.processEvents()
    return window.classroom_sync.label.text()


def test_connecting_tests_the_address_then_syncs_in_the_background(
        qtbot, room, laptop, window, tmp_path: Path) -> None:
    assert not window.classroom_sync.label.isVisible()  # no server: nothing shown
    dialog = ServerDialog(window, laptop.store)
    qtbot.addWidget(dialog)
    dialog.url.setText("http://example.org")
    dialog.test_connection()
    assert "is not a classroom server address" in dialog.outcome.text()
    dialog.url.setText(room.url)
    dialog.test_connection()
    dialog.wait_for_test()
    qtbot.waitUntil(lambda: "Taller regional 2026" in dialog.outcome.text(), timeout=5000)
    dialog.connect_button.click()
    assert dialog.result() == CONNECTED
    assert SettingsService(laptop.store).get(SERVER_URL) == room.url
    window.classroom_sync.start_from_settings()
    qtbot.waitUntil(lambda: "connected, last sync" in _status(window), timeout=10000)
    assert window.classroom_sync.label.isVisible()

    # Typing in the window reaches the server with the next round, without a prompt.
    window.register.add_risk(laptop.group_id, event="Cocaine in reefer containers")
    qtbot.waitUntil(lambda: "Cocaine in reefer containers" in [
        r["event"] for r in risks(room.server, laptop.group_id).values()], timeout=10000)
    # Another laptop of the group: its work arrives in this window.
    other = set_up_laptop(room, tmp_path / "other", room.groups[0])
    other.register.add_risk(laptop.group_id, event="Undervalued footwear")
    other.sync()
    qtbot.waitUntil(lambda: "Undervalued footwear" in [
        r.event for r in window.register.list_risks(laptop.group_id)], timeout=10000)
    other.store.close()


def test_an_unreachable_server_is_shown_and_work_is_sent_when_it_is_back(
        qtbot, room, laptop, window) -> None:
    laptop.sync()
    window.classroom_sync.start(OFFLINE_URL)
    qtbot.waitUntil(lambda: "offline since" in _status(window), timeout=15000)
    assert "secret" not in window.classroom_sync.label.toolTip()
    window.register.add_risk(laptop.group_id, event="Typed while offline")
    qtbot.waitUntil(lambda: "1 change waiting to be sent" in _status(window), timeout=15000)
    window.classroom_sync.start(room.url)  # the network is back
    qtbot.waitUntil(lambda: "connected, last sync" in _status(window), timeout=10000)
    assert "waiting" not in _status(window)
    assert [r["event"] for r in risks(room.server, laptop.group_id).values()] == [
        "Typed while offline"]


def test_the_status_follows_the_language(qtbot, room, laptop, window, languages) -> None:
    window.classroom_sync.start(room.url)
    qtbot.waitUntil(lambda: "connected" in _status(window), timeout=10000)
    languages.switch("fr")
    QApplication.processEvents()
    assert "Serveur de la classe" in _status(window)
    assert window.connect_server_action.text().startswith("Se connecter")


def test_the_facilitators_dashboard_refreshes_as_groups_sync(qtbot, room, laptop) -> None:
    from tests.store.sync_support import PIN

    from rmdesk.services.roles import RolesService
    from rmdesk.ui.facilitator_page import FacilitatorPage

    roles = RolesService(room.server)
    roles.unlock(PIN)
    page = FacilitatorPage(room.server, builtin_pack(), roles)
    qtbot.addWidget(page)
    page.live_timer.stop()  # the test ticks it itself
    page.show()
    page.set_workshop(room.workshop_id)
    assert not page.poll_changes()  # the first look: what is on screen
    assert not page.poll_changes()  # nothing changed
    cell = page.overview.cells[(laptop.group_id, "e2e3")]
    assert cell.status == "not_started"
    laptop.sync()
    laptop.register.add_risk(laptop.group_id, event="Cocaine in reefer containers")
    laptop.sync()
    assert page.poll_changes()
    assert page.overview.cells[(laptop.group_id, "e2e3")].status == "in_progress"
    assert not page.poll_changes()
    # Typing feedback is never interrupted by a refresh: it waits until the typing stops.
    page.activateWindow()
    page.feedback_edit.setFocus()
    qtbot.waitUntil(lambda: page.feedback_edit.hasFocus(), timeout=2000)
    laptop.register.add_risk(laptop.group_id, event="Undervalued footwear")
    laptop.sync()
    assert not page.poll_changes()
    page.refresh_button.setFocus()
    assert page.poll_changes()


def test_the_sync_interval_is_chosen_in_the_dialog_and_applies_without_a_restart(
        qtbot, room, laptop, window, languages) -> None:
    from rmdesk.services.sync import SYNC_INTERVAL, set_sync_interval, sync_interval

    dialog = ServerDialog(window, laptop.store)
    qtbot.addWidget(dialog)
    assert dialog.interval.value() == 2  # the default
    dialog.url.setText(room.url)
    for bad in (90, 1, 0):
        dialog.interval.setValue(bad)
        assert "from 2 to 60" in dialog.outcome.text() and f"“{bad}”" in dialog.outcome.text()
        assert not dialog.connect_button.isEnabled()
    languages.switch("es")
    QApplication.processEvents()
    assert "de 2 a 60" in dialog.outcome.text()  # the message follows the language
    assert "(segundos, 2–60)" in dialog.interval_label.text()
    languages.switch("en")
    dialog.interval.setValue(10)
    assert dialog.outcome.text() == "" and dialog.connect_button.isEnabled()
    dialog.connect_button.click()
    assert dialog.result() == CONNECTED
    assert SettingsService(laptop.store).get(SYNC_INTERVAL) == "10"
    sync = window.classroom_sync
    sync.start_from_settings()
    assert sync.timer.isActive() and sync.timer.interval() == 10_000
    qtbot.waitUntil(lambda: "connected, last sync" in _status(window), timeout=10000)
    # Changed meanwhile (`rmdesk sync --interval 3` on this laptop): the next round
    # takes it, the window stays as it is.
    set_sync_interval(laptop.store, 3)
    sync.sync_now()
    qtbot.waitUntil(lambda: sync.timer.interval() == 3000, timeout=10000)
    assert sync.timer.isActive() and sync_interval(laptop.store) == 3
    reopened = ServerDialog(window, laptop.store)
    qtbot.addWidget(reopened)
    assert reopened.interval.value() == 3


def test_without_the_driver_the_window_says_so_not_offline(
        qtbot, laptop, window, languages, monkeypatch) -> None:
    """A packaged laptop whose package lacks psycopg: the dialog's test and the status
    bar's tooltip name the missing driver, in the language shown."""
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    languages.switch("pt_BR")
    dialog = ServerDialog(window, laptop.store)
    qtbot.addWidget(dialog)
    dialog.url.setText(OFFLINE_URL)
    dialog.test_connection()
    dialog.wait_for_test()
    qtbot.waitUntil(lambda: "psycopg" in dialog.outcome.text(), timeout=5000)
    assert "empacotada sem o driver" in dialog.outcome.text()
    window.classroom_sync.start(OFFLINE_URL)
    qtbot.waitUntil(lambda: "não sincronizado" in _status(window), timeout=10000)
    assert "psycopg" in window.classroom_sync.label.toolTip()
    assert "offline" not in window.classroom_sync.label.toolTip()
