"""Where rmdesk keeps its data: user folder, --data-dir, or beside itself (portable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmdesk import paths


def test_portable_marker_keeps_data_beside_the_program(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(paths, "portable_marker_dir", lambda: tmp_path)
    monkeypatch.delenv("RMDESK_DATA_DIR", raising=False)
    assert paths.default_data_dir() != tmp_path / "rmdesk-data"
    (tmp_path / "portable").touch()
    assert paths.default_data_dir() == tmp_path / "rmdesk-data"


def test_user_data_folder_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "portable_marker_dir", lambda: tmp_path)
    monkeypatch.delenv("RMDESK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.default_data_dir() == tmp_path / "xdg" / "rmdesk"


def test_resources_are_found() -> None:
    assert (paths.fonts_dir() / "DejaVuSans.ttf").is_file()
    assert (paths.builtin_content_dir() / "builtin-practice.toml").is_file()


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANGUAGE": "pt_BR:pt", "LANG": "en_US.UTF-8"}, "pt_BR"),
    ({"LC_ALL": "es_AR.UTF-8"}, "es"),
    ({"LANG": "de_DE.UTF-8"}, None),
])
def test_first_start_follows_the_system_language(monkeypatch, env, expected) -> None:
    from rmdesk import i18n

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.system_language() == expected
