"""A cache of parsed pack files, so that start-up does not parse the same TOML every time.

Parsing the built-in pack's TOML takes ~35 ms, reading the same data back from JSON ~1 ms.
The cache holds only what tomllib returned, never a validated pack: the loader validates
the cached data exactly as it validates freshly parsed TOML, so a cache can make loading
faster but never lets through a pack the TOML would not give.

A cache file is one header line of JSON, then the data as JSON:

    {"format": 1, "python": "3.11", "source_sha256": "...", "data_sha256": "..."}
    {"pack": {...}, "case": {...}, ...}

It is used only if it was made from exactly these bytes (the SHA-256 of the TOML file,
which also covers any edit that keeps size and time) by the same cache format and tomllib,
and if the data still has the SHA-256 it was written with. A missing, stale, truncated or
otherwise damaged cache is ignored and written anew; one that cannot be written (a
read-only folder) is simply not kept. Cache files live in the data folder's cache/ folder
(paths.cache_dir), so portable mode still writes nothing outside its own folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1
_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"  # tomllib's version


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(cache_file: Path, source: bytes) -> dict[str, Any] | None:
    """The parsed data cached for `source` (the TOML file's bytes), or None."""
    try:
        blob = cache_file.read_bytes()
        head, newline, payload = blob.partition(b"\n")
        header = json.loads(head)
        if (not newline or not isinstance(header, dict)
                or header.get("format") != FORMAT or header.get("python") != _PYTHON
                or header.get("source_sha256") != _sha256(source)
                or header.get("data_sha256") != _sha256(payload)):
            return None
        data = json.loads(payload)
    except Exception:  # noqa: BLE001 - whatever is wrong with a cache, it is not used
        return None
    return data if isinstance(data, dict) else None


def write(cache_file: Path, source: bytes, data: dict[str, Any]) -> bool:
    """Keep `data` (tomllib's result for `source`) in `cache_file`, whole or not at all.
    False when it cannot be kept: data JSON cannot carry exactly (dates), or a folder or
    disk that refuses the write. The folder's parent must exist: a cache never creates
    the data folder itself."""
    try:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if json.loads(payload) != data:  # e.g. NaN, which is never equal to itself
            return False
    except (TypeError, ValueError, RecursionError):  # dates and times have no JSON form
        return False
    header = {"format": FORMAT, "python": _PYTHON, "source_sha256": _sha256(source),
              "data_sha256": _sha256(payload)}
    folder = cache_file.parent
    tmp: str | None = None
    try:
        folder.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{cache_file.name}-", suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(json.dumps(header).encode("ascii") + b"\n" + payload)
        os.replace(tmp, cache_file)
        tmp = None
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return True
