"""Limits a content pack must keep before it is parsed, checked in one linear pass.

A pack comes from a USB stick or an exchange file, so it may be hostile. tomllib and
rmdesk.content.locate take time and memory quadratic in the number of parts of one
dotted key (a 100 KB key `x.a.a.a...` took 79 s and 11 GB to be refused), tomllib
recurses once per level of nested arrays and inline tables (a RecursionError past ~1000),
and Python refuses to turn an integer of more than 4300 digits into a number (a
ValueError). Nothing like that is needed by a real pack: the built-in one is ~450 KB,
nests a few levels and has keys of a few parts. So before any parsing:

- the file may be at most MAX_PACK_BYTES; a larger one is not even read whole;
- `shape_problem(text)` scans the text once with one regular expression and reports the
  first place where lists and tables nest deeper than MAX_NESTING, a key has more than
  MAX_KEY_PARTS dotted parts, or a number has more than MAX_DIGITS digits.

The scan knows TOML's four kinds of strings and its comments, so text inside them
(a sentence with many full stops, brackets in a description) is never counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PACK_BYTES = 5 * 1024 * 1024
MAX_NESTING = 16
MAX_KEY_PARTS = 16
MAX_DIGITS = 40

# One token per match; the kinds that matter are named. Strings and comments are matched
# whole so that nothing inside them counts. At the first quote that opens no complete
# string the scan stops: tomllib reports that syntax error, with its line, in linear time,
# and stopping keeps the scan itself linear (no retrying from every later quote).
_TOKENS = re.compile(
    r'''(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""(?:""?)?'''
    r"""|'''(?:[^']|'(?!''))*'''(?:''?)?"""
    r'''|"(?!"")(?:[^"\\\n]|\\.)*"'''
    r"""|'(?!'')[^'\n]*')"""
    r"""|(?P<unterminated>["'])"""
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<open>[\[{])"
    r"|(?P<close>[\]}])"
    r"|(?P<reset>[=,\n])"
    r"|(?P<dot>\.)"
    r"|(?P<digits>[0-9]+)"
    r"""|[^"'#\[\]{}=,\n.0-9]+"""
    r"|.",
    re.DOTALL,
)


def too_large(size: int) -> bool:
    return size > MAX_PACK_BYTES


def megabytes(size: int) -> str:
    """A size in MB as messages show it: one decimal, rounded up, so that a file just over
    the limit never reads as the limit itself."""
    tenths = -(-size * 10 // (1024 * 1024))
    return f"{tenths // 10}.{tenths % 10}"


@dataclass(frozen=True)
class ShapeProblem:
    """Where (1-based line) a limit is passed, which one (a problems.py code) and its limit."""

    line: int
    code: str  # "too_deep", "key_too_long" or "number_too_long"
    limit: int


def shape_problem(text: str) -> ShapeProblem | None:
    """The first place `text` passes one of the limits, or None; linear in len(text)."""
    depth = 0
    dots = 0  # dots since the last '=', ',', bracket or line break: a key's parts - 1
    line = 1
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        if kind is None or kind == "comment":
            continue
        if kind == "unterminated":
            return None
        if kind == "string":
            line += match.group().count("\n")
        elif kind == "open":
            depth += 1
            dots = 0
            if depth > MAX_NESTING:
                return ShapeProblem(line, "too_deep", MAX_NESTING)
        elif kind == "close":
            depth = max(0, depth - 1)
            dots = 0
        elif kind == "reset":
            dots = 0
            if match.group() == "\n":
                line += 1
        elif kind == "dot":
            dots += 1
            if dots >= MAX_KEY_PARTS:
                return ShapeProblem(line, "key_too_long", MAX_KEY_PARTS)
        elif kind == "digits" and len(match.group()) > MAX_DIGITS:
            return ShapeProblem(line, "number_too_long", MAX_DIGITS)
    return None
