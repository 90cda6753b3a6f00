"""Text that does not fit its place is still readable in full.

On a 1366×768 laptop, and in French or Portuguese, table cells, column headings and
combo boxes are often narrower than their text. Rather than setting a tooltip on every
item of every table, ClippedTextTips answers the tooltip request of a view, a header or a
combo box with the whole text, only where it is cut; a tooltip the model already gives
wins. Line edits filled by the program show the start of their text, not its end.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QToolTip,
    QWidget,
)

CELL_PADDING = 8  # the delegate's margins around a cell's text


def text_fits(metrics: QFontMetrics, text: str, rect: QRect, wrap: bool) -> bool:
    if not text:
        return True
    if metrics.horizontalAdvance(text) <= rect.width() - CELL_PADDING:
        return True
    if not wrap:
        return False
    needed = metrics.boundingRect(QRect(0, 0, max(1, rect.width() - CELL_PADDING), 100_000),
                                  int(Qt.TextFlag.TextWordWrap), text)
    return needed.height() <= rect.height() and needed.width() <= rect.width()


def cell_is_clipped(view: QAbstractItemView, index: QModelIndex) -> bool:
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or view.indexWidget(index) is not None:
        return False
    rect = view.visualRect(index)
    icon = index.data(Qt.ItemDataRole.DecorationRole)
    check = index.data(Qt.ItemDataRole.CheckStateRole)
    if icon is not None or check is not None:
        rect = rect.adjusted(view.iconSize().width() + 8 if icon is not None else 0, 0, 0, 0)
        if check is not None:
            rect = rect.adjusted(22, 0, 0, 0)
    wrap = bool(getattr(view, "wordWrap", lambda: False)())
    return not text_fits(view.fontMetrics(), text, rect, wrap)


def header_is_clipped(header: QHeaderView, section: int) -> bool:
    text = header.model().headerData(section, header.orientation(),
                                     Qt.ItemDataRole.DisplayRole)
    if not isinstance(text, str) or header.isSectionHidden(section):
        return False
    size = header.sectionSize(section)
    return header.sectionSizeFromContents(section).width() > size \
        if header.orientation() == Qt.Orientation.Horizontal else False


def combo_is_clipped(combo: QComboBox) -> bool:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    return combo.fontMetrics().horizontalAdvance(combo.currentText()) > field.width()


def line_edit_is_clipped(edit: QLineEdit) -> bool:
    return edit.fontMetrics().horizontalAdvance(edit.text()) > edit.contentsRect().width() - 8


def whole_text_at(widget: QObject, pos: object) -> str | None:
    """The whole text under `pos` in `widget` (a view's viewport, a header's viewport, a
    combo box or a line edit) when it is cut there and nothing else explains it."""
    if isinstance(widget, QComboBox):
        return widget.currentText() if combo_is_clipped(widget) and not widget.toolTip() \
            else None
    if isinstance(widget, QLineEdit):
        return widget.text() if line_edit_is_clipped(widget) and not widget.toolTip() else None
    view = widget.parent() if isinstance(widget, QWidget) else None
    if isinstance(view, QHeaderView):
        section = view.logicalIndexAt(pos)  # type: ignore[arg-type]
        if section < 0 or view.model() is None:
            return None
        tip = view.model().headerData(section, view.orientation(),
                                      Qt.ItemDataRole.ToolTipRole)
        if tip or not header_is_clipped(view, section):
            return None
        return str(view.model().headerData(section, view.orientation()))
    if isinstance(view, QAbstractItemView):
        index = view.indexAt(pos)  # type: ignore[arg-type]
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return None
        return str(index.data()) if cell_is_clipped(view, index) else None
    return None


class ClippedTextTips(QObject):
    """The event filter behind explain_clipped_text()."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = whole_text_at(watched, event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, watched)  # type: ignore[arg-type]
                return True
        return False


_TIPS: ClippedTextTips | None = None


def explain_clipped_text(root: QWidget) -> None:
    """Show the whole text as a tooltip wherever a cell, heading, combo box or line edit
    under `root` cuts it. Safe to call again when widgets were added."""
    global _TIPS
    if _TIPS is None:
        _TIPS = ClippedTextTips()
    targets: list[QWidget] = []
    for view in root.findChildren(QAbstractItemView):
        if isinstance(view.parent(), QComboBox) or view.window() is not root.window():
            continue  # a combo box's own pop-up list
        targets.append(view.viewport())
        if hasattr(view, "horizontalHeader"):
            targets.append(view.horizontalHeader().viewport())  # type: ignore[attr-defined]
    targets += root.findChildren(QComboBox)
    # Not the line edits inside spin boxes and combo boxes: their owner speaks for them.
    targets += [e for e in root.findChildren(QLineEdit)
                if not isinstance(e.parent(), (QAbstractSpinBox, QComboBox))]
    for target in targets:
        if not target.property("rmdeskWholeText"):
            target.setProperty("rmdeskWholeText", True)
            target.installEventFilter(_TIPS)


def show_starts(root: QWidget) -> None:
    """Line edits the program has just filled show the start of their text (Qt leaves the
    cursor at the end, so a long answer showed only its last words)."""
    for edit in root.findChildren(QLineEdit):
        if not edit.hasFocus():
            edit.setCursorPosition(0)
