"""E11 in the group output PDF: project, milestone chart, responsibilities, feedback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.e1x_content import e1x_pack
from tests.pdf_text import e1x_pdfs, flat, page_texts, write_e1x_pdf

from rmdesk.domain.regional_project import RegionalProject
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_date
from rmdesk.reports.sections import SECTION_MODULES
from rmdesk.reports.sections.regional_project import milestone_chart

PROJECT = {
    "objective": "Détecter la sous-évaluation des chaussures",
    "data_exchanged": "Declaraciones de exportación", "legal_basis": "Convenção art. 7",
    "indicators": "Valeur unitaire < 40 %", "evaluation": "Taux de réussite",
    "window_start": "2026-04-01", "window_end": "2026-09-30",
    "partners": [
        {"id": "p1", "administration": "Aduana de Valdoria", "contact": "Ana Ruiz",
         "role": "Coordinación"},
        {"id": "p2", "administration": "Receita de Montalba", "contact": "João Lima",
         "role": "Fornecedor de dados"},
    ],
    "milestones": [
        {"id": "m1", "title": "Firmar el acuerdo", "start": "2026-04-01",
         "end": "2026-04-20", "responsible": "p1", "depends_on": []},
        {"id": "m2", "title": "Indicateurs communs", "start": "2026-04-21",
         "end": "2026-05-15", "responsible": "p2", "depends_on": ["m1"]},
        {"id": "m3", "title": "Testar o fluxo", "start": "2026-05-10",
         "end": "2026-06-10", "responsible": "p2", "depends_on": ["m2"]},
        {"id": "m4", "title": "Run the operation", "start": "2026-06-15",
         "end": "2026-09-15", "responsible": "p1", "depends_on": ["m3"]},
        {"id": "m5", "title": "Évaluer", "start": "2026-09-16", "end": "2026-09-30",
         "responsible": "p1", "depends_on": ["m4"]},
    ],
}


write = write_e1x_pdf


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("e11")
    return e1x_pdfs(folder, {"e11": PROJECT})


def test_registered() -> None:
    assert SECTION_MODULES["regional_project"] == "regional_project"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_project_chart_and_responsibilities(pdfs: dict[str, Path], lang: str) -> None:
    _ = gettext_for(lang)
    text = " ".join(page_texts(pdfs[lang]))
    assert e1x_pack().exercise("regional_project").title.get(lang) in text
    for typed in ("Détecter la sous-évaluation des chaussures", "Convenção art. 7",
                  "Firmar el acuerdo", "Indicateurs communs", "Évaluer", "Ana Ruiz",
                  "João Lima", "Fornecedor de dados"):
        assert typed in text
    for label in ("Milestone chart", "Responsibilities", "Responsible partner",
                  "Contact point", "Operation window"):
        assert flat(_(label)) in text
    # Dates in the reader's language, in the table and in the feedback.
    assert flat(format_date(dt.date(2026, 4, 21), lang, "medium")) in text
    assert flat(format_date(dt.date(2026, 5, 15), lang, "medium")) in text  # M3 too early
    assert "M3 Testar o fluxo" in text


def test_chart_draws_every_milestone_and_dependency() -> None:
    project = RegionalProject.from_dict(PROJECT)
    drawing = milestone_chart(project, "fr", "Helvetica", 480, "not set")
    strings = [s.text for s in drawing.contents if hasattr(s, "text")]
    assert any(s.startswith("M1 Firmar") for s in strings)
    assert "avr. 2026" in strings  # month labels in the language
    from reportlab.graphics.shapes import PolyLine

    assert sum(isinstance(s, PolyLine) for s in drawing.contents) == 4
    assert milestone_chart(RegionalProject(), "en", "Helvetica", 480, "x") is None


def test_section_left_out_without_an_answer(tmp_path: Path) -> None:
    assert "Milestone chart" not in " ".join(page_texts(write(tmp_path, "en", {})))
