"""Collect every text a user can see in a widget tree, in a stable order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QWidget,
)


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) pairs: titles, labels, buttons, placeholders, tooltips, tabs, combo
    items, menus and actions, table headers, list items, browser text."""
    found: list[tuple[str, str]] = []

    def add(where: str, text: object) -> None:
        if isinstance(text, str) and text:
            found.append((where, text))

    # Qt's own calendar pop-ups are localised by Qt itself (day names, week numbers).
    calendars = root.findChildren(QCalendarWidget)
    widgets = [w for w in (root, *root.findChildren(QWidget))
               if not any(c is w or c.isAncestorOf(w) for c in calendars)]
    for i, w in enumerate(widgets):
        key = f"{i}:{type(w).__name__}:{w.objectName()}"
        if isinstance(w, QMainWindow) or w.isWindow():
            add(key + ":title", w.windowTitle())
        add(key + ":tooltip", w.toolTip())
        if isinstance(w, QLabel):
            add(key, w.text())
        elif isinstance(w, QAbstractButton):
            add(key, w.text())
        elif isinstance(w, QGroupBox):
            add(key, w.title())
        elif isinstance(w, QLineEdit):
            add(key + ":placeholder", w.placeholderText())
        elif isinstance(w, QPlainTextEdit):
            add(key + ":placeholder", w.placeholderText())
        elif isinstance(w, QTabWidget):
            for t in range(w.count()):
                add(f"{key}:tab{t}", w.tabText(t))
        elif isinstance(w, QComboBox):
            for t in range(w.count()):
                add(f"{key}:item{t}", w.itemText(t))
        elif isinstance(w, QMenu):
            add(key + ":menu", w.title())
        elif isinstance(w, QTextBrowser):
            add(key, w.toPlainText())
        if isinstance(w, QListWidget):
            for t in range(w.count()):
                add(f"{key}:row{t}", w.item(t).text())
        elif (isinstance(w, QAbstractItemView) and w.model() is not None
              and not isinstance(w.parent().parent() if w.parent() else None, QComboBox)):
            model = w.model()
            for c in range(model.columnCount()):
                add(f"{key}:h{c}", model.headerData(c, Qt.Orientation.Horizontal))
                add(f"{key}:htip{c}", model.headerData(c, Qt.Orientation.Horizontal,
                                                        Qt.ItemDataRole.ToolTipRole))
            for r in range(model.rowCount()):
                for c in range(model.columnCount()):
                    value = model.data(model.index(r, c))
                    add(f"{key}:{r},{c}", None if value is None else str(value))
    def in_calendar(obj: object) -> bool:
        while obj is not None:  # QObject parents: a calendar's month menu is its own window
            if isinstance(obj, QCalendarWidget):
                return True
            obj = obj.parent()  # type: ignore[attr-defined]
        return False

    actions = [a for a in root.findChildren(QAction) if not in_calendar(a)]
    for i, action in enumerate(actions):
        add(f"action{i}", action.text())
        if action.toolTip() != action.text().replace("&", ""):
            add(f"action{i}:tip", action.toolTip())
    return found


def comparable(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop the widget's position, which depends on how many helper widgets Qt created."""
    return [(where.split(":", 1)[1] if where[:1].isdigit() else where, text)
            for where, text in texts]
