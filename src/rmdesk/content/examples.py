"""Examples the pack's instructions and tips give for a field, listed as data.

A trainee copies an example from the instructions and expects "Check my work" to accept
it (or, for a counter-example such as “Inspect all cars”, to point at it). Listing them
lets a test hold the pack to that, in every language:

    [[examples.e10]]
    field = "formula"
    text = { en = "H = F ÷ R × 100", es = "H = F ÷ R × 100", ... }

    [[examples.e2e3]]
    field = "event"
    text = { en = "Inspect all cars", ... }
    accepted = false      # a counter-example: the check must flag it

Each text must appear, word for word, in the exercise's instructions or tips in that
language (so the list cannot drift from what trainees read); `problems` checks the ids,
fields and languages.
"""

from __future__ import annotations

from typing import Any

from rmdesk.content.model_work import Found, Loc, is_localized

# The fields an example may be given for, by exercise kind (where the test puts it).
EXAMPLE_FIELDS: dict[str, tuple[str, ...]] = {
    "context_scan": ("pestle_factor", "objective"),
    "register_analysis": ("event", "cause", "owner", "controls"),
    "evaluation": ("reason", "escalation"),
    "treatment": ("actions", "kpi"),
    "profile": ("effectiveness", "description_contains", "hs_code"),
    "kpi_plan": ("formula", "baseline", "target"),
    "regional_project": ("objective",),
    "maturity": ("evidence", "next_step"),
    "compliance_survey": ("population", "interpretation"),
    "compliance_pyramid": ("measures", "reason"),
    "intelligence": ("kpi_formula", "kpi_target"),
    "passenger_targeting": ("rationale", "retention"),
}


def problems(data: dict[str, Any], languages: list[str]) -> list[Found]:
    examples = data.get("examples")
    if not isinstance(examples, dict):
        return []
    exercises = data.get("exercises") if isinstance(data.get("exercises"), list) else []
    kinds = {e.get("id"): e.get("kind") for e in exercises if isinstance(e, dict)}
    found: list[Found] = []
    for exercise_id, items in examples.items():
        if exercise_id not in kinds:
            found.append((("examples", exercise_id), "model_work_exercise", {
                "choices": ", ".join(str(k) for k in kinds if isinstance(k, str))}))
            continue
        fields = EXAMPLE_FIELDS.get(str(kinds[exercise_id]), ())
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            loc: Loc = ("examples", exercise_id, i)
            if item.get("field") not in fields:
                found.append(((*loc, "field"), "example_field",
                              {"choices": ", ".join(fields) or "—"}))
            text = item.get("text")
            if is_localized(text):
                for lang in languages:
                    if not isinstance(text.get(lang), str) or not text[lang].strip():
                        found.append(((*loc, "text"), "missing_language", {"lang": lang}))
    return found
