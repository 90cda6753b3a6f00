"""Text is text on every page: markup in pack texts, typed answers, names and feedback
shows literally in labels, tooltips, tables, text views, buttons and tabs, in facilitator
mode too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QTabBar,
    QTextEdit,
    QWidget,
)
from tests.hostile_text import MARK, hostile_workshop, leaks

from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.main_window import MainWindow


def _rich(text: str, fmt: Qt.TextFormat) -> bool:
    if fmt == Qt.TextFormat.RichText:
        return True
    return fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)


def _as_shown(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    if not _rich(text, fmt):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def _mnemonic(text: str) -> str:
    """A button's, tab's or menu's text as shown: '&x' underlines x, '&&' is '&'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model keeps columnCount private: one column
        return 1


def _has_children(model: QAbstractItemModel, index: QModelIndex) -> bool:
    try:
        return model.hasChildren(index)
    except TypeError:  # private in list and table models: flat
        return False


def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None
                 ) -> Iterator[tuple[str, str]]:
    parent = parent if parent is not None else QModelIndex()
    for row in range(model.rowCount(parent)):
        for column in range(max(1, _columns(model, parent))):
            index = model.index(row, column, parent)
            display = model.data(index, Qt.ItemDataRole.DisplayRole)
            if isinstance(display, str):
                yield "item", display  # drawn as plain text by the item delegates
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                yield "item tooltip", _as_shown(tip)
            if column == 0 and _has_children(model, index):
                yield from _model_texts(model, index)
    for section in range(_columns(model, parent) if not parent.isValid() else 0):
        tip = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        if isinstance(tip, str):
            yield "header tooltip", _as_shown(tip)


def shown_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text as a reader sees it) for every text under `root`, shown or not."""
    for widget in [root, *root.findChildren(QWidget)]:
        parent = widget.parentWidget()
        where = (f"{type(parent).__name__ if parent else ''}>{type(widget).__name__} "
                 f"{widget.objectName()}").strip()
        if widget.toolTip():
            yield f"{where} tooltip", _as_shown(widget.toolTip())
        if isinstance(widget, QLabel):
            text = widget.text()
            shown = _as_shown(text, widget.textFormat())
            if widget.buddy() is not None and not _rich(text, widget.textFormat()):
                shown = _mnemonic(text)
            yield where, shown
        elif isinstance(widget, QTextEdit):  # QTextBrowser too
            yield where, widget.toPlainText()
        elif isinstance(widget, QAbstractButton):
            yield where, _mnemonic(widget.text())
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield f"{where} tab", _mnemonic(widget.tabText(i))
                yield f"{where} tab tooltip", _as_shown(widget.tabToolTip(i))
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{where} item", widget.itemText(i)
                tip = widget.itemData(i, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str):
                    yield f"{where} item tooltip", _as_shown(tip)
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            for kind, text in _model_texts(widget.model()):
                yield f"{where} {kind}", text
        for action in QWidget.actions(widget):  # not a page attribute named "actions"
            yield f"{where} action", _mnemonic(action.text())
            if action.toolTip() != _mnemonic(action.text()):
                yield f"{where} action tooltip", _as_shown(action.toolTip())


def _leaks_in(root: QWidget) -> list[tuple[str, list[str]]]:
    QApplication.processEvents()
    return [(where, found[:1]) for where, text in shown_texts(root)
            if (found := leaks(text))]


@pytest.fixture
def hostile_window(qtbot, store: Store, languages, monkeypatch: pytest.MonkeyPatch
                   ) -> MainWindow:
    workshop_id, groups, pack = hostile_workshop(store, monkeypatch)
    WorkshopService(store).select(workshop_id, groups[0])
    window = MainWindow(store, pack, languages)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def _check_every_tab(window: MainWindow, seen: list[str]) -> list[tuple[str, list[str]]]:
    found = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        found += [(f"tab {index}: {where}", text) for where, text in _leaks_in(window)]
        seen.extend(t for _w, t in shown_texts(window.tabs.currentWidget()) if "QB" in t)
    return found


def test_every_page_shows_markup_literally(hostile_window: MainWindow) -> None:
    window = hostile_window
    seen: list[str] = []
    found = _check_every_tab(window, seen)
    assert not found, "\n".join(sorted({w.split(": ", 1)[1] + str(t) for w, t in found}))
    assert len(seen) > 100  # the marks are there to be seen, as text


def test_facilitator_pages_show_markup_literally(hostile_window: MainWindow) -> None:
    window = hostile_window
    window.roles.set_first_pin("2468", "2468")
    window.roles.unlock("2468")
    QApplication.processEvents()
    page = window.facilitator_page
    assert page is not None
    window.tabs.setCurrentWidget(page)
    found = []
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        for i in range(max(1, page.exercise_combo.count())):
            page.exercise_combo.setCurrentIndex(i)
            found += [(f"facilitator tab {tab}, exercise {i}: {w}", t)
                      for w, t in _leaks_in(window)]
    assert not found, "\n".join(sorted({w.split(": ", 1)[1] + str(t) for w, t in found}))
    assert any("QB" in t for _w, t in shown_texts(page))


def test_the_check_can_fail(qtbot) -> None:
    """A label left to guess its format takes MARK as markup, and the check says so."""
    label = QLabel(MARK)
    qtbot.addWidget(label)
    assert _leaks_in(label)
    label.setTextFormat(Qt.TextFormat.PlainText)
    assert not _leaks_in(label)


def test_messages_show_names_and_texts_literally(qtbot, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    """An error quoting a typed name, and a notice quoting a pack's title, are plain."""
    from PySide6.QtWidgets import QMessageBox

    from rmdesk.errors import RmdeskError
    from rmdesk.ui.common import show_error, show_message

    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(_as_shown(box.text(), box.textFormat()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: pytest.fail("markup in a guess box"))
    show_error(None, RmdeskError("duplicate_group", name=MARK))
    show_message(None, "rmdesk", f"“{MARK}” was imported.")
    assert len(shown) == 2 and all(MARK.strip() in text for text in shown)
    assert not any(leaks(text) for text in shown)


def test_exchange_dialogs_show_names_literally(hostile_window: MainWindow, qtbot,
                                               tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    from rmdesk.services import settings as setting_keys
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.services.roles import hash_pin
    from rmdesk.services.settings import SettingsService
    from rmdesk.store.database import open_store
    from rmdesk.ui.exchange_dialogs import ExportDialog, ImportDialog

    store = hostile_window.store
    workshop, group = WorkshopService(store).current_selection()
    assert workshop is not None and group is not None
    export = ExportDialog(None, store, workshop.id, group.id, allow_kit=True, folder=tmp_path)
    qtbot.addWidget(export)
    export.show()
    assert not _leaks_in(export)
    assert any("QB" in t for _w, t in shown_texts(export))

    # A kit needs the facilitator's PIN (it sets it on the participants' laptops).
    SettingsService(store).set(setting_keys.FACILITATOR_PIN, hash_pin("2468", n=2**10))
    kit = ExchangeService(store).export_kit(workshop.id, tmp_path / "kit.rmdx", group.id).path
    participant = open_store(tmp_path / "participant")
    try:
        dialog = ImportDialog(None, participant)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.add_files([kit])
        found = _leaks_in(dialog)
        items = QTreeWidgetItemIterator(dialog.tree)
        while items.value():
            dialog.tree.setCurrentItem(items.value())
            found += _leaks_in(dialog)
            items += 1
        assert not found, found[:5]
        assert any("QB" in t for _w, t in shown_texts(dialog))
    finally:
        participant.close()
