"""E10 KPI plan page: typing is kept, feedback names what is wrong, the language switches."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch
from tests.ui.e1x_helpers import e1x_pack, group_in, leaks, make_page, pseudo, wrap_fr  # noqa: F401

from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.ui.exercise_pages import PAGE_CLASSES
from rmdesk.ui.kpi_plan_page import KpiPlanPage


def fill_one_kpi(qtbot, page: KpiPlanPage) -> None:
    page.add_kpi_button.click()
    qtbot.keyClicks(page.fields["name"], "Hit rate")
    qtbot.keyClicks(page.fields["formula"], "hits / selected * 100")
    qtbot.keyClicks(page.fields["source"], "Selectivity module")
    qtbot.keyClicks(page.fields["baseline"], "9,5")
    qtbot.keyClicks(page.fields["target"], "14")
    qtbot.keyClicks(page.fields["owner"], "Risk unit")
    qtbot.keyClicks(page.fields["trigger"], "below 8 %")
    index = page.frequency.findData("monthly")
    page.frequency.setCurrentIndex(index)
    page.frequency.activated.emit(index)


def test_registered_for_its_kind() -> None:
    assert PAGE_CLASSES["kpi_plan"] == "kpi_plan_page:KpiPlanPage"


def test_typed_plan_survives_reload(qtbot, filled_store, languages) -> None:
    pack = e1x_pack()
    group = group_in(filled_store)
    page = make_page(qtbot, filled_store, pack, "kpi_plan", KpiPlanPage)
    page.set_group(group)
    fill_one_kpi(qtbot, page)
    page.add_variable_button.click()
    qtbot.keyClicks(page.variables.editor(0, 0), "hits")
    qtbot.keyClicks(page.variables.editor(0, 1), "examinations that found an offence")
    assert page.table.item(0, 0).text() == "Hit rate"  # the table follows the form
    assert page.table.item(0, 5).text() == "Monthly"
    page.flush()

    stored = ExerciseWorkService(filled_store).load(group, "e10").data
    assert stored["kpis"][0]["formula"] == "hits / selected * 100"
    assert stored["kpis"][0]["frequency"] == "monthly"
    assert stored["variables"] == [{"name": "hits",
                                    "meaning": "examinations that found an offence"}]

    again = make_page(qtbot, filled_store, pack, "kpi_plan", KpiPlanPage)
    again.set_group(group)
    assert again.fields["name"].text() == "Hit rate"
    assert again.fields["baseline"].text() == "9,5"
    assert again.frequency.currentData() == "monthly"
    assert again.variables.editor(0, 0).text() == "hits"


def test_formula_status_and_feedback(qtbot, filled_store, languages) -> None:
    page = make_page(qtbot, filled_store, e1x_pack(), "kpi_plan", KpiPlanPage)
    page.set_group(group_in(filled_store))
    fill_one_kpi(qtbot, page)
    # "selected" is not defined yet: the form says so while typing.
    assert "“hits”" in page.formula_status.text()
    page.check_work()
    texts = [page.feedback.item(i).text() for i in range(page.feedback.count())]
    assert any("“Hit rate”" in t and "“selected”" in t for t in texts)
    for name in ("hits", "selected"):
        page.add_variable_button.click()
        row = page.variables.rowCount() - 1
        qtbot.keyClicks(page.variables.editor(row, 0), name)
        qtbot.keyClicks(page.variables.editor(row, 1), f"count of {name}")
    assert page.formula_status.text().startswith("✓")
    page.check_work()
    assert page.current_findings()[-1].code == "kpi_plan_ok"


def test_remove_and_undo(qtbot, filled_store, languages) -> None:
    status: list[str] = []
    page = make_page(qtbot, filled_store, e1x_pack(), "kpi_plan", KpiPlanPage, status)
    group = group_in(filled_store)
    page.set_group(group)
    fill_one_kpi(qtbot, page)
    page.remove_kpi_button.click()
    assert page.table.rowCount() == 0
    assert "Hit rate" in status[-1]
    page.undo()
    assert page.table.rowCount() == 1
    assert page.fields["formula"].text() == "hits / selected * 100"
    assert ExerciseWorkService(filled_store).load(group, "e10").data["kpis"][0]["name"] \
        == "Hit rate"
    page.redo()
    assert page.table.rowCount() == 0


def test_no_group_disables_the_editor(qtbot, filled_store, languages) -> None:
    page = make_page(qtbot, filled_store, e1x_pack(), "kpi_plan", KpiPlanPage)
    page.set_group(None)
    assert not page.splitter.isEnabled() and page.no_group.isVisible()


def test_language_switch_relabels_everything(qtbot, filled_store, languages,
                                             wrap_fr) -> None:  # noqa: F811
    page = make_page(qtbot, filled_store, pseudo(e1x_pack()), "kpi_plan", KpiPlanPage)
    page.set_group(group_in(filled_store))
    fill_one_kpi(qtbot, page)
    page.add_variable_button.click()
    qtbot.keyClicks(page.variables.editor(0, 0), "hits")
    page.check_work()
    header_before = page.table.horizontalHeaderItem(0).text()
    switch(languages, "fr")
    QApplication.processEvents()
    assert page.table.horizontalHeaderItem(0).text() == f"⟦{header_before}⟧"
    user = {"Hit rate", "hits / selected * 100", "Selectivity module", "9,5", "14",
            "Risk unit", "below 8 %", "hits", "—", ""}
    assert leaks(page, user) == []
    assert page.fields["formula"].text() == "hits / selected * 100"  # typed text untouched
    switch(languages, "en")
    assert page.check_button.text() == "Check my work"


def test_main_window_builds_the_three_pages_lazily(make_window) -> None:
    from rmdesk.ui.exercise_pages import LazyPage
    from rmdesk.ui.kpi_plan_page import KpiPlanPage
    from rmdesk.ui.maturity_page import MaturityPage
    from rmdesk.ui.regional_project_page import RegionalProjectPage

    window = make_window(e1x_pack())
    pages = {kind: page for kind, page in window.exercise_tabs
             if kind in ("kpi_plan", "regional_project", "maturity")}
    assert set(pages) == {"kpi_plan", "regional_project", "maturity"}
    for kind, cls in (("kpi_plan", KpiPlanPage), ("regional_project", RegionalProjectPage),
                      ("maturity", MaturityPage)):
        lazy = pages[kind]
        assert isinstance(lazy, LazyPage) and lazy.page is None
        window.tabs.setCurrentWidget(lazy)
        QApplication.processEvents()
        assert isinstance(lazy.page, cls)
        assert lazy.page.group_id is not None  # the window's group reached the page
        window.check_action.trigger()  # F5 checks the exercise on screen
        assert lazy.page.current_findings()
