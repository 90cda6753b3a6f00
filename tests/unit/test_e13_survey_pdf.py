"""E13 in the group output PDF, read back with pypdf in every shipped language: the
strata with their sizes and samples, the estimate the engine computes, the E8 hit rate
it is compared with, the interpretation and the feedback; the same section in the
one-exercise print across groups."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.pdf_text import make_report, page_texts, pdf_text

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.compliance_survey import ComplianceSurvey, estimate
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.reports.sections import SECTION_MODULES
from rmdesk.services.compliance_survey import builtin_population
from rmdesk.services.model_answers import ModelAnswerService
from rmdesk.services.reports import gather_group_report, write_group_pdf
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import open_store

PACK = builtin_pack()
EXERCISE = PACK.exercise("compliance_survey")


def _write(folder: Path, lang: str, work: dict | None) -> Path:
    report = make_report()
    report.exercise_work = {} if work is None else {EXERCISE.id: work}
    return write_group_pdf(report, lang, folder / f"{lang}.pdf")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The "Model answer" group's output, filled in each language, with its E8 runs."""
    folder = tmp_path_factory.mktemp("e13")
    store = open_store(folder / "data")
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(WorkshopInput(title="T"), PACK.pack.id,
                                         PACK.pack.version)
    found = {}
    for lang in LANGUAGES:
        group = workshops.add_group(workshop.id, f"Model {lang}")
        ModelAnswerService(store, PACK).fill_group(group.id, lang)
        report = gather_group_report(store, workshop.id, group.id, PACK)
        found[lang] = write_group_pdf(report, lang, folder / f"{lang}.pdf")
    store.close()
    return found


def test_registered() -> None:
    assert SECTION_MODULES["compliance_survey"] == "compliance_survey"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_section_shows_the_survey_in_the_language(pdfs: dict[str, Path],
                                                      lang: str) -> None:
    _ = gettext_for(lang)
    text = pdf_text(pdfs[lang])
    assert " ".join(EXERCISE.title.get(lang).split()) in text
    survey = ComplianceSurvey.from_dict(PACK.model_work_for(EXERCISE.id, lang))
    result = estimate(survey, builtin_population())
    assert result is not None
    for stratum in survey.strata:
        assert stratum.name in text
    for value in (result.rate, result.rate_low, result.rate_high, 0.4):  # 0.4: E8's
        assert " ".join(format_percent(value, lang, digits=1).split()) in text
    assert " ".join(format_number(9674, lang).split()) in text
    assert " ".join(survey.interpretation.split()[:6]) in text
    for label in ("Sample size", "Estimate", "Interpretation", "Feedback"):
        assert _(label) in text


def test_a_broken_design_prints_its_findings(tmp_path: Path) -> None:
    work = dict(PACK.model_work_for(EXERCISE.id, "en"))
    work["strata"] = work["strata"][:-1]  # rail left out
    text = pdf_text(_write(tmp_path, "en", work))
    assert "No stratum covers rail (250 declarations)" in text


def test_section_left_out_without_an_answer(tmp_path: Path) -> None:
    path = _write(tmp_path, "en", None)
    assert "Values it covers" not in " ".join(page_texts(path))
