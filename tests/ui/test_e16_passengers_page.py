"""E16 passengers page: writing a profile on the passenger fields with the E7 criteria
editor, its figures, the data-protection feedback, reload and a language switch. (That it
fits the classroom screen in every language is tests/ui/test_laptop_layout.py.)"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox
from tests.ui.conftest import switch
from tests.ui.e1x_helpers import group_in, make_page

from rmdesk.content.pack import builtin_pack
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.ui.criteria_editor import COL_FIELD, COL_OP, COL_VALUE
from rmdesk.ui.exercise_pages import PAGE_CLASSES, TAB_TITLES
from rmdesk.ui.passengers_page import PassengersPage

PACK = builtin_pack()


def open_page(qtbot, store) -> PassengersPage:  # noqa: ANN001
    page = make_page(qtbot, store, PACK, "passenger_targeting", PassengersPage)
    page.set_group(group_in(store))
    return page


def choose(combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_registered() -> None:
    assert PAGE_CLASSES["passenger_targeting"] == "passengers_page:PassengersPage"
    assert TAB_TITLES["passenger_targeting"] == "E16 Passengers"


def test_a_profile_on_nationality_runs_but_is_flagged(qtbot, filled_store,
                                                      languages) -> None:
    page = open_page(qtbot, filled_store)
    page.add_button.click()
    table = page.conditions.table
    fields = table.cellWidget(0, COL_FIELD)
    # The passenger fields only, translated labels, no declaration field, no outcome.
    offered = {fields.itemData(i) for i in range(fields.count())}
    assert "x:nationality" in offered and "hs_code" not in offered
    assert "x:finding" not in offered
    choose(fields, "x:nationality")
    choose(table.cellWidget(0, COL_OP), "eq")
    qtbot.keyClicks(table.cellWidget(0, COL_VALUE), "Kessani")
    page.flush()
    stored = ExerciseWorkService(filled_store).load(group_in(filled_store), "e16").data
    assert stored["ruleset"]["criteria"][0]["condition"]["items"][0] == {
        "op": "eq", "field": "x:nationality", "value": "Kessani"}
    assert "passengers selected" in page.results.text()
    page.check_work()
    texts = page.findings_texts()
    assert any("“Nationality”, which a passenger profile may not use" in t
               for t in texts), texts
    switch(languages, "fr")
    fields = table.cellWidget(0, COL_FIELD)  # the rows are rebuilt in the new language
    assert fields.itemText(fields.findData("x:nationality")) == "Nationalité"
    assert any("Nationalité" in t for t in page.findings_texts())


def test_the_model_answer_shows_its_figures_and_passes(qtbot, filled_store,
                                                      languages) -> None:
    group = group_in(filled_store)
    ExerciseWorkService(filled_store).save(group, "e16", PACK.model_work_for("e16", "es"))
    switch(languages, "es")
    page = open_page(qtbot, filled_store)
    assert page.profiles.count() == 3
    assert page.conditions.table.rowCount() == 4  # the cash courier's four conditions
    assert "268 de 20.000" in page.results.text()
    page.check_work()
    assert len(page.findings_texts()) == 1
    page.profiles.setCurrentRow(2)
    assert page.name.text() == "Mercancías no declaradas"
    assert page.rationale.text().startswith("Viajes de compras")


def test_removing_a_profile_keeps_rationales_in_step_and_undo_brings_it_back(
        qtbot, filled_store, languages) -> None:
    group = group_in(filled_store)
    work = ExerciseWorkService(filled_store)
    work.save(group, "e16", PACK.model_work_for("e16", "en"))
    page = open_page(qtbot, filled_store)
    page.profiles.setCurrentRow(0)
    page.remove_button.click()
    stored = work.load(group, "e16").data
    assert [c["name"] for c in stored["ruleset"]["criteria"]] == ["Drug courier",
                                                                  "Undeclared goods"]
    assert stored["rationales"][0].startswith("Drug source routes")
    assert page.profiles.count() == 2 and page.name.text() == "Drug courier"
    assert page.undo()
    assert len(work.load(group, "e16").data["ruleset"]["criteria"]) == 3
    assert page.profiles.count() == 3
