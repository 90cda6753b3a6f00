"""The facilitator's PDFs read back with pypdf: the consolidated workshop report in one and
two languages, one PDF per group into a folder (all or nothing), one exercise across
groups, cancelling, and the `rmdesk report` flags."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from rmdesk.app import EXIT_OK, EXIT_USAGE, main
from rmdesk.errors import RmdeskError
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.register import RegisterService
from rmdesk.services.workshop_reports import (
    STEPS,
    ReportCancelled,
    batch_file_names,
    parse_languages,
    safe_file_name,
    write_consolidated_pdf,
    write_exercise_pdf,
    write_group_batch,
)
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import TargetingRun

TODAY = dt.date(2026, 3, 13)
TITLE = "Atelier régional"


def fill(store: Store) -> tuple[str, list[str]]:
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(WorkshopInput(TITLE, "Dakar", dt.date(2026, 3, 9)))
    register, facilitation = RegisterService(store), FacilitationService(store)
    ratings = {"Alpha": (4, 3), "Beta": (2, 2), "Gamma/Δ": (4, 4)}
    groups = []
    for name, (lik, imp) in ratings.items():
        group = workshops.add_group(workshop.id, name)
        groups.append(group.id)
        register.add_risk(group.id, event="Sous-évaluation des chaussures", likelihood=lik,
                          impact=imp, area="revenue")
        register.add_risk(group.id, event=f"Only {name}", likelihood=1, impact=1)
        facilitation.set_feedback(group.id, "e2e3", f"Feedback for {name}: well argued.")
        facilitation.set_score(group.id, "e2e3", 70 + lik)
    with store.session() as s:
        s.add(TargetingRun(group_id=groups[0], metrics_json=json.dumps(
            {"hit_rate": 0.14, "detection_rate": 0.3, "selection_rate": 0.08, "lift": 2.0})))
    return workshop.id, groups


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_languages_parse() -> None:
    assert parse_languages("fr") == ("fr",)
    assert parse_languages("en,pt_BR") == ("en", "pt_BR")
    assert parse_languages("en+fr") == ("en", "fr")
    for bad, code in (("xx", "unknown_language"), ("en,fr,es", "too_many_languages"),
                      ("en,en", "too_many_languages"), ("", "too_many_languages")):
        with pytest.raises(RmdeskError) as info:
            parse_languages(bad)
        assert info.value.code == code


def test_consolidated_report_in_one_language(store: Store, tmp_path: Path) -> None:
    workshop_id, _groups = fill(store)
    seen: list[tuple[int, int]] = []
    out = write_consolidated_pdf(store, workshop_id, tmp_path / "report.pdf", ("en",),
                                 progress=lambda d, t: seen.append((d, t)), today=TODAY)
    text = text_of(out)
    for expected in ("Workshop report", "Status of the groups", "Targeting leaderboard",
                     "The groups' ratings of the same risks", "Spread of ratings per risk",
                     "Sous-évaluation des chaussures", "Alpha", "Beta", "Gamma/Δ",
                     "Feedback for Beta: well argued.", "Risk register", "Heat map",
                     "Facilitator's feedback and scores", "14.0%"):
        assert expected in text, expected
    # Risks only one group has are not on the overlay; every group's register still is.
    assert text.count("Only Alpha") == 1  # in Alpha's register only
    assert seen and seen[-1] == (STEPS, STEPS)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)


def test_consolidated_report_in_two_languages(store: Store, tmp_path: Path) -> None:
    workshop_id, _groups = fill(store)
    out = write_consolidated_pdf(store, workshop_id, tmp_path / "report.pdf", ("en", "fr"),
                                 today=TODAY)
    text = text_of(out)
    assert "English" in text and "Français" in text
    assert "Risk register" in text and "Registre des risques" in text
    # The English part comes before the same part in French.
    assert text.index("Risk register") < text.index("Registre des risques")
    reader = PdfReader(out)
    assert len(reader.pages) > len(PdfReader(write_consolidated_pdf(
        store, workshop_id, tmp_path / "en.pdf", ("en",), today=TODAY)).pages)


def test_batch_writes_one_pdf_per_group(store: Store, tmp_path: Path) -> None:
    workshop_id, _groups = fill(store)
    folder = tmp_path / "out"
    written = write_group_batch(store, workshop_id, folder, ("es",), today=TODAY)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written) == [
        "Alpha - es.pdf", "Beta - es.pdf", "Gamma_Δ - es.pdf"]
    assert "Beta" in text_of(folder / "Beta - es.pdf")
    assert "Registro de riesgos" in text_of(folder / "Beta - es.pdf")


def test_batch_in_two_languages(store: Store, tmp_path: Path) -> None:
    workshop_id, _groups = fill(store)
    written = write_group_batch(store, workshop_id, tmp_path, ("pt_BR", "fr"), today=TODAY)
    text = text_of(written[0])
    assert "Português (Brasil)" in text and "Français" in text
    assert written[0].name == "Alpha - pt_BR+fr.pdf"


def test_cancel_leaves_no_partial_files(store: Store, tmp_path: Path) -> None:
    workshop_id, _groups = fill(store)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "Alpha - en.pdf").write_bytes(b"an older print")
    calls = {"n": 0}

    def cancel_after_first_group(done: int, total: int) -> None:
        calls["n"] += 1

    def is_cancelled() -> bool:
        return calls["n"] >= 2  # after the first group's PDF is built

    with pytest.raises(ReportCancelled):
        write_group_batch(store, workshop_id, folder, ("en",),
                          progress=cancel_after_first_group, is_cancelled=is_cancelled)
    assert [p.name for p in folder.iterdir()] == ["Alpha - en.pdf"]
    assert (folder / "Alpha - en.pdf").read_bytes() == b"an older print"

    stop = {"now": False}

    def stop_midway(done: int, total: int) -> None:
        stop["now"] = done > STEPS // 2  # inside the PDF build

    with pytest.raises(ReportCancelled) as info:
        write_consolidated_pdf(store, workshop_id, folder / "report.pdf", ("en",),
                               progress=stop_midway, is_cancelled=lambda: stop["now"])
    assert "no file was written" in str(info.value)
    assert [p.name for p in folder.iterdir()] == ["Alpha - en.pdf"]


def test_exercise_across_groups(store: Store, tmp_path: Path) -> None:
    workshop_id, _groups = fill(store)
    out = write_exercise_pdf(store, workshop_id, "e2e3", tmp_path / "e2e3.pdf", ("en",),
                             today=TODAY)
    text = text_of(out)
    # Each group's work as its group output draws it: register, then analysis.
    for expected in ("Model answer", "Alpha", "Beta", "Gamma/Δ", "Risk analysis",
                     "Sous-évaluation des chaussures", "Only Beta", "4 · Likely",
                     "Feedback for Gamma/Δ: well argued.", "Spread of ratings per risk"):
        assert expected in text, expected
    with pytest.raises(RmdeskError) as info:
        write_exercise_pdf(store, workshop_id, "e99", tmp_path / "x.pdf")
    assert info.value.code == "unknown_exercise"
    assert not (tmp_path / "x.pdf").exists()


def test_file_names() -> None:
    assert safe_file_name('a/b\\c:d*e?f"g<h>i|j') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_file_name("CON") == "_CON" and safe_file_name(" ... ") == "_"
    assert batch_file_names(["A/B", "A:B", "a_b"], ("en",)) == [
        "A_B - en.pdf", "A_B (2) - en.pdf", "a_b (3) - en.pdf"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    store = open_store(folder)
    try:
        fill(store)
    finally:
        store.close()
    return folder


def test_cli_all_groups_and_consolidated(data_dir: Path, tmp_path: Path, capsys) -> None:
    base = ["report", "--data-dir", str(data_dir), "--workshop", TITLE]
    assert main([*base, "--all-groups", "-o", str(tmp_path / "groups")]) == EXIT_OK
    assert len(list((tmp_path / "groups").glob("*.pdf"))) == 3
    assert main([*base, "--consolidated", "--lang", "en,fr", "-o",
                 str(tmp_path / "all.pdf")]) == EXIT_OK
    assert "Registre des risques" in text_of(tmp_path / "all.pdf")
    assert main([*base, "--exercise", "e2e3", "-o", str(tmp_path / "e.pdf")]) == EXIT_OK
    assert main([*base, "--group", "Beta", "--lang", "en,es", "-o",
                 str(tmp_path / "beta.pdf")]) == EXIT_OK
    assert "Español" in text_of(tmp_path / "beta.pdf")
    printed = capsys.readouterr().out
    assert "all.pdf" in printed and "Alpha - en.pdf" in printed


def test_cli_refusals(data_dir: Path, tmp_path: Path, capsys) -> None:
    base = ["report", "--data-dir", str(data_dir), "--workshop", TITLE]
    assert main([*base, "--consolidated", "--lang", "en,fr,es", "-o",
                 str(tmp_path / "x.pdf")]) == EXIT_USAGE
    assert "not 3" in capsys.readouterr().err
    assert main([*base, "--exercise", "nope", "-o", str(tmp_path / "x.pdf")]) == EXIT_USAGE
    assert "nope" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:  # argparse: one of the four is required
        main([*base, "-o", str(tmp_path / "x.pdf")])
    assert info.value.code == EXIT_USAGE
    with pytest.raises(SystemExit):
        main([*base, "--group", "Alpha", "--consolidated", "-o", str(tmp_path / "x.pdf")])
    assert not (tmp_path / "x.pdf").exists()


def test_debrief_says_how_risks_were_matched_and_only_what_it_shows(store: Store,
                                                                   tmp_path: Path) -> None:
    workshop_id, groups = fill(store)
    text = text_of(write_consolidated_pdf(store, workshop_id, tmp_path / "a.pdf", ("en",),
                                          today=TODAY))
    flat = " ".join(text.split())
    assert "Risks are matched by meaning" in flat and "Groups per level" in flat
    assert "3 ratings" not in flat and "1×" not in flat  # cells hold counts, not labels
    assert "Numbers are the facilitator's scores out of 100." in flat
    for group_id in groups:
        FacilitationService(store).set_score(group_id, "e2e3", None)
    text = text_of(write_consolidated_pdf(store, workshop_id, tmp_path / "b.pdf", ("en",),
                                          today=TODAY))
    assert "scores out of 100" not in " ".join(text.split())
