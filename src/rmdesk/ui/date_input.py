"""DateInput: a date typed in the interface language's numeric format (or picked from a
calendar), the one date control of every page and dialog.

A line edit rather than a QDateEdit: QDateEdit types into one section at a time, so typing
5/15/26 over 12/7/2026 was refused, and it has no empty state for an optional date.
Here focus selects the whole date, what is typed replaces it, empty means "no date", and
the text is parsed by i18n.formatting (two-digit years are this century)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from rmdesk.i18n import _, current_language
from rmdesk.i18n.formatting import date_pattern, format_short_date, parse_typed_date
from rmdesk.i18n.qt import qt_locale

INVALID_STYLE = "QLineEdit { border: 2px solid #b00020; }"


class DateInput(QWidget):
    """`changed` carries the ISO date, or "" when the field was emptied; typing that is not
    (yet) a date emits nothing and is marked. A required date (optional=False) refuses to
    be emptied: leaving the field empty brings the last date back."""

    changed = Signal(str)
    typed_other = Signal(str)  # text typed that is not a date (yet), for pages keeping it

    def __init__(self, parent: QWidget | None = None, optional: bool = True) -> None:
        super().__init__(parent)
        self.optional = optional
        self._value: dt.date | None = None
        self._suggestion: dt.date | None = None
        self.edit = QLineEdit()
        self.edit.setMaxLength(20)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._finished)
        self.edit.installEventFilter(self)
        self.button = QToolButton()
        self.button.setText("…")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._prepare_calendar)
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.retranslate_ui()

    # -- value ----------------------------------------------------------------------------
    def date(self) -> dt.date | None:
        return self._value

    def set_date(self, value: dt.date | None, emit: bool = False) -> None:
        if value is None and not self.optional:
            return
        changed = value != self._value
        self._value = value
        self._show_value()
        if emit and changed:
            self.changed.emit(self.iso())

    def iso(self) -> str:
        return self._value.isoformat() if self._value else ""

    def set_iso(self, iso: str, emit: bool = False) -> None:
        """Show a stored ISO date; text saved before dates were checked is shown as it is,
        marked, until it is retyped."""
        try:
            value = dt.date.fromisoformat(iso.strip()) if iso.strip() else None
        except ValueError:
            value = None
        self.set_date(value, emit)
        if value is None and iso.strip():
            self.edit.setText(iso.strip())
            self.edit.setStyleSheet(INVALID_STYLE)

    def set_suggestion(self, iso: str) -> None:
        """The month the calendar opens on while the field is empty."""
        try:
            self._suggestion = dt.date.fromisoformat(iso) if iso else None
        except ValueError:
            self._suggestion = None

    def is_valid(self) -> bool:
        """What is shown is the date held (or empty for no date)."""
        text = self.edit.text().strip()
        if not text:
            return self._value is None
        typed = parse_typed_date(text)
        return typed is not None and typed == self._value

    # -- texts ----------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        example = format_short_date(dt.date(2026, 5, 15))
        self.edit.setPlaceholderText(_("e.g. {date}").format(date=example))
        self.edit.setToolTip(_("Type a date as {pattern} (for example {date}) or pick it "
                               "from the calendar.").format(
            pattern=_date_hint(), date=example)
            + ("" if not self.optional else " " + _("Leave it empty for no date.")))
        self.button.setToolTip(_("Pick a date"))
        self.button.setAccessibleName(_("Pick a date"))
        self.calendar.setLocale(qt_locale(current_language()))
        if not self.edit.hasFocus():
            self._show_value()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- typing and picking -----------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.edit and event.type() == QEvent.Type.FocusIn:
            # After the click has placed the cursor: the whole date is then replaced.
            QTimer.singleShot(0, self.edit.selectAll)
        return super().eventFilter(watched, event)

    def _typed(self, text: str) -> None:
        text = text.strip()
        value = parse_typed_date(text) if text else None
        valid = value is not None or (not text and self.optional)
        self.edit.setStyleSheet("" if valid else INVALID_STYLE)
        if valid and value != self._value:
            self._value = value
            self.changed.emit(self.iso())
        elif not valid:  # the last date is kept until this becomes one
            self.typed_other.emit(text)

    def _finished(self) -> None:
        """Leaving the field: a date is shown in the one format; what is not a date stays
        as typed, marked, so that it is seen."""
        text = self.edit.text().strip()
        if not text or parse_typed_date(text) is not None:
            self._show_value()

    def _show_value(self) -> None:
        text = format_short_date(self._value) if self._value else ""
        if self.edit.text() != text:
            self.edit.setText(text)
        self.edit.setStyleSheet("")

    def _prepare_calendar(self) -> None:
        day = self._value or self._suggestion or dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _picked(self, date: QDate) -> None:
        self.set_date(dt.date(date.year(), date.month(), date.day()), emit=True)
        self.button.menu().close()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)


def _date_hint() -> str:
    """The pattern in words a participant reads (DD/MM/YYYY), from the language's own."""
    letters = {"d": _("DD"), "M": _("MM"), "y": _("YYYY")}
    out, last = [], ""
    for char in date_pattern():
        if char in letters:
            if char != last:
                out.append(letters[char])
        else:
            out.append(char)
        last = char
    return "".join(out)
