"""A corpus of bad exchange files, made here: each is refused with the message that says
why, naming the file, and the store is exactly as it was (a full dump before and after)."""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from test_exchange_support import (
    Laptop,
    craft,
    dump,
    fill_group,
    open_laptops,
    read_members,
    remember_keys,
    setup_workshop,
)

from rmdesk.app import main
from rmdesk.services.exchange import archive


@pytest.fixture
def laptops(tmp_path: Path):
    yield from open_laptops(tmp_path)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Made once: the facilitator's laptop (with one group's work already in) and a good
    group file from a participant's laptop."""
    root = tmp_path_factory.mktemp("exchange-template")
    made = open_laptops(root)
    laptops = next(made)
    fac, part = laptops["facilitator"], laptops["participant"]
    workshop_id, g1, g2 = setup_workshop(fac)
    kit = root / "kit.rmdx"
    fac.exchange.export_kit(workshop_id, kit, g1)  # sets the participant's laptop up for g1
    assert part.exchange.import_file(kit).error is None
    fill_group(part, g1)
    fill_group(fac, g2)
    part.exchange.export_group_work(g1, root / "good.rmdx")
    remember_keys(fac.store)
    remember_keys(part.store)
    made.close()  # closes the stores, so their files can be copied
    return root, {"workshop": workshop_id, "g1": g1, "g2": g2}


@pytest.fixture
def scene(template, laptops, tmp_path: Path) -> tuple[Laptop, Path, dict[str, str]]:
    root, ids = template
    shutil.copytree(root / "facilitator", tmp_path / "facilitator")
    good = tmp_path / "good.rmdx"
    shutil.copyfile(root / "good.rmdx", good)
    return laptops["facilitator"], good, ids


def refused(laptop: Laptop, path: Path, *codes: str) -> str:
    before = dump(laptop.store)
    report = laptop.exchange.import_file(path)
    assert report.error is not None, f"{path.name} was not refused"
    assert report.error.code in codes, f"{path.name}: {report.error.code}: {report.error}"
    message = str(report.error)
    assert path.name in message
    assert "Nothing was imported" in message
    assert not report.applied and report.changes == []
    assert dump(laptop.store) == before, "a refused file changed the store"
    return message


def entry_data_span(data: bytes, name: str) -> tuple[int, int]:
    """Where a member's (compressed) bytes are in the zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    offset = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[offset + 26:offset + 30])
    start = offset + 30 + name_len + extra_len
    return start, start + info.compress_size


def central_offset(data: bytes, name: str) -> int:
    """Where a member's central directory record starts."""
    marker = b"PK\x01\x02"
    position = data.find(marker)
    while position != -1:
        name_len = struct.unpack("<H", data[position + 28:position + 30])[0]
        if data[position + 46:position + 46 + name_len] == name.encode():
            return position
        position = data.find(marker, position + 1)
    raise LookupError(name)


# -- not a zip, cut short, damaged ---------------------------------------------------------
def test_empty_and_text_files_are_not_exchange_files(scene, tmp_path: Path) -> None:
    fac, _good, _ids = scene
    for name, body in (("empty.rmdx", b""), ("notes.rmdx", b"Group 1 work\n" * 40),
                       ("photo.rmdx", os.urandom(5000))):
        path = tmp_path / name
        path.write_bytes(body)
        message = refused(fac, path, "exchange_not_zip")
        assert "not a zip archive" in message


@pytest.mark.parametrize("keep", [0.02, 0.3, 0.5, 0.8, 0.97, 0.999])
def test_truncated_files_are_refused(scene, tmp_path: Path, keep: float) -> None:
    fac, good, _ids = scene
    data = good.read_bytes()
    path = tmp_path / f"cut-{int(keep * 1000)}.rmdx"
    path.write_bytes(data[:int(len(data) * keep)])
    refused(fac, path, "exchange_not_zip", "exchange_damaged")


@pytest.mark.parametrize("member", ["manifest.json", "records/risk.json",
                                    "records/exercise_work.json"])
@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_bit_flips_in_the_data_are_refused(scene, tmp_path: Path, member: str,
                                           where: float) -> None:
    fac, good, _ids = scene
    data = bytearray(good.read_bytes())
    start, end = entry_data_span(bytes(data), member)
    position = start + int((end - start - 1) * where)
    data[position] ^= 0x10
    path = tmp_path / f"flip-{member.replace('/', '_')}-{where}.rmdx"
    path.write_bytes(bytes(data))
    refused(fac, path, "exchange_damaged", "exchange_not_zip")


def test_a_tampered_record_file_fails_its_checksum(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    risks = json.loads(members["records/risk.json"])
    risks["records"][0]["fields"]["likelihood"] = 1  # zip CRCs fine, manifest not updated
    members["records/risk.json"] = json.dumps(risks).encode()
    path = craft(tmp_path / "tampered.rmdx", members, fix_checksums=False)
    message = refused(fac, path, "exchange_checksum")
    assert "records/risk.json" in message


def test_a_member_shorter_than_its_manifest_size_fails_its_checksum(scene,
                                                                    tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    manifest = json.loads(members["manifest.json"])
    members["records/member.json"] = members["records/member.json"][:-1]
    path = craft(tmp_path / "short.rmdx", members, manifest=manifest, fix_checksums=False)
    refused(fac, path, "exchange_checksum")


# -- hostile names and sizes ---------------------------------------------------------------
@pytest.mark.parametrize("name", [
    "../evil.json", "records/../../evil.json", "/etc/passwd", "records\\risk.json",
    "C:/Windows/evil.json", "records//risk.json", "./manifest.json", "records/./risk.json",
    "datasets/a\x01b.csv", "records/",
])
def test_names_that_could_escape_are_refused(scene, tmp_path: Path, name: str) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    members[name] = b"{}"
    path = craft(tmp_path / "slip.rmdx", members)
    message = refused(fac, path, "exchange_unsafe_entry")
    assert "unsafe name" in message


def test_duplicate_entry_names_are_refused(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    data = io.BytesIO(good.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it writes
        with zipfile.ZipFile(data, "a") as zf:
            zf.writestr("records/risk.json", b'{"table": "risk", "records": []}')
    path = tmp_path / "twice.rmdx"
    path.write_bytes(data.getvalue())
    refused(fac, path, "exchange_duplicate_entry")


def test_names_differing_only_in_case_are_duplicates(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    members["datasets/Data.csv"] = b"a"
    members["datasets/data.csv"] = b"b"
    refused(fac, craft(tmp_path / "case.rmdx", members), "exchange_duplicate_entry")


def test_unexpected_unlisted_and_missing_entries_are_refused(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    for name in ("notes.txt", "records/setting.json", "packs/custom-1.0.toml"):
        extra = {**members, name: b"{}"}
        refused(fac, craft(tmp_path / "extra.rmdx", extra), "exchange_unexpected_entry")
    manifest = json.loads(members["manifest.json"])
    unlisted = {**members, "datasets/extra.csv": b"a,b\n"}
    refused(fac, craft(tmp_path / "unlisted.rmdx", unlisted, manifest=manifest,
                       fix_checksums=False), "exchange_unlisted_entry")
    missing = dict(members)
    del missing["records/profile.json"]
    refused(fac, craft(tmp_path / "missing.rmdx", missing, manifest=manifest,
                       fix_checksums=False), "exchange_missing_entry")


def test_a_huge_declared_size_is_refused_before_reading(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    data = bytearray(good.read_bytes())
    record = central_offset(bytes(data), "records/risk.json")
    data[record + 24:record + 28] = struct.pack("<I", 0xF0000000)  # ~4 GB uncompressed
    path = tmp_path / "huge.rmdx"
    path.write_bytes(bytes(data))
    refused(fac, path, "exchange_member_too_large")


def test_a_declared_size_smaller_than_the_data_is_caught(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    data = bytearray(good.read_bytes())
    record = central_offset(bytes(data), "records/risk.json")
    size = struct.unpack("<I", data[record + 24:record + 28])[0]
    data[record + 24:record + 28] = struct.pack("<I", size // 2)
    path = tmp_path / "liar.rmdx"
    path.write_bytes(bytes(data))
    refused(fac, path, "exchange_damaged", "exchange_checksum")


def test_a_zip_bomb_is_refused(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    members["datasets/zeros.csv"] = bytes(20 * 1024 * 1024)  # 20 MB that zip to ~20 KB
    path = craft(tmp_path / "bomb.rmdx", members)
    assert path.stat().st_size < 200_000
    message = refused(fac, path, "exchange_bomb")
    assert "datasets/zeros.csv" in message


def test_too_many_entries_are_refused(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    for i in range(archive.MAX_ENTRIES + 1):
        members[f"datasets/part-{i:04d}.csv"] = b"x"
    refused(fac, craft(tmp_path / "many.rmdx", members), "exchange_too_many_entries")


def test_limits_on_members_totals_and_file_size(scene, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    members["datasets/noise.bin"] = os.urandom(50_000)  # does not compress
    path = craft(tmp_path / "big.rmdx", members)
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 40_000)
    refused(fac, path, "exchange_member_too_large")
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1_000_000)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 45_000)
    refused(fac, path, "exchange_too_large")
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10_000_000)
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 30_000)
    refused(fac, path, "exchange_file_too_large")


def test_an_encrypted_member_is_refused(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    data = bytearray(good.read_bytes())
    record = central_offset(bytes(data), "records/risk.json")
    flags = struct.unpack("<H", data[record + 8:record + 10])[0]
    data[record + 8:record + 10] = struct.pack("<H", flags | 0x1)
    path = tmp_path / "locked.rmdx"
    path.write_bytes(bytes(data))
    refused(fac, path, "exchange_damaged")


# -- the manifest --------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "code"), [
    ({"format_version": 2}, "exchange_too_new"),
    ({"format_version": 0}, "exchange_unknown_version"),
    ({"format_version": "1"}, "exchange_unknown_version"),
    ({"format_version": True}, "exchange_unknown_version"),
    ({"format_version": 1.0}, "exchange_unknown_version"),
    ({"format_version": None}, "exchange_unknown_version"),
    ({"format": "zipped-notes"}, "exchange_unknown_format"),
    ({"kind": "everything"}, "exchange_bad_manifest"),
    ({"workshop_id": "../../x"}, "exchange_bad_manifest"),
    ({"surprise": True}, "exchange_bad_manifest"),
    ({"group_id": None}, "exchange_bad_manifest"),
])
def test_manifest_faults_are_refused(scene, tmp_path: Path, change: dict, code: str) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    manifest = {**json.loads(members["manifest.json"]), **change}
    path = craft(tmp_path / "manifest.rmdx", members, manifest=manifest)
    message = refused(fac, path, code)
    if code == "exchange_too_new":
        assert "newer version of rmdesk" in message


def test_missing_or_broken_manifest_is_refused(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    body = members.pop("manifest.json")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    path = tmp_path / "nomanifest.rmdx"
    path.write_bytes(out.getvalue())
    refused(fac, path, "exchange_unknown_format")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("manifest.json", body[:-20])
        for name, data in members.items():
            zf.writestr(name, data)
    path = tmp_path / "brokenmanifest.rmdx"
    path.write_bytes(out.getvalue())
    refused(fac, path, "exchange_invalid_json")


# -- the records ---------------------------------------------------------------------------
def _with_risk(good: Path, tmp_path: Path, name: str,
               edit: Callable[[dict], None]) -> Path:
    members = read_members(good)
    risks = json.loads(members["records/risk.json"])
    edit(risks["records"][0]["fields"])
    members["records/risk.json"] = json.dumps(risks).encode()
    return craft(tmp_path / name, members)


@pytest.mark.parametrize(("field", "value"), [
    ("likelihood", 9), ("likelihood", "4"), ("revision", "3"), ("revision", 0),
    ("event", "x" * 20_001), ("id", "../../etc"), ("deleted", "no"), ("updated_at", "soon"),
    ("feedback", "sneaked in"),
])
def test_invalid_record_fields_are_refused(scene, tmp_path: Path, field: str,
                                           value: object) -> None:
    fac, good, _ids = scene

    def edit(fields: dict) -> None:
        fields[field] = value

    message = refused(fac, _with_risk(good, tmp_path, "field.rmdx", edit),
                      "exchange_invalid_record")
    assert "record 1" in message and field in message


def test_facilitator_fields_in_a_group_file_are_refused(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    answers = json.loads(members["records/exercise_work.json"])
    answers["records"][0]["fields"]["score"] = 10
    members["records/exercise_work.json"] = json.dumps(answers).encode()
    refused(fac, craft(tmp_path / "score.rmdx", members), "exchange_invalid_record")


@pytest.mark.parametrize("body", [
    b"{not json", b"\xff\xfe\x00", b"[" * 100_000, b'{"table": "risk", "records": "none"}',
    b'{"table": "risk", "records": [{"fields": {}, "history": ["nothex"]}]}', b"[]",
])
def test_broken_record_files_are_refused(scene, tmp_path: Path, body: bytes) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    members["records/risk.json"] = body
    refused(fac, craft(tmp_path / "records.rmdx", members), "exchange_invalid_json",
            "exchange_invalid_records", "exchange_invalid_record")


def test_records_of_another_group_are_refused(scene, tmp_path: Path) -> None:
    fac, good, ids = scene

    def edit(fields: dict) -> None:
        fields["group_id"] = ids["g2"]

    refused(fac, _with_risk(good, tmp_path, "other-group.rmdx", edit), "exchange_inconsistent")


def test_a_record_is_never_moved_to_another_group(scene, tmp_path: Path) -> None:
    """A file claiming group 1 owns a risk that is group 2's here."""
    fac, good, ids = scene
    g2_risk = fac.register.list_risks(ids["g2"])[0].id

    def edit(fields: dict) -> None:
        fields["id"] = g2_risk

    refused(fac, _with_risk(good, tmp_path, "move.rmdx", edit), "exchange_inconsistent")


def test_a_record_twice_in_one_file_is_refused(scene, tmp_path: Path) -> None:
    fac, good, _ids = scene
    members = read_members(good)
    risks = json.loads(members["records/risk.json"])
    risks["records"].append(risks["records"][0])
    members["records/risk.json"] = json.dumps(risks).encode()
    refused(fac, craft(tmp_path / "dup-record.rmdx", members), "exchange_inconsistent")


def test_a_kit_with_group_work_in_it_is_refused(scene, tmp_path: Path, laptops) -> None:
    fac, good, ids = scene
    kit = tmp_path / "kit.rmdx"
    fac.exchange.export_kit(ids["workshop"], kit)
    members = read_members(kit)
    members["records/risk.json"] = read_members(good)["records/risk.json"]
    refused(laptops["fresh"], craft(tmp_path / "kit-plus.rmdx", members),
            "exchange_unexpected_entry")


def test_a_kit_with_an_invalid_pack_is_refused(scene, tmp_path: Path, laptops) -> None:
    fac, _good, ids = scene
    from rmdesk.store.models import Workshop

    with fac.store.session() as s:
        workshop = s.get(Workshop, ids["workshop"])
        workshop.pack_id, workshop.pack_version = "almira", "1.0"
        s.add(workshop)
    (fac.data_dir / "packs").mkdir()
    (fac.data_dir / "packs" / "almira-1.0.toml").write_text('[pack]\nid = "almira"\n')
    kit = tmp_path / "kit.rmdx"
    fac.exchange.export_kit(ids["workshop"], kit)
    fresh = laptops["fresh"]
    refused(fresh, kit, "exchange_invalid_pack")
    assert not (fresh.data_dir / "packs").exists()


def test_files_that_cannot_be_read(scene, tmp_path: Path) -> None:
    fac, _good, _ids = scene
    folder = tmp_path / "folder.rmdx"
    folder.mkdir()
    refused(fac, folder, "exchange_unreadable")
    refused(fac, tmp_path / "gone.rmdx", "exchange_unreadable")


# -- the command line ----------------------------------------------------------------------
def test_cli_imports_the_good_files_and_fails_for_the_bad(
        scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fac, good, ids = scene
    data_dir = fac.data_dir
    bad = tmp_path / "bad.rmdx"
    bad.write_bytes(good.read_bytes()[:100])
    code = main(["import", "--data-dir", str(data_dir), str(bad), str(good), "--dry-run"])
    out = capsys.readouterr()
    assert code == 1
    assert "Dry run" in out.out and "good.rmdx: added 6" in out.out
    assert "bad.rmdx" in out.err
    assert fac.register.list_risks(ids["g1"]) == []

    code = main(["import", "--data-dir", str(data_dir), str(bad), str(good)])
    out = capsys.readouterr()
    assert code == 1
    assert "good.rmdx: added 6, updated 0, conflicts 0" in out.out
    assert "Refused: bad.rmdx" in out.err
    assert len(fac.register.list_risks(ids["g1"])) == 2

    assert main(["import", "--data-dir", str(data_dir), str(good)]) == 0
    assert "added 0, updated 0, conflicts 0" in capsys.readouterr().out


def test_cli_export(scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fac, _good, _ids = scene
    data_dir = str(fac.data_dir)
    kit = tmp_path / "out" / "kit.rmdx"
    kit.parent.mkdir()
    assert main(["export", "--data-dir", data_dir, "--workshop", "Taller regional 2026",
                 "-o", str(kit)]) == 0
    assert "workshop kit" in capsys.readouterr().out
    assert read_members(kit)
    work = tmp_path / "out" / "g2.rmdx"
    assert main(["export", "--data-dir", data_dir, "--workshop", "Taller regional 2026",
                 "--group", "Group 2", "-o", str(work)]) == 0
    assert "Group 2" in capsys.readouterr().out
    assert main(["export", "--data-dir", data_dir, "--workshop", "Taller regional 2026",
                 "--group", "Nobody", "-o", str(work)]) == 2
    assert "Nobody" in capsys.readouterr().err
    assert main(["export", "--data-dir", str(tmp_path / "empty"), "--workshop", "x",
                 "-o", str(work)]) == 2
