"""What differs on Windows and can be checked on Linux (docs/packaging.md, "Windows
audit"): the language Windows reports, and a target file another program holds open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rmdesk import i18n
from rmdesk.errors import RmdeskError
from rmdesk.services.exchange.archive import write_atomically


@pytest.mark.parametrize(("name", "lang"), [
    ("Spanish_Spain", "es"), ("Spanish_Mexico", "es"), ("Portuguese_Brazil", "pt_BR"),
    ("French_France", "fr"), ("French_Canada", "fr"), ("English_United States", "en"),
    ("German_Germany", None), ("es-ES", "es"), ("pt-BR", "pt_BR"),
])
def test_windows_locale_names_map_to_shipped_languages(name: str, lang: str | None) -> None:
    assert i18n.normalize_language(name) == lang


def test_windows_display_language_is_used_when_the_environment_has_none(monkeypatch) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(i18n.sys, "platform", "win32")
    monkeypatch.setattr(i18n, "_windows_ui_language", lambda: "pt_BR")
    assert i18n.system_language() == "pt_BR"
    monkeypatch.setattr(i18n, "_windows_ui_language", lambda: "de_DE")
    assert i18n.system_language() is None  # not a shipped language: English


def test_a_kit_over_a_file_another_program_holds_open_fails_cleanly(
        tmp_path: Path, monkeypatch) -> None:
    """Windows refuses to replace a file open elsewhere (Explorer's preview, an
    antivirus): the old file stays whole, no .part file is left, the error says where."""
    target = tmp_path / "kit.rmdeskkit"
    target.write_bytes(b"the previous kit")

    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "The process cannot access the file because it is being "
                                  "used by another process", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(RmdeskError) as caught:
        write_atomically(target, b"the new kit")
    assert caught.value.code == "exchange_write_failed"
    assert str(target) in caught.value.render(lambda s: s)
    assert target.read_bytes() == b"the previous kit"
    assert [p.name for p in tmp_path.iterdir()] == ["kit.rmdeskkit"]
