"""The right words for what goes wrong with the store: a full disk says the disk is full,
a damaged page says the file is damaged (and how to bring a backup back), a read that
fails never says a save failed. Faults are made for real where SQLite allows it (a page
limit makes SQLite itself report a full disk; flipped bytes damage a page of a copy)."""

from __future__ import annotations

import errno
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from rmdesk.app import EXIT_USAGE, main
from rmdesk.errors import RmdeskError
from rmdesk.paths import STORE_FILENAME
from rmdesk.services.demo import create_demo
from rmdesk.services.register import RegisterService
from rmdesk.services.settings import SettingsService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store import database
from rmdesk.store.database import Store, make_engine, open_store

LANGS = ("en", "es", "pt_BR", "fr")


def _demo(folder: Path) -> tuple[Path, str]:
    store = open_store(folder)
    try:
        workshop = create_demo(store)
    finally:
        store.close()
    return folder / STORE_FILENAME, workshop.title


def damage_table(path: Path, table: str) -> None:
    """Flip bytes in the root page of `table`: a damaged page, as a failing disk makes."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                              (table,)).fetchone()
    finally:
        con.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        page = bytearray(handle.read(page_size))
        for i in range(0, 200, 3):
            page[i] ^= 0xA5
        handle.seek((root - 1) * page_size)
        handle.write(page)


def disk_full_after(monkeypatch: pytest.MonkeyPatch, pages: int | None = None) -> None:
    """Every connection the store opens may grow its file to `pages` pages (its size
    when None): past that, SQLite reports SQLITE_FULL, 'database or disk is full'."""
    original = database._set_pragmas

    def limited(con: sqlite3.Connection, record: object) -> None:
        original(con, record)
        limit = pages or con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {max(1, limit)}")

    monkeypatch.setattr(database, "_set_pragmas", limited)


# -- a full disk --------------------------------------------------------------------------

def test_a_full_disk_at_the_first_start_says_the_disk_is_full(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk_full_after(monkeypatch, pages=2)
    with pytest.raises(RmdeskError) as caught:
        open_store(tmp_path / "data")
    assert caught.value.code == "store_disk_full"
    assert "full" in str(caught.value) and "damaged" not in str(caught.value)


def test_a_full_disk_at_start_up_is_named_on_the_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    disk_full_after(monkeypatch, pages=2)
    assert main(["demo", "--data-dir", str(tmp_path / "data")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "disk" in err and "full" in err and "damaged" not in err
    assert "Traceback" not in err


def test_no_room_for_the_data_folder_probe_says_the_disk_is_full(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", no_space)
    with pytest.raises(RmdeskError) as caught:
        open_store(tmp_path / "data")
    assert caught.value.code == "store_disk_full"


def test_a_disk_that_fills_up_while_working_says_so_and_keeps_the_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, title = _demo(tmp_path / "data")
    disk_full_after(monkeypatch)  # the file may not grow any more
    store = open_store(path.parent)
    try:
        group = WorkshopService(store).list_groups(
            WorkshopService(store).find_workshop(title).id)[0]
        register = RegisterService(store)
        before = len(register.list_risks(group.id))
        with pytest.raises(RmdeskError) as caught:
            for n in range(3000):  # until the page limit is reached
                register.add_risk(group.id, event=f"Risk {n} " + "x" * 200,
                                  cause="y" * 300, consequence="z" * 300)
        assert caught.value.code == "store_disk_full"
        for lang in LANGS:
            from rmdesk.i18n import gettext_for

            assert str(path) in caught.value.render(gettext_for(lang))
        assert len(register.list_risks(group.id)) >= before  # what was saved stays readable
    finally:
        store.close()


# -- a damaged file -----------------------------------------------------------------------

@pytest.mark.parametrize("table", ["risk", "exercise_work", "workshop", "setting"])
def test_a_damaged_page_is_found_at_open(tmp_path: Path, table: str) -> None:
    path, _title = _demo(tmp_path / "data")
    damage_table(path, table)
    before = path.read_bytes()
    with pytest.raises(RmdeskError) as caught:
        open_store(path.parent)
    assert caught.value.code == "store_damaged"
    assert "rmdesk restore" in str(caught.value)
    assert path.read_bytes() == before  # nothing was written to it


@pytest.mark.parametrize("argv", [
    ["report", "--workshop", "Demo workshop", "--group", "Group 1", "-o", "{out}/g.pdf"],
    ["report", "--workshop", "Demo workshop", "--consolidated", "-o", "{out}/all.pdf"],
    ["export", "--workshop", "Demo workshop", "--group", "Group 1", "-o", "{out}/w.rmdx"],
    ["export", "--workshop", "Demo workshop", "-o", "{out}/kit.rmdx"],
])
def test_commands_on_a_damaged_store_say_it_is_damaged(
        tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    path, _title = _demo(tmp_path / "data")
    damage_table(path, "risk")
    out = tmp_path / "out"
    out.mkdir()
    code = main([*(a.format(out=out) for a in argv), "--data-dir", str(path.parent)])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert "damaged" in err and "could not save" not in err.lower()
    assert "Traceback" not in err
    assert list(out.iterdir()) == []


def test_reading_a_damaged_page_says_damaged_not_that_a_save_failed(tmp_path: Path) -> None:
    """A page damaged after the store was opened (the quick check at open passed)."""
    path, title = _demo(tmp_path / "data")
    store = open_store(path.parent)
    group_id = WorkshopService(store).list_groups(
        WorkshopService(store).find_workshop(title).id)[0].id
    store.close()
    damage_table(path, "risk")
    damaged = Store(path, make_engine(path))  # as it was opened before the damage
    try:
        with pytest.raises(RmdeskError) as caught:
            RegisterService(damaged).list_risks(group_id)
        assert caught.value.code == "store_damaged"
        with pytest.raises(RmdeskError) as checked:
            damaged.check()  # what export runs first
        assert checked.value.code == "store_damaged"
    finally:
        damaged.close()


def test_a_read_that_fails_for_another_reason_is_a_failed_read(store: Store) -> None:
    error = database.store_error(sqlite3.OperationalError("disk I/O error"), store.path,
                                 writing=False)
    assert error.code == "store_read_failed"
    assert database.store_error(sqlite3.OperationalError("disk I/O error"), store.path,
                                writing=True).code == "store_write_failed"


def test_a_sound_store_passes_the_check(store: Store) -> None:
    SettingsService(store).set("ui.language", "fr")
    store.check()


def test_a_file_that_is_not_a_store_is_still_called_foreign(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / STORE_FILENAME).write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(RmdeskError) as caught:
        open_store(folder)
    assert caught.value.code == "store_corrupt"


def test_screenshot_with_an_unusable_store_exits_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No modal dialog waits for a click that never comes: status 2 and a message."""
    path, _title = _demo(tmp_path / "data")
    damage_table(path, "workshop")
    shot = tmp_path / "shot.png"
    assert main(["--data-dir", str(path.parent), "--screenshot", str(shot)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "damaged" in err
    assert not shot.exists()


def test_damage_test_helper_really_damages(tmp_path: Path) -> None:
    path, _title = _demo(tmp_path / "data")
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(path, copy)
    damage_table(copy, "risk")
    con = sqlite3.connect(copy)
    try:
        assert database.quick_check(con) is not None
    finally:
        con.close()
