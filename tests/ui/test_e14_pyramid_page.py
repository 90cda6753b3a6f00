"""E14 compliance pyramid page: placing segments, the pyramid that follows, the E5 links,
feedback, reload and undo, and a runtime language switch. (That it fits the classroom
screen in every language is tests/ui/test_laptop_layout.py, over every page.)"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QComboBox
from tests.ui.conftest import switch
from tests.ui.e1x_helpers import group_in, make_page

from rmdesk.content.pack import builtin_pack
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.ui.compliance_pyramid_page import CompliancePyramidPage
from rmdesk.ui.exercise_pages import PAGE_CLASSES, TAB_TITLES

PACK = builtin_pack()
SEGMENTS = PACK.exercise("compliance_pyramid").segments


def with_plan(store) -> tuple[str, str]:  # noqa: ANN001
    """The group's E5 plan: one treatment, for its first risk."""
    group = group_in(store)
    risk = RegisterService(store).list_risks(group)[0]
    ExerciseWorkService(store).save(group, "e5", {"rows": {risk.id: {
        "option": "reduce", "actions": "Update the price database", "owner": "Valuation"}}})
    return group, risk.id


def open_page(qtbot, store) -> CompliancePyramidPage:  # noqa: ANN001
    page = make_page(qtbot, store, PACK, "compliance_pyramid", CompliancePyramidPage)
    page.set_group(group_in(store))
    return page


def choose(combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_registered() -> None:
    assert PAGE_CLASSES["compliance_pyramid"] == \
        "compliance_pyramid_page:CompliancePyramidPage"
    assert TAB_TITLES["compliance_pyramid"] == "E14 Compliance pyramid"


def test_placing_a_segment_stores_it_and_draws_it(qtbot, filled_store, languages) -> None:
    group, risk_id = with_plan(filled_store)
    page = open_page(qtbot, filled_store)
    assert page.table.rowCount() == len(SEGMENTS)
    assert page.treatment_combos[0].itemText(1) == "R1 · Reduce"
    choose(page.level_combos[4], "deter")
    choose(page.response_combos[4], "deter")
    qtbot.keyClicks(page.edits[(4, "measures")], "First declarations in the red lane")
    qtbot.keyClicks(page.edits[(4, "reason")], "Half their items non-compliant")
    choose(page.treatment_combos[4], risk_id)
    page.flush()
    stored = ExerciseWorkService(filled_store).load(group, "e14").data
    assert stored["placements"][SEGMENTS[4].id] == {
        "level": "deter", "response": "deter", "measures": "First declarations in the red "
        "lane", "reason": "Half their items non-compliant", "treatment": risk_id}
    assert page.chart.placed["deter"] == [5]  # the row number, on its band
    assert page.chart.selected == "deter"
    assert SEGMENTS[4].facts[0].en in page.facts.text()
    page.chart.grab()


def test_feedback_follows_the_rules_and_never_blames_the_model(qtbot, filled_store,
                                                               languages) -> None:
    group, risk_id = with_plan(filled_store)
    page = open_page(qtbot, filled_store)
    choose(page.level_combos[0], "assist")
    choose(page.response_combos[0], "enforce")
    page.check_work()
    texts = page.findings_texts()
    assert any("is placed at “Try to comply but do not always succeed”, but the response "
               "is “Enforce”" in t for t in texts), texts
    assert any("place the segment on a level" in t for t in texts)
    # the model answer, entered on the page, gets nothing but praise
    model = PACK.model_work_for("e14", "en")["placements"]
    for row, segment in enumerate(SEGMENTS):
        choose(page.level_combos[row], model[segment.id]["level"])
        choose(page.response_combos[row], model[segment.id]["response"])
        page.edits[(row, "reason")].setText("")
        qtbot.keyClicks(page.edits[(row, "reason")], model[segment.id]["reason"][:30])
        qtbot.keyClicks(page.edits[(row, "measures")], model[segment.id]["measures"][:30])
        choose(page.treatment_combos[row], risk_id)
    page.check_work()
    assert [f.code for f in page.current_findings()] == ["pyramid_ok"]


def test_a_link_to_a_treatment_gone_from_e5_stays_visible(qtbot, filled_store,
                                                          languages) -> None:
    group, risk_id = with_plan(filled_store)
    ExerciseWorkService(filled_store).save(group, "e14", {"placements": {
        "aeo": {"level": "facilitate", "response": "facilitate", "treatment": "gone"}}})
    page = open_page(qtbot, filled_store)
    assert page.treatment_combos[0].currentText() == "⚠ not in the E5 plan"
    page.check_work()
    assert "link_unknown" in [f.code for f in page.current_findings()]


def test_answer_survives_reload_and_undo(qtbot, filled_store, languages) -> None:
    group, _risk = with_plan(filled_store)
    page = open_page(qtbot, filled_store)
    choose(page.level_combos[0], "facilitate")
    qtbot.keyClicks(page.edits[(0, "measures")], "Green lane")
    choose(page.level_combos[1], "assist")
    page.flush()
    again = open_page(qtbot, filled_store)
    assert again.level_combos[0].currentData() == "facilitate"
    assert again.edits[(0, "measures")].text() == "Green lane"
    assert again.level_combos[1].currentData() == "assist"
    page.undo()  # the last step: level "assist" for the second segment
    assert page.level_combos[1].currentData() == ""
    assert page.chart.placed["assist"] == []


def test_language_switch_keeps_typed_text(qtbot, filled_store, languages) -> None:
    with_plan(filled_store)
    page = open_page(qtbot, filled_store)
    choose(page.level_combos[6], "enforce")
    qtbot.keyClicks(page.edits[(6, "reason")], "Reincidentes")
    switch(languages, "es")
    QApplication.processEvents()
    assert page.table.horizontalHeaderItem(2).text() == "Respuesta"
    assert page.table.item(6, 0).text() == SEGMENTS[6].name.es
    assert page.level_combos[6].currentText() == "Han decidido no cumplir"
    assert page.edits[(6, "reason")].text() == "Reincidentes"
    assert page.treatment_combos[0].itemText(1) == "R1 · Reducir"
    switch(languages, "fr")
    assert page.facts_box.title() == "Faits du segment choisi"
