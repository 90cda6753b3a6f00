"""Print group output: choose the PDF's language and file, build it off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from rmdesk.i18n import _
from rmdesk.reports.data import GroupReport
from rmdesk.services.reports import write_group_pdf
from rmdesk.ui.common import (
    Retranslatable,
    language_combo,
    path_row,
    resize_to_fit,
    save_file_dialog,
    show_error,
)


class PrintDialog(Retranslatable, QDialog):
    def __init__(self, parent: QWidget | None, language: str, default_path: Path) -> None:
        super().__init__(parent)
        self.language = language_combo(language)
        self.path_edit, self.browse, row = path_row(default_path)
        self.browse.clicked.connect(self._browse)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.path_label = QLabel()
        self.path_label.setBuddy(self.path_edit)
        self.form = QFormLayout()
        self.form.addRow(self.language_label, self.language)
        self.form.addRow(self.path_label, row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        resize_to_fit(self, 560, self.sizeHint().height())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Print group output"))
        self.language_label.setText(_("PDF &language:"))
        self.path_label.setText(_("&Save as:"))
        self.browse.setText(_("&Browse…"))

    def _browse(self) -> None:
        path = save_file_dialog(self, _("Save group output"), self.path_edit.text(),
                                _("PDF files (*.pdf)"))
        if path:
            self.path_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def chosen(self) -> tuple[str, Path]:
        return self.language.currentData(), Path(self.path_edit.text()).expanduser()


class _PdfWorker(QObject):
    finished = Signal(object)  # Path
    failed = Signal(object)  # exception

    def __init__(self, report: GroupReport, lang: str, out: Path) -> None:
        super().__init__()
        self.report, self.lang, self.out = report, lang, out
        self.cancelled = False

    def run(self) -> None:
        try:
            path = write_group_pdf(self.report, self.lang, self.out, lambda: self.cancelled)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread to show
            self.failed.emit(exc)
            return
        self.finished.emit(path)


class _Relay(QObject):
    def __init__(self, parent: QObject, done: object, failed: object) -> None:
        super().__init__(parent)
        self._done, self._failed = done, failed

    @Slot(object)
    def on_done(self, path: object) -> None:
        self._done(path)  # type: ignore[operator]

    @Slot(object)
    def on_failed(self, error: object) -> None:
        self._failed(error)  # type: ignore[operator]


def print_group_output(parent: QWidget, report: GroupReport, lang: str, out: Path,
                       ask_to_open: bool = True) -> QThread:
    """Build the PDF in a worker thread with a cancellable progress dialog."""
    progress = QProgressDialog(_("Building the group output…"), _("Cancel"), 0, 0, parent)
    progress.setWindowTitle(_("Print group output"))
    progress.setMinimumDuration(300)
    thread = QThread(parent)
    worker = _PdfWorker(report, lang, out)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    progress.canceled.connect(lambda: setattr(worker, "cancelled", True))

    def done(path: Path) -> None:
        progress.reset()
        thread.quit()
        if worker.cancelled or not ask_to_open:
            return
        from rmdesk.ui.print_preview import PrintPreviewDialog, pdf_preview_available

        if pdf_preview_available():  # read and print it here, no PDF viewer needed
            preview = PrintPreviewDialog(parent, path)
            preview.setModal(False)
            preview.show()
            parent._preview = preview  # type: ignore[attr-defined]  # keep it alive
            return
        answer = QMessageBox.question(
            parent, _("Group output ready"),
            _("The group output was saved to:\n{path}\n\nOpen it now?").format(path=path),
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def failed(error: Exception) -> None:
        progress.reset()
        thread.quit()
        show_error(parent, error)

    # The relay lives in the GUI thread, so the slots run there, not in the worker.
    relay = _Relay(parent, done, failed)
    worker.finished.connect(relay.on_done)
    worker.failed.connect(relay.on_failed)
    thread.finished.connect(relay.deleteLater)
    thread.finished.connect(worker.deleteLater)
    thread._worker = worker  # type: ignore[attr-defined]  # keep it alive with the thread
    thread.start()
    return thread
