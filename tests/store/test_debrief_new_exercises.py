"""The consolidated report's "What the groups decided" parts for E13-E16: on the demo
(four groups, "Model answer" among them) in every language, the figures recomputed here
from the groups' stored work with each exercise's own functions; gone when the agenda
hides the exercises; and still rendered for the bench's 30 groups."""

from __future__ import annotations

import importlib.util
import statistics
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.compliance_pyramid import LEVELS, SHORT_RESPONSES, CompliancePyramid
from rmdesk.domain.compliance_survey import ComplianceSurvey, estimate, mentions_bias
from rmdesk.domain.criteria import check_ruleset
from rmdesk.domain.declaration_gen import builtin_dataset
from rmdesk.domain.intelligence import IntelligenceWork, run_profile
from rmdesk.domain.passengers import (
    FORBIDDEN_FIELDS,
    PassengerWork,
    fields_used,
    passenger_table,
    run_passengers,
)
from rmdesk.i18n import LANGUAGES, gettext_for, ngettext_for
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.services import agenda
from rmdesk.services.compliance_survey import builtin_population
from rmdesk.services.demo import create_demo
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.workshop_reports import write_consolidated_pdf
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store, open_store

PACK = builtin_pack()
NEW = ("e13", "e14", "e15", "e16")
TITLE = {e.id: e for e in PACK.exercises}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str, list]]:
    store = open_store(tmp_path_factory.mktemp("debrief-new") / "data")
    workshop = create_demo(store)
    groups = WorkshopService(store).list_groups(workshop.id)
    works = ExerciseWorkService(store)
    stored = [{e: works.load(g.id, e).data for e in NEW} for g in groups]
    yield store, workshop.id, stored
    store.close()


def flat(text: str) -> str:
    """Words apart by one space (no-break spaces of the number formats included)."""
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def flat_text(path: Path) -> str:
    return flat(" ".join(p.extract_text() for p in PdfReader(path).pages))


def debrief_of(text: str, lang: str) -> str:
    """The debrief section only (the groups' own pages come after it)."""
    start = text.rindex(gettext_for(lang)("What the groups decided"))
    return text[start:]


def spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def expected_lines(stored: list[dict], lang: str) -> list[str]:
    """Every figure the four parts must show, recomputed from the stored work."""
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    pct = lambda v: format_percent(v, lang, digits=1)  # noqa: E731
    num = lambda v: format_number(v, lang)  # noqa: E731
    lines = []
    # E13
    surveys = [ComplianceSurvey.from_dict(w["e13"]) for w in stored if w["e13"]]
    surveys = [s for s in surveys if not s.is_empty()]
    rates = [estimate(s, builtin_population()).rate for s in surveys if s.drawn]
    assert surveys and rates, "the demo has survey work with a drawn sample"
    lines.append(_("Estimated non-compliance rate") + " "
                 + " ".join(pct(v) for v in spread(rates)))
    named = sum(mentions_bias(s.interpretation) for s in surveys)
    lines.append(ngettext(
        "{count} group out of {total} named the selection bias in its interpretation.",
        "{count} groups out of {total} named the selection bias in their interpretation.",
        named).format(count=named, total=len(surveys)))
    # E14
    pyramids = [CompliancePyramid.from_dict(w["e14"]) for w in stored if w["e14"]]
    pyramids = [p for p in pyramids if any(not v.is_blank() for v in p.placements.values())]
    assert pyramids
    lines.append(" ".join(_(SHORT_RESPONSES[level]) for level in LEVELS))
    for segment in PACK.exercise("compliance_pyramid").segments:
        counts = [sum(p.placement(segment.id).level == level for p in pyramids)
                  for level in LEVELS]
        lines.append(segment.name.get(lang) + " "
                     + " ".join(num(n) if n else "·" for n in counts))
    # E15
    intel = [IntelligenceWork.from_dict(w["e15"]) for w in stored if w["e15"]]
    intel = [w for w in intel if not w.is_empty()]
    assert intel
    for item in PACK.exercise("intelligence").intel_items:
        codes = Counter(w.grading(item.id).code() for w in intel
                        if w.grading(item.id).complete)
        if not codes:
            continue
        top = max(codes.values())
        common = sorted(c for c, n in codes.items() if n == top)[0]
        graded = sum(codes.values())
        expected = f"{item.expected_source}{item.expected_info}"
        lines.append(f"{item.id} {expected} {common} ({top}/{graded}) "
                     f"{codes.get(expected, 0)}/{graded}")
    runs = [run_profile(w.profile, builtin_dataset) for w in intel]
    hits = [r.hits for r in runs if r is not None and not r.issues]
    assert hits
    lines.append(_("Profile hits on the practice declarations") + " "
                 + " ".join(num(v) for v in spread(hits)))
    # E16
    table = passenger_table()
    passengers = [PassengerWork.from_dict(w["e16"]) for w in stored if w["e16"]]
    passengers = [w for w in passengers if w.ruleset.criteria or w.reading.strip()
                  or any(v.strip() for v in w.safeguards.values())]
    assert passengers
    metrics = [run_passengers(w, table).metrics for w in passengers
               if w.ruleset.criteria and not check_ruleset(w.ruleset, table.fields())]
    assert metrics
    lines.append(_("Hit rate") + " "
                 + " ".join(pct(v) for v in spread([m.hit_rate for m in metrics])))
    lines.append(_("Selection rate (passengers)") + " " + " ".join(
        pct(v) for v in spread([m.selection_rate for m in metrics])))
    forbidden = sum(any(fields_used(c.condition) & set(FORBIDDEN_FIELDS)
                        for c in w.ruleset.criteria) for w in passengers)
    lines.append(ngettext(
        "{count} group out of {total} used a field a passenger profile may not use.",
        "{count} groups out of {total} used a field a passenger profile may not use.",
        forbidden).format(count=forbidden, total=len(passengers)))
    return lines


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_new_parts_show_the_groups_figures(demo, lang: str, tmp_path: Path) -> None:  # noqa: ANN001
    store, workshop_id, stored = demo
    text = debrief_of(flat_text(write_consolidated_pdf(
        store, workshop_id, tmp_path / "r.pdf", (lang,))), lang)
    for exercise_id in NEW:
        assert flat(TITLE[exercise_id].title.get(lang)) in text
    missing = [line for line in map(flat, expected_lines(stored, lang)) if line not in text]
    assert missing == []


def test_the_agenda_hides_the_new_parts(demo, tmp_path: Path) -> None:  # noqa: ANN001
    store, workshop_id, _stored = demo
    shown = [e.id for e in PACK.exercises if e.id not in ("e13", "e15")]
    agenda.choose(store, workshop_id, PACK, shown)
    try:
        text = flat_text(write_consolidated_pdf(store, workshop_id, tmp_path / "r.pdf",
                                                ("en",)))
    finally:
        agenda.choose(store, workshop_id, PACK, [e.id for e in PACK.exercises])
    debrief = debrief_of(text, "en")
    assert TITLE["e13"].title.get("en") not in text
    assert TITLE["e15"].title.get("en") not in text
    assert "Estimated non-compliance rate" not in debrief
    assert "Profile hits on the practice declarations" not in debrief
    assert "Selection rate (passengers)" in debrief  # E16 still on the agenda


def test_no_part_when_no_group_worked_on_the_exercise(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        workshop = create_demo(store)
        works = ExerciseWorkService(store)
        for group in WorkshopService(store).list_groups(workshop.id):
            works.save(group.id, "e16", {})
        text = debrief_of(flat_text(write_consolidated_pdf(
            store, workshop.id, tmp_path / "r.pdf", ("en",))), "en")
    finally:
        store.close()
    assert "Selection rate (passengers)" not in text
    assert "Estimated non-compliance rate" in text


def _bench_fill():  # noqa: ANN202
    path = Path(__file__).resolve().parents[2] / "bench" / "facilitator.py"
    spec = importlib.util.spec_from_file_location("bench_facilitator", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.fill


def test_thirty_groups_still_render(tmp_path: Path) -> None:
    """The bench's 30 groups, each given one demo group's E13-E16 work in turn: the parts
    count over all 30 and stay a few rows long."""
    store = open_store(tmp_path / "data")
    try:
        workshop_id = _bench_fill()(store, 30)
        demo_id = create_demo(store).id
        works = ExerciseWorkService(store)
        samples = [{e: works.load(g.id, e).data for e in NEW}
                   for g in WorkshopService(store).list_groups(demo_id)]
        bench = WorkshopService(store).list_groups(workshop_id)
        assert len(bench) == 30
        for index, group in enumerate(bench):
            for exercise_id, data in samples[index % len(samples)].items():
                if data:
                    works.save(group.id, exercise_id, data)
        text = debrief_of(flat_text(write_consolidated_pdf(
            store, workshop_id, tmp_path / "r.pdf", ("en",))), "en")
    finally:
        store.close()
    assert "out of 30 named the selection bias" in text
    assert "How the 30 groups graded each information report" in text
    assert "out of 30 used a field a passenger profile may not use" in text
    assert "(30 groups placed segments)" in text
