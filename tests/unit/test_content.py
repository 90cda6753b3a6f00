"""Content packs: the built-in pack is complete in every language, and a broken pack is
refused with a message that names the file and what is wrong with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.pack_files import ALL, pack_text, write_pack

from rmdesk.content.pack import EXERCISE_KINDS, LocalizedText, builtin_pack, load_pack
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES

VALID = pack_text()


EXERCISE_TITLE = f'kind = "register_analysis"\ntitle = {ALL}'
EXERCISE_TITLE_WITHOUT_PT = 'kind = "register_analysis"\ntitle = { en = "E", es = "S", fr = "F" }'


write = write_pack


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


def test_builtin_case_runs_through_every_exercise_in_workshop_order() -> None:
    exercises = builtin_pack().exercises
    assert [e.kind for e in exercises] == list(EXERCISE_KINDS)
    assert [e.id for e in exercises] == [
        "e1", "e2e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11", "e12",
        "e13", "e14", "e15", "e16",
    ]
    for exercise in exercises:
        assert exercise.model_answer is not None, exercise.id
        assert exercise.facilitator_notes is not None, exercise.id
        assert exercise.tips, exercise.id


def test_builtin_exercises_carry_their_parameters() -> None:
    pack = builtin_pack()
    evaluation = pack.exercise("evaluation")
    assert evaluation is not None and evaluation.appetite is not None
    assert 1 <= evaluation.appetite.max_accepted_score <= 25
    project = pack.exercise("regional_project")
    assert project is not None and 5 <= len(project.milestone_templates) <= 8
    maturity = pack.exercise("maturity")
    assert maturity is not None and len(maturity.dimensions) >= 5
    ids = [d.id for d in maturity.dimensions]
    assert len(set(ids)) == len(ids)
    assert all(len(d.levels) == 5 for d in maturity.dimensions)


def test_builtin_french_puts_no_break_spaces_where_typography_asks() -> None:
    # A plain space before : ; ! ? % » or after « lets a line break strand the sign.
    plain = re.compile(r" [:;!?%»]|« ")
    faults = [
        f"{path}: …{text.fr[max(m.start() - 20, 0):m.end() + 5]}…"
        for path, text in builtin_pack().texts()
        if text.fr
        for m in plain.finditer(text.fr)
    ]
    assert not faults, "French typography:\n" + "\n".join(faults)


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
