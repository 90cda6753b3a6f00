"""A main window on a real store, with a workshop, a group and two risks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from rmdesk import i18n
from rmdesk.content.pack import ContentPack, builtin_pack
from rmdesk.i18n.qt import LanguageManager
from rmdesk.services.register import RegisterService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def filled_store(store: Store) -> Store:
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(WorkshopInput(
        "Taller regional", "Centro de formação", dt.date(2026, 3, 9), dt.date(2026, 3, 13),
        ("en", "es", "pt_BR")))
    group = workshops.add_group(workshop.id, "Grupo Ñandú")
    workshops.add_member(group.id, "Ana Conceição", "Aduana de Valdoria")
    workshops.select(workshop.id, group.id)
    register = RegisterService(store)
    register.add_risk(group.id, event="Subfaturamento de calçados", cause="Preços de referência",
                      consequence="Perda de receita", area="revenue", owner="Valuation unit",
                      controls="Price database", likelihood=4, impact=3,
                      likelihood_reason="Seen in 2025", impact_reason="Large volume")
    register.add_risk(group.id, event="Counterfeit medicines", area="health_safety",
                      likelihood=2, impact=5)
    return store


@pytest.fixture
def languages(qapp: QApplication) -> Iterator[LanguageManager]:
    manager = LanguageManager()
    manager.switch("en")
    yield manager
    manager.switch("en")


@pytest.fixture
def make_window(qtbot, filled_store: Store, languages: LanguageManager) -> WindowFactory:
    def factory(pack: ContentPack | None = None) -> MainWindow:
        window = MainWindow(filled_store, pack or builtin_pack(), languages)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # shortcuts are window-scoped: the window must be active
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
        return window

    return factory


def switch(languages: LanguageManager, lang: str) -> None:
    languages.switch(lang)
    QApplication.processEvents()
    assert i18n.current_language() == lang


def answer_message_box(button, seen: list[str] | None = None, tries: int = 100) -> None:
    """Click `button` on the next message box, once it is really up (polls every 20 ms)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    def attempt(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and box.button(button) is not None:
            if seen is not None:
                seen.extend(b.text().replace("&", "") for b in box.buttons())
            box.button(button).click()
        elif left > 0:
            QTimer.singleShot(20, lambda: attempt(left - 1))

    QTimer.singleShot(20, lambda: attempt(tries))
