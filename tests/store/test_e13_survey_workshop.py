"""E13 across the workshop, on the demo store: each demo group's survey is what its file
says (Group 1 done and sound, Group 2 with the mistakes the checks catch, Group 3 just
started, the model group passing), the facilitator's side by side shows every group's
design and estimate, `rmdesk check` covers E13, and the consolidated report prints it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.pdf_text import pdf_text

from rmdesk.app import main
from rmdesk.content.pack import builtin_pack
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.services.comparison import ComparisonService
from rmdesk.services.demo import create_demo
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.work_checks import WorkChecks
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import WorkGroup, Workshop

PACK = builtin_pack()
E13 = PACK.exercise("compliance_survey")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Path, Store, Workshop, list[WorkGroup]]]:
    folder = tmp_path_factory.mktemp("demo13") / "data"
    store = open_store(folder)
    workshop = create_demo(store)
    groups = WorkshopService(store).list_groups(workshop.id)
    yield folder, store, workshop, groups
    store.close()


def severities(store: Store, group: WorkGroup, lang: str = "en") -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding, _message in WorkChecks(store, PACK).check_exercise(group.id, E13, lang):
        found.setdefault(finding.severity, []).append(finding.code)
    return found


def test_the_demo_groups_are_where_their_files_say(demo) -> None:  # noqa: ANN001
    _folder, store, _workshop, groups = demo
    by_name = {g.name: g for g in groups}
    one = severities(store, by_name["Group 1"])
    assert "error" not in one and "warning" not in one and "survey_ok" in one["good"]
    two = severities(store, by_name["Group 2"])
    assert {"strata_gap", "n_wrong", "sample_wrong", "no_interpretation"} <= set(two["error"])
    three = severities(store, by_name["Group 3"])
    assert {"no_margin", "no_anticipated", "strata_gap"} <= set(three["error"])
    model = severities(store, by_name["Model answer"])
    assert "error" not in model and "warning" not in model


@pytest.mark.parametrize("lang", LANGUAGES)
def test_side_by_side_shows_every_groups_survey(demo, lang: str) -> None:  # noqa: ANN001
    _folder, store, workshop, groups = demo
    side = ComparisonService(store, PACK).side_by_side(workshop.id, E13.id,
                                                      gettext_for(lang), lang)
    lines = {answer.group_name: [line.text for line in answer.lines]
             for answer in side.answers}
    assert set(lines) == {g.name for g in groups}
    assert side.model_answer == E13.model_answer.get(lang)
    model = " ".join(lines["Model answer"])
    assert "n = 794" in model and "7,2" in model.replace("7.2", "7,2")
    assert any("4071, 7100" in text for text in lines["Group 1"])
    assert any("n0 = —" in text for text in lines["Group 3"])  # no figures yet


def test_the_overview_counts_e13(demo) -> None:  # noqa: ANN001
    _folder, store, workshop, groups = demo
    overview = FacilitationService(store).overview(workshop.id, PACK)
    assert E13.id in overview.exercise_ids
    assert overview.counts(E13.id)["in_progress"] >= 3


def test_rmdesk_check_covers_e13(demo, capsys) -> None:  # noqa: ANN001
    folder, _store, workshop, _groups = demo
    common = ["check", "--data-dir", str(folder), "--workshop", workshop.title,
              "--exercise", "E13", "--lang", "en"]
    assert main([*common, "--group", "Model answer"]) == 0
    assert "The design is sound" in capsys.readouterr().out
    assert main([*common, "--group", "Group 2"]) == 1
    assert "No stratum covers rail (250 declarations)" in capsys.readouterr().out


def test_the_exercise_print_across_groups_has_every_survey(demo, tmp_path: Path) -> None:  # noqa: ANN001
    folder, _store, workshop, _groups = demo
    out = tmp_path / "e13.pdf"
    assert main(["report", "--data-dir", str(folder), "--workshop", workshop.title,
                 "--exercise", "E13", "--lang", "fr", "-o", str(out)]) == 0
    text = pdf_text(out)
    assert " ".join(E13.title.get("fr").split()) in text
    for name in ("Group 1", "Group 2", "Model answer"):
        assert name in text
    assert "7,2 %" in text and "Aucune strate ne couvre rail" in text
