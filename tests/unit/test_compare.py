"""Overlay of the groups' ratings and the targeting leaderboard, as plain data (no Qt)."""

from __future__ import annotations

from rmdesk.domain.comparison import (
    BEST,
    LATEST,
    MATCH_CODE,
    RunInfo,
    build_leaderboard,
    build_overlay,
    json_lines,
    normalise,
)
from rmdesk.domain.register import RiskEntry


def risk(code: str, event: str, lik: int | None, imp: int | None) -> RiskEntry:
    return RiskEntry(code=code, event=event, likelihood=lik, impact=imp)


GROUPS = {
    "a": ("Alpha", [risk("R1", "Undervaluation of footwear", 4, 3),
                    risk("R2", "Counterfeit medicines", 2, 5),
                    risk("R3", "Only Alpha thought of this", 1, 1)]),
    "b": ("Beta", [risk("R7", "  undervaluation of FOOTWEAR. ", 4, 3),
                   risk("R1", "Counterfeit médicines", 5, 5)]),
    "c": ("Gamma", [risk("X", "Undervaluation of footwear", 2, 2),
                    risk("R2", "Counterfeit medicines", None, None)]),
}


def test_normalise_ignores_case_accents_punctuation_spacing() -> None:
    assert normalise("  Counterfeit  MÉDICINES!") == normalise("counterfeit medicines")
    assert normalise("Sub-faturamento") == "sub faturamento"


def test_overlay_matches_by_event_text_and_measures_spread() -> None:
    overlay = build_overlay(GROUPS)
    assert overlay.group_count == 3
    labels = [r.label for r in overlay.risks]
    # Shared by three groups first, the one only Alpha has is left out (min 2 groups).
    assert labels == ["Undervaluation of footwear", "Counterfeit medicines"]
    footwear, medicines = overlay.risks
    assert footwear.number == 1 and len(footwear.rated) == 3
    assert footwear.spread == 12 - 4
    assert footwear.likelihood_range == (2, 4) and footwear.impact_range == (2, 3)
    assert footwear.disagree()  # high (12) vs low (4)
    assert medicines.spread == 25 - 10 and len(medicines.rated) == 2
    assert [r.group_name for r in medicines.ratings] == ["Alpha", "Beta", "Gamma"]
    cells = overlay.cells()
    assert cells[(4, 3)] == [(1, 2)]  # two groups put risk 1 at L4 x C3
    assert cells[(2, 2)] == [(1, 1)]
    assert cells[(2, 5)] == [(2, 1)] and cells[(5, 5)] == [(2, 1)]


def test_overlay_by_code_and_min_groups() -> None:
    overlay = build_overlay(GROUPS, match_by=MATCH_CODE, min_groups=1)
    by_code = {r.codes[0]: r for r in overlay.risks}
    assert set(by_code) == {"R1", "R2", "R3", "R7", "X"}
    assert [g.group_name for g in by_code["R1"].ratings] == ["Alpha", "Beta"]
    assert by_code["R1"].spread == 25 - 12
    # Labelled by what the risk is, never by a bare ID that reads like one group's risk.
    assert by_code["R1"].label in ("Undervaluation of footwear", "Counterfeit médicines")


def test_overlay_agreement_and_empty() -> None:
    same = {"a": ("A", [risk("R1", "Smuggling", 3, 3)]),
            "b": ("B", [risk("R1", "smuggling", 3, 3)])}
    overlay = build_overlay(same)
    assert overlay.risks[0].spread == 0 and not overlay.risks[0].disagree()
    assert build_overlay({}).risks == []
    assert build_overlay({"a": ("A", [risk("", "", 3, 3)])}).risks == []


def run(group: str, when: int, hit: float | None, detection: float | None,
        selection: float = 0.1) -> RunInfo:
    import datetime as dt

    return RunInfo(f"{group}{when}", dt.datetime(2026, 3, 9, 9, when),
                   {"hit_rate": hit, "detection_rate": detection, "selection_rate": selection,
                    "lift": 2.0})


def test_leaderboard_best_and_latest() -> None:
    groups = [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma"), ("d", "Delta")]
    runs = {
        "a": [run("a", 1, 0.5, 0.5), run("a", 2, 0.1, 0.1)],
        "b": [run("b", 1, 0.2, 0.9)],
        "c": [run("c", 1, None, None), RunInfo("c2", None, {"hit_rate": "x"})],
    }
    best = build_leaderboard(groups, runs, BEST)
    assert [(r.rank, r.group_name) for r in best] == [
        (1, "Alpha"), (2, "Beta"), (3, "Gamma"), (None, "Delta")]
    assert best[0].hit_rate == 0.5 and best[0].runs == 2
    assert best[3].runs == 0 and best[3].run_id is None
    latest = build_leaderboard(groups, runs, LATEST)
    assert [(r.rank, r.group_name) for r in latest][:2] == [(1, "Beta"), (2, "Alpha")]
    assert latest[1].hit_rate == 0.1
    assert latest[2].hit_rate is None  # malformed metrics: shown as not defined


def test_leaderboard_ties_share_a_rank() -> None:
    groups = [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")]
    runs = {g: [run(g, 1, 0.3, 0.4)] for g in ("a", "b")} | {"c": [run("c", 1, 0.1, 0.1)]}
    assert [r.rank for r in build_leaderboard(groups, runs)] == [1, 1, 3]


def test_json_summary_is_readable_and_tolerant() -> None:
    data = {"objectives": ["Collect revenue", "", "Protect health"],
            "swot": {"strengths": ["Trained staff"], "weaknesses": []},
            "milestones": [{"name": "Kick-off", "date": "2026-04-01", "done": False}],
            "note": "", "level": 3}
    lines = json_lines(data, lambda s: s)
    texts = [ln.text for ln in lines]
    assert texts == ["Objectives", "• Collect revenue", "• Protect health", "Swot",
                     "Strengths", "• Trained staff", "Milestones",
                     "1. Name: Kick-off · Date: 2026-04-01 · Done: no", "Level: 3"]
    assert json_lines({}, str) == [] and json_lines(None, str) == []
    assert json_lines([[1, 2]], str)[0].text == "• 1"


def test_automatic_matching_is_by_meaning_never_silently_by_id(tmp_path) -> None:
    from rmdesk.content.pack import builtin_pack
    from rmdesk.domain.comparison import MATCH_CODE, MATCH_EVENT
    from rmdesk.services.comparison import ComparisonService
    from rmdesk.services.demo import create_demo
    from rmdesk.store.database import open_store

    store = open_store(tmp_path / "data")
    workshop = create_demo(store)  # registers written in English, Spanish and Portuguese
    service = ComparisonService(store, builtin_pack())
    automatic = service.overlay(workshop.id)
    assert automatic.match_by == MATCH_EVENT
    by_id = service.overlay(workshop.id, MATCH_CODE)
    # The demo's R6 is firearm parts in Group 1 and used vehicles in Group 3: by ID they
    # pair; by meaning a risk never holds two areas' events.
    r6 = next(r for r in by_id.risks if r.codes[0] == "R6")
    assert {"Firearm", "Veículos"} <= {r.event.split()[0] for r in r6.ratings}
    for risk in automatic.risks:
        assert len({r.group_id for r in risk.ratings}) == len(risk.ratings)
    # Spanish and Portuguese wordings of the cigarettes in transit are one risk.
    cigarettes = [r for r in automatic.risks if "Sulmara" in r.label]
    assert cigarettes and {g.group_name for g in cigarettes[0].ratings} == {"Group 2",
                                                                          "Group 3"}
    store.close()
