"""Opening the classroom server's store for a sync, and what can go wrong on the way.

The server is a store with the same schema, reached through SQLAlchemy: PostgreSQL in a
classroom (`postgresql://user:password@host/db`), or an SQLite file standing in for one
(`sqlite:////path/rmdesk.sqlite3`, in tests). Nothing here speaks a driver's own API; the
engine-specific parts are the URL's driver name, the connection time-outs and how a write
round takes its lock (`lock_group`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import event, func, literal, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.url import URL
from sqlmodel import Session, create_engine, select

from rmdesk.errors import RmdeskError
from rmdesk.store.database import HEAD_REVISION, Store, _set_pragmas

# A dropped network must not leave a sync waiting for minutes: the connection attempt,
# and a connection whose peer went silent, give up after these many seconds.
CONNECT_TIMEOUT = 5
SILENT_PEER_TIMEOUT = 15


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL of a server address, with psycopg 3 as PostgreSQL's driver."""
    try:
        parsed = make_url(url.strip())
    except (sa_exc.ArgumentError, ValueError):
        raise RmdeskError("sync_bad_url", url=redacted(url)) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and parsed.database:
        return parsed
    raise RmdeskError("sync_bad_url", url=redacted(url))


def redacted(url: str | URL) -> str:
    """The address without its password, for messages, settings shown and logs."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except (sa_exc.ArgumentError, ValueError):
        return "…"
    return parsed.render_as_string(hide_password=True)


def make_server_engine(url: str) -> Engine:
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed)
        event.listen(engine, "connect", _set_pragmas)
        return engine
    from rmdesk.store.server import driver_available, driver_missing

    if not driver_available():  # said in words, not as an import error or "offline"
        raise driver_missing()
    return create_engine(
        parsed, pool_pre_ping=True, pool_size=2, max_overflow=2,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT,
            # libpq's keepalives and TCP user time-out: a cut cable or a proxy that drops
            # the connection surfaces as an error, not as a sync hanging forever.
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
            "keepalives_count": 3, "tcp_user_timeout": SILENT_PEER_TIMEOUT * 1000,
            "application_name": "rmdesk-sync",
            # UTC on every connection, as the store's own server engine does: the same
            # record has the same content hash on both engines.
            "options": "-c timezone=UTC",
        })


def offline_error(exc: BaseException, url: str) -> RmdeskError:
    """The words for a server that could not be reached or dropped the connection."""
    cause = getattr(exc, "orig", None) or exc
    reason = " ".join(str(cause).split())[:300] or type(cause).__name__
    return RmdeskError("sync_offline", url=redacted(url), reason=reason)


class ServerStore(Store):
    """The server's store: a Store whose database errors are the server's (unreachable,
    connection dropped), never a local file's."""

    def __init__(self, url: str, engine: Engine) -> None:
        super().__init__(Path(redacted(url)), engine)
        self.url = url

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
            raise offline_error(exc, self.url) from None
        except sa_exc.DBAPIError as exc:
            if self.dialect == "sqlite" or exc.connection_invalidated:
                raise offline_error(exc, self.url) from None
            if getattr(exc.orig, "sqlstate", None) == "42501":  # row-level security, grants
                raise RmdeskError("server_permission_denied",
                                  role=self.engine.url.username or "",
                                  reason=" ".join(str(exc.orig).split())[:300]) from None
            raise

    @contextlib.contextmanager
    def snapshot_session(self) -> Iterator[Session]:
        """A unit of work that reads one consistent state of the server, whatever commits
        meanwhile: a pull reads rows, then their histories, in several statements, and
        a history newer than its row would make a laptop take that newer version for one
        it already has (and never take it). PostgreSQL: REPEATABLE READ; SQLite: one
        read transaction (pysqlite would run each SELECT on its own)."""
        with self.session() as session:
            if self.dialect == "sqlite":
                session.connection().exec_driver_sql("BEGIN")
            else:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        with self.session() as session:
            if self.dialect == "sqlite":
                connection = session.connection()
                connection.exec_driver_sql("PRAGMA busy_timeout=60000")
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield session


def lock_group(s: Session, dialect: str, group_id: str) -> None:
    """Serialise the write rounds of one group on the server (two laptops of a group
    pushing at once): the plan each makes is applied to exactly what it was made from.
    Other groups' rounds run alongside. An advisory lock, held to the end of the
    transaction: a group's role may not lock its group's row (SELECT FOR UPDATE needs
    UPDATE rights). SQLite's BEGIN IMMEDIATE already locks it all."""
    if dialect == "postgresql":
        s.exec(select(func.pg_advisory_xact_lock(  # type: ignore[call-overload]
            func.hashtextextended(literal("rmdesk-sync:") + group_id, 0)))).first()


def open_server(url: str) -> ServerStore:
    """Connect to the server and check that its schema is this version's."""
    engine = make_server_engine(url)
    store = ServerStore(url, engine)
    try:
        with store.session() as s:
            revision = _schema_revision(s)
    except BaseException:
        engine.dispose()
        raise
    if revision != HEAD_REVISION:
        engine.dispose()
        raise RmdeskError("sync_server_not_ready", url=redacted(url),
                          revision=revision or "-")
    return store


def _schema_revision(s: Session) -> str | None:
    try:
        with s.begin_nested():
            row = s.exec(text("SELECT version_num FROM alembic_version")).first()  # type: ignore[call-overload]
    except sa_exc.ProgrammingError:
        return None  # no schema at all: `rmdesk server init` was not run
    except sa_exc.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return row[0] if row else None
