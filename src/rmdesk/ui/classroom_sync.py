"""The background sync with a classroom server, and its indicator in the status bar.

A worker object lives in its own QThread and runs one round at a time; a timer in the GUI
thread asks for a round every few seconds (after writing the pages' pending typing), so the
window never waits for the network. When the server cannot be reached, the indicator says
so and rounds go on being tried: work is kept on the laptop and sent when it is back.
The time between rounds is the laptop's setting (File > Connect to classroom server…,
`rmdesk sync --interval`), read again after each round: a change applies without a
restart."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from babel.dates import format_time
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel

from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, current_language, ngettext
from rmdesk.services.settings import SettingsService
from rmdesk.services.sync import SERVER_URL, redacted
from rmdesk.services.sync.address import configured_url, sync_interval
from rmdesk.store.database import Store

if TYPE_CHECKING:
    from rmdesk.services.sync.service import SyncReport, SyncSession



class _Worker(QObject):
    done = Signal(object, object, int)  # SyncReport | None, RmdeskError | None, pending

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.session: SyncSession | None = None

    @Slot(str)
    def run_round(self, url: str) -> None:
        from rmdesk.services.sync.service import SyncSession  # loaded with the first round

        if self.session is None or self.session.url != url:
            self.close()
            self.session = SyncSession(self.store, url)
        report: SyncReport | None = None
        error: RmdeskError | None = None
        try:
            report = self.session.round()
        except RmdeskError as exc:
            error = exc
        except Exception as exc:  # noqa: BLE001 - a driver's surprise is "offline" too
            self.close()
            error = RmdeskError("sync_offline", url=redacted(url), reason=str(exc)[:300])
        try:
            # The round's own session: it knows when nothing was committed here since a
            # round with nothing to send (then counting reads nothing).
            pending = (self.session or SyncSession(self.store, url)).pending_changes()
        except (RmdeskError, Exception):  # noqa: BLE001 - the count is only shown
            pending = -1
        self.done.emit(report, error, pending)

    @Slot()
    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


class ClassroomSync(QObject):
    """Owns the worker's thread, the timer and the status-bar label."""

    round_requested = Signal(str)
    before_round = Signal()  # write the pages' pending typing first
    data_arrived = Signal()  # a round brought something: pages may re-read
    state_changed = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = SettingsService(store)
        self.label = QLabel()
        self.label.setVisible(False)
        self.url: str | None = None
        self.busy = False
        self.last_report: SyncReport | None = None
        self.last_error: RmdeskError | None = None
        self.last_success: float | None = None
        self.offline_since: float | None = None
        self.pending = 0
        # The worker's thread starts with the first connection: a laptop with no server
        # runs no thread at all.
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(sync_interval(store) * 1000)
        self.timer.timeout.connect(self.sync_now)

    # -- control --------------------------------------------------------------------------
    def start_from_settings(self) -> None:
        url = configured_url(self.store)
        if url:
            self.start(url)

    def follow_interval(self) -> None:
        """Take the laptop's current time between rounds (chosen in the dialog, or by
        `rmdesk sync --interval` meanwhile); the running timer keeps its phase."""
        milliseconds = sync_interval(self.store) * 1000
        if self.timer.interval() != milliseconds:
            self.timer.setInterval(milliseconds)

    def start(self, url: str) -> None:
        if self._thread is None:
            self._thread = QThread(self)
            self._worker = _Worker(self.store)
            self._worker.moveToThread(self._thread)
            self.round_requested.connect(self._worker.run_round)
            self._worker.done.connect(self._round_done)
            self._thread.start()
        self.url = url
        self.last_error = None
        self.offline_since = None
        self.label.setVisible(True)
        self.follow_interval()
        self.timer.start()
        self.sync_now()
        self.retranslate_ui()

    def disconnect_server(self) -> None:
        self.timer.stop()
        self.url = None
        self.label.setVisible(False)
        self.settings.set(SERVER_URL, "")  # off here, whatever the kit said
        self.state_changed.emit()

    @Slot()
    def sync_now(self) -> None:
        if self.url is None or self.busy:
            return
        self.busy = True
        self.before_round.emit()
        self.round_requested.emit(self.url)

    def stop(self) -> None:
        """At exit: no new round; the one under way finishes (bounded by the time-outs)."""
        self.timer.stop()
        self.url = None
        if self._thread is None or self._worker is None:
            return
        self._thread.quit()
        if not self._thread.wait(8000):  # a connection attempt gives up after 5 s
            self._thread.terminate()
            self._thread.wait(1000)
        self._worker.close()
        self._thread = self._worker = None

    # -- results --------------------------------------------------------------------------
    @Slot(object, object, int)
    def _round_done(self, report: SyncReport | None, error: RmdeskError | None,
                    pending: int) -> None:
        self.busy = False
        if pending >= 0:
            self.pending = pending
        if self.url is None:
            return
        self.follow_interval()
        if report is not None:
            self.last_report, self.last_error = report, None
            self.last_success, self.offline_since = report.finished_at, None
            if report.pulled:
                self.data_arrived.emit()
        else:
            if self.offline_since is None:
                self.offline_since = time.time()
            self.last_error = error
        self.retranslate_ui()
        self.state_changed.emit()

    @property
    def connected(self) -> bool:
        return self.url is not None and self.last_error is None and self.last_success is not None

    def status_text(self) -> str:
        if self.url is None:
            return ""
        waiting = ngettext("{count} change waiting to be sent",
                           "{count} changes waiting to be sent",
                           self.pending).format(count=self.pending) if self.pending else ""
        if self.last_error is not None:
            if self.last_error.code == "sync_offline":
                text = _("Classroom server: offline since {time}; work is kept on this "
                         "laptop").format(time=self._time(self.offline_since))
            else:
                text = _("Classroom server: not synced (see the tooltip)")
        elif self.last_success is None:
            text = _("Classroom server: connecting…")
        else:
            text = _("Classroom server: connected, last sync {time}").format(
                time=self._time(self.last_success))
        return f"{text} · {waiting}" if waiting else text

    @staticmethod
    def _time(stamp: float | None) -> str:
        if stamp is None:
            return "–"
        moment = dt.datetime.fromtimestamp(stamp).time().replace(microsecond=0)
        return format_time(moment, format="medium", locale=current_language())

    def retranslate_ui(self) -> None:
        self.label.setText(self.status_text())
        tip = self.last_error.render(_) if self.last_error is not None else (
            redacted(self.url) if self.url else "")
        self.label.setToolTip(tip)

