"""Temporary files a killed rmdesk leaves behind, removed at its next start.

Every file rmdesk writes is built in a hidden temporary file beside its target and renamed
into place, so a target is never half-written. A process killed while building (a report
of a whole workshop takes seconds) leaves that hidden file, e.g. `.rmdesk-k2j4.pdf` in
the folder the facilitator printed to. rmdesk cannot search every folder for them, so:

- `tracked(path)` notes a temporary file in a journal in the data folder's cache/ while
  it exists (one path a line), for the folders outside the data folder;
- `clean(data_dir)` runs at start-up: it deletes what the journal lists and the
  temporary files of the data folder's own writers (backups, cache, packs, data sets,
  a restore), then empties the journal.

Only names rmdesk itself gives its temporary files are ever deleted, so a damaged or
edited journal cannot make rmdesk delete anything else. Without `use(data_dir)` (tests,
library use), nothing is journalled.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

JOURNAL_NAME = "temporary-files"
# The temporary names of services.reports and services.workshop_reports.
_OURS = re.compile(r"^\.rmdesk-(?:batch-)?[A-Za-z0-9_]+(?:\.pdf)?$")
# Temporary files inside the data folder, by their writers' patterns.
_IN_DATA_DIR = (".rmdesk-probe-*", f".{'rmdesk.sqlite3'}-*.part", "backups/.*.part",
                "cache/.*.part", "packs/.import-*.part", "datasets/.dataset-*.part")

_journal: Path | None = None
_lock = threading.Lock()  # a print runs in a worker thread while the window may save


def use(data_dir: Path) -> None:
    """Journal this process's temporary files in `data_dir`'s cache/ folder."""
    global _journal
    from rmdesk import paths

    _journal = paths.cache_dir(Path(data_dir)) / JOURNAL_NAME


def _rewrite(lines: list[str]) -> None:
    assert _journal is not None
    if lines:
        _journal.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    else:
        _journal.unlink(missing_ok=True)


def _read() -> list[str]:
    if _journal is None:
        return []
    try:
        return _journal.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def note(path: Path) -> None:
    """Journal `path` (a temporary file or folder) until `forget(path)`. The journal is a
    help, never a reason to fail: a journal that cannot be written is skipped."""
    with _lock, contextlib.suppress(OSError):
        if _journal is not None:
            _journal.parent.mkdir(parents=True, exist_ok=True)
            with open(_journal, "a", encoding="utf-8") as out:
                out.write(str(Path(path).resolve()) + "\n")


def forget(path: Path) -> None:
    entry = str(Path(path).resolve())
    with _lock, contextlib.suppress(OSError):
        lines = _read()
        if entry in lines:
            lines.remove(entry)
            _rewrite(lines)


@contextlib.contextmanager
def tracked(path: Path) -> Iterator[Path]:
    """`path` journalled while the block runs."""
    note(path)
    try:
        yield path
    finally:
        forget(path)


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        return False
    return True


def clean(data_dir: Path) -> list[Path]:
    """Delete the temporary files left by a killed rmdesk; returns those removed."""
    use(data_dir)
    removed = []
    with _lock:
        for line in _read():
            path = Path(line)
            if path.is_absolute() and _OURS.match(path.name) and os.path.lexists(path) \
                    and _remove(path):
                removed.append(path)
        with contextlib.suppress(OSError):
            _rewrite([])
    for pattern in _IN_DATA_DIR:
        for path in Path(data_dir).glob(pattern):
            if _remove(path):
                removed.append(path)
    return removed
