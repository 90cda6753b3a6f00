"""Declaration data sets for the targeting exercises: the built-in one and those a
facilitator imported from CSV, kept in the data folder (the folder of the store file).

Each imported data set is two files in <data folder>/datasets/:

- `<id>.npz`: one array per column. Number, integer, date and flag columns are stored
  as they are (float64, int64, datetime64[D], bool); a category column as `c:<field>`
  (int32 codes, -1 for empty) plus its distinct values as UTF-8 bytes `v:<field>` (uint8)
  cut at the offsets `o:<field>` (int64), so no text array needs pickling or a fixed
  width.
- `<id>.json`: what a list shows without reading the data: name, rows, source file name,
  when it was imported, the fields present and whether it has the outcome.

A data set's own columns (fields beyond the built-in ones) are stored like built-in ones
under their "x:" names (`a:x:tax_rate`, or `c:`/`v:`/`o:x:office`), and described in the
JSON as "extra": [{"name", "kind", "label"}], the label being the file's header. Their
names, kinds, labels and count are checked when read, as everything else is.

The JSON is written last: a data set exists when both files do. Both are written to
temporary files first and then renamed into place, so a full disk or a crash leaves the
old state, never half a data set. Reading trusts neither file: every array's header is
checked (type, shape, length) before it is read, category codes are checked against
their values, and anything wrong gives a DatasetError naming the file. No Qt.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rmdesk.domain.declaration_fields import (
    FIELD_BY_NAME,
    FIELDS,
    MAX_EXTRA_FIELDS,
    FieldSpec,
    extra_field,
    field_label,
)
from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_
from rmdesk.services.targeting import BUILTIN_DATASET

if TYPE_CHECKING:  # numpy loads only when data are saved or read
    import numpy as np

    from rmdesk.domain.declarations import DeclarationTable

DATASETS_DIRNAME = "datasets"
FORMAT = 1
MAX_ROWS = 10_000_000
MAX_NAME = 120
MAX_JSON_BYTES = 64 * 1024
MAX_TEXT_BYTES = 512 * 1024 * 1024  # all distinct values of one column, as UTF-8
STALE_SECONDS = 3600  # temporary files older than this are left over from a crash
_ID = re.compile(r"[0-9a-f]{32}")
BUILTIN_NAME = N_("Built-in practice declarations")
BUILTIN_ROWS = int(BUILTIN_DATASET.split(":")[1])

MESSAGES: dict[str, str] = {
    "dataset_unknown": N_("There is no data set “{id}” on this laptop."),
    "dataset_builtin": N_("The built-in practice declarations cannot be changed or deleted."),
    "dataset_empty": N_("A data set needs at least one row."),
    "dataset_too_many_rows": N_("A data set can have at most {limit} rows; this one has "
                                "{rows}."),
    "dataset_name_too_long": N_("The name is too long ({length} characters, at most {limit})."),
    "dataset_unreadable": N_("The data set file {path} cannot be read: {reason}"),
    "dataset_damaged": N_("The data set file {path} is damaged or was not written by rmdesk: "
                          "{detail}"),
    "dataset_write_failed": N_("The data set could not be saved in {path}: {reason}. "
                               "Nothing was saved."),
    "dataset_delete_failed": N_("The data set file {path} could not be deleted: {reason}"),
}
# What exactly is wrong with a damaged file (the {detail} of dataset_damaged).
DETAILS: dict[str, str] = {
    "not_npz": N_("it is not a data set file."),
    "bad_metadata": N_("its description is not valid ({key})."),
    "missing_column": N_("the column {field} is missing."),
    "extra_column": N_("it holds an unexpected array “{name}”."),
    "wrong_type": N_("the column {field} has the wrong type."),
    "wrong_length": N_("the column {field} has {found} rows instead of {expected}."),
    "bad_codes": N_("the column {field} refers to values it does not have."),
    "bad_text": N_("the values of column {field} are damaged."),
    "too_large": N_("the column {field} is larger than its description says."),
}


class DatasetError(RmdeskError):
    """A data set cannot be saved, read, renamed or deleted; `path` names the file."""

    def render(self, translate: Callable[[str], str]) -> str:
        template = MESSAGES.get(self.code)
        if template is None:
            return super().render(translate)
        params = dict(self.params)
        if "detail" in params:
            detail_params = dict(params.get("detail_params") or {})
            if "field" in detail_params:
                detail_params["field"] = field_label(str(detail_params["field"]), translate)
            params["detail"] = _format(translate(DETAILS.get(str(params["detail"]),
                                                             str(params["detail"]))),
                                       detail_params)
        return _format(translate(template), params)


def _format(template: str, params: Mapping[str, object]) -> str:
    from rmdesk.i18n.formatting import format_number

    params = {key: format_number(value) if isinstance(value, int) and
              not isinstance(value, bool) else value for key, value in params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a broken translation must not crash
        return f"{template} {dict(params)}"


def _damaged(path: Path, detail: str, **detail_params: object) -> DatasetError:
    return DatasetError("dataset_damaged", path=str(path), detail=detail,
                        detail_params=detail_params)


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    name: str  # for the built-in data set: BUILTIN_NAME, to translate where shown
    rows: int
    source: str = ""  # the imported file's name
    imported_at: datetime | None = None
    fields: tuple[str, ...] = ()
    has_outcome: bool = True
    builtin: bool = False
    extra: tuple[FieldSpec, ...] = ()  # the data set's own columns, in the file's order


def builtin_info() -> DatasetInfo:
    return DatasetInfo(BUILTIN_DATASET, BUILTIN_NAME, BUILTIN_ROWS,
                       fields=tuple(f.name for f in FIELDS), has_outcome=True, builtin=True)


# -- the cache of loaded tables -------------------------------------------------------

_CACHE_SIZE = 2  # tables kept in memory (one being run, one to switch back to)
_cache: dict[Path, tuple[tuple[int, int, int], DeclarationTable]] = {}
_cache_lock = threading.Lock()


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size, st.st_ino


class DatasetService:
    """The data sets of one data folder."""

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.problems: list[DatasetError] = []  # what the last list_datasets() left out

    @classmethod
    def for_store(cls, store: object) -> DatasetService:
        return cls(Path(store.path).parent)  # type: ignore[attr-defined]

    @property
    def folder(self) -> Path:
        return self.data_dir / DATASETS_DIRNAME

    def _paths(self, dataset_id: str) -> tuple[Path, Path]:
        if not _ID.fullmatch(dataset_id):  # ids come from the store: never a path
            raise DatasetError("dataset_unknown", id=dataset_id[:80])
        return self.folder / f"{dataset_id}.npz", self.folder / f"{dataset_id}.json"

    # -- listing ----------------------------------------------------------------------
    def list_datasets(self) -> list[DatasetInfo]:
        """The built-in data set first, then the imported ones, newest first. A data set
        whose description is damaged is left out; its error goes to `self.problems`."""
        self.problems = []
        found: list[DatasetInfo] = []
        try:
            entries = sorted(self.folder.iterdir()) if self.folder.is_dir() else []
        except OSError as exc:
            self.problems.append(DatasetError("dataset_unreadable", path=str(self.folder),
                                              reason=exc.strerror or str(exc)))
            entries = []
        names = {p.name for p in entries}
        for path in entries:
            if path.suffix == ".json" and _ID.fullmatch(path.stem):
                if f"{path.stem}.npz" not in names:
                    continue  # half of an interrupted delete
                try:
                    found.append(self._read_info(path))
                except DatasetError as error:
                    self.problems.append(error)
            else:
                self._remove_if_stale(path, names)
        found.sort(key=lambda i: (i.imported_at or datetime.min.replace(tzinfo=UTC)),
                   reverse=True)
        return [builtin_info(), *found]

    def _remove_if_stale(self, path: Path, names: set[str]) -> None:
        """Temporary files of a save that crashed, and data without a description."""
        leftover = path.name.startswith(".") and path.name.endswith(".part")
        orphan = path.suffix == ".npz" and _ID.fullmatch(path.stem) \
            and f"{path.stem}.json" not in names
        if not (leftover or orphan):
            return
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()

    def info(self, dataset_id: str) -> DatasetInfo:
        if dataset_id == BUILTIN_DATASET:
            return builtin_info()
        _npz, meta = self._paths(dataset_id)
        if not meta.exists():
            raise DatasetError("dataset_unknown", id=dataset_id)
        return self._read_info(meta)

    def _read_info(self, path: Path) -> DatasetInfo:
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_JSON_BYTES + 1)
        except OSError as exc:
            raise DatasetError("dataset_unreadable", path=str(path),
                               reason=exc.strerror or str(exc)) from None
        if len(raw) > MAX_JSON_BYTES:
            raise _damaged(path, "bad_metadata", key="size")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _damaged(path, "bad_metadata", key="json") from None
        return _info_from_json(data, path)

    # -- saving -----------------------------------------------------------------------
    def save_dataset(self, table: DeclarationTable, name: str, source: str = "") -> DatasetInfo:
        """Keep `table` as a new data set; both files appear, or neither."""
        rows = len(table)
        if rows == 0:
            raise DatasetError("dataset_empty")
        if rows > MAX_ROWS:
            raise DatasetError("dataset_too_many_rows", rows=rows, limit=MAX_ROWS)
        name = _clean_name(name) or _clean_name(Path(source).stem) or "data"
        info = DatasetInfo(
            id=uuid.uuid4().hex, name=name, rows=rows, source=Path(source).name[:260],
            imported_at=datetime.now(UTC).replace(microsecond=0),
            fields=tuple(f.name for f in FIELDS if f.name in table.columns),
            has_outcome=table.has_outcome(), extra=tuple(table.extra))
        arrays = _arrays_of(table)
        npz, meta = self._paths(info.id)
        written: list[Path] = []
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            npz_tmp = self._write_temp(lambda fh: _savez(fh, arrays), written)
            meta_tmp = self._write_temp(
                lambda fh: fh.write(json.dumps(_info_to_json(info), ensure_ascii=False,
                                               indent=1).encode("utf-8")), written)
            os.replace(npz_tmp, npz)
            written.append(npz)
            os.replace(meta_tmp, meta)  # the data set exists from here on
            _sync_dir(self.folder)
        except OSError as exc:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise DatasetError("dataset_write_failed", path=str(self.folder),
                               reason=exc.strerror or str(exc)) from None
        return info

    def _write_temp(self, write: Callable[[Any], object], written: list[Path]) -> Path:
        fd, name = tempfile.mkstemp(dir=self.folder, prefix=".dataset-", suffix=".part")
        path = Path(name)
        written.append(path)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        return path

    def rename_dataset(self, dataset_id: str, name: str) -> DatasetInfo:
        if dataset_id == BUILTIN_DATASET:
            raise DatasetError("dataset_builtin")
        new_name = _clean_name(name)
        if not new_name:
            raise RmdeskError("name_required")
        info = self.info(dataset_id)
        updated = DatasetInfo(**{**info.__dict__, "name": new_name})
        _npz, meta = self._paths(dataset_id)
        written: list[Path] = []
        try:
            tmp = self._write_temp(
                lambda fh: fh.write(json.dumps(_info_to_json(updated), ensure_ascii=False,
                                               indent=1).encode("utf-8")), written)
            os.replace(tmp, meta)
        except OSError as exc:
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise DatasetError("dataset_write_failed", path=str(meta),
                               reason=exc.strerror or str(exc)) from None
        return updated

    rename = rename_dataset

    def delete_dataset(self, dataset_id: str) -> None:
        if dataset_id == BUILTIN_DATASET:
            raise DatasetError("dataset_builtin")
        npz, meta = self._paths(dataset_id)
        for path in (meta, npz):  # the description first: half a delete lists nothing
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise DatasetError("dataset_delete_failed", path=str(path),
                                   reason=exc.strerror or str(exc)) from None
        with _cache_lock:
            _cache.pop(npz, None)

    # -- loading ----------------------------------------------------------------------
    def load_dataset(self, dataset_id: str) -> DeclarationTable:
        """The data set's table; read again only when its file changed."""
        if dataset_id == BUILTIN_DATASET:
            from rmdesk.services.targeting import builtin_table

            return builtin_table()
        npz, meta = self._paths(dataset_id)
        if not meta.exists() or not npz.exists():
            raise DatasetError("dataset_unknown", id=dataset_id)
        try:
            stamp = _stamp(npz)
        except OSError as exc:
            raise DatasetError("dataset_unreadable", path=str(npz),
                               reason=exc.strerror or str(exc)) from None
        with _cache_lock:
            cached = _cache.get(npz)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        info = self._read_info(meta)
        table = read_npz(npz, info)
        with _cache_lock:
            _cache[npz] = (stamp, table)
            while len(_cache) > _CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
        return table


class GroupData(NamedTuple):
    """The data set a group chose for its runs (E8), as E7's checks and print use it."""

    extra: dict[str, FieldSpec]  # its own columns (name -> spec)
    table: Callable[[], DeclarationTable]  # its declarations, read when first needed
    name: str | None  # its name; None: the built-in sample declarations


def group_data(store: object, work: object, pack: object, group_id: str) -> GroupData:
    """The data set a group chose for its runs (E8), for E7's checks and print; a data
    set no longer on this laptop counts as the built-in one (no own columns)."""
    from rmdesk.services.targeting import builtin_table, group_dataset

    dataset = group_dataset(work, pack, group_id)
    if dataset != BUILTIN_DATASET:
        service = DatasetService.for_store(store)
        try:
            info = service.info(dataset)
        except RmdeskError:
            pass
        else:
            return GroupData({spec.name: spec for spec in info.extra},
                             lambda: service.load_dataset(dataset), info.name)
    return GroupData({}, builtin_table, None)


def run_dataset_name(store: object, dataset_id: str) -> str | None:
    """The name a run's data set is shown by; None for the built-in sample declarations,
    or for a data set no longer on this laptop (its counts then go unnamed)."""
    if not dataset_id or dataset_id == BUILTIN_DATASET:
        return None
    try:
        return DatasetService.for_store(store).info(dataset_id).name
    except RmdeskError:
        return None


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if len(name) > MAX_NAME:
        raise DatasetError("dataset_name_too_long", length=len(name), limit=MAX_NAME)
    return name


def _sync_dir(folder: Path) -> None:
    """Make the renames durable where the system allows it (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- the description ------------------------------------------------------------------


def _info_to_json(info: DatasetInfo) -> dict[str, object]:
    return {
        "format": FORMAT, "id": info.id, "name": info.name, "rows": info.rows,
        "source": info.source,
        "imported_at": info.imported_at.isoformat() if info.imported_at else None,
        "fields": list(info.fields), "has_outcome": info.has_outcome,
        **({"extra": [{"name": spec.name, "kind": spec.kind, "label": spec.label}
                      for spec in info.extra]} if info.extra else {}),
    }


def _info_from_json(data: object, path: Path) -> DatasetInfo:
    def bad(key: str) -> DatasetError:
        return _damaged(path, "bad_metadata", key=key)

    if not isinstance(data, dict):
        raise bad("json")
    if data.get("format") != FORMAT:
        raise bad("format")
    if data.get("id") != path.stem:
        raise bad("id")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise bad("name")
    rows = data.get("rows")
    if not isinstance(rows, int) or isinstance(rows, bool) or not 0 < rows <= MAX_ROWS:
        raise bad("rows")
    source = data.get("source", "")
    if not isinstance(source, str) or len(source) > 1000:
        raise bad("source")
    imported_at = None
    if data.get("imported_at") is not None:
        try:
            imported_at = datetime.fromisoformat(str(data["imported_at"]))
        except ValueError:
            raise bad("imported_at") from None
        if imported_at.tzinfo is None:
            imported_at = imported_at.replace(tzinfo=UTC)
    fields = data.get("fields")
    if not isinstance(fields, list) or not fields or \
            not all(isinstance(f, str) and f in FIELD_BY_NAME for f in fields) or \
            len(set(fields)) != len(fields):
        raise bad("fields")
    has_outcome = data.get("has_outcome")
    if not isinstance(has_outcome, bool) or has_outcome != ("non_compliant" in fields):
        raise bad("has_outcome")
    order = [f.name for f in FIELDS]
    return DatasetInfo(path.stem, " ".join(name.split()), rows, source, imported_at,
                       tuple(sorted(fields, key=order.index)), has_outcome,
                       extra=_extra_from_json(data.get("extra", []), bad))


def _extra_from_json(items: object, bad: Callable[[str], DatasetError]
                     ) -> tuple[FieldSpec, ...]:
    """The data set's own columns as described, each checked (name form, kind, label)."""
    if not isinstance(items, list) or len(items) > MAX_EXTRA_FIELDS:
        raise bad("extra")
    specs: list[FieldSpec] = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"name", "kind", "label"}:
            raise bad("extra")
        try:
            specs.append(extra_field(item["name"], item["kind"], item["label"]))
        except (ValueError, TypeError):
            raise bad("extra") from None
    if len({spec.name for spec in specs}) != len(specs):
        raise bad("extra")
    return tuple(specs)


# -- the arrays -----------------------------------------------------------------------


def _dtypes() -> dict[str, np.dtype]:
    import numpy as np

    return {"number": np.dtype("<f8"), "integer": np.dtype("<i8"),
            "date": np.dtype("<M8[D]"), "flag": np.dtype("|b1")}


def _arrays_of(table: DeclarationTable) -> dict[str, np.ndarray]:
    import numpy as np

    from rmdesk.domain.declarations import CategoryColumn

    dtypes = _dtypes()
    arrays: dict[str, np.ndarray] = {}
    for spec in (*FIELDS, *table.extra):
        column = table.columns.get(spec.name)
        if column is None:
            continue
        if isinstance(column, CategoryColumn):
            values, offsets = _utf8_values(column.values)
            arrays[f"c:{spec.name}"] = np.ascontiguousarray(column.codes, dtype="<i4")
            arrays[f"v:{spec.name}"] = values
            arrays[f"o:{spec.name}"] = offsets
        else:
            arrays[f"a:{spec.name}"] = np.ascontiguousarray(column, dtype=dtypes[spec.kind])
    return arrays


def _utf8_values(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The values as one UTF-8 byte array and the offsets where each starts (and the
    last ends). ASCII text (declaration numbers, codes) has as many bytes as characters,
    so a million distinct values are measured without a bytes object each."""
    import numpy as np

    offsets = np.zeros(len(values) + 1, dtype="<i8")
    joined = "".join(values)
    if joined.isascii():
        np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=len(values)),
                  out=offsets[1:])
        data = joined.encode("ascii")
        del joined
    else:
        del joined
        encoded = [v.encode("utf-8") for v in values]
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        data = b"".join(encoded)
        del encoded
    return np.frombuffer(data, dtype=np.uint8), offsets


def _savez(fh: Any, arrays: dict[str, np.ndarray]) -> None:
    """The archive np.savez writes (stored members, ZIP64, format 1.0 headers), each
    array written from its own memory: np.savez first copies it into bytes, chunk by
    chunk, which at a million rows was the peak of a save."""
    import numpy as np
    from numpy.lib import format as npformat

    with zipfile.ZipFile(fh, mode="w", compression=zipfile.ZIP_STORED,
                         allowZip64=True) as archive:
        for key, array in arrays.items():
            data = np.ascontiguousarray(array)
            with archive.open(f"{key}.npy", mode="w", force_zip64=True) as member:
                npformat.write_array_header_1_0(
                    member, npformat.header_data_from_array_1_0(data))
                member.write(data.view(np.uint8).data)


def read_npz(path: Path, info: DatasetInfo) -> DeclarationTable:
    """Read and check the arrays of `path` against its description `info`."""
    from rmdesk.domain.declarations import CategoryColumn, DeclarationTable

    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise DatasetError("dataset_unknown", id=info.id) from None
    except OSError as exc:
        raise DatasetError("dataset_unreadable", path=str(path),
                           reason=exc.strerror or str(exc)) from None
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _damaged(path, "not_npz") from None
    with archive:
        members = {}
        for item in archive.infolist():
            if not item.filename.endswith(".npy"):
                raise _damaged(path, "extra_column", name=item.filename[:60])
            members[item.filename[:-4]] = item
        kinds = {name: FIELD_BY_NAME[name].kind for name in info.fields}
        kinds.update((spec.name, spec.kind) for spec in info.extra)
        expected: dict[str, tuple[str, str]] = {}  # array name -> (field, role)
        for name, kind in kinds.items():
            if kind == "category":
                for role in ("c", "v", "o"):
                    expected[f"{role}:{name}"] = (name, role)
            else:
                expected[f"a:{name}"] = (name, "a")
        for key in members:
            if key not in expected:
                raise _damaged(path, "extra_column", name=key[:60])
        arrays: dict[str, np.ndarray] = {}
        for key, (name, role) in expected.items():
            if key not in members:
                raise _damaged(path, "missing_column", field=name)
            arrays[key] = _read_member(archive, members[key], path, name, role, info,
                                       kinds[name])
    columns: dict[str, np.ndarray | CategoryColumn] = {}
    for name, kind in kinds.items():
        if kind == "category":
            columns[name] = _category(arrays[f"c:{name}"], arrays[f"v:{name}"],
                                      arrays[f"o:{name}"], path, name)
        else:
            columns[name] = arrays[f"a:{name}"]
    try:
        return DeclarationTable(columns, extra=info.extra)
    except ValueError:  # lengths were checked one by one; this is a last guard
        raise _damaged(path, "not_npz") from None


def _read_member(archive: zipfile.ZipFile, item: zipfile.ZipInfo, path: Path, name: str,
                 role: str, info: DatasetInfo, kind: str) -> np.ndarray:
    """One array, after its header has been checked: a hostile header could otherwise
    ask numpy for terabytes."""
    import numpy as np
    from numpy.lib import format as npformat

    wanted = {"a": _dtypes().get(kind), "c": np.dtype("<i4"), "v": np.dtype("|u1"),
              "o": np.dtype("<i8")}[role]
    try:
        with archive.open(item) as fh:
            version = npformat.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = npformat.read_array_header_1_0(fh)
            elif version in ((2, 0), (3, 0)):
                shape, fortran, dtype = npformat.read_array_header_2_0(fh)
            else:
                raise _damaged(path, "not_npz")
            if dtype != wanted or dtype.hasobject or fortran or len(shape) != 1:
                raise _damaged(path, "wrong_type", field=name)
            length = shape[0]
            if role in ("a", "c") and length != info.rows:
                raise _damaged(path, "wrong_length", field=name, found=length,
                               expected=info.rows)
            if role == "o" and not 1 <= length <= info.rows + 1:
                raise _damaged(path, "wrong_length", field=name, found=length,
                               expected=info.rows)
            if role == "v" and length > MAX_TEXT_BYTES:
                raise _damaged(path, "too_large", field=name)
            size = length * dtype.itemsize
            raw = fh.read(size + 1)
    except DatasetError:
        raise
    except OSError as exc:
        raise DatasetError("dataset_unreadable", path=str(path),
                           reason=exc.strerror or str(exc)) from None
    except Exception:  # noqa: BLE001 - zlib, CRC, header syntax: all mean a damaged file
        raise _damaged(path, "not_npz") from None
    if len(raw) != size:
        raise _damaged(path, "wrong_length" if len(raw) < size else "too_large",
                       field=name, found=len(raw) // max(dtype.itemsize, 1),
                       expected=length)
    return np.frombuffer(raw, dtype=dtype).copy()


def _category(codes: np.ndarray, blob: np.ndarray, offsets: np.ndarray, path: Path,
              name: str) -> Any:
    import numpy as np

    from rmdesk.domain.declarations import CategoryColumn

    count = len(offsets) - 1
    if offsets[0] != 0 or offsets[-1] != len(blob) or (np.diff(offsets) < 0).any():
        raise _damaged(path, "bad_text", field=name)
    if len(codes) and (codes.min() < -1 or codes.max() >= count):
        raise _damaged(path, "bad_codes", field=name)
    data = blob.tobytes()
    try:
        values = tuple(data[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count))
    except UnicodeDecodeError:
        raise _damaged(path, "bad_text", field=name) from None
    return CategoryColumn(codes.astype(np.int32, copy=False), values)
