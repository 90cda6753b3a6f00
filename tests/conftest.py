"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Messages of the CLI and first start follow the system language: pin it, so the suite
# reads the same on a machine set to French.
os.environ["LANGUAGE"] = "en"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from rmdesk import i18n  # noqa: E402
from rmdesk.store.database import Store, open_store  # noqa: E402

# A throw-away PostgreSQL cluster (fixtures pg_cluster, pg_admin_url, pg_url), and the
# modules that run on both engines (tests/engines.py).
pytest_plugins = ["tests.pg_server", "tests.engines"]


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture
def store(tmp_path: Path, rmdesk_engine: str) -> Iterator[Store]:
    """A new store: the data folder's SQLite file, or (rmdesk_engine "postgresql") a new
    database on the test server."""
    s = open_store(tmp_path / "data")
    yield s
    s.close()
