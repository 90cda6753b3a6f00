"""E11 regional project page: partners, milestones from templates, dates, dependencies,
the timeline, feedback, reload and a runtime language switch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch
from tests.ui.e1x_helpers import (  # noqa: F401
    TEMPLATES,
    e1x_pack,
    group_in,
    leaks,
    make_page,
    pseudo,
    wrap_fr,
)

from rmdesk.i18n.formatting import format_short_date
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.ui.regional_project_page import RegionalProjectPage

DATES = [("2026-04-01", "2026-04-15"), ("2026-04-16", "2026-05-10"),
         ("2026-05-11", "2026-06-30"), ("2026-07-01", "2026-08-31"),
         ("2026-09-01", "2026-09-30")]


def open_page(qtbot, store, pack=None, status=None) -> RegionalProjectPage:
    page = make_page(qtbot, store, pack or e1x_pack(), "regional_project",
                     RegionalProjectPage, status)
    page.set_group(group_in(store))
    return page


def add_partner(qtbot, page: RegionalProjectPage, *values: str) -> None:
    page.add_partner_button.click()
    row = page.partners.rowCount() - 1
    for col, value in enumerate(values):
        edit = page.partners.editor(row, col)
        if value.isascii():
            qtbot.keyClicks(edit, value)
        else:  # QTest types ASCII only: what a keyboard with "ã" would emit
            edit.setText(edit.text() + value)
            edit.textEdited.emit(edit.text())


def build_plan(qtbot, page: RegionalProjectPage) -> None:
    page.texts["objective"].setPlainText("Stop undervalued footwear in the corridor")
    for name in ("data_exchanged", "legal_basis", "indicators", "evaluation"):
        page.texts[name].setPlainText(f"Our {name}")
    page.window_start.set_iso("2026-04-01", emit=True)
    page.window_end.set_iso("2026-09-30", emit=True)
    add_partner(qtbot, page, "Aduana de Valdoria", "Ana Ruiz", "Lead")
    add_partner(qtbot, page, "Receita de Montalba", "João Lima", "Data provider")
    page.add_all_templates()  # three suggested milestones
    page.add_milestone()
    qtbot.keyClicks(page.title_edit, "Debrief")
    page.add_milestone("Report to the council")
    for row, (start, end) in enumerate(DATES):
        page.milestones.setCurrentCell(row, 1)
        page.start_edit.set_iso(start, emit=True)
        page.end_edit.set_iso(end, emit=True)
        page.responsible.setCurrentIndex(1 + row % 2)
        page.responsible.activated.emit(1 + row % 2)
        if row:  # each waits for the one before
            item = page.depends.item(row - 1)
            item.setCheckState(Qt.CheckState.Checked)


def test_templates_dates_and_dependencies_make_a_sound_plan(qtbot, filled_store,
                                                            languages) -> None:
    page = open_page(qtbot, filled_store)
    build_plan(qtbot, page)
    assert [page.milestones.item(r, 1).text() for r in range(5)] == [
        TEMPLATES[0].en, TEMPLATES[1].en, TEMPLATES[2].en, "Debrief", "Report to the council"]
    assert page.milestones.item(2, 5).text() == "M2"
    assert page.milestones.item(0, 2).text() == format_short_date(
        __import__("datetime").date(2026, 4, 1))
    assert page.milestones.item(1, 4).text() == "Receita de Montalba"
    page.check_work()
    assert [f.code for f in page.current_findings()] == ["project_ok"]
    # The chart has the milestones and the dependencies it draws.
    assert [m.id for m in page.chart.project.milestones] == ["m1", "m2", "m3", "m4", "m5"]
    page.chart.grab()  # paints without error


def test_a_circle_cannot_be_chosen(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    build_plan(qtbot, page)
    page.milestones.setCurrentCell(0, 1)  # M1: every other milestone already waits for it
    for i in range(page.depends.count()):
        item = page.depends.item(i)
        assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
        assert "already waits for this milestone" in item.toolTip()


def test_stored_cycle_and_late_start_are_reported(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    build_plan(qtbot, page)
    page.flush()
    work = ExerciseWorkService(filled_store)
    group = group_in(filled_store)
    data = work.load(group, "e11").data
    data["milestones"][0]["depends_on"] = ["m3"]  # an older answer with a circle
    data["milestones"][3]["start"] = "2026-06-01"  # before M3 ends
    work.save(group, "e11", data)
    page.set_group(group)
    page.check_work()
    texts = [page.feedback.item(i).text() for i in range(page.feedback.count())]
    assert any("→" in t and "M1" in t and "M3" in t for t in texts)
    assert any("M4 Debrief" in t and "M3" in t for t in texts)
    page.chart.grab()


def test_answer_survives_reload(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    build_plan(qtbot, page)
    page.flush()
    again = open_page(qtbot, filled_store)
    assert again.texts["objective"].toPlainText() == "Stop undervalued footwear in the corridor"
    assert again.window_start.iso() == "2026-04-01"
    assert again.partners.editor(1, 1).text() == "João Lima"
    assert again.milestones.rowCount() == 5
    again.milestones.setCurrentCell(3, 1)
    assert again.title_edit.text() == "Debrief"
    assert again.start_edit.iso() == "2026-07-01"
    assert again.responsible.currentText() == "Receita de Montalba"
    checked = [again.depends.item(i).text() for i in range(again.depends.count())
               if again.depends.item(i).checkState() == Qt.CheckState.Checked]
    assert checked == [f"M3 {TEMPLATES[2].en}"]


def test_removing_a_partner_and_undo(qtbot, filled_store, languages) -> None:
    status: list[str] = []
    page = open_page(qtbot, filled_store, status=status)
    build_plan(qtbot, page)
    page.tabs.setCurrentIndex(1)
    page.partners.setCurrentCell(0, 0)
    page.remove_partner_button.click()
    assert "Aduana de Valdoria" in status[-1]
    assert page.milestones.item(0, 4).text() == ""  # M1 lost its responsible partner
    page.undo()
    assert page.partners.editor(0, 0).text() == "Aduana de Valdoria"
    assert page.milestones.item(0, 4).text() == "Aduana de Valdoria"


def test_move_and_sort(qtbot, filled_store, languages) -> None:
    page = open_page(qtbot, filled_store)
    build_plan(qtbot, page)
    page.milestones.setCurrentCell(4, 1)
    page.move_milestone(-1)  # one up
    assert page.milestones.item(3, 1).text() == "Report to the council"
    page.sort_milestones()
    assert page.milestones.item(3, 1).text() == "Debrief"


def test_language_switch_relabels_everything(qtbot, filled_store, languages,
                                             wrap_fr) -> None:  # noqa: F811
    page = open_page(qtbot, filled_store, pack=pseudo(e1x_pack()))
    build_plan(qtbot, page)
    page.check_work()
    switch(languages, "fr")
    QApplication.processEvents()
    # Template titles in the menu follow the pack's language; typed titles stay as typed.
    menu = [a.text() for a in page.template_menu.actions() if a.text()]
    assert f"⟦{TEMPLATES[0].en}⟧" in menu
    assert page.milestones.item(0, 1).text() == TEMPLATES[0].en
    import datetime as dt

    days = {format_short_date(dt.date.fromisoformat(d), "fr") for pair in DATES for d in pair}
    user = {"Aduana de Valdoria", "Ana Ruiz", "Lead", "Receita de Montalba", "João Lima",
            "Data provider", "Debrief", "Report to the council", "#", "…", "—", "",
            "Stop undervalued footwear in the corridor", *(t.en for t in TEMPLATES),
            *(f"M{n}" for n in range(1, 6)), *(f"M{n} {t.en}" for n, t in
                                               enumerate(TEMPLATES, start=1)),
            "M4 Debrief", "M5 Report to the council", *days}
    assert leaks(page, user) == []
    assert page.start_edit.edit.text() == format_short_date(
        dt.date.fromisoformat(DATES[-1][0]), "fr")  # typed and shown as the French write it
    switch(languages, "en")
    assert page.tabs.tabText(2) == "Milestones and timeline"


def test_timeline_wraps_long_names_whole(qtbot) -> None:
    from rmdesk.domain.regional_project import RegionalProject
    from rmdesk.ui.timeline_chart import TimelineChart, label_width_for

    long = ("Agree on the common risk indicators and the data each administration "
            "shares before the operation")
    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.set_project(RegionalProject.from_dict({
        "partners": [{"id": "p", "administration": "Aduana de Valdoria"}],
        "milestones": [{"id": "a", "title": long, "start": "2026-11-01",
                        "end": "2027-02-01", "responsible": "p"},
                       {"id": "b", "title": "Undated", "responsible": "p"}]}))
    rows = chart.row_layout(label_width_for(700))
    assert " ".join(rows[0][2]) == f"M1 {long}"  # every word, over several lines
    assert len(rows[0][2]) > 1 and rows[0][1] > rows[1][1]
    assert rows[0][3] == "Aduana de Valdoria" and rows[1][3] == "dates not set"
    assert chart.heightForWidth(700) >= sum(r[1] for r in rows)
    chart.resize(700, chart.heightForWidth(700))
    chart.show()
    assert not chart.grab().isNull()
