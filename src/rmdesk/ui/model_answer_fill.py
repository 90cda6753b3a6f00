"""Facilitator menu > Fill this group with the model answers: the dialog around
rmdesk.services.model_answers (choose the language; confirm before replacing work)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from rmdesk.content.pack import ContentPack
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGE_NAMES, _, current_language
from rmdesk.store.database import Store
from rmdesk.ui.common import show_error


def fill_with_model_answers(parent: QWidget, store: Store, pack: ContentPack,
                            group_id: str, group_name: str) -> bool:
    """True when the group was filled. Asks for the language of the typed texts."""
    from rmdesk.services.model_answers import ModelAnswerService

    service = ModelAnswerService(store, pack)
    languages = [lang for lang in LANGUAGE_NAMES if lang in pack.pack.languages]
    names = [LANGUAGE_NAMES[lang] for lang in languages]
    start = languages.index(current_language()) if current_language() in languages else 0
    name, ok = QInputDialog.getItem(
        parent, _("Fill with the model answers"),
        _("Fill “{group}” with the model answers of every exercise, typed in:").format(
            group=group_name), names, start, False)
    if not ok:
        return False
    lang = languages[names.index(name)]
    overwrite = False
    if service.has_work(group_id):
        answer = QMessageBox.question(
            parent, _("Fill with the model answers"),
            _("“{group}” already has work. Replace all of it with the model answers? "
              "This cannot be undone.").format(group=group_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        overwrite = True
    try:
        service.fill_group(group_id, lang, overwrite=overwrite)
    except RmdeskError as exc:
        show_error(parent, exc)
        return False
    return True
