"""Issue 11 item 11: the names rmdesk gives (self-study workshop, group, working
language) follow the interface language; changing the group on a laptop with a
facilitator PIN asks for it."""

from __future__ import annotations

from tests.ui.conftest import switch
from tests.ui.test_workshop_flow import _when_dialog

from rmdesk.i18n import gettext_for
from rmdesk.ui.pin_dialog import PinDialog


def test_self_study_names_follow_the_interface_language(make_window, languages) -> None:
    window = make_window()
    window.study_on_my_own()
    workshop, group = window.workshops.current_selection()
    assert (workshop.title, group.name, workshop.language_list) == ("My self-study", "Me",
                                                                    ["en"])
    for lang in ("fr", "es", "pt_BR", "en"):
        switch(languages, lang)
        workshop, group = window.workshops.current_selection()
        tr = gettext_for(lang)
        assert (workshop.title, group.name) == (tr("My self-study"), tr("Me"))
        assert workshop.language_list == [lang]
        assert window.workshop_combo.currentText() == tr("My self-study")
    # Once the trainee names them, the names are theirs.
    window.workshops.rename_group(group.id, "Ana")
    switch(languages, "fr")
    assert window.workshops.current_selection()[1].name == "Ana"


def other_group(window) -> str:
    workshop, group = window.workshops.current_selection()
    return window.workshops.add_group(workshop.id, "Grupo Cóndor").id


def test_changing_the_group_asks_for_the_facilitator_pin(make_window) -> None:
    window = make_window()
    window.roles.set_first_pin("2468")
    window.roles.lock()
    before = window.workshops.current_selection()[1].id
    target = other_group(window)
    asked: list[str] = []

    def wrong(dialog: PinDialog) -> None:
        asked.append(dialog.intro.text())
        dialog.reject()

    _when_dialog(PinDialog, wrong)
    window.use_group(target)
    assert asked and "PIN" in asked[0]
    assert window.workshops.current_selection()[1].id == before
    assert window.group_combo.currentData() == before

    def right(dialog: PinDialog) -> None:
        dialog.pin.setText("2468")
        dialog.try_accept()

    _when_dialog(PinDialog, right)
    window.use_group(target)
    assert window.workshops.current_selection()[1].id == target
    assert not window.roles.is_facilitator  # the laptop stays in participant mode


def test_without_a_pin_the_group_changes_at_once(make_window) -> None:
    window = make_window()
    target = other_group(window)
    window.use_group(target)
    assert window.workshops.current_selection()[1].id == target
