"""The model answer of an exercise (and, for a facilitator, the notes), in the current
language; it follows a language switch while open."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from rmdesk.content.pack import Exercise
from rmdesk.i18n import _, current_language
from rmdesk.ui.common import Retranslatable, resize_to_fit


class ModelAnswerDialog(Retranslatable, QDialog):
    def __init__(self, parent: QWidget | None, exercise: Exercise,
                 facilitator: bool = False) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.facilitator = facilitator
        self.text = QTextBrowser()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        resize_to_fit(self, 720, 560)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        lang = current_language()
        self.setWindowTitle(_("Model answer: {exercise}").format(
            exercise=self.exercise.title.get(lang)))
        parts = [self.exercise.model_answer.get(lang) if self.exercise.model_answer
                 else _("This exercise has no model answer in the content pack.")]
        if self.facilitator and self.exercise.facilitator_notes:
            parts += ["", _("Facilitator notes"), "",
                      self.exercise.facilitator_notes.get(lang)]
        self.text.setPlainText("\n".join(parts))
