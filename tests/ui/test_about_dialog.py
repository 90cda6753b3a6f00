"""Help > About rmdesk > Licences: the notice an IT department looks for, in every
interface language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from rmdesk import i18n
from rmdesk.i18n import LANGUAGES, _
from rmdesk.ui.about_dialog import AboutDialog

from .conftest import switch


@pytest.mark.parametrize("lang", LANGUAGES)
def test_about_opens_the_licences_of_everything_rmdesk_carries(
        qtbot, languages, tmp_path, lang: str) -> None:
    switch(languages, lang)
    about = AboutDialog(tmp_path / "rmdesk.sqlite3")
    qtbot.addWidget(about)
    about.show()
    assert str(tmp_path / "rmdesk.sqlite3") in about.label.text()
    assert about.licences_button.text() == _("&Licences…")
    if lang != "en":
        assert i18n.translations(lang)._catalog.get("&Licences…"), "not translated"
    qtbot.mouseClick(about.licences_button, Qt.MouseButton.LeftButton)
    dialog = about.licences
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    for needed in ("MIT License", "PySide6", "GNU LESSER GENERAL PUBLIC LICENSE",
                   "download.qt.io", "DejaVu", "SQLAlchemy", "numpy", "reportlab"):
        assert needed in text, needed
    assert dialog.text.isReadOnly()


def test_help_about_is_the_dialog_with_licences(make_window, monkeypatch) -> None:
    window = make_window()
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window.about_action.trigger()
    assert len(shown) == 1 and shown[0].licences_button.isEnabled()
