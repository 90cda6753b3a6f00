"""File > Import content pack: choose a .toml file, validate it, and either list every
problem in a scrollable window or copy the pack into the data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.problems import PackError
from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, current_language, ngettext
from rmdesk.services.packs import PackInfo, PackRegistry
from rmdesk.ui.common import Retranslatable, resize_to_fit, show_error, show_message


def open_pack_file_dialog(parent: QWidget | None) -> str:
    """Qt's own dialog, so it follows the app's language rather than the OS's."""
    path, _selected = QFileDialog.getOpenFileName(
        parent, _("Import content pack"), "",
        _("Content packs (*.toml);;All files (*)"),
        options=QFileDialog.Option.DontUseNativeDialog)
    return path


class PackProblemsDialog(Retranslatable, QDialog):
    """Every problem of a refused pack, one per line, in a list that scrolls."""

    def __init__(self, error: PackError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # names the file
        self.heading.setWordWrap(True)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.problems.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton()
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        resize_to_fit(self, 760, 420)
        self.retranslate_ui()

    def problem_lines(self) -> list[str]:
        return [problem.render_in_file(_) for problem in self.error.problems]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Content pack not imported"))
        count = len(self.error.problems)
        if self.error.code == "pack_invalid":
            self.heading.setText(ngettext(
                "The content pack {path} has {count} problem:",
                "The content pack {path} has {count} problems:", count).format(
                path=self.error.params.get("path", ""), count=count))
        else:
            self.heading.setText(self.error.render(_))
        self.problems.setPlainText("\n".join(self.problem_lines()))
        self.hint.setText(_("Nothing was imported. Correct these lines in a text editor, "
                            "then import the file again (or check it first with "
                            "“rmdesk pack validate FILE”)."))
        self.copy_button.setText(_("&Copy the list"))

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.error.render(_))


def import_pack_dialog(parent: QWidget | None, data_dir: Path,
                       path: str | None = None) -> PackInfo | None:
    """Ask for a pack file (unless `path` is given), validate it and import it into
    `data_dir`/packs. Returns the imported (or already installed) pack, or None."""
    if path is None:
        path = open_pack_file_dialog(parent)
        if not path:
            return None
    try:
        result = PackRegistry(data_dir).import_pack(Path(path))
    except PackError as error:
        PackProblemsDialog(error, parent).exec()
        return None
    except RmdeskError as error:
        show_error(parent, error)
        return None
    info = result.info
    title = info.title.get(current_language())
    if result.added:
        text = _("The content pack “{title}” ({id}, version {version}) was imported. "
                 "New workshops can use it.")
    else:
        text = _("The content pack “{title}” ({id}, version {version}) is already "
                 "installed. Nothing changed.")
    show_message(parent, _("Import content pack"),
                 text.format(title=title, id=info.id, version=info.version))
    return info
