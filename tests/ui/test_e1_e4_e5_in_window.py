"""E1, E4 and E5 as tabs of the main window: built when first shown, F5 checks them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from tests.ui.e145_helpers import e145_pack

from rmdesk.ui.context_scan_page import ContextScanPage
from rmdesk.ui.evaluation_page import EvaluationPage
from rmdesk.ui.exercise_pages import LazyPage
from rmdesk.ui.treatment_page import TreatmentPage


def test_tabs_build_lazily_and_f5_checks(make_window, qtbot) -> None:
    window = make_window(e145_pack())
    pages = {kind: page for kind, page in window.exercise_tabs
             if kind in ("context_scan", "evaluation", "treatment")}
    assert set(pages) == {"context_scan", "evaluation", "treatment"}
    assert all(isinstance(p, LazyPage) and p.page is None for p in pages.values())
    for kind, cls in (("context_scan", ContextScanPage), ("evaluation", EvaluationPage),
                      ("treatment", TreatmentPage)):
        window.tabs.setCurrentWidget(pages[kind])
        QApplication.processEvents()
        page = pages[kind].page
        assert isinstance(page, cls)
        assert page.group_id is not None  # the window's group
        qtbot.keyClick(window, Qt.Key.Key_F5)
        assert not page.findings_texts()[0].startswith("Press")  # feedback is shown
    assert pages["evaluation"].page.ranked_codes() == ["R1", "R2"]
