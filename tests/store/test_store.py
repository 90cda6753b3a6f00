"""The SQLite store: opening, PRAGMAs, refusing damaged or newer files, migrations and
backups. Real files only."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from rmdesk.errors import RmdeskError
from rmdesk.paths import STORE_FILENAME
from rmdesk.services.settings import SettingsService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store import database
from rmdesk.store.database import (
    BACKUP_DIRNAME,
    HEAD_REVISION,
    KNOWN_REVISIONS,
    Store,
    backup_file,
    open_store,
)
from rmdesk.store.migrate import head_revision


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def opened() -> Iterator[list[Store]]:
    """Stores a test opens itself; closed at the end even if the test fails."""
    stores: list[Store] = []
    yield stores
    for store in stores:
        store.close()


def reopen(data_dir: Path, opened: list[Store]) -> Store:
    store = open_store(data_dir)
    opened.append(store)
    return store


def refused(data_dir: Path, code: str) -> RmdeskError:
    with pytest.raises(RmdeskError) as info:
        open_store(data_dir).close()
    assert info.value.code == code, str(info.value)
    return info.value


def stamp(path: Path, revision: str) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        con.commit()
    finally:
        con.close()


@pytest.mark.sqlite_only("the file's PRAGMAs")
def test_open_store_creates_the_file_with_wal_and_foreign_keys(
    data_dir: Path, opened: list[Store]
) -> None:
    store = reopen(data_dir, opened)
    assert store.path == data_dir / STORE_FILENAME
    assert store.path.is_file()
    with store.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        version = con.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == HEAD_REVISION


@pytest.mark.sqlite_only("the store file in new folders")
def test_open_store_creates_missing_parent_folders(tmp_path: Path, opened: list[Store]) -> None:
    store = reopen(tmp_path / "a" / "b" / "data", opened)
    assert store.path.is_file()


def test_reopening_keeps_the_data(data_dir: Path, opened: list[Store]) -> None:
    store = reopen(data_dir, opened)
    workshop = WorkshopService(store).create_workshop(WorkshopInput("Almira 2026"))
    SettingsService(store).set("ui.language", "fr")
    store.close()
    again = reopen(data_dir, opened)
    assert [w.id for w in WorkshopService(again).list_workshops()] == [workshop.id]
    assert SettingsService(again).get("ui.language") == "fr"
    assert not (data_dir / BACKUP_DIRNAME).exists()  # a current file needs no backup


def test_data_dir_that_is_a_file_is_unusable(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    error = refused(blocker, "data_dir_unusable")
    assert str(blocker) in str(error)
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod cannot make a folder read-only for root",
)
@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_read_only_data_dir_is_unusable(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        error = refused(folder, "data_dir_unusable")
    finally:
        folder.chmod(0o755)
    assert str(folder) in str(error)


@pytest.mark.sqlite_only("a damaged file")
def test_corrupt_file_is_refused_and_left_untouched(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / STORE_FILENAME
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    error = refused(data_dir, "store_corrupt")
    assert str(path) in str(error)
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in data_dir.iterdir()) == [STORE_FILENAME]


@pytest.mark.sqlite_only("another program's SQLite file")
def test_sqlite_file_of_another_program_is_refused(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / STORE_FILENAME
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    refused(data_dir, "store_corrupt")
    assert path.read_bytes() == before


@pytest.mark.sqlite_only("edits the file by hand (tests/server has the server's case)")
def test_store_with_tables_but_no_schema_version_is_refused(
    data_dir: Path, opened: list[Store]
) -> None:
    store = reopen(data_dir, opened)
    WorkshopService(store).create_workshop(WorkshopInput("Almira 2026"))
    store.close()
    con = sqlite3.connect(store.path)
    con.execute("DELETE FROM alembic_version")
    con.commit()
    con.close()
    # What an interrupted first migration leaves behind. It is not a new file (it has tables
    # and a workshop), so it must not be "migrated from scratch" into a crash.
    refused(data_dir, "store_corrupt")


@pytest.mark.sqlite_only("edits the file by hand (tests/server has the server's case)")
def test_store_from_a_newer_version_is_refused(data_dir: Path, opened: list[Store]) -> None:
    store = reopen(data_dir, opened)
    store.close()
    stamp(store.path, "9999_future")
    error = refused(data_dir, "store_too_new")
    assert error.params["revision"] == "9999_future"
    assert str(store.path) in str(error)


def test_head_revision_matches_the_migrations() -> None:
    assert HEAD_REVISION == head_revision()
    assert KNOWN_REVISIONS[-1] == HEAD_REVISION


def test_models_match_the_migrations(data_dir: Path, opened: list[Store]) -> None:
    store = reopen(data_dir, opened)
    with store.engine.connect() as con:
        context = MigrationContext.configure(
            con, opts={"compare_type": True, "compare_server_default": True,
                       # the server's own table of roles (0006_server, PostgreSQL only)
                       "include_name": lambda name, kind, _parent: name != "server_role"}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], "models and migrations differ; write a migration:\n" + "\n".join(
        map(str, differences)
    )


@pytest.mark.sqlite_only("backups are file copies (a server is upgraded by rmdesk server init)")
def test_older_file_is_backed_up_before_upgrading(
    data_dir: Path, opened: list[Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = reopen(data_dir, opened)
    workshop = WorkshopService(store).create_workshop(WorkshopInput("Almira 2026"))
    store.close()
    # This build pretends its schema is one step ahead of the file's.
    monkeypatch.setattr(database, "HEAD_REVISION", "0002_next")
    monkeypatch.setattr(database, "KNOWN_REVISIONS", (*KNOWN_REVISIONS, "0002_next"))
    upgraded = reopen(data_dir, opened)

    backups = list((data_dir / BACKUP_DIRNAME).iterdir())
    assert len(backups) == 1
    assert HEAD_REVISION in backups[0].name
    con = sqlite3.connect(f"file:{backups[0]}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT id, title FROM workshop").fetchall()
        version = con.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        con.close()
    assert rows == [(workshop.id, "Almira 2026")]
    assert version == (HEAD_REVISION,)
    assert [w.title for w in WorkshopService(upgraded).list_workshops()] == ["Almira 2026"]


@pytest.mark.sqlite_only("the WAL and file backups")
def test_backup_includes_changes_still_in_the_wal(store: Store) -> None:
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(WorkshopInput("Almira 2026"))
    workshops.add_group(workshop.id, "Group 1")
    wal = store.path.with_name(store.path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the edits are not checkpointed yet

    target = backup_file(store.path, HEAD_REVISION)

    assert target.parent == store.path.parent / BACKUP_DIRNAME
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT title FROM workshop").fetchall() == [("Almira 2026",)]
        assert con.execute("SELECT name FROM work_group").fetchall() == [("Group 1",)]
    finally:
        con.close()


@pytest.mark.sqlite_only("makes the file read-only")
def test_failed_write_is_reported_as_a_store_error(store: Store) -> None:
    """Another program holds the write lock: the user gets 'could not save', not a crash."""
    settings = SettingsService(store)
    blocker = sqlite3.connect(store.path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(RmdeskError) as info:
            settings.set("ui.language", "es")  # waits out busy_timeout (5 s), then fails
        assert info.value.code == "store_write_failed"
        assert str(store.path) in str(info.value)
    finally:
        blocker.rollback()
        blocker.close()
    settings.set("ui.language", "es")
    assert settings.get("ui.language") == "es"
