"""The model answers as a group's work: filled in every language, they pass "Check my
work" (the same checks F5 runs), and `rmdesk check` says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rmdesk.app import main
from rmdesk.content.exercise_ids import exercise_label, find_exercise
from rmdesk.content.pack import builtin_pack
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES
from rmdesk.services.model_answers import ModelAnswerService
from rmdesk.services.register import RegisterService
from rmdesk.services.work_checks import WorkChecks
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store


def _group(store: Store, name: str) -> tuple[str, str]:
    pack = builtin_pack()
    workshops = WorkshopService(store)
    found = [w for w in workshops.list_workshops() if w.title == "T"]
    workshop = found[0] if found else workshops.create_workshop(
        WorkshopInput(title="T"), pack.pack.id, pack.pack.version)
    return workshop.id, workshops.add_group(workshop.id, name).id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_work_passes_check_my_work_in_every_language(store: Store,
                                                                lang: str) -> None:
    pack = builtin_pack()
    assert {e.id for e in pack.exercises} == set(pack.model_work)  # every exercise
    _, group_id = _group(store, lang)
    ModelAnswerService(store, pack).fill_group(group_id, lang)
    findings = WorkChecks(store, pack).check_group(group_id, lang, lang)
    bad = [(f.exercise_label, f.code, f.message) for f in findings if f.severity != "info"]
    assert not bad
    # Every exercise was checked, none skipped as "not started".
    assert {f.exercise_id for f in findings} == {e.id for e in pack.exercises}
    assert not [f for f in findings if f.code == "not_started"]


def test_the_model_work_is_typed_in_the_chosen_language(store: Store) -> None:
    pack = builtin_pack()
    _, group_id = _group(store, "fr")
    ModelAnswerService(store, pack).fill_group(group_id, "fr")
    risks = RegisterService(store).list_risks(group_id)
    assert [r.code for r in risks] == [f"R{n:02d}" for n in range(1, 12)]
    french = pack.model_work["e2e3"][0]["event"]["fr"]
    assert risks[0].event == french and risks[0].score == 16


def test_a_group_with_work_is_only_overwritten_when_confirmed(store: Store) -> None:
    pack = builtin_pack()
    _, group_id = _group(store, "busy")
    RegisterService(store).add_risk(group_id, code="X1", event="Something we typed")
    service = ModelAnswerService(store, pack)
    with pytest.raises(RmdeskError) as refused:
        service.fill_group(group_id, "en")
    assert refused.value.code == "group_has_work"
    assert [r.code for r in RegisterService(store).list_risks(group_id)] == ["X1"]
    service.fill_group(group_id, "en", overwrite=True)
    codes = [r.code for r in RegisterService(store).list_risks(group_id)]
    assert "X1" not in codes and len(codes) == 11


def test_exercise_ids_as_users_see_them() -> None:
    pack = builtin_pack()
    assert find_exercise(pack, "E3").id == find_exercise(pack, "e2") .id == "e2e3"
    assert find_exercise(pack, "e8").kind == "targeting"
    assert find_exercise(pack, "E2E3").id == "e2e3"
    assert find_exercise(pack, "E15").kind == "intelligence"
    with pytest.raises(RmdeskError) as unknown:
        find_exercise(pack, "E99")
    text = unknown.value.render(lambda s: s)
    assert "E99" in text and "E2–E3 (e2e3)" in text and "E12" in text and "E13" in text


# -- rmdesk check -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--data-dir", str(folder)]) == 0
    return folder


def _check(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["check", "--data-dir", str(folder), "--workshop", "Demo workshop", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_of_the_model_answer_group_finds_nothing_wrong(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _check(capsys, demo_dir, "--group", "Model answer", "--lang", "en",
                            "--json")
    found = [json.loads(line) for line in out.splitlines()]
    wrong = [f for f in found if f["severity"] != "info"]
    assert (code, wrong, err) == (0, [], "")
    assert {f["exercise"] for f in found} == {
        exercise_label(e) for e in builtin_pack().exercises} >= {
        "E1", "E2–E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10", "E11", "E12", "E13", "E14",
        "E15", "E16"}
    assert set(found[0]) >= {"exercise", "group", "severity", "code", "message"}


def test_check_reports_the_mistakes_of_group_2_and_fails(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check(capsys, demo_dir, "--group", "Group 2", "--exercise", "E3",
                          "--lang", "es")
    assert code == 1
    assert out.splitlines() and all(line.startswith("Group 2: E2–E3: ")
                                    for line in out.splitlines())
    assert "advertencia" in out or "error" in out


def test_check_all_groups_and_unknown_names_exit_2(
        demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check(capsys, demo_dir, "--all-groups", "--exercise", "e1", "--json")
    groups = {json.loads(line)["group"] for line in out.splitlines()}
    assert groups == {"Group 1", "Group 2", "Group 3", "Model answer"}
    for argv, word in ((["--group", "Nobody"], "Nobody"),
                       (["--group", "Group 1", "--exercise", "E99"], "E99")):
        code, out, err = _check(capsys, demo_dir, *argv, "--lang", "en")
        assert code == 2 and word in err and out == ""
    code = main(["check", "--data-dir", str(demo_dir), "--workshop", "Nope",
                 "--group", "Group 1"])
    assert code == 2


def test_report_accepts_the_exercise_as_users_see_it(
        demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e4.pdf"
    code = main(["report", "--data-dir", str(demo_dir), "--workshop", "Demo workshop",
                 "--exercise", "E4", "-o", str(out)])
    assert code == 0 and out.stat().st_size > 1000
    code = main(["report", "--data-dir", str(demo_dir), "--workshop", "Demo workshop",
                 "--exercise", "E42", "-o", str(out)])
    assert code == 2 and "E2–E3" in capsys.readouterr().err
