"""One application-wide event filter so that input cannot change answers by accident, on
every page and in every dialog, including those built later:

- the mouse wheel over a combo box, spin box, date or slider that does not have the focus
  scrolls the page (or table) around it instead of changing the value;
- such controls take focus by click or Tab only, never by the wheel;
- Ctrl+Z / Ctrl+Shift+Z reach the page's history unless the focused field has typing of
  its own to undo: an empty field or a spin box does not swallow them;
- number boxes follow the interface language (2,5 in fr), and either mark typed in a
  decimal box is its decimal mark: 2.5 typed in fr is two and a half, never 25.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QWidget,
)

from rmdesk.i18n import current_language
from rmdesk.i18n.qt import qt_locale

GUARDED = (QComboBox, QAbstractSpinBox, QSlider)


class InputGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(watched, GUARDED):
            return self._wheel(watched, event)  # type: ignore[arg-type]
        if kind == QEvent.Type.KeyPress and isinstance(watched, QDoubleSpinBox):
            return self._decimal_key(watched, event)  # type: ignore[arg-type]
        if kind == QEvent.Type.ShortcutOverride and _is_history_key(event):  # type: ignore[arg-type]
            if not _has_own_history(watched, event):  # type: ignore[arg-type]
                event.ignore()  # not the field's: the window's Undo/Redo takes the keys
                return True
            return False
        if kind in (QEvent.Type.Polish, QEvent.Type.LanguageChange) and isinstance(
                watched, GUARDED):
            _settle(watched)  # type: ignore[arg-type]
        return False

    @staticmethod
    def _wheel(widget: QWidget, event: QWheelEvent) -> bool:
        if widget.hasFocus() or (isinstance(widget, QComboBox) and widget.view().isVisible()):
            return False  # the control being worked with: the wheel is meant for it
        area = _scroll_area_around(widget)
        if area is not None:
            viewport = area.viewport()
            position = viewport.mapFromGlobal(event.globalPosition().toPoint())
            forwarded = QWheelEvent(
                position.toPointF(), event.globalPosition(), event.pixelDelta(),
                event.angleDelta(), event.buttons(), event.modifiers(), event.phase(),
                event.inverted())
            QCoreApplication.sendEvent(viewport, forwarded)
        event.accept()
        return True

    @staticmethod
    def _decimal_key(spin: QDoubleSpinBox, event: QKeyEvent) -> bool:
        text = event.text()
        mark = spin.locale().decimalPoint()
        if text not in (".", ",") or text == mark or spin.decimals() == 0:
            return False
        key = Qt.Key.Key_Comma if mark == "," else Qt.Key.Key_Period
        QCoreApplication.sendEvent(spin, QKeyEvent(
            QEvent.Type.KeyPress, key, event.modifiers(), mark))
        return True


def _is_history_key(event: QKeyEvent) -> bool:
    return any(event.matches(key) for key in (QKeySequence.StandardKey.Undo,
                                                QKeySequence.StandardKey.Redo)) or \
        event.keyCombination().toCombined() in _REDO_KEYS


_REDO_KEYS = {QKeySequence("Ctrl+Shift+Z")[0].toCombined(), QKeySequence("Ctrl+Y")[0].toCombined()}


def _has_own_history(widget: QObject, event: QKeyEvent) -> bool:
    """Whether the focused field has typing of its own to undo (or redo). An empty field,
    a spin box or a field whose typing is all undone leaves the keys to the page."""
    redo = not event.matches(QKeySequence.StandardKey.Undo)
    if isinstance(widget, QAbstractSpinBox) or isinstance(widget.parent(), QAbstractSpinBox):
        return False
    if isinstance(widget, QLineEdit):
        return widget.isRedoAvailable() if redo else widget.isUndoAvailable()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        document = widget.document()
        return document.isRedoAvailable() if redo else document.isUndoAvailable()
    return True  # other widgets decide for themselves


def _settle(widget: QWidget) -> None:
    """Focus by click or Tab only; numbers in the interface language."""
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if isinstance(widget, QAbstractSpinBox):
        locale = qt_locale(current_language())
        if widget.locale() != locale:
            widget.setLocale(locale)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


_guard: InputGuard | None = None


def install_input_guard() -> None:
    """Install the filter on the application once (start-up and the main window both call
    it, so windows built by tests get it too)."""
    global _guard
    app = QCoreApplication.instance()
    if app is None or _guard is not None:
        return
    _guard = InputGuard(app)
    app.installEventFilter(_guard)
    from rmdesk.ui.accessibility import AccessibleNames

    app.installEventFilter(AccessibleNames(_guard))
