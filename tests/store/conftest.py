"""Fixtures shared by the store tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import sqlite_server_url


@pytest.fixture(params=["sqlite", "postgresql"])
def server_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A classroom server's URL on each engine: an SQLite file, then the throw-away
    PostgreSQL cluster (skipped where the checkout has none)."""
    if request.param == "sqlite":
        return sqlite_server_url(tmp_path / "server")
    try:
        request.getfixturevalue("pg_url")
    except pytest.FixtureLookupError:
        pytest.skip("no PostgreSQL test cluster (fixture pg_url) in this checkout")
    return request.getfixturevalue("pg_url")
