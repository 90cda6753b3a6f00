"""A data set's own columns in the GUI: kept (with their kind) in the import dialog's
mapping step, offered by name in the E7 criteria editor of a group that runs on that
data set, counted by the live preview, and named when the data set lacks them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ui.conftest import switch
from tests.ui.test_targeting_pages import page_of, targeting_pack

from rmdesk.domain.profile_logic import ConditionRow
from rmdesk.services.datasets import DatasetService
from rmdesk.services.declaration_import import import_csv, read_csv_header
from rmdesk.services.targeting import BUILTIN_DATASET
from rmdesk.ui.criteria_editor import COL_FIELD, COL_OP
from rmdesk.ui.dataset_import import DatasetImportDialog
from rmdesk.ui.sample_data import sample_data

HEADER = ["Número de declaración", "Código HS", "Resultado", "Aduana de despacho",
          "Tasa de impuesto", "Fecha de pago", "Pago anticipado"]


def extract_csv(tmp_path: Path) -> Path:
    lines = [";".join(HEADER)]
    for i in range(60):
        lines.append(";".join([
            f"25VD{i:05d}", "6404.11", "sí" if i % 5 == 0 else "no",
            ["0101", "0102", "0230"][i % 3], f"{i % 7},5", f"{1 + i % 28:02d}/03/2025",
            "sí" if i % 2 else "no"]))
    path = tmp_path / "extracto.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def service(tmp_path: Path) -> DatasetService:
    return DatasetService(tmp_path / "data")


def test_the_mapping_step_keeps_other_columns_with_their_kind(qtbot, tmp_path, service,
                                                             languages) -> None:
    dialog = DatasetImportDialog(read_csv_header(extract_csv(tmp_path)), service)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.own_box.title() == "Other columns"
    kinds = {h: dialog.kind_combos[h].currentText() for h in HEADER[3:]}
    assert kinds == {"Aduana de despacho": "text or category",
                     "Tasa de impuesto": "number", "Fecha de pago": "date",
                     "Pago anticipado": "yes/no flag"}
    # A column a field reads is not offered; it is once no field reads it.
    assert not dialog.keep_checks["Código HS"].isVisible()
    assert dialog.keep_checks["Aduana de despacho"].isVisible()
    assert dialog.kept_columns() == {}  # nothing kept unless asked
    dialog.combos["hs_code"].setCurrentIndex(0)
    assert dialog.keep_checks["Código HS"].isVisible()
    dialog.combos["hs_code"].setCurrentIndex(dialog.combos["hs_code"].findData("Código HS"))
    assert not dialog.keep_checks["Código HS"].isVisible()
    dialog.keep_all.setChecked(True)
    assert set(dialog.kept_columns()) == set(HEADER[3:])
    # The kind is the user's to change; a column unticked is left out.
    combo = dialog.kind_combos["Tasa de impuesto"]
    combo.setCurrentIndex(combo.findData("category"))
    dialog.keep_checks["Pago anticipado"].setChecked(False)
    assert dialog.kept_columns() == {"Aduana de despacho": "category",
                                     "Tasa de impuesto": "category",
                                     "Fecha de pago": "date"}
    switch(languages, "es")
    assert dialog.own_box.title() == "Otras columnas"
    assert dialog.kind_combos["Fecha de pago"].currentText() == "fecha"
    switch(languages, "en")
    dialog.go_next()
    dialog.wait_for_import()
    assert dialog.pages.currentIndex() == dialog.NAME
    assert ("Kept as the data set's own fields: Aduana de despacho (text or category); "
            "Tasa de impuesto (text or category); Fecha de pago (date).") in \
        dialog.summary_notes.text()
    dialog.save()
    info = service.list_datasets()[1]
    assert [(s.label, s.kind) for s in info.extra] == [
        ("Aduana de despacho", "category"), ("Tasa de impuesto", "category"),
        ("Fecha de pago", "date")]
    # The data set manager says which own columns a data set has.
    from rmdesk.ui.dataset_manager import DatasetManagerDialog

    manager = DatasetManagerDialog(service)
    qtbot.addWidget(manager)
    assert manager.table.item(1, 0).toolTip() == (
        "Imported from extracto.csv\nOwn columns: Aduana de despacho (text or category); "
        "Tasa de impuesto (text or category); Fecha de pago (date)")


def test_e7_offers_the_groups_own_columns_and_previews_on_them(make_window, qtbot,
                                                                tmp_path, languages) -> None:
    window = make_window(targeting_pack())
    path = extract_csv(tmp_path)
    keep = {"Aduana de despacho": "category", "Tasa de impuesto": "number",
            "Pago anticipado": "flag"}
    result = import_csv(path, {"declaration_no": HEADER[0], "hs_code": HEADER[1],
                               "non_compliant": HEADER[2]}, keep=keep)
    service = DatasetService.for_store(window.store)
    info = service.save_dataset(result.table, "Extracto", str(path))
    runs = page_of(window, "targeting")
    runs.choose_dataset(info.id)  # the group's data set, chosen in E8

    page = page_of(window, "profile")
    sample_data().wait()
    assert page.data_profile.dataset.currentData() == info.id  # the data it works on
    page.add_button.click()
    page.criteria.add_row(ConditionRow(field="x:tasa_de_impuesto", op="gt", value="4"))
    page.criteria.add_row(ConditionRow(field="x:aduana_de_despacho", op="in",
                                       value="0101; 0230"))
    field_combo = page.criteria.table.cellWidget(0, COL_FIELD)
    texts = [field_combo.itemText(i) for i in range(field_combo.count())]
    assert texts[-3:] == ["Aduana de despacho (own column)",
                          "Tasa de impuesto (own column)", "Pago anticipado (own column)"]
    assert field_combo.currentText() == "Tasa de impuesto (own column)"
    ops = page.criteria.table.cellWidget(0, COL_OP)
    assert [ops.itemData(i) for i in range(ops.count())] == [
        "eq", "ne", "gt", "gte", "lt", "lte", "between", "is_empty"]  # a number's tests
    page._update_preview()
    # rows with tax 4,5 5,5 or 6,5 at offices 0101 or 0230
    rows = [i for i in range(60) if i % 7 >= 4 and i % 3 in (0, 2)]
    declarations = len(rows)
    assert page.preview.text() == (
        f"This profile would select {declarations} of the 60 declarations of “Extracto” "
        f"({declarations / 60:.1%}; {declarations} items).")
    window.flush_edits()
    criteria = page.targeting.profiles(page.group_id)[0].criteria_json
    assert '"x:tasa_de_impuesto"' in criteria and '"value":4.0' in criteria
    # A number typed the French way is read as one on an own column too.
    switch(languages, "fr")
    page.criteria.table.cellWidget(0, 3).setText("4,5")
    page.criteria.table.cellWidget(0, 3).textEdited.emit("4,5")
    window.flush_edits()
    assert '"value":4.5' in page.targeting.profiles(page.group_id)[0].criteria_json
    page._update_preview()
    fewer = len([i for i in range(60) if i % 7 >= 5 and i % 3 in (0, 2)])
    assert page.preview.text().startswith(
        f"Ce profil sélectionnerait {fewer} des 60 déclarations de « Extracto »")
    # "Check my work" counts on the data set by its name, in every language
    page.title.setText("Taxe")
    page.title.textEdited.emit("Taxe")
    for lang in ("en", "es", "pt_BR", "fr"):
        switch(languages, lang)
        page.check_work()
        texts = page.feedback.texts()
        counted = [t for t in texts if "Extracto" in t]
        assert counted, (lang, texts)
        counts = [f for f in page._findings if "total" in f.params]
        assert counts and all(f.params["dataset"] == "Extracto" for f in counts)
    switch(languages, "en")

    # E8 runs the profile on the extract; its per-criterion line counts the same rows.
    page.title.setText("Tax above 4.5")
    page.title.textEdited.emit("Tax above 4.5")
    window.flush_edits()
    page_of(window, "targeting")
    runs.start_run()
    runs.wait_for_run()
    assert [r.dataset for r in runs.targeting.runs(runs.group_id)] == [info.id]
    assert runs.criteria.item(0, 0).text() == "Tax above 4.5"
    assert runs.criteria.item(0, 2).text() == str(fewer)
    # E9 weighs that run's workload and says which data it was on.
    tuning = page_of(window, "tuning")
    tuning.set_group(tuning.group_id)
    assert "Last E8 run, on the 60 declarations of “Extracto”:" in tuning.workload_text.text()
    assert "sample declarations" not in tuning.workload_text.text()

    # Back on the built-in data: the row keeps its column, marked, and the preview
    # names what the data lacks.
    runs.choose_dataset(BUILTIN_DATASET)
    page_of(window, "profile")
    page._follow_dataset()
    assert page.data_profile.dataset.currentData() == BUILTIN_DATASET
    page._update_preview()
    field_combo = page.criteria.table.cellWidget(0, COL_FIELD)
    assert field_combo.currentText() == "tasa_de_impuesto (not in the data set)"
    assert page.preview.text().startswith(
        "Not runnable yet: The data set has no tasa_de_impuesto column.")
    window.flush_edits()
    assert '"x:tasa_de_impuesto"' in page.targeting.profiles(page.group_id)[0].criteria_json
