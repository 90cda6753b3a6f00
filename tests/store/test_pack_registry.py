"""Importing content packs into the data folder, listing them, and which pack a workshop
uses: a newer version is kept beside the older one and existing work keeps its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests import pack_files

from rmdesk import i18n
from rmdesk.app import main
from rmdesk.content.pack import BUILTIN_PACK_FILE, builtin_pack
from rmdesk.content.problems import PackError
from rmdesk.errors import RmdeskError
from rmdesk.paths import builtin_content_dir
from rmdesk.services import packs as packs_module
from rmdesk.services.packs import PackRegistry, version_key
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import open_store


def pack_text(version: str = "1.0", title: str = "Harbour case", pack_id: str = "harbour",
              exercise_id: str = "e2") -> str:
    return pack_files.pack_text(pack_id, version,
                                f'{{ en = "{title}", es = "S", pt_BR = "P", fr = "F" }}',
                                exercise_id)


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def registry(data_dir: Path) -> PackRegistry:
    return PackRegistry(data_dir)


source = pack_files.write_pack


def folder_files(registry: PackRegistry) -> list[str]:
    folder = registry.packs_dir
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_empty_data_folder_lists_the_builtin_pack(registry: PackRegistry) -> None:
    (info,) = registry.list_packs()
    assert info.builtin and info.id == builtin_pack().pack.id
    assert info.languages == ("en", "es", "pt_BR", "fr")


def test_import_copies_the_exact_file_as_id_version(registry: PackRegistry,
                                                   tmp_path: Path) -> None:
    text = pack_text() + "# a comment the facilitator wrote\n"
    result = registry.import_pack(source(tmp_path, text))
    assert result.added
    assert result.info.path == registry.packs_dir / "harbour-1.0.toml"
    assert result.info.path.read_text(encoding="utf-8") == text
    assert folder_files(registry) == ["harbour-1.0.toml"]  # no temporary file left
    assert [(i.id, i.version, i.builtin) for i in registry.list_packs()][1:] == [
        ("harbour", "1.0", False)]


def test_importing_the_same_file_again_changes_nothing(registry: PackRegistry,
                                                      tmp_path: Path) -> None:
    registry.import_pack(source(tmp_path, pack_text()))
    again = registry.import_pack(source(tmp_path, pack_text(), "copy.toml"))
    assert not again.added
    assert folder_files(registry) == ["harbour-1.0.toml"]


def test_same_version_with_other_content_is_refused(registry: PackRegistry,
                                                   tmp_path: Path) -> None:
    registry.import_pack(source(tmp_path, pack_text()))
    with pytest.raises(RmdeskError) as info:
        registry.import_pack(source(tmp_path, pack_text(title="Changed"), "changed.toml"))
    assert info.value.code == "pack_version_exists"
    message = str(info.value)
    assert "“harbour”" in message and "1.0" in message and "new version number" in message
    assert folder_files(registry) == ["harbour-1.0.toml"]
    assert "Harbour case" in (registry.packs_dir / "harbour-1.0.toml").read_text(encoding="utf-8")


def test_a_newer_version_is_kept_beside_the_older(registry: PackRegistry,
                                                 tmp_path: Path) -> None:
    registry.import_pack(source(tmp_path, pack_text("1.10", "Newest"), "b.toml"))
    registry.import_pack(source(tmp_path, pack_text("1.9", "Older"), "a.toml"))
    assert folder_files(registry) == ["harbour-1.10.toml", "harbour-1.9.toml"]
    listed = [(i.id, i.version) for i in registry.list_packs() if not i.builtin]
    assert listed == [("harbour", "1.9"), ("harbour", "1.10")]
    assert registry.load("harbour", "1.9").pack.title.en == "Older"
    assert registry.load("harbour", "1.10").pack.title.en == "Newest"


def test_a_broken_pack_imports_nothing(registry: PackRegistry, tmp_path: Path) -> None:
    broken = pack_text().replace('kind = "register_analysis"', 'kind = "nope"')
    with pytest.raises(PackError) as info:
        registry.import_pack(source(tmp_path, broken))
    assert [(p.line, p.path) for p in info.value.problems] == [(14, "exercises[0].kind")]
    assert folder_files(registry) == []


def test_a_missing_file_imports_nothing(registry: PackRegistry, tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        registry.import_pack(tmp_path / "gone.toml")
    assert info.value.code == "pack_unreadable"
    assert folder_files(registry) == []


def test_a_failed_write_leaves_nothing_behind(registry: PackRegistry, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(packs_module.os, "fsync", full_disk)
    with pytest.raises(RmdeskError) as info:
        registry.import_pack(source(tmp_path, pack_text()))
    assert info.value.code == "pack_import_failed"
    assert "No space left on device" in str(info.value)
    assert folder_files(registry) == []


def test_the_builtin_pack_itself_is_already_installed(registry: PackRegistry) -> None:
    result = registry.import_pack(builtin_content_dir() / BUILTIN_PACK_FILE)
    assert not result.added and result.info.builtin
    assert folder_files(registry) == []


def test_a_changed_copy_of_the_builtin_pack_needs_a_new_version(registry: PackRegistry,
                                                               tmp_path: Path) -> None:
    text = (builtin_content_dir() / BUILTIN_PACK_FILE).read_text(encoding="utf-8")
    changed = source(tmp_path, text + "\n# my edits\n")
    with pytest.raises(RmdeskError) as info:
        registry.import_pack(changed)
    assert info.value.code == "pack_version_exists"
    version = builtin_pack().pack.version
    bumped = source(tmp_path, text.replace(f'version = "{version}"', 'version = "99.0"', 1),
                    "bumped.toml")
    assert registry.import_pack(bumped).added


def test_a_hand_broken_file_in_packs_is_skipped_and_reported(registry: PackRegistry,
                                                            tmp_path: Path) -> None:
    registry.import_pack(source(tmp_path, pack_text()))
    registry.packs_dir.joinpath("edited-9.toml").write_text("[pack\n", encoding="utf-8")
    errors: list[PackError] = []
    listed = [(i.id, i.version) for i in registry.list_packs(errors)]
    assert listed[1:] == [("harbour", "1.0")]
    assert [e.problems[0].line for e in errors] == [1]


# -- which pack a workshop uses ---------------------------------------------------------------

def test_a_workshop_keeps_its_version_after_a_newer_one_is_imported(data_dir: Path,
                                                                    tmp_path: Path) -> None:
    registry = PackRegistry(data_dir)
    first = registry.import_pack(source(tmp_path, pack_text("1.0", "First"), "v1.toml")).info
    store = open_store(data_dir)
    try:
        workshops = WorkshopService(store)
        workshop = workshops.create_workshop(WorkshopInput("Regional"), first.id, first.version)
        registry = PackRegistry.for_store(store)
        registry.import_pack(source(tmp_path, pack_text("2.0", "Second", exercise_id="x"),
                                    "v2.toml"))
        reloaded = workshops.get_workshop(workshop.id)
        resolved = registry.resolve_for_workshop(reloaded)
        assert resolved.warning is None
        assert resolved.pack.pack.version == "1.0"
        assert registry.pack_for_workshop(reloaded).pack.title.en == "First"
        assert [e.id for e in registry.pack_for_workshop(reloaded).exercises] == ["e2"]
    finally:
        store.close()


def test_a_workshop_without_a_recorded_pack_uses_the_builtin(registry: PackRegistry) -> None:
    resolved = registry.resolve("", "")
    assert resolved.pack is builtin_pack() and resolved.warning is None


def test_a_missing_version_falls_back_to_the_newest_of_the_same_pack(
        registry: PackRegistry, tmp_path: Path) -> None:
    registry.import_pack(source(tmp_path, pack_text("1.2"), "a.toml"))
    registry.import_pack(source(tmp_path, pack_text("1.3"), "b.toml"))
    resolved = registry.resolve("harbour", "1.0")
    assert resolved.pack.pack.version == "1.3"
    assert resolved.warning is not None and resolved.warning.code == "pack_missing"
    assert str(resolved.warning) == (
        "The content pack “harbour” version 1.0 used by this workshop is not installed; "
        "showing “harbour” version 1.3 instead.")


def test_a_missing_pack_falls_back_to_the_builtin_with_a_warning(
        registry: PackRegistry) -> None:
    resolved = registry.resolve("elsewhere", "3.0")
    assert resolved.pack is builtin_pack()
    assert resolved.info.builtin
    assert resolved.warning is not None and "“elsewhere” version 3.0" in str(resolved.warning)


def test_version_order() -> None:
    versions = ["1.10", "1.9", "1.0", "2.0", "1.9.1", "0.9-beta"]
    assert sorted(versions, key=version_key) == ["0.9-beta", "1.0", "1.9", "1.9.1", "1.10", "2.0"]


# -- the command line --------------------------------------------------------------------------

def test_cli_import_then_list(data_dir: Path, tmp_path: Path, capsys) -> None:
    path = source(tmp_path, pack_text())
    args = ["--lang", "en", "pack", "import", "--data-dir", str(data_dir), str(path)]
    assert main(args) == 0
    target = data_dir / "packs" / "harbour-1.0.toml"
    assert capsys.readouterr().out == (
        f"Imported content pack “harbour” version 1.0 to {target}.\n")
    assert main(args) == 0
    assert "is already installed" in capsys.readouterr().out

    assert main(["--lang", "en", "pack", "list", "--data-dir", str(data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "VERSION", "LANGUAGES", "EXERCISES", "TITLE"]
    assert lines[1].split()[:2] == [builtin_pack().pack.id, builtin_pack().pack.version]
    assert lines[1].endswith("(built-in)")
    assert lines[2].split()[:7] == ["harbour", "1.0", "en", "es", "pt_BR", "fr", "1"]
    assert lines[2].endswith(f"Harbour case ({target})")


def test_cli_refuses_a_conflicting_import(data_dir: Path, tmp_path: Path, capsys) -> None:
    main(["pack", "import", "--data-dir", str(data_dir), str(source(tmp_path, pack_text()))])
    capsys.readouterr()
    changed = source(tmp_path, pack_text(title="Other"), "other.toml")
    assert main(["--lang", "en", "pack", "import", "--data-dir", str(data_dir),
                 str(changed)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rmdesk: error: Version 1.0 of the content pack “harbour” is "
                          "already installed, with different content.")


def test_cli_refuses_a_broken_pack_listing_every_problem(data_dir: Path, tmp_path: Path,
                                                        capsys) -> None:
    broken = pack_text().replace('kind = "register_analysis"', 'kind = "nope"\ncolour = 1')
    path = source(tmp_path, broken)
    assert main(["--lang", "en", "pack", "import", "--data-dir", str(data_dir), str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"rmdesk: error: The content pack {path} is not valid:"
    assert err[1].startswith(f"  {path}:14: exercises[0].kind: unknown exercise kind")
    assert err[2].startswith(f"  {path}:15: exercises[0].colour: unknown key")
    assert not (data_dir / "packs").exists()
