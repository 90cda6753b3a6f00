"""Reading and writing exchange files: a zip with a manifest, read in memory with limits.

Nothing is ever extracted to disk. A file is read whole (up to a size limit) and every
member is read through zipfile with its own limit, so neither the declared sizes nor the
compression ratio of a hostile file can make rmdesk use more memory than the limits allow.
Every problem is an RmdeskError naming the file and what is wrong; see docs/exchange-format.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator
from pydantic import Field as PField

from rmdesk.errors import RmdeskError
from rmdesk.services.exchange import trust
from rmdesk.services.exchange.schema import (
    GROUP_TABLES,
    KIT_TABLES,
    MAX_JSON_DEPTH,
    MAX_NAME,
    TABLES,
    RecordId,
    TableSpec,
    bad_character,
    content_hash,
    json_depth_exceeds,
    store_value,
    wire_value,
)

FORMAT = "rmdesk-exchange"
FORMAT_VERSION = 1
KIT = "workshop-kit"
GROUP_WORK = "group-work"
KINDS = (KIT, GROUP_WORK)
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"  # Ed25519 over manifest.json's bytes; not in the manifest
TRUST = "trust.json"  # kit only: the workshop's keys and the facilitator's PIN hash
FACILITATOR, GROUP = "facilitator", "group"  # who signed a file
SUFFIX = ".rmdx"

# Limits. Module attributes, so tests can lower them.
MAX_FILE_BYTES = 256 * 1024 * 1024  # the zip itself
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all members, uncompressed
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one member (a data set can be large)
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_ENTRIES = 1000
MAX_RATIO = 100  # uncompressed / compressed, checked for members above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_RECORDS = 200_000  # per table
MAX_HISTORY = 200  # content hashes a record carries

_RECORDS_PATH = re.compile(r"^records/([a-z_]{1,40})\.json$")
_SAFE_FILE = r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,150}"
_PACK_PATH = re.compile(rf"^packs/({_SAFE_FILE}\.toml)$")
_DATASET_PATH = re.compile(rf"^datasets/({_SAFE_FILE})$")
SAFE_FILE_NAME = re.compile(rf"^{_SAFE_FILE}$")
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
PublicKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{43}=$")]
PrivateKey = PublicKey  # 32 raw bytes too
SignatureText = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{86}==$")]
PinHash = Annotated[str, StringConstraints(max_length=300,
                                           pattern=r"^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$"
                                                   r"[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$")]


# -- the manifest ------------------------------------------------------------------------
class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    size: Annotated[int, PField(strict=True, ge=0)]
    sha256: Sha256


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["rmdesk-exchange"]
    format_version: Literal[1]
    kind: Literal["workshop-kit", "group-work"]
    app_version: Annotated[str, StringConstraints(max_length=50)]
    created_at: Annotated[str, StringConstraints(max_length=64)]  # informational only
    workshop_id: RecordId
    workshop_title: Annotated[str, StringConstraints(max_length=MAX_NAME)]
    # Group work: the group. A kit: the group whose laptops it sets up (None: no group).
    group_id: RecordId | None = None
    group_name: Annotated[str, StringConstraints(max_length=MAX_NAME)] | None = None
    signer: Literal["facilitator", "group"]
    signer_key: PublicKey
    entries: Annotated[list[Entry], PField(max_length=MAX_ENTRIES)]

    @model_validator(mode="after")
    def _plain_text(self) -> Manifest:
        for name in ("app_version", "created_at", "workshop_title", "group_name"):
            bad = bad_character(getattr(self, name) or "")
            if bad is not None:
                raise ValueError(f"{name}: character {bad} is not allowed")
        return self


class Signature(BaseModel):
    model_config = ConfigDict(extra="forbid")

    algorithm: Literal["ed25519"]
    signature: SignatureText


ServerText = Annotated[str, StringConstraints(min_length=1, max_length=255,
                                              pattern=r"^[^\x00-\x1f\x7f]+$")]


class GroupServer(BaseModel):
    """The classroom server as the kit's group connects to it: its own role only."""

    model_config = ConfigDict(extra="forbid")

    host: ServerText
    port: Annotated[int, PField(ge=1, le=65535)]
    database: ServerText
    role: ServerText
    password: ServerText


class GroupSecret(BaseModel):
    """The private key of the group a kit sets up a laptop for (and, when the workshop is
    on a classroom server, that group's connection to it)."""

    model_config = ConfigDict(extra="forbid")

    group_id: RecordId
    private_key: PrivateKey
    server: GroupServer | None = None


class KitTrust(BaseModel):
    """trust.json of a kit: the keys a participant laptop pins, and the PIN hash."""

    model_config = ConfigDict(extra="forbid")

    facilitator_key: PublicKey
    facilitator_pin: PinHash
    group_keys: Annotated[dict[RecordId, PublicKey], PField(max_length=MAX_ENTRIES)]
    group_secret: GroupSecret | None = None
    # The workshop's agenda (rmdesk.services.agenda): the exercise ids it shows. Absent
    # (kits from before agendas, or a workshop using every exercise) means all of them.
    exercises: Annotated[list[Annotated[str, StringConstraints(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]],
        PField(min_length=1, max_length=64)] | None = None


class RecordEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: dict[str, Any]
    history: Annotated[list[Sha256], PField(max_length=MAX_HISTORY)] = []


class RecordFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    table: str
    records: Annotated[list[RecordEntry], PField(max_length=MAX_RECORDS)]


# -- what a file holds, once checked -------------------------------------------------------
@dataclass(frozen=True)
class Incoming:
    """One record of a file, validated, with its content hash and known history."""

    spec: TableSpec
    values: dict[str, Any]  # column values, ready for the store
    wire: dict[str, Any]  # the JSON form (what the hash covers)
    key: str
    hash: str
    revision: int
    history: frozenset[str]

    @property
    def label(self) -> str:
        return self.spec.describe(self.wire)


@dataclass
class Bundle:
    name: str  # the file's name, for messages
    manifest: Manifest
    records: dict[str, list[Incoming]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # packs/... and datasets/...
    trust: KitTrust | None = None  # kits only

    @property
    def kind(self) -> str:
        return self.manifest.kind

    def all_records(self) -> Iterable[Incoming]:
        for table in TABLES:
            yield from self.records.get(table, [])


# -- reading -------------------------------------------------------------------------------
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError,
               NotImplementedError, zlib.error, UnicodeDecodeError, KeyError, RuntimeError)


def display_name(path: Path | str) -> str:
    """A file's name for messages and for the record of where a conflict came from, with
    control and direction-override characters shown as U+FFFD: a file named to look like
    another (or to garble a terminal) is shown as what it is."""
    name = Path(path).name
    while (bad := bad_character(name)) is not None:
        name = name.replace(chr(int(bad[2:], 16)), "\ufffd")
    return name


def _refuse(code: str, name: str, **params: object) -> RmdeskError:
    return RmdeskError(code, path=name, **params)


def _unsafe_reason(entry: str) -> str | None:
    """Why an entry name could escape a folder or mislead, if it could."""
    if not entry or len(entry) > 255:
        return "length"
    if any(ord(c) < 32 or c == "\x7f" for c in entry):
        return "control character"
    if "\\" in entry:
        return "backslash"
    if entry.startswith("/") or re.match(r"^[A-Za-z]:", entry) or ":" in entry:
        return "absolute path"
    parts = entry.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "relative path part"
    return None


def _expected(entry: str) -> bool:
    return bool(entry in (MANIFEST, SIGNATURE, TRUST) or _RECORDS_PATH.match(entry)
                or _PACK_PATH.match(entry) or _DATASET_PATH.match(entry))


def _read_file(path: Path) -> bytes:
    name = display_name(path)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _refuse("exchange_unreadable", name, reason="not a file")
            if info.st_size > MAX_FILE_BYTES:
                raise _refuse("exchange_file_too_large", name,
                              size_mb=_mb(info.st_size), limit_mb=_mb(MAX_FILE_BYTES))
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _refuse("exchange_unreadable", name, reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise _refuse("exchange_file_too_large", name,
                      size_mb=_mb(len(data)), limit_mb=_mb(MAX_FILE_BYTES))
    return data


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    try:
        with zf.open(info) as member:
            data = member.read(limit + 1)
    except _ZIP_ERRORS as exc:
        raise _refuse("exchange_damaged", name, entry=info.filename, reason=str(exc)) from None
    if len(data) > limit:
        raise _refuse("exchange_member_too_large", name, entry=info.filename,
                      limit_mb=_mb(limit))
    return data


def _check_infos(infos: list[zipfile.ZipInfo], name: str) -> dict[str, zipfile.ZipInfo]:
    if len(infos) > MAX_ENTRIES:
        raise _refuse("exchange_too_many_entries", name, count=len(infos), limit=MAX_ENTRIES)
    by_name: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    declared = 0
    for info in infos:
        entry = info.filename
        reason = _unsafe_reason(entry)
        if reason is not None:
            raise _refuse("exchange_unsafe_entry", name, entry=entry, reason=reason)
        if entry.casefold() in folded:
            raise _refuse("exchange_duplicate_entry", name, entry=entry)
        folded.add(entry.casefold())
        mode = info.external_attr >> 16
        if info.is_dir() or stat.S_ISLNK(mode) or not _expected(entry):
            raise _refuse("exchange_unexpected_entry", name, entry=entry)
        if info.flag_bits & 0x1:
            raise _refuse("exchange_damaged", name, entry=entry, reason="encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse("exchange_damaged", name, entry=entry, reason="compression method")
        # Declared sizes are only a first screen: members are read with limits anyway.
        if info.file_size > MAX_MEMBER_BYTES:
            raise _refuse("exchange_member_too_large", name, entry=entry,
                          limit_mb=_mb(MAX_MEMBER_BYTES))
        declared += info.file_size
        if declared > MAX_TOTAL_BYTES:
            raise _refuse("exchange_too_large", name, limit_mb=_mb(MAX_TOTAL_BYTES))
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1):
            raise _refuse("exchange_bomb", name, entry=entry)
        by_name[entry] = info
    return by_name


def _json(data: bytes, name: str, entry: str) -> Any:
    if json_depth_exceeds(data):
        raise _refuse("exchange_invalid_json", name, entry=entry,
                      reason=f"nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _refuse("exchange_invalid_json", name, entry=entry, reason="not UTF-8") from None
    except (ValueError, RecursionError) as exc:
        raise _refuse("exchange_invalid_json", name, entry=entry, reason=str(exc)) from None


def _problems(exc: ValidationError, prefix: str = "") -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{prefix}{loc}: {err['msg']}" if loc else f"{prefix}{err['msg']}")
    more = len(exc.errors()) - 5
    if more > 0:
        parts.append(f"(+{more})")
    return "; ".join(parts)


def parse_manifest(data: bytes, name: str) -> Manifest:
    raw = _json(data, name, MANIFEST)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _refuse("exchange_unknown_format", name)
    version = raw.get("format_version")
    # Exactly the integer 1: not true, 1.0 or "1" (JSON and pydantic would let them pass).
    if type(version) is int and version > FORMAT_VERSION:
        raise _refuse("exchange_too_new", name, version=version)
    if type(version) is not int or version != FORMAT_VERSION:
        raise _refuse("exchange_unknown_version", name, version=repr(version)[:20])
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        raise _refuse("exchange_bad_manifest", name, problems=_problems(exc)) from None
    if manifest.kind == GROUP_WORK and manifest.group_id is None:
        raise _refuse("exchange_bad_manifest", name, problems="group_id: missing")
    return manifest


def _check_signature(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo],
                     manifest: Manifest, manifest_bytes: bytes, name: str) -> None:
    """The manifest (and so, through its SHA-256s, every member) is exactly what the key
    it names signed. Whether that key may sign this file is the importer's question."""
    if SIGNATURE not in by_name:
        raise _refuse("exchange_unsigned", name)
    raw = _json(_read_member(zf, by_name[SIGNATURE], 4096, name), name, SIGNATURE)
    try:
        signature = Signature.model_validate(raw)
    except ValidationError:
        raise _refuse("exchange_bad_signature", name) from None
    if not trust.verify(manifest.signer_key, signature.signature, manifest_bytes):
        raise _refuse("exchange_bad_signature", name)


def read_archive(path: Path, data: bytes | None = None) -> tuple[Manifest, dict[str, bytes]]:
    """The manifest and every listed member's bytes, each checked against its SHA-256,
    the manifest against its signature. `data`: the file's bytes already in memory (a
    sync round with a classroom server sends the same archive without a file)."""
    name = display_name(path)
    if data is None:
        data = _read_file(Path(path))
    elif len(data) > MAX_FILE_BYTES:
        raise _refuse("exchange_file_too_large", name,
                      size_mb=_mb(len(data)), limit_mb=_mb(MAX_FILE_BYTES))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except _ZIP_ERRORS:
        raise _refuse("exchange_not_zip", name) from None
    with zf:
        by_name = _check_infos(infos, name)
        if MANIFEST not in by_name:
            raise _refuse("exchange_unknown_format", name)
        manifest_bytes = _read_member(zf, by_name[MANIFEST], MAX_MANIFEST_BYTES, name)
        manifest = parse_manifest(manifest_bytes, name)
        _check_signature(zf, by_name, manifest, manifest_bytes, name)
        listed: dict[str, Entry] = {}
        for entry in manifest.entries:
            if _unsafe_reason(entry.path) is not None or entry.path in (MANIFEST, SIGNATURE):
                raise _refuse("exchange_unsafe_entry", name, entry=entry.path,
                              reason=_unsafe_reason(entry.path) or "manifest")
            if entry.path in listed:
                raise _refuse("exchange_duplicate_entry", name, entry=entry.path)
            listed[entry.path] = entry
        for entry_name in by_name:
            if entry_name not in (MANIFEST, SIGNATURE) and entry_name not in listed:
                raise _refuse("exchange_unlisted_entry", name, entry=entry_name)
        for entry_name in listed:
            if entry_name not in by_name:
                raise _refuse("exchange_missing_entry", name, entry=entry_name)
        members: dict[str, bytes] = {}
        total = 0
        for entry_name, entry in listed.items():
            body = _read_member(zf, by_name[entry_name], MAX_MEMBER_BYTES, name)
            total += len(body)
            if total > MAX_TOTAL_BYTES:
                raise _refuse("exchange_too_large", name, limit_mb=_mb(MAX_TOTAL_BYTES))
            if len(body) != entry.size or hashlib.sha256(body).hexdigest() != entry.sha256:
                raise _refuse("exchange_checksum", name, entry=entry_name)
            members[entry_name] = body
    return manifest, members


def _incoming(spec: TableSpec, entry: RecordEntry, name: str, member: str,
              index: int) -> Incoming:
    try:
        record = spec.record.model_validate(entry.fields)
    except ValidationError as exc:
        raise _refuse("exchange_invalid_record", name, entry=member, index=index + 1,
                      problems=_problems(exc)) from None
    dumped = record.model_dump()
    wire = {key: wire_value(value) for key, value in dumped.items()}
    values = {key: store_value(value) for key, value in dumped.items()}
    return Incoming(
        spec=spec, values=values, wire=wire, key=spec.key_of(values),
        hash=content_hash(spec, wire), revision=int(values.get("revision", 0)),
        history=frozenset(entry.history),
    )


def _inconsistent(name: str, detail: str) -> RmdeskError:
    return _refuse("exchange_inconsistent", name, detail=detail)


def parse_bundle(path: Path, data: bytes | None = None) -> Bundle:
    """Read and check a file (or its bytes, `data`) completely; nothing in the store is
    looked at."""
    name = display_name(path)
    manifest, members = read_archive(path, data)
    bundle = Bundle(name, manifest)
    allowed = KIT_TABLES if manifest.kind == KIT else GROUP_TABLES
    if manifest.kind == KIT and manifest.signer != FACILITATOR:
        raise _refuse("exchange_wrong_facilitator", name, title=manifest.workshop_title)
    for member, body in members.items():
        if member == TRUST:
            if manifest.kind != KIT:
                raise _refuse("exchange_unexpected_entry", name, entry=member)
            bundle.trust = _kit_trust(body, manifest, name)
            continue
        match = _RECORDS_PATH.match(member)
        if match is None:
            if manifest.kind != KIT:
                raise _refuse("exchange_unexpected_entry", name, entry=member)
            bundle.files[member] = body
            continue
        table = match.group(1)
        if table not in allowed:
            raise _refuse("exchange_unexpected_entry", name, entry=member)
        raw = _json(body, name, member)
        try:
            parsed = RecordFile.model_validate(raw)
        except ValidationError as exc:
            raise _refuse("exchange_invalid_records", name, entry=member,
                          problems=_problems(exc)) from None
        if parsed.table != table:
            raise _inconsistent(name, f"{member}: table {parsed.table!r}")
        spec = TABLES[table]
        records = [_incoming(spec, entry, name, member, i)
                   for i, entry in enumerate(parsed.records)]
        keys: set[str] = set()
        ids: set[str] = set()
        for i, record in enumerate(records):
            if record.key in keys or record.values["id"] in ids:
                raise _inconsistent(name, f"{member}: record {i + 1} appears twice")
            keys.add(record.key)
            ids.add(record.values["id"])
        bundle.records[table] = records
    if manifest.kind == KIT and bundle.trust is None:
        raise _refuse("exchange_missing_entry", name, entry=TRUST)
    _check_consistency(bundle)
    return bundle


def _kit_trust(body: bytes, manifest: Manifest, name: str) -> KitTrust:
    raw = _json(body, name, TRUST)
    try:
        kit_trust = KitTrust.model_validate(raw)
    except ValidationError as exc:
        raise _refuse("exchange_invalid_records", name, entry=TRUST,
                      problems=_problems(exc)) from None
    if kit_trust.facilitator_key != manifest.signer_key:
        raise _inconsistent(name, f"{TRUST}: the facilitator's key is not the signer's")
    secret = kit_trust.group_secret
    if (secret.group_id if secret else None) != manifest.group_id:
        raise _inconsistent(name, f"{TRUST}: not the manifest's group")
    if secret is not None and trust.public_of(secret.private_key) != \
            kit_trust.group_keys.get(secret.group_id):
        raise _inconsistent(name, f"{TRUST}: the group's key does not match")
    return kit_trust


def _check_consistency(bundle: Bundle) -> None:
    """Every record belongs to the workshop (and group) the manifest names."""
    m, name = bundle.manifest, bundle.name
    groups = bundle.records.get("work_group", [])
    if m.kind == KIT:
        workshops = bundle.records.get("workshop", [])
        if len(workshops) != 1 or workshops[0].values["id"] != m.workshop_id:
            raise _inconsistent(name, "records/workshop.json: not the manifest's workshop")
        group_ids = {g.values["id"] for g in groups}
        for g in groups:
            if g.values["workshop_id"] != m.workshop_id:
                raise _inconsistent(name, f"records/work_group.json: {g.label}")
        for table in ("exercise_phase",):
            for r in bundle.records.get(table, []):
                if r.values["workshop_id"] != m.workshop_id:
                    raise _inconsistent(name, f"records/{table}.json: {r.label}")
        for r in bundle.records.get("member", []):
            if r.values["group_id"] not in group_ids:
                raise _inconsistent(name, f"records/member.json: {r.label}")
        assert bundle.trust is not None
        if not set(bundle.trust.group_keys) <= group_ids or (
                m.group_id is not None and m.group_id not in group_ids):
            raise _inconsistent(name, f"{TRUST}: a group that is not in the kit")
        _check_files(bundle, workshops[0])
    else:
        if len(groups) != 1 or groups[0].values["id"] != m.group_id or \
                groups[0].values["workshop_id"] != m.workshop_id:
            raise _inconsistent(name, "records/work_group.json: not the manifest's group")
        for table, records in bundle.records.items():
            if table == "work_group":
                continue
            for r in records:
                if r.values["group_id"] != m.group_id:
                    raise _inconsistent(name, f"records/{table}.json: {r.label}")


def pack_file_name(pack_id: str, pack_version: str) -> str:
    return f"{pack_id}-{pack_version}.toml"


def _check_files(bundle: Bundle, workshop: Incoming) -> None:

    name = bundle.name
    _check_datasets(bundle)
    wanted = pack_file_name(workshop.values["pack_id"], workshop.values["pack_version"])
    for member, body in bundle.files.items():
        match = _PACK_PATH.match(member)
        if match is None:
            continue
        if match.group(1) != wanted:
            raise _inconsistent(name, f"{member}: not the workshop's pack")
        # The pack loader's own checks (size, nesting, key and number limits before
        # tomllib, then the model and cross-field rules): a kit's pack is no safer than
        # a pack file, whoever signed the kit.
        from rmdesk.content.loader import parse_pack
        from rmdesk.content.problems import PackError

        try:
            pack = parse_pack(body, member)
        except PackError as exc:
            raise _refuse("exchange_invalid_pack", name, entry=member, problems="; ".join(
                problem.render(lambda text: text) for problem in exc.problems[:5])) from None
        if (pack.pack.id, pack.pack.version) != (workshop.values["pack_id"],
                                                 workshop.values["pack_version"]):
            raise _inconsistent(name, f"{member}: pack {pack.pack.id} {pack.pack.version}")


DATASET_ID = re.compile(r"[0-9a-f]{32}")  # as rmdesk.services.datasets names them
_DATASET_FILE = re.compile(r"^datasets/([0-9a-f]{32})\.(json|npz)$")


def _check_datasets(bundle: Bundle) -> None:
    """A kit's data sets are declaration data and nothing else: pairs of a description
    and its arrays, each read and checked as the data set manager would read it."""
    from rmdesk.services.datasets import DatasetError, _info_from_json, read_npz

    name = bundle.name
    found: dict[str, dict[str, bytes]] = {}
    for member, body in bundle.files.items():
        if not member.startswith("datasets/"):
            continue
        match = _DATASET_FILE.match(member)
        if match is None:
            raise _refuse("exchange_invalid_dataset", name, entry=member,
                          problems="not a declaration data set file")
        found.setdefault(match.group(1), {})[match.group(2)] = body
    for dataset_id, parts in sorted(found.items()):
        member = f"datasets/{dataset_id}"
        if set(parts) != {"json", "npz"}:
            raise _refuse("exchange_invalid_dataset", name, entry=member,
                          problems="description and data must travel together")
        try:
            info = _info_from_json(_json(parts["json"], name, f"{member}.json"),
                                   Path(f"{dataset_id}.json"))
            bad = bad_character(info.name) or bad_character(info.source) or next(
                (found for spec in info.extra  # the data set's own columns' headers
                 if (found := bad_character(spec.label)) is not None), None)
            if bad is not None:
                raise _refuse("exchange_invalid_dataset", name, entry=f"{member}.json",
                              problems=f"character {bad} is not allowed")
            table = read_npz(io.BytesIO(parts["npz"]), info)  # type: ignore[arg-type]
            for column_name, column in table.columns.items():
                for value in getattr(column, "values", ()):  # the text columns' values
                    bad = bad_character(value)
                    if bad is not None:
                        raise _refuse("exchange_invalid_dataset", name, entry=f"{member}.npz",
                                      problems=f"{column_name}: character {bad} is not "
                                               "allowed")
        except DatasetError as exc:
            detail = exc.params.get("detail", exc.code)
            raise _refuse("exchange_invalid_dataset", name, entry=member,
                          problems=str(detail)) from None


# -- writing -------------------------------------------------------------------------------
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def build_archive(manifest_fields: dict[str, Any],
                  records: dict[str, list[tuple[dict[str, Any], list[str]]]],
                  files: dict[str, bytes], private_key: str) -> bytes:
    """The bytes of an exchange file: manifest.json, signature.json (the manifest signed
    with `private_key`), records/<table>.json, then the files."""
    members: dict[str, bytes] = {}
    for table, rows in records.items():
        payload = {"table": table, "records": [
            {"fields": wire, "history": history} for wire, history in rows]}
        members[f"records/{table}.json"] = json.dumps(
            payload, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    members.update(files)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **manifest_fields,
        "entries": [{"path": path, "size": len(body),
                     "sha256": hashlib.sha256(body).hexdigest()}
                    for path, body in members.items()],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    signature = {"algorithm": "ed25519",
                 "signature": trust.sign(private_key, manifest_bytes)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path, body in [(MANIFEST, manifest_bytes),
                           (SIGNATURE, json.dumps(signature).encode("utf-8")),
                           *members.items()]:
            info = zipfile.ZipInfo(path, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, body)
    return out.getvalue()


def now_text() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, flush it to disk, then rename: the
    target is either the whole new file or untouched, and no partial file is left."""
    path = Path(path)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                        dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise RmdeskError("exchange_write_failed", path=str(path),
                          reason=exc.strerror or str(exc)) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
