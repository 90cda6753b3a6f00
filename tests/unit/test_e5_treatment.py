"""E5 treatment plan: which risks, the matrix moves and the checks (no Qt)."""

from __future__ import annotations

import datetime as dt

from rmdesk.domain.checks import ERROR, GOOD
from rmdesk.domain.evaluation import ACCEPT as DECIDE_ACCEPT
from rmdesk.domain.evaluation import TREAT, Evaluation, RiskDecision
from rmdesk.domain.register import RiskEntry
from rmdesk.domain.treatment import (
    MESSAGES,
    Move,
    TreatmentPlan,
    TreatmentRow,
    check_treatment,
    matrix_moves,
    render_treatment_finding,
    risks_to_treat,
)


def risk(code: str, likelihood: int | None, impact: int | None) -> RiskEntry:
    return RiskEntry(code=code, likelihood=likelihood, impact=impact, id=f"id-{code}")


RISKS = [risk("R1", 2, 3), risk("R2", 4, 5), risk("R3", 3, 4), risk("R4", None, None)]


def good_row(**changes: object) -> TreatmentRow:
    row = TreatmentRow("reduce", "Scan all reefers", "Enforcement", "2026-01-05",
                       "2026-06-30", "2 analysts", 2, 3, "Hit rate of scans")
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def test_risks_to_treat_follow_e4_or_all_rated() -> None:
    assert [r.code for r in risks_to_treat(RISKS, None)] == ["R2", "R3", "R1"]
    assert [r.code for r in risks_to_treat(RISKS, Evaluation())] == ["R2", "R3", "R1"]
    evaluation = Evaluation(["id-R1", "id-R3", "id-R2"], {
        "id-R1": RiskDecision(TREAT), "id-R3": RiskDecision(TREAT),
        "id-R2": RiskDecision(DECIDE_ACCEPT)})
    assert [r.code for r in risks_to_treat(RISKS, evaluation)] == ["R1", "R3"]


def test_good_plan() -> None:
    plan = TreatmentPlan({"id-R2": good_row(), "id-R3": good_row(residual_likelihood=1)})
    findings = check_treatment(RISKS[1:3], plan)
    assert [(f.code, f.severity) for f in findings] == [("plan_ok", GOOD)]
    assert findings[0].params == {"count": 2, "before": 32, "after": 9}


def test_residual_must_fall_unless_accepted() -> None:
    plan = TreatmentPlan({"id-R1": good_row(residual_likelihood=3, residual_impact=2)})
    finding = next(f for f in check_treatment([RISKS[0]], plan)
                   if f.code == "residual_not_lower")
    assert finding.severity == ERROR
    assert finding.params == {"code": "R1", "residual": 6, "inherent": 6}
    plan.rows["id-R1"].option = "accept"
    assert "residual_not_lower" not in {f.code for f in check_treatment([RISKS[0]], plan)}


def test_accept_without_residual_stays_in_place() -> None:
    plan = TreatmentPlan({"id-R1": good_row(option="accept", actions="",
                                            residual_likelihood=None, residual_impact=None)})
    assert [f.code for f in check_treatment([RISKS[0]], plan)] == ["plan_ok"]
    assert matrix_moves([RISKS[0]], plan) == [Move("R1", (2, 3), (2, 3))]


def test_missing_parts() -> None:
    findings = check_treatment([RISKS[0], RISKS[3]], TreatmentPlan())
    got = {(f.code, f.params.get("code")) for f in findings}
    for code in ("option_missing", "owner_missing", "kpi_missing", "residual_missing",
                 "dates_missing"):
        assert (code, "R1") in got
    assert ("inherent_unrated", "R4") in got
    assert check_treatment([], TreatmentPlan())[0].code == "nothing_to_treat"


def test_dates_in_order() -> None:
    plan = TreatmentPlan({"id-R2": good_row(start="2026-06-30", due="2026-01-05")})
    finding = next(f for f in check_treatment([RISKS[1]], plan) if f.code == "dates_reversed")
    assert finding.params["due"] == dt.date(2026, 1, 5)
    text = render_treatment_finding(finding, lambda s: s, lambda d: d.strftime("%d/%m/%Y"))
    assert "05/01/2026" in text and "30/06/2026" in text
    plan.rows["id-R2"].start = "2026-02-30"
    assert "date_invalid" in {f.code for f in check_treatment([RISKS[1]], plan)}


def test_matrix_moves() -> None:
    plan = TreatmentPlan({"id-R2": good_row()})
    assert matrix_moves(RISKS[1:], plan) == [
        Move("R2", (4, 5), (2, 3)), Move("R3", (3, 4), None), Move("R4", None, None)]


def test_json_round_trip_and_tolerance() -> None:
    plan = TreatmentPlan({"id-R2": good_row(), "id-R3": TreatmentRow()})
    data = plan.to_dict()
    assert list(data["rows"]) == ["id-R2"]  # blank rows are not stored
    assert TreatmentPlan.from_dict(data).rows == {"id-R2": good_row()}
    loaded = TreatmentPlan.from_dict({"rows": {"x": {
        "option": "pray", "residual_likelihood": 9, "residual_impact": "2", "kpi": 5,
        "owner": None}, "y": "junk"}})
    assert loaded.rows["x"] == TreatmentRow(kpi="5")
    assert loaded.rows["y"] == TreatmentRow()
    assert TreatmentPlan.from_dict("nonsense") == TreatmentPlan()


def test_every_message_has_a_template() -> None:
    findings = check_treatment([RISKS[0], RISKS[3]], TreatmentPlan())
    for finding in findings:
        assert render_treatment_finding(finding, lambda s: s)
    assert {f.code for f in findings} <= set(MESSAGES)


def test_matrix_markers_share_cells() -> None:
    from rmdesk.domain.treatment import matrix_markers, slot_centre

    moves = [Move("R1", (4, 5), (2, 3)), Move("R2", (4, 5), (4, 5)), Move("R3", (2, 3), None)]
    markers = matrix_markers(moves)
    top = [m for m in markers if m.cell == (4, 5)]
    assert [(m.code, m.after, m.slot, m.slots) for m in top] == [
        ("R1", False, 0, 2), ("R2", False, 1, 2)]  # R2 accepted: drawn once, not moved
    low = [(m.code, m.after) for m in markers if m.cell == (2, 3)]
    assert low == [("R1", True), ("R3", False)]
    assert slot_centre(0, 1) == (0.5, 0.5)
    assert slot_centre(1, 2) == (0.75, 0.5)
    assert slot_centre(4, 5) == (0.5, 0.75)


def test_options_follow_the_e4_decision_and_the_appetite() -> None:
    """Never "accept" above the appetite without someone who may; a risk treated in E4
    is not accepted in E5; a residual risk above the appetite needs a named acceptor."""
    from rmdesk.domain.evaluation import AppetiteRule

    rule = AppetiteRule(9, ("security",), 5)
    severe = RiskEntry(code="S1", likelihood=3, impact=5, area="security", id="id-S1")
    plan = TreatmentPlan({"id-S1": good_row(residual_likelihood=2, residual_impact=5)})
    codes = {f.code for f in check_treatment([severe], plan, rule)}
    assert "residual_above_appetite" in codes  # 10 > 9, and severe in security
    plan.rows["id-S1"].acceptor = "Director General"
    assert [f.code for f in check_treatment([severe], plan, rule)] == ["plan_ok"]
    plan.rows["id-S1"].option = "accept"
    assert "accepted_after_treat" in {f.code for f in check_treatment(
        [severe], plan, rule, from_e4=True)}
    plan.rows["id-S1"].acceptor = ""
    assert "accept_above_appetite" in {f.code for f in check_treatment([severe], plan, rule)}
    # Above the appetite, the message never suggests accepting.
    plan = TreatmentPlan({"id-S1": good_row(residual_likelihood=3, residual_impact=5)})
    found = {f.code for f in check_treatment([severe], plan, rule)}
    assert "residual_not_lower_above_appetite" in found and "residual_not_lower" not in found
    assert "accept" not in MESSAGES["residual_not_lower_above_appetite"]
