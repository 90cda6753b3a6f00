"""Rolling automatic backups and `rmdesk restore`: which copies are kept, that a copy holds
the edits still in the WAL, that restoring brings the work back and keeps the replaced
file, and that a restore never runs under an open rmdesk or from a damaged backup."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.store.test_store_faults import damage_table

from rmdesk.app import EXIT_OK, EXIT_USAGE, main
from rmdesk.errors import RmdeskError
from rmdesk.paths import STORE_FILENAME
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store import backups
from rmdesk.store.database import BACKUP_DIRNAME, open_store

T0 = dt.datetime(2026, 3, 9, 8, 30)


def titles(folder: Path) -> list[str]:
    store = open_store(folder)
    try:
        return sorted(w.title for w in WorkshopService(store).list_workshops())
    finally:
        store.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    store = open_store(folder)
    WorkshopService(store).create_workshop(WorkshopInput("Before"))
    store.close()
    return folder


def test_a_backup_holds_the_edits_still_in_the_wal(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        WorkshopService(store).create_workshop(WorkshopInput("Typed just now"))
        assert (data_dir / f"{STORE_FILENAME}-wal").stat().st_size > 0
        made = backups.rolling_backup(store.path, T0)  # while the store is open
    finally:
        store.close()
    assert made is not None and made.name == "rmdesk-auto-20260309-083000.sqlite3"
    con = sqlite3.connect(f"file:{made}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert sorted(r[0] for r in con.execute("SELECT title FROM workshop")) == [
            "Before", "Typed just now"]
    finally:
        con.close()
    assert not list((data_dir / BACKUP_DIRNAME).glob(".*"))  # no temporary file left


def test_two_starts_in_one_second_keep_both(data_dir: Path) -> None:
    first = backups.rolling_backup(data_dir / STORE_FILENAME, T0)
    second = backups.rolling_backup(data_dir / STORE_FILENAME, T0)
    assert first is not None and second is not None and first != second
    assert [b.path for b in backups.list_backups(data_dir)] == [second, first]


def test_a_laptop_left_running_gets_one_backup_a_day(data_dir: Path) -> None:
    store_path = data_dir / STORE_FILENAME
    assert backups.rolling_backup(store_path, T0) is not None  # the start
    assert backups.daily_backup(store_path, T0 + dt.timedelta(hours=5)) is None
    next_day = backups.daily_backup(store_path, T0 + dt.timedelta(hours=20))
    assert next_day is not None and "20260310" in next_day.name
    assert backups.daily_backup(store_path, T0 + dt.timedelta(hours=21)) is None


def test_a_backup_that_cannot_be_made_does_not_stop_the_start(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    open_store(folder).close()
    (folder / BACKUP_DIRNAME).write_text("a file where the folder should be")
    assert backups.rolling_backup(folder / STORE_FILENAME, T0) is None


# Start times over four weeks, with several starts on some days.
starts = st.lists(st.integers(min_value=0, max_value=28 * 24 * 60 - 1), min_size=1,
                  max_size=60, unique=True)


@settings(max_examples=40, deadline=None)
@given(minutes=starts)
def test_the_newest_few_and_one_a_day_are_kept(minutes: list[int], tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("data")
    (folder / BACKUP_DIRNAME).mkdir()
    upgrade = folder / BACKUP_DIRNAME / "rmdesk-0003_exercises-20260101-000000.sqlite3"
    upgrade.write_bytes(b"kept")
    made = []
    for minute in sorted(minutes):  # each start makes one and thins
        when = T0 + dt.timedelta(minutes=minute)
        path = folder / BACKUP_DIRNAME / f"rmdesk-auto-{when:%Y%m%d-%H%M%S}.sqlite3"
        path.write_bytes(b"x")
        made.append((when, path))
        backups.prune(folder)
    kept = {b.path for b in backups.list_backups(folder) if b.kind == backups.AUTO}
    newest_first = sorted(made, reverse=True)
    expected = {p for _w, p in newest_first[:backups.KEEP_RECENT]}
    days: dict[dt.date, Path] = {}
    for when, path in newest_first:
        days.setdefault(when.date(), path)
    expected |= {days[d] for d in sorted(days, reverse=True)[:backups.KEEP_DAYS]}
    # Thinning at every start keeps no more than thinning once at the end would.
    assert kept <= expected
    assert {p for _w, p in newest_first[:backups.KEEP_RECENT]} <= kept
    latest_days = sorted(days, reverse=True)[:backups.KEEP_DAYS]
    assert all(any(b.made.date() == d for b in backups.list_backups(folder)) for d in latest_days)
    assert upgrade.exists()  # backups before an upgrade are never thinned


def test_restore_brings_the_backup_back_and_keeps_the_replaced_file(data_dir: Path) -> None:
    made = backups.rolling_backup(data_dir / STORE_FILENAME, T0)
    assert made is not None
    store = open_store(data_dir)
    WorkshopService(store).create_workshop(WorkshopInput("After"))
    store.close()
    assert titles(data_dir) == ["After", "Before"]

    kept = backups.restore(data_dir, backups.find_backup(data_dir, made.name))

    assert titles(data_dir) == ["Before"]
    assert kept is not None and kept.name.startswith("rmdesk-before-restore-")
    assert titles_in(kept) == ["After", "Before"]
    assert not (data_dir / f"{STORE_FILENAME}-wal").exists() or \
        (data_dir / f"{STORE_FILENAME}-wal").stat().st_size == 0


def titles_in(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in con.execute("SELECT title FROM workshop"))
    finally:
        con.close()


def test_restore_replaces_a_damaged_store(data_dir: Path) -> None:
    backups.rolling_backup(data_dir / STORE_FILENAME, T0)
    damage_table(data_dir / STORE_FILENAME, "workshop")
    with pytest.raises(RmdeskError):
        open_store(data_dir)
    kept = backups.restore(data_dir, backups.find_backup(data_dir, None))
    assert titles(data_dir) == ["Before"]
    assert kept is not None and kept.exists()  # the damaged file, kept as it was


def test_restore_refuses_while_rmdesk_has_the_store_open(data_dir: Path) -> None:
    made = backups.rolling_backup(data_dir / STORE_FILENAME, T0)
    assert made is not None
    store = open_store(data_dir)
    try:
        WorkshopService(store).list_workshops()  # a connection held open, as the window does
        before = sorted(p.name for p in (data_dir / BACKUP_DIRNAME).iterdir())
        with pytest.raises(RmdeskError) as caught:
            backups.restore(data_dir, backups.find_backup(data_dir, made.name))
        assert caught.value.code == "restore_in_use"
        assert sorted(p.name for p in (data_dir / BACKUP_DIRNAME).iterdir()) == before
        assert [w.title for w in WorkshopService(store).list_workshops()] == ["Before"]
    finally:
        store.close()


def test_a_damaged_backup_is_refused_and_nothing_changes(data_dir: Path) -> None:
    made = backups.rolling_backup(data_dir / STORE_FILENAME, T0)
    assert made is not None
    damage_table(made, "workshop")
    before = (data_dir / STORE_FILENAME).read_bytes()
    with pytest.raises(RmdeskError) as caught:
        backups.restore(data_dir, backups.find_backup(data_dir, made.name))
    assert caught.value.code == "restore_backup_invalid"
    assert (data_dir / STORE_FILENAME).read_bytes() == before


def test_a_file_of_another_program_is_no_backup(data_dir: Path) -> None:
    fake = data_dir / BACKUP_DIRNAME / "rmdesk-auto-20260309-083000.sqlite3"
    fake.parent.mkdir(exist_ok=True)
    con = sqlite3.connect(fake)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(RmdeskError) as caught:
        backups.restore(data_dir, backups.find_backup(data_dir, fake.name))
    assert caught.value.code == "restore_backup_invalid"


# -- the command --------------------------------------------------------------------------

def test_restore_list_and_restore_on_the_command_line(
        data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["restore", "--list", "--data-dir", str(data_dir)]) == EXIT_OK
    assert "no backups" in capsys.readouterr().out
    made = backups.rolling_backup(data_dir / STORE_FILENAME, T0)
    assert made is not None
    store = open_store(data_dir)
    WorkshopService(store).create_workshop(WorkshopInput("After"))
    store.close()
    assert main(["restore", "--list", "--data-dir", str(data_dir)]) == EXIT_OK
    listing = capsys.readouterr().out
    assert made.name in listing and "2026-03-09 08:30:00" in listing

    monkeypatch.setattr("builtins.input", lambda _prompt: "no")
    assert main(["restore", made.name, "--data-dir", str(data_dir)]) == 1
    assert titles(data_dir) == ["After", "Before"]

    def no_terminal(_prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", no_terminal)
    assert main(["restore", "--data-dir", str(data_dir)]) == 1
    assert titles(data_dir) == ["After", "Before"]

    monkeypatch.setattr("builtins.input", lambda _prompt: "yes")
    assert main(["restore", made.name, "--data-dir", str(data_dir)]) == EXIT_OK
    assert titles(data_dir) == ["Before"]
    capsys.readouterr()
    assert main(["--lang", "es", "restore", "--yes", "missing.sqlite3",
                 "--data-dir", str(data_dir)]) == EXIT_USAGE
    assert "missing.sqlite3" in capsys.readouterr().err


def test_restore_in_a_folder_without_backups_fails_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["restore", "--yes", "--data-dir", str(tmp_path)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no backups" in err and "Traceback" not in err


def test_restore_after_a_migration_backup(data_dir: Path) -> None:
    """The copy made before a schema upgrade is listed and can be brought back too."""
    folder = data_dir / BACKUP_DIRNAME
    folder.mkdir(exist_ok=True)
    copy = folder / "rmdesk-0004_exchange-20260301-120000.sqlite3"
    shutil.copyfile(data_dir / STORE_FILENAME, copy)
    (backup,) = backups.list_backups(data_dir)
    assert backup.kind == "0004_exchange"
    backups.restore(data_dir, backup)
    assert titles(data_dir) == ["Before"]
