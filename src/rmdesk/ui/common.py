"""Small helpers shared by the widgets: error boxes, file dialogs, retranslation, bold
labels, combo boxes refilled in a new language, row tables and button rows."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGE_NAMES, _


class Retranslatable:
    """Mixin: call retranslate_ui() whenever Qt announces a language change."""

    def retranslate_ui(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)  # type: ignore[misc]


def show_error(parent: QWidget | None, error: RmdeskError | Exception) -> None:
    if isinstance(error, RmdeskError):
        text = error.render(_)
    else:
        text = _("Something went wrong: {error}").format(error=error)
    show_message(parent, _("rmdesk"), text, QMessageBox.Icon.Warning)


def show_message(parent: QWidget | None, title: str, text: str,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
    """A message box with an OK button whose text is plain text: messages quote file
    names, group names and pack texts, which must never be taken as markup."""
    if not GuiQt.mightBeRichText(text):  # Qt shows it as plain text already
        show = (QMessageBox.warning if icon == QMessageBox.Icon.Warning
                else QMessageBox.information)
        show(parent, title, text)
        return
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def save_file_dialog(parent: QWidget, title: str, start: str, filter_text: str) -> str:
    """Qt's own dialog, so it follows the app's language rather than the OS's."""
    path, _selected = QFileDialog.getSaveFileName(
        parent, title, start, filter_text, options=QFileDialog.Option.DontUseNativeDialog
    )
    return path


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text as written. Qt's default (AutoText) takes a text that
    looks like markup as rich text: a pack's or a group's "<b>" or "<img src=...>" would
    be formatting, or a picture read from this laptop."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_tip(text: str) -> str:
    """`text` as a tooltip that shows it as written. Tooltips have no plain-text mode: Qt
    guesses (Qt.mightBeRichText), so a text it would take as markup is escaped."""
    if not GuiQt.mightBeRichText(text):
        return text
    body = html.escape(text, quote=False).replace("\n", "<br/>")
    return f"<p style='white-space:pre-wrap'>{body}</p>"


def bold_label(larger: float = 0) -> QLabel:
    """A label in bold type, `larger` points above the default size (for titles); its
    text is plain text, never markup."""
    label = plain_label()
    font = label.font()
    if larger:
        font.setPointSizeF(font.pointSizeF() + larger)
    font.setBold(True)
    label.setFont(font)
    return label


def refill_combo(combo: QComboBox, items: Iterable[tuple[object, str]]) -> None:
    """Replace the (data, text) items of `combo` (e.g. in a new language), keeping the
    current choice (else the first item) and emitting no signal."""
    keep = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(keep)))
    combo.blockSignals(False)


def select_rows_only(table: QTableView) -> None:
    """A table whose rows are chosen one at a time and not edited in place (a form or the
    cell widgets edit them), without row numbers."""
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """Buttons side by side from the left, the rest of the row left empty."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def language_combo(current: str) -> QComboBox:
    """The four languages by their own names (endonyms are never translated)."""
    combo = QComboBox()
    for code, name in LANGUAGE_NAMES.items():
        combo.addItem(name, code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def path_row(default: object) -> tuple[QLineEdit, QPushButton, QHBoxLayout]:
    """A file path to edit, with a Browse button beside it (its text is set by the
    caller's retranslate_ui)."""
    edit = QLineEdit(str(default))
    browse = QPushButton()
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return edit, browse, row


def resize_to_fit(window: QWidget, width: int, height: int) -> None:
    """Resize a dialog to width×height, or less on a small screen (a 1366×768 laptop with a
    taskbar, a 1280×720 projector), leaving room for the window manager's frame."""
    from PySide6.QtGui import QGuiApplication

    parent = window.parentWidget()
    screen = (parent.screen() if parent is not None else None) or \
        QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 16), min(height, room.height() - 48)
    window.resize(max(width, window.minimumSizeHint().width()),
                  max(height, window.minimumSizeHint().height()))
