"""Reading and validating a content pack, reporting every fault with its line.

Three passes over one file, and nothing is returned unless all three are clean:

1. bytes -> text -> TOML (tomllib; a syntax error stops here, with its line);
2. the pydantic models of rmdesk.content.pack (types, required fields, unknown keys);
3. checks across fields, run on the raw TOML data so they are reported even when pass 2
   failed too: every declared language present in every text, unique ids, and the
   parameters an exercise kind needs.

Every problem's loc path is turned into a line by rmdesk.content.locate.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from rmdesk.content.pack import ContentPack, LocalizedText
from rmdesk.i18n import LANGUAGES, SOURCE_LANGUAGE

# A good pack loaded from the cache needs neither tomllib nor the fault reporting
# (problems, locate): they are imported where they are used, off the start-up path.
if TYPE_CHECKING:
    import tomllib

    from rmdesk.content.locate import Loc
    from rmdesk.content.problems import PackProblem

# Parameters an exercise kind cannot do without: kind -> (field, must be a non-empty list).
REQUIRED_BY_KIND: dict[str, tuple[str, bool]] = {
    "evaluation": ("appetite", False),  # E4
    "maturity": ("dimensions", True),  # E12
    "compliance_pyramid": ("segments", True),  # E14
    "intelligence": ("intel_items", True),  # E15
}

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def load_pack(path: Path, cache_file: Path | None = None) -> ContentPack:
    """Read and validate the pack in `path`; raises PackError naming every fault.
    With `cache_file`, pass 1 may be served from there (see parse_pack)."""
    return parse_pack(read_pack_bytes(path), str(path), cache_file)


def read_pack_bytes(path: Path) -> bytes:
    """The file's bytes, or a PackError saying why not: unreadable (code pack_unreadable),
    or larger than limits.MAX_PACK_BYTES (found without reading more than that)."""
    from rmdesk.content import limits

    try:
        with open(path, "rb") as handle:
            raw = handle.read(limits.MAX_PACK_BYTES + 1)
    except OSError as exc:
        from rmdesk.content.problems import PackError, PackProblem

        reason = exc.strerror or str(exc)
        problem = PackProblem(str(path), None, "", "unreadable", {"reason": reason})
        raise PackError(str(path), [problem], code="pack_unreadable", reason=reason) from None
    if limits.too_large(len(raw)):
        _refuse_size(str(path), Path(path).stat().st_size)
    return raw


def _refuse_size(file: str, size: int) -> None:
    from rmdesk.content import limits
    from rmdesk.content.problems import PackError, PackProblem

    params = {"size_mb": limits.megabytes(size),
              "limit_mb": limits.megabytes(limits.MAX_PACK_BYTES)}
    raise PackError(file, [PackProblem(file, None, "", "too_large", params)])


def parse_pack(raw: bytes, file: str, cache_file: Path | None = None) -> ContentPack:
    """Validate the bytes of a pack; `file` is the name used in messages.

    With `cache_file` (rmdesk.content.cache), the TOML parse of exactly these bytes is
    read from there when it was kept before, and kept there after a clean load. Passes 2
    and 3 run on cached data as on parsed data; a cache that does not pass them is
    ignored and the TOML parsed, so a fault is always reported from the file itself."""
    if cache_file is None:
        return _parse_pack(raw, file)[0]
    from rmdesk.content import cache

    cached = cache.read(cache_file, raw)
    if cached is not None:
        pack = _valid_pack(cached)
        if pack is not None:
            return pack
    pack, data = _parse_pack(raw, file)
    cache.write(cache_file, raw, data)
    return pack


def _valid_pack(data: dict[str, Any]) -> ContentPack | None:
    """The pack, if `data` passes 2 and 3 without a fault; else None."""
    try:
        pack = ContentPack.model_validate(data)
    except ValidationError:
        return None
    return None if cross_field_problems(data) else pack


def _parse_pack(raw: bytes, file: str) -> tuple[ContentPack, dict[str, Any]]:
    """The three passes on the bytes: the pack and the TOML data it was validated from."""
    import tomllib

    from rmdesk.content import limits
    from rmdesk.content.problems import PackError, PackProblem

    if limits.too_large(len(raw)):
        _refuse_size(file, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PackError(file, [PackProblem(file, line, "", "not_utf8")]) from None
    text = text.removeprefix("\ufeff")  # Windows Notepad's byte-order mark
    shape = limits.shape_problem(text)  # before tomllib, which is quadratic or recursive there
    if shape is not None:
        raise PackError(file, [PackProblem(file, shape.line, "", shape.code,
                                           {"limit": shape.limit})])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(file, [_syntax_problem(exc, text, file)]) from None
    except (ValueError, RecursionError, MemoryError):  # past what the shape scan catches
        raise PackError(file, [PackProblem(file, None, "", "too_complex")]) from None

    pack: ContentPack | None = None
    errors: list[Any] = []
    try:
        pack = ContentPack.model_validate(data)
    except ValidationError as exc:
        errors = list(exc.errors())
    found = cross_field_problems(data)
    if pack is not None and not found:
        return pack, data
    # Only a faulty pack pays for line numbers: scanning the text for them costs more than
    # loading a good pack (about 0.2 s for the built-in one, on every start-up).
    from rmdesk.content.locate import TomlLocator, format_loc
    from rmdesk.content.problems import from_pydantic

    locator = TomlLocator(text)
    problems = [from_pydantic(err, file, locator.line_of) for err in errors]
    for loc, code, params in found:
        problems.append(PackProblem(file, locator.line_of(loc), format_loc(loc), code, params))
    raise PackError(file, problems)


def _syntax_problem(exc: tomllib.TOMLDecodeError, text: str, file: str) -> PackProblem:
    from rmdesk.content.problems import PackProblem

    message = str(exc)  # tomllib's own words, e.g. "Unterminated string (at line 3, column 9)"
    match = _TOML_POSITION.search(message)
    line: int | None = None
    if match:
        line = int(match.group(1)) if match.group(1) else text.count("\n") + 1
    return PackProblem(file, line, "", "toml_syntax", {"detail": message})


# -- checks across fields, on the raw data -----------------------------------------------------

Found = tuple["Loc", str, dict[str, object]]


def cross_field_problems(data: dict[str, Any]) -> list[Found]:
    """Every fault pydantic's per-field validation cannot see, tolerating any shape."""
    problems = list(_missing_languages(data))
    exercises = data.get("exercises")
    exercises = exercises if isinstance(exercises, list) else []
    problems += _duplicate_ids(exercises, ("exercises",))
    indicators = data.get("indicators")
    if isinstance(indicators, list):
        problems += _duplicate_ids(indicators, ("indicators",))
    rule_sets = {name for exercise in exercises if isinstance(exercise, dict)
                 and isinstance(exercise.get("figure_rules"), dict)
                 for name in exercise["figure_rules"]}
    for i, exercise in enumerate(exercises):
        if not isinstance(exercise, dict):
            continue
        kind = exercise.get("kind")
        needed = REQUIRED_BY_KIND.get(kind) if isinstance(kind, str) else None
        if needed:
            name, non_empty = needed
            loc: Loc = ("exercises", i, name)
            if name not in exercise:
                problems.append((loc, "required_for_kind", {"kind": kind}))
            elif non_empty and exercise[name] == []:
                problems.append((loc, "empty_for_kind", {"kind": kind}))
        dimensions = exercise.get("dimensions")
        if isinstance(dimensions, list):
            problems += _duplicate_ids(dimensions, ("exercises", i, "dimensions"))
        if isinstance(exercise.get("segments"), list):  # E14
            problems += _duplicate_ids(exercise["segments"], ("exercises", i, "segments"))
        problems += _figure_indicators(exercise.get("figures"), indicators, i)
        problems += _figure_rule_sets(exercise, i, rule_sets)
    problems += _agenda_problems(data.get("agendas"), exercises)
    from rmdesk.content import examples, model_work

    problems += model_work.problems(data, declared_languages(data))
    problems += examples.problems(data, declared_languages(data))
    return problems


def _agenda_problems(agendas: object, exercises: list[Any]) -> list[Found]:
    """An agenda names only exercises of the pack, each once."""
    if not isinstance(agendas, list):
        return []
    problems = _duplicate_ids(agendas, ("agendas",))
    known = {e.get("id") for e in exercises if isinstance(e, dict)}
    for i, agenda in enumerate(agendas):
        ids = agenda.get("exercises") if isinstance(agenda, dict) else None
        seen: set[str] = set()
        for j, ident in enumerate(ids if isinstance(ids, list) else []):
            if not isinstance(ident, str):
                continue
            if ident not in known:
                problems.append((("agendas", i, "exercises", j), "agenda_unknown_exercise",
                                 {"found": f'"{ident}"'}))
            elif ident in seen:
                problems.append((("agendas", i, "exercises", j), "agenda_repeated_exercise",
                                 {"found": f'"{ident}"'}))
            seen.add(ident)
    return problems


def _figure_rule_sets(exercise: dict[str, Any], i: int, names: set[str]) -> list[Found]:
    """Figures name rule sets of the pack (any exercise's figure_rules), and those rule
    sets must run on the declarations."""
    problems: list[Found] = []
    figures = exercise.get("figures")
    for j, figure in enumerate(figures if isinstance(figures, list) else []):
        name = figure.get("rule_set") if isinstance(figure, dict) else None
        if isinstance(name, str) and name not in names:
            problems.append((("exercises", i, "figures", j, "rule_set"), "figure_rule_set",
                             {"found": f'"{name}"'}))
    rule_sets = exercise.get("figure_rules")
    if isinstance(rule_sets, dict) and rule_sets:
        from rmdesk.domain.criteria import RuleSet, check_ruleset
        from rmdesk.domain.declaration_fields import VISIBLE_FIELDS

        for name, data in rule_sets.items():
            try:  # figures run on the built-in declarations: no data set's own columns
                issues = check_ruleset(RuleSet.model_validate(data), VISIBLE_FIELDS)
            except ValueError:
                continue  # its shape is reported by the model's validation
            if issues:
                problems.append((("exercises", i, "figure_rules", name), "rule_invalid", {
                    "detail": "; ".join(f"{x.path}: {x.code}" for x in issues[:3])}))
    return problems


def _figure_indicators(figures: object, indicators: object, exercise: int) -> list[Found]:
    """A quoted figure about an indicator needs that indicator, with a rule to compute."""
    if not isinstance(figures, list):
        return []
    with_rules = {item.get("id"): "rule" in item for item in indicators
                  if isinstance(item, dict)} if isinstance(indicators, list) else {}
    problems: list[Found] = []
    for j, figure in enumerate(figures):
        name = figure.get("indicator") if isinstance(figure, dict) else None
        if isinstance(name, str) and not with_rules.get(name):
            problems.append((("exercises", exercise, "figures", j, "indicator"),
                             "figure_indicator", {"found": f'"{name}"'}))
    return problems


def _duplicate_ids(items: list[Any], base: Loc) -> list[Found]:
    first: dict[str, Loc] = {}
    problems: list[Found] = []
    for i, item in enumerate(items):
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in first:
            from rmdesk.content.locate import format_loc
            from rmdesk.content.problems import found

            problems.append(((*base, i, "id"), "duplicate_id",
                             {"found": found(ident), "first": format_loc(first[ident])}))
        else:
            first[ident] = (*base, i)
    return problems


def declared_languages(data: dict[str, Any]) -> list[str]:
    """The shipped languages the pack declares (unknown ones are reported elsewhere)."""
    meta = data.get("pack")
    declared = meta.get("languages") if isinstance(meta, dict) else None
    if not isinstance(declared, list):
        return [SOURCE_LANGUAGE]
    return [lang for lang in LANGUAGES if lang in declared]


def _missing_languages(data: dict[str, Any]) -> Iterator[Found]:
    languages = declared_languages(data)
    for loc, text in localized_texts(ContentPack, data, ()):
        for lang in languages:
            value = text.get(lang)
            if lang not in text and lang == SOURCE_LANGUAGE:
                continue  # pydantic reports the missing required 'en' already
            if not isinstance(value, str) and value is not None:
                continue  # a wrong type, reported by pydantic
            if not (value or "").strip():
                yield loc, "missing_language", {"lang": lang}


def localized_texts(model: type[BaseModel], data: object, loc: Loc) -> Iterator[tuple[Loc, dict]]:
    """Every raw LocalizedText table in `data`, guided by the model's field types."""
    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        if name in data:
            yield from _texts_in(info.annotation, data[name], (*loc, name))


def _texts_in(annotation: object, value: object, loc: Loc) -> Iterator[tuple[Loc, dict]]:
    origin = get_origin(annotation)
    if annotation is LocalizedText:
        if isinstance(value, dict):
            yield loc, value
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from localized_texts(annotation, value, loc)
    elif origin is Annotated:
        yield from _texts_in(get_args(annotation)[0], value, loc)
    elif origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            if arg is not type(None):
                yield from _texts_in(arg, value, loc)
                return  # Optional[X] only: one model per field
    elif origin is list and isinstance(value, list):
        (item,) = get_args(annotation)
        for i, element in enumerate(value):
            yield from _texts_in(item, element, (*loc, i))
