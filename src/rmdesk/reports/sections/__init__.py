"""PDF sections of the exercises beyond E2/E3 and E6, one module per exercise kind.

Each module has `section(builder, exercise) -> list[Flowable]`; `builder` is the group
output's _Builder (its helpers: p, heading, cell, cols, _table via `table`, the report,
its language and `_` translating into that language). A section returns [] when the
group has nothing to print for it. Modules load only when a PDF is built.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# kind -> module under rmdesk.reports.sections
SECTION_MODULES: dict[str, str] = {
    "context_scan": "context_scan",
    "evaluation": "evaluation",
    "treatment": "treatment",
    "profile": "profile",
    "targeting": "targeting",
    "tuning": "tuning",
    "kpi_plan": "kpi_plan",
    "regional_project": "regional_project",
    "maturity": "maturity",
    "compliance_survey": "compliance_survey",
    "compliance_pyramid": "compliance_pyramid",
    "intelligence": "intelligence",
    "passenger_targeting": "passengers",
}


def section_for(kind: str) -> Callable[[Any, Any], list[Any]] | None:
    module = SECTION_MODULES.get(kind)
    if module is None:
        return None
    return importlib.import_module(f"rmdesk.reports.sections.{module}").section  # type: ignore[no-any-return]
