"""Help > Participant guide, Facilitator guide and Keyboard shortcuts, offline.

The guides are short HTML pages in resources/help/<lang>/ with screenshots made by
`rmdesk --screenshot` (resources/help/images/); they are ours, so they are shown as rich
text. The shortcuts list is built from the main window's own actions, so it always
shows the keys that really work, in the current language and in Qt's native key names.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from rmdesk import paths
from rmdesk.i18n import N_, SOURCE_LANGUAGE, _, current_language
from rmdesk.ui.common import Retranslatable

TOPICS = ("participant", "facilitator", "shortcuts")
TOPIC_TITLES = {
    "participant": N_("Participant guide"),
    "facilitator": N_("Facilitator guide"),
    "shortcuts": N_("Keyboard shortcuts"),
}

ALT_LETTER = N_("Alt+letter")
UNDERLINED = N_("The menu, field or button whose name has that letter underlined")
TAB_KEYS = ("Tab", "Shift+Tab")
TAB_MOVES = N_("The next or previous field or button on the page")


def guide_path(topic: str, lang: str) -> Path:
    """The guide in `lang`, or in English when that language has none."""
    folder = paths.resources_dir() / "help"
    wanted = folder / lang / f"{topic}.html"
    return wanted if wanted.is_file() else folder / SOURCE_LANGUAGE / f"{topic}.html"


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action with a shortcut, in menu order, once each."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText)
                for k in action.shortcuts()
                if not k.isEmpty() and k[0].key() != Qt.Key.Key_Backtab]  # = Shift+Tab
        name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        name = name.rstrip("…").strip()
        if not keys or not name or name in seen:
            continue
        seen.add(name)
        rows.append((", ".join(keys), name))
    return rows


def shortcuts_html(actions: list[QAction]) -> str:
    tab = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)
                    for k in TAB_KEYS)
    # Keys that belong to widgets rather than to menu actions come last.
    rows = shortcut_rows(actions) + [(_(ALT_LETTER), _(UNDERLINED)), (tab, _(TAB_MOVES))]
    body = "".join(
        f"<tr><td style='padding:3px 14px 3px 0'><b>{html.escape(keys)}</b></td>"
        f"<td style='padding:3px 0'>{html.escape(text)}</td></tr>" for keys, text in rows)
    return (f"<h2>{html.escape(_('Keyboard shortcuts'))}</h2>"
            f"<table cellspacing='0'>{body}</table>")


class HelpDialog(Retranslatable, QDialog):
    """One window, one tab per topic; not modal, so it can stay open beside the work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setModal(False)
        self.tabs = QTabWidget()
        self.browsers: dict[str, QTextBrowser] = {}
        for topic in TOPICS:
            browser = QTextBrowser()
            browser.setObjectName(f"help_{topic}")
            browser.setOpenExternalLinks(False)  # offline: no browser, links stay inside
            self.browsers[topic] = browser
            self.tabs.addTab(browser, "")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else None) or \
            QApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else None
        width, height = 860, 640
        if room is not None:
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(width, height)
        self.retranslate_ui()

    def show_topic(self, topic: str) -> None:
        self.tabs.setCurrentIndex(TOPICS.index(topic) if topic in TOPICS else 0)
        if topic == "shortcuts":
            self._fill_shortcuts()

    def _fill_shortcuts(self) -> None:
        window = self.parent()
        actions: list[QAction] = []
        if window is not None:
            menu_bar = getattr(window, "menuBar", None)
            if menu_bar is not None:
                for menu_action in menu_bar().actions():
                    menu = menu_action.menu()
                    if menu is not None:
                        actions.extend(a for a in menu.actions() if not a.isSeparator())
        self.browsers["shortcuts"].setHtml(shortcuts_html(actions))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("rmdesk help"))
        lang = current_language()
        for i, topic in enumerate(TOPICS):
            self.tabs.setTabText(i, _(TOPIC_TITLES[topic]))
            if topic == "shortcuts":
                self._fill_shortcuts()
            else:
                self.browsers[topic].setSource(QUrl.fromLocalFile(str(guide_path(topic, lang))))
