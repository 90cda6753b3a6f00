"""E12 in the group output PDF: the radar chart, the levels with descriptors, feedback."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.e1x_content import DIMENSIONS, e1x_pack
from tests.pdf_text import e1x_pdfs, flat, page_texts, write_e1x_pdf

from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.reports.sections import SECTION_MODULES
from rmdesk.reports.sections.maturity import maturity_chart

ANSWER = {"ratings": {
    "governance": {"level": 3, "evidence": "Actas del comité", "next_step": "Nommer un "
                   "responsable"},
    "data": {"level": 4, "evidence": "", "next_step": "Integrar o manifesto"},
}}


write = write_e1x_pdf


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("e12")
    return e1x_pdfs(folder, {"e12": ANSWER})


def test_registered() -> None:
    assert SECTION_MODULES["maturity"] == "maturity"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_levels_evidence_and_feedback(pdfs: dict[str, Path], lang: str) -> None:
    _ = gettext_for(lang)
    text = " ".join(page_texts(pdfs[lang]))
    assert e1x_pack().exercise("maturity").title.get(lang) in text
    for dim in DIMENSIONS:
        assert dim.name.get(lang) in text
    assert DIMENSIONS[0].levels[2].get(lang) in text  # the descriptor of the chosen level
    assert DIMENSIONS[1].levels[3].get(lang) in text
    for typed in ("Actas del comité", "Nommer un responsable", "Integrar o manifesto"):
        assert typed in text
    for label in ("Evidence", "Next step", "not rated", "Feedback"):
        assert flat(_(label)) in text


def test_chart_shapes() -> None:
    radar = maturity_chart([("A", 3), ("B", None), ("C", 5)], "Helvetica", 480)
    assert {s.text for s in radar.contents if hasattr(s, "text")} >= {"A", "B", "C", "5"}
    bars = maturity_chart([("Only", 2)], "Helvetica", 480)
    assert any(getattr(s, "text", "") == "Only" for s in bars.contents)


def test_section_left_out_without_an_answer(tmp_path: Path) -> None:
    assert "Next step" not in " ".join(page_texts(write(tmp_path, "en", {})))
