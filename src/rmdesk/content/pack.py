"""The content-pack format (TOML) and its loader, validated with pydantic.

Every text a participant reads is a table of one value per language, e.g.
    title = { en = "Risk register", es = "Registro de riesgos", pt_BR = "...", fr = "..." }
so the exercise content switches language with the interface.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES, SOURCE_LANGUAGE


class LocalizedText(BaseModel):
    """One text in several languages; English is required and is the fallback."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    es: str | None = None
    pt_BR: str | None = None
    fr: str | None = None

    def get(self, lang: str) -> str:
        value = getattr(self, lang, None) if lang in LANGUAGES else None
        return value if value else self.en

    def languages(self) -> set[str]:
        return {lang for lang in LANGUAGES if getattr(self, lang)}


class Fact(BaseModel):
    """A key figure of the case, formatted with the reader's number conventions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: LocalizedText
    value: float
    unit: LocalizedText | None = None
    decimals: Annotated[int, Field(ge=0, le=4)] = 0


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: LocalizedText
    body: LocalizedText  # paragraphs separated by blank lines


class CaseStudy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: LocalizedText
    summary: LocalizedText
    sections: list[Section]
    facts: list[Fact] = []


# The exercise types of ../shared/design/exercises.md, by the `kind` a pack names them with.
EXERCISE_KINDS: tuple[str, ...] = (
    "context_scan",  # E1
    "register_analysis",  # E2-E3
    "evaluation",  # E4
    "treatment",  # E5
    "indicator_selection",  # E6
    "profile",  # E7
    "targeting",  # E8
    "tuning",  # E9
    "kpi_plan",  # E10
    "regional_project",  # E11
    "maturity",  # E12
)


class Appetite(BaseModel):
    """E4: the appetite statement and the highest score that may be accepted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    statement: LocalizedText
    max_accepted_score: Annotated[int, Field(ge=1, le=25)] = 9


class MaturityDimension(BaseModel):
    """E12: one dimension of the maturity model, with a descriptor for each level 1-5."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: LocalizedText
    levels: Annotated[list[LocalizedText], Field(min_length=5, max_length=5)]


class Exercise(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: str
    title: LocalizedText
    instructions: LocalizedText
    tips: list[LocalizedText] = []
    # Shown to groups only when the facilitator reveals it, or in self-study after submitting.
    model_answer: LocalizedText | None = None
    facilitator_notes: LocalizedText | None = None  # facilitator mode only
    appetite: Appetite | None = None  # evaluation (E4)
    milestone_templates: list[LocalizedText] = []  # regional_project (E11)
    dimensions: list[MaturityDimension] = []  # maturity (E12)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in EXERCISE_KINDS:
            raise ValueError(f"unknown exercise kind '{value}'; one of {', '.join(EXERCISE_KINDS)}")
        return value


PHASES: tuple[str, ...] = ("pre_arrival", "arrival", "post_arrival")


class Indicator(BaseModel):
    """A candidate risk indicator of the E6 bank, with the facilitator's key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: LocalizedText
    field: str  # the declaration data element it tests (rmdesk.domain.declarations.FIELDS)
    phase: str
    relevant: bool  # facilitator key: does a good selection for this case include it?
    note: LocalizedText | None = None  # why, for the facilitator and the model answer

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        from rmdesk.domain.declaration_fields import FIELD_BY_NAME

        spec = FIELD_BY_NAME.get(value)
        if spec is None or spec.hidden:
            raise ValueError(f"unknown data field '{value}'")
        return value

    @field_validator("phase")
    @classmethod
    def _known_phase(cls, value: str) -> str:
        if value not in PHASES:
            raise ValueError(f"phase must be one of {', '.join(PHASES)}")
        return value


class PackMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: str
    title: LocalizedText
    languages: list[str]

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [lang for lang in value if lang not in LANGUAGES]
        if unknown:
            raise ValueError(f"unknown language(s): {', '.join(unknown)}")
        if SOURCE_LANGUAGE not in value:
            raise ValueError("a pack must at least be complete in 'en'")
        return value


class ContentPack(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pack: PackMeta
    case: CaseStudy
    exercises: list[Exercise]
    indicators: list[Indicator] = []

    @field_validator("indicators")
    @classmethod
    def _unique_indicator_ids(cls, value: list[Indicator]) -> list[Indicator]:
        ids = [i.id for i in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate indicator id(s): {', '.join(duplicates)}")
        return value

    def exercise(self, kind: str) -> Exercise | None:
        return next((e for e in self.exercises if e.kind == kind), None)

    def texts(self) -> list[tuple[str, LocalizedText]]:
        """Every localized text with its dotted path (for completeness checks)."""
        found: list[tuple[str, LocalizedText]] = []

        def walk(node: object, path: str) -> None:
            if isinstance(node, LocalizedText):
                found.append((path, node))
            elif isinstance(node, BaseModel):
                for name in type(node).model_fields:
                    walk(getattr(node, name), f"{path}.{name}" if path else name)
            elif isinstance(node, list):
                for i, item in enumerate(node):
                    walk(item, f"{path}[{i}]")

        walk(self, "")
        return found


def _missing_declared_languages(pack: ContentPack) -> list[str]:
    problems = []
    for path, text in pack.texts():
        for lang in pack.pack.languages:
            if not getattr(text, lang):
                problems.append(f"{path}: missing '{lang}'")
    return problems


def load_pack(path: Path) -> ContentPack:
    """Load and validate a pack; every fault is reported at once, naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RmdeskError(
            "pack_unreadable", path=str(path), reason=exc.strerror or str(exc)
        ) from None
    except UnicodeDecodeError:
        raise RmdeskError("pack_invalid", path=str(path), problems="not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise RmdeskError("pack_invalid", path=str(path), problems=str(exc)) from None
    try:
        pack = ContentPack.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        ]
        raise RmdeskError("pack_invalid", path=str(path), problems="; ".join(problems)) from None
    missing = _missing_declared_languages(pack)
    if missing:
        raise RmdeskError("pack_invalid", path=str(path), problems="; ".join(missing))
    return pack


BUILTIN_PACK_FILE = "builtin-practice.toml"
_builtin: ContentPack | None = None


def builtin_pack() -> ContentPack:
    global _builtin
    if _builtin is None:
        from rmdesk import paths

        _builtin = load_pack(paths.builtin_content_dir() / BUILTIN_PACK_FILE)
    return _builtin
