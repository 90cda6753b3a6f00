"""The TOML locator: the line a facilitator should look at for a pydantic loc path."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest

from rmdesk import paths
from rmdesk.content.locate import Loc, TomlLocator, format_loc
from rmdesk.content.pack import BUILTIN_PACK_FILE

TEXT = '''\
# [not.a.header] in a comment
[pack]
id = "x"  # [also] not a header
languages = ["en",
  "fr"]

[case.title]
en = "Case"

[[case.sections]]
heading = { en = "One", fr = "Un" }
body.en = """
[looks.like.a.header]
key = "but this is text"
"""
body.fr = \'\'\'
[[neither]]
\'\'\'

[[case.sections]]
heading.en = "Two"

[case.sections.body]
en = "Second body"

[[exercises]]
id = "e1"
tips = [
  { en = "first" },
  { en = "second", fr = "deuxième" },
]

[[exercises]]
id = "e2"
"quoted.key" = 1
'single' = "q"
nested = { a = { b = 2 } }

[[exercises.dimensions]]
id = "d1"

[[exercises.dimensions]]
id = "d2"

[exercises.appetite]
statement = { en = "low" }
'''


@pytest.fixture(scope="module")
def locator() -> TomlLocator:
    tomllib.loads(TEXT)  # the sample is valid TOML
    return TomlLocator(TEXT)


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("pack",), 2),
        (("pack", "id"), 3),
        (("pack", "languages"), 4),
        (("pack", "languages", 0), 4),
        (("pack", "languages", 1), 5),
        (("case",), 7),  # first mentioned by [case.title]
        (("case", "title"), 7),
        (("case", "title", "en"), 8),
        (("case", "sections", 0), 10),
        (("case", "sections", 0, "heading"), 11),
        (("case", "sections", 0, "heading", "fr"), 11),
        (("case", "sections", 0, "body"), 12),
        (("case", "sections", 0, "body", "fr"), 16),
        (("case", "sections", 1), 20),
        (("case", "sections", 1, "heading", "en"), 21),
        (("case", "sections", 1, "body"), 23),  # [case.sections.body] = the latest element
        (("case", "sections", 1, "body", "en"), 24),
        (("exercises", 0), 26),
        (("exercises", 0, "tips"), 28),
        (("exercises", 0, "tips", 0), 29),
        (("exercises", 0, "tips", 1, "fr"), 30),
        (("exercises", 1), 33),
        (("exercises", 1, "quoted.key"), 35),
        (("exercises", 1, "single"), 36),
        (("exercises", 1, "nested", "a", "b"), 37),
        (("exercises", 1, "dimensions", 0), 39),
        (("exercises", 1, "dimensions", 1, "id"), 43),
        (("exercises", 1, "appetite", "statement", "en"), 46),
    ],
)
def test_line_of_a_key_table_or_element(locator: TomlLocator, loc: Loc, line: int) -> None:
    assert locator.line_of(loc) == line


def test_text_inside_multiline_strings_is_not_structure(locator: TomlLocator) -> None:
    assert ("looks",) not in locator.lines
    assert ("neither",) not in locator.lines
    assert ("case", "sections", 0, "key") not in locator.lines
    assert ("not",) not in locator.lines and ("also",) not in locator.lines


def test_a_missing_key_points_at_its_enclosing_table(locator: TomlLocator) -> None:
    assert locator.line_of(("exercises", 0, "title")) == 26
    assert locator.line_of(("exercises", 1, "dimensions", 1, "name", "fr")) == 42
    assert locator.line_of(("case", "summary")) == 7
    assert locator.line_of(("exercises", 0, "tips", 0, "fr")) == 29


def test_a_missing_top_level_table_has_no_line(locator: TomlLocator) -> None:
    assert locator.line_of(("indicators",)) is None
    assert locator.line_of(()) is None


def test_an_explicit_table_header_wins_over_its_first_mention() -> None:
    text = '[a.b]\nx = 1\n\n[a]\ny = 2\n'
    assert TomlLocator(text).line_of(("a",)) == 4
    assert TomlLocator(text).line_of(("a", "b")) == 1


def test_windows_line_endings_and_literal_strings() -> None:
    text = "[pack]\r\nid = 'x'\r\n\r\n[[exercises]]\r\nid = 'e#1' # c\r\nkind = \"k\"\r\n"
    locator = TomlLocator(text)
    assert locator.line_of(("exercises", 0, "kind")) == 6
    assert locator.line_of(("exercises", 0, "id")) == 5


def test_unreadable_text_keeps_what_was_found_and_does_not_raise() -> None:
    locator = TomlLocator('[pack]\nid = "x"\n= broken\n[later]\n')
    assert locator.line_of(("pack", "id")) == 2


def _leaves(node: object, loc: Loc = ()) -> Iterator[Loc]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*loc, key))
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from _leaves(value, (*loc, i))
    else:
        yield loc


def _exists(data: object, loc: Loc) -> bool:
    for part in loc:
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return False
    return True


@pytest.mark.parametrize("name", ["sample", "builtin"])
def test_every_value_has_its_own_line_and_every_line_a_value(name: str) -> None:
    if name == "builtin":
        text = (paths.builtin_content_dir() / BUILTIN_PACK_FILE).read_text(encoding="utf-8")
    else:
        text = TEXT
    data = tomllib.loads(text)
    locator = TomlLocator(text)
    unplaced = [format_loc(loc) for loc in _leaves(data) if loc not in locator.lines]
    assert not unplaced
    invented = [format_loc(loc) for loc in locator.lines if not _exists(data, loc)]
    assert not invented
    source = text.splitlines()
    for loc in _leaves(data):  # a key's line names the key (or is its array element)
        last = loc[-1]
        if isinstance(last, str) and last.isidentifier():
            line = source[locator.lines[loc] - 1]
            assert last in line, (format_loc(loc), line)


def test_format_loc() -> None:
    assert format_loc(("exercises", 3, "title")) == "exercises[3].title"
    assert format_loc(("pack", "languages", 0)) == "pack.languages[0]"
    assert format_loc(("a", "b.c")) == 'a."b.c"'
    assert format_loc(()) == ""
