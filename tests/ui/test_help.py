"""Help > Participant guide, Facilitator guide and Keyboard shortcuts, offline, in every
language: the guides name menus and commands as the app really shows them."""

from __future__ import annotations

import html
import re

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch
from tests.ui.laptop_helpers import demo_window

from rmdesk.i18n import LANGUAGES
from rmdesk.ui.help_dialog import guide_path

MENU_PATH = re.compile(r"<b>([^<]+?) &gt; ([^<]+?)</b>")


def plain(text: str) -> str:
    return text.replace("&", "").rstrip("…").strip()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_guides_are_shown_in_the_app_in_every_language(qtbot, store, languages,
                                                      lang) -> None:
    window = demo_window(qtbot, store, languages)
    switch(languages, lang)
    menus = {plain(a.text()): [plain(x.text()) for x in a.menu().actions()]
             for a in window.menuBar().actions()}
    for topic, action in (("participant", window.participant_guide_action),
                          ("facilitator", window.facilitator_guide_action)):
        path = guide_path(topic, lang)
        assert path.parent.name == lang  # written in this language, not a fallback
        source = path.read_text(encoding="utf-8")
        # Every "Menu > Command" the guide names is a real menu entry in this language.
        named = MENU_PATH.findall(source)
        assert named, topic
        for menu, command in named:
            menu, command = (" ".join(html.unescape(t).split()) for t in (menu, command))
            assert menu in menus, (lang, topic, menu, list(menus))
            assert command in menus[menu], (lang, topic, menu, command, menus[menu])
        action.trigger()
        dialog = window._help_dialog
        QApplication.processEvents()
        assert dialog.isVisible()
        browser = dialog.browsers[topic]
        assert dialog.tabs.currentWidget() is browser
        title = re.search(r"<h2>(.*?)</h2>", source).group(1)
        assert browser.toPlainText().startswith(html.unescape(title))
        for image in re.findall(r'<img src="([^"]+)"', source):  # illustrated, offline
            resource = browser.document().resource(
                QTextDocument.ResourceType.ImageResource, QUrl(image))
            assert resource is not None and not resource.isNull(), image
        assert dialog.width() <= 1280 and dialog.height() <= 680


def test_shortcuts_list_shows_the_keys_that_work(qtbot, store, languages) -> None:
    window = demo_window(qtbot, store, languages)
    window.shortcuts_action.trigger()
    text = window._help_dialog.browsers["shortcuts"].toPlainText()
    for needed in ("Ctrl+Tab", "Ctrl+PgDown", "Ctrl+Shift+PgDown", "F5", "F6", "Ctrl+Z",
                   "Next exercise", "Check my work"):
        assert needed in text, needed
    switch(languages, "es")
    assert "Ejercicio siguiente" in window._help_dialog.browsers["shortcuts"].toPlainText()
