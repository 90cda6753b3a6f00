"""A facilitator sets up a workshop from an empty store, then a group prints its output."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from rmdesk.content.pack import builtin_pack
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.main_window import MainWindow
from rmdesk.ui.print_dialog import PrintDialog
from rmdesk.ui.workshop_dialog import WorkshopDialog


def _when_dialog(kind: type, act) -> None:
    def attempt(left: int = 100) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            act(dialog)
        elif left:
            QTimer.singleShot(20, lambda: attempt(left - 1))

    QTimer.singleShot(20, attempt)


def test_create_workshop_group_and_member_from_empty_store(qtbot, store: Store, languages,
                                                           monkeypatch) -> None:
    window = MainWindow(store, builtin_pack(), languages)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.welcome

    def fill(dialog: WorkshopDialog) -> None:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # no title yet
        assert "title" in dialog.error_label.text()
        dialog.title_edit.setText("Atelier régional de Dakar")
        dialog.venue_edit.setText("Centre de formation")
        dialog.start_edit.setDate(QDate(2026, 5, 4))
        dialog.end_edit.setDate(QDate(2026, 5, 8))
        dialog.language_boxes["fr"].setChecked(True)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    _when_dialog(WorkshopDialog, fill)
    window.welcome.create_button.click()
    workshop = WorkshopService(store).list_workshops()[0]
    assert workshop.title == "Atelier régional de Dakar"
    assert workshop.start_date == dt.date(2026, 5, 4)
    assert "fr" in workshop.language_list and "en" in workshop.language_list
    assert window.stack.currentWidget() is window.workspace

    monkeypatch.setattr("rmdesk.ui.workshop_page.QInputDialog.getText",
                        lambda *a, **k: ("Groupe Sahel", True))
    window.workshop_page.add_group_button.click()
    window.workshop_page.add_member_button.click()
    window.workshop_page.members.item(0, 0).setText("Aïssatou Ndiaye")
    window.workshop_page.use_group_button.click()
    group = WorkshopService(store).list_groups(workshop.id)[0]
    assert group.name == "Groupe Sahel"
    assert WorkshopService(store).list_members(group.id)[0].name == "Aïssatou Ndiaye"
    assert window.group_combo.currentText() == "Groupe Sahel"
    assert window.tabs.currentWidget() is window.register_page
    assert window.print_action.isEnabled()


def test_print_group_output_in_another_language(make_window, qtbot, tmp_path):
    window = make_window()
    out = tmp_path / "grupo.pdf"

    def choose(dialog: PrintDialog) -> None:
        dialog.language.setCurrentIndex(dialog.language.findData("pt_BR"))
        dialog.path_edit.setText(str(out))
        dialog.accept()

    _when_dialog(PrintDialog, choose)
    window.print_action.trigger()
    # The finished PDF opens in the app's own preview, ready to print.
    qtbot.waitUntil(lambda: getattr(window, "_preview", None) is not None, timeout=15000)
    preview = window._preview
    assert preview.pdf_path == out and preview.isVisible()
    assert preview.page_count() == len(PdfReader(out).pages) > 1
    preview.close()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert "Grupo Ñandú" in text and "Subfaturamento de calçados" in text
    assert "março" in text  # the cover date in Portuguese, whatever the interface shows
    assert out.stat().st_mode & 0o044  # others may read a printed output


def test_screenshot_command_writes_the_main_window(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "rmdesk", "demo", "--data-dir", str(data)],
                   check=True, env=env, cwd=root, capture_output=True)
    shot = tmp_path / "fr.png"
    result = subprocess.run(
        [sys.executable, "-m", "rmdesk", "--data-dir", str(data), "--lang", "fr",
         "--screenshot", str(shot)], env=env, cwd=root, capture_output=True, text=True,
        timeout=60)
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    # The window fits the (800x800 offscreen) screen and is not a thumbnail.
    assert 600 <= image.width() <= 800 and 500 <= image.height() <= 800
