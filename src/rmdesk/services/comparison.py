"""Comparing groups: one exercise side by side, the overlay of every group's ratings of the
same risks, and the leaderboard of the targeting runs. Plain data for the dashboard and
the workshop report alike; texts are built with the translate function passed in, so a
PDF can be in another language than the screen.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from rmdesk.content.pack import ContentPack, Exercise
from rmdesk.domain.comparison import (
    BEST,
    MATCH_AUTO,
    MATCH_CODE,
    MATCH_EVENT,
    GroupAnswer,
    LeaderRow,
    Line,
    Overlay,
    RunInfo,
    build_leaderboard,
    build_overlay,
    json_lines,
)
from rmdesk.domain.declaration_fields import FIELD_BY_NAME
from rmdesk.domain.indicators import PHASE_LABELS
from rmdesk.domain.register import RISK_AREAS, RiskEntry
from rmdesk.domain.risk_matching import MatchDecisions
from rmdesk.domain.scales import DEFAULT_BANDS, LEVEL_LABELS, RiskBands
from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_
from rmdesk.i18n.formatting import format_percent
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.settings import SettingsService
from rmdesk.services.targeting import TargetingService
from rmdesk.store.database import Store
from rmdesk.store.models import TargetingRun, WorkGroup

Translate = Callable[[str], str]

LANE_LABELS: dict[str, str] = {
    "red": N_("Red"), "orange": N_("Orange"), "yellow": N_("Yellow"), "blue": N_("Blue"),
    "green": N_("Green"), "grey": N_("Grey"),
}


def _groups(store: Store, workshop_id: str) -> list[tuple[str, str]]:
    with store.session() as s:
        return [(g.id, g.name) for g in s.exec(
            select(WorkGroup).where(WorkGroup.workshop_id == workshop_id)
            .order_by(WorkGroup.position, WorkGroup.name))]


def exercise_by_id(pack: ContentPack, exercise_id: str) -> Exercise:
    for exercise in pack.exercises:
        if exercise.id == exercise_id:
            return exercise
    raise RmdeskError("unknown_exercise", exercise=exercise_id)


# -- side by side ---------------------------------------------------------------------------
@dataclass
class SideBySide:
    exercise: Exercise
    model_answer: str  # "" when the pack has none
    answers: list[GroupAnswer]


def _pct(value: object, lang: str) -> str:
    return format_percent(value, lang, digits=1) if isinstance(value, int | float) else "—"


def _risk_lines(risks: list[RiskEntry], _: Translate, bands: RiskBands) -> list[Line]:
    lines: list[Line] = []
    for risk in risks:
        rating = "—"
        if risk.score is not None:
            level = bands.level_for(risk.score)
            rating = _("L{likelihood} × C{consequence} = {score} ({level})").format(
                likelihood=risk.likelihood, consequence=risk.impact, score=risk.score,
                level=_(LEVEL_LABELS[level]) if level in LEVEL_LABELS else level)
        lines.append(Line(f"{risk.code or '?'} · {risk.event.strip() or '—'} · {rating}", 0))
        for label, value in ((N_("Cause"), risk.cause), (N_("Consequence"), risk.consequence),
                             (N_("Existing controls"), risk.controls),
                             (N_("Owner"), risk.owner)):
            if value.strip():
                lines.append(Line(_("{label}: {value}").format(label=_(label),
                                                                value=value.strip())))
        if risk.area in RISK_AREAS:
            lines.append(Line(_("{label}: {value}").format(label=_("Risk area"),
                                                           value=_(RISK_AREAS[risk.area]))))
    return lines



def _metrics(run: TargetingRun) -> dict[str, Any]:
    try:
        data = json.loads(run.metrics_json or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class ComparisonService:
    def __init__(self, store: Store, pack: ContentPack, bands: RiskBands = DEFAULT_BANDS
                 ) -> None:
        self.store = store
        self.pack = pack
        self.bands = bands
        self.register = RegisterService(store)
        self.targeting = TargetingService(store)
        self.work = ExerciseWorkService(store)

    # -- one exercise, every group ----------------------------------------------------------
    def answer_lines(self, group_id: str, exercise: Exercise, _: Translate, lang: str
                     ) -> list[Line]:
        kind = exercise.kind
        if kind == "register_analysis":
            return _risk_lines(self.register.list_risks(group_id), _, self.bands)
        if kind == "indicator_selection":
            bank = {i.id: i for i in self.pack.indicators}
            lines = []
            for pick in self.targeting.picks(group_id):
                indicator = bank.get(pick.indicator_id)
                lines.append(Line(f"{pick.indicator_id} · "
                                  f"{indicator.text.get(lang) if indicator else ''}", 0))
                spec = FIELD_BY_NAME.get(pick.field)
                details = [
                    (_("Data element tested"), _(spec.label) if spec else "—"),
                    (_("Phase"), _(PHASE_LABELS[pick.phase]) if pick.phase in PHASE_LABELS
                     else "—"),
                    (_("Why"), pick.reason.strip()),
                ]
                lines += [Line(_("{label}: {value}").format(label=k, value=v))
                          for k, v in details if v]
            return lines
        if kind == "profile":
            lines = []
            for profile in self.targeting.profiles(group_id):
                lane = _(LANE_LABELS[profile.lane]) if profile.lane in LANE_LABELS \
                    else profile.lane
                lines.append(Line(f"{profile.title.strip() or '—'} · {lane}", 0))
                try:
                    count = len(json.loads(profile.criteria_json or "{}").get("criteria", []))
                except (ValueError, AttributeError):
                    count = 0
                for label, value in ((_("Risk area"), _(RISK_AREAS[profile.area])
                                      if profile.area in RISK_AREAS else profile.area),
                                     (_("Description"), profile.description.strip()),
                                     (_("Criteria"), str(count)),
                                     (_("Action"), profile.action.strip()),
                                     (_("Owner"), profile.owner.strip())):
                    if value:
                        lines.append(Line(_("{label}: {value}").format(label=label,
                                                                       value=value)))
            return lines
        if kind == "targeting":
            runs = self.targeting.runs(group_id)
            if not runs:
                return []
            latest = _metrics(runs[-1])
            return [
                Line(_("Runs: {count}; the latest:").format(count=len(runs)), 0),
                Line(_("Hit rate: {value}").format(value=_pct(latest.get("hit_rate"), lang))),
                Line(_("Detection rate: {value}").format(
                    value=_pct(latest.get("detection_rate"), lang))),
                Line(_("Selection rate: {value}").format(
                    value=_pct(latest.get("selection_rate"), lang))),
            ]
        if kind == "compliance_survey":
            from rmdesk.domain.compliance_survey import ComplianceSurvey
            from rmdesk.services.compliance_survey import SurveyService, comparison_lines

            survey = ComplianceSurvey.from_dict(self.work.load(group_id, exercise.id).data)
            return comparison_lines(survey, SurveyService(self.store).targeted_hit_rate(
                group_id), _, lang)
        if kind == "compliance_pyramid":
            return self._pyramid_lines(group_id, exercise, _, lang)
        if kind == "intelligence":
            from rmdesk.domain.intelligence import IntelligenceWork, comparison_lines

            work = IntelligenceWork.from_dict(self.work.load(group_id, exercise.id).data)
            return [Line(text, level) for text, level in comparison_lines(work, _)]
        if kind == "passenger_targeting":
            return self._passenger_lines(group_id, exercise, _, lang)
        return json_lines(self.work.load(group_id, exercise.id).data, _)

    def _pyramid_lines(self, group_id: str, exercise: Exercise, _: Translate, lang: str
                       ) -> list[Line]:
        """E14: each placed segment with its level and response, then its measures,
        reason and E5 treatment (by risk code, as the group sees it)."""
        from rmdesk.domain.compliance_pyramid import (
            BEHAVIOURS,
            SHORT_RESPONSES,
            CompliancePyramid,
        )

        pyramid = CompliancePyramid.from_dict(self.work.load(group_id, exercise.id).data)
        codes = {r.id: r.code for r in self.register.list_risks(group_id)}
        lines: list[Line] = []
        for number, segment in enumerate(exercise.segments, start=1):
            p = pyramid.placement(segment.id)
            if p.is_blank():
                continue
            level = _(BEHAVIOURS[p.level]) if p.level in BEHAVIOURS else "—"
            response = _(SHORT_RESPONSES[p.response]) if p.response in SHORT_RESPONSES \
                else "—"
            lines.append(Line(f"{number}. {segment.name.get(lang)} · {level} · {response}",
                              0))
            for label, value in ((_("Measures"), p.measures.strip()),
                                 (_("Reason"), p.reason.strip()),
                                 (_("E5 treatment"), codes.get(p.treatment, "").strip())):
                if value:
                    lines.append(Line(_("{label}: {value}").format(label=label, value=value)))
        return lines

    def _passenger_lines(self, group_id: str, exercise: Exercise, _: Translate, lang: str
                         ) -> list[Line]:
        """E16: the figures of the group's profiles on the passengers (computed now, by
        the engine), each profile with its lane and rationale, then the safeguards."""
        from rmdesk.domain.criteria import LANE_LABELS
        from rmdesk.domain.passengers import (
            SAFEGUARD_LABELS,
            SAFEGUARDS,
            PassengerWork,
            run_passengers,
        )
        from rmdesk.errors import RmdeskError

        work = PassengerWork.from_dict(self.work.load(group_id, exercise.id).data)
        lines: list[Line] = []
        if work.ruleset.criteria:
            try:
                metrics = run_passengers(work).metrics
            except RmdeskError:  # criteria that cannot run yet: no figures to compare
                metrics = None
            if metrics is not None:
                lines.append(Line(_("Selection rate: {value}").format(
                    value=_pct(metrics.selection_rate, lang)), 0))
                lines.append(Line(_("Hit rate: {value}").format(
                    value=_pct(metrics.hit_rate, lang)), 0))
        for index, criterion in enumerate(work.ruleset.criteria):
            lane = _(LANE_LABELS[criterion.lane])
            lines.append(Line(f"{criterion.name.strip() or '—'} · {lane}", 0))
            if work.rationale(index).strip():
                lines.append(Line(_("{label}: {value}").format(
                    label=_("Rationale"), value=work.rationale(index).strip())))
        for key in SAFEGUARDS:
            value = work.safeguards.get(key, "").strip()
            if value:
                lines.append(Line(_("{label}: {value}").format(
                    label=_(SAFEGUARD_LABELS[key]), value=value), 0))
        return lines

    def side_by_side(self, workshop_id: str, exercise_id: str, _: Translate, lang: str
                     ) -> SideBySide:
        exercise = exercise_by_id(self.pack, exercise_id)
        answers = [GroupAnswer(gid, name, self.answer_lines(gid, exercise, _, lang))
                   for gid, name in _groups(self.store, workshop_id)]
        model = exercise.model_answer.get(lang) if exercise.model_answer else ""
        return SideBySide(exercise, model, answers)

    # -- overlay ----------------------------------------------------------------------------
    def overlay(self, workshop_id: str, match_by: str = MATCH_AUTO,
                min_groups: int | None = None) -> Overlay:
        """The groups' ratings of the risks they share, matched by meaning (MATCH_AUTO or
        MATCH_EVENT: same area, similar event) or, when the facilitator asks, by ID; with
        the facilitator's confirmations and separations of this workshop."""
        ratings = {gid: (name, self.register.list_risks(gid))
                   for gid, name in _groups(self.store, workshop_id)}
        return build_overlay(ratings, MATCH_CODE if match_by == MATCH_CODE else MATCH_EVENT,
                             min_groups, self.bands, self.match_decisions(workshop_id))

    # -- the facilitator's word on the matches ---------------------------------------------
    @staticmethod
    def _decisions_key(workshop_id: str) -> str:
        return f"facilitator.risk_matches.{workshop_id}"

    def match_decisions(self, workshop_id: str) -> MatchDecisions:
        return MatchDecisions.from_json(SettingsService(self.store).get(
            self._decisions_key(workshop_id)))

    def _save_decisions(self, workshop_id: str, decisions: MatchDecisions) -> None:
        SettingsService(self.store).set(self._decisions_key(workshop_id),
                                        decisions.to_json() if decisions.confirmed
                                        or decisions.apart else None)

    def confirm_match(self, workshop_id: str, key: str) -> None:
        """The facilitator says the risks of this match are one risk."""
        if key:
            self._save_decisions(workshop_id, self.match_decisions(workshop_id).confirm(key))

    def separate_risk(self, workshop_id: str, risk_id: str) -> None:
        """The facilitator says this group's risk is not the others' risk."""
        if risk_id:
            self._save_decisions(workshop_id,
                                 self.match_decisions(workshop_id).separate(risk_id))

    def reset_matches(self, workshop_id: str) -> None:
        """Back to the suggested matches."""
        self._save_decisions(workshop_id, MatchDecisions())

    # -- leaderboard ------------------------------------------------------------------------
    def leaderboard(self, workshop_id: str, which: str = BEST) -> list[LeaderRow]:
        groups = _groups(self.store, workshop_id)
        by_group: dict[str, list[RunInfo]] = defaultdict(list)
        ids = [gid for gid, _n in groups]
        if ids:
            with self.store.session() as s:
                for run in s.exec(select(TargetingRun).where(col(TargetingRun.group_id)
                                                             .in_(ids))
                                  .order_by(TargetingRun.created_at)):
                    by_group[run.group_id].append(RunInfo(run.id, run.created_at,
                                                          _metrics(run)))
        return build_leaderboard(groups, by_group, which)


