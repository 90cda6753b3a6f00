"""E10 monitoring and review KPI plan: KPIs over named variables, and their checks.

A formula is only ever tokenised and parsed here, never evaluated. It is written as
people write it: "H = F ÷ R × 100" names the KPI on the left (that name needs no
definition), and the right side may use numbers, the variables the group defined,
+ - − * × / ÷ ( ), a postfix % ("as a percentage") and Σ ("the sum of") before a term.

A baseline or target is text that carries a number ("4.2% (2025)", "at least 8% by
December 2026", "4.6 days"); a baseline may also be "to be measured".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.i18n import N_
from rmdesk.i18n.formatting import parse_typed_number

MAX_KPIS = 30
MAX_VARIABLES = 40
MAX_TEXT = 2000

# How often a KPI is measured; stored by key, shown translated.
FREQUENCIES: dict[str, str] = {
    "daily": N_("Daily"),
    "weekly": N_("Weekly"),
    "monthly": N_("Monthly"),
    "quarterly": N_("Quarterly"),
    "half_yearly": N_("Every six months"),
    "yearly": N_("Yearly"),
}

KPI_FIELDS: tuple[str, ...] = (
    "name", "formula", "source", "baseline", "target", "frequency", "owner", "trigger",
)
KPI_FIELD_LABELS: dict[str, str] = {
    "name": N_("KPI"),
    "formula": N_("Formula"),
    "source": N_("Data source"),
    "baseline": N_("Baseline"),
    "target": N_("Target"),
    "frequency": N_("Frequency"),
    "owner": N_("Owner"),
    "trigger": N_("Review trigger"),
}

MESSAGES: dict[str, str] = {
    "kpi_plan_empty": N_("The plan has no KPI yet: add the indicators your group will "
                         "monitor."),
    "kpi_missing_name": N_("KPI row {row}: give the KPI a name."),
    "kpi_duplicate_name": N_("The name “{kpi}” is used by {count} KPIs: name each one "
                             "differently."),
    "kpi_missing_formula": N_("KPI “{kpi}”: write the formula that computes it."),
    "kpi_missing_source": N_("KPI “{kpi}”: name the data source."),
    "kpi_missing_baseline": N_("KPI “{kpi}”: give the baseline (today's value)."),
    "kpi_missing_target": N_("KPI “{kpi}”: give the target value."),
    "kpi_missing_frequency": N_("KPI “{kpi}”: choose how often it is measured."),
    "kpi_missing_owner": N_("KPI “{kpi}”: name the owner who reports it."),
    "kpi_missing_trigger": N_("KPI “{kpi}”: say which level triggers a review."),
    "baseline_not_number": N_(
        "KPI “{kpi}”: the baseline “{value}” gives no value: write today's value (for "
        "example 4.2% (2025)), or “to be measured”."),
    "target_not_number": N_(
        "KPI “{kpi}”: the target “{value}” gives no value: write the value to reach, for "
        "example “at least 8% by December 2026”."),
    "target_equals_baseline": N_(
        "KPI “{kpi}”: the target equals the baseline. Is the aim only to hold the level? "
        "If so, say so in the trigger."
    ),
    "formula_bad_character": N_(
        "KPI “{kpi}”: the formula contains “{char}”, which is not allowed. Use variable "
        "names, numbers, + − × ÷ ( ), % and Σ, and at most one = after the KPI's name."
    ),
    "formula_unbalanced": N_("KPI “{kpi}”: the parentheses of the formula do not match."),
    "formula_incomplete": N_(
        "KPI “{kpi}”: the formula is incomplete (an operator is missing a value after "
        "“{near}”)."
    ),
    "formula_missing_operator": N_(
        "KPI “{kpi}”: an operator is missing between “{left}” and “{right}” in the formula."
    ),
    "formula_undefined": N_(
        "KPI “{kpi}”: the formula uses names that are not in the variables list: {names}."
    ),
    "no_variables": N_("Define the variables your formulas use, each with its meaning."),
    "variable_missing_name": N_("Variable row {row}: give the variable a name."),
    "variable_bad_name": N_(
        "The variable name “{name}” cannot be used in a formula: use one word of letters, "
        "digits and _ (for example seizures_total)."
    ),
    "variable_duplicate": N_("The variable “{name}” is defined {count} times."),
    "variable_missing_meaning": N_("Variable “{name}”: say what it means and how it is "
                                   "counted."),
    "variable_unused": N_("The variable “{name}” is not used by any formula."),
    "kpi_plan_ok": N_(
        "All {count} KPIs have a formula over defined variables, a source, a baseline, a "
        "target, a frequency, an owner and a review trigger."
    ),
}

def _text(data: Any, key: str) -> str:
    value = data.get(key, "") if isinstance(data, dict) else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value[:MAX_TEXT] if isinstance(value, str) else ""


@dataclass
class Variable:
    name: str = ""
    meaning: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> Variable:
        return cls(_text(data, "name"), _text(data, "meaning"))

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "meaning": self.meaning}


@dataclass
class Kpi:
    name: str = ""
    formula: str = ""
    source: str = ""
    baseline: str = ""
    target: str = ""
    frequency: str = ""  # a FREQUENCIES key, or "" when not chosen
    owner: str = ""
    trigger: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> Kpi:
        kpi = cls(**{name: _text(data, name) for name in KPI_FIELDS})
        if kpi.frequency not in FREQUENCIES:
            kpi.frequency = ""
        return kpi

    def to_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in KPI_FIELDS}


@dataclass
class KpiPlan:
    kpis: list[Kpi] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Any) -> KpiPlan:
        """Tolerant: anything missing or malformed becomes empty rather than an error."""
        if not isinstance(data, dict):
            return cls()
        kpis = data.get("kpis")
        variables = data.get("variables")
        return cls(
            [Kpi.from_dict(k) for k in (kpis if isinstance(kpis, list) else [])
             if isinstance(k, dict)][:MAX_KPIS],
            [Variable.from_dict(v) for v in (variables if isinstance(variables, list) else [])
             if isinstance(v, dict)][:MAX_VARIABLES],
        )

    def to_dict(self) -> dict[str, Any]:
        return {"kpis": [k.to_dict() for k in self.kpis],
                "variables": [v.to_dict() for v in self.variables]}

    def is_empty(self) -> bool:
        return not any(any(getattr(k, f).strip() for f in KPI_FIELDS) for k in self.kpis) \
            and not any(v.name.strip() or v.meaning.strip() for v in self.variables)


# -- formulas ---------------------------------------------------------------------------
IDENTIFIER = re.compile(r"[^\W\d]\w*")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
OPERATORS = "+-*/()%Σ"
# Signs as people type them -> the parser's operators.
_SIGNS = {"×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "∑": "Σ"}


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "number", "op"
    text: str
    pos: int


@dataclass(frozen=True)
class FormulaProblem:
    code: str  # formula_bad_character | formula_unbalanced | formula_incomplete |
    #            formula_missing_operator
    params: dict[str, str] = field(default_factory=dict)


class _SyntaxProblem(Exception):
    def __init__(self, problem: FormulaProblem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def tokenize(formula: str) -> list[Token]:
    """Identifiers, numbers and operators; raises _SyntaxProblem on anything else."""
    tokens: list[Token] = []
    pos = 0
    formula = "".join(_SIGNS.get(c, c) for c in formula)  # same length: positions hold
    while pos < len(formula):
        char = formula[pos]
        if char.isspace():
            pos += 1
            continue
        if char in OPERATORS:
            tokens.append(Token("op", char, pos))
            pos += 1
            continue
        match = NUMBER.match(formula, pos)
        if match:
            tokens.append(Token("number", match.group(), pos))
            pos = match.end()
            continue
        match = IDENTIFIER.match(formula, pos)
        if match:
            tokens.append(Token("name", match.group(), pos))
            pos = match.end()
            continue
        raise _SyntaxProblem(FormulaProblem("formula_bad_character", {"char": char}))
    return tokens


class _Parser:
    """expr := term (('+'|'-') term)*   term := unary (('*'|'/') unary)*
    unary := ('+'|'-'|'Σ') unary | primary '%'*   primary := number | name | '(' expr ')'"""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def previous_text(self) -> str:
        return self.tokens[self.i - 1].text if self.i > 0 else ""

    def parse(self) -> None:
        self.expr()
        token = self.peek()
        if token is not None:
            if token.text == ")":
                raise _SyntaxProblem(FormulaProblem("formula_unbalanced"))
            raise _SyntaxProblem(FormulaProblem(
                "formula_missing_operator", {"left": self.previous_text(), "right": token.text}))

    def expr(self) -> None:
        self.term()
        while (token := self.peek()) is not None and token.text in "+-":
            self.i += 1
            self.term()

    def term(self) -> None:
        self.unary()
        while (token := self.peek()) is not None and token.text in "*/":
            self.i += 1
            self.unary()

    def unary(self) -> None:
        token = self.peek()
        if token is not None and token.text in "+-Σ":
            self.i += 1
            self.unary()
            return
        self.primary()
        while (token := self.peek()) is not None and token.text == "%":
            self.i += 1

    def primary(self) -> None:
        token = self.peek()
        if token is None:
            raise _SyntaxProblem(FormulaProblem("formula_incomplete",
                                                {"near": self.previous_text()}))
        if token.kind in ("name", "number"):
            self.i += 1
            return
        if token.text == "(":
            self.i += 1
            self.expr()
            closing = self.peek()
            if closing is None or closing.text != ")":
                raise _SyntaxProblem(FormulaProblem("formula_unbalanced"))
            self.i += 1
            return
        if token.text == ")":
            if self.i > 0 and self.tokens[self.i - 1].kind == "op" \
                    and self.tokens[self.i - 1].text != ")":
                raise _SyntaxProblem(FormulaProblem("formula_incomplete",
                                                    {"near": self.previous_text()}))
            raise _SyntaxProblem(FormulaProblem("formula_unbalanced"))
        raise _SyntaxProblem(FormulaProblem("formula_incomplete",
                                            {"near": self.previous_text() or token.text}))


@dataclass(frozen=True)
class FormulaAnalysis:
    names: tuple[str, ...]  # identifiers used on the right side, in order of first use
    problem: FormulaProblem | None = None
    result: str = ""  # the KPI's own name, left of "=" ("H" in "H = F ÷ R × 100")


def analyse_formula(formula: str) -> FormulaAnalysis:
    """Tokenise and parse, never evaluate. The names are returned even when the syntax is
    wrong, so both kinds of mistake can be reported."""
    result = ""
    if "=" in formula:
        left, _sep, right = formula.partition("=")
        if "=" in right or not IDENTIFIER.fullmatch(left.strip()):
            return FormulaAnalysis(tuple(dict.fromkeys(IDENTIFIER.findall(right))),
                                   FormulaProblem("formula_bad_character", {"char": "="}))
        result, formula = left.strip(), right
    analysis = _analyse_expression(formula)
    return FormulaAnalysis(analysis.names, analysis.problem, result)


def _analyse_expression(formula: str) -> FormulaAnalysis:
    try:
        tokens = tokenize(formula)
    except _SyntaxProblem as exc:
        # Still collect the names before the bad character for the undefined-name check.
        names = tuple(dict.fromkeys(IDENTIFIER.findall(formula)))
        return FormulaAnalysis(names, exc.problem)
    names = tuple(dict.fromkeys(t.text for t in tokens if t.kind == "name"))
    if not tokens:
        return FormulaAnalysis(names)
    try:
        _Parser(tokens).parse()
    except _SyntaxProblem as exc:
        return FormulaAnalysis(names, exc.problem)
    return FormulaAnalysis(names)


def valid_variable_name(name: str) -> bool:
    return IDENTIFIER.fullmatch(name.strip()) is not None


# -- numbers ----------------------------------------------------------------------------
def parse_number(text: str, lang: str | None = None) -> Decimal | None:
    """A baseline or target as typed in `lang` (default: the interface language), read
    as every exercise reads numbers (i18n.formatting.parse_typed_number): 12,5 is twelve
    and a half in es, fr and pt_BR, 1,250 is one thousand two hundred and fifty in en and
    1.250 in es; spaces group digits; a % sign is allowed and ignored (8 % and 8 compare
    equal: both are "8 per cent" when the KPI is a rate). None when it is not a number."""
    value = parse_typed_number(text, lang)
    if value is None or not math.isfinite(value):
        return None
    return Decimal(repr(value))  # the shortest text of the float: 12.5, not 12.4999...


# A baseline not known yet, as the instructions let a group write it.
TO_BE_MEASURED: tuple[str, ...] = (
    "to be measured", "not yet measured", "por medir", "a medir", "a ser medido",
    "à mesurer", "a mesurer", "à déterminer",
)
_NUMBER_IN_TEXT = re.compile(r"[+\-−]?\d[\d.,\u00a0\u202f ]*\d|[+\-−]?\d")
_YEAR = re.compile(r"(19|20)\d\d")


def to_be_measured(text: str) -> bool:
    folded = text.strip().casefold()
    return any(folded.startswith(phrase) for phrase in TO_BE_MEASURED)


def number_in_text(text: str, lang: str | None = None) -> Decimal | None:
    """The value a baseline or target states: "4.2% (2025)" -> 4.2, "at least 8% by
    December 2026" -> 8, "4.6 days" -> 4.6. A number with % wins; years never count.
    Numbers are read as written in `lang` (default: the interface language)."""
    whole = parse_number(text, lang)
    if whole is not None:
        return whole
    candidates: list[tuple[bool, Decimal]] = []
    for match in _NUMBER_IN_TEXT.finditer(text):
        raw = match.group().strip().rstrip(".,")
        if _YEAR.fullmatch(raw):
            continue
        value = parse_number(raw, lang)
        if value is None:
            continue
        after = text[match.end():match.end() + 2].lstrip("\u00a0\u202f ")
        candidates.append((after.startswith("%"), value))
    for percent, value in candidates:
        if percent:
            return value
    return candidates[0][1] if candidates else None


# -- checks -----------------------------------------------------------------------------
def kpi_label(kpi: Kpi, row: int) -> str:
    return kpi.name.strip() or f"#{row}"


def check_kpi_plan(plan: KpiPlan, lang: str | None = None) -> list[Finding]:
    """`lang`: the language the baselines and targets are read in (default: the
    interface language)."""
    kpis = [k for k in plan.kpis if any(getattr(k, f).strip() for f in KPI_FIELDS)]
    if not kpis:
        return [Finding("kpi_plan_empty", ERROR)]
    findings: list[Finding] = []

    # Variables first: a formula's names are judged against the valid ones.
    defined: dict[str, str] = {}
    names = Counter(v.name.strip().casefold() for v in plan.variables if v.name.strip())
    reported: set[str] = set()
    for row, variable in enumerate(plan.variables, start=1):
        name = variable.name.strip()
        if not name:
            if variable.meaning.strip():
                findings.append(Finding("variable_missing_name", ERROR, {"row": row}))
            continue
        key = name.casefold()
        if names[key] > 1 and key not in reported:
            reported.add(key)
            findings.append(Finding("variable_duplicate", WARNING,
                                    {"name": name, "count": names[key]}))
        if not valid_variable_name(name):
            findings.append(Finding("variable_bad_name", ERROR, {"name": name}))
            continue
        defined.setdefault(key, name)
        if not variable.meaning.strip():
            findings.append(Finding("variable_missing_meaning", WARNING, {"name": name}))

    kpi_names = Counter(k.name.strip().casefold() for k in kpis if k.name.strip())
    reported = set()
    used: set[str] = set()
    any_formula_names = False
    for row, kpi in enumerate(kpis, start=1):
        label = kpi_label(kpi, row)
        who = {"kpi": label}
        key = kpi.name.strip().casefold()
        if not key:
            findings.append(Finding("kpi_missing_name", ERROR, {"row": row}))
        elif kpi_names[key] > 1 and key not in reported:
            reported.add(key)
            findings.append(Finding("kpi_duplicate_name", WARNING,
                                    {"kpi": label, "count": kpi_names[key]}))
        if not kpi.formula.strip():
            findings.append(Finding("kpi_missing_formula", ERROR, who))
        else:
            analysis = analyse_formula(kpi.formula)
            if analysis.problem is not None:
                findings.append(Finding(analysis.problem.code, ERROR,
                                        {**who, **analysis.problem.params}))
            any_formula_names = any_formula_names or bool(analysis.names)
            undefined = [n for n in analysis.names if n.casefold() not in defined]
            used |= {n.casefold() for n in analysis.names}
            if analysis.result:  # the KPI's own name may be defined too, or not
                used.add(analysis.result.casefold())
            if undefined:
                findings.append(Finding("formula_undefined", ERROR,
                                        {**who, "names": undefined}))
        for name in ("source", "baseline", "target", "frequency", "owner", "trigger"):
            if not getattr(kpi, name).strip():
                severity = WARNING if name in ("owner", "source") else ERROR
                findings.append(Finding(f"kpi_missing_{name}", severity, who))
        measured_later = to_be_measured(kpi.baseline)
        baseline = number_in_text(kpi.baseline, lang) \
            if kpi.baseline.strip() and not measured_later else None
        target = number_in_text(kpi.target, lang) if kpi.target.strip() else None
        if kpi.baseline.strip() and not measured_later and baseline is None:
            findings.append(Finding("baseline_not_number", ERROR,
                                    {**who, "value": kpi.baseline.strip()}))
        if kpi.target.strip() and target is None:
            findings.append(Finding("target_not_number", ERROR,
                                    {**who, "value": kpi.target.strip()}))
        # Equal values are a question only when the target is a bare number: words
        # ("at most 1.1%: no rise while ...") say the aim is to hold the level.
        if baseline is not None and target is not None and baseline == target \
                and parse_number(kpi.target, lang) is not None:
            findings.append(Finding("target_equals_baseline", WARNING, who))

    if not defined and any_formula_names:
        findings.insert(0, Finding("no_variables", ERROR))
    for key, name in defined.items():
        if key not in used:
            findings.append(Finding("variable_unused", WARNING, {"name": name}))
    if not any(f.severity == ERROR for f in findings):
        findings.append(Finding("kpi_plan_ok", GOOD, {"count": len(kpis)}))
    return findings


def render_kpi_finding(finding: Finding, translate: Callable[[str], str],
                       format_percent: Callable[[float], str] | None = None) -> str:
    params = dict(finding.params)
    if "names" in params:
        names = list(params["names"])  # type: ignore[call-overload]
        params["names"] = ", ".join(f"“{n}”" for n in names)
    return translate(MESSAGES[finding.code]).format(**params)
