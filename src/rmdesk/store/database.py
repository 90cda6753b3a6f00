"""Opening the store: folder checks, PRAGMAs, migration with a backup first."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from rmdesk.errors import RmdeskError
from rmdesk.paths import STORE_FILENAME

# The newest schema this build knows. Reading it here (not from Alembic's script
# directory) keeps Alembic off the start-up path when the store is already current;
# tests/store/test_migrations.py checks it equals Alembic's head.
HEAD_REVISION = "0005_trust"
KNOWN_REVISIONS = ("0001_initial", "0002_targeting", "0003_exercises", "0004_exchange",
                   "0005_trust")
BACKUP_DIRNAME = "backups"


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
    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except (sqlite3.OperationalError, sa_exc.OperationalError) as exc:
                session.rollback()
                reason = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps sqlite3's error
                raise RmdeskError(
                    "store_write_failed", path=str(self.path), reason=str(reason)
                ) from None
            except Exception:
                session.rollback()
                raise

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        """A unit of work that holds SQLite's write lock from its first statement
        (BEGIN IMMEDIATE): what it reads cannot change under it before it commits, so a
        plan made from those reads is applied to exactly what it was made from. Another
        writer waits (busy_timeout) instead of interleaving."""
        with self.session() as session:
            connection = session.connection()
            # An import waits for another one rather than failing after the usual 5 s.
            connection.exec_driver_sql("PRAGMA busy_timeout=60000")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield session

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
        raise RmdeskError(
            "data_dir_unusable", path=str(data_dir), reason=exc.strerror or str(exc)
        ) from None


def current_revision(path: Path) -> str | None:
    """The schema revision recorded in the file, or None for a new/empty file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    return engine


def open_store(data_dir: Path) -> Store:
    """Open (creating or upgrading) the store in data_dir."""
    data_dir = Path(data_dir)
    ensure_data_dir(data_dir)
    path = data_dir / STORE_FILENAME
    revision = current_revision(path)
    if revision == "unknown":
        raise RmdeskError("store_corrupt", path=str(path), reason="no schema version")
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise RmdeskError("store_too_new", path=str(path), revision=revision)
    engine = make_engine(path)
    if revision != HEAD_REVISION:
        if revision is not None:
            backup_file(path, revision)
        from rmdesk.store.migrate import upgrade  # Alembic only when there is work to do

        try:
            upgrade(engine)
        except (sqlite3.DatabaseError, sa_exc.DBAPIError) as exc:
            engine.dispose()
            reason = getattr(exc, "orig", None) or exc
            raise RmdeskError("store_corrupt", path=str(path), reason=str(reason)) from None
    else:
        try:
            with engine.connect() as con:
                con.exec_driver_sql("SELECT count(*) FROM workshop").fetchone()
        except Exception as exc:  # noqa: BLE001 - any failure here means a damaged file
            engine.dispose()
            raise RmdeskError("store_corrupt", path=str(path), reason=str(exc)) from None
    return Store(path, engine)
