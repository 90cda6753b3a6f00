"""Print preview and direct printing. The preview needs Qt's PDF module (PySide6-Addons):
without it the dialog says where the PDF is and offers the system viewer instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from rmdesk.ui import print_preview
from rmdesk.ui.print_preview import PrintPreviewDialog, pdf_preview_available


def three_pages(path: Path) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    for n in range(1, 4):
        canvas.drawString(100, 700, f"Page number {n}")
        canvas.showPage()
    canvas.save()
    return path


def test_without_qtpdf_the_dialog_offers_the_system_viewer(qtbot, tmp_path, monkeypatch,
                                                           languages) -> None:
    monkeypatch.setattr(print_preview, "pdf_preview_available", lambda: False)
    opened: list[Path] = []
    monkeypatch.setattr(print_preview, "open_externally", lambda p: opened.append(p) or True)
    pdf = three_pages(tmp_path / "report.pdf")
    dialog = PrintPreviewDialog(None, pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.document is None and dialog.page_count() == 0
    assert str(pdf) in dialog.info.text() and "no built-in PDF viewer" in dialog.info.text()
    assert not dialog.print_button.isVisible() and dialog.open_button.isVisible()
    dialog.open_button.click()
    assert opened == [pdf]
    assert dialog.print_pdf() == 0


@pytest.mark.skipif(not pdf_preview_available(), reason="Qt's PDF module is not installed")
def test_preview_shows_pages_and_prints_them(qtbot, tmp_path, languages) -> None:
    from PySide6.QtPrintSupport import QPrinter

    pdf = three_pages(tmp_path / "report.pdf")
    dialog = PrintPreviewDialog(None, pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count() == 3 and "3 pages" in dialog.info.text()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_pdf(printer) == 3
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 3
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert dialog.print_pdf(printer) == 2
