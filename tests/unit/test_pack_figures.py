"""The built-in pack agrees with its data and with itself (E6-E9).

Every figure an E6-E9 text quotes about the practice data is listed in the pack as data
(`[[exercises.figures]]`): each one is computed here with the engine on the built-in
declarations and must match what is quoted, and the quoted value must appear, formatted
the way each language writes numbers, in every language of the texts that quote it. The
E9 arithmetic is parsed out of the model answer and recomputed; the figures the case
states (random hit rate, lanes) are parsed out of the case and must be the ones E6-E9 use.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from rmdesk.content.pack import ContentPack, Exercise, QuotedFigure, builtin_pack
from rmdesk.domain import figures
from rmdesk.domain.criteria import LANES
from rmdesk.domain.profile_logic import add_months, yearly_volume
from rmdesk.domain.tuning import Tuning, plan_workload
from rmdesk.services.targeting import builtin_table

PACK = builtin_pack()
TARGETING_KINDS = ("indicator_selection", "profile", "targeting", "tuning")
SPACES = "[ \u00a0\u202f]"


def quoted_figures(pack: ContentPack) -> list[tuple[Exercise, QuotedFigure]]:
    return [(e, f) for e in pack.exercises for f in e.figures]


def _id(item: tuple[Exercise, QuotedFigure]) -> str:
    exercise, figure = item
    what = "-".join(str(part) for part in (figure.rule_set, figure.indicator, figure.lane,
                                            figure.criterion, figure.offence) if part)
    return f"{exercise.id}-{figure.measure}-{what or ('rule' if figure.rule else 'data')}" \
        f"-{figure.value}"


RULE_SETS = {name: ruleset for e in PACK.exercises for name, ruleset in e.figure_rules.items()}


def computed(exercise: Exercise, figure: QuotedFigure) -> float:
    condition = figure.rule
    if figure.indicator is not None:
        indicator = next(i for i in PACK.indicators if i.id == figure.indicator)
        assert indicator.rule is not None, f"{indicator.id} has no rule to compute"
        condition = indicator.rule
    plan = (PACK.exercise("tuning") or exercise).plan_rules()
    return figures.compute(builtin_table(), figure.measure, condition=condition,
                           ruleset=RULE_SETS[figure.rule_set] if figure.rule_set else None,
                           offence=figure.offence, lane=figure.lane,
                           criterion=figure.criterion,
                           yearly_declarations=plan.yearly_declarations,
                           capacity=plan.capacity)


def number_pattern(figure: QuotedFigure, lang: str) -> str:
    """How `lang` writes the quoted value: 6.8% / 6,8 % / 20,000 / 20.000 / 20 000."""
    decimal = "\\." if lang == "en" else ","
    if figure.measure in figures.RATES:
        text = f"{figure.value * 100:.{figure.digits}f}"
        whole, _, fraction = text.partition(".")
        number = whole + (decimal + fraction if fraction else "")
        # a percentage, possibly the upper end of a range (“31–32%”)
        return (f"(?<![\\d.,]){number}(?:{SPACES}?%|[–-]\\d+(?:[.,]\\d+)?{SPACES}?%)")
    whole = f"{round(figure.value):,}".split(",")
    return "(?<![\\d.,])" + "[,.\u00a0\u202f ]?".join(whole) + "(?![\\d])"


def texts_of(exercise: Exercise, names: list[str], lang: str) -> str:
    found = []
    for name in names:
        value = getattr(exercise, name)
        items = value if isinstance(value, list) else [value]
        found += [item.get(lang) for item in items if item is not None]
    return "\n".join(found)


def test_every_targeting_exercise_lists_its_figures() -> None:
    for kind in TARGETING_KINDS:
        exercise = PACK.exercise(kind)
        assert exercise is not None and exercise.figures, kind


def test_figures_name_known_indicators_with_rules() -> None:
    ids = {i.id: i for i in PACK.indicators}
    for _exercise, figure in quoted_figures(PACK):
        if figure.measure in figures.SELECTIONS:
            sources = [figure.indicator, figure.rule, figure.rule_set]
            assert sum(source is not None for source in sources) == 1, figure
        if figure.rule_set is not None:
            assert figure.rule_set in RULE_SETS, figure.rule_set
        if figure.criterion is not None:
            assert figure.criterion in {c.name for c in RULE_SETS[figure.rule_set].criteria}
        if figure.indicator is not None:
            assert ids[figure.indicator].rule is not None, figure.indicator


@pytest.mark.parametrize("item", quoted_figures(PACK), ids=_id)
def test_a_quoted_figure_is_what_the_engine_computes(
        item: tuple[Exercise, QuotedFigure]) -> None:
    exercise, figure = item
    value = computed(exercise, figure)
    if figure.measure in figures.RATES:
        tolerance = 0.5 * 10 ** -figure.digits + 1e-9  # in percentage points
        assert abs(value * 100 - figure.value * 100) <= tolerance, (
            f"{_id(item)}: the data give {value:.4%}")
    else:
        assert abs(value - figure.value) <= figure.round_to / 2, (
            f"{_id(item)}: the data give {value:,.2f}")


@pytest.mark.parametrize("item", quoted_figures(PACK), ids=_id)
def test_a_figure_is_quoted_in_every_language(item: tuple[Exercise, QuotedFigure]) -> None:
    exercise, figure = item
    for lang in PACK.pack.languages:
        text = texts_of(exercise, list(figure.texts), lang)
        assert re.search(number_pattern(figure, lang), text), (
            f"{_id(item)} not quoted in {lang} {figure.texts}")


def test_the_figures_test_fails_when_the_data_drift() -> None:
    """A quoted figure one rounding step off is refused (the test is not vacuous)."""
    exercise, figure = next((e, f) for e, f in quoted_figures(PACK)
                            if f.measure == "hit_rate" and f.indicator == "I01")
    drifted = figure.model_copy(update={"value": figure.value + 0.01})
    assert abs(computed(exercise, drifted) - drifted.value) * 100 > 0.5
    assert not re.search(number_pattern(drifted, "en"),
                         texts_of(exercise, list(figure.texts), "en"))


# -- the case and the exercises agree ---------------------------------------------------


def case_text(lang: str = "en") -> str:
    return "\n".join(s.body.get(lang) for s in PACK.case.sections)


def case_random_hit_rate() -> float:
    match = re.search(r"(\d+(?:\.\d+)?)% for random selections", case_text())
    assert match, "the case no longer states its random hit rate"
    return float(match.group(1)) / 100


def test_e9_sample_size_uses_the_cases_random_hit_rate() -> None:
    """The E9 model answer sizes the random checks on the non-compliance rate the case
    reports for random selections, and its sum is right."""
    tuning = PACK.exercise("tuning")
    assert tuning is not None and tuning.model_answer is not None
    for lang in PACK.pack.languages:
        text = tuning.model_answer.get(lang).replace("\u00a0", " ").replace("\u202f", " ")
        match = re.search(r"1[.,]96² × (0[.,]\d+) × (0[.,]\d+) ÷ (0[.,]\d+)²", text)
        assert match, lang
        p, q, e = (float(g.replace(",", ".")) for g in match.groups())
        assert p == pytest.approx(case_random_hit_rate()), lang
        assert p + q == pytest.approx(1.0), lang
        n = 1.96 ** 2 * p * q / e ** 2
        quoted = re.findall(r"(\d[\d,. ]*\d)", text[max(0, match.start() - 200):match.start()])
        counts = [int(re.sub(r"[,. ]", "", q)) for q in quoted]
        rounded = round(n, -2)
        assert rounded in counts, (lang, n, counts)


def test_e9_model_arithmetic_adds_up() -> None:
    """Every “N × U = W” line of the E9 model answer multiplies correctly, each lane's
    declarations are its share of the yearly declarations, the plan's total is the sum of
    its lanes and its utilisation is against the stated capacity."""
    tuning = PACK.exercise("tuning")
    assert tuning is not None and tuning.model_answer is not None
    rules = tuning.plan_rules()
    text = tuning.model_answer.get("en")
    products = re.findall(r"([\d,]+)(?: declarations)? × (\d+)(?: units)? = ([\d,]+)", text)
    assert len(products) >= 3
    for count, units, work in products:
        assert int(count.replace(",", "")) * int(units) == int(work.replace(",", ""))
    shares = re.findall(r"- (red|orange|yellow|blue|green) (\d+)% \(([\d,]+)", text)
    plan = {lane: int(share) / 100 for lane, share, _count in shares}
    assert sum(plan.values()) == pytest.approx(1.0)
    for _lane, share, count in shares:
        assert int(share) * rules.yearly_declarations == 100 * int(count.replace(",", ""))
    workload = plan_workload(Tuning(expected=plan), rules)
    total = re.search(r"Total ([\d,]+) units, (\d+)% of capacity", text)
    assert total, "the plan's total is no longer stated"
    assert workload.total == pytest.approx(int(total.group(1).replace(",", "")))
    assert round(workload.utilisation * 100) == int(total.group(2))
    # The peak stated in the tips is absorbed by the margin the answer claims.
    assert workload.utilisation * (1 + rules.peak_above_average) <= 1


def test_e9_model_plan_keeps_the_ministers_red_lane_and_the_random_minimum() -> None:
    tuning = PACK.exercise("tuning")
    assert tuning is not None and tuning.model_answer is not None
    text = tuning.model_answer.get("en")
    red = re.search(r"- red (\d+)% \(", text.split("Plan for 2026")[1])
    assert red and int(red.group(1)) < 15


def test_lanes_used_in_e7_to_e9_are_the_cases_lanes() -> None:
    """The lanes the exercises name (orange included) are introduced by the case."""
    case = case_text().lower()
    for kind in ("profile", "targeting", "tuning"):
        exercise = PACK.exercise(kind)
        assert exercise is not None
        for lang in ("en",):
            words = " ".join(t.get(lang) for t in (exercise.instructions, *exercise.tips,
                                                    exercise.model_answer) if t).lower()
            for lane in LANES:
                if re.search(rf"\b{lane}\b", words):
                    assert re.search(rf"\b{lane}\b", case), (kind, lane)


def test_lift_is_judged_the_same_way_everywhere() -> None:
    """E8's notes and the case's red-lane figures: the lift the notes quote is the one
    the case's figures give."""
    targeting = PACK.exercise("targeting")
    assert targeting is not None and targeting.facilitator_notes is not None
    notes = targeting.facilitator_notes.get("en")
    red = re.search(r"(\d+(?:\.\d+)?)% of these inspections found", case_text())
    assert red
    lift = float(red.group(1)) / 100 / case_random_hit_rate()
    stated = re.search(r"a lift of (?:under|about) (\d+)", notes)
    assert stated and math.ceil(lift) == int(stated.group(1))


# -- the E7 model profiles pass the pack's E7 rules --------------------------------------

NUMBER_WORDS = {"three": 3, "four": 4, "six": 6, "twelve": 12}


def test_e7_instructions_state_the_review_period_the_check_enforces() -> None:
    profile = PACK.exercise("profile")
    assert profile is not None
    match = re.search(r"no more than (\w+) months later", profile.instructions.get("en"))
    assert match and NUMBER_WORDS[match.group(1)] == profile.profile_limits(
        ).review_within_months


def test_e7_model_profiles_pass_the_review_period_and_the_selection_limit() -> None:
    profile = PACK.exercise("profile")
    assert profile is not None and profile.model_answer is not None
    limits = profile.profile_limits()
    dates = re.findall(r"Activation (\d+ \w+ \d{4}); review (\d+ \w+ \d{4})",
                       profile.model_answer.get("en"))
    assert len(dates) >= 2
    for activation, review in dates:
        start = dt.datetime.strptime(activation, "%d %B %Y").date()
        end = dt.datetime.strptime(review, "%d %B %Y").date()
        assert start < end <= add_months(start, limits.review_within_months)
    rules = [f.rule for f in profile.figures if f.rule is not None]
    assert rules
    for rule in rules:
        share = figures.compute(builtin_table(), "declaration_selection_rate", condition=rule)
        assert 0 < share <= limits.max_declaration_share


# -- the E9 rules (data) are the ones the texts and the case state -------------------------


def test_e9_rules_are_the_figures_the_texts_state() -> None:
    tuning = PACK.exercise("tuning")
    assert tuning is not None
    rules = tuning.plan_rules()
    instructions = tuning.instructions.get("en")
    # The yearly volume is the case's key figure, and the instructions quote it.
    facts = {fact.label.en: fact.value for fact in PACK.case.facts}
    assert facts["Import declarations (2025)"] == rules.yearly_declarations
    assert f"{rules.yearly_declarations:,}" in instructions
    capacity = re.search(r"capacity of (\d+(?:\.\d+)?) million units a year", instructions)
    assert capacity and float(capacity.group(1)) * 1e6 == rules.capacity
    weights = re.search(r"Count (\d+) units per red declaration plus (\d+) per item \((\d+) "
                        r"items per declaration on average\), (\d+) per orange, (\d+) per "
                        r"yellow and (\d+) per blue", instructions)
    assert weights, "the workload units are no longer stated in the instructions"
    red, item, items, orange, yellow, blue = (float(g) for g in weights.groups())
    assert rules.per_declaration == {"red": red, "orange": orange, "yellow": yellow,
                                     "blue": blue, "green": 0.0}
    assert rules.per_item == {"red": item}
    assert rules.items_per_declaration == items
    table = builtin_table()
    sample = figures.compute(table, "items") / figures.compute(table, "declarations")
    assert round(sample) == rules.items_per_declaration  # the practice data agree
    peak = re.search(r"about (\d+)% above the yearly average", " ".join(
        t.get("en") for t in tuning.tips))
    assert peak and int(peak.group(1)) / 100 == rules.peak_above_average


def case_lane_shares() -> dict[str, int]:
    found = dict(re.findall(r"(red|yellow|green|blue) \([^)]*?(\d+)%", case_text()))
    assert set(found) == {"red", "yellow", "green", "blue"}, found
    return {lane: int(share) for lane, share in found.items()}


def test_last_years_lanes_and_random_rate_are_the_cases() -> None:
    """E9's tip and model answer start from last year's distribution, and E8 from
    SELECTA's random rate: the figures the case gives."""
    shares = case_lane_shares()
    assert sum(shares.values()) == 100
    tuning = PACK.exercise("tuning")
    targeting = PACK.exercise("targeting")
    assert tuning is not None and targeting is not None and tuning.model_answer is not None
    tips = " ".join(t.get("en") for t in tuning.tips)
    quoted = dict(re.findall(r"(red|yellow|green|blue) (\d+)%", tips))
    assert {lane: int(v) for lane, v in quoted.items()} == shares
    last_year = tuning.model_answer.get("en").split("Plan for 2026")[0]
    quoted = dict(re.findall(r"- (red|yellow|green|blue) (\d+)%", last_year))
    assert {lane: int(v) for lane, v in quoted.items()} == shares
    facts = {fact.label.en: fact.value for fact in PACK.case.facts}
    assert facts["Physical inspection rate (red lane)"] == shares["red"]
    random = re.search(r"plus (\d+)% random selection", case_text())
    stated = re.search(r"Valdoria uses (\d+)%", targeting.instructions.get("en"))
    assert random and stated and random.group(1) == stated.group(1)


def test_e7_scales_the_sample_to_a_year_as_its_notes_say() -> None:
    """“A profile selecting 200 declarations in the data would send about 8,500 a year”:
    the check's yearly estimate says the same, from the pack's yearly declarations."""
    profile = PACK.exercise("profile")
    assert profile is not None and profile.facilitator_notes is not None
    match = re.search(r"selecting (\d+) declarations in the data would send about "
                      r"([\d,]+) a year", profile.facilitator_notes.get("en"))
    assert match
    limits = profile.profile_limits()
    sample = figures.compute(builtin_table(), "declarations")
    assert yearly_volume(int(match.group(1)), int(sample), limits.yearly_declarations) == \
        int(match.group(2).replace(",", ""))
    tuning = PACK.exercise("tuning")
    assert tuning is not None
    assert limits.yearly_declarations == tuning.plan_rules().yearly_declarations
