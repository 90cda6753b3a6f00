"""The model work of a content pack: each exercise's model answer as a group would store it.

The pack's `model_answer` is prose for reading; `model_work` is the same answer in the
shape of a group's stored work, so that a facilitator can fill a group with it and see
it, print it, compare it and run "Check my work" on it like any group's work. It lives in
a top-level table keyed by exercise id:

    [[model_work.e2e3]]          # E2-E3: a list of risks (register fields)
    code = "R01"
    area = "revenue"
    event = { en = "...", es = "...", pt_BR = "...", fr = "..." }
    likelihood = 4

The shapes are those of the demo's group files (resources/content/demo/), read by
rmdesk.services.group_fill: a list of risks (register_analysis), of picks
(indicator_selection), of profiles (profile) or of runs (targeting); a table in the
JSON shape of the exercise's domain model otherwise. Risks are named by their code.

Typed text is in one language, so a text may be a table of one text per language; a
plain string is the same in every language (codes, formulas, partner ids). `localize`
picks one language. `problems` is the validation the loader runs on the raw TOML.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rmdesk.i18n import LANGUAGES, SOURCE_LANGUAGE

# Exercise kinds whose model work is a list (of risks, picks, profiles, runs).
LIST_KINDS: tuple[str, ...] = ("register_analysis", "indicator_selection", "profile",
                               "targeting")

Loc = tuple[str | int, ...]
Found = tuple[Loc, str, dict[str, object]]


def is_localized(value: object) -> bool:
    """A table of texts by language (e.g. {en = "...", fr = "..."}), not a structure."""
    return (isinstance(value, dict) and bool(value) and SOURCE_LANGUAGE in value
            and all(key in LANGUAGES for key in value))


def localize(value: Any, lang: str) -> Any:
    """The work with every localized text in `lang` (English when it lacks one)."""
    if is_localized(value):
        text = value.get(lang)
        return text if isinstance(text, str) and text.strip() else value[SOURCE_LANGUAGE]
    if isinstance(value, dict):
        return {key: localize(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [localize(item, lang) for item in value]
    return value


def _localized_tables(value: object, loc: Loc) -> Iterator[tuple[Loc, dict[str, Any]]]:
    if is_localized(value):
        yield loc, value  # type: ignore[misc]
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _localized_tables(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _localized_tables(item, (*loc, i))


def problems(data: dict[str, Any], languages: list[str]) -> list[Found]:
    """Faults of the raw `model_work` table: unknown exercise ids, the wrong shape for
    the exercise's kind, a text missing a declared language, a risk code or indicator id
    that the model work or the pack does not define."""
    work = data.get("model_work")
    if not isinstance(work, dict):
        return []  # absent, or the wrong type (reported by pydantic)
    exercises = data.get("exercises") if isinstance(data.get("exercises"), list) else []
    kinds = {e.get("id"): e.get("kind") for e in exercises if isinstance(e, dict)}
    found: list[Found] = []
    for exercise_id, value in work.items():
        loc: Loc = ("model_work", exercise_id)
        if exercise_id not in kinds:
            found.append((loc, "model_work_exercise", {
                "choices": ", ".join(str(k) for k in kinds if isinstance(k, str))}))
            continue
        want_list = kinds[exercise_id] in LIST_KINDS
        if want_list != isinstance(value, list):
            found.append((loc, "model_work_list" if want_list else "table", {}))
            continue
        for text_loc, text in _localized_tables(value, loc):
            for lang in languages:
                if not isinstance(text.get(lang), str) or not text[lang].strip():
                    found.append((text_loc, "missing_language", {"lang": lang}))
    found += _reference_problems(work, kinds, data)
    found += _logic_problems(work, kinds)
    return found


def _logic_problems(work: dict[str, Any], kinds: dict[Any, Any]) -> list[Found]:
    """E7's profiles and those an E8 run adds must run: filling a group with logic that
    cannot run would fail half-way, so the pack is refused instead."""
    profiles: list[tuple[Loc, object]] = []
    for exercise_id, value in work.items():
        if not isinstance(value, list):
            continue
        if kinds.get(exercise_id) == "profile":
            profiles += [(("model_work", exercise_id, i), p) for i, p in enumerate(value)]
        elif kinds.get(exercise_id) == "targeting":
            for i, run in enumerate(value):
                added = run.get("profiles") if isinstance(run, dict) else None
                profiles += [(("model_work", exercise_id, i, "profiles", j), p)
                             for j, p in enumerate(added if isinstance(added, list) else [])]
    found: list[Found] = []
    for loc, profile in profiles:
        detail = _logic_detail(profile)
        if detail:
            found.append((loc, "rule_invalid", {"detail": detail}))
    return found


def _logic_detail(profile: object) -> str:
    """Why a model profile's logic cannot run ('' when it can), as rule_invalid says it."""
    from pydantic import ValidationError

    from rmdesk.domain.criteria import RuleSet, check_ruleset
    from rmdesk.domain.declaration_fields import VISIBLE_FIELDS
    from rmdesk.domain.profile_logic import ConditionRow, ProfileLogic, logic_to_ruleset

    if not isinstance(profile, dict):
        return "not a table"
    profile = localize(profile, SOURCE_LANGUAGE)  # criterion names may be localized
    try:
        if "criteria" in profile:
            ruleset = RuleSet.model_validate({"criteria": profile["criteria"],
                                              "watch_lists": profile.get("watch_lists", {})})
        else:
            rows = [ConditionRow(**row) for row in profile.get("conditions", [])]
            ruleset = logic_to_ruleset(
                ProfileLogic(profile.get("combinator", "and"), rows,
                             profile.get("watch_lists", {})), "profile",
                profile.get("lane", "yellow"))
    except (TypeError, ValueError, ValidationError) as exc:
        return str(exc).splitlines()[0]
    issues = check_ruleset(ruleset, VISIBLE_FIELDS)
    return "; ".join(f"{i.path}: {i.code}" for i in issues[:3])


def _reference_problems(work: dict[str, Any], kinds: dict[Any, Any],
                        data: dict[str, Any]) -> list[Found]:
    """E4/E5 name the model register's risks; E6 names the pack's indicators."""
    by_kind = {kinds.get(key): (key, value) for key, value in work.items()}
    found: list[Found] = []
    register = by_kind.get("register_analysis", (None, []))[1]
    codes = {r.get("code") for r in register if isinstance(r, dict)} \
        if isinstance(register, list) else set()
    for kind, key in (("evaluation", "decisions"), ("treatment", "rows")):
        if kind not in by_kind:
            continue
        exercise_id, value = by_kind[kind]
        if not isinstance(value, dict):
            continue
        named: list[tuple[Loc, object]] = []
        if isinstance(value.get("order"), list):
            named += [(("model_work", exercise_id, "order", i), c)
                      for i, c in enumerate(value["order"])]
        if isinstance(value.get(key), dict):
            named += [(("model_work", exercise_id, key, c), c) for c in value[key]]
        for loc, code in named:
            if code not in codes:
                found.append((loc, "model_work_risk", {"code": str(code)}))
    if "compliance_pyramid" in by_kind:  # E14 links name E5 rows by risk code
        exercise_id, value = by_kind["compliance_pyramid"]
        placements = value.get("placements") if isinstance(value, dict) else None
        for sid, p in (placements.items() if isinstance(placements, dict) else []):
            code = p.get("treatment") if isinstance(p, dict) else None
            if code and code not in codes:
                found.append((("model_work", exercise_id, "placements", sid, "treatment"),
                              "model_work_risk", {"code": str(code)}))
    if "indicator_selection" in by_kind:
        exercise_id, picks = by_kind["indicator_selection"]
        bank = data.get("indicators") if isinstance(data.get("indicators"), list) else []
        ids = {i.get("id") for i in bank if isinstance(i, dict)}
        for i, pick in enumerate(picks if isinstance(picks, list) else []):
            ident = pick.get("indicator") if isinstance(pick, dict) else None
            if ident not in ids:
                found.append((("model_work", exercise_id, i, "indicator"),
                              "model_work_indicator", {"code": str(ident)}))
    return found
