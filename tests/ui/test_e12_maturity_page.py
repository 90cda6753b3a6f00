"""E12 maturity page: levels with their descriptors, evidence, the live chart, feedback,
reload and a runtime language switch."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch
from tests.ui.e1x_helpers import (  # noqa: F401
    DIMENSIONS,
    e1x_pack,
    group_in,
    leaks,
    make_page,
    pseudo,
    wrap_fr,
)

from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.ui.maturity_page import MaturityPage


def open_page(qtbot, store, pack=None) -> MaturityPage:
    page = make_page(qtbot, store, pack or e1x_pack(), "maturity", MaturityPage)
    page.set_group(group_in(store))
    return page


def test_a_level_shows_its_descriptor_and_draws_the_chart(qtbot, filled_store,
                                                          languages) -> None:
    page = open_page(qtbot, filled_store)
    box = page.boxes["data"]
    assert "hover" in box.descriptor.text()  # nothing chosen yet
    box.buttons.button(4).click()
    assert box.descriptor.text() == "Level 4: Data level 4"
    assert page.chart.axes == [("Governance", None), ("Data and IT", 4),
                               ("People and skills", None)]
    assert "1 of 3" in page.average.text()
    page.chart.grab()
    switch(languages, "es")
    assert box.descriptor.text().endswith("Datos nivel 4")  # the pack's own language
    assert box.title() == "Datos y TI"
    assert page.chart.axes[1] == ("Datos y TI", 4)


def test_feedback_asks_for_evidence_from_level_three(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    for dim, level in (("governance", 3), ("data", 2), ("people", 4)):
        page.boxes[dim].buttons.button(level).click()
        qtbot.keyClicks(page.boxes[dim].next_step, "Write the risk policy")
    qtbot.keyClicks(page.boxes["people"].evidence, "Training records 2025")
    page.check_work()
    texts = [page.feedback.item(i).text() for i in range(page.feedback.count())]
    assert texts == ["✗ Governance: level 3 needs evidence (a document, a figure, a practice "
                     "you can show)."]
    qtbot.keyClicks(page.boxes["governance"].evidence, "Committee minutes")
    page.check_work()
    assert page.current_findings()[0].code == "maturity_ok"
    assert "Data and IT" in page.feedback.item(0).text()  # the weakest dimension


def test_answer_survives_reload_and_undo(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    group = group_in(filled_store)
    page.boxes["governance"].buttons.button(5).click()
    qtbot.keyClicks(page.boxes["governance"].evidence, "External audit")
    qtbot.keyClicks(page.boxes["governance"].next_step, "Keep the audit yearly")
    page.boxes["people"].buttons.button(2).click()
    page.flush()
    stored = ExerciseWorkService(filled_store).load(group, "e12").data
    assert stored["ratings"]["governance"] == {
        "level": 5, "evidence": "External audit", "next_step": "Keep the audit yearly"}
    again = open_page(qtbot, filled_store)
    assert again.boxes["governance"].level() == 5
    assert again.boxes["governance"].evidence.toPlainText() == "External audit"
    assert again.boxes["people"].level() == 2
    assert again.boxes["data"].level() is None
    again.undo()  # nothing to undo after a reload
    assert again.boxes["people"].level() == 2
    page.undo()  # the first page: its last step was choosing level 2 for people
    assert page.boxes["people"].level() is None
    assert "people" not in ExerciseWorkService(filled_store).load(group, "e12") \
        .data["ratings"]


def test_language_switch_relabels_everything(qtbot, filled_store, languages,
                                             wrap_fr) -> None:  # noqa: F811
    page = open_page(qtbot, filled_store, pack=pseudo(e1x_pack()))
    page.boxes["governance"].buttons.button(3).click()
    qtbot.keyClicks(page.boxes["governance"].next_step, "Adopt a policy")
    page.check_work()
    switch(languages, "fr")
    QApplication.processEvents()
    assert page.boxes["governance"].title() == f"⟦{DIMENSIONS[0].name.en}⟧"
    assert leaks(page, {"Adopt a policy", "1", "2", "3", "4", "5", ""}) == []
    assert page.boxes["governance"].next_step.text() == "Adopt a policy"


def test_typing_goes_to_the_group_it_was_typed_for(qtbot, filled_store, languages) -> None:
    from rmdesk.services.workshops import WorkshopService

    workshops = WorkshopService(filled_store)
    workshop, first = workshops.current_selection()
    second = workshops.add_group(workshop.id, "Groupe Étoile")
    work = ExerciseWorkService(filled_store)
    page = open_page(qtbot, filled_store)
    assert work.statuses(first.id) == {}  # looking at a page writes nothing
    qtbot.keyClicks(page.boxes["data"].next_step, "Link the manifest feed")
    page.set_group(second.id)  # before the debounce fires
    assert page.boxes["data"].next_step.text() == ""
    assert work.load(first.id, "e12").data["ratings"]["data"]["next_step"] \
        == "Link the manifest feed"
    assert work.statuses(second.id) == {}
