"""Fuzzing what an exchange file says about itself: whatever the manifest or a record holds,
reading it either succeeds with a valid value or fails with one of the refusals a user is
shown, never with another exception. No store here."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmdesk.errors import MESSAGES, RmdeskError
from rmdesk.services.exchange import archive, trust

MANIFEST_CODES = {"exchange_invalid_json", "exchange_unknown_format", "exchange_too_new",
                  "exchange_unknown_version", "exchange_bad_manifest"}
ARCHIVE_CODES = MANIFEST_CODES | {
    "exchange_unsigned", "exchange_bad_signature", "exchange_unsafe_entry",
    "exchange_duplicate_entry", "exchange_unlisted_entry",
    "exchange_missing_entry", "exchange_checksum", "exchange_too_many_entries"}
BUNDLE_CODES = ARCHIVE_CODES | {"exchange_invalid_json", "exchange_invalid_records",
                                "exchange_invalid_record", "exchange_inconsistent"}

KEY = trust.new_keypair()  # the group laptop's key: the files here are signed with it
WORKSHOP, GROUP = "5aad78bb-a419-42e2-b136-4fcf5147bf92", "405bf8df-7dfd-4b21-84c8-9712ed833ec7"
GROUP_RECORD = {"id": GROUP, "workshop_id": WORKSHOP, "name": "Grupo Ñandú", "position": 0,
                "revision": 1}
RISK_RECORD = {
    "id": "04a4a758-a37e-47eb-b576-97ae8e34afa2", "group_id": GROUP, "code": "R1",
    "event": "Undervalued footwear", "cause": "", "consequence": "", "area": "revenue",
    "controls": "", "owner": "", "likelihood": 4, "likelihood_reason": "", "impact": 3,
    "impact_reason": "", "position": 0, "deleted": False, "revision": 2,
    "updated_at": "2026-03-10T09:00:00",
}


def members(risk: dict[str, Any] | None = None) -> dict[str, bytes]:
    def table(name: str, record: dict[str, Any]) -> bytes:
        return json.dumps({"table": name, "records": [{"fields": record, "history": []}]}
                          ).encode()

    return {"records/work_group.json": table("work_group", GROUP_RECORD),
            "records/risk.json": table("risk", risk if risk is not None else RISK_RECORD)}


def good_manifest(body: dict[str, bytes]) -> dict[str, Any]:
    return {
        "format": "rmdesk-exchange", "format_version": 1, "kind": "group-work",
        "app_version": "0.1.0", "created_at": "2026-03-10T09:00:00+00:00",
        "workshop_id": WORKSHOP, "workshop_title": "Taller", "group_id": GROUP,
        "group_name": "Grupo Ñandú", "signer": "group", "signer_key": KEY.public,
        "entries": [{"path": p, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
                    for p, b in body.items()],
    }


def zipped(manifest: Any, body: dict[str, bytes]) -> bytes:
    """A file signed with KEY (whatever the manifest says), so that the checks behind the
    signature's are the ones exercised."""
    out = io.BytesIO()
    manifest_bytes = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("signature.json", json.dumps(
            {"algorithm": "ed25519", "signature": trust.sign(KEY.private, manifest_bytes)}))
        for path, data in body.items():
            zf.writestr(path, data)
    return out.getvalue()


def read(data: bytes, what: str = "bundle") -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.rmdx"
        path.write_bytes(data)
        if what == "archive":
            return archive.read_archive(path)
        return archive.parse_bundle(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False)
    | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)
MANIFEST_KEYS = list(good_manifest(members())) + ["extra", ""]


def test_the_good_file_reads() -> None:
    body = members()
    bundle = read(zipped(good_manifest(body), body))
    assert bundle.kind == "group-work"
    assert [r.values["code"] for r in bundle.records["risk"]] == ["R1"]
    assert bundle.records["risk"][0].revision == 2


def test_every_refusal_has_a_message() -> None:
    codes = BUNDLE_CODES | {"exchange_damaged", "exchange_not_zip", "exchange_bomb",
                            "exchange_member_too_large", "exchange_too_large",
                            "exchange_file_too_large", "exchange_unreadable",
                            "exchange_unexpected_entry", "exchange_invalid_pack",
                            "exchange_foreign_workshop", "exchange_write_failed",
                            "exchange_import_write_failed", "exchange_wrong_facilitator",
                            "exchange_wrong_signer", "exchange_unknown_group",
                            "exchange_invalid_dataset"}
    for code in codes:
        assert code in MESSAGES
        assert "{path}" in MESSAGES[code]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_a_manifest(raw: bytes) -> None:
    try:
        manifest = archive.parse_manifest(raw, "fuzz.rmdx")
    except RmdeskError as exc:
        assert exc.code in MANIFEST_CODES
    else:
        assert manifest.format_version == archive.FORMAT_VERSION


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_as_a_manifest(value: Any) -> None:
    try:
        archive.parse_manifest(json.dumps(value).encode(), "fuzz.rmdx")
    except RmdeskError as exc:
        assert exc.code in MANIFEST_CODES


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(MANIFEST_KEYS), json_values, min_size=1, max_size=3),
       st.lists(st.sampled_from(MANIFEST_KEYS), max_size=2))
def test_a_manifest_with_keys_changed_or_removed(changes: dict[str, Any],
                                                 removed: list[str]) -> None:
    body = members()
    manifest = {**good_manifest(body), **changes}
    for key in removed:
        manifest.pop(key, None)
    try:
        bundle = read(zipped(manifest, body))
    except RmdeskError as exc:
        assert exc.code in BUNDLE_CODES, exc
        assert "fuzz.rmdx" in str(exc)
    else:
        assert bundle.manifest.format == "rmdesk-exchange"
        assert bundle.manifest.group_id == GROUP


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({
    "path": st.sampled_from(["records/risk.json", "records/work_group.json", "../x",
                             "records/risk.json ", "manifest.json", "/abs", "a\\b"])
    | st.text(max_size=30),
    "size": st.integers(-5, 10**12),
    "sha256": st.sampled_from(["0" * 64, "xyz"]) | st.text(max_size=70),
}), max_size=4))
def test_fuzzed_manifest_entries(entries: list[dict[str, Any]]) -> None:
    body = members()
    manifest = {**good_manifest(body), "entries": entries}
    try:
        read(zipped(manifest, body), "archive")
    except RmdeskError as exc:
        assert exc.code in ARCHIVE_CODES, exc
    else:  # pragma: no cover - hashes of the real members are never guessed
        raise AssertionError("a fuzzed list of entries matched the members")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(RISK_RECORD) + ["feedback", "score", "x"]), json_values)
def test_fuzzed_record_fields(field: str, value: Any) -> None:
    risk = {**RISK_RECORD, field: value}
    body = members(risk)
    try:
        bundle = read(zipped(good_manifest(body), body))
    except RmdeskError as exc:
        assert exc.code in BUNDLE_CODES, exc
    else:
        [record] = bundle.records["risk"]
        assert set(record.values) == set(RISK_RECORD)
        assert record.values["likelihood"] in (None, 1, 2, 3, 4, 5)
        assert isinstance(record.values["revision"], int) and record.values["revision"] >= 1
