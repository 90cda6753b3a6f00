"""Hostile content packs are refused fast, with a message naming the line, and never with
a traceback; text inside strings never counts against the limits."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.pack_files import pack_text, write_pack

from rmdesk.content import limits
from rmdesk.content.loader import load_pack, parse_pack
from rmdesk.content.problems import PackError
from rmdesk.i18n import gettext_for

BASE = pack_text()
BASE_LINES = BASE.count("\n")
FACT = '\n[[case.facts]]\nlabel = { en = "x", es = "x", pt_BR = "x", fr = "x" }\nvalue = '


def _refusal(text: str) -> PackError:
    with pytest.raises(PackError) as caught:
        parse_pack(text.encode("utf-8"), "hostile.toml")
    return caught.value


HOSTILE = {
    # name: (text, code of the one problem, its line)
    "dotted key": (BASE + "x" + ".a" * 50_000 + " = 1\n", "key_too_long", BASE_LINES + 1),
    "quoted dotted key": (BASE + '"x"' + '."a"' * 20_000 + " = 1\n", "key_too_long",
                          BASE_LINES + 1),
    "dotted header": (BASE + "\n[x" + ".a" * 50_000 + "]\n", "key_too_long", BASE_LINES + 2),
    "dotted key in an inline table": (
        BASE + "y = { " + "b." * 40 + "c = 1 }\n", "key_too_long", BASE_LINES + 1),
    "nested arrays": (BASE + "z = " + "[" * 30_000 + "]" * 30_000 + "\n", "too_deep",
                      BASE_LINES + 1),
    "nested inline tables": (BASE + "z = " + "{a=" * 30_000 + "1" + "}" * 30_000 + "\n",
                             "too_deep", BASE_LINES + 1),
    "arrays nested over lines": (BASE + "z = " + "[\n" * 100 + "]\n" * 100, "too_deep",
                                 BASE_LINES + 1 + limits.MAX_NESTING),
    "an integer of 5000 digits": (BASE + FACT + "9" * 5000 + "\n", "number_too_long",
                                  BASE_LINES + 4),
    "a float of 500 digits": (BASE + FACT + "1." + "5" * 500 + "\n", "number_too_long",
                              BASE_LINES + 4),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_shape_is_refused_naming_its_line(name: str) -> None:
    text, code, line = HOSTILE[name]
    error = _refusal(text)
    assert [(p.code, p.line) for p in error.problems] == [(code, line)]
    for lang in ("en", "es", "pt_BR", "fr"):
        rendered = error.render(gettext_for(lang))
        assert f"hostile.toml:{line}: " in rendered
        assert str(limits.MAX_NESTING if code == "too_deep" else
                   limits.MAX_KEY_PARTS if code == "key_too_long" else limits.MAX_DIGITS) \
            in rendered


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "-2e15", "1e16"])
def test_absurd_fact_values_are_refused(value: str) -> None:
    error = _refusal(BASE + FACT + value + "\n")
    assert [(p.code, p.path, p.line) for p in error.problems] == [
        ("number_out_of_range", "case.facts[0].value", BASE_LINES + 4)]
    assert str(float(value)) in error.render(gettext_for("fr"))


@pytest.mark.parametrize("value", ["0", "-5", "412000", "1e15", "0.125"])
def test_sensible_fact_values_pass(value: str) -> None:
    pack = parse_pack((BASE + FACT + value + "\n").encode(), "fine.toml")
    assert pack.case.facts[0].value == float(value)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PACK_BYTES", 4096)
    at_limit = BASE + "#" * (4096 - len(BASE.encode()) - 1) + "\n"
    assert len(at_limit.encode()) == 4096
    assert load_pack(write_pack(tmp_path, at_limit, "at.toml")).pack.id == "test-pack"
    over = write_pack(tmp_path, at_limit + "#\n" * 600_000, "over.toml")  # 1.2 MB
    read_sizes: list[int] = []
    real_open = open

    class Spy:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            return self.handle.__exit__(*exc)

        def read(self, n: int = -1) -> bytes:
            data = self.handle.read(n)
            read_sizes.append(len(data))
            return data

    monkeypatch.setattr("builtins.open", lambda *a, **k: Spy(real_open(*a, **k)))
    with pytest.raises(PackError) as caught:
        load_pack(over)
    assert sum(read_sizes) <= 4097  # never the whole 1.2 MB
    (problem,) = caught.value.problems
    assert problem.code == "too_large"
    assert problem.params == {"size_mb": "1.2", "limit_mb": "0.1"}
    assert "1.2 MB" in caught.value.render(gettext_for("es"))


def test_bytes_over_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_PACK_BYTES", 2048)
    error = _refusal(BASE + "#" * 3000 + "\n")
    assert [p.code for p in error.problems] == ["too_large"]


def test_megabytes_round_up() -> None:
    mb = 1024 * 1024
    assert limits.megabytes(5 * mb) == "5.0"
    assert limits.megabytes(5 * mb + 1) == "5.1"
    assert limits.megabytes(0) == "0.0"


@pytest.mark.parametrize("text", [
    'a = """never closed\n' + '\\"""' * 20_000,
    'a = "never closed ' + '\\"' * 50_000,
    "a = '''never closed\n" + "''" * 20_000,
])
def test_an_unterminated_string_is_a_syntax_error_with_a_line(text: str) -> None:
    error = _refusal(BASE + text)
    assert [p.code for p in error.problems] == ["toml_syntax"]
    assert error.problems[0].line is not None and error.problems[0].line > BASE_LINES


def test_the_shipped_packs_pass_the_shape_scan() -> None:
    root = Path(__file__).resolve().parents[2] / "resources" / "content"
    for path in root.rglob("*.toml"):
        assert limits.shape_problem(path.read_text("utf-8")) is None, path


# Text in strings: any character TOML allows, brackets, dots and digits above all.
_TEXT = st.text(st.sampled_from("[]{}..0123456789 \"'#=,\n\\ab") | st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x7f"), max_size=400)


def _basic(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6), st.booleans())
def test_strings_never_count_against_the_limits(values: list[str], multiline: bool) -> None:
    lines = []
    for i, value in enumerate(values):
        literal_ok = all(c in "\n\t" or c >= " " for c in value)  # no control characters
        if multiline and literal_ok and "'''" not in value and not value.endswith("'"):
            lines.append(f"k{i} = '''{value}'''")
        else:
            lines.append(f"k{i} = {_basic(value)}")
        lines.append(f'"{"q." * 20}{i}" = {_basic(value)}')  # dots inside a quoted key
    text = "\n".join(lines) + "\n"
    assert tomllib.loads(text)  # valid TOML, whatever the strings hold
    assert limits.shape_problem(text) is None


@pytest.mark.parametrize(("written", "char"), [
    ("\\u0000", "U+0000"), ("\\u001b[2J", "U+001B"), ("\\u202e", "U+202E"),
    ("\u202e", "U+202E"), ("\u2066x\u2069", "U+2066"), ("\\u0085", "U+0085"),
])
def test_control_characters_in_texts_are_refused(written: str, char: str) -> None:
    """NUL, ESC and the bidi overrides hide text or reorder it: refused, with the field."""
    title = f'{{ en = "Risk{written}", es = "S", pt_BR = "P", fr = "F" }}'
    error = _refusal(pack_text(title=title))
    assert [(p.code, p.path, p.params.get("char")) for p in error.problems] == [
        ("control_character", "pack.title.en", char)]
    assert char in error.render(gettext_for("pt_BR"))


def test_line_breaks_and_tabs_are_text() -> None:
    title = '{ en = "Line one\\nline two\\tand a tab", es = "S", pt_BR = "P", fr = "F" }'
    assert parse_pack(pack_text(title=title).encode(), "ok.toml").pack.title.en.count("\n") == 1
