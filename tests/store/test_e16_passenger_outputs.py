"""E16 outside its page: the group output PDF of the model answer in every language (the
figures computed by the engine), a protected-field profile flagged in print, and the
facilitator's side-by-side comparison."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.passengers import SAFEGUARD_LABELS, PassengerWork, run_passengers
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_percent
from rmdesk.reports.sections import SECTION_MODULES
from rmdesk.services.comparison import ComparisonService
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.model_answers import ModelAnswerService
from rmdesk.services.reports import gather_group_report, write_group_pdf
from rmdesk.services.work_checks import WorkChecks
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store

PACK = builtin_pack()
E16 = PACK.exercise("passenger_targeting")


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


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
    title = flat(E16.title.get(lang))
    assert title in text
    return text[text.rindex(title):]


def test_registered() -> None:
    assert SECTION_MODULES["passenger_targeting"] == "passengers"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_answer_prints_its_figures_and_safeguards(store: Store, tmp_path: Path,
                                                            lang: str) -> None:
    workshop_id, group_id = group(store, lang)
    ModelAnswerService(store, PACK).fill_group(group_id, lang)
    text = section_text(store, workshop_id, group_id, lang, tmp_path / f"{lang}.pdf")
    _ = gettext_for(lang)
    work = PassengerWork.from_dict(PACK.model_work_for("e16", lang))
    metrics = run_passengers(work).metrics
    assert flat(format_percent(metrics.hit_rate or 0, lang, digits=1)) in text
    for criterion in work.ruleset.criteria:
        assert flat(criterion.name) in text
    for label in SAFEGUARD_LABELS.values():
        assert flat(_(label)) in text
    assert flat(_("Nationality")) not in text  # no profile uses it
    found = WorkChecks(store, PACK).check_exercise(group_id, E16, lang)
    assert [f.code for f, _m in found] == ["all_good"]


def test_a_nationality_profile_is_flagged_in_print_and_in_rmdesk_check(
        store: Store, tmp_path: Path) -> None:
    workshop_id, group_id = group(store, "bad")
    ExerciseWorkService(store).save(group_id, "e16", {"ruleset": {"criteria": [{
        "name": "Kessani", "lane": "red", "condition": {
            "op": "eq", "field": "x:nationality", "value": "Kessani"}}]}})
    text = section_text(store, workshop_id, group_id, "en", tmp_path / "bad.pdf")
    assert "Kessani uses “Nationality”, which a passenger profile may not use" in text
    found = WorkChecks(store, PACK).check_exercise(group_id, E16, "en")
    assert any(f.code == "forbidden_field" and f.severity == "error" for f, _m in found)


def test_side_by_side_gives_the_figures_profiles_and_safeguards(store: Store) -> None:
    workshop_id, group_id = group(store, "model")
    ModelAnswerService(store, PACK).fill_group(group_id, "fr")
    _ = gettext_for("fr")
    compared = ComparisonService(store, PACK).side_by_side(workshop_id, "e16", _, "fr")
    lines = [line.text for answer in compared.answers for line in answer.lines]
    assert lines[1] == _("Hit rate: {value}").format(
        value=format_percent(0.537313, "fr", digits=1))
    assert any(line.startswith("Passeur de drogue · ") for line in lines)
    assert not any("ruleset" in line for line in lines)
