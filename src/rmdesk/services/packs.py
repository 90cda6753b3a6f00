"""The content packs on this laptop: the built-in one and those imported into the data
folder's packs/ directory, each kept by id and version.

A workshop records the id and version of the pack it was created with
(Workshop.pack_id / pack_version). Importing a newer version adds a file beside the older
one and never replaces it, so existing work keeps its pack. If a workshop's pack is not on
this laptop (the store was copied from another one), the newest installed version of the
same pack is used, else the built-in pack, with a warning saying so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rmdesk import paths
from rmdesk.content.loader import load_pack, parse_pack, read_pack_bytes
from rmdesk.content.pack import BUILTIN_PACK_FILE, ContentPack, LocalizedText, builtin_pack
from rmdesk.content.problems import PackError
from rmdesk.errors import RmdeskError
from rmdesk.store.models import Workshop

log = logging.getLogger(__name__)

PACKS_DIRNAME = "packs"


def packs_dir(data_dir: Path) -> Path:
    """Where imported packs are kept: <data folder>/packs/<id>-<version>.toml."""
    return Path(data_dir) / PACKS_DIRNAME


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """Orders '1.9' before '1.10' and '2.0-beta' before '2.0.1'."""
    parts = re.findall(r"\d+|[^\d.]+", version)
    return tuple((1, int(p), "") if p.isdigit() else (0, 0, p) for p in parts)


@dataclass(frozen=True)
class PackInfo:
    """What a list of packs shows: a pack's id, version, title and languages."""

    id: str
    version: str
    title: LocalizedText
    languages: tuple[str, ...]
    exercise_count: int
    path: Path
    builtin: bool

    @classmethod
    def of(cls, pack: ContentPack, path: Path, builtin: bool) -> PackInfo:
        meta = pack.pack
        return cls(meta.id, meta.version, meta.title, tuple(meta.languages),
                   len(pack.exercises), path, builtin)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)


@dataclass(frozen=True)
class ImportResult:
    info: PackInfo
    added: bool  # False when exactly this pack was installed already


@dataclass(frozen=True)
class ResolvedPack:
    """The pack a workshop works with, and a warning when it is not the one it recorded."""

    pack: ContentPack
    info: PackInfo
    warning: RmdeskError | None = None


# Parsed packs by file, reloaded when the file changes.
_cache: dict[Path, tuple[tuple[int, int], ContentPack]] = {}


def _load_cached(path: Path, cache_dir: Path) -> ContentPack:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _cache.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    pack = load_pack(path, cache_dir / f"packs.{path.stem}.json")  # parsed TOML on disk too
    _cache[path] = (stamp, pack)
    return pack


class PackRegistry:
    """The packs of one data folder (plus the built-in pack)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)

    @classmethod
    def for_store(cls, store: object) -> PackRegistry:
        """The registry of the data folder that holds `store` (a rmdesk Store)."""
        return cls(Path(store.path).parent)  # type: ignore[attr-defined]

    @property
    def packs_dir(self) -> Path:
        return packs_dir(self.data_dir)

    # -- what is installed ------------------------------------------------------------
    def builtin(self) -> PackInfo:
        return PackInfo.of(builtin_pack(), paths.builtin_content_dir() / BUILTIN_PACK_FILE, True)

    def imported(self, errors: list[PackError] | None = None) -> list[tuple[PackInfo, ContentPack]]:
        """Every valid pack file in packs/, in id and version order. A file that does not
        validate (edited by hand after import) is left out; its error goes to `errors`."""
        found: list[tuple[PackInfo, ContentPack]] = []
        folder = self.packs_dir
        files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
        for path in files:
            try:
                pack = _load_cached(path, paths.cache_dir(self.data_dir))
            except PackError as exc:
                log.warning("%s", exc)
                if errors is not None:
                    errors.append(exc)
                continue
            except OSError as exc:  # vanished while listing
                log.warning("%s: %s", path, exc)
                continue
            found.append((PackInfo.of(pack, path, False), pack))
        found.sort(key=lambda item: (item[0].id, version_key(item[0].version)))
        return found

    def list_packs(self, errors: list[PackError] | None = None) -> list[PackInfo]:
        """The built-in pack first, then the imported ones by id and version."""
        return [self.builtin(), *(info for info, _pack in self.imported(errors))]

    def find(self, pack_id: str, version: str) -> tuple[PackInfo, ContentPack] | None:
        builtin = builtin_pack()
        if (builtin.pack.id, builtin.pack.version) == (pack_id, version):
            return self.builtin(), builtin
        return next(((info, pack) for info, pack in self.imported()
                     if info.key == (pack_id, version)), None)

    def load(self, pack_id: str, version: str) -> ContentPack | None:
        found = self.find(pack_id, version)
        return found[1] if found else None

    # -- which pack a workshop uses ---------------------------------------------------------
    def resolve(self, pack_id: str, version: str) -> ResolvedPack:
        if not pack_id:  # a workshop from before packs were recorded
            return ResolvedPack(builtin_pack(), self.builtin())
        exact = self.find(pack_id, version)
        if exact is not None:
            return ResolvedPack(exact[1], exact[0])
        same_id = [item for item in self._all() if item[0].id == pack_id]
        if same_id:
            info, pack = max(same_id, key=lambda item: version_key(item[0].version))
        else:
            info, pack = self.builtin(), builtin_pack()
        warning = RmdeskError("pack_missing", id=pack_id, version=version,
                              fallback_id=info.id, fallback_version=info.version)
        log.warning("%s", warning)
        return ResolvedPack(pack, info, warning)

    def resolve_for_workshop(self, workshop: Workshop) -> ResolvedPack:
        return self.resolve(workshop.pack_id, workshop.pack_version)

    def pack_for_workshop(self, workshop: Workshop) -> ContentPack:
        """The pack `workshop` was created with (see resolve_for_workshop for the warning
        when it is not installed here)."""
        return self.resolve_for_workshop(workshop).pack

    def _all(self) -> list[tuple[PackInfo, ContentPack]]:
        return [(self.builtin(), builtin_pack()), *self.imported()]

    # -- import ---------------------------------------------------------------------------------
    def import_pack(self, source: Path) -> ImportResult:
        """Validate `source` and copy it, atomically, to packs/<id>-<version>.toml.

        Nothing is written if the pack has any fault (PackError). The same id and version
        with other content is refused (pack_version_exists); the very same file again is
        accepted and changes nothing; a new version is kept beside the older ones."""
        raw = read_pack_bytes(Path(source))
        pack = parse_pack(raw, str(source))  # validate exactly the bytes that are copied
        pack_id, version = pack.pack.id, pack.pack.version
        for info, _installed in self._all():
            if info.key == (pack_id, version):
                if _same_bytes(info.path, raw):
                    return ImportResult(info, added=False)
                raise RmdeskError("pack_version_exists", id=pack_id, version=version,
                                  path=str(info.path))
        target = self.packs_dir / f"{pack_id}-{version}.toml"
        _write_new_file(target, raw, pack_id, version)
        return ImportResult(PackInfo.of(pack, target, False), added=True)


def _same_bytes(path: Path, raw: bytes) -> bool:
    try:
        return path.read_bytes() == raw
    except OSError:
        return False


def _write_new_file(target: Path, raw: bytes, pack_id: str, version: str) -> None:
    """Write `raw` to `target` so that it appears whole or not at all, and never replaces
    a file that is already there."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".import-", suffix=".part")
    except OSError as exc:
        raise RmdeskError("pack_import_failed", path=str(folder),
                          reason=exc.strerror or str(exc)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, target)  # fails if the target exists: nothing is overwritten
        except FileExistsError:
            if not _same_bytes(target, raw):
                raise RmdeskError("pack_version_exists", id=pack_id, version=version,
                                  path=str(target)) from None
        except OSError:  # no hard links here (FAT on a USB stick): check, then rename
            if target.exists():
                if not _same_bytes(target, raw):
                    raise RmdeskError("pack_version_exists", id=pack_id, version=version,
                                      path=str(target)) from None
            else:
                os.replace(tmp, target)
    except OSError as exc:
        raise RmdeskError("pack_import_failed", path=str(target),
                          reason=exc.strerror or str(exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
