"""E15 intelligence page: grading saves and undoes, rows are added and typed, the profile
previews on the practice data as it is built, F5 gives the feedback, a language switch
relabels everything, and the page fits a 1366×768 laptop."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch
from tests.ui.e1x_helpers import group_in, leaks, make_page, pseudo, wrap_fr  # noqa: F401

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.profile_logic import ConditionRow, ProfileLogic
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.ui.intelligence_page import IntelligencePage

PACK = builtin_pack()
EXERCISE = PACK.exercise("intelligence")


def open_page(qtbot, store, pack=None) -> IntelligencePage:
    page = make_page(qtbot, store, pack or PACK, "intelligence", IntelligencePage)
    page.set_group(group_in(store))
    return page


def stored(store, page: IntelligencePage) -> dict:
    page.flush()
    return ExerciseWorkService(store).load(page.group_id, EXERCISE.id).data


def test_grading_an_item_is_saved_and_undone(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    assert page.items_table.rowCount() == len(EXERCISE.intel_items)
    source, info = page.source_combos[4], page.info_combos[4]  # S05, the hotline call
    source.setCurrentIndex(source.findData("D"))
    source.activated.emit(source.currentIndex())
    info.setCurrentIndex(info.findData("4"))
    info.activated.emit(info.currentIndex())
    assert stored(filled_store, page)["gradings"]["S05"]["source"] == "D"
    assert stored(filled_store, page)["gradings"]["S05"]["info"] == "4"
    page.items_table.setCurrentCell(4, 0)
    assert "S05" in page.item_text.text() and EXERCISE.intel_items[4].text.en in \
        page.item_text.text()
    qtbot.keyClicks(page.note_edit, "No name, no date")
    assert stored(filled_store, page)["gradings"]["S05"]["note"] == "No name, no date"
    assert page.undo()  # the note
    assert page.undo()  # the information grade
    assert stored(filled_store, page)["gradings"]["S05"]["info"] == ""
    assert page.info_combos[4].currentData() == ""


def test_rows_are_added_typed_and_removed(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    page.add_row("staffing")
    qtbot.keyClicks(page.list_tables["staffing"].editor(0, 0), "National Police")
    qtbot.keyClicks(page.list_tables["staffing"].editor(0, 2), "3")
    page.add_row("shifts")
    for col, text in enumerate(("Night", "22:00", "06:00")):
        qtbot.keyClicks(page.list_tables["shifts"].editor(0, col), text)
    data = stored(filled_store, page)["centre"]
    assert data["staffing"] == [{"agency": "National Police", "role": "", "people": "3"}]
    assert data["shifts"][0]["start"] == "22:00"
    page.list_tables["staffing"].setCurrentCell(0, 0)
    page.remove_row("staffing")
    assert stored(filled_store, page)["centre"]["staffing"] == []
    assert page.undo()
    assert stored(filled_store, page)["centre"]["staffing"][0]["agency"] == "National Police"


def test_the_profile_previews_and_the_check_reports_its_hits(qtbot, filled_store,
                                                             languages) -> None:
    page = open_page(qtbot, filled_store)
    page.criteria.set_logic(ProfileLogic("and", [
        ConditionRow("hs_code", "eq", "290345"), ConditionRow("consignment", "eq", "ND"),
        ConditionRow("transport_mode", "eq", "road")]))
    page.criteria.changed.emit()
    assert "36 of 9,674" in page.preview.text()
    assert len(stored(filled_store, page)["profile"]["conditions"]) == 3
    page.check_work()
    texts = " ".join(page.findings_texts())
    assert "selects 36 of the 9,674 declarations (41 items); 24 of those items" in texts
    assert "Grade every report" in texts  # nothing graded yet


def test_the_model_answer_loads_and_checks_clean(qtbot, filled_store, languages) -> None:
    group = group_in(filled_store)
    ExerciseWorkService(filled_store).save(group, EXERCISE.id,
                                           PACK.model_work_for(EXERCISE.id, "en"))
    page = open_page(qtbot, filled_store)
    assert page.source_combos[0].currentData() == "A"
    assert page.based_on.text() == "S01, S02, S03, S06, S11"
    assert page.review.iso() == "2026-09-15"
    assert page.list_tables["kpis"].editor(0, 1).text() == "hits / targets × 100"
    page.check_work()
    assert {f.severity for f in page.current_findings()} == {"good"}


def test_language_switch_relabels_everything(qtbot, filled_store, languages,
                                             wrap_fr) -> None:  # noqa: F811
    group = group_in(filled_store)
    ExerciseWorkService(filled_store).save(group, EXERCISE.id,
                                           PACK.model_work_for(EXERCISE.id, "en"))
    page = open_page(qtbot, filled_store, pack=pseudo(PACK))
    page.check_work()
    switch(languages, "fr")
    QApplication.processEvents()
    assert page.tabs.tabText(0) == "⟦1 Grade⟧"
    assert page.items_table.item(0, 1).text() == f"⟦{EXERCISE.intel_items[0].kind.en}⟧"
    work = PACK.model_work_for(EXERCISE.id, "en")
    typed = {"", "—", "…", "290345", "ND", "road", "A", "B", "C", "D", "1", "2", "3", "4",
             *(i.id for i in EXERCISE.intel_items)}

    def collect(value: object) -> None:
        if isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)
        elif isinstance(value, str):
            typed.add(value)
    collect(work)
    typed.add(work["product"]["judgements"].splitlines()[0])
    assert leaks(page, typed) == []
    switch(languages, "en")
    assert page.tabs.tabText(2) == "3 Profile"


def test_the_page_fits_a_classroom_laptop(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    for lang in ("en", "fr"):
        switch(languages, lang)
        hint = page.minimumSizeHint()
        # At 1366×768 the page list takes 230 px of the width; menus, toolbar, title,
        # instructions and status bar leave the page 560 px (measured under Xvfb).
        assert hint.width() <= 1366 - 240 and hint.height() <= 560, (lang, hint)
    switch(languages, "en")
