"""The data profile in E7 and in print: shown beside the profile card on demand, on the
built-in or an imported data set, following the interface language; printed from the
data-set manager."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from tests.ui.conftest import switch
from tests.ui.test_dataset_manager import imported, open_dialog
from tests.ui.test_targeting_pages import page_of, targeting_pack

from rmdesk.i18n import gettext_for
from rmdesk.services.datasets import DatasetService
from rmdesk.ui.data_profile_panel import DataProfilePanel, two_lines
from rmdesk.ui.dataset_manager import dataset_events


def cells(panel: DataProfilePanel) -> list[list[str]]:
    return [[panel.values.item(r, c).text() for c in range(panel.values.columnCount())]
            for r in range(panel.values.rowCount())]


def choose(panel: DataProfilePanel, combo, data: str) -> None:  # noqa: ANN001
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def test_e7_shows_the_profile_beside_the_card_in_every_language(make_window, qtbot,
                                                                languages) -> None:
    window = make_window(targeting_pack())
    window.resize(1366, 768)
    page = page_of(window, "profile")
    qtbot.waitUntil(page.isVisible, timeout=3000)
    panel = page.data_profile
    assert not panel.isVisible()
    qtbot.mouseClick(page.data_button, Qt.MouseButton.LeftButton)
    assert panel.isVisible() and page.split.sizes()[2] > 150  # beside, not squeezed out
    assert page.split.sizes()[1] > page.split.sizes()[2]  # the card keeps the most room
    choose(panel, panel.field, "origin")
    rows = cells(panel)
    assert rows[0][0] == "CN" and rows[0][1] == "6,469" and rows[0][3].endswith("%")
    assert "20,000 items" in panel.summary.text()
    choose(panel, panel.field, "transport_mode")
    for lang in ("es", "pt_BR", "fr"):
        switch(languages, lang)
        _ = gettext_for(lang)
        assert panel.values.horizontalHeaderItem(1).text() == _("Items")
        assert cells(panel)[0][0] == _("Sea")  # a mode by its name, translated
        assert page.data_button.text() == _("&View data profile")
    switch(languages, "en")
    qtbot.mouseClick(page.data_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()


def test_an_imported_data_set_is_profiled_once_listed(qtbot, tmp_path: Path) -> None:
    service = DatasetService(tmp_path / "data")
    panel = DataProfilePanel(service)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.dataset.count() == 1  # the built-in declarations
    info = imported(service, tmp_path, "Aduana 2025")
    dataset_events().changed.emit()
    choose(panel, panel.dataset, info.id)
    assert panel.loaded_id == info.id
    choose(panel, panel.field, "unit_value")
    # 10 cheap items (10.5, non-compliant) and 30 at 95: the bands say where
    assert cells(panel) == [["10.5 to under 95", "10", "25.0%", "100.0%"],
                            ["95", "30", "75.0%", "0.0%"]]
    assert "Median 95" in panel.summary.text()
    # the fields the file had (items numbered on import), the outcome not among them
    assert [panel.field.itemData(i) for i in range(panel.field.count())] == [
        "item_no", "hs_code", "unit_value", "reference_price"]


def test_the_manager_prints_the_selected_profile(qtbot, tmp_path: Path) -> None:
    service = DatasetService(tmp_path / "data")
    info = imported(service, tmp_path, "Aduana 2025")
    dialog = open_dialog(qtbot, service)
    dialog.select_dataset(info.id)
    dialog.show_pdf = False
    out = tmp_path / "profile.pdf"
    dialog.ask_pdf_path = lambda start: str(out)
    assert dialog.print_button.isEnabled()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_pdf is not None, timeout=20000)
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Data profile: Aduana 2025" in text and "Unit value (USD)" in text


def test_own_columns_are_listed_and_described_in_every_language(qtbot, tmp_path: Path,
                                                                languages) -> None:
    from tests.store.test_data_profile_own_columns import OWN, own_columns_dataset

    from rmdesk.domain.data_profile import value_rows
    from rmdesk.services.data_profile import dataset_profile

    service, dataset_id, _rows = own_columns_dataset(tmp_path)
    panel = DataProfilePanel(service)
    qtbot.addWidget(panel)
    panel.show()
    choose(panel, panel.dataset, dataset_id)
    profile = dataset_profile(service, dataset_id)
    names = {spec.label: spec.name for spec in profile.extra}
    for lang in ("en", "es", "pt_BR", "fr"):
        switch(languages, lang)
        _ = gettext_for(lang)
        listed = [panel.field.itemText(i) for i in range(panel.field.count())]
        assert listed[-len(OWN):] == list(OWN)  # under the file's headers, untranslated
        for header in OWN:
            choose(panel, panel.field, names[header])
            assert panel.field.currentText() == header
            assert cells(panel) == [list(r) for r in value_rows(
                profile.field(names[header]), _, lang)], (lang, header)
            assert panel.values.horizontalHeaderItem(3).text() == two_lines(_("Non-compliant"))
        assert _("Median") in (choose(panel, panel.field, names["Tax rate"]) or
                               panel.summary.text())
    switch(languages, "en")
