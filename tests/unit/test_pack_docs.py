"""The examples in docs/content-packs.md are real: the minimal pack validates, and every
TOML snippet parses."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from rmdesk.content.loader import parse_pack
from rmdesk.content.pack import EXERCISE_KINDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "content-packs.md"


def toml_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_minimal_pack_in_the_docs_is_valid() -> None:
    minimal = next(b for b in toml_blocks() if b.startswith("[pack]") and "[case]" in b)
    pack = parse_pack(minimal.encode("utf-8"), "content-packs.md")
    assert pack.pack.languages == ["en", "fr"]


def test_every_snippet_is_toml() -> None:
    for block in toml_blocks():
        tomllib.loads(block)


def test_every_exercise_kind_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert all(f"| `{kind}` |" in text for kind in EXERCISE_KINDS)
