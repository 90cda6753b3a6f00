"""E13 compliance survey page: the design is kept as typed, the data's sizes and the
draw's estimates follow every edit, feedback names what is wrong, undo and the language
switch work like on every answer page."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch
from tests.ui.e1x_helpers import group_in, leaks, make_page, pseudo, wrap_fr  # noqa: F401

from rmdesk.content.pack import builtin_pack
from rmdesk.i18n.formatting import format_percent
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.ui.compliance_survey_page import NAME, SAMPLE, SIZE, VALUES, ComplianceSurveyPage
from rmdesk.ui.exercise_pages import PAGE_CLASSES, TAB_TITLES

PACK = builtin_pack()


def model_page(qtbot, store, lang: str = "en") -> tuple[ComplianceSurveyPage, str]:
    group = group_in(store)
    ExerciseWorkService(store).save(group, "e13", PACK.model_work_for("e13", lang))
    page = make_page(qtbot, store, PACK, "compliance_survey", ComplianceSurveyPage)
    page.set_group(group)
    return page, group


def test_registered_for_its_kind() -> None:
    assert PAGE_CLASSES["compliance_survey"] == "compliance_survey_page:ComplianceSurveyPage"
    assert TAB_TITLES["compliance_survey"].startswith("E13 ")


def test_the_model_answer_shows_its_sizes_and_estimate(qtbot, filled_store,
                                                       languages) -> None:
    page, _group = model_page(qtbot, filled_store)
    assert page.strata.rowCount() == 5
    assert page.strata.editor(0, NAME).text() == "Sea"
    assert page.strata.editor(0, SIZE).text() == "6,035"
    assert page.strata.editor(0, SIZE).isReadOnly()
    assert page.n.value() == 794 and page.n0.value() == 864.4
    results = page.results.toPlainText()
    assert "N = 9,674" in results and "7.2% (5.5% to 8.9%, 95% confidence)" in results
    assert "No E8 run yet" in results
    page.check_work()
    codes = [f.code for f in page.current_findings()]
    assert "survey_ok" in codes
    assert not [f for f in page.current_findings() if f.severity in ("error", "warning")]


def test_typed_design_is_stored_and_reloaded(qtbot, filled_store, languages) -> None:
    group = group_in(filled_store)
    page = make_page(qtbot, filled_store, PACK, "compliance_survey", ComplianceSurveyPage)
    page.set_group(group)
    qtbot.keyClicks(page.population, "Imports 2025")
    for values in ("sea, rail", "road", "air, post"):
        page.add_button.click()
        row = page.strata.rowCount() - 1
        qtbot.keyClicks(page.strata.editor(row, NAME), f"S{row}")
        qtbot.keyClicks(page.strata.editor(row, VALUES), values)
    assert page.strata.editor(0, SIZE).text() == "6,285"  # sea 6,035 + rail 250
    page.margin.setValue(3)
    page.anticipated.setValue(10)
    page.n0.setValue(384.2)
    page.n.setValue(370)
    for row, sample in enumerate(("240", "65", "65")):
        qtbot.keyClicks(page.strata.editor(row, SAMPLE), sample)
    page.flush()
    stored = ExerciseWorkService(filled_store).load(group, "e13").data
    assert stored["population"] == "Imports 2025"
    assert [s["values"] for s in stored["strata"]] == ["sea, rail", "road", "air, post"]
    assert [s["sample"] for s in stored["strata"]] == [240, 65, 65]
    assert stored["margin"] == 0.03 and stored["n"] == 370

    again = make_page(qtbot, filled_store, PACK, "compliance_survey", ComplianceSurveyPage)
    again.set_group(group)
    assert again.strata.editor(2, VALUES).text() == "air, post"
    assert again.margin.value() == 3.0 and again.n0.value() == 384.2

    again.check_work()
    texts = again.findings_texts()
    # proportional: 370 × 6,285 ÷ 9,674 = 240, road 65, air and post 65: the samples are
    # right; nothing drawn or interpreted yet.
    assert not any("allocation gives" in t for t in texts), texts
    assert any("Draw the sample" in t for t in texts)


def test_a_gap_is_named_and_the_draw_can_be_undone(qtbot, filled_store, languages) -> None:
    page, group = model_page(qtbot, filled_store)
    page.strata.setCurrentCell(4, 0)
    page.remove_button.click()  # rail left out
    page.check_work()
    assert any("No stratum covers rail (250 declarations)" in t
               for t in page.findings_texts())
    page.undo()
    assert page.strata.rowCount() == 5

    data = ExerciseWorkService(filled_store).load(group, "e13").data
    data["drawn"] = False
    ExerciseWorkService(filled_store).save(group, "e13", data)
    page.set_group(group)
    assert "Draw the sample to see" in page.results.toPlainText()
    page.draw_button.click()
    assert format_percent(0.0718, digits=1) in page.results.toPlainText()
    assert ExerciseWorkService(filled_store).load(group, "e13").data["drawn"] is True
    page.undo()
    assert "Draw the sample to see" in page.results.toPlainText()


def test_language_switch_relabels_everything(qtbot, filled_store, languages,
                                             wrap_fr) -> None:  # noqa: F811
    page, _group = model_page(qtbot, filled_store)
    page.check_work()
    header = page.strata.horizontalHeaderItem(1).text()
    switch(languages, "fr")
    QApplication.processEvents()
    assert page.strata.horizontalHeaderItem(1).text() == f"⟦{header}⟧"
    model = PACK.model_work_for("e13", "en")
    user = {model["population"], model["interpretation"], "—", ""}
    user |= {s["name"] for s in model["strata"]} | {s["values"] for s in model["strata"]}
    user |= {str(s["sample"]) for s in model["strata"]}
    user |= {page.strata.editor(r, SIZE).text() for r in range(page.strata.rowCount())}
    user |= {"864,4", "794", "2026"}
    assert leaks(page, user) == []
    switch(languages, "en")
    assert page.check_button.text() == "Check my work"


def test_pseudo_pack_titles_do_not_leak(qtbot, filled_store, languages) -> None:
    page = make_page(qtbot, filled_store, pseudo(PACK), "compliance_survey",
                     ComplianceSurveyPage)
    page.set_group(group_in(filled_store))
    assert page.strata.rowCount() == 0 and page.results.toPlainText()
