"""Opening the store: folder checks, PRAGMAs, a quick check, migration with a backup first;
and the words for what can go wrong with it (a full disk, a damaged file, a failed save)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Engine
from sqlmodel import Session, create_engine

from rmdesk.errors import RmdeskError
from rmdesk.paths import STORE_FILENAME

# The newest schema this build knows. Reading it here (not from Alembic's script
# directory) keeps Alembic off the start-up path when the store is already current;
# tests/store/test_migrations.py checks it equals Alembic's head.
HEAD_REVISION = "0006_server"
KNOWN_REVISIONS = ("0001_initial", "0002_targeting", "0003_exercises", "0004_exchange",
                   "0005_trust", "0006_server")
BACKUP_DIRNAME = "backups"
# The tests run the store, service and CLI suites on PostgreSQL too: this maps a data
# folder to the database that stands in for its file (tests/engines.py). None otherwise.
folder_database: Callable[[Path], str | None] | None = None

# SQLite's primary result codes for the faults a user must be told apart.
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 11, 13, 26


def _cause(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc  # SQLAlchemy wraps sqlite3's error


def fault_kind(exc: BaseException) -> str:
    """'full' (no space left), 'damaged' (a malformed page), 'foreign' (not an SQLite
    file at all) or 'other'."""
    cause = _cause(exc)
    if isinstance(cause, OSError):
        return "full" if cause.errno == errno.ENOSPC else "other"
    code = getattr(cause, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(cause).lower()
    if primary == SQLITE_FULL or "disk is full" in text:
        return "full"
    if primary == SQLITE_CORRUPT or "malformed" in text:
        return "damaged"
    if primary == SQLITE_NOTADB or "not a database" in text:
        return "foreign"
    return "other"


def store_error(exc: BaseException, path: Path, writing: bool) -> RmdeskError:
    """The RmdeskError that names what went wrong with the store at `path`: a full disk
    and a damaged file in their own words whatever was being done, else a failed save
    (`writing`) or a failed read."""
    kind = fault_kind(exc)
    cause = _cause(exc)
    reason = (cause.strerror if isinstance(cause, OSError) else None) or str(cause)
    if kind == "full":
        return RmdeskError("store_disk_full", path=str(path))
    if kind == "damaged":
        return RmdeskError("store_damaged", path=str(path), reason=reason)
    if kind == "foreign":
        return RmdeskError("store_corrupt", path=str(path), reason=reason)
    return RmdeskError("store_write_failed" if writing else "store_read_failed",
                       path=str(path), reason=reason)


_WRITES = ("insert", "update", "delete", "replace", "create", "drop", "alter")


def _was_writing(session: Session, exc: BaseException) -> bool:
    """Whether the failed unit of work was saving something: it had changes waiting, or
    the statement that failed writes."""
    if session.new or session.dirty or session.deleted:
        return True
    statement = getattr(exc, "statement", None) or ""
    return statement.lstrip().lower().startswith(_WRITES)


def quick_check(con: sqlite3.Connection) -> str | None:
    """SQLite's quick check of every page of the file: None when it is sound, else the
    first problem it names (e.g. a damaged page). Linear in the file's size; see
    bench/store_check.py for what it costs."""
    row = con.execute("PRAGMA quick_check(1)").fetchone()
    result = row[0] if row else "ok"
    # e.g. "*** in database main ***\nOn tree page 14 cell 0: ...": one line for a message
    if result == "ok":
        return None
    words = str(result).replace("*", "").split()
    if words[:2] == ["in", "database"]:
        words = words[3:]
    return " ".join(words)


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # FULL: each commit reaches the disk, so a laptop losing power keeps the last edit too.
    # Edits are debounced in the UI, so the extra fsync costs nothing a user can feel.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Store:
    """The workshop store: an SQLite file in the data folder (`path`), or a PostgreSQL
    database on a server (then `path` is where the file would be: the data folder still
    holds the laptop's packs, data sets and caches)."""

    def __init__(self, path: Path, engine: Engine, location: str | None = None) -> None:
        self.path = path
        self.engine = engine
        self._location = location

    @property
    def is_server(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def location(self) -> str:
        """Where the store is, for messages: the file, or the server URL without its
        password."""
        return self._location or str(self.path)

    def _error(self, exc: BaseException, writing: bool) -> RmdeskError | None:
        """The RmdeskError for a failure of the store, or None for a programming error."""
        if self.is_server:
            from rmdesk.store.server import is_server_error, server_error

            if not is_server_error(exc) and not isinstance(exc, sa_exc.DisconnectionError):
                return None
            return server_error(exc, self.location, self.engine.url.username or "", writing)
        if isinstance(exc, sa_exc.DBAPIError) and not isinstance(exc.orig, sqlite3.Error):
            return None
        return store_error(exc, self.path, writing)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            committing = False
            try:
                yield session
                committing = True
                session.commit()
            except (sqlite3.Error, sa_exc.DBAPIError) as exc:
                error = self._error(exc, committing or _was_writing(session, exc))
                if error is None:
                    raise  # a programming error, not the store's
                with contextlib.suppress(sa_exc.SQLAlchemyError):
                    session.rollback()  # a lost server connection cannot roll back
                raise error from None
            except Exception:
                session.rollback()
                raise

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        """A unit of work that holds SQLite's write lock from its first statement
        (BEGIN IMMEDIATE): what it reads cannot change under it before it commits, so a
        plan made from those reads is applied to exactly what it was made from. Another
        writer waits (busy_timeout) instead of interleaving. On PostgreSQL, writers of
        this kind take one transaction-level advisory lock: they run one after the other,
        as on SQLite, while readers go on."""
        with self.session() as session:
            connection = session.connection()
            if self.is_server:
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7415126)")
                yield session
                return
            # An import waits for another one rather than failing after the usual 5 s.
            connection.exec_driver_sql("PRAGMA busy_timeout=60000")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield session

    def check(self) -> None:
        """Raise store_damaged if SQLite's quick check finds a fault in the file (before
        an export, so that a damaged store is not copied to other laptops). A server
        checks its own pages: there, this only proves the store can be read."""
        if self.is_server:
            with self.session() as session:
                session.connection().exec_driver_sql("SELECT count(*) FROM workshop")
            return
        try:
            with self.engine.connect() as con:
                problem = quick_check(con.connection.dbapi_connection)  # type: ignore[arg-type]
        except (sqlite3.Error, sa_exc.DBAPIError) as exc:
            raise store_error(exc, self.path, writing=False) from None
        if problem is not None:
            raise RmdeskError("store_damaged", path=str(self.path), reason=problem)

    def close(self) -> None:
        self.engine.dispose()


def ensure_data_dir(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        # mkdir succeeds on an existing read-only folder; prove we can write there.
        fd, probe = tempfile.mkstemp(prefix=".rmdesk-probe-", dir=data_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise RmdeskError("store_disk_full", path=str(data_dir)) from None
        raise RmdeskError(
            "data_dir_unusable", path=str(data_dir), reason=exc.strerror or str(exc)
        ) from None


def current_revision(path: Path) -> str | None:
    """The schema revision recorded in the file, or None for a new/empty file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                return None if not tables else "unknown"
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is None:
                # Tables but no version: an interrupted first migration, not a new file.
                return "unknown" if tables - {"alembic_version"} else None
            return row[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if fault_kind(exc) in ("full", "damaged"):
            raise store_error(exc, path, writing=False) from None
        raise RmdeskError("store_corrupt", path=str(path), reason=str(exc)) from None


def backup_file(path: Path, revision: str) -> Path:
    """Copy the store with SQLite's backup API (consistent even with a WAL beside it)."""
    backups = path.parent / BACKUP_DIRNAME
    backups.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups / f"{path.stem}-{revision}-{stamp}{path.suffix}"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def make_engine(path: Path) -> Engine:
    # URL.create, not an f-string: a folder named "a?b" or "#1" stays one path.
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _set_pragmas)
    return engine


def open_store(data_dir: Path, database: str | None = None) -> Store:
    """Open (creating or upgrading) the store in data_dir; with `database` (a
    postgresql:// URL), the store on that server, whose schema `rmdesk server init` keeps
    (never created or upgraded here)."""
    data_dir = Path(data_dir)
    ensure_data_dir(data_dir)
    if not database and folder_database is not None:
        database = folder_database(data_dir)
    if database:
        from rmdesk.store.server import open_server_store

        return open_server_store(database, data_dir)
    path = data_dir / STORE_FILENAME
    revision = current_revision(path)
    if revision == "unknown":
        raise RmdeskError("store_corrupt", path=str(path), reason="no schema version")
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise RmdeskError("store_too_new", path=str(path), revision=revision)
    engine = make_engine(path)
    try:
        with engine.connect() as con:  # sets the PRAGMAs: WAL needs room for its files
            problem = quick_check(con.connection.dbapi_connection)  # type: ignore[arg-type]
    except (sqlite3.Error, sa_exc.DBAPIError) as exc:
        engine.dispose()
        raise store_error(exc, path, writing=True) from None
    if problem is not None:
        engine.dispose()
        raise RmdeskError("store_damaged", path=str(path), reason=problem)
    if revision != HEAD_REVISION:
        from rmdesk.store.migrate import upgrade  # Alembic only when there is work to do

        try:
            if revision is not None:
                backup_file(path, revision)
            upgrade(engine)
        except (OSError, sqlite3.Error, sa_exc.DBAPIError) as exc:
            engine.dispose()
            if fault_kind(exc) in ("full", "damaged") or isinstance(exc, OSError):
                raise store_error(exc, path, writing=True) from None
            raise RmdeskError("store_corrupt", path=str(path), reason=str(_cause(exc))) from None
    else:
        try:
            with engine.connect() as con:
                con.exec_driver_sql("SELECT count(*) FROM workshop").fetchone()
        except Exception as exc:  # noqa: BLE001 - any failure here means a damaged file
            engine.dispose()
            if fault_kind(exc) in ("full", "damaged"):
                raise store_error(exc, path, writing=False) from None
            raise RmdeskError("store_corrupt", path=str(path), reason=str(exc)) from None
    return Store(path, engine)
