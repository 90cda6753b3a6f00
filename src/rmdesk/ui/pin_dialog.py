"""The facilitator PIN dialog: choose a PIN on first use, unlock, or change it.

Errors show inside the dialog (it stays open, the field is cleared). While the service
refuses tries after repeated wrong PINs, the dialog counts the wait down and keeps OK off.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRegularExpression, Qt, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, ngettext
from rmdesk.services.roles import PIN_MAX, RolesService
from rmdesk.ui.common import Retranslatable

SET, UNLOCK, CHANGE = "set", "unlock", "change"


def _pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(PIN_MAX)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{PIN_MAX}}}")))
    edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly
                             | Qt.InputMethodHint.ImhSensitiveData
                             | Qt.InputMethodHint.ImhNoPredictiveText)
    return edit


class PinDialog(Retranslatable, QDialog):
    def __init__(self, parent: QWidget | None, roles: RolesService, mode: str) -> None:
        super().__init__(parent)
        self.roles = roles
        self.mode = mode
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.pin = _pin_edit()  # the current PIN (unlock, change)
        self.new_pin = _pin_edit()  # set, change
        self.confirm = _pin_edit()
        self.pin_label, self.new_label, self.confirm_label = QLabel(), QLabel(), QLabel()
        for label, edit in ((self.pin_label, self.pin), (self.new_label, self.new_pin),
                            (self.confirm_label, self.confirm)):
            label.setBuddy(edit)
        form = QFormLayout()
        if mode in (UNLOCK, CHANGE):
            form.addRow(self.pin_label, self.pin)
        if mode in (SET, CHANGE):
            form.addRow(self.new_label, self.new_pin)
            form.addRow(self.confirm_label, self.confirm)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("pinMessage")
        self.message.setStyleSheet("#pinMessage { color: #a8182a; font-weight: bold; }")
        self.hint = QLabel()  # how to reset a forgotten PIN, once a PIN was wrong
        self.hint.setWordWrap(True)
        self.hint.setObjectName("pinHint")
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._error: RmdeskError | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        for edit in (self.pin, self.new_pin, self.confirm):
            edit.textChanged.connect(self._update_ok)
        self.retranslate_ui()
        self._tick()
        self.setMinimumWidth(380)

    @property
    def ok_button(self):  # noqa: ANN201 - a QPushButton
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def retranslate_ui(self) -> None:
        titles = {SET: _("Choose the facilitator PIN"), UNLOCK: _("Unlock facilitator mode"),
                  CHANGE: _("Change the facilitator PIN")}
        intros = {
            SET: _("Facilitator mode shows model answers, notes, scores and phase control. "
                   "Choose a PIN of 4 to 12 digits to protect it on this laptop. Only a "
                   "one-way hash of it is kept."),
            UNLOCK: _("Enter the facilitator PIN."),
            CHANGE: _("Enter the current PIN, then the new one twice."),
        }
        if getattr(self, "for_group", False):
            titles[UNLOCK] = _("Change the group on this laptop")
            intros[UNLOCK] = _("A facilitator PIN is set on this laptop: enter it to change "
                               "the group that works here.")
        self.setWindowTitle(titles[self.mode])
        self.intro.setText(intros[self.mode])
        self.pin_label.setText(_("Current &PIN:") if self.mode == CHANGE else _("&PIN:"))
        self.new_label.setText(_("&New PIN:"))
        self.confirm_label.setText(_("&Repeat the new PIN:"))
        self._show_message()

    def _show_message(self) -> None:
        wait = self.roles.wait_seconds()
        if wait > 0:
            seconds = math.ceil(wait)  # counts down to 1
            text = ngettext("Too many wrong PINs. Try again in {seconds} second.",
                            "Too many wrong PINs. Try again in {seconds} seconds.",
                            seconds).format(seconds=seconds)
        elif self._error is not None and self._error.code != "pin_wait":
            text = self._error.render(_)
        else:
            text = ""
        wrong = wait > 0 or (self._error is not None
                             and self._error.code in ("pin_wrong", "pin_wait"))
        self.message.setText(text)
        self.hint.setVisible(wrong and self.mode != SET)
        self.hint.setText(_("Forgotten? Run “rmdesk facilitator reset-pin” on this laptop, "
                            "then choose a new PIN."))

    def _tick(self) -> None:
        waiting = self.roles.wait_seconds() > 0
        if waiting and not self._timer.isActive():
            self._timer.start()
        elif not waiting:
            self._timer.stop()
        self._show_message()
        self._update_ok()

    def _update_ok(self) -> None:
        needed = {SET: (self.new_pin, self.confirm), UNLOCK: (self.pin,),
                  CHANGE: (self.pin, self.new_pin, self.confirm)}[self.mode]
        self.ok_button.setEnabled(self.roles.wait_seconds() <= 0
                                  and all(edit.text() for edit in needed))

    def try_accept(self) -> None:
        if not self.ok_button.isEnabled():
            return
        try:
            if self.mode == SET:
                self.roles.set_first_pin(self.new_pin.text(), self.confirm.text())
            elif self.mode == UNLOCK:
                self.roles.unlock(self.pin.text())
            else:
                self.roles.change_pin(self.pin.text(), self.new_pin.text(), self.confirm.text())
        except RmdeskError as error:
            self._error = error
            wrong_current = error.code in ("pin_wrong", "pin_wait")
            for edit in ((self.pin,) if wrong_current else (self.new_pin, self.confirm)):
                edit.clear()
            (self.pin if wrong_current and self.mode != SET else self.new_pin).setFocus()
            self._tick()
            return
        self._error = None
        self.accept()


def unlock_dialog(parent: QWidget | None, roles: RolesService) -> bool:
    """Enter facilitator mode: asks for the PIN, or to choose one on first use."""
    if roles.is_facilitator:
        return True
    dialog = PinDialog(parent, roles, UNLOCK if roles.has_pin() else SET)
    return dialog.exec() == QDialog.DialogCode.Accepted and roles.is_facilitator


def confirm_group_switch(parent: QWidget | None, roles: RolesService) -> bool:
    """Once a facilitator PIN is set, changing the group on this laptop needs it (so a
    participant cannot work as another group). The laptop stays in participant mode."""
    if roles.is_facilitator or not roles.has_pin():
        return True
    dialog = PinDialog(parent, roles, UNLOCK)
    dialog.for_group = True
    dialog.retranslate_ui()
    allowed = dialog.exec() == QDialog.DialogCode.Accepted and roles.is_facilitator
    if allowed:
        roles.lock()  # the PIN allowed this change only
    return allowed


def change_pin_dialog(parent: QWidget | None, roles: RolesService) -> bool:
    """Change the PIN (the old one is required); chooses a first one when none is set."""
    dialog = PinDialog(parent, roles, CHANGE if roles.has_pin() else SET)
    return dialog.exec() == QDialog.DialogCode.Accepted
