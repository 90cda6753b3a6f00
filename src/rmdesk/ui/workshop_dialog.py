"""Create or edit a workshop: title, venue, dates, working languages, and (when more than
the built-in pack is installed) the content pack a new workshop uses."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGE_NAMES, _, current_language
from rmdesk.i18n.qt import qt_locale
from rmdesk.services.packs import PackInfo
from rmdesk.services.workshops import WorkshopInput
from rmdesk.store.models import Workshop
from rmdesk.ui.common import Retranslatable, resize_to_fit


class WorkshopDialog(Retranslatable, QDialog):
    def __init__(self, parent: QWidget | None = None, workshop: Workshop | None = None,
                 packs: list[PackInfo] | None = None) -> None:
        super().__init__(parent)
        # A workshop keeps the pack it was created with, so only a new one may choose.
        self.packs = packs if workshop is None and packs and len(packs) > 1 else []
        self.pack_combo = QComboBox()
        self.title_edit = QLineEdit()
        self.venue_edit = QLineEdit()
        today = QDate.currentDate()
        self.start_edit = QDateEdit(today)
        self.end_edit = QDateEdit(today.addDays(4))
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
        self.language_boxes = {lang: QCheckBox(name) for lang, name in LANGUAGE_NAMES.items()}
        langs = QHBoxLayout()
        for box in self.language_boxes.values():
            langs.addWidget(box)
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # quotes typed names
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        self.labels = [QLabel() for _i in range(6)]
        form = QFormLayout()
        for label, field in zip(
            self.labels,
            (self.title_edit, self.venue_edit, self.start_edit, self.end_edit, None,
             self.pack_combo),
            strict=True,
        ):
            if field is self.pack_combo and not self.packs:
                continue
            if field is not None:
                label.setBuddy(field)
                form.addRow(label, field)
            else:
                form.addRow(label, langs)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._editing = workshop is not None
        if workshop is not None:
            self.title_edit.setText(workshop.title)
            self.venue_edit.setText(workshop.venue)
            if workshop.start_date:
                self.start_edit.setDate(QDate(workshop.start_date))
            if workshop.end_date:
                self.end_edit.setDate(QDate(workshop.end_date))
            chosen = set(workshop.language_list)
        else:
            chosen = {current_language()}
        for lang, box in self.language_boxes.items():
            box.setChecked(lang in chosen)
        self.retranslate_ui()
        resize_to_fit(self, 520, self.sizeHint().height())

    def chosen_pack(self) -> tuple[str, str] | None:
        """(id, version) of the pack chosen for a new workshop; None: the built-in one."""
        data = self.pack_combo.currentData() if self.packs else None
        return tuple(data) if data else None  # type: ignore[return-value]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Edit workshop") if self._editing else _("New workshop"))
        texts = (_("&Title:"), _("&Venue:"), _("&Starts:"), _("&Ends:"), _("Working languages:"),
                 _("Content &pack:"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.title_edit.setPlaceholderText(_("e.g. Regional workshop on risk management"))
        lang = current_language()
        current = self.pack_combo.currentIndex()
        self.pack_combo.clear()
        for info in self.packs:
            self.pack_combo.addItem(_("{title} (version {version})").format(
                title=info.title.get(lang), version=info.version), [info.id, info.version])
        self.pack_combo.setCurrentIndex(max(0, current))
        locale = qt_locale(lang)
        for edit in (self.start_edit, self.end_edit):
            edit.setLocale(locale)  # QDateEdit keeps its format unless told again
            edit.setDisplayFormat(locale.dateFormat(locale.FormatType.ShortFormat))

    def value(self) -> WorkshopInput:
        return WorkshopInput(
            title=self.title_edit.text(),
            venue=self.venue_edit.text(),
            start_date=_to_date(self.start_edit.date()),
            end_date=_to_date(self.end_edit.date()),
            languages=tuple(lang for lang, box in self.language_boxes.items() if box.isChecked()),
        )

    def accept(self) -> None:
        try:
            self.value().validated()
        except RmdeskError as exc:
            self.error_label.setText(exc.render(_))
            return
        super().accept()


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())
