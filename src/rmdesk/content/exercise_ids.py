"""Exercise ids as users see them (E1 … E12) and as the pack names them (e2e3).

The interface numbers exercises by kind (E2–E3 is the register and its analysis), so a
facilitator types `--exercise E3` or `--exercise e8`; a pack names them by its own ids.
Both are accepted, in any case, everywhere on the command line.
"""

from __future__ import annotations

from rmdesk.content.pack import ContentPack, Exercise
from rmdesk.errors import RmdeskError

# The numbers the interface gives each exercise kind (ui.exercise_pages.TAB_TITLES).
KIND_NUMBERS: dict[str, tuple[int, ...]] = {
    "context_scan": (1,),
    "register_analysis": (2, 3),
    "evaluation": (4,),
    "treatment": (5,),
    "indicator_selection": (6,),
    "profile": (7,),
    "targeting": (8,),
    "tuning": (9,),
    "kpi_plan": (10,),
    "regional_project": (11,),
    "maturity": (12,),
    "compliance_survey": (13,),
    "compliance_pyramid": (14,),
    "intelligence": (15,),
    "passenger_targeting": (16,),
}


def exercise_label(exercise: Exercise) -> str:
    """"E4", or "E2–E3" for the register; the pack's id for a kind with no number."""
    numbers = KIND_NUMBERS.get(exercise.kind)
    if not numbers:
        return exercise.id
    return "–".join(f"E{n}" for n in (numbers[0], numbers[-1]) if n) if len(numbers) > 1 \
        else f"E{numbers[0]}"


def _names(exercise: Exercise) -> set[str]:
    names = {exercise.id.casefold(), exercise_label(exercise).casefold()}
    names |= {f"e{n}" for n in KIND_NUMBERS.get(exercise.kind, ())}
    names.add(exercise_label(exercise).replace("–", "-").casefold())
    return names


def valid_ids(pack: ContentPack) -> str:
    """"E1 (e1), E2–E3 (e2e3), …": what an unknown id's message lists."""
    return ", ".join(
        exercise_label(e) if exercise_label(e).casefold() == e.id.casefold()
        else f"{exercise_label(e)} ({e.id})" for e in pack.exercises)


def find_exercise(pack: ContentPack, ident: str) -> Exercise:
    """The exercise a user means by `ident`: the pack's id first, then the E-number."""
    wanted = ident.strip().casefold()
    for exercise in pack.exercises:
        if exercise.id.casefold() == wanted:
            return exercise
    for exercise in pack.exercises:
        if wanted in _names(exercise):
            return exercise
    raise RmdeskError("unknown_exercise_id", exercise=ident, choices=valid_ids(pack))
