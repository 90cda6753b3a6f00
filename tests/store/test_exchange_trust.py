"""Who may change what, tried as a hostile participant would: with the real command line
(`rmdesk export`, `rmdesk facilitator reset-pin`), the files it writes, a text editor and
a zip tool (edit a record, re-hash the manifest, re-sign with the key the participant's
laptop holds). Every forged file is refused with a message naming it, through `rmdesk
import`, without a traceback, and the target laptop's store is byte for byte as before."""

from __future__ import annotations

import io
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_exchange_support import (
    PIN,
    Laptop,
    craft,
    dump,
    fill_group,
    open_laptops,
    private_key,
    read_members,
    remember_keys,
    setup_workshop,
)

from rmdesk.app import main
from rmdesk.errors import RmdeskError
from rmdesk.services import settings as keys
from rmdesk.services.exchange import trust
from rmdesk.services.roles import RolesService, verify_pin
from rmdesk.services.settings import SettingsService
from rmdesk.store.models import ExchangeKey

TITLE = "Taller regional 2026"


@dataclass
class Scene:
    root: Path
    ids: dict[str, str]
    files: dict[str, Path]  # kit_g1, kit_g2, kit_all, work_g1, work_g2
    keys: dict[str, str]  # g1 / g2 / facilitator: private keys (from the stores)

    def laptop_dir(self, name: str) -> Path:
        return self.root / name


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """A facilitator's laptop and one laptop per group, set up with the group kits; each
    group's work written with `rmdesk export` and imported on the facilitator's laptop."""
    root = tmp_path_factory.mktemp("trust")
    made = open_laptops(root)
    laptops = next(made)
    fac, p1, p2 = laptops["facilitator"], laptops["p1"], laptops["p2"]
    workshop_id, g1, g2 = setup_workshop(fac)
    files = {name: root / f"{name}.rmdx" for name in
             ("kit_g1", "kit_g2", "kit_all", "work_g1", "work_g2")}
    fac.exchange.export_kit(workshop_id, files["kit_g1"], g1)
    fac.exchange.export_kit(workshop_id, files["kit_g2"], g2)
    fac.exchange.export_kit(workshop_id, files["kit_all"])
    assert p1.exchange.import_file(files["kit_g1"]).error is None
    assert p2.exchange.import_file(files["kit_g2"]).error is None
    fill_group(p1, g1)
    fill_group(p2, g2)
    for laptop, group, name in ((p1, "Grupo Ñandú", "work_g1"), (p2, "Group 2", "work_g2")):
        assert main(["export", "--data-dir", str(laptop.data_dir), "--workshop", TITLE,
                     "--group", group, "-o", str(files[name])]) == 0
        assert fac.exchange.import_file(files[name]).error is None
    signing = {"g1": private_key(p1.store, workshop_id, g1),
               "g2": private_key(p2.store, workshop_id, g2),
               "facilitator": private_key(fac.store, workshop_id)}
    for laptop in (fac, p1, p2):
        remember_keys(laptop.store)
    made.close()
    return Scene(root, {"workshop": workshop_id, "g1": g1, "g2": g2}, files, signing)


@pytest.fixture
def scene(template: Scene, tmp_path: Path) -> Scene:
    """A fresh copy of every laptop and file, for one test to attack."""
    for item in template.root.iterdir():
        target = tmp_path / item.name
        (shutil.copytree if item.is_dir() else shutil.copyfile)(item, target)
    return Scene(tmp_path, template.ids,
                 {k: tmp_path / v.name for k, v in template.files.items()}, template.keys)


def store_bytes(data_dir: Path) -> tuple[bytes, ...]:
    return tuple(p.read_bytes() if p.exists() else b"" for p in
                 (data_dir / "rmdesk.sqlite3", data_dir / "rmdesk.sqlite3-wal"))


def cli_refuses(data_dir: Path, path: Path, capsys: pytest.CaptureFixture[str],
                *codes: str) -> str:
    """`rmdesk import` refuses the file: exit 1, its name and the reason on stderr, no
    traceback, the store's files untouched (and the same refusal from the service)."""
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.store.database import open_store

    before = store_bytes(data_dir)
    code = main(["import", "--data-dir", str(data_dir), str(path)])
    out = capsys.readouterr()
    assert code == 1, out
    assert path.name in out.err and "Nothing was imported" in out.err, out.err
    assert "Traceback" not in out.err + out.out
    assert store_bytes(data_dir) == before, "a refused file changed the store's bytes"
    store = open_store(data_dir)
    try:
        before_dump = dump(store)
        report = ExchangeService(store).import_file(path)
        assert report.error is not None and report.error.code in codes, report.error
        assert dump(store) == before_dump
    finally:
        store.close()
    return out.err


# -- forging files --------------------------------------------------------------------------
def edit_records(members: dict[str, bytes], table: str,
                 edit: Callable[[list[dict]], None]) -> None:
    payload = json.loads(members[f"records/{table}.json"])
    edit(payload["records"])
    members[f"records/{table}.json"] = json.dumps(payload).encode()


def resigned(path: Path, out: Path, key: str, *, manifest_edit: Callable[[dict], None]
             | None = None, edit: Callable[[dict[str, bytes]], None] | None = None,
             claim: str | None = None) -> Path:
    """The file edited, its manifest re-hashed and signed with `key` (which the forger
    holds), naming that key as the signer's (and, in a kit, as the facilitator's)."""
    members = read_members(path)
    manifest = json.loads(members["manifest.json"])
    public = trust.public_of(key)
    manifest["signer_key"] = public
    if claim is not None:
        manifest["signer"] = claim
    if "trust.json" in members:
        kit = json.loads(members["trust.json"])
        kit["facilitator_key"] = public
        members["trust.json"] = json.dumps(kit).encode()
    if edit is not None:
        edit(members)
    if manifest_edit is not None:
        manifest_edit(manifest)
    return craft(out, members, manifest=manifest, sign_with=key)


def reveal_everything(members: dict[str, bytes]) -> None:
    def reveal(records: list[dict]) -> None:
        for record in records:
            record["fields"]["model_revealed"] = True
            record["fields"]["locked"] = False
            record["fields"]["revision"] += 5
    edit_records(members, "exercise_phase", reveal)


def take_over_workshop(members: dict[str, bytes]) -> None:
    """Another pack, another title, one more group."""
    def workshop(records: list[dict]) -> None:
        fields = records[0]["fields"]
        fields.update(title="Hijacked", pack_id="evil-pack", pack_version="6.6.6")
        fields["revision"] += 1

    def groups(records: list[dict]) -> None:
        extra = json.loads(json.dumps(records[0]))
        extra["fields"].update(id="3f1d5c8e-0000-4000-8000-000000000000", name="Intruders")
        records.append(extra)
    edit_records(members, "workshop", workshop)
    edit_records(members, "work_group", groups)


# -- kits -----------------------------------------------------------------------------------
def test_participant_after_reset_pin_cannot_write_a_kit(
        scene: Scene, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The documented way back into facilitator mode gives a participant the mode on
    their own laptop, never the facilitator's key."""
    p1 = str(scene.laptop_dir("p1"))
    assert main(["facilitator", "reset-pin", "--data-dir", p1, "--yes"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("1111\n"))
    assert main(["facilitator", "set-pin", "--data-dir", p1]) == 0
    capsys.readouterr()
    kit = scene.root / "participant-kit.rmdx"
    assert main(["export", "--data-dir", p1, "--workshop", TITLE, "-o", str(kit)]) == 2
    err = capsys.readouterr().err
    assert "Only the facilitator's laptop can write the kit" in err
    assert "Traceback" not in err and not kit.exists()


@pytest.mark.parametrize("target", ["facilitator", "p2"])
@pytest.mark.parametrize("forgery", [
    "reveal, re-signed with the group's key", "take over, re-signed with the group's key",
    "reveal, re-signed with a new key", "reveal, re-hashed, old signature",
    "reveal, re-hashed, no signature", "signed by the group as the group",
])
def test_forged_kits_are_refused(scene: Scene, target: str, forgery: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    kit, out = scene.files["kit_g1"], scene.root / "forged-kit.rmdx"
    if forgery == "reveal, re-signed with the group's key":
        path = resigned(kit, out, scene.keys["g1"], edit=reveal_everything)
        codes = ("exchange_wrong_facilitator",)
    elif forgery == "take over, re-signed with the group's key":
        path = resigned(kit, out, scene.keys["g1"], edit=take_over_workshop)
        codes = ("exchange_wrong_facilitator",)
    elif forgery == "reveal, re-signed with a new key":
        path = resigned(kit, out, trust.new_keypair().private, edit=reveal_everything)
        codes = ("exchange_wrong_facilitator",)
    elif forgery == "signed by the group as the group":
        path = resigned(kit, out, scene.keys["g1"], edit=reveal_everything, claim="group")
        codes = ("exchange_wrong_facilitator",)
    else:
        members = read_members(kit)
        signature = members["signature.json"]
        reveal_everything(members)
        path = craft(out, members, sign=False)  # the manifest re-hashed by the forger
        if forgery.endswith("old signature"):
            members = read_members(path)
            members["signature.json"] = signature
            path = craft(out, members, fix_checksums=False, sign=False)
            # craft drops the signature member: put the old one back, unlisted as it was
            import zipfile
            with zipfile.ZipFile(path, "a") as zf:
                zf.writestr("signature.json", signature)
            codes = ("exchange_bad_signature",)
        else:
            codes = ("exchange_unsigned",)
    err = cli_refuses(scene.laptop_dir(target), path, capsys, *codes)
    assert "forged-kit.rmdx" in err


def test_a_forged_kit_changes_nothing_on_any_laptop_that_has_the_workshop(
        scene: Scene, capsys: pytest.CaptureFixture[str]) -> None:
    """A participant's laptop that has the workshop accepts kits from the pinned key only,
    even a kit that is genuine in every byte but one signature."""
    for target in ("facilitator", "p1", "p2"):
        path = resigned(scene.files["kit_all"], scene.root / f"kit-{target}.rmdx",
                        scene.keys["g2"])
        cli_refuses(scene.laptop_dir(target), path, capsys, "exchange_wrong_facilitator")


def test_a_bit_flipped_signature_is_refused(scene: Scene,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    members = read_members(scene.files["work_g1"])
    signature = json.loads(members["signature.json"])
    raw = bytearray(trust.unb64(signature["signature"], 64) or b"")
    raw[10] ^= 0x01
    manifest = json.loads(members["manifest.json"])
    path = craft(scene.root / "flipped.rmdx", members, manifest=manifest, sign=False)
    import zipfile
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("signature.json", json.dumps(
            {"algorithm": "ed25519", "signature": trust.b64(bytes(raw))}))
    cli_refuses(scene.laptop_dir("facilitator"), path, capsys, "exchange_bad_signature")


# -- group work -----------------------------------------------------------------------------
def _move_to(group_id: str) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        for name in list(members):
            if not name.startswith("records/"):
                continue
            table = name[len("records/"):-len(".json")]

            def move(records: list[dict], table: str = table) -> None:
                for record in records:
                    key = "id" if table == "work_group" else "group_id"
                    record["fields"][key] = group_id
            edit_records(members, table, move)
    return edit


def _other_groups_risk(scene: Scene, *, tombstone: bool,
                       keep_group: bool) -> Callable[[dict[str, bytes]], None]:
    """Group 2's first risk, as group 1's file would carry it."""
    theirs = json.loads(read_members(scene.files["work_g2"])["records/risk.json"])
    record = theirs["records"][0]

    def edit(members: dict[str, bytes]) -> None:
        def add(records: list[dict]) -> None:
            stolen = json.loads(json.dumps(record))
            if not keep_group:
                stolen["fields"]["group_id"] = scene.ids["g1"]
            if tombstone:
                stolen["fields"]["deleted"] = True
                stolen["fields"]["revision"] += 1
            stolen["history"] = [*record["history"]]
            records.append(stolen)
        edit_records(members, "risk", add)
    return edit


def _risk_text(text: str) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        def change(records: list[dict]) -> None:
            records[0]["fields"]["event"] = text
        edit_records(members, "risk", change)
    return edit


def _answer_json(text: str) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        def change(records: list[dict]) -> None:
            records[0]["fields"]["data_json"] = text
        edit_records(members, "exercise_work", change)
    return edit


def _add_member(name: str, body: bytes) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        members[name] = body
    return edit


def _add_field(table: str, **extra: object) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        def change(records: list[dict]) -> None:
            records[0]["fields"].update(extra)
        edit_records(members, table, change)
    return edit


def _kit_member(scene: Scene, name: str) -> bytes:
    return read_members(scene.files["kit_all"])[name]


GROUP_FORGERIES: dict[str, tuple[Callable[[Scene], dict], tuple[str, ...]]] = {
    # group 1's laptop writes "group 2's work", signed with the only key it has
    "another group's work, signed by this group": (
        lambda sc: {"key": sc.keys["g1"], "edit": _move_to(sc.ids["g2"]),
                    "manifest_edit": lambda m: m.update(group_id=sc.ids["g2"],
                                                        group_name="Group 2")},
        ("exchange_wrong_signer",)),
    "the group's key claiming to be the facilitator's": (
        lambda sc: {"key": sc.keys["g1"], "claim": "facilitator"},
        ("exchange_wrong_signer",)),
    "a new key claiming to be the group's": (
        lambda sc: {"key": trust.new_keypair().private},
        ("exchange_wrong_signer",)),
    "another group's risk, moved into this group": (
        lambda sc: {"key": sc.keys["g1"],
                    "edit": _other_groups_risk(sc, tombstone=False, keep_group=False)},
        ("exchange_inconsistent",)),
    "another group's risk, deleted (tombstone)": (
        lambda sc: {"key": sc.keys["g1"],
                    "edit": _other_groups_risk(sc, tombstone=True, keep_group=False)},
        ("exchange_inconsistent",)),
    "another group's record, under its own group": (
        lambda sc: {"key": sc.keys["g1"],
                    "edit": _other_groups_risk(sc, tombstone=True, keep_group=True)},
        ("exchange_inconsistent",)),
    "workshop fields in group work": (
        lambda sc: {"key": sc.keys["g1"],
                    "edit": _add_member("records/workshop.json",
                                        _kit_member(sc, "records/workshop.json"))},
        ("exchange_unexpected_entry",)),
    "phases and reveals in group work": (
        lambda sc: {"key": sc.keys["g1"],
                    "edit": _add_member("records/exercise_phase.json",
                                        _kit_member(sc, "records/exercise_phase.json"))},
        ("exchange_unexpected_entry",)),
    "keys and PIN in group work": (
        lambda sc: {"key": sc.keys["g1"],
                    "edit": _add_member("trust.json", _kit_member(sc, "trust.json"))},
        ("exchange_unexpected_entry",)),
    "feedback and a score in group work": (
        lambda sc: {"key": sc.keys["g1"],
                    "edit": _add_field("exercise_work", feedback="Excellent", score=10)},
        ("exchange_invalid_record",)),
    "deeply nested JSON in an answer": (
        lambda sc: {"key": sc.keys["g1"], "edit": _answer_json('{"a":' + "[" * 5000 + "]"
                                                               * 5000 + "}")},
        ("exchange_invalid_record",)),
    "NUL in a text": (lambda sc: {"key": sc.keys["g1"], "edit": _risk_text("Cocaine\x00")},
                      ("exchange_invalid_record",)),
    "ESC in a text": (lambda sc: {"key": sc.keys["g1"],
                                  "edit": _risk_text("\x1b[31mred\x1b[0m")},
                      ("exchange_invalid_record",)),
    "bidi override in a text": (
        lambda sc: {"key": sc.keys["g1"], "edit": _risk_text("invoice \u202efdp.exe")},
        ("exchange_invalid_record",)),
    "ESC inside an answer's JSON": (
        lambda sc: {"key": sc.keys["g1"], "edit": _answer_json('{"a": "\\u001b[2J"}')},
        ("exchange_invalid_record",)),
    "bidi override in the group name of the manifest": (
        lambda sc: {"key": sc.keys["g1"],
                    "manifest_edit": lambda m: m.update(group_name="Grupo \u202eÑandú")},
        ("exchange_bad_manifest",)),
    "format_version true": (
        lambda sc: {"key": sc.keys["g1"], "manifest_edit": lambda m: m.update(
            format_version=True)}, ("exchange_unknown_version",)),
    "format_version 1.0": (
        lambda sc: {"key": sc.keys["g1"], "manifest_edit": lambda m: m.update(
            format_version=1.0)}, ("exchange_unknown_version",)),
    "format_version \"1\"": (
        lambda sc: {"key": sc.keys["g1"], "manifest_edit": lambda m: m.update(
            format_version="1")}, ("exchange_unknown_version",)),
    "a records file nested 100 000 deep": (
        lambda sc: {"key": sc.keys["g1"],
                    "edit": _add_member("records/risk.json", b"[" * 100_000 + b"]" * 100_000)},
        ("exchange_invalid_json",)),
}


@pytest.mark.parametrize("forgery", sorted(GROUP_FORGERIES))
def test_forged_group_work_is_refused(scene: Scene, forgery: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    make, codes = GROUP_FORGERIES[forgery]
    options = make(scene)
    path = resigned(scene.files["work_g1"], scene.root / "forged-work.rmdx", options["key"],
                    edit=options.get("edit"), manifest_edit=options.get("manifest_edit"),
                    claim=options.get("claim"))
    cli_refuses(scene.laptop_dir("facilitator"), path, capsys, *codes)
    if forgery == "another group's work, signed by this group":  # on its own laptops too
        cli_refuses(scene.laptop_dir("p2"), path, capsys, *codes)


def test_group_work_edited_and_rehashed_is_refused(scene: Scene,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    members = read_members(scene.files["work_g1"])
    signature = members["signature.json"]
    _risk_text("Nothing to see here")(members)
    path = craft(scene.root / "rehashed.rmdx", members, sign=False)
    import zipfile
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("signature.json", signature)
    cli_refuses(scene.laptop_dir("facilitator"), path, capsys, "exchange_bad_signature")
    unsigned = craft(scene.root / "unsigned.rmdx", read_members(path), sign=False)
    cli_refuses(scene.laptop_dir("facilitator"), unsigned, capsys, "exchange_unsigned")


def test_a_group_file_cannot_rename_its_group(scene: Scene) -> None:
    """Groups are the facilitator's: a group file's own group record is never applied, so
    renaming onto another group's name (or any name) changes nothing."""
    def rename(members: dict[str, bytes]) -> None:
        def change(records: list[dict]) -> None:
            records[0]["fields"].update(name="Group 2", position=0, revision=99)
        edit_records(members, "work_group", change)

    path = resigned(scene.files["work_g1"], scene.root / "rename.rmdx", scene.keys["g1"],
                    edit=rename)
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.store.database import open_store

    store = open_store(scene.laptop_dir("facilitator"))
    try:
        before = dump(store)
        report = ExchangeService(store).import_file(path)
        assert report.error is None and not report.changes_anything
        assert dump(store) == before
    finally:
        store.close()


def test_a_kit_data_set_must_be_declaration_data(scene: Scene,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Even signed by the facilitator (a data folder with something else in datasets/),
    a kit carries declaration data sets only."""
    fresh = scene.laptop_dir("fresh")
    fresh.mkdir()
    from rmdesk.store.database import open_store

    open_store(fresh).close()
    for name, body, codes in (
            ("datasets/notes.csv", b"declaration_no\n1\n", ("exchange_invalid_dataset",)),
            ("datasets/" + "a" * 32 + ".json", b'{"format": 1}', ("exchange_invalid_dataset",)),
            ("datasets/" + "b" * 32 + ".npz", b"PK\x05\x06" + b"\0" * 18,
             ("exchange_invalid_dataset",))):
        path = resigned(scene.files["kit_all"], scene.root / "kit-data.rmdx",
                        scene.keys["facilitator"], edit=_add_member(name, body))
        cli_refuses(fresh, path, capsys, *codes)
    # a real data set whose texts hide an ESC and a right-to-left override
    from test_datasets import table

    from rmdesk.domain.declarations import CategoryColumn
    from rmdesk.services.datasets import DatasetService

    folder = scene.root / "dataset-maker"
    data = table(4)
    data.columns["description"] = CategoryColumn.from_strings(
        ["Zapatillas \x1b[2J", "invoice \u202efdp.exe", "ok", ""])
    saved = DatasetService(folder).save_dataset(data, "Port data", "port.csv")
    parts = {f"datasets/{saved.id}.{ext}": (folder / "datasets" / f"{saved.id}.{ext}")
             .read_bytes() for ext in ("json", "npz")}

    def add_both(members: dict[str, bytes]) -> None:
        members.update(parts)
    path = resigned(scene.files["kit_all"], scene.root / "kit-text.rmdx",
                    scene.keys["facilitator"], edit=add_both)
    err = cli_refuses(fresh, path, capsys, "exchange_invalid_dataset")
    assert "description" in err and "U+001B" in err


# -- what a kit sets up, and what never leaves the facilitator's laptop -----------------------
def test_a_kit_sets_the_facilitator_pin_on_a_participant_laptop(scene: Scene) -> None:
    from rmdesk.store.database import open_store

    store = open_store(scene.laptop_dir("p1"))
    try:
        roles = RolesService(store)
        assert roles.has_pin()
        with pytest.raises(RmdeskError) as caught:
            roles.set_first_pin("0000", "0000")  # nobody chooses it first
        assert caught.value.code == "pin_already_set"
        roles.unlock(PIN)  # the facilitator's own PIN works there
        assert roles.is_facilitator
        assert verify_pin(PIN, SettingsService(store).get(keys.FACILITATOR_PIN) or "")
    finally:
        store.close()


def test_secrets_travel_only_where_they_must(scene: Scene) -> None:
    """The facilitator's private key never leaves its laptop; a group's kit carries that
    group's key only; group files carry no key, no PIN and no facilitator data."""
    pin_hash = None
    from rmdesk.store.database import open_store

    store = open_store(scene.laptop_dir("facilitator"))
    try:
        pin_hash = SettingsService(store).get(keys.FACILITATOR_PIN)
    finally:
        store.close()
    assert pin_hash
    secrets = {name: key for name, key in scene.keys.items()}

    def blob(path: Path) -> bytes:
        return b"".join(read_members(path).values())

    for name, path in scene.files.items():
        data = blob(path)
        assert secrets["facilitator"].encode() not in data, name
        if name.startswith("work"):
            assert pin_hash.encode() not in data, name
            assert b"Excellent" not in data and b"score" not in data, name
            for key in ("g1", "g2"):
                assert secrets[key].encode() not in data, name
        else:
            assert pin_hash.encode() in data, name  # the hash, in the kit only
    assert secrets["g1"].encode() in blob(scene.files["kit_g1"])
    assert secrets["g2"].encode() not in blob(scene.files["kit_g1"])
    assert not any(secrets[k].encode() in blob(scene.files["kit_all"]) for k in ("g1", "g2"))
    for laptop, own in (("p1", "g1"), ("p2", "g2")):
        store = open_store(scene.laptop_dir(laptop))
        try:
            with store.session() as s:
                from sqlmodel import select

                held = {row.private_key for row in s.exec(select(ExchangeKey))} - {""}
        finally:
            store.close()
        assert held == {secrets[own]}, laptop


def test_a_laptop_set_up_for_another_group_forgets_the_first_groups_key(
        scene: Scene) -> None:
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.store.database import open_store

    store = open_store(scene.laptop_dir("p1"))
    try:
        service = ExchangeService(store)
        assert service.import_file(scene.files["kit_all"]).error is None  # keeps g1's key
        service.export_group_work(scene.ids["g1"], scene.root / "still.rmdx")
        assert service.import_file(scene.files["kit_g2"]).error is None
        with pytest.raises(RmdeskError) as caught:
            service.export_group_work(scene.ids["g1"], scene.root / "g1-again.rmdx")
        assert caught.value.code == "exchange_not_group_laptop"
        service.export_group_work(scene.ids["g2"], scene.root / "g2-now.rmdx")
    finally:
        store.close()


def test_the_normal_workshop_round_trip_still_works(scene: Scene, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Facilitator writes a kit for a group -> a new laptop imports it -> the group works
    and writes its file -> the facilitator imports it; then a second laptop of the same
    group shares the first one's work. All with the command line."""
    fac, new, twin = (str(scene.laptop_dir(n)) for n in ("facilitator", "new", "twin"))
    kit = tmp_path / "kit-g1-new.rmdx"
    assert main(["export", "--data-dir", fac, "--workshop", TITLE, "--kit-for",
                 "Grupo Ñandú", "-o", str(kit)]) == 0
    for laptop in (new, twin):
        assert main(["import", "--data-dir", laptop, str(kit)]) == 0
        assert "set up for group “Grupo Ñandú”" in capsys.readouterr().out
    from rmdesk.store.database import open_store

    store = open_store(Path(new))
    try:
        laptop = Laptop(store)
        laptop.register.add_risk(scene.ids["g1"], event="Drones over the border",
                                 likelihood=3, impact=4)
    finally:
        store.close()
    work = tmp_path / "new-g1.rmdx"
    assert main(["export", "--data-dir", new, "--workshop", TITLE, "--group",
                 "Grupo Ñandú", "-o", str(work)]) == 0
    capsys.readouterr()
    assert main(["import", "--data-dir", fac, str(work)]) == 0
    assert "added 1" in capsys.readouterr().out
    assert main(["import", "--data-dir", twin, str(work)]) == 0  # a sibling laptop


def test_the_demo_workshop_goes_round_with_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """README's USB section, as typed: demo, set-pin, a kit for Group 2, its laptop, its
    work back to the facilitator."""
    fac, laptop = str(tmp_path / "fac"), str(tmp_path / "g2-laptop")
    demo, kit, work = "Demo workshop", tmp_path / "g2-kit.rmdx", tmp_path / "g2.rmdx"
    assert main(["demo", "--data-dir", fac]) == 0
    assert main(["export", "--data-dir", fac, "--workshop", demo, "--kit-for", "Group 2",
                 "-o", str(kit)]) == 2  # no PIN yet: the kit would leave the laptops open
    assert "Choose the facilitator PIN" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("24681357\n"))
    assert main(["facilitator", "set-pin", "--data-dir", fac]) == 0
    assert main(["export", "--data-dir", fac, "--workshop", demo, "--kit-for", "Group 2",
                 "-o", str(kit)]) == 0
    assert main(["import", "--data-dir", laptop, str(kit)]) == 0
    assert main(["export", "--data-dir", laptop, "--workshop", demo, "--group", "Group 2",
                 "-o", str(work)]) == 0
    assert main(["export", "--data-dir", laptop, "--workshop", demo, "--group", "Group 1",
                 "-o", str(tmp_path / "g1.rmdx")]) == 2
    capsys.readouterr()
    assert main(["import", "--data-dir", fac, str(work)]) == 0
    assert "g2.rmdx: added 0, updated 0, conflicts 0" in capsys.readouterr().out


def test_importing_the_kit_again_does_not_reset_the_wait_between_pin_tries(
        scene: Scene) -> None:
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.store.database import open_store

    store = open_store(scene.laptop_dir("p1"))
    try:
        roles = RolesService(store, clock=lambda: 0.0)
        for _ in range(3):
            with pytest.raises(RmdeskError):
                roles.unlock("0000")
        assert ExchangeService(store).import_file(scene.files["kit_g1"]).error is None
        with pytest.raises(RmdeskError) as caught:
            RolesService(store, clock=lambda: 0.0).unlock(PIN)
        assert caught.value.code == "pin_wait"
    finally:
        store.close()


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_flipped_bit_is_refused_or_changes_nothing(template: Scene,
                                                       data: st.DataObject) -> None:
    """Every byte that carries content is signed or checksummed: a flipped bit anywhere is
    refused, unless it fell where the zip keeps nothing that is imported (a timestamp),
    and then the file does exactly what the original does."""
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.store.database import open_store

    original = template.files["work_g1"].read_bytes()
    position = data.draw(st.integers(0, len(original) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    flipped = bytearray(original)
    flipped[position] ^= 1 << bit
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "flipped.rmdx"
        path.write_bytes(bytes(flipped))
        store = open_store(template.laptop_dir("facilitator"))
        try:
            service = ExchangeService(store)
            report = service.preview(path)
            if report.error is None:
                expected = service.preview(template.files["work_g1"])
                assert report.changes == expected.changes
                assert report.group_name == expected.group_name
        finally:
            store.close()


def test_file_names_are_shown_as_what_they_are(scene: Scene,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A file named with a right-to-left override, an ESC or bytes that are not UTF-8 is
    imported (its content is what counts) and named with U+FFFD where those were."""
    import os

    fac = str(scene.laptop_dir("facilitator"))
    for raw in ("work-\u202efdp.exe\x1b[2J.rmdx".encode(), b"work-\xff\xfe.rmdx"):
        path = scene.root / os.fsdecode(raw)
        shutil.copyfile(scene.files["work_g1"], path)
        assert main(["import", "--data-dir", fac, str(path)]) == 0
        out = capsys.readouterr().out
        assert "\ufffd" in out and "\x1b" not in out and "\u202e" not in out
        assert not any("\udc80" <= c <= "\udcff" for c in out)
        forged = scene.root / os.fsdecode(raw.replace(b"work", b"bad"))
        forged.write_bytes(path.read_bytes()[:200])
        assert main(["import", "--data-dir", fac, str(forged)]) == 1
        err = capsys.readouterr().err
        assert "\ufffd" in err and "\x1b" not in err and "Traceback" not in err


def test_a_new_group_key_shuts_out_a_lost_laptop(scene: Scene,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Group 1's laptop p1 is stolen: the facilitator gives the group a new key; p1's files
    are refused on the facilitator's laptop, and on group 1's new laptop set up with the
    new kit, which signs again."""
    fac, p1 = str(scene.laptop_dir("facilitator")), str(scene.laptop_dir("p1"))
    assert main(["facilitator", "new-group-key", "--data-dir", fac, "--workshop", TITLE,
                 "--group", "Grupo Ñandú"]) == 0
    assert "new signing key" in capsys.readouterr().out
    stolen = scene.root / "stolen.rmdx"
    assert main(["export", "--data-dir", p1, "--workshop", TITLE, "--group", "Grupo Ñandú",
                 "-o", str(stolen)]) == 0  # the thief still signs with the old key...
    cli_refuses(scene.laptop_dir("facilitator"), stolen, capsys, "exchange_wrong_signer")
    kit = scene.root / "new-kit.rmdx"
    assert main(["export", "--data-dir", fac, "--workshop", TITLE, "--kit-for",
                 "Grupo Ñandú", "-o", str(kit)]) == 0
    replacement = str(scene.root / "replacement")
    assert main(["import", "--data-dir", replacement, str(kit)]) == 0
    cli_refuses(Path(replacement), stolen, capsys, "exchange_wrong_signer")
    fresh_work = scene.root / "replacement.rmdx"
    assert main(["export", "--data-dir", replacement, "--workshop", TITLE, "--group",
                 "Grupo Ñandú", "-o", str(fresh_work)]) == 0
    assert main(["import", "--data-dir", fac, str(fresh_work)]) == 0
    # on a participant laptop of another group, the next kit brings the new key
    assert main(["import", "--data-dir", str(scene.laptop_dir("p2")),
                 str(scene.files["work_g1"])]) == 0  # the old key, before the new kit
    kit_all = scene.root / "new-kit-all.rmdx"
    assert main(["export", "--data-dir", fac, "--workshop", TITLE, "-o", str(kit_all)]) == 0
    assert main(["import", "--data-dir", str(scene.laptop_dir("p2")), str(kit_all)]) == 0
    capsys.readouterr()
    cli_refuses(scene.laptop_dir("p2"), stolen, capsys, "exchange_wrong_signer")
    assert main(["export", "--data-dir", str(scene.laptop_dir("p2")), "--workshop", TITLE,
                 "--group", "Group 2", "-o", str(scene.root / "p2.rmdx")]) == 0  # still g2's
    assert main(["facilitator", "new-group-key", "--data-dir", p1, "--workshop", TITLE,
                 "--group", "Grupo Ñandú"]) == 2  # only the facilitator's laptop can
    assert "Only the facilitator's laptop" in capsys.readouterr().err


def test_a_kit_pack_passes_the_pack_limits(scene: Scene,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A kit's content pack goes through the pack loader's limits, signed or not: nesting
    that would overflow tomllib's recursion, or a 5000-digit number, is refused with a
    message, never a traceback."""
    from rmdesk.services.exchange.archive import pack_file_name
    from rmdesk.store.database import open_store

    fresh = scene.laptop_dir("fresh-pack")
    fresh.mkdir()
    open_store(fresh).close()
    member = "packs/" + pack_file_name("hostile", "1")
    for body in (b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n",
                 b"[pack]\nid = 1" + b"9" * 5000 + b"\n"):
        def edit(members: dict[str, bytes], body: bytes = body) -> None:
            def change(records: list[dict]) -> None:
                records[0]["fields"].update(pack_id="hostile", pack_version="1")
            edit_records(members, "workshop", change)
            members[member] = body
        path = resigned(scene.files["kit_all"], scene.root / "kit-pack.rmdx",
                        scene.keys["facilitator"], edit=edit)
        err = cli_refuses(fresh, path, capsys, "exchange_invalid_pack")
        assert "Traceback" not in err
