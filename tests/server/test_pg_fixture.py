"""The PostgreSQL fixture itself: a fresh, empty, writable database per test."""

from __future__ import annotations

import pytest

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def con(pg_url: str):
    with psycopg.connect(pg_url, autocommit=True) as c:
        yield c


def test_each_test_gets_an_empty_database(con) -> None:
    tables = con.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert tables.fetchone() == (0,)
    con.execute("CREATE TABLE probe (n int)")
    con.execute("INSERT INTO probe VALUES (1)")


def test_and_a_different_one_each_time(con) -> None:
    tables = con.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert tables.fetchone() == (0,)


def test_the_server_survives_a_crash(pg_cluster) -> None:
    name = pg_cluster.create_database()
    pg_cluster.kill()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(pg_cluster.url(name), connect_timeout=3)
    pg_cluster.start()
    with psycopg.connect(pg_cluster.url(name)) as c:
        assert c.execute("SELECT 1").fetchone() == (1,)
    pg_cluster.drop_database(name)
