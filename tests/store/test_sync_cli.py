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
