"""On a classroom laptop's screen (1366x768 or a 1280x720 projector, minus a taskbar), in
every language: every page and dialog fits, pages scroll inside themselves, the window
opens at a size that fits, and the keyboard moves between exercises the same way
everywhere."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTabWidget
from tests.ui.conftest import switch
from tests.ui.laptop_helpers import (
    SMALL,
    clipped_texts,
    demo_window,
    every_dialog,
    every_page,
    mnemonic_clashes,
    tab_order_jumps,
)

from rmdesk.i18n import LANGUAGES
from rmdesk.services import settings as keys
from rmdesk.services.settings import SettingsService
from rmdesk.ui.main_window import DEFAULT_SIZE, MainWindow, fits
from rmdesk.ui.page_navigator import IN_PROGRESS, NOT_STARTED, SUBMITTED


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_fits_a_small_screen_and_cuts_no_text(qtbot, store, languages,
                                                         lang) -> None:
    """The window can be made 1280x680 on every page, and no page needs a horizontal
    scroll bar there: what is taller scrolls inside the page. No text is cut without a
    way to read it whole: each label's size hint against its geometry, buttons, tabs,
    group box titles, combo boxes, cells and headings (see clipped_texts). And Tab moves
    in reading order (see tab_order_jumps)."""
    window = demo_window(qtbot, store, languages)
    switch(languages, lang)
    window.register_page.check_work()  # feedback texts too
    too_big, cut, jumps = [], [], []
    for name, page in every_page(window):
        cut += [f"{name}: {text}" for text in clipped_texts(window)]
        jumps += [f"{name}: {jump}" for jump in tab_order_jumps(page)]
        hint = window.minimumSizeHint()
        if hint.width() > SMALL[0] or hint.height() > SMALL[1]:
            too_big.append((name, "window", hint.toTuple()))
        window.resize(*SMALL)
        QApplication.processEvents()
        assert window.size().toTuple() == SMALL, name
        area = window.tabs.scroll_area(window.tabs.currentIndex())
        if page.minimumSizeHint().width() > area.viewport().width():
            too_big.append((name, "page width", page.minimumSizeHint().width(),
                            area.viewport().width()))
        for control in (window.exercise_bar.submit_button, window.exercise_bar.next_button,
                        window.save_state):
            if control.isVisible():  # the bar and status line stay on screen
                corner = control.mapTo(window, control.rect().bottomRight())
                assert window.rect().contains(corner), (name, control.text())
    assert too_big == []
    assert cut == [], "\n".join(cut)
    assert jumps == [], "\n".join(jumps)  # Tab follows the visual order


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_dialog_fits_a_small_screen_and_cuts_no_text(qtbot, store, languages, lang,
                                                           tmp_path) -> None:
    window = demo_window(qtbot, store, languages)
    switch(languages, lang)
    too_big, cut = [], []
    for name, dialog in every_dialog(window, tmp_path):
        hint = dialog.minimumSizeHint()
        if hint.width() > SMALL[0] or hint.height() > SMALL[1]:
            too_big.append((name, hint.toTuple()))
        cut += [f"{name}: {text}" for text in clipped_texts(dialog)]
    assert too_big == []
    assert cut == [], "\n".join(cut)


def test_window_opens_at_a_size_that_fits_the_screen(qtbot, store, languages) -> None:
    window = demo_window(qtbot, store, languages)
    available = window.screen().availableGeometry()
    # A size kept from a large monitor does not come back on a small screen...
    window.setGeometry(0, 0, available.width() + 400, available.height() + 300)
    window.close()
    again = MainWindow(store, window.pack, languages)
    qtbot.addWidget(again)
    assert fits(again.geometry(), available)
    assert again.width() <= DEFAULT_SIZE.width() and again.height() <= DEFAULT_SIZE.height()
    # ...but one that fits does.
    again.setGeometry(40, 60, 500, 400)
    again.close()
    third = MainWindow(store, window.pack, languages)
    qtbot.addWidget(third)
    assert third.geometry() == QRect(40, 60, 500, 400)
    # And on a 1280x720 projector with a taskbar, the first start fits too.
    projector = QRect(0, 0, 1280, 680)
    third.fit_to_screen(projector)
    assert fits(third.geometry(), projector)
    assert third.settings.get(keys.WINDOW_GEOMETRY)


def test_ctrl_tab_moves_between_pages_even_from_an_inner_tab_set(qtbot, store,
                                                                 languages) -> None:
    window = demo_window(qtbot, store, languages, facilitator=False)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    e1 = window.tabs.indexOf(window.exercise_tabs[0][1])
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    for key, modifiers, step in ((Qt.Key.Key_Tab, ctrl, 1), (Qt.Key.Key_PageDown, ctrl, 1),
                                 (Qt.Key.Key_PageUp, ctrl, -1),
                                 (Qt.Key.Key_Backtab, ctrl | shift, -1)):
        window.tabs.setCurrentIndex(e1)
        QApplication.processEvents()
        inner = next(t for t in window.tabs.widget(e1).findChildren(QTabWidget)
                     if t.isVisible())  # E1's PESTLE / SWOT / ... tabs
        inner.tabBar().setFocus()
        before = inner.currentIndex()
        qtbot.keyClick(inner.tabBar(), key, modifiers)
        assert window.tabs.currentIndex() == e1 + step, (key, modifiers)
        assert inner.currentIndex() == before  # the inner tabs did not take the key
    # From a text box as from the page list, Ctrl+Shift+PgDown is "Next exercise".
    pages = [p for _k, p in window.exercise_tabs]
    window.tabs.setCurrentWidget(window.workshop_page)
    qtbot.keyClick(window.tabs.list, Qt.Key.Key_PageDown, ctrl | shift)
    assert window.tabs.currentWidget() is pages[0]
    window.tabs.setCurrentWidget(window.register_page)
    QApplication.processEvents()
    box = next(t for t in window.register_page.findChildren(QPlainTextEdit) if t.isVisible())
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_PageDown, ctrl | shift)
    assert window.tabs.currentWidget() is pages[pages.index(window.register_page) + 1]
    window.tabs.setCurrentWidget(pages[-1])
    window.next_exercise()
    assert window.tabs.currentWidget() is pages[-1]  # the last one stays


def test_page_list_shows_each_exercises_status(qtbot, store, languages) -> None:
    window = demo_window(qtbot, store, languages, facilitator=False)
    _workshop, group = window.workshops.current_selection()
    statuses = window.exercise_work.statuses(group.id)
    for kind, page in window.exercise_tabs:
        exercise = window.tab_exercise[id(page)]
        index = window.tabs.indexOf(page)
        assert window.tabs.status(index) == statuses.get(exercise.id, NOT_STARTED), kind
        item = window.tabs.list.item(index)
        assert window.tabs.tabText(index) in item.toolTip()
        assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith(item.text())
    # Submitting and reopening shows at once.
    window.tabs.setCurrentWidget(window.register_page)
    index = window.tabs.indexOf(window.register_page)
    window.reopen_exercise()
    assert window.tabs.status(index) == IN_PROGRESS
    assert "In progress" in window.tabs.list.item(index).toolTip()
    window.submit_exercise()
    assert window.tabs.status(index) == SUBMITTED
    # Without a group there is no status to show.
    window.use_group(None)
    assert window.tabs.status(index) is None


def _rmdesk(*args: str, data) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "rmdesk", "--data-dir", str(data), *args],
                          env=env, capture_output=True, text=True, timeout=90)


def test_screenshot_opens_the_exercise_at_the_size_asked_for(tmp_path) -> None:
    from rmdesk.content.pack import builtin_pack
    from rmdesk.store.database import open_store

    data = tmp_path / "data"
    assert _rmdesk("demo", data=data).returncode == 0
    shots = {}
    for wanted, size in (("E9", "760x560"), ("e3", "700x500")):
        shot = tmp_path / f"{wanted}.png"
        result = _rmdesk("--lang", "fr", "--screenshot", str(shot), "--exercise", wanted,
                         "--size", size, data=data)
        assert result.returncode == 0, result.stderr
        image = QImage(str(shot))
        width, height = (int(n) for n in size.split("x"))
        assert 0 < image.width() <= width and 0 < image.height() <= height
        store = open_store(data)
        try:
            shown = SettingsService(store).get(keys.CURRENT_TAB)
            geometry = SettingsService(store).get(keys.WINDOW_GEOMETRY)
        finally:
            store.close()
        shots[wanted] = (int(shown), geometry)
    ids = [e.id for e in builtin_pack().exercises]
    # Workshop and Case study come first in the page list.
    assert shots["E9"][0] == 2 + ids.index("e9")
    assert shots["e3"][0] == 2 + ids.index("e2e3")
    assert shots["E9"][1] is None  # a size for one run is not remembered
    unknown = _rmdesk("--screenshot", str(tmp_path / "x.png"), "--exercise", "E99", data=data)
    assert unknown.returncode == 2 and "E99" in unknown.stderr
    assert not (tmp_path / "x.png").exists()
    bad = _rmdesk("--screenshot", str(tmp_path / "x.png"), "--size", "big", data=data)
    assert bad.returncode == 2 and "big" in bad.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mnemonics_are_unique_in_every_window_and_dialog(qtbot, store, languages, lang,
                                                         tmp_path) -> None:
    """Alt+letter reaches one control only: on each page of the main window (with its
    menu bar, tool bar and exercise bar), in each menu, and in each dialog."""
    window = demo_window(qtbot, store, languages)
    switch(languages, lang)
    clashes = sorted({f"{name}: {clash}" for name, _page in every_page(window)
                      for clash in mnemonic_clashes(window)})
    clashes += [f"{name}: {clash}" for name, dialog in every_dialog(window, tmp_path)
                for clash in mnemonic_clashes(dialog)]
    assert clashes == [], "\n".join(clashes)
