"""The cache of parsed pack files (rmdesk.content.cache): a second load skips the TOML
parser, and a cache that is stale or damaged in any way is ignored and rebuilt, never
trusted."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
from tests.pack_files import pack_text, write_pack

from rmdesk.content import cache
from rmdesk.content.loader import load_pack
from rmdesk.content.problems import PackError


@pytest.fixture
def toml_file(tmp_path: Path) -> Path:
    return write_pack(tmp_path, pack_text(title='{ en = "First", es = "S", pt_BR = "P", '
                                                'fr = "F" }'))


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    (tmp_path / "cache").mkdir()
    return tmp_path / "cache" / "pack.json"


def no_toml_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_text: str) -> dict[str, object]:
        raise AssertionError("the TOML was parsed although the cache holds it")

    monkeypatch.setattr(tomllib, "loads", refuse)


def test_the_second_load_comes_from_the_cache(
    toml_file: Path, cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_pack(toml_file, cache_file)
    assert cache_file.exists()
    no_toml_parser(monkeypatch)
    second = load_pack(toml_file, cache_file)
    assert second == first
    assert second.pack.title.get("en") == "First"


def test_an_edited_pack_is_read_again(toml_file: Path, cache_file: Path) -> None:
    load_pack(toml_file, cache_file)
    toml_file.write_text(pack_text(title='{ en = "Second", es = "S", pt_BR = "P", fr = "F" }'),
                         encoding="utf-8")
    assert load_pack(toml_file, cache_file).pack.title.get("en") == "Second"
    assert load_pack(toml_file, cache_file).pack.title.get("en") == "Second"


def _damage_truncate(blob: bytes) -> bytes:
    return blob[: len(blob) // 2]


def _damage_flip(blob: bytes) -> bytes:  # one changed letter in the data
    return blob.replace(b'"First"', b'"Firsu"')


def _damage_header(blob: bytes) -> bytes:
    return b"not json" + blob[blob.index(b"\n"):]


def _damage_consistent(blob: bytes) -> bytes:
    """Data that matches its own checksum but is not what the TOML says."""
    head, _nl, payload = blob.partition(b"\n")
    payload = payload.replace(b'"First"', b'"Forged"')
    header = json.loads(head)
    header["data_sha256"] = cache._sha256(payload)
    return json.dumps(header).encode() + b"\n" + payload


def _damage_invalid(blob: bytes) -> bytes:
    """Consistent checksums over data that is not a valid pack at all."""
    head, _nl, _payload = blob.partition(b"\n")
    payload = b'{"pack": 3}'
    header = json.loads(head)
    header["data_sha256"] = cache._sha256(payload)
    return json.dumps(header).encode() + b"\n" + payload


@pytest.mark.parametrize("damage", [
    lambda blob: b"", lambda blob: b"\x00\xff" * 100, _damage_truncate, _damage_flip,
    _damage_header, _damage_invalid,
], ids=["empty", "binary", "truncated", "flipped", "header", "invalid"])
def test_a_damaged_cache_is_ignored_and_rebuilt(
    toml_file: Path, cache_file: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    good = load_pack(toml_file, cache_file)
    cache_file.write_bytes(damage(cache_file.read_bytes()))  # type: ignore[operator]
    assert load_pack(toml_file, cache_file) == good
    no_toml_parser(monkeypatch)  # rebuilt: the next load is served from the cache again
    assert load_pack(toml_file, cache_file) == good


def test_a_cache_from_other_bytes_is_not_used(toml_file: Path, cache_file: Path) -> None:
    load_pack(toml_file, cache_file)
    cache_file.write_bytes(_damage_consistent(cache_file.read_bytes()))
    # The forged text matches its checksum, but the cache claims other bytes than these:
    # it is still good for exactly the bytes it was made from, which a changed file is not.
    toml_file.write_text(pack_text(title='{ en = "Third", es = "S", pt_BR = "P", fr = "F" }'),
                         encoding="utf-8")
    assert load_pack(toml_file, cache_file).pack.title.get("en") == "Third"


def test_a_cache_of_another_format_or_python_is_not_used(
    toml_file: Path, cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_pack(toml_file, cache_file)
    raw = toml_file.read_bytes()
    assert cache.read(cache_file, raw) is not None
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    assert cache.read(cache_file, raw) is None
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT - 1)
    monkeypatch.setattr(cache, "_PYTHON", "2.7")
    assert cache.read(cache_file, raw) is None


def test_a_faulty_pack_is_reported_from_its_file_and_not_cached(
    tmp_path: Path, cache_file: Path
) -> None:
    bad = write_pack(tmp_path, pack_text().replace('kind = "register_analysis"', 'kind = "x"'),
                     name="bad.toml")
    for _attempt in range(2):
        with pytest.raises(PackError) as info:
            load_pack(bad, cache_file)
        assert [p.line for p in info.value.problems] == [14]  # kind = "x"
        assert not cache_file.exists()


def test_a_cache_that_cannot_be_written_changes_nothing(toml_file: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-data-folder" / "cache" / "pack.json"
    assert load_pack(toml_file, missing).pack.title.get("en") == "First"
    assert not (tmp_path / "no-such-data-folder").exists()  # never creates the data folder


def test_data_json_cannot_carry_exactly_is_not_cached(cache_file: Path) -> None:
    assert not cache.write(cache_file, b"x", {"when": dt.date(2025, 1, 1)})
    assert not cache.write(cache_file, b"x", {"value": float("nan")})
    assert not cache_file.exists()
    assert not list(cache_file.parent.iterdir())  # no temporary file left behind
    assert cache.write(cache_file, b"x", {"value": 1.5, "n": 2, "ok": True, "t": ["é"]})
    assert cache.read(cache_file, b"x") == {"value": 1.5, "n": 2, "ok": True, "t": ["é"]}
    assert cache.read(cache_file, b"y") is None
