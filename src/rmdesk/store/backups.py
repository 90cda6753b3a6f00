"""Rolling automatic backups of the store, and bringing one back.

Like Anki's automatic backups (written here from scratch): each start of the app copies
the store into the data folder's backups/ folder (and so does the first hour of a day the
app was left running into), and the copies are thinned so that the folder never grows
without end. Kept:

- the KEEP_RECENT newest automatic backups, whatever their dates;
- the newest one of each of the KEEP_DAYS most recent days that have one.

So a group that ruins its work at 11:00 finds the morning's copy, and a facilitator who
notices on Thursday that Monday's work is gone finds Monday's. Copies are made with
SQLite's backup API from a read connection, so they are consistent even while the app
writes (edits still in the WAL included), and are written whole or not at all.

Backups made before a schema migration (rmdesk-<revision>-<stamp>.sqlite3) and the copy of
the current file kept by a restore (rmdesk-before-restore-<stamp>.sqlite3) live in the
same folder; they are listed and can be restored, but are never thinned.

`restore(data_dir, backup)` checks the backup (SQLite's quick check, an rmdesk schema
this version knows), refuses while another process has the store open, keeps the
current file as a backup, then puts the backup in its place with its WAL files gone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rmdesk.errors import RmdeskError
from rmdesk.paths import STORE_FILENAME
from rmdesk.store.database import (
    BACKUP_DIRNAME,
    KNOWN_REVISIONS,
    fault_kind,
    quick_check,
    store_error,
)

KEEP_RECENT = 5
KEEP_DAYS = 14
AUTO = "auto"
BEFORE_RESTORE = "before-restore"
_STAMP = "%Y%m%d-%H%M%S"
# rmdesk-auto-20261207-142600.sqlite3, rmdesk-before-restore-..., rmdesk-0003_exercises-...
_NAME = re.compile(r"^(?P<stem>.+?)-(?P<kind>auto|before-restore|[0-9]{4}_[A-Za-z0-9_]+)-"
                   r"(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.sqlite3$")


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str  # "auto", "before-restore", or the schema revision it was migrated from
    made: dt.datetime
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIRNAME


def list_backups(data_dir: Path) -> list[Backup]:
    """Every backup in the data folder's backups/, newest first."""
    found: list[Backup] = []
    folder = backups_dir(data_dir)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if not match or not path.is_file():
            continue
        try:
            made = dt.datetime.strptime(match["stamp"], _STAMP)
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(path, match["kind"], made, size))
    found.sort(key=lambda b: (b.made, int(_NAME.match(b.name)["n"] or 0)),  # type: ignore[index]
               reverse=True)
    return found


def _target(folder: Path, stem: str, kind: str, now: dt.datetime) -> Path:
    base = f"{stem}-{kind}-{now.strftime(_STAMP)}"
    target, n = folder / f"{base}.sqlite3", 1
    while target.exists():  # two starts within one second
        n += 1
        target = folder / f"{base}-{n}.sqlite3"
    return target


def make_backup(store_path: Path, kind: str = AUTO, now: dt.datetime | None = None) -> Path:
    """A consistent copy of the store in backups/, written whole or not at all."""
    store_path = Path(store_path)
    folder = store_path.parent / BACKUP_DIRNAME
    folder.mkdir(exist_ok=True)
    target = _target(folder, store_path.stem, kind, now or dt.datetime.now())
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".part", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = sqlite3.connect(f"{store_path.resolve().as_uri()}?mode=ro", uri=True)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            # A copy in WAL mode (the store's) would grow -wal and -shm files beside it
            # whenever it is read; a backup is one file.
            dst.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            dst.close()
            src.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def prune(data_dir: Path) -> list[Path]:
    """Delete the automatic backups the policy no longer keeps; returns them."""
    autos = [b for b in list_backups(data_dir) if b.kind == AUTO]
    keep = {b.path for b in autos[:KEEP_RECENT]}
    days: dict[dt.date, Backup] = {}
    for backup in autos:  # newest first: the first of each day is its newest
        days.setdefault(backup.made.date(), backup)
    for day in sorted(days, reverse=True)[:KEEP_DAYS]:
        keep.add(days[day].path)
    removed = []
    for backup in autos:
        if backup.path not in keep:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    return removed


def rolling_backup(store_path: Path, now: dt.datetime | None = None) -> Path | None:
    """The backup made at each start, then the thinning. A backup that cannot be made (a
    full disk, a read-only folder) does not stop rmdesk from starting: None."""
    try:
        made = make_backup(store_path, AUTO, now)
    except (OSError, sqlite3.Error):
        return None
    prune(store_path.parent)
    return made


def daily_backup(store_path: Path, now: dt.datetime | None = None) -> Path | None:
    """A rolling backup if none was made today: for a laptop left running for days."""
    now = now or dt.datetime.now()
    if any(b.kind == AUTO and b.made.date() == now.date()
           for b in list_backups(Path(store_path).parent)):
        return None
    return rolling_backup(store_path, now)


# -- restore ---------------------------------------------------------------------------------

def find_backup(data_dir: Path, name: str | None) -> Backup:
    """The backup called `name` (a name from the list, or a path to one of them); the
    newest when `name` is None."""
    backups = list_backups(data_dir)
    if not backups:
        raise RmdeskError("restore_no_backups", path=str(backups_dir(data_dir)))
    if name is None:
        return backups[0]
    wanted = Path(name).name
    for backup in backups:
        if backup.name == wanted:
            return backup
    raise RmdeskError("restore_unknown_backup", name=name, path=str(backups_dir(data_dir)))


def _read_only(path: Path) -> sqlite3.Connection:
    """A backup opened for reading only, leaving no -wal or -shm file beside it (a backup
    made before a migration is in WAL mode, and nothing else writes to it)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def check_backup(path: Path) -> None:
    """Refuse a backup that is damaged or not an rmdesk store this version can open."""
    try:
        con = _read_only(path)
        try:
            problem = quick_check(con)
            row = None if problem else con.execute(
                "SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        problem = str(exc)
        row = None
    if problem is None and (row is None or row[0] not in KNOWN_REVISIONS):
        problem = "no rmdesk schema" if row is None else f"schema {row[0]}"
    if problem is not None:
        raise RmdeskError("restore_backup_invalid", name=path.name, reason=problem)


def _ensure_not_in_use(store_path: Path) -> None:
    """Refuse while another process (rmdesk's window) has the store open: replacing the
    file under it would lose its next edits or damage the restored file. Leaving WAL mode
    needs the only connection to the file, so it fails exactly then ("database is
    locked"); when it succeeds it has also moved the WAL's edits into the file, which is
    copied next."""
    if not store_path.exists():
        return
    try:
        con = sqlite3.connect(store_path, timeout=0)
        try:
            con.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise RmdeskError("restore_in_use", path=str(store_path)) from None
    except sqlite3.Error:
        pass  # a damaged store is what a restore is for


def _keep_current(store_path: Path) -> Path | None:
    """The current file, copied to backups/ before it is replaced: through SQLite when it
    can be read, byte for byte (with its WAL) when it is too damaged for that."""
    if not store_path.exists():
        return None
    try:
        return make_backup(store_path, BEFORE_RESTORE)
    except sqlite3.Error:
        pass
    import shutil

    target = _target(store_path.parent / BACKUP_DIRNAME, store_path.stem, BEFORE_RESTORE,
                     dt.datetime.now())
    shutil.copyfile(store_path, target)
    wal = store_path.with_name(store_path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return target


def restore(data_dir: Path, backup: Backup) -> Path | None:
    """Put `backup` in place of the store; returns where the replaced file was kept."""
    data_dir = Path(data_dir)
    store_path = data_dir / STORE_FILENAME
    check_backup(backup.path)
    try:
        _ensure_not_in_use(store_path)
        kept = _keep_current(store_path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{STORE_FILENAME}-", suffix=".part",
                                        dir=data_dir)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            src = _read_only(backup.path)
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
            # The old file's WAL belongs to the old file: applied to the restored one it
            # would damage it. It was copied into the kept backup above.
            for suffix in ("-wal", "-shm"):
                store_path.with_name(store_path.name + suffix).unlink(missing_ok=True)
            os.replace(tmp, store_path)
        finally:
            tmp.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:
        if fault_kind(exc) == "full" or isinstance(exc, sqlite3.Error):
            raise store_error(exc, store_path, writing=True) from None
        raise RmdeskError("restore_failed", path=str(store_path),
                          reason=exc.strerror or str(exc)) from None
    return kept
