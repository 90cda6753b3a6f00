"""Guard against the PySide6 6.12 / Python 3.11 bug that aborted rmdesk at exit.

Each Python override of a Qt virtual dropped one reference to None; after enough
repaints and language switches None was deallocated and the process died
("none_dealloc"). pyproject pins PySide6 below 6.12; this test fails if that returns.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtWidgets import QApplication
from tests.ui.conftest import switch


def test_language_switches_and_repaints_do_not_eat_none(make_window, languages) -> None:
    window = make_window()
    window.tabs.setCurrentWidget(window.register_page)
    QApplication.processEvents()
    # Freeing other tests' objects legitimately releases references to None: collect
    # first and keep the collector out of the measured loop.
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(None)
        for _ in range(5):
            for lang in ("es", "pt_BR", "fr", "en"):
                switch(languages, lang)
                window.register_page.heatmap.repaint()
                window.register_page.table.viewport().repaint()
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    assert after >= before, f"None lost {before - after} references"
