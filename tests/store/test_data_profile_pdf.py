"""The data profile printed from an imported data set: one section per field, in the
language asked for (labels, numbers, rates), written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from rmdesk.domain.declaration_fields import FIELD_BY_NAME
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.services.data_profile import dataset_profile, write_data_profile_pdf
from rmdesk.services.datasets import DatasetService
from rmdesk.services.declaration_import import import_csv, suggest_mapping

ROWS = 1200


def flat(text: str) -> str:
    """Spaces as a PDF's text gives them back (no-break spaces come out plain)."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def imported(tmp_path: Path) -> tuple[DatasetService, str]:
    lines = ["Declaration number,Date,HS code,Origin,Declared value (USD),Non-compliant"]
    for i in range(ROWS):
        origin = "KE" if i % 10 == 0 else ("CN" if i % 2 else "JP")
        flag = "yes" if origin == "KE" and i % 20 == 0 else "no"  # KE: half of them
        lines.append(f"D{i:05d},2025-{1 + i % 12:02d}-15,640411,{origin},{1000 + i},{flag}")
    path = tmp_path / "declarations.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_csv(path, suggest_mapping(lines[0].split(",")))
    service = DatasetService(tmp_path / "data")
    return service, service.save_dataset(result.table, "Kestria 2025", str(path)).id


def test_the_profile_reads_the_stored_arrays(tmp_path: Path) -> None:
    service, dataset_id = imported(tmp_path)
    profile = dataset_profile(service, dataset_id)
    origin = profile.field("origin")
    assert [(v.value, v.items, v.non_compliant) for v in origin.values] == [
        ("CN", 600, 0), ("JP", 480, 0), ("KE", 120, 60)]
    assert profile.rate == pytest.approx(60 / ROWS)
    assert len(profile.field("date").values) == 12


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_has_every_field_in_the_language_asked_for(tmp_path: Path,
                                                           lang: str) -> None:
    service, dataset_id = imported(tmp_path)
    out = write_data_profile_pdf(service, dataset_id, "Kestria 2025", lang,
                                 tmp_path / "out" / "profile.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    text = flat(text)
    _ = gettext_for(lang)
    assert flat(_("Data profile: {name}").format(name="Kestria 2025")) in text
    for field in dataset_profile(service, dataset_id).fields:
        assert _(FIELD_BY_NAME[field.field].label) in text
    assert flat(format_number(ROWS, lang)) in text  # 1,200 / 1 200 / 1.200
    assert flat(format_percent(0.5, lang, digits=1)) in text  # KE's rate
    assert _("Median") in text and _("Share of items") in text
    assert [p.name for p in out.parent.iterdir()] == ["profile.pdf"]  # no temporary file


def test_a_pdf_that_cannot_be_written_leaves_nothing(tmp_path: Path) -> None:
    service, dataset_id = imported(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(RmdeskError) as caught:
        write_data_profile_pdf(service, dataset_id, "x", "en", blocker / "profile.pdf")
    assert caught.value.code == "report_write_failed"
    with pytest.raises(RmdeskError) as caught:
        write_data_profile_pdf(service, dataset_id, "x", "de", tmp_path / "p.pdf")
    assert caught.value.code == "unknown_language"
    assert not (tmp_path / "p.pdf").exists()
