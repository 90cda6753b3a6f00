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


def _texts_and_lines(drawing):
    """Every String as a box (x0, y0, x1, y1), every arrow as its segments."""
    from reportlab.graphics.shapes import PolyLine, String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    boxes, segments = [], []
    for shape in drawing.contents:
        if isinstance(shape, String):
            w = stringWidth(shape.text, shape.fontName, shape.fontSize)
            x0 = shape.x - (w if shape.textAnchor == "end" else
                            w / 2 if shape.textAnchor == "middle" else 0)
            boxes.append((shape.text, x0, shape.y - 1.5, x0 + w, shape.y + shape.fontSize * 0.8))
        elif isinstance(shape, PolyLine):
            p = shape.points
            segments += [(p[i], p[i + 1], p[i + 2], p[i + 3]) for i in range(0, len(p) - 2, 2)]
    return boxes, segments


def _crosses(box, segment) -> bool:
    _t, bx0, by0, bx1, by1 = box
    x0, y0, x1, y1 = segment
    if x0 == x1:  # vertical
        return bx0 < x0 < bx1 and max(by0, min(y0, y1)) < min(by1, max(y0, y1))
    return by0 < y0 < by1 and max(bx0, min(x0, x1)) < min(bx1, max(x0, x1))


LONG = "Agree on the common risk indicators and the data each administration shares"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("width", [300.0, 480.0])
def test_chart_names_whole_years_shown_no_arrow_through_a_label(lang: str,
                                                                 width: float) -> None:
    data = dict(PROJECT, window_start="2026-10-01", window_end="2027-03-31")
    data["milestones"] = [
        {"id": "a", "title": LONG, "start": "2026-10-01", "end": "2026-11-20",
         "responsible": "p1", "depends_on": []},
        {"id": "b", "title": "Test", "start": "2026-11-10", "end": "2027-01-15",
         "responsible": "p2", "depends_on": ["a"]},  # starts before a ends: goes round
        {"id": "c", "title": "Undated step", "start": "", "end": "", "responsible": "p2",
         "depends_on": []},
        {"id": "d", "title": "Run the operation in the ports of the three administrations",
         "start": "2027-01-16", "end": "2027-03-31", "responsible": "p1",
         "depends_on": ["b", "a"]},
    ]
    project = RegionalProject.from_dict(data)
    from rmdesk.reports.fonts import register_fonts

    font, _bold = register_fonts()
    drawing = milestone_chart(project, lang, font, width, "dates not set")
    boxes, segments = _texts_and_lines(drawing)
    texts = [b[0] for b in boxes]
    # Full names, wrapped over lines, never cut with "…".
    joined = " ".join(texts)
    assert "…" not in joined
    for label in (f"M1 {LONG}", "M4 Run the operation in the ports of the three "
                  "administrations"):
        start = next(i for i, t in enumerate(texts) if label.startswith(t))
        whole = texts[start]
        for line in texts[start + 1:]:
            if len(whole) >= len(label):
                break
            whole += " " + line
        assert whole == label
    assert "dates not set" in texts
    # Both years on the month labels: the axis crosses into 2027.
    assert any("2026" in t for t in texts) and any("2027" in t for t in texts)
    # No arrow segment runs through a text.
    assert segments
    for box in boxes:
        for segment in segments:
            assert not _crosses(box, segment), (box, segment)
    # Every text inside the drawing.
    for _t, x0, _y0, x1, _y1 in boxes:
        assert x0 >= -0.5 and x1 <= width + 0.5


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_last_month_label_shows_its_new_year_at_the_edge(lang: str) -> None:
    from reportlab.graphics.shapes import String

    from rmdesk.reports.fonts import register_fonts

    project = RegionalProject.from_dict({"milestones": [
        {"id": "a", "title": "Start", "start": "2026-03-16", "end": "2026-03-16"},
        {"id": "b", "title": "Decide", "start": "2027-03-26", "end": "2027-03-26"}]})
    drawing = milestone_chart(project, lang, register_fonts()[0], 483, "—")
    labels = [s.text for s in drawing.contents if isinstance(s, String)]
    assert any("2027" in t for t in labels), labels
