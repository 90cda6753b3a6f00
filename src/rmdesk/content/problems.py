"""What is wrong with a content pack, and where: file, line, field and problem.

A `PackProblem` carries a code and parameters, never translated text, like every
RmdeskError; `render(_)` gives e.g.

    builtin.toml:412: exercises[3].title: missing 'pt_BR'

`PackError` is the RmdeskError a broken pack raises: it lists every problem found, so a
facilitator can fix them all in one pass.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rmdesk.content.locate import format_loc
from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_, Nn_, translate_message

# What a facilitator reads after "file:line: field: ". {found} is the value as written.
PROBLEM_MESSAGES: dict[str, str] = {
    "missing": N_("required, but not given"),
    "extra_forbidden": N_(
        "unknown key (not part of the content-pack format: check its spelling and the "
        "table it is in)"),
    "missing_language": N_("missing '{lang}' (the pack declares this language)"),
    "localized": N_(
        "must be a table with one text per language (en, es, pt_BR, fr), not {found}"),
    "text": N_("must be text in quotes, not {found}"),
    "integer": N_("must be a whole number, not {found}"),
    "number": N_("must be a number, not {found}"),
    "boolean": N_("must be true or false, not {found}"),
    "list": N_("must be a list, not {found}"),
    "table": N_("must be a table, not {found}"),
    "too_short": N_("needs at least {min_length} entries, has {actual_length}"),
    "too_long": N_("may have at most {max_length} entries, has {actual_length}"),
    "greater_than_equal": N_("must be at least {ge}, not {found}"),
    "greater_than": N_("must be more than {gt}, not {found}"),
    "literal": N_("must be one of {expected}, not {found}"),
    "less_than_equal": N_("must be at most {le}, not {found}"),
    "pattern": N_("may contain only letters, digits, “.”, “_” and “-”, not {found}"),
    "text_too_short": N_("must not be empty"),
    "text_too_long": N_("may have at most {max_length} characters"),
    "unknown_kind": N_("unknown exercise kind {found}; use one of: {choices}"),
    "unknown_field": N_("unknown declaration data field {found}"),
    "unknown_phase": N_("unknown phase {found}; use one of: {choices}"),
    "unknown_area": Nn_("unknown risk area: {value}; use any of: {choices}",
                        "unknown risk areas: {value}; use any of: {choices}"),
    "unknown_measure": N_("unknown measure {found}; use one of: {choices}"),
    "rule_invalid": N_("the rule cannot run: {detail}"),
    "rule_misses_field": N_("the rule does not read the indicator's field “{field}”"),
    "figure_indicator": N_("no indicator {found} with a rule in the pack's indicators"),
    "figure_rule_set": N_("no rule set {found} in the figure_rules of the pack's exercises"),
    "unknown_languages": Nn_("unknown language: {value}; use any of: {choices}",
                             "unknown languages: {value}; use any of: {choices}"),
    "english_required": N_("must include 'en': every pack is complete in English"),
    "agenda_unknown_exercise": N_("the pack has no exercise with the id {found}"),
    "agenda_repeated_exercise": N_("the exercise {found} is listed twice in this agenda"),
    "duplicate_id": N_("the id {found} is already used by {first}"),
    "required_for_kind": N_("required for an exercise of kind “{kind}”"),
    "empty_for_kind": N_("needs at least one entry for an exercise of kind “{kind}”"),
    "toml_syntax": N_("TOML syntax error: {detail}"),
    "not_utf8": N_("the file is not UTF-8 text: save it as UTF-8 in your editor"),
    "unreadable": N_("cannot be read: {reason}"),
    # model work (rmdesk.content.model_work)
    "model_work_exercise": N_("no exercise has this id; use one of: {choices}"),
    "model_work_list": N_("must be a list ([[…]] entries) for an exercise of this kind"),
    "model_work_risk": N_("the risk “{code}” is not in the model work's register"),
    "model_work_indicator": N_("the indicator “{code}” is not in the pack's indicator bank"),
    "example_field": N_("not a field examples can be given for; use one of: {choices}"),
    "too_large": N_("the file is {size_mb} MB; a content pack may be at most {limit_mb} MB"),
    "too_deep": N_(
        "lists and tables are nested more than {limit} levels deep here; a content pack "
        "never needs that many"),
    "key_too_long": N_("a key here has more than {limit} dotted parts"),
    "number_too_long": N_("a number here has more than {limit} digits"),
    "too_complex": N_("the file is too complex to read as a content pack"),
    "number_out_of_range": N_("must be a number from {min} to {max}, not {found}"),
    "control_character": N_(
        "contains the invisible control character {char}: remove it (such characters can "
        "hide text or show it in another order than it was written)"),
}

LINE_LABEL = N_("line {line}")

# pydantic's error types -> our codes (anything else keeps pydantic's English message).
_PYDANTIC_CODES: dict[str, str] = {
    "missing": "missing",
    "extra_forbidden": "extra_forbidden",
    "string_type": "text",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "list_type": "list",
    "model_type": "table",
    "model_attributes_type": "table",
    "dict_type": "table",
    "too_short": "too_short",
    "too_long": "too_long",
    "greater_than_equal": "greater_than_equal",
    "greater_than": "greater_than",
    "literal_error": "literal",
    "less_than_equal": "less_than_equal",
    "string_pattern_mismatch": "pattern",
    "string_too_short": "text_too_short",
    "string_too_long": "text_too_long",
    "unknown_kind": "unknown_kind",
    "unknown_field": "unknown_field",
    "unknown_phase": "unknown_phase",
    "unknown_area": "unknown_area",
    "unknown_measure": "unknown_measure",
    "rule_invalid": "rule_invalid",
    "rule_misses_field": "rule_misses_field",
    "unknown_languages": "unknown_languages",
    "english_required": "english_required",
    "number_out_of_range": "number_out_of_range",
    "control_character": "control_character",
}


def found(value: object) -> str:
    """A value as the facilitator wrote it in TOML, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:39] + "…"
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, dict):
        return "{ … }"
    if isinstance(value, list):
        return "[ … ]"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class PackProblem:
    """One fault: where (file, line, dotted field path) and what (code + parameters)."""

    file: str
    line: int | None
    path: str  # e.g. "exercises[3].title"; "" for the file as a whole
    code: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, translate: Callable[[str], str]) -> str:
        template = PROBLEM_MESSAGES.get(self.code)
        if template is None:  # a pydantic message we have no words of our own for
            return str(self.params.get("message", self.code))
        try:
            return translate_message(template, translate,
                                     self.params.get("count")).format(**self.params)
        except (KeyError, IndexError, ValueError):  # a damaged translation
            return template.format(**self.params)

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def render_in_file(self, translate: Callable[[str], str]) -> str:
        """Without the file name, for a window that names the file once above the list:
        'line 412: exercises[3].title: missing 'pt_BR''."""
        text = self.message(translate)
        if self.path:
            text = f"{self.path}: {text}"
        if self.line:
            text = translate(LINE_LABEL).format(line=self.line) + ": " + text
        return text

    def render(self, translate: Callable[[str], str]) -> str:
        where = self.location()
        text = self.message(translate)
        return f"{where}: {self.path}: {text}" if self.path else f"{where}: {text}"

    def sort_key(self) -> int:
        """By line; problems on one line keep the order they were found in (field order)."""
        return self.line or 0


def from_pydantic(
    error: dict[str, object], file: str, line_of: Callable[[Sequence[str | int]], int | None]
) -> PackProblem:
    """A PackProblem for one entry of ValidationError.errors()."""
    loc = tuple(error.get("loc", ()))  # type: ignore[arg-type]
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})  # type: ignore[call-overload]
    value = error.get("input")
    code = _PYDANTIC_CODES.get(kind)
    if code == "table" and ctx.get("class_name") == "LocalizedText":
        code = "localized"
    params: dict[str, object] = {k: v for k, v in ctx.items() if k != "error"}
    if code is None:
        code, params = "other", {"message": str(error.get("msg", kind))}
    params["found"] = found(value)
    return PackProblem(file, line_of(loc), format_loc(loc), code, params)


class PackError(RmdeskError):
    """A content pack that cannot be used, with every problem found in it."""

    def __init__(self, path: str, problems: Iterable[PackProblem],
                 code: str = "pack_invalid", **params: object) -> None:
        unique: dict[tuple[object, ...], PackProblem] = {}
        for p in problems:
            key = (p.file, p.line, p.path, p.code, repr(sorted(p.params.items())))
            unique.setdefault(key, p)
        self.problems: list[PackProblem] = sorted(unique.values(), key=PackProblem.sort_key)
        super().__init__(code, path=path, count=len(self.problems), **params)

    def render(self, translate: Callable[[str], str]) -> str:
        header = super().render(translate)
        if self.code != "pack_invalid":
            return header
        lines = [problem.render(translate) for problem in self.problems]
        return "\n".join([header, *(f"  {line}" for line in lines)])

