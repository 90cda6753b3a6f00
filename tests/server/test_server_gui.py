"""The window on a server store: started with --database, as the facilitator and as a
group, it shows the workshop (a screenshot is taken of it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("psycopg")


def start(url: str, folder: Path, picture: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANGUAGE="en")
    return subprocess.run(
        [sys.executable, "-m", "rmdesk", "--database", url, "--data-dir", str(folder),
         "--screenshot", str(picture), "--size", "1366x768"],
        env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_window_opens_on_the_server_for_the_facilitator_and_a_group(
        pg_url: str, tmp_path: Path) -> None:
    from rmdesk.services import server_admin
    from rmdesk.services.demo import create_demo
    from rmdesk.store.database import open_store

    result = server_admin.init_server(pg_url)
    store = open_store(tmp_path / "admin", pg_url)
    try:
        workshop = create_demo(store)
        [group] = server_admin.add_group_roles(store, workshop.title, ["Group 2"])
    finally:
        store.close()
    assert result.facilitator_password
    urls = {"facilitator": server_admin.role_url(pg_url, result.facilitator_role,
                                                 result.facilitator_password),
            "group": server_admin.role_url(pg_url, group.role, group.password)}
    for who, url in urls.items():
        picture = tmp_path / f"{who}.png"
        run = start(url, tmp_path / who, picture)
        assert run.returncode == 0, run.stderr
        assert picture.stat().st_size > 10_000
        assert not (tmp_path / who / "rmdesk.sqlite3").exists()  # the server's store only
    # A server that is not there: a clear message and status 2, no traceback.
    down = urls["group"].rsplit(":", 1)[0] + ":1/" + pg_url.rsplit("/", 1)[1]
    run = start(down, tmp_path / "down", tmp_path / "down.png")
    assert run.returncode == 2 and "cannot be reached" in run.stderr
    assert "Traceback" not in run.stderr and group.password not in run.stderr
