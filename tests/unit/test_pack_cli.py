"""`rmdesk pack validate` and `rmdesk pack schema`: exit codes and what is printed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.pack_files import pack_text, write_pack

from rmdesk import i18n
from rmdesk.app import main
from rmdesk.cli_pack import schema_text
from rmdesk.content.pack import BUILTIN_PACK_FILE, ContentPack
from rmdesk.paths import builtin_content_dir

VALID = pack_text("cli-pack", "2.1")
BROKEN = VALID.replace('kind = "register_analysis"', 'kind = "register"\ncolor = 1').replace(
    'title = { en = "E", es = "S", pt_BR = "P", fr = "F" }\n\n[case]',
    'title = { en = "E", fr = "F" }\n\n[case]')
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def write(tmp_path: Path, name: str, text: str) -> Path:
    return write_pack(tmp_path, text, name)


def test_validate_a_valid_pack_prints_a_summary(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "good.toml", VALID)
    assert main(["--lang", "en", "pack", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out == (f"{path}: valid. Pack “cli-pack” version 2.1; languages: en, es, pt_BR, fr; "
                   "1 exercise.\n")


def test_validate_lists_every_problem_one_per_line_and_fails(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "bad.toml", BROKEN)
    assert main(["pack", "--lang", "en", "validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{path}:5: pack.title: missing 'es' (the pack declares this language)",
        f"{path}:5: pack.title: missing 'pt_BR' (the pack declares this language)",
        f"{path}:14: exercises[0].kind: unknown exercise kind \"register\"; use one of: "
        "context_scan, register_analysis, evaluation, treatment, indicator_selection, profile, "
        "targeting, tuning, kpi_plan, regional_project, maturity, compliance_pyramid, "
        "passenger_targeting",
        f"{path}:15: exercises[0].color: unknown key (not part of the content-pack format: "
        "check its spelling and the table it is in)",
        f"{path}: not valid, 4 problems.",
    ]


def test_validate_several_files_fails_if_any_fails(tmp_path: Path, capsys) -> None:
    good = write(tmp_path, "good.toml", VALID)
    missing = tmp_path / "missing.toml"
    assert main(["--lang", "en", "pack", "validate", str(good), str(missing)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{good}: valid.")
    assert out[1].startswith(f"{missing}: cannot be read: ")
    assert out[2] == f"{missing}: not valid, 1 problem."


def test_validate_the_builtin_pack(capsys) -> None:
    assert main(["pack", "validate", str(builtin_content_dir() / BUILTIN_PACK_FILE)]) == 0


def test_messages_follow_lang(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, "bad.toml", BROKEN)
    assert main(["--lang", "es", "pack", "validate", str(path)]) == 1
    assert i18n.current_language() == "es"
    assert f"{path}:5: pack.title:" in capsys.readouterr().out


def test_unknown_language_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["pack", "--lang", "de", "validate", str(tmp_path / "x.toml")]) == 2
    assert "de" in capsys.readouterr().err


def test_a_pack_command_is_required(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["pack"])
    assert info.value.code == 2


def test_schema_to_stdout_and_to_a_file(tmp_path: Path, capsys) -> None:
    assert main(["pack", "schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "rmdesk content pack"
    assert printed["additionalProperties"] is False
    kinds = printed["$defs"]["Exercise"]["properties"]["kind"]["enum"]
    assert "maturity" in kinds and "evaluation" in kinds
    out = tmp_path / "schema.json"
    assert main(["pack", "schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == printed
    assert capsys.readouterr().out.strip() == str(out)


def test_schema_to_an_unwritable_place_fails_clearly(tmp_path: Path, capsys) -> None:
    assert main(["--lang", "en", "pack", "schema", "-o", str(tmp_path / "no" / "s.json")]) == 2
    assert "The schema could not be written to" in capsys.readouterr().err


def test_committed_schema_is_up_to_date() -> None:
    committed = (REPO / "docs" / "content-pack.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "docs/content-pack.schema.json is stale: run "
        "`rmdesk pack schema -o docs/content-pack.schema.json`")


def test_schema_matches_the_model() -> None:
    schema = json.loads(schema_text())
    assert set(schema["properties"]) == set(ContentPack.model_fields)
    assert schema["required"] == ["pack", "case", "exercises"]
