"""A workshop's agenda (rmdesk.services.agenda): the pack's presets, the facilitator's
choice, and hidden exercises left out of prints, progress and `rmdesk check` while their
work is kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from rmdesk.app import main
from rmdesk.content.exercise_ids import exercise_label
from rmdesk.content.loader import parse_pack
from rmdesk.content.pack import BUILTIN_PACK_FILE, Exercise, builtin_pack
from rmdesk.content.problems import PackError
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES, _, set_language
from rmdesk.paths import builtin_content_dir
from rmdesk.services import agenda
from rmdesk.services.demo import create_demo
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.workshop_reports import workshop_pack
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import Workshop

PACK = builtin_pack()
PRESETS = [a.id for a in PACK.agendas]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Workshop]]:
    folder = tmp_path_factory.mktemp("agenda")
    store = open_store(folder / "data")
    workshop = create_demo(store)
    yield store, workshop
    store.close()


def hidden_of(preset: str) -> list[Exercise]:
    shown = set(agenda.preset_ids(PACK, preset))
    return [e for e in PACK.exercises if e.id not in shown]


def flat(text: str) -> str:
    """Spaces of any kind (no-break, line ends) as one space, as a reader sees them."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def pdf_text(path: Path) -> str:
    return flat(" ".join((page.extract_text() or "") for page in PdfReader(path).pages))


# -- the pack ---------------------------------------------------------------------------------
def test_the_builtin_pack_has_a_2_day_core_agenda_and_a_4_day_agenda_of_everything() -> None:
    assert PRESETS == ["2-day", "4-day"]
    kinds = {PACK.exercises[[e.id for e in PACK.exercises].index(i)].kind
             for i in agenda.preset_ids(PACK, "2-day")}
    assert kinds == {"context_scan", "register_analysis", "evaluation", "treatment",
                     "indicator_selection", "profile", "targeting", "kpi_plan"}
    assert agenda.preset_ids(PACK, "4-day") == [e.id for e in PACK.exercises]
    for preset in PACK.agendas:
        assert all(preset.title.get(lang) for lang in LANGUAGES)
        assert len({preset.title.get(lang) for lang in LANGUAGES}) == len(LANGUAGES)


def builtin_with(extra: str) -> bytes:
    raw = (builtin_content_dir() / BUILTIN_PACK_FILE).read_text(encoding="utf-8")
    return (raw + "\n" + extra).encode("utf-8")


TITLE = 'title = { en = "X", es = "X", pt_BR = "X", fr = "X" }'


@pytest.mark.parametrize(("exercises", "needle"), [
    ('["e1", "e99"]', 'the pack has no exercise with the id "e99"'),
    ('["e1", "e1"]', 'the exercise "e1" is listed twice in this agenda'),
])
def test_an_agenda_naming_an_unknown_or_repeated_exercise_is_refused_with_its_place(
        exercises: str, needle: str) -> None:
    with pytest.raises(PackError) as info:
        parse_pack(builtin_with(f'[[agendas]]\nid = "x"\n{TITLE}\nexercises = {exercises}\n'),
                   "pack.toml")
    rendered = [p.render(lambda s: s) for p in info.value.problems]
    assert any("agendas[2].exercises[1]" in r and needle in r for r in rendered), rendered


def test_a_huge_or_duplicate_agenda_is_refused() -> None:
    many = json.dumps([f"e{i}" for i in range(500)])
    with pytest.raises(PackError):
        parse_pack(builtin_with(f'[[agendas]]\nid = "x"\n{TITLE}\nexercises = {many}\n'),
                   "pack.toml")
    with pytest.raises(PackError) as info:
        parse_pack(builtin_with(f'[[agendas]]\nid = "2-day"\n{TITLE}\n'), "pack.toml")
    assert any(p.code == "duplicate_id" for p in info.value.problems)


def test_the_json_schema_describes_agendas() -> None:
    from rmdesk.content.pack import json_schema

    text = json.dumps(json_schema())
    assert "agendas" in text and "Agenda" in text


# -- the facilitator's choice ---------------------------------------------------------------
@pytest.mark.parametrize(("ids", "code"), [
    (["e1", "nope"], "agenda_unknown_exercises"),
    ([], "agenda_empty"),
    ([f"e{i}" for i in range(10_000)], "agenda_too_many"),
])
def test_hostile_choices_get_a_clear_message_and_change_nothing(
        demo: tuple[Store, Workshop], ids: list[str], code: str) -> None:
    store, workshop = demo
    before = agenda.chosen_ids(store, workshop.id)
    with pytest.raises(RmdeskError) as info:
        agenda.choose(store, workshop.id, PACK, ids)
    assert info.value.code == code
    assert "{" not in info.value.render(_)
    assert agenda.chosen_ids(store, workshop.id) == before
    with pytest.raises(RmdeskError) as info:
        agenda.parse_exercise_list("e1," * 100_000)
    assert info.value.code == "agenda_too_many"
    with pytest.raises(RmdeskError) as info:
        agenda.preset_ids(PACK, "9-day")
    assert "2-day" in info.value.render(_)


def statuses(store: Store, workshop: Workshop) -> dict[tuple[str, str], str]:
    overview = FacilitationService(store).overview(workshop.id, PACK)
    return {(g, e): overview.cell(g, e).status
            for g, _n in overview.groups for e in overview.exercise_ids}


@pytest.mark.parametrize("preset", PRESETS)
def test_hidden_exercises_leave_progress_and_check_and_come_back_with_their_work(
        demo: tuple[Store, Workshop], preset: str, capsys: pytest.CaptureFixture[str]) -> None:
    store, workshop = demo
    agenda.choose(store, workshop.id, PACK, [e.id for e in PACK.exercises])
    everything = statuses(store, workshop)
    agenda.choose(store, workshop.id, PACK, agenda.preset_ids(PACK, preset))
    hidden = {e.id for e in hidden_of(preset)}
    shown = statuses(store, workshop)
    assert {e for _g, e in shown} == set(agenda.preset_ids(PACK, preset))
    assert not hidden & {e.id for e in workshop_pack(store, workshop.id).exercises}
    assert shown == {k: v for k, v in everything.items() if k[1] not in hidden}

    data_dir = str(Path(store.path).parent)
    main(["--lang", "en", "check", "--data-dir", data_dir, "--workshop", workshop.title,
          "--all-groups", "--json"])
    found = {json.loads(line)["exercise_id"] for line in capsys.readouterr().out.splitlines()
             if line.startswith("{")}
    assert found and not found & hidden

    agenda.choose(store, workshop.id, PACK, [e.id for e in PACK.exercises])
    assert agenda.chosen_ids(store, workshop.id) is None  # "all": later exercises shown too
    assert statuses(store, workshop) == everything  # the hidden work was kept


@pytest.mark.parametrize("lang", LANGUAGES)
def test_prints_leave_hidden_exercises_out_in_every_language(
        demo: tuple[Store, Workshop], lang: str, tmp_path: Path) -> None:
    from rmdesk.services.workshop_reports import (
        write_consolidated_pdf,
        write_exercise_pdf,
        write_group_batch,
    )

    store, workshop = demo
    full = pdf_text(write_consolidated_pdf(store, workshop.id, tmp_path / "full.pdf", (lang,)))
    assert all(flat(e.title.get(lang)) in full for e in hidden_of("2-day"))  # the test can fail
    agenda.choose(store, workshop.id, PACK, agenda.preset_ids(PACK, "2-day"))
    try:
        text = pdf_text(write_consolidated_pdf(store, workshop.id, tmp_path / "all.pdf",
                                               (lang,)))
        text += " ".join(pdf_text(p) for p in write_group_batch(
            store, workshop.id, tmp_path / "groups", (lang,)) if p.suffix == ".pdf")
        for exercise in hidden_of("2-day"):
            assert flat(exercise.title.get(lang)) not in text, exercise.id
        for exercise in workshop_pack(store, workshop.id).exercises:
            assert exercise_label(exercise) in text
        hidden = hidden_of("2-day")[0]
        with pytest.raises(RmdeskError):  # a hidden exercise has no print of its own
            write_exercise_pdf(store, workshop.id, hidden.id, tmp_path / "one.pdf", (lang,))
    finally:
        agenda.choose(store, workshop.id, PACK, [e.id for e in PACK.exercises])
        set_language("en")


def test_the_cli_chooses_a_preset_or_a_list_and_refuses_unknown_ids(
        demo: tuple[Store, Workshop], capsys: pytest.CaptureFixture[str]) -> None:
    store, workshop = demo
    data_dir = str(Path(store.path).parent)
    base = ["--lang", "en", "facilitator", "agenda", "--data-dir", data_dir,
            "--workshop", workshop.title]
    try:
        assert main([*base, "--preset", "2-day"]) == 0
        assert agenda.chosen_ids(store, workshop.id) == agenda.preset_ids(PACK, "2-day")
        assert main([*base, "--exercises", "E1, e4"]) == 0
        assert agenda.chosen_ids(store, workshop.id) == ["e1", "e4"]
        out = capsys.readouterr().out
        assert "hidden" in out and "e14" in out
        assert main([*base, "--exercises", "e1,zz9"]) == 2
        err = capsys.readouterr().err
        assert "zz9" in err and "Traceback" not in err
        assert agenda.chosen_ids(store, workshop.id) == ["e1", "e4"]  # nothing changed
        assert main([*base, "--preset", "9-day"]) == 2
    finally:
        assert main([*base, "--all"]) == 0
    assert agenda.chosen_ids(store, workshop.id) is None
