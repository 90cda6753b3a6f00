"""The bar under the exercise tabs: the exercise's status for this group, Submit or
Reopen, the model answer when it is open to the group, and the next exercise."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from rmdesk.i18n import N_, _
from rmdesk.services.exercises import SUBMITTED
from rmdesk.ui.common import Retranslatable

NEXT_EXERCISE_KEYS = "Ctrl+Shift+PgDown"  # the main window's Go > Next exercise

STATUS_LABELS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "submitted": N_("Submitted"),
}


def no_mnemonic(text: str) -> str:
    """`text` without its & (a literal && stays one &)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&&")


class ExerciseBar(Retranslatable, QWidget):
    submit_requested = Signal()
    reopen_requested = Signal()
    model_requested = Signal()
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = ""
        self.locked = False
        self.model_open = False
        self.has_model = False
        self.has_next = False
        self.status_label = QLabel()
        self.status_label.setObjectName("exerciseStatus")
        self.submit_button = QPushButton()
        self.submit_button.clicked.connect(self._submit_clicked)
        self.model_button = QPushButton()
        self.model_button.clicked.connect(self.model_requested)
        self.next_button = QPushButton()
        self.next_button.clicked.connect(self.next_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.status_label, 1)
        for button in (self.model_button, self.submit_button, self.next_button):
            layout.addWidget(button)
        self.retranslate_ui()

    def _submit_clicked(self) -> None:
        if self.status == SUBMITTED:
            self.reopen_requested.emit()
        else:
            self.submit_requested.emit()

    def show_state(self, status: str, locked: bool, model_open: bool, has_model: bool,
                   has_next: bool) -> None:
        self.status, self.locked, self.model_open = status, locked, model_open
        self.has_model, self.has_next = has_model, has_next
        self.retranslate_ui()

    def submit_text(self) -> str:
        return _("&Reopen exercise") if self.status == SUBMITTED else _("&Submit exercise")

    def retranslate_ui(self) -> None:
        if self.locked:
            text = _("The facilitator has locked this exercise for now.")
        else:
            text = _("Status: {status}").format(
                status=_(STATUS_LABELS.get(self.status, STATUS_LABELS["not_started"])))
        self.status_label.setText(text)
        # No Alt+letter on these buttons: they sit under every page, whose own controls
        # need the letters; the Go menu has the same commands, with its own mnemonics.
        self.submit_button.setText(no_mnemonic(self.submit_text()))
        self.submit_button.setEnabled(not self.locked)
        self.model_button.setText(no_mnemonic(_("&Model answer")))
        self.model_button.setVisible(self.has_model)
        self.model_button.setEnabled(self.model_open)
        self.model_button.setToolTip(
            "" if self.model_open else
            _("Opens after you submit (self-study) or when the facilitator reveals it."))
        self.next_button.setText(no_mnemonic(_("&Next exercise ▸")))
        self.next_button.setEnabled(self.has_next)
        self.next_button.setToolTip(_("Next exercise ({keys})").format(
            keys=QKeySequence(NEXT_EXERCISE_KEYS).toString(
                QKeySequence.SequenceFormat.NativeText)))
