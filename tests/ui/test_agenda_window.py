"""Facilitator > Exercises in this workshop…: behind the PIN; with the 2-day agenda the
hidden exercises are in no page of the window (tabs, page list, next/previous exercise, the
register's keys when it is hidden), in every language; showing them again brings their
work back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from tests.ui.conftest import switch

from rmdesk.content.exercise_ids import exercise_label
from rmdesk.content.pack import builtin_pack
from rmdesk.i18n import LANGUAGES
from rmdesk.services import agenda
from rmdesk.services.register import RegisterService

PACK = builtin_pack()


def page_names(window) -> list[str]:  # noqa: ANN001
    return [window.tabs.tabText(i) for i in range(window.tabs.count())
            if window.tabs.isTabVisible(i)]


def shown_kinds(window) -> list[str]:  # noqa: ANN001
    return [kind for kind, _page in window.exercise_tabs]


@pytest.mark.parametrize("preset", [a.id for a in PACK.agendas])
def test_a_preset_hides_its_exercises_from_every_page_in_every_language(
        make_window, languages, preset: str) -> None:  # noqa: ANN001
    window = make_window()
    workshop, _group = window.workshops.current_selection()
    agenda.choose(window.store, workshop.id, PACK, agenda.preset_ids(PACK, preset))
    window.reload()
    shown = agenda.preset_ids(PACK, preset)
    hidden = [e for e in PACK.exercises if e.id not in shown]
    assert [e.id for e in window.pack.exercises] == shown
    assert sorted(shown_kinds(window)) == sorted(
        e.kind for e in PACK.exercises if e.id in shown)
    for lang in LANGUAGES:
        switch(languages, lang)
        names = " | ".join(page_names(window))
        for exercise in hidden:
            assert exercise.title.get(lang) not in names, (lang, exercise.id)
            assert f"{exercise_label(exercise)} " not in names + " ", (lang, exercise.id)
    # Next exercise from the first page walks the shown exercises only.
    window.tabs.setCurrentIndex(0)
    visited = set()
    for _step in range(len(PACK.exercises) + 3):
        window.next_exercise()
        exercise = window.tab_exercise.get(id(window.tabs.currentWidget()))
        if exercise is not None:
            visited.add(exercise.id)
    assert visited <= set(shown) and visited
    agenda.choose(window.store, workshop.id, PACK, [e.id for e in PACK.exercises])
    window.reload()
    assert len(window.pack.exercises) == len(PACK.exercises)


def test_the_dialog_is_behind_the_pin_confirms_hiding_and_keeps_the_work(
        make_window, monkeypatch) -> None:  # noqa: ANN001
    import rmdesk.ui.agenda_dialog as dialog_module
    import rmdesk.ui.pin_dialog as pin_dialog

    window = make_window()
    workshop, group = window.workshops.current_selection()
    risks = [r.event for r in RegisterService(window.store).list_risks(group.id)]
    assert window.agenda_action in window.facilitator_menu.actions()
    asked: list[bool] = []
    monkeypatch.setattr(pin_dialog, "unlock_dialog", lambda *a: asked.append(True) or False)
    window.agenda_action.trigger()
    assert asked and agenda.chosen_ids(window.store, workshop.id) is None

    window.roles.set_first_pin("2468", "2468")
    window.roles.unlock("2468")
    ticks: list[list[str]] = []

    def run(self) -> int:  # noqa: ANN001
        self.preset.setCurrentIndex(self.preset.findData("2-day"))
        ticks.append(self.chosen())
        for ident in ("e2e3",):  # and hide the register too: a choice of one's own
            self.boxes[ident].setChecked(False)
        assert self.preset.currentData() == dialog_module.CUSTOM
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialog_module.AgendaDialog, "exec", run)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(dialog_module.QMessageBox, "question",
                        staticmethod(lambda *a, **k: answers.pop(0)))
    window.agenda_action.trigger()  # "No" to hiding: nothing changes
    assert agenda.chosen_ids(window.store, workshop.id) is None
    window.agenda_action.trigger()  # "Yes"
    assert ticks[0] == agenda.preset_ids(PACK, "2-day")
    chosen = [i for i in agenda.preset_ids(PACK, "2-day") if i != "e2e3"]
    assert agenda.chosen_ids(window.store, workshop.id) == chosen
    assert window.tabs.indexOf(window.register_page) < 0
    window.add_risk_action.trigger()  # the hidden register's keys do nothing
    assert [r.event for r in RegisterService(window.store).list_risks(group.id)] == risks

    agenda.choose(window.store, workshop.id, PACK, [e.id for e in PACK.exercises])
    window.reload()
    assert window.tabs.indexOf(window.register_page) >= 0  # back, with the same risks
    assert [r.event for r in RegisterService(window.store).list_risks(group.id)] == risks
    assert window.register_page.model.rowCount() == len(risks)
