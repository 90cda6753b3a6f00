"""What travels in an exchange file: one pydantic shape per table, with lengths and ranges.

Every record in a file is validated against its table's shape before anything is written
(`extra="forbid"`: a field this version does not know is refused, not dropped). The shapes
also say which fields a record's content hash covers (all but `revision` and `updated_at`:
neither is content, and clocks are not trusted), which fields stay on the facilitator's
laptop, and how a record is matched with the one already in the store (its UUID, or a
natural key where the store keeps one row per group and exercise or indicator).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator, model_validator
from pydantic import Field as PField
from sqlalchemy.engine import Row
from sqlmodel import SQLModel

from rmdesk.i18n import N_
from rmdesk.store.models import (
    ExercisePhase,
    ExerciseWork,
    IndicatorChoice,
    Member,
    Profile,
    Risk,
    TargetingRun,
    WorkGroup,
    Workshop,
)

# -- field types -----------------------------------------------------------------------
MAX_NAME = 200
MAX_TEXT = 20_000  # the app's own limits are far lower; a newer version may allow more
MAX_JSON_TEXT = 1_000_000
MAX_REVISION = 2**31 - 1
MAX_JSON_DEPTH = 64  # the app's own answers nest a handful of levels

# Characters a text from a file may not hold: C0/C1 controls other than tab and line
# breaks (NUL, ESC, ...), DEL, bidirectional embeddings, overrides and isolates (they can
# make a text display as something else), and lone surrogates (not text at all).
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]")


def bad_character(text: str) -> str | None:
    """The first forbidden character of a text, as U+XXXX, or None."""
    match = _BAD_CHARS.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"


def json_depth_exceeds(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects deeper than `limit` (one linear pass, no
    recursion: json.loads would otherwise recurse once per level)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def check_json_texts(value: Any, where: str = "") -> None:
    """Refuse forbidden characters in every key and string of decoded JSON."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            bad = bad_character(item)
            if bad is not None:
                raise ValueError(f"{where}character {bad} is not allowed")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)

RecordId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Code = Annotated[str, StringConstraints(max_length=64,
                                        pattern=r"^([A-Za-z0-9_-][A-Za-z0-9_.-]*)?$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
Short = Annotated[str, StringConstraints(max_length=MAX_NAME)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
JsonText = Annotated[str, StringConstraints(max_length=MAX_JSON_TEXT)]
Revision = Annotated[int, PField(strict=True, ge=1, le=MAX_REVISION)]
Position = Annotated[int, PField(strict=True, ge=0, le=1_000_000)]
Rating = Annotated[int, PField(strict=True, ge=1, le=5)]
Flag = Annotated[bool, PField(strict=True)]


def _json_object_or_empty(value: str) -> str:
    if value == "":
        return value
    if json_depth_exceeds(value):
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        raise ValueError("not JSON text") from None
    if not isinstance(parsed, dict):
        raise ValueError("not a JSON object")
    check_json_texts(parsed, "in the JSON: ")
    return value


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @model_validator(mode="after")
    def _plain_text(self) -> _Record:
        """Texts from a file hold no control or direction-override characters."""
        for name, value in self:
            if isinstance(value, str):
                bad = bad_character(value)
                if bad is not None:
                    raise ValueError(f"{name}: character {bad} is not allowed")
        return self


class WorkshopRecord(_Record):
    id: RecordId
    title: Name
    venue: Text = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    languages: Annotated[str, StringConstraints(max_length=100,
                                                pattern=r"^[A-Za-z_ ]*$")] = "en"
    pack_id: Code = ""
    pack_version: Code = ""
    created_at: dt.datetime
    revision: Revision


class WorkGroupRecord(_Record):
    id: RecordId
    workshop_id: RecordId
    name: Name
    position: Position = 0
    revision: Revision


class MemberRecord(_Record):
    id: RecordId
    group_id: RecordId
    name: Short = ""
    administration: Short = ""
    position: Position = 0
    revision: Revision


class ExercisePhaseRecord(_Record):
    id: RecordId
    workshop_id: RecordId
    exercise_id: Code
    locked: Flag = False
    model_revealed: Flag = False
    revision: Revision
    updated_at: dt.datetime


class RiskRecord(_Record):
    id: RecordId
    group_id: RecordId
    code: Short = ""
    event: Text = ""
    cause: Text = ""
    consequence: Text = ""
    area: Short = ""
    controls: Text = ""
    owner: Text = ""
    likelihood: Rating | None = None
    likelihood_reason: Text = ""
    impact: Rating | None = None
    impact_reason: Text = ""
    position: Position = 0
    deleted: Flag = False
    revision: Revision
    updated_at: dt.datetime


class IndicatorChoiceRecord(_Record):
    id: RecordId
    group_id: RecordId
    indicator_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    field: Short = ""
    phase: Short = ""
    reason: Text = ""
    deleted: Flag = False
    revision: Revision
    updated_at: dt.datetime


class ProfileRecord(_Record):
    id: RecordId
    group_id: RecordId
    title: Text = ""
    area: Short = ""
    description: Text = ""
    criteria_json: JsonText = ""
    lane: Short = "yellow"
    action: Text = ""
    instructions: Text = ""
    activation_date: dt.date | None = None
    review_date: dt.date | None = None
    owner: Text = ""
    effectiveness: Text = ""
    position: Position = 0
    deleted: Flag = False
    revision: Revision
    updated_at: dt.datetime

    _criteria = field_validator("criteria_json")(_json_object_or_empty)


class TargetingRunRecord(_Record):
    id: RecordId
    group_id: RecordId
    created_at: dt.datetime
    dataset: Text = ""
    ruleset_json: JsonText = ""
    metrics_json: JsonText = ""
    note: Text = ""

    _ruleset = field_validator("ruleset_json", "metrics_json")(_json_object_or_empty)


class ExerciseWorkRecord(_Record):
    """A group's answer. No `feedback`, no `score`: those are the facilitator's."""

    id: RecordId
    group_id: RecordId
    exercise_id: Code
    data_json: JsonText = "{}"
    status: Literal["not_started", "in_progress", "submitted"] = "not_started"
    submitted_at: dt.datetime | None = None
    revision: Revision
    updated_at: dt.datetime

    _data = field_validator("data_json")(_json_object_or_empty)


# -- tables ----------------------------------------------------------------------------
NOT_HASHED = frozenset({"revision", "updated_at"})


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[SQLModel]
    record: type[_Record]
    label: str  # N_-marked: what one record of this table is called
    parent: tuple[str, str] | None  # (column, parent table)
    natural_key: tuple[str, ...] = ("id",)
    facilitator_only: tuple[str, ...] = ()
    append_only: bool = False
    describe: Callable[[dict[str, Any]], str] = field(default=lambda v: str(v.get("id", "")))

    # Computed once per table (a sync round hashes every record of a group with them).
    @cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.record.model_fields)

    @cached_property
    def hashed(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name not in NOT_HASHED)

    @cached_property
    def revisioned(self) -> bool:
        return "revision" in self.record.model_fields

    def key_of(self, values: dict[str, Any]) -> str:
        if len(self.natural_key) == 1:  # the id: most tables (a sync round asks often)
            return str(values[self.natural_key[0]])
        return "|".join([str(values[name]) for name in self.natural_key])


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _risk_label(v: dict[str, Any]) -> str:
    return _shorten(" ".join(part for part in (v.get("code", ""), v.get("event", "")) if part))


TABLES: dict[str, TableSpec] = {spec.name: spec for spec in (
    TableSpec("workshop", Workshop, WorkshopRecord, N_("Workshop"), None,
              describe=lambda v: _shorten(v.get("title", ""))),
    TableSpec("work_group", WorkGroup, WorkGroupRecord, N_("Group"), ("workshop_id", "workshop"),
              describe=lambda v: _shorten(v.get("name", ""))),
    TableSpec("member", Member, MemberRecord, N_("Member"), ("group_id", "work_group"),
              describe=lambda v: _shorten(v.get("name", ""))),
    TableSpec("exercise_phase", ExercisePhase, ExercisePhaseRecord, N_("Exercise phase"),
              ("workshop_id", "workshop"), natural_key=("workshop_id", "exercise_id"),
              describe=lambda v: v.get("exercise_id", "")),
    TableSpec("risk", Risk, RiskRecord, N_("Risk"), ("group_id", "work_group"),
              describe=_risk_label),
    TableSpec("indicator_choice", IndicatorChoice, IndicatorChoiceRecord, N_("Indicator"),
              ("group_id", "work_group"), natural_key=("group_id", "indicator_id"),
              describe=lambda v: v.get("indicator_id", "")),
    TableSpec("profile", Profile, ProfileRecord, N_("Risk profile"), ("group_id", "work_group"),
              describe=lambda v: _shorten(v.get("title", ""))),
    TableSpec("targeting_run", TargetingRun, TargetingRunRecord, N_("Targeting run"),
              ("group_id", "work_group"), append_only=True,
              describe=lambda v: _shorten(v.get("note", "") or v.get("dataset", ""))),
    TableSpec("exercise_work", ExerciseWork, ExerciseWorkRecord, N_("Exercise answer"),
              ("group_id", "work_group"), natural_key=("group_id", "exercise_id"),
              facilitator_only=("feedback", "score"),
              describe=lambda v: v.get("exercise_id", "")),
)}

# The order records are written in: parents before children.
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
KIT_TABLES: tuple[str, ...] = ("workshop", "work_group", "member", "exercise_phase")
GROUP_TABLES: tuple[str, ...] = (
    "work_group", "member", "risk", "indicator_choice", "profile", "targeting_run",
    "exercise_work",
)


# -- wire form and hashing ---------------------------------------------------------------
def wire_value(value: Any) -> Any:
    """A JSON value for a column value: dates as ISO text, datetimes as naive UTC."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def store_value(value: Any) -> Any:
    """A column value from a validated record value: datetimes in UTC, as the store
    keeps them (a time without a zone is taken as UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    return value


def wire_of_row(spec: TableSpec, row: SQLModel) -> dict[str, Any]:
    return {name: wire_value(getattr(row, name)) for name in spec.fields}


def wire_and_hash(spec: TableSpec, row: Any) -> tuple[dict[str, Any], str]:
    """`wire_of_row` and `content_hash` of a model object or of a plain row read with
    SQLAlchemy Core. A plain row cannot change, so its wire and hash are remembered: a
    sync round looks at every record of a group, every few seconds, and most have not
    changed since the last round."""
    if isinstance(row, Row):
        values = tuple(row)
        # Bounded memory: 2048 rows of at most 64 KB of text each (an exercise's answer
        # may reach 1 MB; such a row is hashed each time).
        if sum(len(v) for v in values if isinstance(v, str)) <= _REMEMBERED_TEXT:
            try:
                wire, digest = _plain_wire_and_hash(spec.name, row._fields, values)
                return dict(wire), digest  # a copy: the remembered one stays as it was
            except TypeError:  # a value that cannot be a key (none of today's columns)
                pass
    wire = wire_of_row(spec, row)
    return wire, content_hash(spec, wire)


_REMEMBERED_TEXT = 64 * 1024


@functools.lru_cache(maxsize=2048)
def _plain_wire_and_hash(table: str, names: tuple[str, ...], values: tuple[Any, ...]
                         ) -> tuple[dict[str, Any], str]:
    spec = TABLES[table]
    by_name = dict(zip(names, values, strict=True))
    wire = {name: wire_value(by_name[name]) for name in spec.fields}
    return wire, content_hash(spec, wire)


def content_hash(spec: TableSpec, wire: dict[str, Any]) -> str:
    content = {name: wire.get(name) for name in spec.hashed}
    text = json.dumps([spec.name, content], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_blank(spec: TableSpec, wire: dict[str, Any]) -> bool:
    """A row that holds no group work yet (the facilitator's feedback made it, say)."""
    if spec.name == "exercise_work":
        return (wire.get("data_json") in ("", "{}") and wire.get("status") == "not_started")
    return False
