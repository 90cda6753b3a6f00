"""Names for screen readers where a layout cannot give them: an editor placed in a table
cell has no label beside it, so it is named after its column and row ("Why, I3"); a table
without a description is described by its columns. Applied app-wide when a widget is
shown (the input guard installs it), so pages and dialogs built later are covered."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from rmdesk.i18n import _

# Set by this filter (not by a page), so it may be renewed in another language.
_DERIVED = "rmdesk_derived_accessible"


class AccessibleNames(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.Show, QEvent.Type.LanguageChange) and isinstance(
                watched, QWidget):
            if isinstance(watched, QLineEdit | QAbstractSpinBox | QComboBox):
                _name_cell_editor(watched)
            elif isinstance(watched, QTableView):
                _describe_table(watched)
        return False


def _owned(widget: QWidget, text: str) -> bool:
    """Whether this filter may (re)set the text: empty, or set here before."""
    return not text.strip() or bool(widget.property(_DERIVED))


def _name_from_buddy(widget: QWidget) -> bool:
    """A label whose buddy is this field, or the composite it is part of (a date with its
    calendar button): Qt only finds buddies among the field's siblings."""
    if widget.accessibleName().strip():
        return True
    targets = {widget, widget.parentWidget()}
    for label in widget.window().findChildren(QLabel):
        if label.buddy() in targets and label.text().strip():
            text = label.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            widget.setAccessibleName(text.strip().rstrip(":").strip())
            widget.setProperty(_DERIVED, True)
            return True
    return False


def _name_cell_editor(widget: QWidget) -> None:
    if isinstance(widget, QLineEdit) and not isinstance(
            widget.parentWidget(), QAbstractSpinBox | QComboBox) and _name_from_buddy(widget):
        return
    viewport = widget.parentWidget()
    view = viewport.parentWidget() if viewport is not None else None
    if not isinstance(view, QTableView) or viewport is not view.viewport():
        return
    if not _owned(widget, widget.accessibleName()):
        return
    if not widget.property(_DERIVED):
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is not None and interface.text(QAccessible.Text.Name).strip() \
                and not isinstance(widget, QComboBox):
            return  # a buddy or placeholder already names it
    index = view.indexAt(widget.geometry().center())
    if not index.isValid():
        return
    model = view.model()
    column = str(model.headerData(index.column(), Qt.Orientation.Horizontal) or "")
    row = model.index(index.row(), 0).data() or str(index.row() + 1)
    widget.setAccessibleName(_("{column}, {row}").format(column=column, row=row)
                             if column else str(row))
    widget.setProperty(_DERIVED, True)


def _describe_table(view: QAbstractItemView) -> None:
    if isinstance(view, QHeaderView) or not _owned(view, view.accessibleDescription()):
        return
    model = view.model()
    if model is None:
        return
    columns = [str(model.headerData(c, Qt.Orientation.Horizontal) or "")
               for c in range(model.columnCount())]
    columns = [c for c in columns if c.strip()]
    if not columns:
        return
    view.setAccessibleDescription(_("Table with the columns: {columns}").format(
        columns=", ".join(columns)))
    view.setProperty(_DERIVED, True)
