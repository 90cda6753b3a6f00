"""E7-E9 in the GUI: write a profile with a live preview, run it, tune the workload, and
print it all."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from tests.ui.conftest import switch

from rmdesk.content.pack import ContentPack, Exercise, LocalizedText, builtin_pack
from rmdesk.domain.profile_logic import ConditionRow
from rmdesk.services.reports import gather_group_report, write_group_pdf
from rmdesk.ui import targeting_page
from rmdesk.ui.exercise_pages import LazyPage
from rmdesk.ui.sample_data import sample_data


def targeting_pack() -> ContentPack:
    pack = builtin_pack()
    if pack.exercise("profile"):
        return pack

    def text(value: str) -> LocalizedText:
        return LocalizedText(en=value, es=value + " (es)", pt_BR=value + " (pt)",
                             fr=value + " (fr)")

    extra = [Exercise(id=i, kind=k, title=text(t), instructions=text("Do it."))
             for i, k, t in (("e7", "profile", "Risk profiles"),
                             ("e8", "targeting", "Targeting simulation"),
                             ("e9", "tuning", "Selectivity tuning"))]
    return pack.model_copy(update={"exercises": [*pack.exercises, *extra]})


def page_of(window, kind: str):
    for k, page in window.exercise_tabs:
        if k == kind:
            window.tabs.setCurrentWidget(page)
            assert isinstance(page, LazyPage)
            return page.ensure()
    raise AssertionError(kind)


def write_profile(window, qtbot):
    page = page_of(window, "profile")
    sample_data().wait()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    page.title.setText("Undervalued goods")
    page.title.textEdited.emit("Undervalued goods")
    page.criteria.add_row(ConditionRow(field="", op="unit_value_below_reference", value="50"))
    qtbot.waitUntil(lambda: "would select" in page.preview.text(), timeout=3000)
    qtbot.waitUntil(lambda: not page.autosave.has_pending(), timeout=3000)
    return page


def test_profile_preview_save_and_check(make_window, qtbot) -> None:
    window = make_window(targeting_pack())
    page = write_profile(window, qtbot)
    # Declarations, not items: 9,674 declarations hold the 20,000 items of the sample.
    assert "of the 9,674 sample declarations" in page.preview.text()
    assert " items)." in page.preview.text()
    profiles = page.targeting.profiles(page.group_id)
    assert [p.title for p in profiles] == ["Undervalued goods"]
    assert "unit_value_below_reference" in profiles[0].criteria_json
    # A half-typed condition is kept, and the preview says what is missing.
    page.criteria.add_row(ConditionRow(field="declared_value", op="gt", value=""))
    qtbot.waitUntil(lambda: "Not runnable yet" in page.preview.text(), timeout=3000)
    window.flush_edits()
    assert '"declared_value"' in page.targeting.profiles(page.group_id)[0].criteria_json
    window._check_work()
    texts = [page.feedback.item(i).text() for i in range(page.feedback.count())]
    assert any("the logic cannot run yet" in t for t in texts)


def test_one_row_says_starts_with_one_of_as_the_model_profile_does(make_window,
                                                                   qtbot) -> None:
    """The E7 model answer's “HS code starts with 8703, 64 or 85” is one editor row, and
    the preview gives the figures the model answer quotes (142 declarations, 190 items)."""
    window = make_window(targeting_pack())
    page = page_of(window, "profile")
    sample_data().wait()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    page.criteria.add_row(ConditionRow(field="", op="unit_value_below_reference", value="60"))
    page.criteria.add_row(ConditionRow(field="hs_code", op="starts_with_any",
                                       value="8703; 64; 85"))
    page.criteria.add_row(ConditionRow(field="consignment", op="in", value="AE; HK; PA"))
    combo = page.criteria._op_combo(1)
    assert combo.currentText() == "starts with one of"
    assert "contains one of the texts" in [combo.itemText(i) for i in range(combo.count())]
    assert page.criteria._edit(1, 3).placeholderText() == "values separated by ;"
    qtbot.waitUntil(lambda: "would select 142 of the 9,674 sample declarations"
                    in page.preview.text(), timeout=5000)
    assert "190 items" in page.preview.text()


def test_run_shows_metrics_and_keeps_every_run(make_window, qtbot) -> None:
    window = make_window(targeting_pack())
    write_profile(window, qtbot)
    page = page_of(window, "targeting")
    for _ in range(2):
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
        page.wait_for_run()
    assert page.history.count() == 2
    assert page.matrix.item(0, 0).text() == "Selected"
    assert page.matrix.item(1, 0).text() == "Not selected"
    assert [page.criteria.horizontalHeaderItem(c).text() for c in range(6)] == [
        "Criterion", "Lane", "Items selected", "Non-compliant items found", "Hit rate",
        "Items whose lane it set"]
    assert page.matrix.item(2, 0).text() == "All items"
    selected_bad = int(page.matrix.item(0, 1).text().replace(",", ""))
    assert selected_bad > 0
    hit_rate = page.metrics.item(1, 1).text()
    random_hit = page.metrics.item(1, 2).text()
    assert float(hit_rate.rstrip("%")) > float(random_hit.rstrip("%"))  # better than random
    assert page.criteria.rowCount() == 1
    assert page.criteria.item(0, 0).text() == "Undervalued goods"


def test_cancelled_run_keeps_nothing(make_window, qtbot) -> None:
    window = make_window(targeting_pack())
    write_profile(window, qtbot)
    page = page_of(window, "targeting")
    statuses: list[str] = []
    page.ctx = page.ctx.__class__(**{**page.ctx.__dict__, "status": statuses.append})
    original = targeting_page._RunWorker.run

    def cancelled_first(worker) -> None:  # the user presses Cancel before the first chunk
        worker.cancel_event.set()
        original(worker)

    targeting_page._RunWorker.run = cancelled_first
    try:
        page.start_run()
        page.wait_for_run()
    finally:
        targeting_page._RunWorker.run = original
    assert page.targeting.runs(page.group_id) == []
    assert page.history.count() == 0
    assert statuses == ["Run cancelled: nothing was kept."]
    assert page.run_button.isEnabled() and not page.progress.isVisible()


def test_tuning_workload_against_capacity_and_language_switch(make_window, qtbot,
                                                             languages) -> None:
    window = make_window(targeting_pack())
    write_profile(window, qtbot)
    runs = page_of(window, "targeting")
    runs.start_run()
    runs.wait_for_run()
    page = page_of(window, "tuning")
    page.set_group(page.group_id)
    # A year's capacity of 50,000 units gives the 9,674 sample declarations 1,174.
    page.capacity.setValue(50_000)
    page.random["yellow"].setValue(2)
    window._check_work()
    texts = [page.feedback.item(i).text() for i in range(page.feedback.count())]
    assert any(t.startswith("! Your last E8 run needs") and "above the 1,174 units" in t
               for t in texts), texts
    assert "for a capacity of 1,174" in page.workload_text.text()
    # The plan: shares of the 412,000 declarations a year against the year's capacity.
    page.expected["red"].setValue(10)
    page.expected["green"].setValue(90)
    window._check_work()
    texts = [page.feedback.item(i).text() for i in range(page.feedback.count())]
    assert any(t.startswith("✗ Your plan needs 824,000 units a year") for t in texts), texts
    assert "41,200 declarations × 20 units = 824,000" in page.workload_text.text()
    window.flush_edits()
    stored = page.ctx.work.load(page.group_id, page.ctx.exercise.id).data
    assert stored["capacity"] == 50_000 and stored["random_rates"] == {"yellow": 0.02}
    switch(languages, "es")
    assert page.capacity.value() == 50_000  # values stay as typed
    assert page.lane_labels["red"].text() != "Red (physical examination)"
    switch(languages, "en")


def test_group_output_prints_profiles_runs_and_tuning(make_window, qtbot, tmp_path: Path
                                                       ) -> None:
    pack = targeting_pack()
    window = make_window(pack)
    write_profile(window, qtbot)
    runs = page_of(window, "targeting")
    runs.start_run()
    runs.wait_for_run()
    tuning = page_of(window, "tuning")
    tuning.capacity.setValue(100)
    window.flush_edits()
    workshop, group = window.workshops.current_selection()
    report = gather_group_report(window.store, workshop.id, group.id, pack)
    for lang in ("en", "fr"):
        out = write_group_pdf(report, lang, tmp_path / f"out-{lang}.pdf")
        text = " ".join(p.extract_text() for p in PdfReader(out).pages)
        assert "Undervalued goods" in text
        flat = " ".join(text.split())  # a heading ("E9 · …") may wrap
        for kind in ("profile", "targeting", "tuning"):
            # pypdf reads a no-break space back as a plain one
            assert " ".join(pack.exercise(kind).title.get(lang).split()) in flat
    en = " ".join(p.extract_text() for p in PdfReader(tmp_path / "out-en.pdf").pages)
    assert "Confusion matrix" in en and "Over capacity." in en
    assert "Not selected" in en and "Released" not in en
    assert "Non-compliant items found" in " ".join(en.split())  # the heading may wrap
    assert "Items whose lane it set" in " ".join(en.split())
