"""E13-E16 summed up over a workshop's groups for the consolidated report, on the same
built-in data the groups' pages use (domain/debrief_figures.py does the arithmetic)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rmdesk.content.pack import ContentPack
from rmdesk.domain.debrief_figures import (
    NewExerciseFigures,
    intel_figures,
    passenger_figures,
    pyramid_figures,
    survey_figures,
)


def new_exercise_figures(pack: ContentPack, works: Sequence[Mapping[str, Any]]
                         ) -> NewExerciseFigures:
    """`pack`: the workshop's (its agenda applied, so a hidden exercise gets no part);
    `works`: each group's answers, exercise id -> JSON."""

    def answers(kind: str) -> tuple[Any, list[Any]] | tuple[None, list[Any]]:
        exercise = next((e for e in pack.exercises if e.kind == kind), None)
        if exercise is None:
            return None, []
        return exercise, [w.get(exercise.id) for w in works]

    survey = pyramid = intel = passengers = None
    exercise, found = answers("compliance_survey")
    if exercise is not None and any(found):
        from rmdesk.services.compliance_survey import builtin_population

        survey = survey_figures(found, builtin_population())
    exercise, found = answers("compliance_pyramid")
    if exercise is not None and any(found):
        pyramid = pyramid_figures([s.id for s in exercise.segments], found)
    exercise, found = answers("intelligence")
    if exercise is not None and any(found):
        from rmdesk.services.intelligence import item_keys
        from rmdesk.services.targeting import builtin_table

        intel = intel_figures(item_keys(exercise), found, builtin_table)
    exercise, found = answers("passenger_targeting")
    if exercise is not None and any(found):
        from rmdesk.domain.passengers import passenger_table

        passengers = passenger_figures(found, passenger_table())
    return NewExerciseFigures(survey, pyramid, intel, passengers)
