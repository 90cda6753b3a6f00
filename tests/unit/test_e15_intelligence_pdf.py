"""E15 in the group output PDF: every item with the group's grade, the product, the profile,
the centre and the feedback, in every language; typed text is text, never markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.pdf_text import flat, make_report, pdf_text

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.intelligence import CENTRE_FUNCTIONS
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_number
from rmdesk.reports.sections import SECTION_MODULES
from rmdesk.services.reports import write_group_pdf

PACK = builtin_pack()
EXERCISE = PACK.exercise("intelligence")


def write(folder: Path, lang: str, work: dict) -> str:
    report = make_report()
    report.exercise_work = {EXERCISE.id: work}
    return pdf_text(write_group_pdf(report, lang, folder / f"{lang}.pdf"))


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("e15")
    return {lang: write(folder, lang, PACK.model_work_for(EXERCISE.id, lang))
            for lang in LANGUAGES}


def test_registered() -> None:
    assert SECTION_MODULES["intelligence"] == "intelligence"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_answer_prints_every_step(texts: dict[str, str], lang: str) -> None:
    _ = gettext_for(lang)
    text = texts[lang]
    work = PACK.model_work_for(EXERCISE.id, lang)
    assert " ".join(EXERCISE.title.get(lang).split()) in text
    for item in EXERCISE.intel_items:  # every item with the group's grade
        grade = work["gradings"][item.id]
        assert f"{item.id} " in text and f"{grade['source']}{grade['info']}" in text
    for label in CENTRE_FUNCTIONS.values():
        assert " ".join(_(label).split()) in text
    assert " ".join(work["product"]["assessment"].split()) in text
    assert work["profile"]["title"] in text
    assert "290345" in text
    # the feedback: the engine's run of the profile, in the language's numbers
    assert flat(format_number(9674, lang)) in text
    assert _("Feedback") in text


def test_typed_markup_is_printed_as_text(tmp_path: Path) -> None:
    work = PACK.model_work_for(EXERCISE.id, "en")
    work["product"]["assessment"] = "<b>bold</b> & <font size=40>big</font>"
    work["gradings"]["S01"]["note"] = "a < b"
    text = write(tmp_path, "en", work)
    assert "<b>bold</b> & <font size=40>big</font>" in text
    assert "a < b" in text


def test_an_untouched_exercise_prints_nothing(tmp_path: Path) -> None:
    text = write(tmp_path, "en", {})
    assert EXERCISE.title.get("en") not in text
