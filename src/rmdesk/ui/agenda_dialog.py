"""Facilitator menu > Exercises in this workshop…: the dialog around
rmdesk.services.agenda (a preset of the pack or exercises ticked one by one; hiding an
exercise asks for confirmation and keeps its work)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.exercise_ids import exercise_label
from rmdesk.content.pack import ContentPack
from rmdesk.errors import RmdeskError
from rmdesk.i18n import _, current_language
from rmdesk.services import agenda
from rmdesk.store.database import Store
from rmdesk.ui.common import show_error

CUSTOM = ""  # the preset combo's entry for a choice made with the check boxes


class AgendaDialog(QDialog):
    """Check boxes for every exercise of the workshop's full pack; a preset ticks them."""

    def __init__(self, parent: QWidget | None, pack: ContentPack, shown: list[str]) -> None:
        super().__init__(parent)
        self.pack = pack
        lang = current_language()
        self.setWindowTitle(_("Exercises in this workshop"))
        self.preset = QComboBox()
        self.preset.addItem(_("My own choice"), CUSTOM)
        for preset in pack.agendas:
            self.preset.addItem(preset.title.get(lang), preset.id)
        self.preset.setAccessibleName(_("Agenda"))
        self.preset.currentIndexChanged.connect(self._apply_preset)
        self.boxes: dict[str, QCheckBox] = {}
        inner = QWidget()
        column = QVBoxLayout(inner)
        for exercise in pack.exercises:
            box = QCheckBox(f"{exercise_label(exercise)} {exercise.title.get(lang)}")
            box.setChecked(exercise.id in shown)
            box.toggled.connect(self._box_toggled)
            self.boxes[exercise.id] = box
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        note = QLabel(_("Hidden exercises disappear from the pages, the prints and the "
                        "progress counts. Work already done in them is kept and comes back "
                        "when they are shown again."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Agenda:")))
        layout.addWidget(self.preset)
        layout.addWidget(scroll, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._match_preset()

    def chosen(self) -> list[str]:
        return [ident for ident, box in self.boxes.items() if box.isChecked()]

    def _apply_preset(self) -> None:
        preset_id = self.preset.currentData()
        if not preset_id:
            return
        ids = set(agenda.preset_ids(self.pack, preset_id))
        for ident, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(ident in ids)
            box.blockSignals(False)

    def _box_toggled(self) -> None:
        self._match_preset()

    def _match_preset(self) -> None:
        """Show the preset the ticks equal, else "My own choice"."""
        ticked = self.chosen()
        index = next((i for i in range(1, self.preset.count())
                      if agenda.preset_ids(self.pack, self.preset.itemData(i)) == ticked), 0)
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(index)
        self.preset.blockSignals(False)


def choose_exercises(parent: QWidget, store: Store, workshop_id: str,
                     pack: ContentPack) -> bool:
    """True when the workshop's exercises changed. `pack` is the full pack (hidden
    exercises included). Hiding exercises asks for confirmation."""
    before = [e.id for e in agenda.visible_pack(store, workshop_id, pack).exercises]
    dialog = AgendaDialog(parent, pack, before)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    chosen = dialog.chosen()
    newly_hidden = [e for e in pack.exercises if e.id in before and e.id not in chosen]
    if chosen and newly_hidden:
        lang = current_language()
        names = ", ".join(f"{exercise_label(e)} {e.title.get(lang)}" for e in newly_hidden)
        answer = QMessageBox.question(
            parent, _("Exercises in this workshop"),
            _("Hide {names}? The groups' work in them is kept and comes back when you show "
              "them again.").format(names=names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
    try:
        agenda.choose(store, workshop_id, pack, chosen)
    except RmdeskError as error:
        show_error(parent, error)
        return False
    return chosen != before
