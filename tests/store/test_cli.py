"""The command line: demo, report, self-check and --version, with the exit codes and
messages a facilitator scripting the workshop laptops relies on."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from tests.engines import database_env

import rmdesk
from rmdesk import paths
from rmdesk.app import EXIT_OK, EXIT_USAGE, main
from rmdesk.paths import STORE_FILENAME
from rmdesk.services.demo import DEMO_TITLE
from rmdesk.services.register import RegisterService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import open_store

WORKSHOP = "Regional workshop"
GROUP = "Group 1"


def demo_available() -> bool:
    return (paths.builtin_content_dir() / "demo.toml").is_file()


def pdf_available() -> bool:
    try:
        return importlib.util.find_spec("rmdesk.reports.group_output") is not None
    except ImportError:
        return False


needs_demo = pytest.mark.skipif(
    not demo_available(), reason="resources/content/demo.toml does not exist yet"
)
needs_pdf = pytest.mark.skipif(
    not pdf_available(), reason="rmdesk.reports.group_output is not importable yet"
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder holding one workshop with one group and a rated risk."""
    folder = tmp_path / "data"
    store = open_store(folder)
    try:
        workshops = WorkshopService(store)
        workshop = workshops.create_workshop(WorkshopInput(WORKSHOP, "Almira"))
        group = workshops.add_group(workshop.id, GROUP)
        workshops.add_member(group.id, "Ana Souza", "Aduana de Valdoria")
        RegisterService(store).add_risk(
            group.id, event="Subfaturamento de calçados", area="revenue", likelihood=4, impact=3
        )
    finally:
        store.close()
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_module(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m rmdesk …` in a fresh process with an English, display-less environment."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "RMDESK_DATA_DIR")}
    env.update(LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen")
    if "--data-dir" in argv:  # the same store as in this process, on either engine
        env.update(database_env(Path(argv[argv.index("--data-dir") + 1])))
    return subprocess.run(
        [sys.executable, "-m", "rmdesk", *argv],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False,
    )


def demo_workshops(folder: Path) -> list[str]:
    store = open_store(folder)
    try:
        return [w.title for w in WorkshopService(store).list_workshops()]
    finally:
        store.close()


# -- --version ----------------------------------------------------------------------------


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"rmdesk {version('rmdesk')}"
    assert rmdesk.__version__ == version("rmdesk")


# -- demo ---------------------------------------------------------------------------------


@needs_demo
def test_demo_creates_the_workshop_and_selects_its_first_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "fresh"
    code, out, err = run(capsys, "demo", "--data-dir", str(folder))
    assert (code, err) == (EXIT_OK, "")
    store = open_store(folder)
    try:
        assert store.location in out  # the file, or the server (password hidden)
        assert store.location == str(folder / STORE_FILENAME) or "***" in store.location
        workshops = WorkshopService(store)
        workshop, group = workshops.current_selection()
        assert workshop is not None and workshop.title == DEMO_TITLE
        groups = workshops.list_groups(workshop.id)
        assert [g.name for g in groups][-1] == "Model answer" and len(groups) == 4
        assert group is not None and group.id == groups[0].id
    finally:
        store.close()


@needs_demo
def test_demo_twice_is_harmless(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "fresh"
    assert run(capsys, "demo", "--data-dir", str(folder))[0] == EXIT_OK
    code, out, err = run(capsys, "demo", "--data-dir", str(folder))
    assert (code, err) == (EXIT_OK, "")
    store = open_store(folder)
    store.close()
    assert store.location in out
    assert demo_workshops(folder) == [DEMO_TITLE]


@needs_demo
def test_demo_in_a_fresh_process(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    for _ in range(2):
        result = run_module("demo", "--data-dir", str(folder), cwd=tmp_path)
        assert result.returncode == EXIT_OK, result.stderr
    assert demo_workshops(folder) == [DEMO_TITLE]


# -- report -------------------------------------------------------------------------------


@needs_pdf
def test_report_writes_a_pdf(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_pdf = tmp_path / "out" / "group-1.pdf"
    code, out, err = run(capsys, "report", "--data-dir", str(data_dir), "--workshop", WORKSHOP,
                         "--group", GROUP, "--lang", "es", "-o", str(out_pdf))
    assert (code, err) == (EXIT_OK, "")
    assert out.splitlines()[0] == str(out_pdf)
    assert "not included" in out  # the facilitator's feedback stays out unless released
    assert out_pdf.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out_pdf.parent.iterdir()] == [out_pdf.name]  # no temp files left


@needs_demo
@needs_pdf
def test_report_with_feedback_carries_the_facilitators_voice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    from rmdesk.services.facilitation import FacilitationService
    from rmdesk.services.workshops import WorkshopService
    from rmdesk.store.database import open_store

    folder = tmp_path / "fresh"
    assert run(capsys, "demo", "--data-dir", str(folder))[0] == EXIT_OK
    store = open_store(folder)
    workshops = WorkshopService(store)
    workshop = workshops.find_workshop(DEMO_TITLE)
    group = workshops.find_group(workshop.id, "Group 1")
    FacilitationService(store).set_feedback(group.id, "e4", "Name who escalates R7.")
    FacilitationService(store).set_score(group.id, "e4", 72)
    FacilitationService(store).set_overall_comment(group.id, "Ready for the director.")
    store.close()

    def text(*flags: str) -> tuple[str, str]:
        out_pdf = tmp_path / f"out{len(flags)}.pdf"
        code, out, _err = run(capsys, "report", "--data-dir", str(folder), "--workshop",
                              DEMO_TITLE, "--group", "Group 1", *flags, "-o", str(out_pdf))
        assert code == EXIT_OK
        return out, " ".join(" ".join((p.extract_text() or "").split())
                             for p in PdfReader(out_pdf).pages)

    said, released = text("--with-feedback")
    assert "are included" in said
    assert "Name who escalates R7." in released and "Score: 72/100" in released
    # The first page, for a director: top risks and the facilitator's comment.
    first = " ".join((PdfReader(tmp_path / "out1.pdf").pages[0].extract_text()).split())
    assert "Top risks" in first and "Ready for the director." in first
    said, kept = text("--without-feedback")
    assert "not included" in said
    assert "Name who escalates R7." not in kept and "Ready for the director." not in kept
    code, _out, err = run(capsys, "report", "--data-dir", str(folder), "--workshop",
                          DEMO_TITLE, "--group", "Group 9", "-o", str(tmp_path / "x.pdf"))
    assert code != EXIT_OK and "“Group 1”, “Group 2”, “Group 3”" in err


@needs_demo
@needs_pdf
def test_report_of_the_demo_workshop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "fresh"
    assert run(capsys, "demo", "--data-dir", str(folder))[0] == EXIT_OK
    out_pdf = tmp_path / "out.pdf"
    code, _out, err = run(capsys, "report", "--data-dir", str(folder), "--workshop", DEMO_TITLE,
                          "--group", "Group 1", "--lang", "es", "-o", str(out_pdf))
    assert (code, err) == (EXIT_OK, "")
    assert out_pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("option", "value"), [("--workshop", "Nonexistent workshop"), ("--group", "Group 99")]
)
def test_report_with_an_unknown_name_fails_with_a_message(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    names = {"--workshop": WORKSHOP, "--group": GROUP, option: value}
    out_pdf = tmp_path / "out.pdf"
    code, out, err = run(capsys, "report", "--data-dir", str(data_dir), "-o", str(out_pdf),
                         "--workshop", names["--workshop"], "--group", names["--group"])
    assert code == EXIT_USAGE
    assert out == ""
    assert value in err
    assert not out_pdf.exists()


def test_unknown_report_language_fails_and_lists_the_choices(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_pdf = tmp_path / "out.pdf"
    code, out, err = run(capsys, "report", "--data-dir", str(data_dir), "--workshop", WORKSHOP,
                         "--group", GROUP, "--lang", "de", "-o", str(out_pdf))
    assert code == EXIT_USAGE
    assert out == ""
    assert "de" in err
    assert all(lang in err for lang in ("en", "es", "pt_BR", "fr")), err
    assert not out_pdf.exists()


@pytest.mark.parametrize("exists", [
    pytest.param(True, marks=pytest.mark.sqlite_only("a folder with no store file in it")),
    False], ids=["empty-folder", "no-folder"])
def test_report_from_a_folder_without_a_store_fails_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], exists: bool
) -> None:
    folder = tmp_path / "not-the-data"
    if exists:
        folder.mkdir()
    code, out, err = run(capsys, "report", "--data-dir", str(folder), "--workshop", WORKSHOP,
                         "--group", GROUP, "-o", str(tmp_path / "out.pdf"))
    assert code == EXIT_USAGE
    assert out == ""
    assert str(folder) in err
    assert not (folder / STORE_FILENAME).exists()
    assert folder.exists() == exists


def test_report_failure_exit_code_from_a_fresh_process(data_dir: Path, tmp_path: Path) -> None:
    result = run_module("report", "--data-dir", str(data_dir), "--workshop", "Nonexistent",
                        "--group", GROUP, "-o", str(tmp_path / "out.pdf"), cwd=tmp_path)
    assert result.returncode == EXIT_USAGE
    assert "Nonexistent" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_interface_language_fails_before_any_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --exit-when-shown: should the check ever be skipped, the window closes at once and
    # the test fails on the exit code instead of waiting for a user.
    code, out, err = run(capsys, "--lang", "de", "--data-dir", str(tmp_path / "data"),
                         "--exit-when-shown")
    assert code == EXIT_USAGE
    assert out == ""
    assert all(lang in err for lang in ("de", "pt_BR", "fr")), err


# -- self-check ---------------------------------------------------------------------------


def test_self_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "self-check")
    assert "passed" in out
    assert code == EXIT_OK, out


# -- facilitator reset-pin ----------------------------------------------------------------


def _set_pin(folder: Path, pin: str = "4711") -> None:
    from rmdesk.services.roles import RolesService

    store = open_store(folder)
    try:
        RolesService(store).set_first_pin(pin, pin)
    finally:
        store.close()


def _has_pin(folder: Path) -> bool:
    from rmdesk.services.roles import RolesService

    store = open_store(folder)
    try:
        return RolesService(store).has_pin()
    finally:
        store.close()


def test_reset_pin_asks_first_and_no_keeps_the_pin(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_pin(data_dir)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    code, out, err = run(capsys, "facilitator", "reset-pin", "--data-dir", str(data_dir))
    assert code == 1 and "Nothing was changed" in err
    assert "removes the facilitator PIN" in out
    assert _has_pin(data_dir)


def test_reset_pin_without_a_terminal_is_not_confirmed(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_pin(data_dir)

    def no_answer(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", no_answer)
    code, _out, err = run(capsys, "facilitator", "reset-pin", "--data-dir", str(data_dir))
    assert code == 1 and "Nothing was changed" in err and _has_pin(data_dir)


def test_reset_pin_confirmed_clears_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_pin(data_dir)
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    code, out, err = run(capsys, "facilitator", "reset-pin", "--data-dir", str(data_dir))
    assert (code, err) == (EXIT_OK, "")
    assert "was removed" in out and "chooses a new PIN" in out
    assert not _has_pin(data_dir)
    code, out, _err = run(capsys, "facilitator", "reset-pin", "--yes",
                          "--data-dir", str(data_dir))
    assert code == EXIT_OK and "nothing to reset" in out


def test_reset_pin_yes_in_spanish(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _set_pin(data_dir)
    code, out, _err = run(capsys, "--lang", "es", "facilitator", "reset-pin", "--yes",
                          "--data-dir", str(data_dir))
    assert code == EXIT_OK and not _has_pin(data_dir)
    assert "PIN" in out and "removed" not in out


def test_reset_pin_needs_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "facilitator", "reset-pin", "--yes",
                          "--data-dir", str(tmp_path / "empty"))
    assert code == EXIT_USAGE and "no rmdesk store" in err
    assert not (tmp_path / "empty" / STORE_FILENAME).exists()
    code, _out, err = run(capsys, "facilitator", "reset-pin", "--lang", "xx", "--yes",
                          "--data-dir", str(tmp_path / "empty"))
    assert code == EXIT_USAGE and "xx" in err
