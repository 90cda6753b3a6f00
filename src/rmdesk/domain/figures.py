"""Figures a content pack quotes about its practice data (E6-E9), computed with the
selectivity engine, so that a quoted figure can be checked against the data it describes
(tests/unit/test_pack_figures.py). Rates are shares of items (rows), as the packs say;
counts of declarations count each declaration once. No Qt, no I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rmdesk.domain.criteria import Condition
    from rmdesk.domain.declarations import DeclarationTable

RATES = ("prevalence", "offence_share", "selection_rate", "hit_rate", "detection_rate",
         "offence_detection_rate", "declaration_selection_rate")
COUNTS = ("items", "declarations", "non_compliant_items", "selected_items",
          "selected_declarations", "yearly_factor", "sample_capacity")
MEASURES: tuple[str, ...] = RATES + COUNTS
SELECTIONS = ("selection_rate", "hit_rate", "detection_rate", "offence_detection_rate",
              "selected_items", "selected_declarations", "declaration_selection_rate")


def compute(table: DeclarationTable, measure: str, *, condition: Condition | None = None,
            offence: str | None = None, yearly_declarations: int = 0,
            capacity: float = 0.0) -> float:
    """One measure on the table; `condition` for the selections, `offence` for the
    offence measures, the E9 figures for yearly_factor and sample_capacity."""
    import numpy as np

    from rmdesk.domain.declarations import CategoryColumn

    numbers = table.column("declaration_no")
    assert isinstance(numbers, CategoryColumn)
    declarations = len(np.unique(numbers.codes))
    bad = np.asarray(table.column("non_compliant"), dtype=bool)
    offences = table.column("offence")
    assert isinstance(offences, CategoryColumn)
    of_kind = None
    if offence is not None:
        if offence not in offences.values:
            raise ValueError(f"no offence {offence!r} in the data")
        of_kind = offences.codes == offences.values.index(offence)
    if measure == "items":
        return float(len(table))
    if measure == "declarations":
        return float(declarations)
    if measure == "non_compliant_items":
        return float(bad.sum())
    if measure == "prevalence":
        return float(bad.mean())
    if measure == "offence_share":
        assert of_kind is not None, "offence_share needs an offence"
        return float(of_kind.mean())
    if measure == "yearly_factor":
        return yearly_declarations / declarations
    if measure == "sample_capacity":
        return capacity * declarations / yearly_declarations
    if measure not in SELECTIONS or condition is None:
        raise ValueError(f"{measure} needs a rule")
    from rmdesk.domain.criteria import Criterion, RuleSet
    from rmdesk.domain.selectivity import run_selectivity

    result = run_selectivity(table, RuleSet(criteria=[Criterion(
        name="figure", lane="red", condition=condition)])).result
    selected = result.hits[0]
    if measure == "selected_items":
        return float(selected.sum())
    if measure in ("selected_declarations", "declaration_selection_rate"):
        count = len(np.unique(numbers.codes[selected]))
        return float(count) if measure == "selected_declarations" else count / declarations
    if measure == "selection_rate":
        return float(selected.mean())
    if measure == "hit_rate":
        return float(bad[selected].mean()) if selected.any() else 0.0
    if measure == "detection_rate":
        return float((bad & selected).sum() / bad.sum())
    assert of_kind is not None, "offence_detection_rate needs an offence"
    return float((of_kind & selected).sum() / of_kind.sum())
