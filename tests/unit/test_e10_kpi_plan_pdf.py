"""E10 in the group output PDF, read back with pypdf in every shipped language."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.e1x_content import e1x_pack
from tests.pdf_text import e1x_pdfs, flat, page_texts, write_e1x_pdf

from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.reports.sections import SECTION_MODULES

PLAN = {
    "kpis": [
        {"name": "Taxa de acerto", "formula": "hits / selected * 100",
         "source": "Módulo de seleção", "baseline": "9,5", "target": "14",
         "frequency": "monthly", "owner": "Unidade de risco", "trigger": "abaixo de 8 %"},
        {"name": "Détection", "formula": "hits / (hits + missed",
         "source": "Contrôle a posteriori", "baseline": "30", "target": "30"},
    ],
    "variables": [{"name": "hits", "meaning": "contrôles positifs"},
                  {"name": "selected", "meaning": "declaraciones seleccionadas"}],
}


write = write_e1x_pdf


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("e10")
    return e1x_pdfs(folder, {"e10": PLAN})


def test_registered() -> None:
    assert SECTION_MODULES["kpi_plan"] == "kpi_plan"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kpi_table_in_the_language(pdfs: dict[str, Path], lang: str) -> None:
    _ = gettext_for(lang)
    text = " ".join(page_texts(pdfs[lang]))
    title = e1x_pack().exercise("kpi_plan").title.get(lang)
    assert title in text
    for typed in ("Taxa de acerto", "hits / selected * 100", "Módulo de seleção",
                  "Unidade de risco", "abaixo de 8 %", "Contrôle a posteriori",
                  "contrôles positifs", "declaraciones seleccionadas"):
        assert typed in text
    for label in ("Data source", "Review trigger", "Variables the formulas may use",
                  "Monthly", "Feedback"):
        assert flat(_(label)) in text
    # The feedback names the broken formula and the target that equals the baseline.
    assert "Détection" in text and "“missed”" in text


def test_section_left_out_without_an_answer(tmp_path: Path) -> None:
    path = write(tmp_path, "en", {})
    assert "Variables the formulas may use" not in " ".join(page_texts(path))
