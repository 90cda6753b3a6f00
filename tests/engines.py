"""Run whole test modules on both engines: the SQLite file and a PostgreSQL server.

A module listed in BOTH_ENGINES runs every test twice, with the parameter
`rmdesk_engine` = "sqlite" and "postgresql". Under "postgresql" each data folder a test
opens a store in stands for its own database on the throw-away cluster (tests/pg_server):
the first open_store of a folder gets a new database, copied from a template that
`rmdesk server init` made (so at the current schema, with the facilitator's role), and
every later open of the same folder (the CLI's included) gets the same one. Tests that are
about the SQLite file itself (its PRAGMAs, backups, a damaged page) are marked
`sqlite_only` and skipped there with that reason.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

BOTH_ENGINES = {
    "tests/store/test_store.py",
    "tests/store/test_services.py",
    "tests/store/test_cli.py",
    "tests/store/test_facilitation.py",
    "tests/store/test_demo.py",
    "tests/store/test_exchange_roundtrip.py",
    "tests/store/test_workshop_output.py",
}
TEMPLATE = "rmdesk_template"
_counter = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): about the SQLite file itself; not run on PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    path = Path(str(metafunc.definition.path))
    relative = "/".join(path.parts[-3:])
    if relative in BOTH_ENGINES and "rmdesk_engine" in metafunc.fixturenames:
        metafunc.parametrize("rmdesk_engine", ["sqlite", "postgresql"], indirect=True)


def database_env(folder: Path) -> dict[str, str]:
    """For a command run in a fresh process: $RMDESK_DATABASE naming the database that
    stands for `folder` under the "postgresql" parameter (nothing under "sqlite")."""
    from rmdesk.store import database

    if database.folder_database is None:
        return {}
    Path(folder).mkdir(parents=True, exist_ok=True)
    url = database.folder_database(Path(folder))
    return {"RMDESK_DATABASE": url} if url else {}


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:  # noqa: ANN001 - tests.pg_server.PgCluster
    """A database at the current schema, made once by `rmdesk server init`."""
    from rmdesk.services import server_admin

    pg_cluster.create_database(TEMPLATE)
    server_admin.init_server(pg_cluster.url(TEMPLATE))
    return TEMPLATE


@pytest.fixture(autouse=True)
def rmdesk_engine(request: pytest.FixtureRequest) -> Iterator[str]:
    engine = getattr(request, "param", "sqlite")
    if engine == "sqlite":
        yield engine
        return
    marker = request.node.get_closest_marker("sqlite_only")
    if marker is not None:
        pytest.skip(f"SQLite only: {marker.args[0] if marker.args else ''}".strip())
    from rmdesk.store import database

    cluster = request.getfixturevalue("pg_cluster")
    template = request.getfixturevalue("pg_template")
    made: dict[Path, str] = {}

    def folder_database(folder: Path) -> str | None:
        key = Path(folder).expanduser().resolve()
        if key not in made and not key.is_dir():
            return None  # as a folder with no store file in it
        if key not in made:
            name = f"e{next(_counter)}"
            with cluster.connect() as con:
                con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            made[key] = name
        return cluster.url(made[key])

    database.folder_database = folder_database
    try:
        yield engine
    finally:
        database.folder_database = None
        for name in made.values():
            cluster.drop_database(name)
