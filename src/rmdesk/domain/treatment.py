"""E5 treatment plan: for each risk to treat, an option, actions, owner, dates, resources,
the target residual likelihood and consequence, and a KPI.

The risks to treat are those marked "treat" in E4, in E4's order; when E4 has no
decision yet, every rated risk of the register, highest score first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.answer_json import dict_of, iso_date, rating_of, text_of
from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.domain.evaluation import TREAT, AppetiteRule, Evaluation, default_order, ranked
from rmdesk.domain.register import RiskEntry
from rmdesk.domain.scales import score
from rmdesk.i18n import N_, Nn_, translate_message

AVOID, REDUCE, SHARE, ACCEPT = "avoid", "reduce", "share", "accept"
OPTIONS: dict[str, str] = {
    AVOID: N_("Avoid"),
    REDUCE: N_("Reduce"),
    SHARE: N_("Share"),
    ACCEPT: N_("Accept"),
}

FIELD_LABELS: dict[str, str] = {
    "option": N_("Option"),
    "actions": N_("Actions"),
    "owner": N_("Owner"),
    "start": N_("Start"),
    "due": N_("Due"),
    "resources": N_("Resources"),
    "residual_likelihood": N_("Residual likelihood"),
    "residual_impact": N_("Residual consequence"),
    "kpi": N_("KPI"),
    "acceptor": N_("Residual risk accepted by"),
}
TEXT_FIELDS = ("actions", "owner", "resources", "kpi", "acceptor")
DATE_FIELDS = ("start", "due")
RATING_FIELDS = ("residual_likelihood", "residual_impact")

MESSAGES: dict[str, str] = {
    "nothing_to_treat": N_("No risk to treat: mark risks “treat” in E4, or rate the risks "
                           "of the register in E2–E3."),
    "inherent_unrated": N_("Risk {code} has no inherent rating yet: rate it in E2–E3."),
    "option_missing": N_("Risk {code}: choose a treatment option (avoid, reduce, share or "
                         "accept)."),
    "actions_missing": N_("Risk {code}: describe the actions that will treat it."),
    "owner_missing": N_("Risk {code}: name the owner of the treatment."),
    "kpi_missing": N_("Risk {code}: give a KPI that shows whether the treatment works."),
    "residual_missing": N_("Risk {code}: set the target residual likelihood and "
                           "consequence (1-5)."),
    "residual_not_lower": N_(
        "Risk {code}: the residual score {residual} is not below the inherent score "
        "{inherent}. Should the option be “accept”, or the actions stronger?"),
    "residual_not_lower_above_appetite": N_(
        "Risk {code}: the residual score {residual} is not below the inherent score "
        "{inherent}, and the risk exceeds the appetite: strengthen the actions."),
    "accepted_after_treat": N_(
        "Risk {code} was decided “treat” in E4 but its option here is “accept”: treat it, "
        "or change the decision in E4."),
    "accept_above_appetite": N_(
        "Risk {code} exceeds the appetite: it may not simply be accepted. Choose a "
        "treatment, or name who accepts the residual risk."),
    "residual_above_appetite": N_(
        "Risk {code}: the residual risk still exceeds the appetite. Name who accepts it "
        "(someone the appetite allows, for example the Director General)."),
    "dates_missing": N_("Risk {code}: give a start date and a due date."),
    "date_invalid": N_("Risk {code}: “{value}” is not a date."),
    "dates_reversed": N_("Risk {code}: the due date {due} is before the start date "
                         "{start}."),
    "plan_ok": Nn_("The plan covers {count} risk, with an option, an owner, dates and a KPI. "
                   "Total score: {before} before treatment, {after} after.",
                   "The plan covers {count} risks, each with an option, an owner, dates and "
                   "a KPI. Total score: {before} before treatment, {after} after."),
}


@dataclass
class TreatmentRow:
    option: str = ""
    actions: str = ""
    owner: str = ""
    start: str = ""  # ISO date, or "" when not set
    due: str = ""
    resources: str = ""
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    kpi: str = ""
    acceptor: str = ""  # who accepts a residual risk above the appetite

    @classmethod
    def from_dict(cls, data: Any) -> TreatmentRow:
        data = dict_of(data)
        option = data.get("option")
        return cls(
            option=option if option in OPTIONS else "",
            **{name: text_of(data.get(name)) for name in TEXT_FIELDS + DATE_FIELDS},
            **{name: rating_of(data.get(name)) for name in RATING_FIELDS},
        )

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in
                ("option", *TEXT_FIELDS, *DATE_FIELDS, *RATING_FIELDS)}

    def is_blank(self) -> bool:
        return self == TreatmentRow()

    def residual(self, inherent: RiskEntry) -> tuple[int, int] | None:
        """The target position; an accepted risk without one stays where it is."""
        if self.residual_likelihood and self.residual_impact:
            return self.residual_likelihood, self.residual_impact
        if self.option == ACCEPT and inherent.score is not None:
            return inherent.likelihood, inherent.impact  # type: ignore[return-value]
        return None


@dataclass
class TreatmentPlan:
    rows: dict[str, TreatmentRow] = field(default_factory=dict)  # risk id -> row

    @classmethod
    def from_dict(cls, data: Any) -> TreatmentPlan:
        rows = dict_of(dict_of(data).get("rows"))
        return cls({risk_id: TreatmentRow.from_dict(row) for risk_id, row in rows.items()
                    if isinstance(risk_id, str) and risk_id})

    def to_dict(self) -> dict[str, Any]:
        return {"rows": {risk_id: row.to_dict() for risk_id, row in self.rows.items()
                         if not row.is_blank()}}

    def row(self, risk_id: str) -> TreatmentRow:
        return self.rows.get(risk_id) or TreatmentRow()


def risks_to_treat(risks: list[RiskEntry], evaluation: Evaluation | None) -> list[RiskEntry]:
    if evaluation is not None and evaluation.has_decisions(risks):
        return [r.risk for r in ranked(evaluation, risks) if r.decision.decision == TREAT]
    return [r for r in default_order(risks) if r.score is not None]


@dataclass(frozen=True)
class Move:
    """One risk on the before/after matrix: (likelihood, consequence) before and after."""

    code: str
    inherent: tuple[int, int] | None
    residual: tuple[int, int] | None


def matrix_moves(risks: list[RiskEntry], plan: TreatmentPlan) -> list[Move]:
    moves = []
    for risk in risks:
        inherent = (risk.likelihood, risk.impact) if risk.score is not None else None
        moves.append(Move(risk.code.strip() or "?", inherent,  # type: ignore[arg-type]
                          plan.row(risk.id).residual(risk)))
    return moves


def check_treatment(risks: list[RiskEntry], plan: TreatmentPlan,
                    rule: AppetiteRule | None = None, from_e4: bool = False
                    ) -> list[Finding]:
    """`rule`: the appetite (options consistent with it); `from_e4`: the risks are those
    the group decided to treat in E4, so "accept" here contradicts that decision."""
    if not risks:
        return [Finding("nothing_to_treat", WARNING)]
    findings: list[Finding] = []
    before = after = 0
    for risk in risks:
        row = plan.row(risk.id)
        who = {"code": risk.code.strip() or "?"}
        if risk.score is None:
            findings.append(Finding("inherent_unrated", WARNING, who))
        inherent_exceeds = rule is not None and rule.exceeds(
            risk.likelihood, risk.impact, risk.area)
        if not row.option:
            findings.append(Finding("option_missing", ERROR, who))
        elif row.option == ACCEPT and from_e4:
            findings.append(Finding("accepted_after_treat", WARNING, who))
        elif row.option == ACCEPT and inherent_exceeds and not row.acceptor.strip():
            findings.append(Finding("accept_above_appetite", ERROR, who))
        elif row.option != ACCEPT and not row.actions.strip():
            findings.append(Finding("actions_missing", WARNING, who))
        if not row.owner.strip():
            findings.append(Finding("owner_missing", ERROR, who))
        if not row.kpi.strip():
            findings.append(Finding("kpi_missing", ERROR, who))
        residual = row.residual(risk)
        if residual is None:
            if row.option != ACCEPT:
                findings.append(Finding("residual_missing", ERROR, who))
        elif risk.score is not None:
            residual_score = score(*residual) or 0
            before += risk.score
            after += residual_score
            if row.option != ACCEPT and residual_score >= risk.score:
                code = "residual_not_lower_above_appetite" if inherent_exceeds \
                    else "residual_not_lower"
                findings.append(Finding(code, ERROR, {
                    **who, "residual": residual_score, "inherent": risk.score}))
            elif rule is not None and row.option != ACCEPT and rule.exceeds(
                    residual[0], residual[1], risk.area) and not row.acceptor.strip():
                findings.append(Finding("residual_above_appetite", WARNING, who))
        findings += _check_dates(row, who)
    if not findings:
        findings.append(Finding("plan_ok", GOOD,
                                {"count": len(risks), "before": before, "after": after}))
    return findings


def _check_dates(row: TreatmentRow, who: dict[str, object]) -> list[Finding]:
    findings = []
    dates: dict[str, dt.date | None] = {}
    for name in DATE_FIELDS:
        value = getattr(row, name).strip()
        dates[name] = iso_date(value)
        if value and dates[name] is None:
            findings.append(Finding("date_invalid", ERROR, {**who, "value": value}))
    start, due = dates["start"], dates["due"]
    if not row.start.strip() or not row.due.strip():
        findings.append(Finding("dates_missing", WARNING, who))
    elif start and due and due < start:
        findings.append(Finding("dates_reversed", ERROR, {**who, "start": start, "due": due}))
    return findings


def render_treatment_finding(
    finding: Finding,
    translate: Callable[[str], str],
    format_date: Callable[[dt.date], str] | None = None,
) -> str:
    params = dict(finding.params)
    for name in DATE_FIELDS:
        if isinstance(params.get(name), dt.date):
            params[name] = format_date(params[name]) if format_date else params[name].isoformat()
    return translate_message(MESSAGES[finding.code], translate,
                             params.get("count")).format(**params)


@dataclass(frozen=True)
class Marker:
    """A risk's code drawn in one cell of the before/after matrix."""

    code: str
    after: bool  # False: the inherent position; True: the target residual position
    cell: tuple[int, int]  # (likelihood, consequence)
    slot: int  # its place among the markers of the cell
    slots: int


def matrix_markers(moves: list[Move]) -> list[Marker]:
    """Markers per cell: each risk before treatment, and after when it moves."""
    per_cell: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    for move in moves:
        if move.inherent is not None:
            per_cell.setdefault(move.inherent, []).append((move.code, False))
        if move.residual is not None and move.residual != move.inherent:
            per_cell.setdefault(move.residual, []).append((move.code, True))
    return [
        Marker(code, after, cell, slot, len(entries))
        for cell, entries in per_cell.items()
        for slot, (code, after) in enumerate(entries)
    ]


def slot_centre(slot: int, slots: int) -> tuple[float, float]:
    """Where a marker sits in its cell, as fractions of the cell from its top-left corner."""
    columns = 1 if slots == 1 else 2 if slots <= 4 else 3
    rows = -(-slots // columns)
    row, column = divmod(slot, columns)
    return (column + 0.5) / columns, (row + 0.5) / rows
