"""Help > About rmdesk, and its Licences view: rmdesk's MIT licence and the notices of
every piece of third-party software it carries (rmdesk.notices)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rmdesk import __version__
from rmdesk.i18n import _
from rmdesk.notices import load_notice


class LicencesDialog(QDialog):
    """The notice in full, read-only, in a fixed-width font (licence texts are laid out
    for one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Licences"))
        self.intro = QLabel(_("rmdesk is free software under the MIT licence. It includes the "
                              "software listed below, each under its own licence; the full "
                              "texts follow."))
        self.intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(load_notice(qVersion()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)  # fits 1366x768 with the taskbar


class AboutDialog(QDialog):
    def __init__(self, store_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About rmdesk"))
        self.label = QLabel(_(
            "rmdesk {version}\n\nA workbook for the practical exercises of customs "
            "risk-management workshops. Your work is saved in:\n{path}").format(
                version=__version__, path=store_path))
        self.label.setWordWrap(True)
        self.licences_button = QPushButton(_("&Licences…"))
        self.licences_button.clicked.connect(self.show_licences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.licences_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.licences: LicencesDialog | None = None

    def show_licences(self) -> None:
        if self.licences is None:
            self.licences = LicencesDialog(self)
        self.licences.show()
        self.licences.raise_()
