"""E13 compliance survey: the built-in population (once per process), the group's last
E8 hit rate to compare with, and the messages of the survey's findings in a language.
The page, `rmdesk check`, the comparison and the PDF all go through here, so they show
the same figures."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

from rmdesk.domain.checks import Finding
from rmdesk.domain.comparison import Line
from rmdesk.domain.compliance_survey import (
    ComplianceSurvey,
    Estimate,
    Population,
    check_survey,
    estimate,
    population_of,
    render_survey_finding,
)
from rmdesk.i18n import gettext_for
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.services.targeting import TargetingService, builtin_table
from rmdesk.store.database import Store


@lru_cache(maxsize=1)
def builtin_population() -> Population:
    """The practice declarations as survey units (the survey runs on the built-in data)."""
    return population_of(builtin_table())


def format_money(value: float, lang: str | None = None) -> str:
    """USD amounts as the survey shows them: whole dollars, the reader's grouping."""
    return f"USD {format_number(round(value), lang)}"


def renderer(lang: str | None = None, translate: Callable[[str], str] | None = None
             ) -> Callable[[Finding], str]:
    """The survey's findings as sentences in `lang` (the interface's when None)."""
    tr = translate or (gettext_for(lang) if lang else None)
    if tr is None:
        from rmdesk.i18n import _ as tr
    return lambda f: render_survey_finding(
        f, tr, lambda v: format_percent(v, lang, digits=1),
        lambda v: format_number(v, lang), lambda v: format_money(v, lang),
        lambda v: format_percent(v, lang))


class SurveyService:
    def __init__(self, store: Store) -> None:
        self.targeting = TargetingService(store)

    def targeted_hit_rate(self, group_id: str) -> float | None:
        """The hit rate of the group's last E8 run (items), None without one."""
        runs = self.targeting.runs(group_id)
        if not runs:
            return None
        try:
            metrics = json.loads(runs[-1].metrics_json or "{}")
        except ValueError:
            return None
        rate = metrics.get("hit_rate") if isinstance(metrics, dict) else None
        return float(rate) if isinstance(rate, int | float) else None

    def findings(self, group_id: str, survey: ComplianceSurvey) -> list[Finding]:
        return check_survey(survey, builtin_population(), self.targeted_hit_rate(group_id))

    @staticmethod
    def estimate(survey: ComplianceSurvey) -> Estimate | None:
        return estimate(survey, builtin_population()) if survey.drawn else None


def comparison_lines(survey: ComplianceSurvey, hit_rate: float | None,
                     translate: Callable[[str], str], lang: str) -> list[Line]:
    """A group's survey side by side with the others': strata with their samples, the
    sample size, the estimate against the E8 hit rate, and the interpretation."""
    from rmdesk.domain.compliance_survey import STRATIFY_BY

    _ = translate
    if survey.is_empty():
        return []

    def pct(value: float | None) -> str:
        return "—" if value is None else format_percent(value, lang, digits=1)

    lines = [Line(_("Strata by: {element}").format(
        element=_(STRATIFY_BY[survey.stratify_by])), 0)]
    lines += [Line(f"{s.name.strip() or '—'} · {s.values or '—'} · nₕ = "
                   f"{format_number(s.sample, lang) if s.sample is not None else '—'}")
              for s in survey.strata]
    lines.append(Line(_("Sample: n0 = {n0}, n = {n} (e = {margin}, p = {p})").format(
        n0=format_number(survey.n0, lang) if survey.n0 is not None else "—",
        n=format_number(survey.n, lang) if survey.n is not None else "—",
        margin=pct(survey.margin), p=pct(survey.anticipated)), 0))
    result = SurveyService.estimate(survey)
    if result is not None:
        lines.append(Line(_("Estimated non-compliance: {rate} ({low} to {high}, {confidence} "
                            "confidence).").format(
            rate=pct(result.rate), low=pct(result.rate_low), high=pct(result.rate_high),
            confidence=format_percent(survey.confidence, lang)), 0))
        lines.append(Line(_("Revenue at risk: {revenue} ({low} to {high}).").format(
            revenue=format_money(result.revenue, lang),
            low=format_money(result.revenue_low, lang),
            high=format_money(result.revenue_high, lang))))
    if hit_rate is not None:
        lines.append(Line(_("Your last E8 run: hit rate {rate} of the items it selected."
                            ).format(rate=pct(hit_rate))))
    if survey.interpretation.strip():
        lines.append(Line(_("{label}: {value}").format(
            label=_("Interpretation"), value=survey.interpretation.strip()), 0))
    return lines
