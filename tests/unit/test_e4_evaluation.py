"""E4 evaluation: ranking from the register, the appetite line and the checks (no Qt)."""

from __future__ import annotations

from rmdesk.domain.checks import ERROR, GOOD
from rmdesk.domain.evaluation import (
    ACCEPT,
    TREAT,
    AppetiteRule,
    Evaluation,
    RiskDecision,
    appetite_line,
    check_evaluation,
    moved,
    ranked,
    render_evaluation_finding,
)
from rmdesk.domain.register import RiskEntry

MAX = 9


def risk(code: str, likelihood: int | None, impact: int | None) -> RiskEntry:
    return RiskEntry(code=code, event=f"event {code}", likelihood=likelihood, impact=impact,
                     id=f"id-{code}")


RISKS = [risk("R1", 2, 3), risk("R2", 4, 5), risk("R3", 3, 4), risk("R4", 1, 2)]


def decided(order: list[str] | None = None) -> Evaluation:
    return Evaluation(order or [], {
        "id-R2": RiskDecision(TREAT, "Extreme", "Director general"),
        "id-R3": RiskDecision(TREAT, "High", "Deputy director"),
        "id-R1": RiskDecision(ACCEPT, "Low and known"),
        "id-R4": RiskDecision(ACCEPT, "Rare"),
    })


def test_first_time_ranks_by_score() -> None:
    rows = ranked(Evaluation(), RISKS)
    assert [r.code for r in rows] == ["R2", "R3", "R1", "R4"]
    assert all(not r.decision.decision for r in rows)


def test_appetite_line_after_last_risk_above_appetite() -> None:
    rows = ranked(Evaluation(), RISKS)
    assert appetite_line(rows, MAX) == 2  # R2 (20), R3 (12) above 9
    assert appetite_line(rows, 25) == 0
    # A low risk ranked first stays above the line, which ends after R3.
    rows = ranked(Evaluation(["id-R4", "id-R2", "id-R1", "id-R3"]), RISKS)
    assert appetite_line(rows, MAX) == 4


def test_deleted_risks_drop_out_and_new_ones_come_last_undecided() -> None:
    evaluation = decided(["id-R1", "id-GONE", "id-R2"])
    rows = ranked(evaluation, RISKS + [risk("R5", 5, 5)])
    assert [r.code for r in rows] == ["R1", "R2", "R5", "R3", "R4"]
    assert rows[2].decision.decision == ""


def test_good_evaluation() -> None:
    findings = check_evaluation(ranked(decided(), RISKS), MAX)
    assert [(f.code, f.severity) for f in findings] == [("evaluation_ok", GOOD)]
    assert findings[0].params == {"count": 4, "treat": 2, "accept": 2, "above": 2}


def test_nothing_above_appetite_may_be_accepted() -> None:
    evaluation = decided()
    evaluation.decisions["id-R3"] = RiskDecision(ACCEPT, "We can live with it", "DG")
    finding = next(f for f in check_evaluation(ranked(evaluation, RISKS), MAX)
                   if f.code == "accepted_above_appetite")
    assert finding.severity == ERROR
    assert finding.params == {"code": "R3", "score": 12, "maximum": 9}


def test_every_risk_decided_with_reason_and_escalation() -> None:
    evaluation = decided()
    evaluation.decisions["id-R1"] = RiskDecision(TREAT, "")
    del evaluation.decisions["id-R4"]
    evaluation.decisions["id-R2"] = RiskDecision(TREAT, "Extreme", "")
    codes = {(f.code, f.params.get("code")) for f in
             check_evaluation(ranked(evaluation, RISKS), MAX)}
    assert ("undecided", "R4") in codes
    assert ("reason_missing", "R1") in codes
    assert ("escalation_missing", "R2") in codes


def test_order_against_scores_needs_its_own_reason() -> None:
    evaluation = decided(["id-R1", "id-R2", "id-R3", "id-R4"])
    evaluation.decisions["id-R2"].order_reason = "Spreading to other ports"
    findings = [f for f in check_evaluation(ranked(evaluation, RISKS), MAX)
                if f.code == "order_unexplained"]
    # R1 (6) sits above R3 (12); R2 explains its rank, so only the R1/R3 pair is left.
    # The reason for the decision (every risk has one here) does not explain the order.
    assert len(findings) == 1
    assert findings[0].params["code"] == "R1"
    assert "R3 (12)" in render_evaluation_finding(findings[0], lambda s: s)
    evaluation.decisions["id-R1"].order_reason = "Rising fast: seizures doubled"
    assert "order_unexplained" not in {
        f.code for f in check_evaluation(ranked(evaluation, RISKS), MAX)}
    # The order reason is kept with the answer.
    again = Evaluation.from_dict(evaluation.to_dict())
    assert again.decision("id-R1").order_reason == "Rising fast: seizures doubled"


def test_no_appetite_for_a_severe_consequence_whatever_the_score() -> None:
    rule = AppetiteRule(9, ("health_safety",), 5)
    low_but_severe = RiskEntry(id="id-S", code="S1", area="health_safety", likelihood=1,
                               impact=5)
    economic = RiskEntry(id="id-E", code="E1", area="revenue", likelihood=1, impact=5)
    evaluation = Evaluation(["id-S", "id-E"], {
        "id-S": RiskDecision(ACCEPT, "Rare"), "id-E": RiskDecision(ACCEPT, "Rare")})
    rows = ranked(evaluation, [low_but_severe, economic])
    found = {(f.code, f.params.get("code")) for f in check_evaluation(rows, 9, rule)}
    assert ("accepted_severe", "S1") in found and ("escalation_missing", "S1") in found
    assert not {c for c in found if c[1] == "E1" and c[0] != "order_unexplained"}


def test_unrated_and_empty() -> None:
    assert check_evaluation([], MAX)[0].code == "no_risks"
    rows = ranked(Evaluation(), [risk("R9", None, 3)])
    assert "unrated" in {f.code for f in check_evaluation(rows, MAX)}


def test_moved_clamps() -> None:
    order = ["a", "b", "c"]
    assert moved(order, "c", -1) == ["a", "c", "b"]
    assert moved(order, "a", -1) == order
    assert moved(order, "a", 5) == ["b", "c", "a"]
    assert moved(order, "x", 1) == order


def test_json_stores_only_ids_order_and_decisions() -> None:
    evaluation = decided(["id-R2", "id-R1"])
    evaluation.decisions["id-R9"] = RiskDecision()  # blank: not stored
    data = evaluation.to_dict()
    assert set(data) == {"order", "decisions"}
    assert "id-R9" not in data["decisions"]
    assert Evaluation.from_dict(data).decisions["id-R2"] == RiskDecision(
        TREAT, "Extreme", "Director general")
    loaded = Evaluation.from_dict({"order": ["a", 3, "a", None], "decisions": {
        "a": {"decision": "ignore", "reason": 7}, "b": "junk"}})
    assert loaded.order == ["a"]
    assert loaded.decisions["a"] == RiskDecision("", "7", "")
    assert Evaluation.from_dict([]) == Evaluation()
