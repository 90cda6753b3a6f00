"""Pages of the exercises beyond E2/E3 and E6, one module per exercise kind.

A page module has a class taking a PageContext and offering the ExercisePage methods.
The main window makes one tab per exercise of the pack, in the pack's order; the page
itself is imported and built only when its tab is first shown (LazyPage), so start-up
does not pay for twelve editors.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget

from rmdesk.content.pack import ContentPack, Exercise
from rmdesk.i18n import N_, _, current_language
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.store.database import Store
from rmdesk.ui.common import Retranslatable


@dataclass
class PageContext:
    store: Store
    pack: ContentPack
    exercise: Exercise
    work: ExerciseWorkService
    register: RegisterService
    status: Callable[[str], None]  # a short message in the status bar


class ExercisePage(Protocol):
    def set_group(self, group_id: str | None) -> None: ...
    def check_work(self) -> None: ...
    def flush(self) -> None: ...  # write pending edits now (language switch, close)


# kind -> "module:Class" under rmdesk.ui
PAGE_CLASSES: dict[str, str] = {
    "context_scan": "context_scan_page:ContextScanPage",
    "evaluation": "evaluation_page:EvaluationPage",
    "treatment": "treatment_page:TreatmentPage",
    "profile": "profile_page:ProfilePage",
    "targeting": "targeting_page:TargetingPage",
    "tuning": "tuning_page:TuningPage",
    "kpi_plan": "kpi_plan_page:KpiPlanPage",
    "regional_project": "regional_project_page:RegionalProjectPage",
    "maturity": "maturity_page:MaturityPage",
    "compliance_survey": "compliance_survey_page:ComplianceSurveyPage",
    "compliance_pyramid": "compliance_pyramid_page:CompliancePyramidPage",
    "intelligence": "intelligence_page:IntelligencePage",
    "passenger_targeting": "passengers_page:PassengersPage",
}

# The tab of each exercise kind (the pack gives the long title shown on the page).
TAB_TITLES: dict[str, str] = {
    "context_scan": N_("E1 Context scan"),
    "register_analysis": N_("E2–E3 Risk register and analysis"),
    "evaluation": N_("E4 Evaluation"),
    "treatment": N_("E5 Treatment"),
    "indicator_selection": N_("E6 Risk indicators"),
    "profile": N_("E7 Risk profiles"),
    "targeting": N_("E8 Targeting simulation"),
    "tuning": N_("E9 Selectivity tuning"),
    "kpi_plan": N_("E10 Monitoring KPIs"),
    "regional_project": N_("E11 Regional project"),
    "maturity": N_("E12 Maturity"),
    "compliance_survey": N_("E13 Compliance measurement"),
    "compliance_pyramid": N_("E14 Compliance pyramid"),
    "intelligence": N_("E15 Intelligence and targeting centre"),
    "passenger_targeting": N_("E16 Passengers"),
}


class LazyPage(Retranslatable, QWidget):
    """Stands in for an exercise page until its tab is first shown; above the page, the
    exercise's title, instructions and tips from the pack, in the current language."""

    edited = Signal()  # the page saved an edit of the group's work

    def __init__(self, factory: Callable[[], QWidget], exercise: Exercise,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self.exercise = exercise
        self.page: QWidget | None = None
        self._group_id: str | None = None
        self.title = QLabel()
        self.title.setObjectName("exerciseTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a pack's text, never markup
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)  # a long title in French must not widen the page
        self.instructions = QTextBrowser()
        self.instructions.setObjectName("instructions")
        self.instructions.setFrameShape(QFrame.Shape.NoFrame)
        self.instructions.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 10)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.instructions)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        lang = current_language()
        self.title.setText(self.exercise.title.get(lang))
        text = self.exercise.instructions.get(lang).strip()
        tips = [tip.get(lang) for tip in self.exercise.tips]
        if tips:
            text += "\n\n" + _("Tips:") + "\n" + "\n".join(f"• {tip}" for tip in tips)
        self.instructions.setPlainText(text)

    def ensure(self) -> QWidget:
        if self.page is None:
            self.page = self._factory()
            self._layout.addWidget(self.page, 1)
            autosave = getattr(self.page, "autosave", None)
            if autosave is not None:
                autosave.saved.connect(self.edited)
            finished = getattr(self.page, "run_finished", None)  # E8: a run is work done
            if finished is not None:
                finished.connect(self.edited)
            self.page.set_group(self._group_id)  # type: ignore[attr-defined]
        return self.page

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self.ensure()
        super().showEvent(event)

    def set_group(self, group_id: str | None) -> None:
        self._group_id = group_id
        if self.page is not None:
            self.page.set_group(group_id)  # type: ignore[attr-defined]

    def check_work(self) -> None:
        self.ensure().check_work()  # type: ignore[attr-defined]

    def flush(self) -> None:
        if self.page is not None:
            self.page.flush()  # type: ignore[attr-defined]


def make_page(ctx: PageContext) -> LazyPage | None:
    """A lazy page for the exercise, or None when this build has no editor for its kind."""
    target = PAGE_CLASSES.get(ctx.exercise.kind)
    if target is None:
        return None
    module_name, class_name = target.split(":")

    def build() -> QWidget:
        module = importlib.import_module(f"rmdesk.ui.{module_name}")
        return getattr(module, class_name)(ctx)  # type: ignore[no-any-return]

    return LazyPage(build, ctx.exercise)
