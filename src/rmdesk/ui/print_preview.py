"""Print preview inside the app, direct printing, and long print jobs off the GUI thread.

The preview uses Qt's PDF module (QtPdf, QtPdfWidgets). It comes with PySide6-Addons, not
PySide6-Essentials; when it is missing the dialog says so and offers to open the file in
the system's PDF viewer instead. Printing renders each page with QPdfDocument.render at the
printer's resolution and paints it onto the QPrinter, so no PDF viewer is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRect, QSize, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, ngettext
from rmdesk.ui.common import Retranslatable, resize_to_fit, show_error

PRINT_DPI = 200  # enough for sharp text on paper, small enough for 100 pages


def pdf_preview_available() -> bool:
    try:
        from PySide6 import QtPdf, QtPdfWidgets  # noqa: F401
    except ImportError:
        return False
    return True


def open_externally(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_document(document: Any, printer: Any, dpi: int = PRINT_DPI,
                   is_cancelled: Callable[[], bool] = lambda: False) -> int:
    """Paint the pages of a loaded QPdfDocument on `printer`, each fitted to the printable
    area; honours the page range chosen in the print dialog. Returns the pages printed."""
    from PySide6.QtPrintSupport import QPrinter

    count = document.pageCount()
    first, last = 0, count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage() - 1, min(count, printer.toPage()) - 1
    painter = QPainter()
    if not painter.begin(printer):
        raise RmdeskError("report_write_failed", path=printer.outputFileName() or "printer",
                          reason=_("the printer could not be started"))
    printed = 0
    try:
        for index in range(first, last + 1):
            if is_cancelled():
                break
            if printed:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(max(1, round(points.width() * dpi / 72)),
                         max(1, round(points.height() * dpi / 72)))
            image = document.render(index, size)
            area = painter.viewport()
            scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x() + (area.width() - scaled.width()) // 2,
                           area.y() + (area.height() - scaled.height()) // 2,
                           scaled.width(), scaled.height())
            painter.drawImage(target, image)
            printed += 1
    finally:
        painter.end()
    return printed


class PrintPreviewDialog(Retranslatable, QDialog):
    def __init__(self, parent: QWidget | None, pdf_path: Path | str) -> None:
        super().__init__(parent)
        self.pdf_path = Path(pdf_path)
        self.document: Any = None
        self.view: Any = None
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.PlainText)  # names the file
        self.info.setWordWrap(True)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_pdf)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: open_externally(self.pdf_path))
        self.zoom_in, self.zoom_out, self.fit_width = QPushButton(), QPushButton(), QPushButton()
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)
        bar = QHBoxLayout()
        for button in (self.print_button, self.zoom_out, self.zoom_in, self.fit_width):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.info)
        if pdf_preview_available():
            self._build_view(layout)
        else:
            for button in (self.print_button, self.zoom_in, self.zoom_out, self.fit_width):
                button.hide()
            layout.addStretch(1)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_pdf)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._zoom(1.25))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._zoom(0.8))
        resize_to_fit(self, 900, 1000)
        self.retranslate_ui()

    def _build_view(self, layout: QVBoxLayout) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.document = QPdfDocument(self)
        self.document.load(str(self.pdf_path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.view, 1)
        self.zoom_in.clicked.connect(lambda: self._zoom(1.25))
        self.zoom_out.clicked.connect(lambda: self._zoom(0.8))
        self.fit_width.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))

    def page_count(self) -> int:
        return self.document.pageCount() if self.document is not None else 0

    def _zoom(self, factor: float) -> None:
        if self.view is None:
            return
        from PySide6.QtPdfWidgets import QPdfView

        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(4.0, self.view.zoomFactor() * factor)))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Print preview — {name}").format(name=self.pdf_path.name))
        self.print_button.setText(_("&Print…"))
        self.open_button.setText(_("&Open in PDF viewer"))
        self.zoom_in.setText(_("Zoom &in"))
        self.zoom_out.setText(_("Zoom &out"))
        self.fit_width.setText(_("&Fit width"))
        self.close_button.setText(_("&Close"))
        if self.document is None:
            self.info.setText(_(
                "This copy of rmdesk has no built-in PDF viewer (Qt's PDF module is not "
                "installed). The PDF was saved to:\n{path}\nOpen it in the PDF viewer of "
                "this computer to read and print it.").format(path=self.pdf_path))
        else:
            count = self.page_count()
            self.info.setText(ngettext("{count} page · {path}", "{count} pages · {path}",
                                       count).format(count=count, path=self.pdf_path))

    def print_pdf(self, printer: Any = None) -> int:
        """Ask for a printer (unless one is given) and print every page."""
        if self.document is None:
            return 0
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(self.pdf_path.stem)
            dialog = QPrintDialog(printer, self)
            dialog.setMinMax(1, max(1, self.page_count()))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return 0
        try:
            return print_document(self.document, printer)
        except RmdeskError as error:
            show_error(self, error)
            return 0


# -- long jobs ----------------------------------------------------------------------------------
class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Callable[..., object]) -> None:
        super().__init__()
        self.job = job
        self.cancelled = False

    def run(self) -> None:
        try:
            result = self.job(lambda done, total: self.progressed.emit(done, total),
                              lambda: self.cancelled)
        except Exception as exc:  # noqa: BLE001 - shown in the GUI thread
            self.failed.emit(exc)
            return
        self.finished.emit(result)


class _Relay(QObject):
    def __init__(self, parent: QObject, progress: QProgressDialog,
                 done: Callable[[object], None], failed: Callable[[object], None]) -> None:
        super().__init__(parent)
        self.progress, self._done, self._failed = progress, done, failed

    @Slot(int, int)
    def on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    @Slot(object)
    def on_done(self, result: object) -> None:
        self._done(result)

    @Slot(object)
    def on_failed(self, error: object) -> None:
        self._failed(error)


def run_job(parent: QWidget, title: str, label: str,
            job: Callable[[Callable[[int, int], None], Callable[[], bool]], object],
            on_done: Callable[[object], None]) -> QThread:
    """Run job(progress, is_cancelled) in a thread with a cancellable progress dialog.
    A cancelled job (ReportCancelled) ends quietly; other errors are shown."""
    progress = QProgressDialog(label, _("Cancel"), 0, 0, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoReset(False)
    progress.setAutoClose(False)
    thread = QThread(parent)
    worker = _Worker(job)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    progress.canceled.connect(lambda: setattr(worker, "cancelled", True))

    def finish() -> bool:
        cancelled = worker.cancelled
        progress.canceled.disconnect()  # closing the dialog would emit it
        progress.reset()
        progress.close()
        thread.quit()
        return cancelled

    def done(result: object) -> None:
        if not finish():
            on_done(result)

    def failed(error: object) -> None:
        finish()
        if isinstance(error, RmdeskError) and error.code == "report_cancelled":
            return
        show_error(parent, error)  # type: ignore[arg-type]

    relay = _Relay(parent, progress, done, failed)
    worker.progressed.connect(relay.on_progress)
    worker.finished.connect(relay.on_done)
    worker.failed.connect(relay.on_failed)
    thread.finished.connect(relay.deleteLater)
    thread.finished.connect(worker.deleteLater)
    thread._worker = worker  # type: ignore[attr-defined]  # keep it alive with the thread
    thread._progress = progress  # type: ignore[attr-defined]
    thread.start()
    return thread
