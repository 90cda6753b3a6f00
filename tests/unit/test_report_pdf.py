"""The group output PDF, read back with pypdf in every shipped language (no Qt)."""

from __future__ import annotations

import datetime as dt
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests.pdf_text import PRINTED, flat, make_report, page_texts

from rmdesk import i18n
from rmdesk.content.pack import Fact, LocalizedText, builtin_pack
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_date
from rmdesk.reports.data import GroupReport
from rmdesk.reports.fonts import register_fonts
from rmdesk.reports.heatmap import fit_ids
from rmdesk.services.reports import write_group_pdf

HEADINGS = ("Case summary", "Risk register", "Risk analysis", "Heat map", "Feedback")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    report = make_report()
    return {lang: write_group_pdf(report, lang, folder / f"{lang}.pdf") for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_accented_text_survives(pdfs: dict[str, Path], lang: str) -> None:
    text = " ".join(page_texts(pdfs[lang]))
    for expected in ("João Conceição", "François Lefèvre", "Grupo Ñandú",
                     "Subfacturação de calçados", "Contrabando de piñas con cocaína",
                     "Contrefaçon de parfums « de luxe »", "Atelier « gestion des risques »"):
        assert expected in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_headings_in_the_report_language(pdfs: dict[str, Path], lang: str) -> None:
    _ = gettext_for(lang)
    text = " ".join(page_texts(pdfs[lang]))
    for heading in HEADINGS:
        translated = _(heading)
        assert flat(translated) in text
        if translated != heading:  # once the catalog is translated, no English left over
            assert heading not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cover_shows_dates_in_the_language(pdfs: dict[str, Path], lang: str) -> None:
    cover = page_texts(pdfs[lang])[0]
    assert flat(format_date(PRINTED, lang)) in cover
    assert flat(format_date(dt.date(2025, 3, 3), lang)) in cover
    assert "9.9.9" in cover


def test_only_dejavu_fonts_are_embedded(pdfs: dict[str, Path]) -> None:
    reader = PdfReader(pdfs["fr"])
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
            # Embedded: the TrueType program travels with the PDF.
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}


def test_metadata(pdfs: dict[str, Path]) -> None:
    reader = PdfReader(pdfs["pt_BR"])
    assert reader.metadata is not None
    assert reader.metadata.author == "rmdesk"
    assert "Grupo Ñandú" in (reader.metadata.title or "")
    assert reader.trailer["/Root"]["/Lang"] == "pt-BR"


def test_heat_map_places_ids_and_lists_unrated(pdfs: dict[str, Path]) -> None:
    pages = page_texts(pdfs["en"])
    heat = next(p for p in pages if "Heat map" in p and "Almost certain" in p)
    assert "R1, R2" in heat  # same cell: L4 x C4
    assert "R3" in heat
    assert "Not on the map (not rated yet): R4" in heat


def test_fit_ids_shrinks_then_counts_the_rest() -> None:
    font, bold = register_fonts()
    assert register_fonts() == (font, bold)  # idempotent
    size, lines = fit_ids(["R1", "R2"], bold, 60, 28)
    assert lines == ["R1, R2"] and size >= 7.5
    ids = [f"R{i}" for i in range(1, 61)]
    size, lines = fit_ids(ids, bold, 60, 28)
    assert lines[-1].split()[-1].startswith("+")
    shown = sum(len(line.split()) for line in lines) - 1
    assert shown + int(lines[-1].split()[-1][1:]) == len(ids)
    assert len(lines) * size * 1.2 <= 28


@pytest.mark.parametrize("lang", LANGUAGES)
def test_empty_register_gives_a_valid_pdf(tmp_path: Path, lang: str) -> None:
    out = write_group_pdf(make_report([]), lang, tmp_path / "empty.pdf")
    pages = page_texts(out)
    assert len(pages) >= 1
    _ = gettext_for(lang)
    text = " ".join(pages)
    assert flat(_("The register is empty: no risk has been entered yet.")) in text
    assert flat(_("The register is empty: add the risks your group identified.")) in text


def test_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(RmdeskError) as err:
        write_group_pdf(make_report(), "de", tmp_path / "x.pdf")
    assert err.value.code == "unknown_language"
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root ignores chmod: use a "folder" that is a regular file
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        out = blocker / "out.pdf"
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        out = locked / "out.pdf"
    try:
        with pytest.raises(RmdeskError) as err:
            write_group_pdf(make_report(), "en", out)
        assert err.value.code == "report_write_failed"
        assert not out.exists()
        assert not [p for p in tmp_path.rglob("*") if p.suffix == ".pdf"]
    finally:
        if os.geteuid() != 0:
            (tmp_path / "locked").chmod(0o700)


def test_failure_mid_build_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rmdesk.reports.group_output as group_output

    def half_written(report: GroupReport, lang: str, path: Path) -> None:
        Path(path).write_bytes(b"%PDF-1.4 truncated")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(group_output, "build_group_pdf", half_written)
    with pytest.raises(RmdeskError) as err:
        write_group_pdf(make_report(), "en", tmp_path / "out.pdf")
    assert err.value.code == "report_write_failed"
    assert list(tmp_path.iterdir()) == []


def test_reports_layer_does_not_import_qt() -> None:
    code = (
        "import sys, rmdesk.reports.group_output, rmdesk.reports.heatmap;"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0


class _Pseudo(gettext.NullTranslations):
    """Wraps every message, so an untranslated label shows up as bare English."""

    def gettext(self, message: str) -> str:
        return f"‹{message}›"


def test_every_label_goes_through_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(i18n._catalogs, "fr", _Pseudo())
    text = " ".join(page_texts(write_group_pdf(make_report(), "fr", tmp_path / "p.pdf")))
    for label in (*HEADINGS, "Group output", "Members", "Administration", "Event",
                  "Existing controls", "Reason for likelihood", "Level", "Likelihood",
                  "Consequence", "Almost certain", "Insignificant", "Extreme", "Risk level",
                  "Revenue", "No risk area chosen", "To fix"):
        assert f"‹{label}›" in text, label
    assert re.search(r"‹Page 2 of \d+›", text)  # page "x of y", translated
    assert "‹Printed on" in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["412,000", "4.2%", "12.50 days"]), ("fr", ["412 000", "4,2 %", "12,50 jours"])],
)
def test_facts_use_the_reader_number_format(
    tmp_path: Path, lang: str, expected: list[str]
) -> None:
    def text(en: str, fr: str | None = None) -> LocalizedText:
        return LocalizedText(en=en, fr=fr)

    pack = builtin_pack()
    facts = [
        Fact(label=text("Declarations"), value=412000),
        Fact(label=text("Hit rate"), value=4.2, unit=text("%"), decimals=1),
        Fact(label=text("Release time"), value=12.5, unit=text("days", "jours"), decimals=2),
    ]
    report = make_report()
    report.pack = pack.model_copy(update={"case": pack.case.model_copy(update={"facts": facts})})
    pages = page_texts(write_group_pdf(report, lang, tmp_path / "facts.pdf"))
    for value in expected:
        assert value in pages[1]


def test_indicator_selection_section_in_each_language(tmp_path: Path) -> None:
    """E6 appears in the group output when the group chose indicators."""
    import dataclasses

    from pypdf import PdfReader

    from rmdesk.content.pack import builtin_pack
    from rmdesk.domain.indicators import IndicatorPick, KeyEntry, check_indicator_selection
    from rmdesk.i18n import gettext_for
    from rmdesk.services.reports import write_group_pdf

    pack = builtin_pack()
    picks = [IndicatorPick("I10", "unit_value", "arrival", "Carros usados a 40 %")]
    report = dataclasses.replace(
        make_report(), pack=pack, indicator_picks=picks,
        indicator_findings=check_indicator_selection(
            picks, [KeyEntry(i.id, i.relevant) for i in pack.indicators]))
    indicator = next(i for i in pack.indicators if i.id == "I10")
    for lang in ("en", "es", "pt_BR", "fr"):
        out = write_group_pdf(report, lang, tmp_path / f"e6-{lang}.pdf")
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
        assert pack.exercise("indicator_selection").title.get(lang) in text
        assert " ".join(indicator.text.get(lang).split())[:30] in text
        assert gettext_for(lang)("Unit value (USD)") in text
        assert "Carros usados a 40 %" in text
