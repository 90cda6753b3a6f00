"""E14 outside its page: the group output PDF of the model answer and of a half-done group,
in every language, and the facilitator's side-by-side comparison."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.compliance_pyramid import BEHAVIOURS, SHORT_RESPONSES
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.reports.sections import SECTION_MODULES
from rmdesk.services.comparison import ComparisonService
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.model_answers import ModelAnswerService
from rmdesk.services.reports import gather_group_report, write_group_pdf
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store

PACK = builtin_pack()
E14 = PACK.exercise("compliance_pyramid")


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def group(store: Store, name: str) -> tuple[str, str]:
    workshops = WorkshopService(store)
    found = [w for w in workshops.list_workshops() if w.title == "T"]
    workshop = found[0] if found else workshops.create_workshop(
        WorkshopInput(title="T"), PACK.pack.id, PACK.pack.version)
    return workshop.id, workshops.add_group(workshop.id, name).id


def section_text(store: Store, workshop_id: str, group_id: str, lang: str,
                 out: Path) -> str:
    report = gather_group_report(store, workshop_id, group_id, PACK,
                                 today=dt.date(2026, 3, 13))
    path = write_group_pdf(report, lang, out)
    text = flat(" ".join(p.extract_text() for p in PdfReader(path).pages))
    title = flat(E14.title.get(lang))
    assert title in text
    return text[text.rindex(title):]  # the section itself, not the contents page


def test_registered() -> None:
    assert SECTION_MODULES["compliance_pyramid"] == "compliance_pyramid"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_answer_prints_every_segment_on_its_level(store: Store, tmp_path: Path,
                                                            lang: str) -> None:
    workshop_id, group_id = group(store, lang)
    ModelAnswerService(store, PACK).fill_group(group_id, lang)
    text = section_text(store, workshop_id, group_id, lang, tmp_path / f"{lang}.pdf")
    _ = gettext_for(lang)
    for segment in E14.segments:
        assert flat(segment.name.get(lang)) in text, segment.id
    for level in BEHAVIOURS:
        assert flat(_(BEHAVIOURS[level])) in text
        assert flat(_(SHORT_RESPONSES[level])) in text
    for code in ("R01", "R02", "R04", "R07", "R08"):  # the E5 treatments linked
        assert code in text
    placements = PACK.model_work_for("e14", lang)["placements"]
    assert flat(placements["transit"]["measures"])[:40] in text
    # the feedback says all is well, with the count per level
    assert flat(_("Feedback")) in text and "8" in text


def test_a_half_done_group_prints_its_gaps(store: Store, tmp_path: Path) -> None:
    workshop_id, group_id = group(store, "half")
    ExerciseWorkService(store).save(group_id, "e14", {"placements": {
        "aeo": {"level": "enforce", "response": "enforce", "treatment": "gone"}}})
    text = section_text(store, workshop_id, group_id, "en", tmp_path / "half.pdf")
    assert "Authorised economic operators (AEOs): authorised economic operators may sit" in text
    assert "Your E5 plan has no treatment yet" in text
    assert "not in the E5 plan" in text


def test_side_by_side_names_segments_levels_and_treatments(store: Store) -> None:
    workshop_id, group_id = group(store, "model")
    ModelAnswerService(store, PACK).fill_group(group_id, "fr")
    _ = gettext_for("fr")
    compared = ComparisonService(store, PACK).side_by_side(workshop_id, "e14", _, "fr")
    lines = [line.text for answer in compared.answers for line in answer.lines]
    first = E14.segments[0].name.get("fr")
    assert lines[0] == f"1. {first} · {_(BEHAVIOURS['facilitate'])} · " \
                       f"{_(SHORT_RESPONSES['facilitate'])}"
    assert any(line.endswith(": R04") for line in lines)  # the treatment, by its code
    assert not any("placements" in line or "facilitate" == line for line in lines)
    assert compared.model_answer.startswith("Placement modèle")
