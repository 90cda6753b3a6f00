"""Figures a content pack quotes about its practice data (E6-E9), computed with the
selectivity engine, so that a quoted figure can be checked against the data it describes
(tests/unit/test_pack_figures.py). A figure is about the data as a whole, about one
condition (an indicator's rule: selected as if it were a red-lane criterion) or about a
rule set (a model answer's, with its lanes and random rates). Rates are shares of items
(rows), as the packs say, unless the measure names declarations. No Qt, no I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rmdesk.domain.criteria import Condition, RuleSet
    from rmdesk.domain.declarations import DeclarationTable

RATES = ("prevalence", "offence_share", "selection_rate", "hit_rate", "detection_rate",
         "offence_detection_rate", "declaration_selection_rate", "random_hit_rate",
         "lane_declaration_share", "criterion_hit_rate")
COUNTS = ("items", "declarations", "non_compliant_items", "offence_items", "selected_items",
          "selected_declarations", "random_items", "random_declarations", "missed_items",
          "offence_missed_items", "workload", "lift", "yearly_factor", "sample_capacity")
MEASURES: tuple[str, ...] = RATES + COUNTS
# Measures of a selection: they need a condition or a rule set.
SELECTIONS = ("selection_rate", "hit_rate", "detection_rate", "offence_detection_rate",
              "selected_items", "selected_declarations", "declaration_selection_rate",
              "random_items", "random_declarations", "random_hit_rate", "missed_items",
              "offence_missed_items",
              "lane_declaration_share", "criterion_hit_rate", "workload", "lift")


def compute(table: DeclarationTable, measure: str, *, condition: Condition | None = None,
            ruleset: RuleSet | None = None, offence: str | None = None,
            lane: str | None = None, criterion: str | None = None,
            yearly_declarations: int = 0, capacity: float = 0.0) -> float:
    """One measure on the table. Selections take a `condition` or a `ruleset`; the
    offence measures an `offence`; lane_declaration_share a `lane`; criterion_hit_rate a
    `criterion` (its name in the rule set); yearly_factor and sample_capacity the E9
    figures. Workload uses the default weights (10 per red declaration plus 5 per item,
    4 orange, 3 yellow, 1 blue)."""
    import numpy as np

    from rmdesk.domain.declarations import CategoryColumn

    numbers = table.column("declaration_no")
    assert isinstance(numbers, CategoryColumn)
    declarations = len(np.unique(numbers.codes))
    bad = np.asarray(table.column("non_compliant"), dtype=bool)
    offences = table.column("offence")
    assert isinstance(offences, CategoryColumn)
    of_kind = np.zeros(len(table), dtype=bool)
    if offence is not None:
        if offence not in offences.values:
            raise ValueError(f"no offence {offence!r} in the data")
        of_kind = offences.codes == offences.values.index(offence)
    whole = {
        "items": lambda: float(len(table)),
        "declarations": lambda: float(declarations),
        "non_compliant_items": lambda: float(bad.sum()),
        "prevalence": lambda: float(bad.mean()),
        "offence_items": lambda: float(of_kind.sum()),
        "offence_share": lambda: float(of_kind.mean()),
        "yearly_factor": lambda: yearly_declarations / declarations,
        "sample_capacity": lambda: capacity * declarations / yearly_declarations,
    }
    if measure in whole:
        return whole[measure]()
    if measure not in SELECTIONS:
        raise ValueError(f"unknown measure {measure!r}")
    from rmdesk.domain.criteria import Criterion, RuleSet
    from rmdesk.domain.selectivity import run_selectivity

    if ruleset is None:
        if condition is None:
            raise ValueError(f"{measure} needs a rule")
        ruleset = RuleSet(criteria=[Criterion(name="figure", lane="red", condition=condition)])
    run = run_selectivity(table, ruleset)
    m, selected = run.metrics, run.result.lanes != 0  # 0: green
    if measure == "criterion_hit_rate":
        stats = next(c for c in m.criteria if c.name == criterion)
        return float(stats.hit_rate or 0.0)
    if measure == "lane_declaration_share":
        counts = {stats.lane: stats.declarations for stats in m.lanes}
        return counts.get(str(lane), 0) / declarations
    if measure == "random_declarations":
        return float(len(np.unique(numbers.codes[run.result.random])))
    if measure in ("selected_declarations", "declaration_selection_rate"):
        count = len(np.unique(numbers.codes[selected]))
        return float(count) if measure == "selected_declarations" else count / declarations
    values = {
        "selected_items": lambda: float(m.selected),
        "selection_rate": lambda: float(m.selection_rate or 0.0),
        "hit_rate": lambda: float(m.hit_rate or 0.0),
        "detection_rate": lambda: float(m.detection_rate or 0.0),
        "lift": lambda: float(m.lift or 0.0),
        "random_items": lambda: float(m.random_selected),
        "random_hit_rate": lambda: float(m.random_sample_hit_rate or 0.0),
        "missed_items": lambda: float(bad.sum() - (bad & selected).sum()),
        "offence_missed_items": lambda: float((of_kind & ~selected).sum()),
        "offence_detection_rate": lambda: float((of_kind & selected).sum() / of_kind.sum()),
        "workload": lambda: float(m.workload.total),
    }
    return values[measure]()
