"""The store on a PostgreSQL server (a classroom or training-centre server).

Same models, same Alembic history as the SQLite file on a laptop; what differs lives here:
the URL (given as postgresql://..., driven by psycopg 3), the words for a server that cannot
be reached or refuses a role, and how the schema revision is read. A command never creates
or upgrades the server's schema by itself: `rmdesk server init` does, after the backup hint.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import URL, Engine, make_url

from rmdesk.errors import RmdeskError

if TYPE_CHECKING:
    from pathlib import Path

    from rmdesk.store.database import Store

SCHEMES = ("postgresql", "postgres")
DRIVER = "postgresql+psycopg"
# SQLSTATE classes: 08 connection exceptions, 57P0x the server shutting down, 53 no room.
_UNREACHABLE_STATES = ("08", "57P01", "57P02", "57P03", "53")
INSUFFICIENT_PRIVILEGE = "42501"


def is_server_url(text_: str | None) -> bool:
    """Whether --database names a PostgreSQL server (else it is refused)."""
    if not text_:
        return False
    scheme = text_.split(":", 1)[0].lower()
    return scheme.split("+", 1)[0] in SCHEMES


def parse_url(text_: str) -> URL:
    """The SQLAlchemy URL for psycopg 3 of a postgresql:// (or postgres://) URL."""
    if not is_server_url(text_):
        raise RmdeskError("database_url_invalid", url=redact(text_),
                          reason="not a postgresql:// URL")
    try:
        url = make_url(text_)
    except sa_exc.ArgumentError as exc:
        raise RmdeskError("database_url_invalid", url=redact(text_), reason=str(exc)) from None
    if not url.database:
        raise RmdeskError("database_url_invalid", url=redact(text_),
                          reason="no database name after the host")
    return url.set(drivername=DRIVER)


def redact(text_: str | URL) -> str:
    """The URL with its password hidden: for messages and the window's title."""
    try:
        url = text_ if isinstance(text_, URL) else make_url(text_)
    except sa_exc.ArgumentError:
        return "…" if "@" in str(text_) else str(text_)
    shown = url.set(drivername=url.drivername.split("+", 1)[0])
    return shown.render_as_string(hide_password=True)


def connection_url(settings: dict[str, object]) -> str:
    """The postgresql:// URL of a group's connection settings (as a kit carries them:
    host, port, database, role, password)."""
    return URL.create("postgresql", username=str(settings["role"]),
                      password=str(settings["password"]), host=str(settings["host"]),
                      port=int(settings["port"]),  # type: ignore[call-overload]
                      database=str(settings["database"])).render_as_string(
        hide_password=False)


def driver_available() -> bool:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


def driver_missing() -> RmdeskError:
    """The words for a missing driver: how to install it; a packaged rmdesk, which
    cannot install anything, says that this package lacks it."""
    if getattr(sys, "frozen", False):
        return RmdeskError("server_driver_missing_bundle")
    return RmdeskError("server_driver_missing")


def make_server_engine(url: URL) -> Engine:
    from sqlmodel import create_engine

    if not driver_available():
        raise driver_missing()
    # UTC on every connection: the models keep naive UTC times, as SQLite does, so the
    # same record has the same content (and content hash) on both engines.
    return create_engine(url, pool_pre_ping=True, connect_args={
        "options": "-c timezone=UTC", "connect_timeout": 10,
        "application_name": "rmdesk"})


def sqlstate(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return getattr(cause, "sqlstate", None) or ""


def is_server_error(exc: BaseException) -> bool:
    """A psycopg error (wrapped by SQLAlchemy or not)."""
    cause = getattr(exc, "orig", None) or exc
    return type(cause).__module__.startswith("psycopg")


def server_error(exc: BaseException, location: str, role: str,
                 writing: bool) -> RmdeskError | None:
    """The RmdeskError for a failure of the server store, or None for a programming
    error (which should surface as such)."""
    cause = getattr(exc, "orig", None) or exc
    state = sqlstate(exc)
    reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    if state == INSUFFICIENT_PRIVILEGE:
        return RmdeskError("server_permission_denied", role=role, reason=reason)
    if state[:2] in ("22", "23", "40") or isinstance(  # bad data, a constraint, a deadlock
            exc, sa_exc.DataError | sa_exc.IntegrityError):  # (a NUL in text has no state)
        return RmdeskError("store_write_failed" if writing else "store_read_failed",
                           path=location, reason=reason)
    if isinstance(exc, sa_exc.OperationalError | sa_exc.DisconnectionError) \
            or state.startswith(_UNREACHABLE_STATES):
        return RmdeskError("server_unreachable", server=location, reason=reason)
    return None


def server_revision(engine: Engine, location: str) -> str | None:
    """The schema revision of the server's database; None when it has no rmdesk tables."""
    try:
        with engine.connect() as con:
            has_version = con.execute(
                text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar()
            if not has_version:
                has_tables = con.execute(text(
                    "SELECT to_regclass('workshop') IS NOT NULL")).scalar()
                return "unknown" if has_tables else None
            return con.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except sa_exc.DBAPIError as exc:
        error = server_error(exc, location, engine.url.username or "", writing=False)
        if error is None:
            raise
        raise error from None


def open_server_store(database: str, data_dir: Path) -> Store:
    """The store on the server named by `database`, whose schema `rmdesk server init` has
    made current. data_dir stays the laptop's folder for its own files (packs, data sets,
    the content cache)."""
    from rmdesk.paths import STORE_FILENAME
    from rmdesk.store.database import HEAD_REVISION, KNOWN_REVISIONS, Store

    url = parse_url(database)
    location = redact(url)
    engine = make_server_engine(url)
    try:
        revision = server_revision(engine, location)
    except RmdeskError:
        engine.dispose()
        raise
    problem: RmdeskError | None = None
    if revision is None:
        problem = RmdeskError("server_not_initialised", server=location)
    elif revision == "unknown":
        problem = RmdeskError("store_corrupt", path=location, reason="no schema version")
    elif revision not in KNOWN_REVISIONS:
        problem = RmdeskError("store_too_new", path=location, revision=revision)
    elif revision != HEAD_REVISION:
        problem = RmdeskError("server_needs_upgrade", server=location, revision=revision)
    if problem is not None:
        engine.dispose()
        raise problem
    return Store(data_dir / STORE_FILENAME, engine, location=location)
