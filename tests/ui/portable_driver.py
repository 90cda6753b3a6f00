"""Drives print, export and import in a fresh rmdesk process (run by test_portable.py with
HOME and the XDG folders pointed at an empty folder); dialogs are answered as a user
would, with the folders rmdesk proposes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFileSystemModel,
    QLineEdit,
    QMessageBox,
)


def main(data: Path) -> int:
    import faulthandler

    faulthandler.dump_traceback_later(150, exit=True)  # a hang shows where, then ends
    from rmdesk import paths
    from rmdesk.content.pack import builtin_pack
    from rmdesk.services.demo import create_demo
    from rmdesk.services.workshops import WorkshopService
    from rmdesk.store.database import open_store

    store = open_store(data)
    workshop = create_demo(store)
    groups = WorkshopService(store).list_groups(workshop.id)
    WorkshopService(store).select(workshop.id, groups[0].id)
    pack = builtin_pack(paths.cache_dir(data))

    app = QApplication(sys.argv[:1])
    from rmdesk.i18n.qt import LanguageManager
    from rmdesk.ui.exchange_dialogs import ExportDialog, ImportDialog
    from rmdesk.ui.main_window import MainWindow
    from rmdesk.ui.print_dialog import PrintDialog

    manager = LanguageManager(app)
    manager.switch("fr")
    window = MainWindow(store, pack, manager)
    window.show()
    exported: list[Path] = []

    def later(box: QDialog, action) -> None:  # noqa: ANN001
        """Act once per dialog, after this tick: an action that opens another dialog
        (a message box) must not block the timer that answers it."""
        if not getattr(box, "_answered", False):
            box._answered = True
            QTimer.singleShot(0, action)

    def export(box: ExportDialog) -> None:
        box.export_now()
        if box.written is not None:
            exported.append(box.written)

    def import_files(box: ImportDialog) -> None:
        box.apply()
        box.accept()

    def answer() -> None:
        """What a user does with the dialog on screen: keep what rmdesk proposes."""
        box = QApplication.activeModalWidget()
        if isinstance(box, PrintDialog):
            later(box, box.accept)
        elif isinstance(box, ExportDialog):
            later(box, lambda: export(box))
        elif isinstance(box, QFileDialog) and exported:
            # Typed into the name field as a user would, once the dialog has listed the
            # folder (selectFile alone selects nothing in Qt's own dialog before that).
            model = box.findChild(QFileSystemModel)
            if model is not None and model.rowCount(model.index(str(exported[0].parent))):
                name = box.findChild(QLineEdit, "fileNameEdit")
                name.setText(f'"{exported[0].name}"')
                box.done(QDialog.DialogCode.Accepted)
        elif isinstance(box, ImportDialog):
            asked = getattr(box, "_asked", None)
            if not box.paths and (asked is None or time.monotonic() - asked > 3):
                # The "Add files…" button: Qt's file dialog (again if it came back empty,
                # as it may on a busy machine when answered before it listed the folder).
                box._asked = time.monotonic()
                QTimer.singleShot(0, box._choose_files)
            elif box.paths:
                later(box, lambda: import_files(box))
        elif isinstance(box, QMessageBox):
            box.buttons()[0].click()
        elif isinstance(box, QDialog):
            box.reject()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(50)

    import rmdesk.ui.print_preview as preview_module

    # The preview's PDF view (pdfium) is not what is tested here, and it hangs headless
    # now and then; without it the PDF is handed to the desktop (a no-op offscreen).
    preview_module.pdf_preview_available = lambda: False
    window.print_output()
    deadline = time.monotonic() + 60
    while any(t.isRunning() for t in window._threads) and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    app.processEvents()
    pdfs = list(data.glob("*.pdf"))
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, window)  # the preview's Print button, then Cancel
    QTimer.singleShot(100, dialog.reject)
    dialog.exec()
    window.export_work()
    window.import_work()
    timer.stop()
    window.close()
    print(pdfs[0] if pdfs else "")
    print(exported[0] if exported else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
