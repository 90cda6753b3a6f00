"""E5 in the GUI: the risks to treat come from E4 (or the register), the form saves,
the matrix shows before and after, and the page switches language."""

from __future__ import annotations

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox
from tests.ui.conftest import switch
from tests.ui.e145_helpers import Pseudo, build, group_id, leaks
from tests.ui.texts import visible_texts

from rmdesk import i18n
from rmdesk.domain.evaluation import Evaluation, RiskDecision
from rmdesk.i18n import gettext_for
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.ui.treatment_page import COL_OPTION, COL_TARGET, TreatmentPage


def choose(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(combo.findData(value))
    combo.activated.emit(combo.currentIndex())


def type_text(edit, text: str) -> None:
    edit.setFocus()
    QTest.keyClicks(edit, text)


def codes(page: TreatmentPage) -> list[str]:
    return [r.code for r in page.risks]


def fill(page: TreatmentPage, code: str) -> None:
    page.select_risk(code)
    choose(page.option, "reduce")
    choose(page.residual_likelihood, 2)
    choose(page.residual_impact, 2)
    type_text(page.actions, "Reference prices; audits")
    type_text(page.owner, "Valuation unit")
    type_text(page.start.edit, "2026-02-01")
    type_text(page.due.edit, "2026-09-30")
    type_text(page.kpi, "Revenue recovered")


def test_without_e4_every_rated_risk_is_listed(qtbot, filled_store) -> None:
    RegisterService(filled_store).add_risk(group_id(filled_store), event="Unrated one")
    page = build(qtbot, filled_store, TreatmentPage, "treatment")
    assert codes(page) == ["R1", "R2"]  # 12, 10; the unrated R3 is left out
    assert "E4 has no decisions yet" in page.source_label.text()


def test_with_e4_only_risks_to_treat_in_e4_order(qtbot, filled_store) -> None:
    gid = group_id(filled_store)
    risks = RegisterService(filled_store).list_risks(gid)
    r1, r2 = risks[0].id, risks[1].id
    ExerciseWorkService(filled_store).save(gid, "e4", Evaluation(
        [r2, r1], {r1: RiskDecision("accept"), r2: RiskDecision("treat")}).to_dict())
    page = build(qtbot, filled_store, TreatmentPage, "treatment")
    assert codes(page) == ["R2"]
    assert "decided to treat in E4" in page.source_label.text()


def test_the_form_saves_and_reloads_and_the_matrix_moves(qtbot, filled_store) -> None:
    page = build(qtbot, filled_store, TreatmentPage, "treatment")
    fill(page, "R1")
    assert page.table.item(0, COL_OPTION).text() == "Reduce"
    assert page.table.item(0, COL_TARGET).text() == "2×2 = 4"
    markers = {(m.code, m.after, m.cell) for m in page.matrix.markers()}
    assert {("R1", False, (4, 3)), ("R1", True, (2, 2)), ("R2", False, (2, 5))} == markers
    qtbot.waitUntil(lambda: not page.autosave.has_pending(), timeout=2000)
    row = next(iter(page.ctx.work.load(page.group_id, "e5").data["rows"].values()))
    assert row == {"option": "reduce", "actions": "Reference prices; audits",
                   "owner": "Valuation unit", "start": "2026-02-01", "due": "2026-09-30",
                   "resources": "", "residual_likelihood": 2, "residual_impact": 2,
                   "kpi": "Revenue recovered", "acceptor": ""}
    again = build(qtbot, filled_store, TreatmentPage, "treatment")
    again.select_risk("R1")
    assert again.owner.text() == "Valuation unit"
    assert again.residual_impact.currentData() == 2
    assert again.actions.toPlainText() == "Reference prices; audits"
    again.select_risk("R2")
    assert again.owner.text() == ""


def test_check_my_work(qtbot, filled_store) -> None:
    page = build(qtbot, filled_store, TreatmentPage, "treatment")
    fill(page, "R1")
    page.due.edit.clear()
    type_text(page.due.edit, "2026-01-15")
    page.select_risk("R2")
    choose(page.option, "share")
    choose(page.residual_likelihood, 5)
    choose(page.residual_impact, 2)
    type_text(page.start.edit, "next week")
    assert not page.start.is_valid()
    page.check_work()
    texts = page.findings_texts()
    assert "✗ Risk R1: the due date 1/15/2026 is before the start date 2/1/2026." in texts
    assert "✗ Risk R2: “next week” is not a date." in texts
    assert any(t.startswith("✗ Risk R2: the residual score 10 is not below") for t in texts)
    assert "✗ Risk R2: name the owner of the treatment." in texts


def test_language_switch_relabels_everything(qtbot, filled_store, languages,
                                             monkeypatch) -> None:
    page = build(qtbot, filled_store, TreatmentPage, "treatment")
    fill(page, "R1")
    page.check_work()
    switch(languages, "pt_BR")
    pt = gettext_for("pt_BR")
    assert page.check_button.text() == pt("Check my work") != "Check my work"
    assert page.option.currentData() == "reduce"
    assert page.owner.text() == "Valuation unit"
    monkeypatch.setitem(i18n._catalogs, "fr", Pseudo())
    switch(languages, "fr")
    assert page.option.currentText() == "⟦Reduce⟧"
    assert page.table.item(0, COL_OPTION).text() == "⟦Reduce⟧"
    user = {"R1", "R2", "Subfaturamento de calçados", "Counterfeit medicines",
            "Valuation unit", "Revenue recovered", "Reference prices; audits", "2026-02-01",
            "2026-09-30", "4×3 = 12", "2×5 = 10", "2×2 = 4"}
    calendars = {t for c in (page.start.calendar, page.due.calendar)
                 for _w, t in visible_texts(c)}  # Qt's own month and day names
    assert "lun." in calendars  # the calendars follow the language too
    found = leaks(page, user | calendars)
    # Dates in the table follow babel's format for the language, not the catalog.
    assert [t for _w, t in found if "2026" not in t] == []
