"""E4 page with tolerances by area: each risk shows the tolerance of its area, the line
and the feedback follow it; a pack without them shows the page as before."""

from __future__ import annotations

from tests.ui.conftest import switch
from tests.ui.e145_helpers import build
from tests.ui.test_e4_evaluation_page import decide

from rmdesk.content.pack import builtin_pack
from rmdesk.ui.evaluation_page import COL_CODE, COL_TOLERANCE, EvaluationPage


def tolerance_of(page: EvaluationPage, code: str) -> str:
    row = page._table_row(page.ranked_codes().index(code))
    assert page.table.item(row, COL_CODE).text() == code
    return page.table.item(row, COL_TOLERANCE).text()


def test_each_risk_shows_its_areas_tolerance(qtbot, filled_store, languages) -> None:
    # R1: revenue, 4 × 3 = 12; R2: health and safety, 2 × 5 = 10
    page = build(qtbot, filled_store, EvaluationPage, "evaluation", builtin_pack())
    assert not page.table.isColumnHidden(COL_TOLERANCE)
    assert (tolerance_of(page, "R1"), tolerance_of(page, "R2")) == ("≤ 9", "≤ 6")
    assert "Health and safety: up to 6" in page.appetite_label.text()
    assert "every other area: up to 9" in page.appetite_label.text()
    assert page.line == 2  # both exceed their own tolerance
    decide(page, "R2", "accept", "Rare", "Director General")
    page.check_work()
    assert any("above the tolerance for “Health and safety” (at most 6" in t
               for t in page.findings_texts()), page.findings_texts()
    switch(languages, "fr")
    assert "Santé et sécurité" in page.appetite_label.text()
    assert any("Santé et sécurité" in t for t in page.findings_texts())


def test_without_tolerances_by_area_the_column_stays_hidden(qtbot, filled_store,
                                                            languages) -> None:
    page = build(qtbot, filled_store, EvaluationPage, "evaluation")  # one threshold: 9
    assert page.table.isColumnHidden(COL_TOLERANCE)
    assert "Tolerance by area" not in page.appetite_label.text()
    assert "above 9 exceed the appetite" in page.appetite_label.text()
