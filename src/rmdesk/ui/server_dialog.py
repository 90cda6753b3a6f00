"""File > Connect to classroom server…: the server's address, the time between two syncs,
a connection test, and connecting (both are kept in this laptop's settings) or
disconnecting.

The test runs in a thread of its own (a server that does not answer takes up to 5 s to
give up), so the dialog stays responsive and says what it found."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rmdesk.errors import RmdeskError
from rmdesk.i18n import _
from rmdesk.services.settings import SettingsService
from rmdesk.services.sync import SERVER_URL
from rmdesk.services.sync.address import (
    MAX_INTERVAL,
    MIN_INTERVAL,
    check_interval,
    configured_url,
    set_sync_interval,
    sync_interval,
)
from rmdesk.services.sync.server import parse_url
from rmdesk.services.sync.service import check_connection
from rmdesk.store.database import Store
from rmdesk.ui.common import Retranslatable, plain_label

CONNECTED, DISCONNECTED = 1, 2  # the dialog's results besides Rejected


class _Tester(QObject):
    finished = Signal(str, object)  # the workshop's title on the server, or the error


class ServerDialog(Retranslatable, QDialog):
    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = SettingsService(store)
        self.current = configured_url(store) or ""
        self.intro = plain_label()
        self.intro.setWordWrap(True)
        self.url = QLineEdit(self.current)
        self.url.setPlaceholderText("postgresql://group1:password@192.168.1.10/rmdesk")
        self.url.setMinimumWidth(420)
        self.url_label = QLabel()
        self.url_label.setBuddy(self.url)
        # Wider than the allowed range on purpose: a value out of it is named in words
        # (and Connect waits), where a spin box would silently put back the old one.
        self._interval_shown = False  # the outcome line shows the interval's message
        self.interval = QSpinBox()
        self.interval.setRange(0, 999)
        self.interval.setValue(sync_interval(store))
        self.interval.valueChanged.connect(self._interval_changed)
        self.interval.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.interval_label = QLabel()
        self.interval_label.setBuddy(self.interval)
        self.test_button = QPushButton()
        self.test_button.clicked.connect(self.test_connection)
        self.outcome = plain_label()
        self.outcome.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.url_label, self.url)
        form.addRow(self.interval_label, self.interval)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole)
        self.disconnect_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.disconnect_button.setVisible(bool(self.current))
        self.connect_button.clicked.connect(self._connect)
        self.disconnect_button.clicked.connect(self._disconnect)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)
        self._tester = _Tester(self)
        self._tester.finished.connect(self._tested)
        self._test_thread: threading.Thread | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Connect to classroom server"))
        self.intro.setText(_(
            "With a classroom server, this laptop sends its group's work every few seconds "
            "and receives the workshop, the exercises' locks and model answers, the work "
            "of the group's other laptops and the facilitator's shared feedback. Work "
            "stays on this laptop too: when the network drops, it goes on here and is "
            "sent when the server is back. The facilitator gives you the address."))
        self.url_label.setText(_("Server &address:"))
        self.interval_label.setText(_("S&ync every (seconds, {minimum}–{maximum}):").format(
            minimum=MIN_INTERVAL, maximum=MAX_INTERVAL))
        self._interval_changed()
        self.test_button.setText(_("&Test the connection"))
        self.connect_button.setText(_("&Connect"))
        self.disconnect_button.setText(_("&Disconnect"))

    def _address(self) -> str | None:
        text = self.url.text().strip()
        try:
            parse_url(text)
        except RmdeskError as exc:
            self.outcome.setText(exc.render(_))
            return None
        return text

    def test_connection(self) -> None:
        url = self._address()
        if url is None or (self._test_thread is not None and self._test_thread.is_alive()):
            return
        self.outcome.setText(_("Connecting…"))
        self.test_button.setEnabled(False)

        def run() -> None:
            try:
                title = check_connection(self.store, url)
            except RmdeskError as exc:
                self._tester.finished.emit("", exc)
            except Exception as exc:  # noqa: BLE001 - whatever the driver says, shown
                self._tester.finished.emit("", RmdeskError(
                    "sync_offline", url=url, reason=str(exc)[:300]))
            else:
                self._tester.finished.emit(title, None)

        self._test_thread = threading.Thread(target=run, daemon=True)
        self._test_thread.start()

    def _tested(self, title: str, error: object) -> None:
        self.test_button.setEnabled(True)
        if isinstance(error, RmdeskError):
            self.outcome.setText(error.render(_))
        else:
            self.outcome.setText(_("Connected: the server holds the workshop “{title}” "
                                  "and this laptop's group.").format(title=title))

    def wait_for_test(self, timeout: float = 10.0) -> None:
        """For tests: let a connection test end."""
        if self._test_thread is not None:
            self._test_thread.join(timeout)

    def _interval_error(self) -> RmdeskError | None:
        try:
            check_interval(self.interval.value())
        except RmdeskError as exc:
            return exc
        return None

    def _interval_changed(self) -> None:
        """Name a value out of range at once; Connect waits until it is in range."""
        error = self._interval_error()
        self.connect_button.setEnabled(error is None)
        if error is not None:
            self.outcome.setText(error.render(_))
        elif self._interval_shown:
            self.outcome.clear()
        self._interval_shown = error is not None

    def _connect(self) -> None:
        url = self._address()
        error = self._interval_error()
        if url is None or error is not None:
            if error is not None:
                self.outcome.setText(error.render(_))
            return
        set_sync_interval(self.store, self.interval.value())
        self.settings.set(SERVER_URL, url)
        self.done(CONNECTED)

    def _disconnect(self) -> None:
        self.settings.set(SERVER_URL, "")  # off here, whatever the kit said
        self.done(DISCONNECTED)
