"""Screen readers (issue 11 item 7): every input of every page and dialog has a name a
screen reader reads (its accessible name, from accessibleName or a buddy label, as Qt's
accessibility layer gives it to AT-SPI), and tables and charts have a description."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QWidget,
)

from rmdesk.ui.exercise_pages import LazyPage

CHART_CLASSES = ("RadarChart", "HeatMapWidget", "LaneChart", "TimelineChart",
                 "BeforeAfterMatrix", "OverlayHeatMap")


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface else ""


def is_input(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit):
        return not isinstance(widget.parent(), QAbstractSpinBox | QComboBox)
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox | QAbstractSpinBox | QSlider | QAbstractButton)


def unnamed(root: QWidget) -> list[str]:
    """Visible inputs a screen reader could not name; tables and charts not described."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or isinstance(widget, QHeaderView) \
                or widget.objectName() == "qt_tableview_cornerbutton":  # parts of a table
            continue
        where = (f"{type(root).__name__}/{type(widget.parentWidget()).__name__}/"
                 f"{type(widget).__name__}:{widget.objectName()}")
        if is_input(widget) and not accessible_name(widget):
            found.append(where)
        elif (isinstance(widget, QAbstractItemView)
              or type(widget).__name__ in CHART_CLASSES) and not (
                widget.accessibleDescription() or "").strip():
            found.append(where + " (no description)")
    return found


def test_every_input_of_every_page_has_a_name(make_window, qtbot) -> None:
    window = make_window()
    window.unlock_facilitator = lambda: None
    window.roles.set_first_pin("2468")  # facilitator mode: its page too
    problems: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = window.tabs.currentWidget()
        if isinstance(page, LazyPage):
            page = page.ensure()
        problems += unnamed(page)
    problems += unnamed(window.toolbar)
    assert problems == [], "\n".join(problems)


def dialogs(window, tmp_path) -> list[QWidget]:
    from tests.ui.test_dataset_import import spanish_csv

    from rmdesk.services.datasets import DatasetService
    from rmdesk.services.declaration_import import read_csv_header
    from rmdesk.ui.dataset_import import DatasetImportDialog
    from rmdesk.ui.dataset_manager import DatasetManagerDialog
    from rmdesk.ui.exchange_dialogs import ExportDialog, ImportDialog
    from rmdesk.ui.facilitator_page import BATCH, CONSOLIDATED, PrintOptionsDialog
    from rmdesk.ui.pin_dialog import CHANGE, SET, UNLOCK, PinDialog
    from rmdesk.ui.print_dialog import PrintDialog
    from rmdesk.ui.workshop_dialog import WorkshopDialog

    workshop, group = window.workshops.current_selection()
    service = DatasetService(tmp_path / "sets")
    return [
        WorkshopDialog(window), WorkshopDialog(window, workshop),
        PrintDialog(window, "en", tmp_path / "out.pdf"),
        PrintOptionsDialog(window, CONSOLIDATED, tmp_path / "w.pdf", "en"),
        PrintOptionsDialog(window, BATCH, tmp_path, "en"),
        *(PinDialog(window, window.roles, mode) for mode in (SET, UNLOCK, CHANGE)),
        ExportDialog(window, window.store, workshop.id, group.id),
        ImportDialog(window, window.store),
        DatasetImportDialog(read_csv_header(spanish_csv(tmp_path)), service),
        DatasetManagerDialog(service, window),
    ]


def test_every_input_of_every_dialog_has_a_name(make_window, qtbot, tmp_path,
                                                languages) -> None:
    from tests.ui.conftest import switch

    window = make_window()
    problems: list[str] = []
    for lang in ("en", "fr"):
        switch(languages, lang)
        for dialog in dialogs(window, tmp_path):
            qtbot.addWidget(dialog)
            dialog.show()
            QApplication.processEvents()
            problems += unnamed(dialog)
            dialog.close()
    assert problems == [], "\n".join(problems)
