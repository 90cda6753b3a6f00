"""A data set's own columns, end to end: a file's other columns kept at import (CSV and
XLSX), tested by criteria with every operator that fits their kind, run in E8 with
per-criterion results, named in the group PDF, carried by a workshop kit; and the hostile
cases (too many, huge or clashing names, forged descriptions and arrays)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from tests.spreadsheet_files import write_xlsx

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.criteria import CriteriaError, RuleSet, check_ruleset, render_issue
from rmdesk.domain.declaration_fields import (
    FIELD_BY_NAME,
    MAX_EXTRA_FIELDS,
    MAX_EXTRA_LABEL,
    extra_field,
    is_extra_name,
)
from rmdesk.domain.declarations import DeclarationTable
from rmdesk.domain.profile_logic import operators_for
from rmdesk.domain.selectivity import run_selectivity
from rmdesk.services import settings
from rmdesk.services.datasets import DatasetError, DatasetService
from rmdesk.services.declaration_import import (
    DeclarationImportError,
    import_csv,
    read_csv_header,
    render_problem,
    suggest_mapping,
)
from rmdesk.services.exchange.service import ExchangeService
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.extra_columns import (
    guess_kind,
    guess_kinds,
    other_columns,
    plan_extra_columns,
    sample_rows,
)
from rmdesk.services.reports import gather_group_report, write_group_pdf
from rmdesk.services.roles import hash_pin
from rmdesk.services.settings import SettingsService
from rmdesk.services.targeting import TargetingService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import open_store

HEADERS = ["Declaration number", "HS code", "Office", "Tax rate", "Payment date", "Prepaid",
           "Fraud"]
KINDS = {"Office": "category", "Tax rate": "number", "Payment date": "date",
         "Prepaid": "flag"}
NAMES = {"Office": "x:office", "Tax rate": "x:tax_rate", "Payment date": "x:payment_date",
         "Prepaid": "x:prepaid"}
OFFICES = ["001", "002", "017", "A7 Port", "a7 airport", ""]


def make_rows(count: int, seed: int) -> list[dict[str, object]]:
    """Declarations with one column of each kind, empty cells included (a flag is never
    empty: an empty flag reads as no)."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        rows.append({
            "Declaration number": f"D{i // 2:05d}",
            "HS code": rng.choice(["870323", "640399", "850440"]),
            "Office": rng.choice(OFFICES),
            "Tax rate": rng.choice([None, 0.0, 5.5, 12.0, 20.0, 35.25]),
            "Payment date": rng.choice([None, dt.date(2025, 1, 3), dt.date(2025, 2, 14),
                                        dt.date(2025, 6, 30)]),
            "Prepaid": rng.random() < 0.4,
            "Fraud": rng.random() < 0.2,
        })
    # Every value is there at least once, so every test has something to find.
    rows[0].update({"Office": "001", "Tax rate": 12.0, "Payment date": dt.date(2025, 2, 14)})
    rows[1].update({"Office": "", "Tax rate": None, "Payment date": None})
    return rows


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return str(value)

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([text(row[h]) for h in HEADERS])
    return path


def write_sheet(path: Path, rows: list[dict[str, object]]) -> Path:
    """Typed cells: numbers, dates and booleans as a spreadsheet program saves them."""
    body = [[row[h] if row[h] != "" else None for h in HEADERS] for row in rows]
    write_xlsx(path, {"Extract": [HEADERS, *body]})
    return path


def imported(path: Path, keep: dict[str, str] | None = None) -> DeclarationTable:
    preview = read_csv_header(path)
    mapping = suggest_mapping(preview.headers)
    assert mapping == {"declaration_no": "Declaration number", "hs_code": "HS code",
                       "non_compliant": "Fraud"}
    if keep is None:
        rows, decimal_comma = sample_rows(path)
        keep = guess_kinds(preview.headers, rows, other_columns(preview.headers, mapping),
                           decimal_comma)
    result = import_csv(path, mapping, keep=keep)
    assert result.problems == [] and result.table is not None
    return result.table


# -- what each test should select, worked out from the file's values ---------------------

def reference(op: str, value: object, cell: object, kind: str) -> bool:
    empty = cell is None or cell == ""
    if op == "is_empty":
        return empty
    if kind == "flag":
        return bool(cell) == (op == "is_true")
    if empty:
        return False
    if kind == "category":
        text = str(cell).casefold()
        values = [str(v).casefold() for v in (value if isinstance(value, list) else [value])]
        return {
            "eq": text in values, "ne": text not in values, "in": text in values,
            "not_in": text not in values, "in_watch_list": text in values,
            "contains": any(v in text for v in values),
            "contains_any": any(v in text for v in values),
            "starts_with": any(text.startswith(v) for v in values),
            "starts_with_any": any(text.startswith(v) for v in values),
        }[op]
    if kind == "date":
        value = [dt.date.fromisoformat(v) for v in value] if isinstance(value, list) \
            else dt.date.fromisoformat(str(value))
    if op == "between":
        return value[0] <= cell <= value[1]
    return {"eq": cell == value, "ne": cell != value, "gt": cell > value,
            "gte": cell >= value, "lt": cell < value, "lte": cell <= value}[op]


ARGUMENTS = {  # op -> condition arguments per kind
    "category": {"eq": "001", "ne": "001", "in": ["001", "A7 PORT"],
                 "not_in": ["001", "017"], "contains": "a7", "starts_with": "0",
                 "contains_any": ["port", "17"], "starts_with_any": ["a7", "00"],
                 "in_watch_list": "OFFICES", "is_empty": None},
    "number": {"eq": 12, "ne": 12, "gt": 5.5, "gte": 5.5, "lt": 12, "lte": 12,
               "between": [5.5, 20], "is_empty": None},
    "date": {"eq": "2025-02-14", "ne": "2025-02-14", "gt": "2025-01-03",
             "gte": "2025-02-14", "lt": "2025-02-14", "lte": "2025-02-14",
             "between": ["2025-01-01", "2025-03-01"], "is_empty": None},
    "flag": {"is_true": None, "is_false": None},
}
WATCH = {"OFFICES": ["017", "a7 airport"]}


def criterion(field: str, op: str, argument: object, lane: str = "red") -> dict:
    condition: dict[str, object] = {"op": op, "field": field}
    if op == "between":
        condition["min"], condition["max"] = argument  # type: ignore[misc]
    elif argument is not None:
        condition["value"] = argument
    return {"name": f"{field} {op}", "lane": lane, "condition": condition}


def every_test(table: DeclarationTable) -> tuple[RuleSet, list[tuple[str, str, object]]]:
    """A rule set with one criterion per (own column, operator that fits its kind)."""
    fields = table.fields()
    tests = []
    for header, name in NAMES.items():
        kind = KINDS[header]
        ops = operators_for(name, fields)
        assert set(ops) == set(ARGUMENTS[kind]), (name, ops)  # every operator of its kind
        tests += [(header, op, ARGUMENTS[kind][op]) for op in ops]
    ruleset = RuleSet.model_validate({
        "criteria": [criterion(NAMES[h], op, arg) for h, op, arg in tests],
        "watch_lists": WATCH})
    return ruleset, tests


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_every_operator_on_every_kind_of_own_column(tmp_path: Path, form: str) -> None:
    rows = make_rows(400, seed=len(form))
    writer = write_csv if form == "csv" else write_sheet
    table = imported(writer(tmp_path / f"extract.{form}", rows))
    assert [(s.name, s.kind, s.label) for s in table.extra] == [
        (NAMES[h], KINDS[h], h) for h in KINDS]  # kinds guessed from the values
    ruleset, tests = every_test(table)
    assert check_ruleset(ruleset, table.fields()) == []
    result = run_selectivity(table, ruleset).result
    for index, (header, op, argument) in enumerate(tests):
        if op == "in_watch_list":
            argument = WATCH["OFFICES"]
        expected = [reference(op, argument, row[header], KINDS[header]) for row in rows]
        assert result.hits[index].tolist() == expected, (header, op)
        assert any(expected), (header, op)  # each test finds something


def test_a_kind_changed_in_the_mapping_step_reads_the_column_so(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "extract.csv", make_rows(50, seed=4))
    table = imported(path, keep={"Tax rate": "category", "Prepaid": "category"})
    assert [(s.name, s.kind) for s in table.extra] == [("x:tax_rate", "category"),
                                                         ("x:prepaid", "category")]
    assert set(table.columns["x:prepaid"].values) == {"yes", "no"}
    # A column read as a number whose values are not: every bad cell named, nothing kept.
    result = import_csv(path, suggest_mapping(read_csv_header(path).headers),
                        keep={"Office": "number"})
    assert result.table is None and result.problems
    assert all(p.column == "Office" for p in result.problems)
    assert "“A7 Port” is not a number" in " ".join(render_problem(p, str)
                                                   for p in result.problems)


def test_kinds_are_guessed_from_the_values() -> None:
    assert guess_kind(["1", "2,5", ""], decimal_comma=True) == "number"
    assert guess_kind(["0012", "0013"]) == "category"  # codes keep their zeros
    assert guess_kind(["sí", "no", "Oui"]) == "flag"
    assert guess_kind(["1", "0"]) == "number"
    assert guess_kind(["2025-03-14", "14/03/2025"]) == "date"
    assert guess_kind(["", "  "]) == "category"
    assert guess_kind(["A", "12"]) == "category"


# -- E8 and per-criterion results, the PDF, the kit ---------------------------------------

def test_own_columns_from_import_to_run_pdf_and_kit(tmp_path: Path) -> None:
    rows = make_rows(300, seed=9)
    path = write_csv(tmp_path / "extract.csv", rows)
    facilitator = open_store(tmp_path / "facilitator")
    workshops = WorkshopService(facilitator)
    workshop = workshops.create_workshop(WorkshopInput(
        "Regional", "", dt.date(2026, 3, 9), dt.date(2026, 3, 13), ("en", "fr")))
    group = workshops.add_group(workshop.id, "Alpha")
    datasets = DatasetService.for_store(facilitator)
    info = datasets.save_dataset(imported(path), "Port extract", str(path))
    assert [(s.name, s.kind, s.label) for s in datasets.info(info.id).extra] == [
        (NAMES[h], KINDS[h], h) for h in KINDS]
    pack = builtin_pack()
    work = ExerciseWorkService(facilitator)
    work.save(group.id, pack.exercise("targeting").id, {"dataset": info.id})

    targeting = TargetingService(facilitator)
    profiles = [
        ("High tax, unpaid", "red", {"op": "and", "items": [
            {"op": "gte", "field": "x:tax_rate", "value": 20},
            {"op": "is_false", "field": "x:prepaid"}]}),
        ("Port office", "yellow", {"op": "or", "items": [
            {"op": "starts_with", "field": "x:office", "value": "a7"},
            {"op": "between", "field": "x:payment_date", "min": "2025-06-01",
             "max": "2025-06-30"}]}),
    ]
    for title, lane, condition in profiles:  # saved as checked, not as drafts
        targeting.save_profile(group.id, criteria={"criteria": [
            {"name": title, "lane": lane, "condition": condition}]}, title=title, lane=lane)
    table = datasets.load_dataset(info.id)
    _run_id, outcome = targeting.run(group.id, table=table, dataset=info.id)
    # E9 weighs that run's workload: it too names the data set the run was on.
    work.save(group.id, pack.exercise("tuning").id, {"capacity": 50000})
    high = [r["Tax rate"] is not None and r["Tax rate"] >= 20 and not r["Prepaid"]
            for r in rows]
    port = [str(r["Office"]).casefold().startswith("a7") or (
        r["Payment date"] is not None and dt.date(2025, 6, 1) <= r["Payment date"]
        <= dt.date(2025, 6, 30)) for r in rows]
    stats = {c.name: c for c in outcome.metrics.criteria}
    assert stats["High tax, unpaid"].hits == sum(high) > 0
    assert stats["Port office"].hits == sum(port) > 0
    assert stats["High tax, unpaid"].finds == sum(h and r["Fraud"] for h, r in zip(
        high, rows, strict=True))

    report = gather_group_report(facilitator, workshop.id, group.id, pack)
    for lang, words in (("en", ("Tax rate is at least 20", "Prepaid is no",
                                "Office starts with a7", "Payment date is between")),
                        ("fr", ("Tax rate", "Prepaid", "Office", "Payment date"))):
        out = write_group_pdf(report, lang, tmp_path / f"group-{lang}.pdf")
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
        for word in words:
            assert word in text, (lang, word)
        assert "x:" not in text  # never the internal names
        assert "High tax, unpaid" in text and "cannot run" not in text
        # the feedback's counts are on the data set, by its name, not on "the sample"
        assert report.profile_dataset == "Port extract"
        assert text.count("Port extract") >= 3 and "sample declarations" not in text
        assert ("Last E8 run, on the 150 declarations of “Port extract”" in text) == (
            lang == "en")

    # The kit carries the data set with its own columns; the profiles run the same there.
    SettingsService(facilitator).set(settings.FACILITATOR_PIN, hash_pin("2468", n=2**10))
    kit = tmp_path / "kit.rmdesk"
    ExchangeService(facilitator).export_kit(workshop.id, kit)
    laptop = open_store(tmp_path / "laptop")
    assert not ExchangeService(laptop).import_file(kit).refused
    there = DatasetService.for_store(laptop)
    assert there.info(info.id).extra == datasets.info(info.id).extra
    copy = there.load_dataset(info.id)
    assert copy.columns["x:office"].decode() == table.columns["x:office"].decode()
    for name in ("x:tax_rate", "x:payment_date", "x:prepaid"):
        assert np.array_equal(copy.columns[name], table.columns[name],
                              equal_nan=name != "x:prepaid"), name
    ruleset = targeting.prepare_run(group.id)
    again = run_selectivity(copy, ruleset).result
    assert np.array_equal(again.hits, outcome.result.hits)
    facilitator.close()
    laptop.close()


def test_a_profile_on_a_column_the_data_lacks_says_so(tmp_path: Path) -> None:
    rows = make_rows(40, seed=2)
    table = imported(write_csv(tmp_path / "extract.csv", rows))
    plain = imported(write_csv(tmp_path / "plain.csv", rows), keep={})
    assert plain.extra == ()
    ruleset = RuleSet.model_validate({"criteria": [
        criterion("x:tax_rate", "gt", 5), criterion("origin", "eq", "CN", "yellow")]})
    assert check_ruleset(ruleset) == []  # no data set at hand: the form is right
    with pytest.raises(CriteriaError) as caught:
        run_selectivity(plain, ruleset)
    sentences = [render_issue(i, str) for i in caught.value.issues]
    assert sentences == ["The data set has no tax_rate column.",
                         "The data set has no Country of origin column."]
    # Of another kind in this data set: named by its header, with the test that does not fit.
    wrong = RuleSet.model_validate({"criteria": [criterion("x:office", "gt", 5)]})
    issues = check_ruleset(wrong, table.fields())
    assert [render_issue(i, str) for i in issues] == [
        "“is greater than” cannot be used on Office."]
    # An own column's value is checked against its kind.
    typed = RuleSet.model_validate({"criteria": [criterion("x:payment_date", "eq", "soon")]})
    assert [render_issue(i, str) for i in check_ruleset(typed, table.fields())] == [
        "Payment date: the value must be a date written YYYY-MM-DD."]
    # A name that is not an own column's form is simply unknown.
    bad = RuleSet.model_validate({"criteria": [criterion("x:Tax rate", "gt", 5)]})
    assert [i.code for i in check_ruleset(bad, table.fields())] == ["unknown_field"]


# -- hostile files and descriptions -------------------------------------------------------

def test_too_many_huge_and_clashing_column_names(tmp_path: Path) -> None:
    huge = "Tax " + "é" * 5000
    headers = ["Declaration number", "HS code", "hs_code", "x:hs code", huge, "Tax-rate",
               "tax rate", "‮evil", *[f"Extra {i}" for i in range(MAX_EXTRA_FIELDS)]]
    path = tmp_path / "wide.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerow(["D1", "870323", *["v"] * (len(headers) - 2)])
    mapping = {"declaration_no": "Declaration number", "hs_code": "HS code"}
    others = other_columns(headers, mapping)
    assert len(others) == len(headers) - 2
    with pytest.raises(DeclarationImportError) as caught:
        import_csv(path, mapping, keep=dict.fromkeys(others, "category"))
    assert caught.value.code == "too_many_extra_columns"
    with pytest.raises(DeclarationImportError) as caught:
        plan_extra_columns({"HS code": "category"}, headers, mapping)
    assert caught.value.code == "extra_column_mapped"
    with pytest.raises(DeclarationImportError) as caught:
        plan_extra_columns({"Nope": "category"}, headers, mapping)
    assert caught.value.code == "unknown_extra_column"
    with pytest.raises(DeclarationImportError) as caught:
        plan_extra_columns({"hs_code": "object"}, headers, mapping)
    assert caught.value.code == "unknown_extra_kind"

    keep = dict.fromkeys(headers[2:8], "category")
    table = import_csv(path, mapping, keep=keep).table
    assert table is not None
    names = [s.name for s in table.extra]
    assert names == ["x:hs_code", "x:x_hs_code", f"x:tax_{'e' * 33}", "x:tax_rate",
                     "x:tax_rate_2", "x:evil"]
    assert all(is_extra_name(n) and n not in FIELD_BY_NAME for n in names)
    assert all(len(s.label) <= MAX_EXTRA_LABEL for s in table.extra)
    assert table.extra[5].label == "evil"  # the bidi override is gone from the label
    assert table.columns["hs_code"].values == ("870323",)  # the built-in field untouched
    # and the data set keeps them all, readable back
    service = DatasetService(tmp_path / "data")
    info = service.save_dataset(table, "wide")
    assert service.load_dataset(info.id).extra == table.extra


def forged(tmp_path: Path, change_json=None, change_arrays=None) -> DatasetService:
    """A saved data set with own columns, then its description or arrays changed."""
    service = DatasetService(tmp_path / "data")
    table = imported(write_csv(tmp_path / "extract.csv", make_rows(20, seed=1)))
    info = service.save_dataset(table, "forged")
    meta = service.folder / f"{info.id}.json"
    npz = service.folder / f"{info.id}.npz"
    if change_json is not None:
        data = json.loads(meta.read_text(encoding="utf-8"))
        change_json(data)
        meta.write_text(json.dumps(data), encoding="utf-8")
    if change_arrays is not None:
        with np.load(npz) as archive:
            arrays = {k: archive[k] for k in archive.files}
        change_arrays(arrays)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        npz.write_bytes(buffer.getvalue())
    return service


def _set(key: int, field: str, value: object):
    return lambda data: data["extra"][key].__setitem__(field, value)


@pytest.mark.parametrize("change", [
    _set(0, "name", "../../etc/passwd"),
    _set(0, "name", "hs_code"),
    _set(0, "name", "x:Tax Rate"),
    _set(0, "name", "x:" + "a" * 200),
    _set(0, "kind", "integer"),
    _set(0, "kind", {"$": 1}),
    _set(0, "label", ""),
    _set(0, "label", "x" * 500),
    _set(0, "label", "Tax\nrate"),
    _set(0, "label", "evil\u202e"),
    _set(1, "name", "x:office"),  # two columns of one name
    lambda data: data["extra"][0].update(extra="field"),
    lambda data: data.update(extra={"x:office": "category"}),
    lambda data: data.update(extra=[{"name": f"x:c{i}", "kind": "flag", "label": f"C{i}"}
                                    for i in range(MAX_EXTRA_FIELDS + 1)]),
])
def test_a_forged_description_of_own_columns_is_refused(tmp_path: Path, change) -> None:
    service = forged(tmp_path, change_json=change)
    assert service.list_datasets()[1:] == []
    assert [e.params["detail"] for e in service.problems] == ["bad_metadata"]


@pytest.mark.parametrize("change, detail", [
    (lambda a: a.pop("a:x:tax_rate"), "missing_column"),
    (lambda a: a.__setitem__("a:x:secret", np.zeros(20)), "extra_column"),
    (lambda a: a.__setitem__("a:x:tax_rate", np.zeros(20, dtype=np.int64)), "wrong_type"),
    (lambda a: a.__setitem__("a:x:prepaid", np.zeros(3, dtype=bool)), "wrong_length"),
    (lambda a: a.__setitem__("c:x:office", np.full(20, 99, dtype=np.int32)), "bad_codes"),
    (lambda a: a.__setitem__("a:x:prepaid", np.array(["x"] * 20, dtype=object)),
     "wrong_type"),
])
def test_forged_arrays_of_own_columns_are_refused(tmp_path: Path, change, detail) -> None:
    service = forged(tmp_path, change_arrays=change)
    dataset_id = service.list_datasets()[1].id
    with pytest.raises(DatasetError) as caught:
        service.load_dataset(dataset_id)
    assert caught.value.params["detail"] == detail


def test_a_kit_whose_own_column_label_hides_characters_is_refused(tmp_path: Path) -> None:
    """A kit's data set is read as the data set manager reads it: an own column whose
    label hides a direction override does not travel."""
    from rmdesk.errors import RmdeskError
    from rmdesk.services.exchange import archive

    service = DatasetService(tmp_path / "data")
    table = imported(write_csv(tmp_path / "extract.csv", make_rows(10, seed=3)))
    info = service.save_dataset(table, "kit")
    meta = json.loads((service.folder / f"{info.id}.json").read_text(encoding="utf-8"))
    npz = (service.folder / f"{info.id}.npz").read_bytes()
    for label, refused in (("Office", False), ("Off\u202eice", True)):
        meta["extra"][0]["label"] = label
        bundle = archive.Bundle(name="kit.rmdesk", manifest=None, files={  # type: ignore[arg-type]
            f"datasets/{info.id}.json": json.dumps(meta).encode("utf-8"),
            f"datasets/{info.id}.npz": npz})
        if refused:
            with pytest.raises(RmdeskError) as caught:
                archive._check_datasets(bundle)
            assert caught.value.code == "exchange_invalid_dataset"
        else:
            archive._check_datasets(bundle)


def test_extra_field_specs_are_checked() -> None:
    assert extra_field("x:office", "category", "Office").extra
    for name, kind, label in (("office", "category", "Office"),
                              ("x:office", "integer", "Office"),
                              ("x:office", "flag", " Office"),
                              ("x:office", "flag", "")):
        with pytest.raises(ValueError):
            extra_field(name, kind, label)
    with pytest.raises(ValueError):
        DeclarationTable({"x:office": np.zeros(2)}, extra=())  # undeclared
    with pytest.raises(ValueError):
        DeclarationTable({}, extra=(extra_field("x:office", "number", "Office"),))


def test_an_own_column_header_is_printed_as_text_never_as_markup(tmp_path: Path) -> None:
    from tests.pdf_text import make_report, pdf_text

    header = "Rate <b>x</b> & <img src='/etc/hosts'/>"
    rows = make_rows(30, seed=6)
    path = tmp_path / "markup.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Declaration number", "HS code", header])
        for row in rows:
            writer.writerow([row["Declaration number"], row["HS code"], row["Tax rate"] or ""])
    table = import_csv(path, {"declaration_no": "Declaration number", "hs_code": "HS code"},
                       keep={header: "number"}).table
    assert table is not None
    (spec,) = table.extra
    assert spec.label == header and spec.name == "x:rate_b_x_b_img_src_etc_hosts"
    report = make_report()
    report.profiles = [{"title": "Markup", "area": "revenue", "lane": "red", "criteria": {
        "criteria": [{"name": "Markup", "lane": "red", "condition": {
            "op": "gt", "field": spec.name, "value": 10}}]}}]
    report.extra_fields = {spec.name: spec}
    report.profile_data = lambda: table
    text = pdf_text(write_group_pdf(report, "en", tmp_path / "markup.pdf"))
    assert f"{header} is greater than 10" in text


def test_a_disabled_criterion_on_a_missing_column_does_not_stop_a_run(tmp_path: Path) -> None:
    plain = imported(write_csv(tmp_path / "plain.csv", make_rows(20, seed=8)), keep={})
    ruleset = RuleSet.model_validate({"criteria": [
        {**criterion("x:tax_rate", "gt", 5), "enabled": False},
        {**criterion("freight", "gt", 5, "yellow"), "enabled": False},
        criterion("hs_code", "starts_with", "87", "blue")]})
    result = run_selectivity(plain, ruleset).result
    assert result.hits[:2].sum() == 0
    assert result.hits[2].tolist() == [str(c).startswith("87")
                                       for c in plain.columns["hs_code"].decode()]
