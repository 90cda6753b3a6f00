"""Examples pass: every example the instructions or tips give for a field is accepted by
the check that reads that field, in every language (a counter-example is flagged).

The examples are listed in the pack (`[examples]`, rmdesk.content.examples); this test
holds the list to the text (each example appears word for word in its exercise's
instructions or tips) and to the checks (entered into the model work in place of the
model's own value, "Check my work" on that exercise finds nothing to complain about).
"""

from __future__ import annotations

import copy
import unicodedata
from typing import Any

import pytest

from rmdesk.content.pack import ContentPack, Example, Exercise, builtin_pack
from rmdesk.i18n import LANGUAGES
from rmdesk.services.group_fill import GroupFiller
from rmdesk.services.work_checks import WorkChecks
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store


def _cases() -> list[tuple[str, int, str]]:
    pack = builtin_pack()
    return [(exercise_id, i, lang) for exercise_id, items in pack.examples.items()
            for i in range(len(items)) for lang in LANGUAGES]


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def _place(exercise: Exercise, work: Any, example: Example, text: str) -> Any:
    """The model work with the example in place of the model's own value of its field."""
    work = copy.deepcopy(work)
    field = example.field
    if field == "pestle_factor":
        work["pestle"]["political"][0] = text
    elif exercise.kind == "context_scan" and field == "objective":
        work["objectives"][0] = text
    elif exercise.kind == "register_analysis":
        work[0][field] = text
    elif exercise.kind == "evaluation":
        accepted = [k for k, d in work["decisions"].items() if d["decision"] == "accept"]
        work["decisions"][(accepted or list(work["decisions"]))[0]][field] = text
    elif exercise.kind == "treatment":
        work["rows"][next(iter(work["rows"]))][field] = text
    elif field == "effectiveness":
        work[0]["effectiveness"] = text
    elif field in ("description_contains", "hs_code"):
        condition = {"field": "description", "op": "contains", "value": text} \
            if field == "description_contains" else \
            {"field": "hs_code", "op": "in", "value": text}
        work[-1]["conditions"] = [condition]
    elif exercise.kind == "kpi_plan":
        work["kpis"][0][field] = text
    elif exercise.kind == "compliance_survey":
        work[field] = text
    elif exercise.kind == "intelligence":  # kpi_formula, kpi_target: the first KPI's
        work["centre"]["kpis"][0][field.removeprefix("kpi_")] = text
    elif exercise.kind == "maturity":
        # The highest level: evidence is required from level 3 up.
        top = max(work["ratings"], key=lambda d: work["ratings"][d]["level"])
        work["ratings"][top][field] = text
    elif exercise.kind == "compliance_pyramid":
        work["placements"][next(iter(work["placements"]))][field] = text
    elif exercise.kind == "passenger_targeting":
        if field == "rationale":
            work["rationales"][0] = text
        else:
            work["safeguards"][field] = text
    else:  # pragma: no cover - a field EXAMPLE_FIELDS lists but this test cannot place
        raise AssertionError(f"no place for {exercise.id}.{field}")
    return work


def _fill(store: Store, pack: ContentPack, exercise: Exercise, work: Any,
          lang: str) -> str:
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(WorkshopInput(title="T"), pack.pack.id,
                                         pack.pack.version)
    group = workshops.add_group(workshop.id, "G")
    answers = {e.id: pack.model_work_for(e.id, lang) for e in pack.exercises}
    answers[exercise.id] = work
    GroupFiller(store, pack, group.id).fill(answers)
    return group.id


@pytest.mark.parametrize(("exercise_id", "index", "lang"), _cases())
def test_an_example_of_the_instructions_passes_its_check(
        store: Store, exercise_id: str, index: int, lang: str) -> None:
    pack = builtin_pack()
    exercise = next(e for e in pack.exercises if e.id == exercise_id)
    example = pack.examples[exercise_id][index]
    text = example.get(lang)
    written = " ".join(_plain(t.get(lang)) for t in [exercise.instructions, *exercise.tips])
    assert _plain(text) in written, f"{exercise_id} ({lang}) does not give “{text}”"

    work = _place(exercise, pack.model_work_for(exercise_id, lang), example, text)
    group_id = _fill(store, pack, exercise, work, lang)
    found = WorkChecks(store, pack).check_exercise(group_id, exercise, lang)
    complaints = [message for finding, message in found
                  if finding.severity in ("error", "warning")]
    if example.accepted:
        assert not complaints, (text, complaints)
    else:
        assert complaints, f"the counter-example “{text}” was not flagged"


def test_every_example_field_is_covered_by_the_pack() -> None:
    """The list is not empty, and examples of every exercise with quoted examples in its
    instructions are listed (a pack that drops them fails here)."""
    pack = builtin_pack()
    assert {"e1", "e2e3", "e4", "e5", "e7", "e10", "e12", "e13", "e15"} <= \
        set(pack.examples)
    assert any(not e.accepted for items in pack.examples.values() for e in items)
