"""Imported declaration data sets in the data folder: every column kind survives a round
trip, damaged or hostile files give a clear error naming the file, and a failed save
leaves nothing behind."""

from __future__ import annotations

import errno
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.i18n import set_language
from rmdesk.services import datasets as ds
from rmdesk.services.datasets import DatasetError, DatasetService
from rmdesk.services.targeting import BUILTIN_DATASET


def table(rows: int = 4, outcome: bool = True) -> DeclarationTable:
    columns: dict[str, object] = {
        "declaration_no": CategoryColumn.from_strings(
            [f"25VD{i // 2:07d}" for i in range(rows)]),
        "item_no": np.arange(1, rows + 1, dtype=np.int64),
        "date": np.array(["2025-03-14"] * (rows - 1) + ["NaT"], dtype="datetime64[D]"),
        "hs_code": CategoryColumn.from_strings(["870323", "640411", "", "870323"][:rows] +
                                               ["300490"] * max(0, rows - 4)),
        "description": CategoryColumn.from_strings(
            ["Voitures d’occasion", "Zapatillas ñandú", "鞋", ""][:rows] +
            ["x"] * max(0, rows - 4)),
        "transhipment": np.array([True, False] * (rows // 2) + [True] * (rows % 2)),
        "declared_value": np.array([12500.0, np.nan, 0.5, 1e9][:rows] +
                                   [1.0] * max(0, rows - 4)),
    }
    if outcome:
        columns["non_compliant"] = np.array([False, True] * (rows // 2) + [False] * (rows % 2))
    return DeclarationTable(columns)  # type: ignore[arg-type]


def same(a: DeclarationTable, b: DeclarationTable) -> None:
    assert list(a.columns) == list(b.columns)
    for name, column in a.columns.items():
        other = b.columns[name]
        if isinstance(column, CategoryColumn):
            assert isinstance(other, CategoryColumn)
            assert column.decode() == other.decode()
            assert column.values == other.values
            assert other.codes.dtype == np.int32
        else:
            assert other.dtype == column.dtype
            np.testing.assert_array_equal(other, column)


@pytest.fixture
def service(tmp_path: Path) -> DatasetService:
    return DatasetService(tmp_path)


def test_round_trip_of_every_column_kind(service: DatasetService) -> None:
    original = table()
    info = service.save_dataset(original, "  Port  of\tValdoria ", "/somewhere/extract.csv")
    assert info.name == "Port of Valdoria" and info.source == "extract.csv"
    assert info.rows == 4 and info.has_outcome and not info.builtin
    assert info.fields == ("declaration_no", "item_no", "date", "hs_code", "description",
                           "transhipment", "declared_value", "non_compliant")
    loaded = DatasetService(service.data_dir).load_dataset(info.id)
    same(original, loaded)
    assert np.isnat(loaded.column("date")[-1])
    listed = service.list_datasets()
    assert [d.id for d in listed] == [BUILTIN_DATASET, info.id]
    assert listed[1] == info
    assert sorted(p.name for p in service.folder.iterdir()) == sorted(
        [f"{info.id}.npz", f"{info.id}.json"])  # no temporary file left


def test_the_arrays_are_stored_as_numpy_writes_them(service: DatasetService) -> None:
    """Written from the arrays' own memory, the members are byte for byte np.savez's:
    any numpy reads the data sets of older and newer versions alike."""
    info = service.save_dataset(table(6), "Same bytes")
    arrays = ds._arrays_of(table(6))
    written = io.BytesIO()
    np.savez(written, **arrays)  # type: ignore[arg-type]
    with zipfile.ZipFile(service.folder / f"{info.id}.npz") as ours, \
            zipfile.ZipFile(written) as numpys:
        assert ours.namelist() == numpys.namelist()
        for name in numpys.namelist():
            assert ours.read(name) == numpys.read(name), name


def test_builtin_is_listed_first_and_cannot_be_changed(service: DatasetService) -> None:
    builtin = service.list_datasets()[0]
    assert builtin.builtin and builtin.id == BUILTIN_DATASET and builtin.rows == 20000
    for attempt in (lambda: service.delete_dataset(BUILTIN_DATASET),
                    lambda: service.rename_dataset(BUILTIN_DATASET, "Mine")):
        with pytest.raises(DatasetError) as caught:
            attempt()
        assert caught.value.code == "dataset_builtin"
    assert len(service.load_dataset(BUILTIN_DATASET)) == 20000


def test_without_outcome_rename_delete_and_cache(service: DatasetService) -> None:
    info = service.save_dataset(table(5, outcome=False), "", "march.csv")
    assert info.name == "march" and not info.has_outcome
    first = service.load_dataset(info.id)
    assert not first.has_outcome()
    assert service.load_dataset(info.id) is first  # unchanged file: cached
    renamed = service.rename_dataset(info.id, "March sample")
    assert service.info(info.id).name == "March sample" == renamed.name
    assert service.load_dataset(info.id) is first  # renaming does not touch the data
    service.delete_dataset(info.id)
    assert [d.id for d in service.list_datasets()] == [BUILTIN_DATASET]
    assert list(service.folder.iterdir()) == []
    with pytest.raises(DatasetError) as caught:
        service.load_dataset(info.id)
    assert caught.value.code == "dataset_unknown"


def test_a_changed_file_is_read_again(service: DatasetService) -> None:
    info = service.save_dataset(table(), "A", "a.csv")
    first = service.load_dataset(info.id)
    other = service.save_dataset(table(6), "B", "b.csv")
    npz = service.folder / f"{info.id}.npz"
    os.replace(service.folder / f"{other.id}.npz", npz)  # a new file in its place
    meta = json.loads((service.folder / f"{info.id}.json").read_text())
    meta["rows"] = 6
    (service.folder / f"{info.id}.json").write_text(json.dumps(meta))
    assert len(service.load_dataset(info.id)) == 6 != len(first)


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "", "x" * 300, "ABC"])
def test_ids_never_become_paths(service: DatasetService, bad_id: str) -> None:
    with pytest.raises(DatasetError) as caught:
        service.load_dataset(bad_id)
    assert caught.value.code == "dataset_unknown"
    assert len(str(caught.value)) < 200


def test_empty_and_overlong_names(service: DatasetService) -> None:
    with pytest.raises(DatasetError) as caught:
        service.save_dataset(DeclarationTable({"hs_code": CategoryColumn.from_strings([])}),
                             "x", "x.csv")
    assert caught.value.code == "dataset_empty"
    with pytest.raises(DatasetError) as caught:
        service.save_dataset(table(), "n" * 500, "x.csv")
    assert caught.value.code == "dataset_name_too_long"
    assert not service.folder.exists() or list(service.folder.iterdir()) == []


# -- damaged and hostile files ---------------------------------------------------------


def saved(service: DatasetService) -> tuple[str, Path, Path]:
    info = service.save_dataset(table(), "Port", "port.csv")
    return info.id, service.folder / f"{info.id}.npz", service.folder / f"{info.id}.json"


def damaged(service: DatasetService, dataset_id: str, detail: str | None = None) -> str:
    with pytest.raises(DatasetError) as caught:
        DatasetService(service.data_dir).load_dataset(dataset_id)
    error = caught.value
    assert error.code in ("dataset_damaged", "dataset_unreadable")
    if detail is not None:
        assert error.params["detail"] == detail
    text = str(error)
    assert dataset_id in text and "{" not in text  # names the file, every blank filled
    return text


def rewrite(npz: Path, change) -> None:
    with np.load(npz, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    change(arrays)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    npz.write_bytes(buffer.getvalue())


def test_garbage_and_truncated_files(service: DatasetService) -> None:
    dataset_id, npz, _meta = saved(service)
    good = npz.read_bytes()
    npz.write_bytes(b"this is not a zip file at all")
    assert "not a data set file" in damaged(service, dataset_id, "not_npz")
    npz.write_bytes(good[: len(good) // 2])
    damaged(service, dataset_id)
    npz.write_bytes(good[:-30])  # the archive's directory cut short
    damaged(service, dataset_id)
    npz.write_bytes(b"")
    damaged(service, dataset_id)


def test_flipped_bytes_inside_an_array(service: DatasetService) -> None:
    dataset_id, npz, _meta = saved(service)
    data = bytearray(npz.read_bytes())
    at = data.find(b"Zapatillas")
    assert at > 0
    data[at:at + 4] = b"\xff\xfe\xfd\xfc"  # the zip's checksum no longer matches
    npz.write_bytes(bytes(data))
    damaged(service, dataset_id)


@pytest.mark.parametrize(("change", "detail"), [
    (lambda a: a.update({"a:item_no": a["a:item_no"].astype(np.float64)}), "wrong_type"),
    (lambda a: a.update({"a:date": a["a:date"].astype("datetime64[s]")}), "wrong_type"),
    (lambda a: a.update({"c:hs_code": a["c:hs_code"].astype(np.int64)}), "wrong_type"),
    (lambda a: a.update({"a:declared_value": a["a:declared_value"].astype(">f8")}),
     "wrong_type"),
    (lambda a: a.update({"a:item_no": np.array([[1, 2], [3, 4]])}), "wrong_type"),
    (lambda a: a.update({"a:item_no": a["a:item_no"][:3]}), "wrong_length"),
    (lambda a: a.update({"c:hs_code": np.array([0, 1, 7, -1], dtype=np.int32)}), "bad_codes"),
    (lambda a: a.update({"c:hs_code": np.array([0, 1, -2, 0], dtype=np.int32)}), "bad_codes"),
    (lambda a: a.update({"o:description": np.array([0, 5, 3, 99])}), "bad_text"),
    (lambda a: a.update({"v:description": np.frombuffer(b"\xff" * len(a["v:description"]),
                                                        dtype=np.uint8)}), "bad_text"),
    (lambda a: a.pop("a:transhipment"), "missing_column"),
    (lambda a: a.update({"payload": np.zeros(4)}), "extra_column"),
    (lambda a: a.update({"a:item_no": np.array([1, 2, 3, 4], dtype=object)}), None),
])
def test_wrong_arrays_are_refused(service: DatasetService, change, detail) -> None:
    dataset_id, npz, _meta = saved(service)
    if detail is None:  # an object array can only be written with pickling
        with np.load(npz, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
        change(arrays)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        npz.write_bytes(buffer.getvalue())
        assert "wrong type" in damaged(service, dataset_id, "wrong_type")
        return
    rewrite(npz, change)
    damaged(service, dataset_id, detail)


def test_hostile_header_asking_for_terabytes(service: DatasetService) -> None:
    dataset_id, npz, _meta = saved(service)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<i8", "fortran_order": False, "shape": (10**12,)})
    replaced = io.BytesIO()
    with zipfile.ZipFile(npz) as src, zipfile.ZipFile(replaced, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "a:item_no.npy":
                data = header.getvalue() + b"\x00" * 64
            dst.writestr(item.filename, data)
    npz.write_bytes(replaced.getvalue())
    damaged(service, dataset_id, "wrong_length")


def test_hostile_descriptions_are_left_out_of_the_list(service: DatasetService) -> None:
    dataset_id, _npz, meta = saved(service)
    good = json.loads(meta.read_text())
    cases = [
        b"\x00\x01 binary",
        b"[1, 2, 3]",
        b"[" * 100000,
        b'{"format": 1}',
        json.dumps({**good, "id": "../../x"}).encode(),
        json.dumps({**good, "rows": -5}).encode(),
        json.dumps({**good, "rows": True}).encode(),
        json.dumps({**good, "rows": 10**12}).encode(),
        json.dumps({**good, "name": ""}).encode(),
        json.dumps({**good, "name": ["x"]}).encode(),
        json.dumps({**good, "fields": ["hs_code", "__class__"]}).encode(),
        json.dumps({**good, "has_outcome": "yes"}).encode(),
        json.dumps({**good, "imported_at": "yesterday"}).encode(),
        json.dumps({**good, "format": 99}).encode(),
        json.dumps({**good, "source": "x" * 5000}).encode(),
        b'{"name": "' + b"x" * 100000 + b'"}',
    ]
    for raw in cases:
        meta.write_bytes(raw)
        assert [d.id for d in service.list_datasets()] == [BUILTIN_DATASET], raw[:60]
        assert len(service.problems) == 1
        assert str(meta) in str(service.problems[0])
        damaged(service, dataset_id, "bad_metadata")
    meta.write_text(json.dumps({**good, "rows": 3}))  # fine as JSON, wrong for the data
    damaged(service, dataset_id, "wrong_length")


def test_messages_are_translated(service: DatasetService) -> None:
    dataset_id, npz, _meta = saved(service)
    npz.write_bytes(b"garbage")
    with pytest.raises(DatasetError) as caught:
        service.load_dataset(dataset_id)
    set_language("es")
    try:
        from rmdesk.i18n import _

        text = caught.value.render(_)
    finally:
        set_language("en")
    assert str(npz) in text


# -- failed writes ---------------------------------------------------------------------


def test_full_disk_leaves_nothing(service: DatasetService, monkeypatch) -> None:
    service.save_dataset(table(), "Earlier", "earlier.csv")
    before = sorted(p.name for p in service.folder.iterdir())

    def full(fh, arrays) -> None:
        fh.write(b"PK\x03\x04 half an archive")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ds, "_savez", full)
    with pytest.raises(DatasetError) as caught:
        service.save_dataset(table(), "New", "new.csv")
    assert caught.value.code == "dataset_write_failed"
    assert "No space left on device" in str(caught.value)
    assert str(service.folder) in str(caught.value)
    assert sorted(p.name for p in service.folder.iterdir()) == before
    assert [d.name for d in service.list_datasets()[1:]] == ["Earlier"]


def test_failure_when_the_description_is_renamed_leaves_nothing(
        service: DatasetService, monkeypatch) -> None:
    real_replace = os.replace

    def failing(src, dst) -> None:
        if str(dst).endswith(".json"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_replace(src, dst)

    monkeypatch.setattr(ds.os, "replace", failing)
    with pytest.raises(DatasetError):
        service.save_dataset(table(), "New", "new.csv")
    assert list(service.folder.iterdir()) == []


def test_read_only_folder(service: DatasetService, monkeypatch) -> None:
    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(ds.tempfile, "mkstemp", refused)
    with pytest.raises(DatasetError) as caught:
        service.save_dataset(table(), "New", "new.csv")
    assert "Permission denied" in str(caught.value)
    assert not service.folder.exists() or list(service.folder.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a user that file permissions apply to")
def test_really_read_only_folder(service: DatasetService) -> None:
    service.folder.mkdir(parents=True)
    service.folder.chmod(0o500)
    try:
        with pytest.raises(DatasetError) as caught:
            service.save_dataset(table(), "New", "new.csv")
        assert caught.value.code == "dataset_write_failed"
    finally:
        service.folder.chmod(0o700)


def test_data_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "datasets").write_text("in the way")
    service = DatasetService(tmp_path)
    with pytest.raises(DatasetError) as caught:
        service.save_dataset(table(), "New", "new.csv")
    assert caught.value.code == "dataset_write_failed"
    assert [d.id for d in service.list_datasets()] == [BUILTIN_DATASET]


def test_stale_leftovers_are_cleaned(service: DatasetService) -> None:
    dataset_id, npz, meta = saved(service)
    leftover = service.folder / ".dataset-abc.part"
    leftover.write_bytes(b"half")
    orphan = service.folder / ("0" * 32 + ".npz")
    orphan.write_bytes(npz.read_bytes())
    fresh = service.folder / ".dataset-new.part"
    fresh.write_bytes(b"being written")
    old = 1_000_000_000
    os.utime(leftover, (old, old))
    os.utime(orphan, (old, old))
    assert [d.id for d in service.list_datasets()] == [BUILTIN_DATASET, dataset_id]
    assert not leftover.exists() and not orphan.exists() and fresh.exists()
    assert npz.exists() and meta.exists()
