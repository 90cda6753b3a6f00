"""E15 on stored work: `rmdesk check`'s checks on the demo's groups, the "Model answer"
group in every language, and the facilitator's side-by-side comparison."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rmdesk.content.pack import builtin_pack
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.services.comparison import ComparisonService
from rmdesk.services.demo import create_demo
from rmdesk.services.model_answers import ModelAnswerService
from rmdesk.services.work_checks import WorkChecks
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import WorkGroup, Workshop

PACK = builtin_pack()
EXERCISE = PACK.exercise("intelligence")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Store, Workshop, dict[str, WorkGroup]]]:
    store = open_store(tmp_path_factory.mktemp("demo15") / "data")
    workshop = create_demo(store)
    groups = {g.name: g for g in WorkshopService(store).list_groups(workshop.id)}
    yield store, workshop, groups
    store.close()


def codes(store: Store, group: WorkGroup, lang: str = "en") -> dict[str, str]:
    found = WorkChecks(store, PACK).check_exercise(group.id, EXERCISE, lang)
    return {f.code: f.severity for f, _message in found}


def test_the_demo_groups_get_the_feedback_their_work_deserves(demo) -> None:  # noqa: ANN001
    store, _, groups = demo
    one = codes(store, groups["Group 1"])
    assert "error" not in one.values()
    assert one["grade_far"] == "warning" and one["shifts_gap"] == "warning"
    assert one["profile_hits"] == "good"
    two = codes(store, groups["Group 2"], "es")
    assert {"profile_low_basis", "profile_review_before_workshop", "items_not_graded",
            "centre_missing_functions"} <= {c for c, s in two.items() if s == "error"}
    three = codes(store, groups["Group 3"], "pt_BR")
    assert three["items_not_graded"] == "error"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_answer_group_passes_in_every_language(demo, lang: str) -> None:  # noqa: ANN001
    store, workshop, groups = demo
    group = WorkshopService(store).add_group(workshop.id, f"Model {lang}")
    ModelAnswerService(store, PACK).fill_group(group.id, lang)
    found = WorkChecks(store, PACK).check_exercise(group.id, EXERCISE, lang)
    assert [m for f, m in found if f.severity in ("error", "warning")] == []
    hits = next(m for f, m in found if f.code == "profile_hits")
    assert "36" in hits and "41" in hits and "24" in hits


def test_the_side_by_side_summarises_each_groups_answer(demo) -> None:  # noqa: ANN001
    store, workshop, groups = demo
    _ = gettext_for("fr")
    side = ComparisonService(store, PACK).side_by_side(workshop.id, EXERCISE.id, _, "fr")
    by_group = {a.group_name: [line.text for line in a.lines] for a in side.answers}
    one = " ".join(by_group["Group 1"])
    assert "S01 A1" in one and "S08 C4" in one
    assert "Relabelled refrigerant by road from Norlandia" in one
    assert "National Police" in one
    assert by_group["Group 3"] and "S05" not in " ".join(by_group["Group 3"])
    assert side.model_answer == EXERCISE.model_answer.get("fr")
