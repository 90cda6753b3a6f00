"""Content packs: the built-in pack is complete in every language, and a broken pack is
refused with a message that names the file and what is wrong with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmdesk.content.pack import LocalizedText, builtin_pack, load_pack
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES

ALL = '{ en = "E", es = "S", pt_BR = "P", fr = "F" }'
VALID = f"""\
[pack]
id = "test-pack"
version = "1.0"
languages = ["en", "es", "pt_BR", "fr"]
title = {ALL}

[case]
title = {ALL}
summary = {ALL}
sections = []

[[exercises]]
id = "e2"
kind = "register_analysis"
title = {ALL}
instructions = {ALL}
"""


EXERCISE_TITLE = f'kind = "register_analysis"\ntitle = {ALL}'
EXERCISE_TITLE_WITHOUT_PT = 'kind = "register_analysis"\ntitle = { en = "E", es = "S", fr = "F" }'


def write(tmp_path: Path, text: str, name: str = "pack.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path, code: str = "pack_invalid") -> str:
    with pytest.raises(RmdeskError) as info:
        load_pack(path)
    assert info.value.code == code
    message = str(info.value)
    assert str(path) in message
    return message


def test_builtin_pack_loads_in_every_shipped_language() -> None:
    pack = builtin_pack()
    assert pack.pack.languages == list(LANGUAGES)
    assert pack.exercises


def test_every_builtin_text_is_written_in_every_language() -> None:
    texts = builtin_pack().texts()
    assert len(texts) > 10
    gaps = [
        f"{path}: {lang}"
        for path, text in texts
        for lang in LANGUAGES
        if not (getattr(text, lang) or "").strip()
    ]
    assert not gaps, "untranslated built-in texts:\n" + "\n".join(gaps)


def test_minimal_valid_pack_loads(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, VALID))
    assert pack.pack.id == "test-pack"
    assert pack.exercise("register_analysis") is not None
    assert pack.exercises[0].title.get("pt_BR") == "P"


def test_missing_declared_language_names_the_dotted_path(tmp_path: Path) -> None:
    text = VALID.replace(EXERCISE_TITLE, EXERCISE_TITLE_WITHOUT_PT)
    message = refused(write(tmp_path, text))
    assert "exercises[0].title: missing 'pt_BR'" in message


def test_undeclared_language_may_be_missing_and_falls_back_to_english(tmp_path: Path) -> None:
    text = VALID.replace('["en", "es", "pt_BR", "fr"]', '["en", "es", "fr"]').replace(
        EXERCISE_TITLE, EXERCISE_TITLE_WITHOUT_PT
    )
    pack = load_pack(write(tmp_path, text))
    assert pack.exercises[0].title.get("pt_BR") == "E"
    assert pack.exercises[0].title.get("es") == "S"


def test_unknown_key_is_named(tmp_path: Path) -> None:
    text = VALID.replace('kind = "register_analysis"', 'kind = "register_analysis"\ncolour = "red"')
    message = refused(write(tmp_path, text))
    assert "colour" in message
    assert "exercises" in message


def test_language_not_shipped_is_named(tmp_path: Path) -> None:
    text = VALID.replace('["en", "es", "pt_BR", "fr"]', '["en", "de"]')
    message = refused(write(tmp_path, text))
    assert "pack.languages" in message
    assert "de" in message


def test_pack_must_be_complete_in_english(tmp_path: Path) -> None:
    text = VALID.replace('["en", "es", "pt_BR", "fr"]', '["es", "fr"]')
    message = refused(write(tmp_path, text))
    assert "pack.languages" in message
    assert "'en'" in message


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = VALID.replace('version = "1.0"', 'version = "1.0')  # unterminated string, line 3
    message = refused(write(tmp_path, text))
    assert "line 3" in message


def test_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace('"E"', '"Évaluation"').encode("latin-1"))
    message = refused(path)
    assert "UTF-8" in message


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    refused(tmp_path / "nowhere.toml", code="pack_unreadable")


def test_several_faults_are_reported_at_once(tmp_path: Path) -> None:
    text = (
        VALID.replace('["en", "es", "pt_BR", "fr"]', '["en", "de"]')
        .replace('kind = "register_analysis"', 'kind = "register_analysis"\ncolour = "red"')
        .replace('id = "e2"\n', "")
    )
    message = refused(write(tmp_path, text))
    assert "de" in message
    assert "colour" in message
    assert "exercises[0].id" in message


def test_several_missing_translations_are_reported_at_once(tmp_path: Path) -> None:
    text = VALID.replace(f"summary = {ALL}", 'summary = { en = "E", pt_BR = "P", fr = "F" }')
    text = text.replace(f"instructions = {ALL}", 'instructions = { en = "E", es = "S" }')
    message = refused(write(tmp_path, text))
    for problem in (
        "case.summary: missing 'es'",
        "exercises[0].instructions: missing 'pt_BR'",
        "exercises[0].instructions: missing 'fr'",
    ):
        assert problem in message


def test_localized_text_falls_back_to_english() -> None:
    text = LocalizedText(en="Risk register", es="Registro de riesgos", fr="")
    assert text.get("es") == "Registro de riesgos"
    assert text.get("fr") == "Risk register"
    assert text.get("pt_BR") == "Risk register"
    assert text.get("de") == "Risk register"
    assert text.languages() == {"en", "es"}
