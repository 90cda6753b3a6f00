"""File > Import content pack: a valid pack is imported; a broken one is explained, every
problem with its line, in a window that scrolls; nothing is imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPlainTextEdit, QWidget
from tests.pack_files import ALL, pack_text, write_pack

from rmdesk.content.pack import EXERCISE_KINDS
from rmdesk.ui.pack_import import PackProblemsDialog, import_pack_dialog

VALID = pack_text("gui-pack", title='{ en = "Island case", es = "Caso isla", '
                                   'pt_BR = "Caso ilha", fr = "Cas de l\'île" }')


@pytest.fixture
def parent(qtbot, languages) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def chosen(monkeypatch: pytest.MonkeyPatch) -> dict:
    """The file the user picks in the (non-native) file dialog."""
    state: dict = {"path": "", "options": None}

    def fake_open(parent, title, start, filters, options=None):
        state["options"] = options
        state["title"] = title
        return state["path"], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    return state


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for kind in ("information", "warning"):
        def record(parent, title, text, *args, _kind=kind, **kwargs):
            seen.append((_kind, text))
            return QMessageBox.StandardButton.Ok

        monkeypatch.setattr(QMessageBox, kind, staticmethod(record))
    return seen


@pytest.fixture
def problem_windows(monkeypatch: pytest.MonkeyPatch) -> list[PackProblemsDialog]:
    shown: list[PackProblemsDialog] = []

    def fake_exec(self: PackProblemsDialog) -> int:
        shown.append(self)
        return 0

    monkeypatch.setattr(PackProblemsDialog, "exec", fake_exec)
    return shown


write = write_pack


def test_a_valid_pack_is_imported(parent, tmp_path: Path, chosen, boxes) -> None:
    data_dir = tmp_path / "data"
    chosen["path"] = str(write(tmp_path, VALID))
    info = import_pack_dialog(parent, data_dir)
    assert info is not None and (info.id, info.version) == ("gui-pack", "1.0")
    assert (data_dir / "packs" / "gui-pack-1.0.toml").read_text(encoding="utf-8") == VALID
    assert chosen["options"] & QFileDialog.Option.DontUseNativeDialog
    assert chosen["title"] == "Import content pack"
    assert boxes == [("information", "The content pack “Island case” (gui-pack, version 1.0) "
                                     "was imported. New workshops can use it.")]


def test_cancelling_the_file_dialog_does_nothing(parent, tmp_path: Path, chosen, boxes) -> None:
    assert import_pack_dialog(parent, tmp_path / "data") is None
    assert boxes == [] and not (tmp_path / "data").exists()


def test_a_broken_pack_shows_every_problem_and_imports_nothing(
        parent, tmp_path: Path, chosen, boxes, problem_windows, qtbot) -> None:
    broken = VALID.replace('kind = "register_analysis"', 'kind = "registr"\ncolour = "red"')
    broken = broken.replace('summary = ' + ALL, 'summary = { en = "E", es = "S" }')
    broken += "".join(f'\n[[indicators]]\nid = "I{i}"\n' for i in range(30))  # a long list
    path = write(tmp_path, broken)
    chosen["path"] = str(path)
    assert import_pack_dialog(parent, tmp_path / "data") is None
    assert not (tmp_path / "data" / "packs").exists()
    assert boxes == []
    (window,) = problem_windows
    qtbot.addWidget(window)
    text = window.problems.toPlainText().splitlines()
    assert text[:4] == [
        "line 9: case.summary: missing 'pt_BR' (the pack declares this language)",
        "line 9: case.summary: missing 'fr' (the pack declares this language)",
        'line 14: exercises[0].kind: unknown exercise kind "registr"; use one of: '
        + ", ".join(EXERCISE_KINDS),
        "line 15: exercises[0].colour: unknown key (not part of the content-pack format: "
        "check its spelling and the table it is in)",
    ]
    assert len(text) == 4 + 30 * 4  # each indicator lacks text, field, phase, relevant
    assert window.heading.text() == f"The content pack {path} has 124 problems:"
    assert "Nothing was imported" in window.hint.text()
    assert isinstance(window.problems, QPlainTextEdit) and window.problems.isReadOnly()
    window.show()
    qtbot.waitExposed(window)
    assert window.problems.verticalScrollBar().maximum() > 0  # it scrolls
    window.grab().save(str(tmp_path / "problems.png"))
    window.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    copied = QGuiApplication.clipboard().text()
    assert f"{path}:14: exercises[0].kind" in copied


def test_a_missing_file_is_explained(parent, tmp_path: Path, chosen, boxes,
                                     problem_windows, qtbot) -> None:
    chosen["path"] = str(tmp_path / "gone.toml")
    assert import_pack_dialog(parent, tmp_path / "data") is None
    (window,) = problem_windows
    qtbot.addWidget(window)
    assert "cannot be read" in window.heading.text()


def test_a_conflicting_version_is_refused_with_a_message(parent, tmp_path: Path, chosen,
                                                        boxes) -> None:
    data_dir = tmp_path / "data"
    assert import_pack_dialog(parent, data_dir, str(write(tmp_path, VALID))) is not None
    changed = write(tmp_path, VALID.replace("Island case", "Changed"), "changed.toml")
    assert import_pack_dialog(parent, data_dir, str(changed)) is None
    kind, text = boxes[-1]
    assert kind == "warning"
    assert text.startswith("Version 1.0 of the content pack “gui-pack” is already installed")
    assert "Island case" in (data_dir / "packs" / "gui-pack-1.0.toml").read_text(encoding="utf-8")


def test_importing_the_same_file_twice_says_so(parent, tmp_path: Path, chosen, boxes) -> None:
    path = str(write(tmp_path, VALID))
    import_pack_dialog(parent, tmp_path / "data", path)
    info = import_pack_dialog(parent, tmp_path / "data", path)
    assert info is not None
    assert "is already installed. Nothing changed." in boxes[-1][1]
