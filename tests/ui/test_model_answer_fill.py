"""Facilitator > Fill this group with the model answers: behind the PIN, in the chosen
language, and only after confirming when the group already has work."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService


def test_fill_the_group_with_the_model_answers(make_window, monkeypatch) -> None:
    import rmdesk.ui.model_answer_fill as dialog
    import rmdesk.ui.pin_dialog as pin_dialog

    window = make_window()
    _workshop, group = window.workshops.current_selection()
    register = RegisterService(window.store)
    before = [r.event for r in register.list_risks(group.id)]
    assert window.fill_model_action.text().replace("&", "") == \
        "Fill this group with the model answers…"
    assert window.fill_model_action in window.facilitator_menu.actions()

    # Locked: the PIN is asked for, and refusing it changes nothing.
    asked: list[bool] = []
    monkeypatch.setattr(pin_dialog, "unlock_dialog", lambda *a: asked.append(True) or False)
    window.fill_model_action.trigger()
    assert asked and [r.event for r in register.list_risks(group.id)] == before

    window.roles.set_first_pin("2468", "2468")
    window.roles.unlock("2468")
    offered: list[list[str]] = []

    def choose(parent, title, label, items, current, editable):  # noqa: ANN001
        offered.append(list(items))
        return "Français", True

    monkeypatch.setattr(dialog.QInputDialog, "getItem", staticmethod(choose))
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(dialog.QMessageBox, "question",
                        staticmethod(lambda *a, **k: answers.pop(0)))
    window.fill_model_action.trigger()  # the group has work: "No" keeps it
    assert [r.event for r in register.list_risks(group.id)] == before
    window.fill_model_action.trigger()  # "Yes" replaces it, in French
    risks = register.list_risks(group.id)
    assert len(risks) == 11 and risks[0].event.startswith("Des voitures d'occasion")
    assert "English" in offered[0] and "Français" in offered[0]
    statuses = ExerciseWorkService(window.store).statuses(group.id)
    assert set(statuses) == {e.id for e in window.pack.exercises}
    assert set(statuses.values()) == {"submitted"}
