"""E13 compliance measurement: a random compliance survey on the practice declarations.

Following the compliance-measurement annex of the WCO Risk Management Compendium
(Volume 1, compliance management): the group defines the population and its strata, states
the precision (margin of error) and confidence it wants, works out the sample size
(n0 = z² · p(1 − p) ÷ e², the finite-population correction n = n0 ÷ (1 + (n0 − 1) ÷ N))
and allocates it to the strata (proportional: n_h = n · N_h ÷ N; Neyman: n · N_h S_h ÷
Σ N_h S_h with S_h = √(p_h(1 − p_h))). The domain computes the correct figures, the
checks compare the group's arithmetic with them, and the engine draws the stratified
random sample (seeded: the same design gives the same sample) and estimates the
population non-compliance rate and the revenue at risk with confidence intervals
(stratified estimator). The survey unit is the declaration: non-compliant when any of
its items is. No Qt, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rmdesk.domain.checks import ERROR, GOOD, INFO, WARNING, Finding
from rmdesk.domain.declarations import CategoryColumn, DeclarationTable
from rmdesk.i18n import N_

# What a stratum groups declarations by: a data element of the declaration.
STRATIFY_BY: dict[str, str] = {
    "transport_mode": N_("Transport mode"),
    "procedure": N_("Customs procedure"),
    "hs_chapter": N_("HS chapter (first item)"),
}
ALLOCATIONS: dict[str, str] = {
    "proportional": N_("Proportional to the stratum's size"),
    "neyman": N_("Neyman (size × expected spread)"),
}
# Two-sided normal quantiles of the confidence levels a survey states.
Z_VALUES: dict[float, float] = {0.90: 1.645, 0.95: 1.96, 0.99: 2.576}
# "Everything no other stratum names" (e.g. the HS chapters left over).
REST = "*"
# Revenue at risk of a non-compliant declaration: the duties and import VAT (together
# 25% of the value, the case's average) on the value missing against the reference
# price. The E13 instructions state it; a compliant declaration puts nothing at risk.
REVENUE_RATE = 0.25
DEFAULT_SEED = 2026
MAX_STRATA = 40
# A typed figure within this of the correct one is right (rounding, z = 2 for 1.96 is not).
RELATIVE_TOLERANCE = 0.01
BIAS_WORDS: tuple[str, ...] = (
    # the selection-bias point in the four languages of the interface (stems, casefolded)
    "bias", "not random", "non-random", "nonrandom", "sesg", "no aleatori", "viés",
    "vies", "enviesad", "não aleatóri", "nao aleatori", "biais", "non aléatoire",
    "pas aléatoire",
)
MIN_INTERPRETATION_WORDS = 25
MAX_LISTED = 12  # values a message names before “…”


@dataclass
class Stratum:
    name: str = ""
    values: str = ""  # the stratifying element's values, separated by commas; * = the rest
    anticipated: float | None = None  # p_h for Neyman allocation (a share)
    sample: int | None = None  # n_h as the group works it out

    def value_list(self) -> list[str]:
        return [v.strip() for v in self.values.replace(";", ",").split(",") if v.strip()]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "values": self.values, "anticipated": self.anticipated,
                "sample": self.sample}


def _share(value: object, *, open_zero: bool = True) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    if not math.isfinite(value) or value < 0 or value > 1 or (open_zero and value == 0):
        return None
    return value


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not \
            math.isfinite(value) or value < 0:
        return None
    return int(round(value))


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not \
            math.isfinite(value) or value < 0:
        return None
    return float(value)


@dataclass
class ComplianceSurvey:
    """What the group writes. Shares are 0-1; counts are declarations."""

    population: str = ""
    stratify_by: str = "transport_mode"
    strata: list[Stratum] = field(default_factory=list)
    confidence: float = 0.95
    margin: float | None = None  # e, the margin of error (a share)
    anticipated: float | None = None  # p, the non-compliance rate expected
    allocation: str = "proportional"
    n0: float | None = None  # the group's z² p(1 − p) ÷ e²
    n: int | None = None  # the group's sample after the finite-population correction
    seed: int = DEFAULT_SEED
    drawn: bool = False  # the group had the engine draw the sample
    interpretation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"population": self.population, "stratify_by": self.stratify_by,
                "strata": [s.to_dict() for s in self.strata],
                "confidence": self.confidence, "margin": self.margin,
                "anticipated": self.anticipated, "allocation": self.allocation,
                "n0": self.n0, "n": self.n, "seed": self.seed, "drawn": self.drawn,
                "interpretation": self.interpretation}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ComplianceSurvey:
        """Tolerant: what is missing or malformed takes its default."""

        def text(name: str) -> str:
            value = data.get(name)
            return value if isinstance(value, str) else ""

        strata = []
        raw = data.get("strata")
        for item in raw[:MAX_STRATA] if isinstance(raw, list) else []:
            if isinstance(item, Mapping):
                strata.append(Stratum(
                    name=item["name"] if isinstance(item.get("name"), str) else "",
                    values=item["values"] if isinstance(item.get("values"), str) else "",
                    anticipated=_share(item.get("anticipated")),
                    sample=_count(item.get("sample"))))
        confidence = data.get("confidence")
        stratify_by = text("stratify_by")
        allocation = text("allocation")
        seed = data.get("seed")
        return cls(
            population=text("population"),
            stratify_by=stratify_by if stratify_by in STRATIFY_BY else "transport_mode",
            strata=strata,
            confidence=float(confidence) if isinstance(confidence, int | float)
            and float(confidence) in Z_VALUES else 0.95,
            margin=_share(data.get("margin")),
            anticipated=_share(data.get("anticipated")),
            allocation=allocation if allocation in ALLOCATIONS else "proportional",
            n0=_number(data.get("n0")), n=_count(data.get("n")),
            seed=int(seed) if isinstance(seed, int) and not isinstance(seed, bool)
            and 0 <= seed < 2**32 else DEFAULT_SEED,
            drawn=data.get("drawn") is True,
            interpretation=text("interpretation"),
        )

    def is_empty(self) -> bool:
        return not (self.strata or self.population.strip() or self.interpretation.strip()
                    or self.margin or self.anticipated)


# -- the population ---------------------------------------------------------------------


@dataclass(frozen=True)
class Population:
    """The practice declarations as survey units: per declaration, the value of each
    stratifying element, whether it is non-compliant and the revenue it puts at risk."""

    keys: dict[str, np.ndarray]  # stratify_by -> str value per declaration
    non_compliant: np.ndarray  # bool per declaration
    revenue: np.ndarray  # float per declaration (USD)
    # stratify_by -> (a code per declaration, the distinct values): strata are matched on
    # the few distinct values, then gathered by code, as the selectivity engine does.
    encoded: dict[str, tuple[np.ndarray, tuple[str, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, keys in self.keys.items():
            labels, codes = np.unique(np.asarray(keys, dtype=str), return_inverse=True)
            self.encoded[name] = (codes.astype(np.int64), tuple(str(v) for v in labels))

    @property
    def size(self) -> int:
        return len(self.non_compliant)

    def members(self, stratify_by: str, values: set[str]) -> np.ndarray:
        """The declarations whose element takes one of `values` (case-folded)."""
        codes, labels = self.encoded[stratify_by]
        wanted = np.array([label.casefold() in values for label in labels], dtype=bool)
        return np.flatnonzero(wanted[codes]) if len(labels) else np.zeros(0, np.int64)

    def values(self, stratify_by: str) -> dict[str, int]:
        """Each value of the element with its number of declarations."""
        codes, labels = self.encoded[stratify_by]
        counts = np.bincount(codes, minlength=len(labels))
        return {label: int(count) for label, count in zip(labels, counts, strict=True)}


def population_of(table: DeclarationTable) -> Population:
    """Declarations of the table: the first item's element values, non-compliant when any
    item is, and the revenue at risk (REVENUE_RATE of the value missing against the
    reference price, over the non-compliant declaration's items)."""
    numbers = table.column("declaration_no")
    assert isinstance(numbers, CategoryColumn)
    codes = np.asarray(numbers.codes, dtype=np.int64)
    alone = codes < 0
    if alone.any():  # an item without a number is a declaration of its own
        codes = np.where(alone, codes.max(initial=-1) + np.cumsum(alone), codes)
    _, decl = np.unique(codes, return_inverse=True)
    count = int(decl.max(initial=-1)) + 1
    first = np.full(count, len(decl), dtype=np.int64)
    np.minimum.at(first, decl, np.arange(len(decl)))

    def category(name: str) -> np.ndarray:
        column = table.column(name)
        if not isinstance(column, CategoryColumn):
            column = CategoryColumn.from_strings(column)
        return np.array(column.decode(first), dtype=object)

    hs = category("hs_code")
    keys = {"transport_mode": category("transport_mode"),
            "procedure": category("procedure"),
            "hs_chapter": np.array([str(h)[:2] for h in hs], dtype=object)}
    bad_items = np.asarray(table.column("non_compliant"), dtype=bool)
    bad = np.bincount(decl, weights=bad_items, minlength=count) > 0
    quantity = np.nan_to_num(np.asarray(table.column("quantity"), dtype=float))
    reference = np.nan_to_num(np.asarray(table.column("reference_price"), dtype=float))
    declared = np.nan_to_num(np.asarray(table.column("declared_value"), dtype=float))
    missing = np.maximum(reference * quantity - declared, 0.0)
    revenue = np.bincount(decl, weights=missing, minlength=count) * REVENUE_RATE
    return Population(keys, bad, np.where(bad, revenue, 0.0))


# -- the design: what the figures should be ---------------------------------------------


def z_value(confidence: float) -> float:
    return Z_VALUES.get(round(confidence, 2), 1.96)


def initial_size(confidence: float, margin: float, anticipated: float) -> float:
    """n0 = z² · p(1 − p) ÷ e², before the finite-population correction."""
    z = z_value(confidence)
    return z * z * anticipated * (1 - anticipated) / (margin * margin)


def corrected_size(n0: float, population: int) -> int:
    """n = n0 ÷ (1 + (n0 − 1) ÷ N), rounded up, never more than N."""
    if population <= 0:
        return 0
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population) - 1e-9))


def allocate(n: int, sizes: list[int], allocation: str,
             spreads: list[float] | None = None) -> list[int]:
    """n_h of each stratum, rounded to the nearest whole declaration, at most N_h."""
    if allocation == "neyman" and spreads is not None:
        weights = [size * spread for size, spread in zip(sizes, spreads, strict=True)]
    else:
        weights = [float(size) for size in sizes]
    total = sum(weights)
    if total <= 0:
        return [0 for _ in sizes]
    return [min(size, int(math.floor(n * w / total + 0.5)))
            for size, w in zip(sizes, weights, strict=True)]


@dataclass(frozen=True)
class StratumDesign:
    name: str
    population: int  # N_h
    weight: float  # W_h = N_h ÷ N
    expected_sample: int  # n_h as the design gives it
    sample: int  # n_h the survey uses: the group's, or the design's when it typed none


@dataclass(frozen=True)
class Design:
    population: int  # N: declarations the strata cover
    z: float
    n0: float | None
    n: int | None
    strata: tuple[StratumDesign, ...]
    values_by_stratum: tuple[tuple[str, ...], ...]  # the element's values each takes


def stratum_members(survey: ComplianceSurvey, population: Population
                    ) -> list[np.ndarray]:
    """The declaration indexes of each stratum (a value in two strata goes to the first;
    the check reports the overlap)."""
    named: set[str] = set()
    members = []
    for stratum in survey.strata:
        values = [v for v in stratum.value_list() if v != REST]
        wanted = {v.casefold() for v in values} - named
        named |= wanted
        members.append(population.members(survey.stratify_by, wanted))
    rest = [i for i, s in enumerate(survey.strata) if REST in s.value_list()]
    if rest:
        leftover = np.setdiff1d(np.arange(population.size),
                                population.members(survey.stratify_by, named))
        members[rest[0]] = np.union1d(members[rest[0]], leftover)
    return members


def design(survey: ComplianceSurvey, population: Population,
           members: list[np.ndarray] | None = None) -> Design:
    """The correct figures of the survey's design (`members`: stratum_members, when the
    caller has them already)."""
    members = stratum_members(survey, population) if members is None else members
    sizes = [len(m) for m in members]
    total = sum(sizes)
    n0 = initial_size(survey.confidence, survey.margin, survey.anticipated) \
        if survey.margin and survey.anticipated else None
    n = corrected_size(n0, total) if n0 is not None else None
    spreads = [math.sqrt(p * (1 - p)) for p in (
        s.anticipated or survey.anticipated or 0.5 for s in survey.strata)]
    expected = allocate(n, sizes, survey.allocation, spreads) if n is not None \
        else [0] * len(sizes)
    strata = tuple(StratumDesign(
        s.name, size, size / total if total else 0.0, want,
        min(size, s.sample) if s.sample is not None else want)
        for s, size, want in zip(survey.strata, sizes, expected, strict=True))
    codes, labels = population.encoded[survey.stratify_by]
    values = tuple(tuple(labels[c] for c in np.unique(codes[m])) for m in members)
    return Design(total, z_value(survey.confidence), n0, n, strata, values)


# -- drawing the sample and estimating --------------------------------------------------


@dataclass(frozen=True)
class StratumResult:
    name: str
    population: int
    sample: int
    found: int  # non-compliant declarations in the sample
    rate: float | None
    revenue_mean: float | None  # USD per declaration in the sample


@dataclass(frozen=True)
class Estimate:
    """The survey's estimates with their confidence intervals (normal approximation)."""

    strata: tuple[StratumResult, ...]
    sample: int
    found: int
    rate: float
    rate_low: float
    rate_high: float
    revenue: float  # total over the population, USD
    revenue_low: float
    revenue_high: float
    true_rate: float  # what the hidden outcome gives for the covered population
    true_revenue: float


def draw(survey: ComplianceSurvey, population: Population,
         members: list[np.ndarray] | None = None) -> list[np.ndarray]:
    """The stratified random sample: in each stratum the n_h declarations with the smallest
    random keys (one key per declaration from the seed), so a design gives one sample and
    changing one stratum's n_h leaves the others' draws as they were."""
    keys = np.random.default_rng(survey.seed).random(population.size)
    members = stratum_members(survey, population) if members is None else members
    planned = design(survey, population, members)
    drawn = []
    for rows, stratum in zip(members, planned.strata, strict=True):
        order = rows[np.argsort(keys[rows], kind="stable")]
        drawn.append(np.sort(order[:stratum.sample]))
    return drawn


def estimate(survey: ComplianceSurvey, population: Population) -> Estimate | None:
    """The stratified estimates; None when no stratum has a sample of two or more."""
    members = stratum_members(survey, population)
    planned = design(survey, population, members)
    samples = draw(survey, population, members)
    if planned.population == 0 or not any(len(s) >= 2 for s in samples):
        return None
    z = planned.z
    big_n = planned.population
    rate = rate_var = revenue = revenue_var = 0.0
    results = []
    for stratum, rows in zip(planned.strata, samples, strict=True):
        size, n_h = stratum.population, len(rows)
        bad = population.non_compliant[rows]
        money = population.revenue[rows]
        found = int(bad.sum())
        p_h = found / n_h if n_h else None
        mean = float(money.mean()) if n_h else None
        results.append(StratumResult(stratum.name, size, n_h, found, p_h, mean))
        if not n_h:
            continue
        weight = size / big_n
        rate += weight * (p_h or 0.0)
        revenue += size * (mean or 0.0)
        if n_h >= 2:
            fpc = 1 - n_h / size
            rate_var += weight * weight * fpc * (p_h or 0.0) * (1 - (p_h or 0.0)) / (n_h - 1)
            revenue_var += size * size * fpc * float(money.var(ddof=1)) / n_h
    covered = np.concatenate(members)
    half, money_half = z * math.sqrt(rate_var), z * math.sqrt(revenue_var)
    return Estimate(
        tuple(results), sum(r.sample for r in results), sum(r.found for r in results),
        rate, max(0.0, rate - half), min(1.0, rate + half),
        revenue, max(0.0, revenue - money_half), revenue + money_half,
        float(population.non_compliant[covered].mean()) if covered.size else 0.0,
        float(population.revenue[covered].sum()))


# -- checks ---------------------------------------------------------------------------------

MESSAGES: dict[str, str] = {
    "survey_empty": N_("Define the strata of your survey: each with a name and the values "
                       "of the element it covers."),
    "no_population": N_("Say what the population is (which declarations, which period): "
                        "the estimate is only about that population."),
    "stratum_no_name": N_("Stratum {row}: give it a name."),
    "stratum_no_values": N_("Stratum “{stratum}”: list the values of {element} it covers."),
    "stratum_unknown_value": N_("Stratum “{stratum}”: {values} is not a value of {element} "
                                "in the declarations."),
    "strata_overlap": N_("{values} is in more than one stratum: strata must not overlap, or "
                         "a declaration could be drawn twice."),
    "strata_gap": N_("No stratum covers {values} ({count} declarations): together the "
                     "strata must cover the whole population."),
    "stratum_empty": N_("Stratum “{stratum}” holds no declaration."),
    "no_margin": N_("State the precision you want: the margin of error (for example 2%)."),
    "no_anticipated": N_("State the non-compliance rate you expect (p), from earlier random "
                         "checks, or 50% when nothing is known."),
    "n0_missing": N_("Work out the sample size before correction: n0 = z² × p(1 − p) ÷ e²."),
    "n0_wrong": N_("Your n0 is {typed}, but z² × p(1 − p) ÷ e² = {z}² × {p} × {q} ÷ {e}² = "
                   "{expected}."),
    "n_missing": N_("Apply the finite-population correction: n = n0 ÷ (1 + (n0 − 1) ÷ N), "
                    "with N = {population} declarations."),
    "n_wrong": N_("Your corrected sample is {typed}, but n0 ÷ (1 + (n0 − 1) ÷ N) with "
                  "N = {population} gives {expected}."),
    "sample_missing": N_("Stratum “{stratum}”: work out its sample nₕ."),
    "sample_wrong": N_("Stratum “{stratum}”: {allocation} allocation gives {expected} "
                       "declarations, not {typed}."),
    "sample_over_population": N_("Stratum “{stratum}”: a sample of {typed} is more than its "
                                 "{population} declarations."),
    "sample_too_small": N_("Stratum “{stratum}”: with fewer than 2 declarations in its "
                           "sample, its spread cannot be estimated."),
    "samples_not_total": N_("The strata's samples add up to {total}, not to your sample of "
                            "{expected}."),
    "not_drawn": N_("Draw the sample: the engine picks the declarations at random in each "
                    "stratum and estimates the non-compliance rate."),
    "no_interpretation": N_("Interpret the result: compare the estimate with the hit rate "
                            "of the targeted lanes in E8, and say why they differ."),
    "interpretation_short": N_("Your interpretation is short ({count} words): compare the "
                               "estimate with the targeted hit rate and explain the "
                               "difference."),
    "interpretation_no_bias": N_("Your interpretation does not say why the targeted hit rate "
                                 "overstates the population rate: the lanes select the "
                                 "riskiest declarations, not a random sample (selection "
                                 "bias)."),
    "estimate": N_("Estimated non-compliance of the declarations: {rate} ({low} to {high} "
                   "with {confidence} confidence), from {found} found in {sample} drawn; "
                   "revenue at risk {revenue} ({revenue_low} to {revenue_high})."),
    "targeted_compared": N_("Your last E8 run found non-compliance in {hit_rate} of the "
                            "items it selected, {ratio} times the population rate the "
                            "survey estimates."),
    "survey_ok": N_("The design is sound: {strata} strata cover the population without "
                    "overlap, and the sample sizes are right."),
}


def _close(typed: float, expected: float) -> bool:
    return abs(typed - expected) <= max(1.0, RELATIVE_TOLERANCE * expected)


def check_survey(survey: ComplianceSurvey, population: Population,
                 targeted_hit_rate: float | None = None) -> list[Finding]:
    """The group's design against the correct figures, the sample and the estimate, and
    the interpretation. `targeted_hit_rate`: the group's last E8 run's, if any."""
    if not survey.strata:
        return [Finding("survey_empty", ERROR)]
    findings: list[Finding] = []
    element = survey.stratify_by
    if not survey.population.strip():
        findings.append(Finding("no_population", WARNING))
    known = population.values(element)
    folded_known = {v.casefold(): v for v in known}
    seen: dict[str, int] = {}
    rest = False
    for row, stratum in enumerate(survey.strata, start=1):
        name = stratum.name.strip() or f"#{row}"
        if not stratum.name.strip():
            findings.append(Finding("stratum_no_name", ERROR, {"row": row}))
        values = stratum.value_list()
        if not values:
            findings.append(Finding("stratum_no_values", ERROR,
                                    {"stratum": name, "element": element}))
        unknown = [v for v in values if v != REST and v.casefold() not in folded_known]
        if unknown:
            findings.append(Finding("stratum_unknown_value", ERROR, {
                "stratum": name, "values": unknown, "element": element}))
        for value in values:
            if value == REST:
                if rest:
                    seen[REST] = seen.get(REST, 1) + 1
                rest = True
            elif value.casefold() in folded_known:
                key = value.casefold()
                seen[key] = seen.get(key, 0) + 1
    overlap = sorted(folded_known[k] if k in folded_known else k
                     for k, count in seen.items() if count > 1)
    if overlap:
        findings.append(Finding("strata_overlap", ERROR, {"values": overlap}))
    if not rest:
        gap = sorted(v for v in known if v.casefold() not in seen)
        if gap:
            findings.append(Finding("strata_gap", ERROR, {
                "values": gap, "count": sum(known[v] for v in gap)}))
    planned = design(survey, population)
    for stratum in planned.strata:
        if stratum.population == 0 and stratum.name.strip():
            findings.append(Finding("stratum_empty", WARNING, {"stratum": stratum.name}))
    arithmetic_ok = True
    if survey.margin is None:
        findings.append(Finding("no_margin", ERROR))
        arithmetic_ok = False
    if survey.anticipated is None:
        findings.append(Finding("no_anticipated", ERROR))
        arithmetic_ok = False
    if planned.n0 is not None and planned.n is not None:
        assert survey.margin is not None and survey.anticipated is not None
        if survey.n0 is None:
            findings.append(Finding("n0_missing", ERROR))
            arithmetic_ok = False
        elif not _close(survey.n0, planned.n0):
            findings.append(Finding("n0_wrong", ERROR, {
                "typed": survey.n0, "expected": planned.n0, "z": planned.z,
                "p": survey.anticipated, "q": 1 - survey.anticipated, "e": survey.margin}))
            arithmetic_ok = False
        if survey.n is None:
            findings.append(Finding("n_missing", ERROR, {"population": planned.population}))
            arithmetic_ok = False
        elif not _close(survey.n, planned.n):
            findings.append(Finding("n_wrong", ERROR, {
                "typed": survey.n, "expected": planned.n,
                "population": planned.population}))
            arithmetic_ok = False
        for typed, stratum in zip(survey.strata, planned.strata, strict=True):
            name = stratum.name.strip() or "?"
            if typed.sample is None:
                findings.append(Finding("sample_missing", ERROR, {"stratum": name}))
                arithmetic_ok = False
                continue
            if typed.sample > stratum.population and stratum.population:
                findings.append(Finding("sample_over_population", ERROR, {
                    "stratum": name, "typed": typed.sample,
                    "population": stratum.population}))
                arithmetic_ok = False
            elif abs(typed.sample - stratum.expected_sample) > 1:
                findings.append(Finding("sample_wrong", ERROR, {
                    "stratum": name, "typed": typed.sample,
                    "expected": stratum.expected_sample, "allocation": survey.allocation}))
                arithmetic_ok = False
            if typed.sample < 2 and stratum.population >= 2:
                findings.append(Finding("sample_too_small", WARNING, {"stratum": name}))
        typed_total = sum(s.sample or 0 for s in survey.strata)
        if all(s.sample is not None for s in survey.strata) and \
                abs(typed_total - planned.n) > len(survey.strata):
            findings.append(Finding("samples_not_total", WARNING, {
                "total": typed_total, "expected": planned.n}))
    result = estimate(survey, population) if survey.drawn else None
    if not survey.drawn:
        findings.append(Finding("not_drawn", WARNING))
    elif result is not None:
        findings.append(Finding("estimate", INFO, {
            "rate": result.rate, "low": result.rate_low, "high": result.rate_high,
            "confidence": survey.confidence, "found": result.found,
            "sample": result.sample, "revenue": result.revenue,
            "revenue_low": result.revenue_low, "revenue_high": result.revenue_high}))
        if targeted_hit_rate is not None and result.rate > 0:
            findings.append(Finding("targeted_compared", INFO, {
                "hit_rate": targeted_hit_rate, "ratio": targeted_hit_rate / result.rate}))
    words = len(survey.interpretation.split())
    if not words:
        findings.append(Finding("no_interpretation", ERROR))
    else:
        if words < MIN_INTERPRETATION_WORDS:
            findings.append(Finding("interpretation_short", WARNING, {"count": words}))
        if not mentions_bias(survey.interpretation):
            findings.append(Finding("interpretation_no_bias", WARNING))
    if arithmetic_ok and not any(f.severity == ERROR for f in findings):
        findings.append(Finding("survey_ok", GOOD, {"strata": len(survey.strata)}))
    return findings


def mentions_bias(text: str) -> bool:
    folded = " ".join(text.casefold().split())
    return any(word in folded for word in BIAS_WORDS)


def render_survey_finding(finding: Finding, translate: Callable[[str], str],
                          format_percent: Callable[[float], str],
                          format_number: Callable[[float], str],
                          format_money: Callable[[float], str] | None = None,
                          format_whole_percent: Callable[[float], str] | None = None) -> str:
    """The finding in the caller's language; percentages and numbers its way."""
    params = dict(finding.params)
    money = format_money or (lambda v: format_number(round(v)))
    for name in ("rate", "low", "high", "hit_rate"):
        if name in params:
            params[name] = format_percent(float(params[name]))  # type: ignore[arg-type]
    if "confidence" in params:
        params["confidence"] = (format_whole_percent or format_percent)(
            float(params["confidence"]))  # type: ignore[arg-type]
    for name in ("p", "q", "e"):  # in the formula, shares are written as decimals
        if name in finding.params:
            params[name] = format_number(round(float(finding.params[name]), 4))  # type: ignore[arg-type]
    for name in ("typed", "expected", "population", "count", "found", "sample", "total",
                 "strata", "row"):
        if name in params:
            value = float(params[name])  # type: ignore[arg-type]
            params[name] = format_number(round(value, 1) if finding.code == "n0_wrong"
                                         else round(value))
    for name in ("z", "ratio"):
        if name in params:
            params[name] = format_number(round(float(params[name]), 3 if name == "z"
                                               else 1))  # type: ignore[arg-type]
    for name in ("revenue", "revenue_low", "revenue_high"):
        if name in params:
            params[name] = money(float(params[name]))  # type: ignore[arg-type]
    if "values" in params:
        values = [str(v) for v in params["values"]]  # type: ignore[attr-defined]
        params["values"] = ", ".join(values[:MAX_LISTED]) + (
            ", …" if len(values) > MAX_LISTED else "")
    if "element" in params:
        params["element"] = translate(STRATIFY_BY[str(params["element"])])
    if "allocation" in params:
        params["allocation"] = translate(ALLOCATION_NAMES[str(params["allocation"])])
    return translate(MESSAGES[finding.code]).format(**params)


ALLOCATION_NAMES: dict[str, str] = {
    "proportional": N_("proportional"),
    "neyman": N_("Neyman"),
}
