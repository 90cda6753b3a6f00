"""Nothing changes by accident (issue 11, items 2 and 4): the wheel over an unfocused combo,
spin box, date or slider scrolls the page instead, on every page and in the CSV mapping
dialog; typed dates replace the whole date and empty dates stay empty; numbers take the
language's decimal mark."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)
from tests.ui.conftest import switch
from tests.ui.test_dataset_import import dialog_for, service, spanish_csv  # noqa: F401

from rmdesk.i18n import LANGUAGES
from rmdesk.i18n.formatting import format_short_date
from rmdesk.ui.date_input import DateInput
from rmdesk.ui.input_guard import install_input_guard

GUARDED = (QComboBox, QAbstractSpinBox, QSlider)


def wheel(widget: QWidget, steps: int = -1) -> None:
    """A real wheel notch (or several) over the middle of `widget`."""
    local = QPointF(widget.rect().center())
    event = QWheelEvent(local, QPointF(widget.mapToGlobal(local.toPoint())), QPoint(),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def value_of(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    return widget.value()  # type: ignore[attr-defined]


def unfocused_controls(root: QWidget) -> list[QWidget]:
    found = [w for w in root.findChildren(QWidget) if isinstance(w, GUARDED)
             and w.isVisible() and w.isEnabled() and not w.hasFocus()]
    return found


@pytest.fixture(autouse=True)
def guard(qapp) -> None:
    install_input_guard()


def test_wheel_scrolls_the_page_and_leaves_the_values_alone(qtbot) -> None:
    area = QScrollArea()
    inner = QWidget()
    layout = QVBoxLayout(inner)
    combo, spin, slider = QComboBox(), QDoubleSpinBox(), QSlider(Qt.Orientation.Horizontal)
    combo.addItems(["a", "b", "c"])
    spin.setValue(5)
    slider.setValue(50)
    for widget in (combo, spin, slider):
        layout.addWidget(widget)
    layout.addSpacing(3000)  # a long page
    area.setWidget(inner)
    area.resize(300, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    bar = area.verticalScrollBar()
    for widget in (combo, spin, slider):
        before, scrolled = value_of(widget), bar.value()
        wheel(widget)
        assert value_of(widget) == before, type(widget).__name__
        assert bar.value() > scrolled, "the page scrolls instead"
        assert widget.focusPolicy() != Qt.FocusPolicy.WheelFocus
    # Once chosen by a click or Tab, the control is the one being worked with.
    bar.setValue(0)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel(spin, 1)
    assert spin.value() == 6


def test_wheel_changes_nothing_on_any_page(make_window, qtbot) -> None:
    window = make_window()
    window.setFocus()
    touched = 0
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = window.tabs.currentWidget()
        for widget in unfocused_controls(page):
            before = value_of(widget)
            wheel(widget)
            wheel(widget, 1)
            assert value_of(widget) == before, (window.tabs.tabText(index), widget)
            touched += 1
    assert touched > 20  # the register's scales, E4-E9 combos and E9 spin boxes at least


def test_wheel_over_the_csv_column_mapping_changes_no_column(qtbot, tmp_path,
                                                             service) -> None:  # noqa: F811
    dialog = dialog_for(qtbot, spanish_csv(tmp_path), service)
    before = dialog.mapping()
    for combo in dialog.combos.values():
        wheel(combo)
        wheel(combo, 1)
    assert dialog.mapping() == before


@pytest.mark.parametrize("lang", ["es", "fr", "pt_BR", "en"])
@pytest.mark.parametrize("typed", ["2,5", "2.5"])
def test_decimal_boxes_read_either_mark_as_the_decimal_mark(qtbot, languages, lang,
                                                            typed) -> None:
    switch(languages, lang)
    spin = QDoubleSpinBox()
    spin.setRange(0, 1000)
    spin.setDecimals(1)
    qtbot.addWidget(spin)
    spin.show()
    QApplication.processEvents()
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin, typed)
    QTest.keyClick(spin, Qt.Key.Key_Tab)
    assert spin.value() == 2.5  # never 25
    mark = "." if lang == "en" else ","
    assert spin.text() == f"2{mark}5"


def test_number_boxes_follow_a_language_switch(make_window, languages) -> None:
    window = make_window()
    spin = QDoubleSpinBox(window)
    spin.setDecimals(1)
    spin.setValue(2.5)
    spin.show()
    switch(languages, "fr")
    assert spin.text() == "2,5"
    switch(languages, "en")
    assert spin.text() == "2.5"


def date_field(qtbot) -> DateInput:
    field = DateInput()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    return field


def type_date(qtbot, field: DateInput, text: str) -> None:
    """Click into the field (anywhere), type, leave it."""
    field.activateWindow()
    QTest.mouseClick(field.edit, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    qtbot.waitUntil(lambda: field.edit.hasSelectedText() or not field.edit.text())
    QTest.keyClicks(field.edit, text)
    QTest.keyClick(field.edit, Qt.Key.Key_Tab)


def test_typing_a_date_replaces_the_whole_date(qtbot, languages) -> None:
    field = date_field(qtbot)
    field.set_iso("2026-12-07")
    assert field.edit.text() == "12/7/2026"
    saved: list[str] = []
    field.changed.connect(saved.append)
    type_date(qtbot, field, "5/15/26")
    assert field.date() == dt.date(2026, 5, 15)
    assert saved[-1] == "2026-05-15"
    assert field.edit.text() == "5/15/2026"  # shown as typed, with the whole year


def test_an_optional_date_can_be_cleared_and_stays_cleared(qtbot, languages) -> None:
    field = date_field(qtbot)
    field.set_iso("2026-12-07")
    saved: list[str] = []
    field.changed.connect(saved.append)
    field.edit.setFocus()
    field.edit.selectAll()
    QTest.keyClick(field.edit, Qt.Key.Key_Delete)
    QTest.keyClick(field.edit, Qt.Key.Key_Tab)
    assert saved == [""] and field.iso() == "" and field.edit.text() == ""
    wheel(field.edit)
    QTest.keyClick(field.edit, Qt.Key.Key_Up)
    assert field.iso() == "" and field.edit.text() == ""


def test_a_date_that_is_not_one_is_marked_and_not_kept(qtbot, languages) -> None:
    field = date_field(qtbot)
    field.set_iso("2026-12-07")
    saved: list[str] = []
    field.changed.connect(saved.append)
    type_date(qtbot, field, "31/02/26")
    assert saved == [] or saved == [""]
    assert not field.is_valid()
    assert "b00020" in field.edit.styleSheet()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
       lang=st.sampled_from(LANGUAGES), short_year=st.booleans())
def test_dates_are_typed_as_they_are_shown_in_every_language(qtbot, languages, day, lang,
                                                             short_year) -> None:
    switch(languages, lang)
    field = DateInput()  # not shown: a hundred windows would make this slow
    field.set_iso("2026-12-07")
    shown = format_short_date(day, lang)
    typed = shown[:-4] + shown[-2:] if short_year else shown
    field.edit.selectAll()
    QTest.keyClicks(field.edit, typed)
    QTest.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == day
    assert field.edit.text() == shown
    field.deleteLater()


def test_a_cleared_date_stays_cleared_after_the_page_reloads(qtbot, filled_store) -> None:
    from tests.ui.test_e11_regional_project_page import open_page

    page = open_page(qtbot, filled_store)
    page.window_start.set_iso("2026-04-01", emit=True)
    page.flush()
    field = page.window_start
    field.edit.setFocus()
    field.edit.selectAll()
    QTest.keyClick(field.edit, Qt.Key.Key_Backspace)
    QTest.keyClick(field.edit, Qt.Key.Key_Return)
    page.flush()
    group = page.group_id
    page.set_group(None)
    page.set_group(group)  # what is stored, shown again
    assert page.window_start.iso() == "" and page.window_start.edit.text() == ""
    assert page.answer_data().get("window_start", "") == ""
