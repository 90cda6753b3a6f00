"""`rmdesk sync` on the command line, against an SQLite file standing in for the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import risks, set_up_laptop, setup_classroom, sqlite_server_url

from rmdesk.app import main
from rmdesk.services.settings import SettingsService
from rmdesk.services.sync import SERVER_URL


@pytest.fixture
def classroom(tmp_path: Path):
    room = setup_classroom(sqlite_server_url(tmp_path / "server"), tmp_path / "facilitator")
    laptop = set_up_laptop(room, tmp_path / "laptop", room.groups[0])
    yield room, laptop
    laptop.store.close()
    room.server.close()


def test_sync_once_sends_the_work_and_remembers_the_server(classroom, tmp_path: Path,
                                                           capsys) -> None:
    room, laptop = classroom
    laptop.register.add_risk(laptop.group_id, event="Undervalued footwear")
    argv = ["sync", "--data-dir", str(tmp_path / "laptop"), "--lang", "es"]
    assert main([*argv, "--database", room.url, "--once"]) == 0
    out = capsys.readouterr().out
    assert "Sincronizado con" in out and "enviados 1" in out  # the round, in Spanish
    assert [r["event"] for r in risks(room.server, laptop.group_id).values()] == [
        "Undervalued footwear"]
    assert SettingsService(laptop.store).get(SERVER_URL) == room.url
    assert main(argv) == 0  # the remembered server
    assert "enviados 0" in capsys.readouterr().out


def test_sync_says_why_it_cannot(classroom, tmp_path: Path, capsys) -> None:
    _room, _laptop = classroom
    argv = ["sync", "--data-dir", str(tmp_path / "laptop")]
    assert main(argv) == 2  # no server yet
    assert "No classroom server is set" in capsys.readouterr().err
    assert main([*argv, "--database", "http://example.org"]) == 2
    assert "is not a classroom server address" in capsys.readouterr().err
    assert main([*argv, "--database", "postgresql://u:pw@127.0.0.1:9/x"]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "pw" not in err.replace("postgresql", "")
    assert main(["sync", "--data-dir", str(tmp_path / "nowhere"), "--database",
                 "postgresql://u@h/x"]) == 2


def test_the_interval_is_checked_remembered_and_used_by_the_loop(
        classroom, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from rmdesk.services.sync import SYNC_INTERVAL, sync_interval

    room, laptop = classroom
    argv = ["sync", "--data-dir", str(tmp_path / "laptop"), "--database", room.url]
    settings = SettingsService(laptop.store)
    for bad in ("1", "61", "0", "2.5", "often"):
        assert main([*argv, "--interval", bad, "--lang", "fr"]) == 2
        err = capsys.readouterr().err
        assert "de 2 à 60" in err and bad in err, err  # in words, in French
        assert settings.get(SYNC_INTERVAL) is None and settings.get(SERVER_URL) is None
    assert main([*argv, "--every", "90"]) == 2
    assert "from 2 to 60" in capsys.readouterr().err
    assert main([*argv, "--interval", "5", "--once"]) == 0
    assert "Synced with" in capsys.readouterr().out
    assert sync_interval(laptop.store) == 5 and settings.get(SERVER_URL) == room.url
    # --every without a value: rounds at the laptop's interval, until interrupted.
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            SettingsService(laptop.store).set(SYNC_INTERVAL, "7")  # the app changes it
        if len(waits) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr("rmdesk.cli_sync.sleep", sleep)
    monkeypatch.setattr("rmdesk.cli_sync.monotonic", lambda: 100.0)  # rounds take no time
    assert main(["sync", "--data-dir", str(tmp_path / "laptop"), "--every"]) == 0
    assert waits == [5, 5, 7]
    out = capsys.readouterr().out
    assert out.count("Synced with") == 3
    waits.clear()
    assert main(["sync", "--data-dir", str(tmp_path / "laptop"), "--every", "3"]) == 0
    assert waits == [3, 3, 3]  # this run's own; the laptop's setting stays
    assert sync_interval(laptop.store) == 7


def test_without_the_driver_sync_says_so_in_words(classroom, tmp_path: Path, capsys,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    argv = ["sync", "--data-dir", str(tmp_path / "laptop"), "--lang", "es", "--database",
            "postgresql://group1:secret@127.0.0.1:9/rmdesk", "--once"]
    assert main(argv) == 2  # a setting that cannot be used, not "try again later"
    err = capsys.readouterr().err
    assert "controlador de PostgreSQL" in err and ".[server]" in err
    assert "Traceback" not in err
