"""E16 passengers and conveyances: a synthetic API/PNR-style passenger data set and the
group's passenger profiles, run on the selectivity engine of E7-E9 unchanged.

Follows the WCO Compendium, Volume 2, on passengers and conveyances: advance passenger
information (API) and passenger name records (PNR) let a targeting centre assess risk
before arrival, within data-protection limits. The passenger fields are data-set fields
of the data-extra mechanism ("x:" names, declaration_fields.FieldSpec with extra=True),
so criteria.check_ruleset, selectivity.run_selectivity and targeting_metrics read them as
they read an imported data set's own columns: the engine is the same for declarations
and passengers. The outcome uses the engine's built-in hidden "non_compliant" flag.

The data set is generated from a fixed seed (reproducible across machines: numpy's
PCG64), with planted patterns a group can find: cash couriers (one-way, cash, booked at
the last minute, few bags), drug couriers (source routes, short trips, document
anomalies) and undeclared goods (frequent shoppers with many bags). Nationality and meal
preference are in the data, as in real PNR, but a profile may not use them.
No Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from rmdesk.domain.answer_json import text_of
from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.domain.criteria import (
    Condition,
    CriteriaIssue,
    RuleSet,
    check_ruleset,
    render_issue,
)
from rmdesk.domain.declaration_fields import FieldSpec
from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.domain.selectivity import SelectivityRun, run_selectivity
from rmdesk.i18n import N_

PASSENGER_SEED = 16
PASSENGER_COUNT = 20_000
MAX_SELECTION_RATE = 0.05  # passengers: above this, facilitation of bona fide travel suffers


def _spec(name: str, kind: str, label: str, hidden: bool = False) -> FieldSpec:
    return FieldSpec(name, kind, label, hidden=hidden, extra=True)  # type: ignore[arg-type]


# Labels are N_-marked: shown translated on the E16 page (passenger_field_label).
PASSENGER_FIELDS: tuple[FieldSpec, ...] = (
    _spec("x:origin", "category", N_("Airport of departure")),
    _spec("x:flight", "category", N_("Flight")),
    _spec("x:channel", "category", N_("Booking channel")),
    _spec("x:payment", "category", N_("Payment method")),
    _spec("x:days_booked", "number", N_("Days between booking and departure")),
    _spec("x:one_way", "flag", N_("One-way ticket")),
    _spec("x:trip_days", "number", N_("Trip length (days)")),
    _spec("x:bags", "number", N_("Checked bags")),
    _spec("x:doc_country", "category", N_("Travel document issued by")),
    _spec("x:doc_anomaly", "flag", N_("Travel document anomaly")),
    _spec("x:nationality", "category", N_("Nationality")),
    _spec("x:meal", "category", N_("Meal preference")),
    _spec("x:age_band", "category", N_("Age band")),
    _spec("x:frequent", "flag", N_("Frequent traveller")),
    _spec("x:finding", "category", N_("Finding (outcome)"), hidden=True),
)
PASSENGER_FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in PASSENGER_FIELDS}

# Fields a profile may not use, and why (data protection; Compendium Vol. 2 on PNR: risk
# assessment rests on behaviour and travel facts, never on who a person is).
FORBIDDEN_FIELDS: dict[str, str] = {
    "x:nationality": N_("nationality is a protected characteristic: selecting by it is "
                        "discrimination, whatever it seems to find"),
    "x:meal": N_("a meal preference reveals religion or health (sensitive data): PNR "
                 "rules require such data to be filtered out, never used"),
}

FINDINGS: dict[str, str] = {
    "none": N_("None"),
    "cash_courier": N_("Undeclared cash (cash courier)"),
    "drug_courier": N_("Drug courier"),
    "undeclared_goods": N_("Undeclared goods"),
}

ORIGINS = ("Port Meridian", "Santa Aurelia", "Kessan", "Nordholm", "Ostrava Nova",
           "Belmar", "Tarsis", "Lumen City")
SOURCE_ORIGINS = ("Santa Aurelia", "Tarsis")  # drug source routes
CASH_ORIGINS = ("Kessan", "Ostrava Nova")  # cash flows out to Valdoria via this hub
SHOPPING_ORIGINS = ("Belmar", "Port Meridian")  # duty-free shopping routes
CHANNELS = ("online", "travel agent", "airline office")
PAYMENTS = ("card", "cash", "voucher")
NATIONALITIES = ("Valdorian", "Meridian", "Aurelian", "Kessani", "Nordic", "Other")
MEALS = ("standard", "vegetarian", "halal", "kosher", "hindu")
AGE_BANDS = ("18-25", "26-40", "41-60", "61+")


@lru_cache(maxsize=2)
def passenger_table(count: int = PASSENGER_COUNT, seed: int = PASSENGER_SEED
                    ) -> DeclarationTable:
    """The passengers arriving in Valdoria: the same `count` and `seed` give the same
    table on every machine. Cached: the page, checks and prints share one."""
    rng = np.random.default_rng(seed)
    n = count
    origin_i = rng.choice(len(ORIGINS), n, p=(.2, .1, .08, .15, .12, .15, .07, .13))
    origin = np.array(ORIGINS, dtype=object)[origin_i]
    flight = np.array([f"VA {100 + 10 * i + int(k)}" for i, k in
                       zip(origin_i, rng.integers(0, 3, n), strict=True)], dtype=object)
    channel = np.array(CHANNELS, dtype=object)[rng.choice(3, n, p=(.7, .2, .1))]
    payment_i = rng.choice(3, n, p=(.9, .06, .04))
    days_booked = np.round(rng.gamma(2.0, 15.0, n))
    one_way = rng.random(n) < 0.12
    trip = np.round(rng.gamma(2.5, 4.0, n)) + 1
    bags = rng.poisson(1.1, n).astype(float)
    frequent = rng.random(n) < 0.15
    anomaly = rng.random(n) < 0.01
    nat_i = rng.choice(len(NATIONALITIES), n, p=(.35, .15, .12, .08, .15, .15))
    # Nationality follows the route (people fly home): a proxy that seems to "work".
    nat_i = np.where((origin == "Santa Aurelia") & (rng.random(n) < .6), 2, nat_i)
    nat_i = np.where((origin == "Kessan") & (rng.random(n) < .6), 3, nat_i)
    doc_i = np.where(rng.random(n) < 0.95, nat_i, rng.choice(len(NATIONALITIES), n))
    meal = np.array(MEALS, dtype=object)[rng.choice(5, n, p=(.8, .08, .06, .03, .03))]
    age = np.array(AGE_BANDS, dtype=object)[rng.choice(4, n, p=(.15, .4, .33, .12))]

    # Planted behaviour: who carries what.
    roll = rng.random(n)
    finding = np.full(n, "none", dtype=object)
    cash_profile = np.isin(origin, CASH_ORIGINS) & one_way
    drug_profile = np.isin(origin, SOURCE_ORIGINS) & (trip <= 4)
    goods_profile = np.isin(origin, SHOPPING_ORIGINS) & frequent & (bags >= 3)
    cash_mask = cash_profile & (roll < 0.3)
    # Couriers on any route: the few a route-free profile (late cash booking) finds.
    courier = ~cash_profile & (roll > 0.996)
    late_cash = cash_mask | courier
    payment_i = np.where(late_cash & (rng.random(n) < .75), 1, payment_i)
    days_booked = np.where(late_cash & (rng.random(n) < .8), rng.integers(0, 4, n),
                           days_booked)
    bags = np.where(cash_mask, np.minimum(bags, 1), bags)
    # Bona fide workers on the same routes also buy late, for cash: no profile is pure.
    workers = cash_profile & ~cash_mask & (rng.random(n) < 0.35)
    payment_i = np.where(workers, 1, payment_i)
    days_booked = np.where(workers & (rng.random(n) < .6), rng.integers(0, 4, n),
                           days_booked)
    drug_mask = ~cash_mask & ((drug_profile & (rng.random(n) < np.where(
        anomaly | (payment_i == 1), 0.5, 0.06))) | courier)
    anomaly = anomaly | (drug_mask & (rng.random(n) < 0.35))
    goods_mask = ~cash_mask & ~drug_mask & (
        (goods_profile & (rng.random(n) < 0.35)) | (rng.random(n) < 0.003))
    finding[cash_mask] = "cash_courier"
    finding[drug_mask] = "drug_courier"
    finding[goods_mask] = "undeclared_goods"
    trip = np.where(one_way, np.nan, trip)

    columns: dict[str, Any] = {
        "x:origin": CategoryColumn.from_strings(origin),
        "x:flight": CategoryColumn.from_strings(flight),
        "x:channel": CategoryColumn.from_strings(channel),
        "x:payment": CategoryColumn.from_strings(np.array(PAYMENTS, dtype=object)[payment_i]),
        "x:days_booked": days_booked.astype(np.float64),
        "x:one_way": one_way,
        "x:trip_days": trip.astype(np.float64),
        "x:bags": bags,
        "x:doc_country": CategoryColumn.from_strings(
            np.array(NATIONALITIES, dtype=object)[doc_i]),
        "x:doc_anomaly": anomaly,
        "x:nationality": CategoryColumn.from_strings(
            np.array(NATIONALITIES, dtype=object)[nat_i]),
        "x:meal": CategoryColumn.from_strings(meal),
        "x:age_band": CategoryColumn.from_strings(age),
        "x:frequent": frequent,
        "x:finding": CategoryColumn.from_strings(finding),
        "non_compliant": finding != "none",
    }
    return DeclarationTable(columns, extra=PASSENGER_FIELDS)


# -- the group's work --------------------------------------------------------------------

SAFEGUARDS: tuple[str, ...] = ("purpose", "retention", "access")
SAFEGUARD_LABELS: dict[str, str] = {
    "purpose": N_("Purpose limitation"),
    "retention": N_("Retention"),
    "access": N_("Access and oversight"),
}


@dataclass
class PassengerWork:
    """E16 answer: the profiles (a rule set, as in E7), a rationale per profile (by its
    position), the group's reading of the figures, and the data-protection safeguards."""

    ruleset: RuleSet = field(default_factory=RuleSet)
    rationales: list[str] = field(default_factory=list)
    reading: str = ""
    safeguards: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> PassengerWork:
        data = data if isinstance(data, dict) else {}
        try:
            ruleset = RuleSet.model_validate(data.get("ruleset") or {})
        except ValueError:  # a damaged answer file: start from no profiles
            ruleset = RuleSet()
        rationales = data.get("rationales")
        safeguards = data.get("safeguards")
        return cls(
            ruleset=ruleset,
            rationales=[text_of(v) for v in rationales]
            if isinstance(rationales, list) else [],
            reading=text_of(data.get("reading")),
            safeguards={k: text_of(safeguards.get(k)) for k in SAFEGUARDS}
            if isinstance(safeguards, dict) else {},
        )

    def rationale(self, index: int) -> str:
        return self.rationales[index] if index < len(self.rationales) else ""

    def to_dict(self) -> dict[str, Any]:
        return {"ruleset": self.ruleset.model_dump(exclude_defaults=True),
                "rationales": list(self.rationales), "reading": self.reading,
                "safeguards": {k: self.safeguards.get(k, "") for k in SAFEGUARDS}}


def run_passengers(work: PassengerWork, table: DeclarationTable | None = None
                   ) -> SelectivityRun:
    """The group's profiles on the passengers: the E8 engine and metrics, unchanged."""
    return run_selectivity(passenger_table() if table is None else table, work.ruleset)


def fields_used(node: Condition) -> set[str]:
    if node.items:
        return set().union(*(fields_used(item) for item in node.items))
    return {node.field} if node.field else set()


MESSAGES: dict[str, str] = {
    "no_profiles": N_("Write at least two passenger profiles (criteria), each with its "
                      "rationale."),
    "few_profiles": N_("Only one profile: write two or three, one per planted risk you "
                       "suspect (cash, drugs, undeclared goods)."),
    "criteria_problem": N_("{profile}: {problem}"),
    "forbidden_field": N_(
        "{profile} uses “{field}”, which a passenger profile may not use: {reason}. "
        "Base the profile on travel behaviour (route, booking, payment, bags, document) "
        "instead."),
    "rationale_missing": N_("{profile}: give the rationale (which risk, which indicators, "
                            "what source)."),
    "no_hits": N_("{profile} selects no passenger: loosen a condition."),
    "no_better_than_random": N_(
        "{profile}: its hit rate ({hit_rate}) is no better than the non-compliance rate of "
        "all passengers ({prevalence}): it stops travellers at random."),
    "selection_too_high": N_(
        "The profiles select {rate} of the passengers, above {limit}: bona fide travellers "
        "would queue; narrow them."),
    "reading_missing": N_("Read your figures: the hit rate and the selection rate, and "
                          "what they mean for the passengers you stop."),
    "safeguard_missing": N_("State the data-protection safeguard: {safeguard}."),
    "all_good": N_("The profiles are lawful, run and find more than chance; the safeguards "
                   "are stated."),
}


def check_passengers(work: PassengerWork, table: DeclarationTable | None = None
                     ) -> list[Finding]:
    """Findings of E16: criteria valid on the passenger fields, no forbidden field,
    rationale and figures read, safeguards stated."""
    table = passenger_table() if table is None else table
    findings: list[Finding] = []
    criteria = work.ruleset.criteria
    if not criteria:
        findings.append(Finding("no_profiles", ERROR))
    elif len(criteria) < 2:
        findings.append(Finding("few_profiles", WARNING))
    forbidden = False
    for index, criterion in enumerate(criteria):
        for name in sorted(fields_used(criterion.condition) & set(FORBIDDEN_FIELDS)):
            forbidden = True
            findings.append(Finding("forbidden_field", ERROR,
                                    {"profile": criterion.name, "field": name}))
        if not work.rationale(index).strip():
            findings.append(Finding("rationale_missing", WARNING,
                                    {"profile": criterion.name}))
    issues = check_ruleset(work.ruleset, table.fields())
    for issue in issues:
        index = _criterion_index(issue)
        name = criteria[index].name if index is not None and index < len(criteria) else ""
        findings.append(Finding("criteria_problem", ERROR,
                                {"profile": name or "—", "issue": issue}))
    if criteria and not issues:
        metrics = run_passengers(work, table).metrics
        for stats in metrics.criteria:
            if stats.hits == 0:
                findings.append(Finding("no_hits", WARNING, {"profile": stats.name}))
            elif stats.hit_rate is not None and metrics.prevalence is not None \
                    and stats.hit_rate <= metrics.prevalence:
                findings.append(Finding("no_better_than_random", WARNING, {
                    "profile": stats.name, "hit_rate": stats.hit_rate,
                    "prevalence": metrics.prevalence}))
        if (metrics.selection_rate or 0.0) > MAX_SELECTION_RATE:
            findings.append(Finding("selection_too_high", WARNING, {
                "rate": metrics.selection_rate, "limit": MAX_SELECTION_RATE}))
    if not work.reading.strip():
        findings.append(Finding("reading_missing", WARNING))
    for key in SAFEGUARDS:
        if not work.safeguards.get(key, "").strip():
            findings.append(Finding("safeguard_missing", ERROR, {"safeguard": key}))
    if not findings and not forbidden:
        findings.append(Finding("all_good", GOOD))
    return findings


def _criterion_index(issue: CriteriaIssue) -> int | None:
    head = issue.path.split(".")[0]
    if head.startswith("criteria[") and head.endswith("]"):
        return int(head[len("criteria["):-1])
    return None


def passenger_field_label(name: str, translate: Callable[[str], str]) -> str:
    spec = PASSENGER_FIELD_BY_NAME.get(name)
    return translate(spec.label) if spec is not None else name


def render_passenger_finding(finding: Finding, translate: Callable[[str], str],
                             percent: Callable[[float], str]) -> str:
    params = dict(finding.params)
    if finding.code == "forbidden_field":
        field_name = str(params["field"])
        params["field"] = passenger_field_label(field_name, translate)
        params["reason"] = translate(FORBIDDEN_FIELDS[field_name])
    elif finding.code == "criteria_problem":
        issue = params.pop("issue")
        assert isinstance(issue, CriteriaIssue)
        params["problem"] = render_issue(issue, translate)
    elif finding.code == "safeguard_missing":
        params["safeguard"] = translate(SAFEGUARD_LABELS[str(params["safeguard"])])
    for key in ("hit_rate", "prevalence", "rate", "limit"):
        if key in params:
            params[key] = percent(float(params[key]))  # type: ignore[arg-type]
    return translate(MESSAGES[finding.code]).format(**params)
