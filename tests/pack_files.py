"""Small content packs written as TOML files, for the tests of loading, validating and
importing packs."""

from __future__ import annotations

from pathlib import Path

# The same text in the four languages, as a TOML inline table.
ALL = '{ en = "E", es = "S", pt_BR = "P", fr = "F" }'


def pack_text(pack_id: str = "test-pack", version: str = "1.0", title: str = ALL,
              exercise_id: str = "e2") -> str:
    """A valid pack with one register_analysis exercise; `title` is a TOML inline table."""
    return f"""\
[pack]
id = "{pack_id}"
version = "{version}"
languages = ["en", "es", "pt_BR", "fr"]
title = {title}

[case]
title = {ALL}
summary = {ALL}
sections = []

[[exercises]]
id = "{exercise_id}"
kind = "register_analysis"
title = {ALL}
instructions = {ALL}
"""


def write_pack(folder: Path, text: str, name: str = "pack.toml") -> Path:
    """`text` written as `folder`/`name` in UTF-8."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
