"""Where in a TOML text a value was written: line numbers for pydantic's loc paths.

tomllib returns plain dicts without positions, so a validation error such as
``('exercises', 3, 'title')`` would not tell a facilitator where to look. This module
scans the text once, the way a TOML parser would, and records the line on which every
table, array-of-tables element, key (plain, dotted, quoted, inside inline tables) and
array element starts, keyed by the same path pydantic reports:

    [[exercises]]          -> ('exercises', 0)          (every [[...]] adds an element)
    [exercises.title]      -> ('exercises', 0, 'title') (the last element of the array)
    title.en = "..."       -> (..., 'title') and (..., 'title', 'en')
    tips = [ {en = ".."} ] -> (..., 'tips'), (..., 'tips', 0), (..., 'tips', 0, 'en')

`line_of(loc)` answers with the line of the longest known prefix of `loc`: the key
itself, else the table that should have held it. It is only ever given text that tomllib
accepted, and it never raises: on anything unexpected it keeps what it found so far.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence

Loc = tuple[str | int, ...]

_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = frozenset(",]}\n#")


class _Stop(Exception):
    """The scan reached something it cannot read; keep what was recorded."""


def format_loc(loc: Sequence[str | int]) -> str:
    """('exercises', 3, 'title') -> 'exercises[3].title', as a facilitator reads it."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            if text and not set(text) <= _BARE_KEY:
                text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
            out += f".{text}" if out else text
    return out


class TomlLocator:
    """Line numbers (1-based) of the tables, keys and array elements of one TOML text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: dict[Loc, int] = {}
        self._explicit: set[Loc] = set()
        self._aot: dict[Loc, int] = {}  # array-of-tables path -> number of elements so far
        self._pos = 0
        self._line = 1
        try:
            self._scan()
        except (_Stop, IndexError, ValueError, tomllib.TOMLDecodeError):
            pass

    # -- answers -----------------------------------------------------------------------
    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of `loc`, else of its nearest recorded parent; None if not even the
        first part of it is in the text (a missing top-level table)."""
        path = tuple(loc)
        for n in range(len(path), 0, -1):
            line = self.lines.get(path[:n])
            if line is not None:
                return line
        return None

    # -- recording -----------------------------------------------------------------------
    def _mark(self, path: Loc, line: int, explicit: bool = False) -> None:
        if explicit and path not in self._explicit:
            self._explicit.add(path)
            self.lines[path] = line
        elif path not in self.lines:
            self.lines[path] = line

    # -- low-level reading ----------------------------------------------------------------
    def _peek(self, n: int = 1) -> str:
        return self.text[self._pos : self._pos + n]

    def _advance(self, n: int = 1) -> None:
        chunk = self.text[self._pos : self._pos + n]
        self._line += chunk.count("\n")
        self._pos += n

    def _eof(self) -> bool:
        return self._pos >= len(self.text)

    def _skip_blank(self, newlines: bool) -> None:
        """Spaces and tabs; with `newlines`, also line breaks and comments."""
        while not self._eof():
            char = self._peek()
            if char in " \t\r" or (newlines and char == "\n"):
                self._advance()
            elif newlines and char == "#":
                self._skip_comment()
            else:
                return

    def _skip_comment(self) -> None:
        end = self.text.find("\n", self._pos)
        self._pos = len(self.text) if end < 0 else end

    def _skip_to_line_end(self) -> None:
        self._skip_blank(newlines=False)
        if self._peek() == "#":
            self._skip_comment()
        end = self.text.find("\n", self._pos)
        self._pos = len(self.text) if end < 0 else end

    # -- strings and keys -------------------------------------------------------------------
    def _read_string(self) -> str:
        """A string of any of the four kinds starting here; returns its raw source."""
        start = self._pos
        for quotes in ('"""', "'''"):
            if self._peek(3) == quotes:
                self._advance(3)
                while not self._eof():
                    if quotes == '"""' and self._peek() == "\\":
                        self._advance(2)
                    elif self._peek(3) == quotes:
                        self._advance(3)
                        while self._peek() == quotes[0] and self._peek(3) != quotes:
                            self._advance()  # up to two quotes may end the content
                        return self.text[start : self._pos]
                    else:
                        self._advance()
                raise _Stop
        quote = self._peek()
        self._advance()
        while not self._eof():
            char = self._peek()
            if char == "\\" and quote == '"':
                self._advance(2)
            elif char == quote:
                self._advance()
                return self.text[start : self._pos]
            elif char == "\n":
                raise _Stop
            else:
                self._advance()
        raise _Stop

    def _read_key(self) -> list[str]:
        """A possibly dotted, possibly quoted key: ['title', 'en']."""
        parts: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            char = self._peek()
            if char in ('"', "'"):
                raw = self._read_string()
                parts.append(tomllib.loads(f"k = {raw}")["k"])
            else:
                start = self._pos
                while not self._eof() and self._peek() in _BARE_KEY:
                    self._advance()
                if self._pos == start:
                    raise _Stop
                parts.append(self.text[start : self._pos])
            self._skip_blank(newlines=False)
            if self._peek() != ".":
                return parts
            self._advance()

    # -- structure ---------------------------------------------------------------------------
    def _scan(self) -> None:
        table: Loc = ()
        while True:
            self._skip_blank(newlines=True)
            if self._eof():
                return
            if self._peek() == "[":
                table = self._header()
            else:
                self._key_value(table)
            self._skip_to_line_end()

    def _header(self) -> Loc:
        line = self._line
        array = self._peek(2) == "[["
        self._advance(2 if array else 1)
        parts = self._read_key()
        self._skip_blank(newlines=False)
        self._advance(2 if array else 1)  # ']]' or ']'
        path: Loc = ()
        for i, part in enumerate(parts):
            path = (*path, part)
            last = i == len(parts) - 1
            if last and array:
                index = self._aot.get(path, 0)
                self._aot[path] = index + 1
                self._mark(path, line)
                path = (*path, index)
                self._mark(path, line, explicit=True)
            elif path in self._aot:  # a sub-table of the array's latest element
                self._mark(path, line)
                path = (*path, self._aot[path] - 1)
                self._mark(path, line, explicit=last)
            else:
                self._mark(path, line, explicit=last)
        return path

    def _key_value(self, base: Loc) -> None:
        line = self._line
        parts = self._read_key()
        path = base
        for part in parts:
            path = (*path, part)
            self._mark(path, line)
        self._skip_blank(newlines=False)
        if self._peek() != "=":
            raise _Stop
        self._advance()
        self._skip_blank(newlines=False)
        self._value(path)

    def _value(self, path: Loc) -> None:
        char = self._peek()
        if char in ('"', "'"):
            self._read_string()
        elif char == "{":
            self._inline_table(path)
        elif char == "[":
            self._array(path)
        else:
            start = self._pos
            while not self._eof() and self._peek() not in _SCALAR_END:
                self._advance()
            if self._pos == start:
                raise _Stop

    def _inline_table(self, path: Loc) -> None:
        self._advance()  # '{'
        while True:
            self._skip_blank(newlines=True)
            if self._peek() == "}":
                self._advance()
                return
            self._key_value(path)
            self._skip_blank(newlines=True)
            if self._peek() == ",":
                self._advance()
            elif self._peek() != "}":
                raise _Stop

    def _array(self, path: Loc) -> None:
        self._advance()  # '['
        index = 0
        while True:
            self._skip_blank(newlines=True)
            if self._peek() == "]":
                self._advance()
                return
            self._mark((*path, index), self._line)
            self._value((*path, index))
            self._skip_blank(newlines=True)
            if self._peek() == ",":
                self._advance()
                index += 1
            elif self._peek() != "]":
                raise _Stop
