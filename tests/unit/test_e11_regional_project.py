"""E11 regional targeting project: model, dependency graph and checks (no Qt)."""

from __future__ import annotations

import datetime as dt

from rmdesk.domain.checks import ERROR, GOOD, Finding
from rmdesk.domain.regional_project import (
    MESSAGES,
    Milestone,
    Partner,
    RegionalProject,
    chart_span,
    check_regional_project,
    find_cycle,
    month_ticks,
    render_project_finding,
)


def good_project() -> RegionalProject:
    project = RegionalProject(
        objective="Detect undervalued footwear moving through the corridor",
        data_exchanged="Export declarations (value, HS code, consignee)",
        legal_basis="Regional mutual assistance convention, art. 7",
        indicators="Unit value below 40 % of the reference price",
        window_start="2026-04-01", window_end="2026-09-30",
        evaluation="Hit rate and revenue recovered, compared with Q1",
        partners=[Partner("p1", "Aduana de Valdoria", "Ana Ruiz", "Lead, analysis"),
                  Partner("p2", "Receita de Montalba", "João Lima", "Data provider")],
    )
    dates = [("2026-04-01", "2026-04-15"), ("2026-04-16", "2026-05-10"),
             ("2026-05-11", "2026-06-30"), ("2026-07-01", "2026-08-31"),
             ("2026-09-01", "2026-09-30")]
    for n, (start, end) in enumerate(dates, start=1):
        project.milestones.append(Milestone(
            f"m{n}", f"Step {n}", start, end, "p1" if n % 2 else "p2",
            [f"m{n - 1}"] if n > 1 else []))
    return project


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_a_consistent_project_is_good() -> None:
    findings = check_regional_project(good_project())
    assert codes(findings) == ["project_ok"]
    assert findings[0].severity == GOOD


def test_an_empty_project_names_everything() -> None:
    found = codes(check_regional_project(RegionalProject()))
    for code in ("missing_objective", "missing_data_exchanged", "missing_legal_basis",
                 "missing_indicators", "missing_evaluation", "missing_window", "no_partners",
                 "too_few_milestones"):
        assert code in found


def test_five_to_eight_milestones() -> None:
    project = good_project()
    project.milestones.pop()
    finding = next(f for f in check_regional_project(project)
                   if f.code == "too_few_milestones")
    assert finding.params == {"count": 4, "minimum": 5, "maximum": 8}
    project = good_project()
    for n in range(6, 10):
        project.milestones.append(Milestone(f"m{n}", f"Extra {n}", "2026-09-01",
                                            "2026-09-30", "p1"))
    assert "too_many_milestones" in codes(check_regional_project(project))


def test_dates_in_order_and_the_window_inside_the_project() -> None:
    project = good_project()
    project.milestones[0].end = "2026-03-30"  # before it starts
    project.milestones[2].start = "2026-05-01"  # before M2 (its predecessor) ends
    found = {f.code: f for f in check_regional_project(project)}
    assert found["milestone_reversed"].params["milestone"] == "M1 Step 1"
    before = found["milestone_before_predecessor"]
    assert before.params["milestone"] == "M3 Step 3"
    assert before.params["predecessor"] == "M2 Step 2"
    assert before.params["end"] == dt.date(2026, 5, 10)
    text = render_project_finding(before, lambda s: s, lambda d: d.strftime("%d/%m/%Y"))
    assert "01/05/2026" in text and "10/05/2026" in text


def test_project_period_and_operation_window_are_different_things() -> None:
    """Preparation before the operation window and evaluation after it are part of the
    project: milestones outside the window are fine, a window outside the project not."""
    project = good_project()
    project.window_start, project.window_end = "2026-07-01", "2026-08-31"
    project.milestones[4].end = "2026-10-15"  # evaluation after the operation
    assert "project_ok" in codes(check_regional_project(project))
    project.window_end = "2026-12-31"  # past the last milestone
    found = {f.code: f for f in check_regional_project(project)}
    assert found["window_outside_project"].params["end"] == dt.date(2026, 10, 15)


def test_window_reversed() -> None:
    project = good_project()
    project.window_end = "2026-01-01"
    assert "window_reversed" in codes(check_regional_project(project))


def test_a_cycle_is_reported_with_its_milestones() -> None:
    project = good_project()
    project.milestones[1].depends_on = ["m1", "m4"]  # M2 waits for M4, which waits for M3...
    finding = next(f for f in check_regional_project(project) if f.code == "dependency_cycle")
    assert finding.severity == ERROR
    cycle = finding.params["cycle"]
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"M2 Step 2", "M3 Step 3", "M4 Step 4"}
    text = render_project_finding(finding, lambda s: s)
    assert "→" in text and "M3 Step 3" in text


def test_find_cycle() -> None:
    assert find_cycle({"a": [], "b": ["a"], "c": ["b"]}) is None
    assert find_cycle({"a": ["a"]}) == ["a", "a"]
    # a waits for c, c for b, b for a: in time order a -> b -> c -> a
    assert find_cycle({"a": ["c"], "b": ["a"], "c": ["b"]}) == ["a", "b", "c", "a"]


def test_would_cycle_guards_the_editor() -> None:
    project = good_project()
    assert project.would_cycle("m1", "m5")  # m5 already (transitively) waits for m1
    assert project.would_cycle("m2", "m2")
    assert not project.would_cycle("m5", "m1")


def test_roles_are_assigned() -> None:
    project = good_project()
    project.milestones[0].responsible = ""
    project.milestones[1].responsible = "p9"  # a partner deleted since
    project.partners[1].contact = ""
    project.partners.append(Partner("p3", "", "Someone", ""))
    found = check_regional_project(project)
    assert [f.params["milestone"] for f in found if f.code == "milestone_no_responsible"] \
        == ["M1 Step 1", "M2 Step 2"]
    assert any(f.code == "partner_missing_contact" and f.params["partner"] ==
               "Receita de Montalba" for f in found)
    assert any(f.code == "partner_missing_administration" and f.params["row"] == 3
               for f in found)
    assert any(f.code == "partner_missing_role" and f.params["partner"] == "#3"
               for f in found)


def test_removing_keeps_references_consistent() -> None:
    project = good_project()
    project.remove_milestone("m2")
    assert project.milestone("m3").depends_on == []
    project.remove_partner("p1")
    assert project.milestone("m1").responsible == ""
    new = project.new_milestone("Debrief")
    assert new.id == "m2" and project.milestone_label("m2") == "M5 Debrief"


def test_round_trip_and_tolerant_loading() -> None:
    project = good_project()
    assert RegionalProject.from_dict(project.to_dict()) == project
    assert RegionalProject.from_dict([]) == RegionalProject()
    odd = RegionalProject.from_dict({
        "objective": 3, "window_start": "31/12/2026",
        "milestones": [{"id": "m1", "start": "2026-02-30", "depends_on": "m2"},
                       {"id": "m1", "title": "dup id"}, "junk"],
        "partners": [{"administration": "A"}],
    })
    assert odd.objective == "" and odd.window_start == ""
    assert odd.milestones[0].start == "" and odd.milestones[0].depends_on == []
    assert [m.id for m in odd.milestones] == ["m1", "m2"]
    assert odd.partners[0].id == "p1"


def test_chart_axis() -> None:
    project = good_project()
    first, last = chart_span(project)
    assert first == dt.date(2026, 4, 1) and last == dt.date(2026, 10, 1)
    ticks = month_ticks(first, last)
    assert ticks[0] == dt.date(2026, 4, 1) and len(ticks) == 7
    assert len(month_ticks(dt.date(2026, 1, 1), dt.date(2028, 12, 1), 6)) <= 6
    assert chart_span(RegionalProject()) is None


def test_month_labels_show_the_year_wherever_it_changes() -> None:
    from rmdesk.domain.regional_project import years_shown

    # Thinned to every other month, the axis skips January: February must say 2027.
    ticks = month_ticks(dt.date(2026, 8, 1), dt.date(2027, 5, 1), 5)
    assert dt.date(2027, 1, 1) not in ticks
    shown = dict(zip(ticks, years_shown(ticks), strict=True))
    assert shown[ticks[0]]
    first_of_2027 = next(t for t in ticks if t.year == 2027)
    assert shown[first_of_2027]
    assert [t for t, s in shown.items() if s] == [ticks[0], first_of_2027]


def test_every_message_renders() -> None:
    day = dt.date(2026, 1, 1)
    params = {"row": 1, "partner": "P", "milestone": "M1", "count": 3, "minimum": 5,
              "maximum": 8, "start": day, "end": day, "window_start": day,
              "window_end": day, "predecessor": "M2", "cycle": ["M1", "M2", "M1"]}
    for code in MESSAGES:
        assert render_project_finding(Finding(code, ERROR, params), lambda s: s)
