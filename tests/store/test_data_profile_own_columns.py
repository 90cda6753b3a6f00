"""A data set's own columns (kept at import: text, number, date, flag) in its profile,
on screen and in print: each under its header, with figures recomputed here from the
rows written to the file, in every language."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from rmdesk.domain.data_profile import TOP_VALUES, DataProfile, value_rows
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.services.data_profile import dataset_profile, write_data_profile_pdf
from rmdesk.services.datasets import DatasetService
from rmdesk.services.declaration_import import import_csv, suggest_mapping

ROWS = 700
OWN = {"Bureau de dédouanement": "category", "Tax rate": "number", "Paid on": "date",
       "Prepaid": "flag"}
OFFICES = [f"OF{i:02d}" for i in range(16)]  # more than TOP_VALUES: some summed up


def rows(seed: int = 7) -> list[dict[str, object]]:
    """The declarations written to the file, as values (None: an empty cell)."""
    rng = random.Random(seed)
    out = []
    for i in range(ROWS):
        office = rng.choice(OFFICES[: 4 + i % 13]) if rng.random() > 0.05 else None
        rate = round(rng.uniform(0, 40), 1) if rng.random() > 0.1 else None
        paid = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300)) \
            if rng.random() > 0.08 else None
        bad = rng.random() < (0.4 if office in ("OF01", "OF02") else 0.1)
        out.append({"no": f"D{i:05d}", "office": office, "rate": rate, "paid": paid,
                    "prepaid": rng.random() < 0.3, "bad": bad})
    return out


def own_columns_dataset(folder: Path) -> tuple[DatasetService, str, list[dict[str, object]]]:
    """A data set imported with one own column of every kind: its service, id and rows."""
    values = rows()
    lines = ["Declaration number,HS code,Non-compliant," + ",".join(OWN)]
    for r in values:
        lines.append(",".join([
            str(r["no"]), "640411", "yes" if r["bad"] else "no", str(r["office"] or ""),
            "" if r["rate"] is None else str(r["rate"]),
            "" if r["paid"] is None else r["paid"].isoformat(),  # type: ignore[union-attr]
            "yes" if r["prepaid"] else "no"]))
    path = folder / "extract.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    header = lines[0].split(",")
    result = import_csv(path, suggest_mapping(header), keep=dict(OWN))
    assert result.table is not None, result.problems
    service = DatasetService(folder / "data")
    return service, service.save_dataset(result.table, "Port Kestria", str(path)).id, values


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[DatasetService, str,
                                                             list[dict[str, object]]]:
    return own_columns_dataset(tmp_path_factory.mktemp("own"))


def own(profile: DataProfile, header: str):  # noqa: ANN201
    name = next(spec.name for spec in profile.extra if spec.label == header)
    field = profile.field(name)
    assert field is not None, f"{header} is not profiled"
    return field


def test_every_own_column_is_profiled_under_its_header(data) -> None:  # noqa: ANN001
    service, dataset_id, _values = data
    profile = dataset_profile(service, dataset_id)
    assert [profile.label(spec.name, str) for spec in profile.extra] == list(OWN)
    assert [own(profile, h).kind for h in OWN] == list(OWN.values())
    assert [f.field for f in profile.fields][-4:] == [s.name for s in profile.extra]


def test_a_text_column_gives_its_top_values_and_their_rates(data) -> None:  # noqa: ANN001
    service, dataset_id, values = data
    field = own(dataset_profile(service, dataset_id), "Bureau de dédouanement")
    items = Counter(r["office"] for r in values if r["office"] is not None)
    bad = Counter(r["office"] for r in values if r["office"] is not None and r["bad"])
    ranked = sorted(items, key=lambda v: (-items[v], v))
    assert [(v.value, v.items, v.non_compliant) for v in field.values] == [
        (v, items[v], bad[v]) for v in ranked[:TOP_VALUES]]
    rest = ranked[TOP_VALUES:]
    assert field.others is not None
    assert (field.others.items, field.others.non_compliant) == (
        sum(items[v] for v in rest), sum(bad[v] for v in rest))
    assert field.missing == sum(r["office"] is None for r in values)
    assert field.distinct == len(items)


def inverted_cdf(numbers: list[float], q: float) -> float:
    """The smallest value with at least a share q of the values at or below it."""
    ordered = sorted(numbers)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def test_a_number_column_gives_its_quantiles_and_bands(data) -> None:  # noqa: ANN001
    service, dataset_id, values = data
    field = own(dataset_profile(service, dataset_id), "Tax rate")
    present = [r for r in values if r["rate"] is not None]
    numbers = [float(r["rate"]) for r in present]  # type: ignore[arg-type]
    assert field.missing == ROWS - len(present)
    assert field.mean == pytest.approx(sum(numbers) / len(numbers))
    for q, value in field.quantiles:
        assert value == pytest.approx(inverted_cdf(numbers, q)), q
    # the bands: min..p25, p25..median, median..p75, p75..max (closed)
    edges = sorted({inverted_cdf(numbers, q) for q in (0, 0.25, 0.5, 0.75)})
    top = max(numbers)
    expected = []
    for i, low in enumerate(edges):
        last = i + 1 == len(edges)
        high = top if last else edges[i + 1]
        inside = [r for r in present if low <= r["rate"] and  # type: ignore[operator]
                  (r["rate"] <= high if last else r["rate"] < high)]  # type: ignore[operator]
        expected.append(((low, high, last), len(inside), sum(bool(r["bad"]) for r in inside)))
    assert [(v.value, v.items, v.non_compliant) for v in field.values] == expected


def test_a_date_column_gives_its_range_and_months(data) -> None:  # noqa: ANN001
    service, dataset_id, values = data
    field = own(dataset_profile(service, dataset_id), "Paid on")
    dates = [r["paid"] for r in values if r["paid"] is not None]
    assert (field.first, field.last) == (min(dates), max(dates))  # type: ignore[type-var]
    months = Counter(d.replace(day=1) for d in dates)  # type: ignore[union-attr]
    bad = Counter(r["paid"].replace(day=1) for r in values  # type: ignore[union-attr]
                  if r["paid"] is not None and r["bad"])
    assert [(v.value, v.items, v.non_compliant) for v in field.values] == [
        (m, months[m], bad[m]) for m in sorted(months)]
    assert field.missing == ROWS - len(dates)


def test_a_flag_column_gives_yes_and_no(data) -> None:  # noqa: ANN001
    service, dataset_id, values = data
    field = own(dataset_profile(service, dataset_id), "Prepaid")
    for flag in (True, False):
        chosen = [r for r in values if r["prepaid"] is flag]
        count = next(v for v in field.values if v.value is flag)
        assert (count.items, count.non_compliant) == (
            len(chosen), sum(bool(r["bad"]) for r in chosen))


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_print_has_every_own_column_with_its_figures(data, tmp_path: Path,  # noqa: ANN001
                                                         lang: str) -> None:
    service, dataset_id, values = data
    out = write_data_profile_pdf(service, dataset_id, "Port Kestria", lang,
                                 tmp_path / "profile.pdf")
    text = flat(" ".join(page.extract_text() for page in PdfReader(out).pages))
    _ = gettext_for(lang)
    profile = dataset_profile(service, dataset_id)
    for header in OWN:
        assert header in text, header
    # the busiest office, its items and its rate as counted here, formatted for `lang`
    items = Counter(r["office"] for r in values if r["office"] is not None)
    office = min(items, key=lambda v: (-items[v], v))
    bad = sum(bool(r["bad"]) for r in values if r["office"] == office)
    assert f"{office} {flat(format_number(items[office], lang))} " in text
    assert flat(format_percent(bad / items[office], lang, digits=1)) in text
    numbers = [float(r["rate"]) for r in values if r["rate"] is not None]  # type: ignore[arg-type]
    median = f"{_('Median')} {flat(format_number(inverted_cdf(numbers, 0.5), lang))}"
    assert median in text
    prepaid = sum(bool(r["prepaid"]) for r in values)
    assert f"{_('Yes')} {flat(format_number(prepaid, lang))} " in text
    # what the screen shows is what the print shows, row for row
    for header in OWN:
        for cells in value_rows(own(profile, header), _, lang):
            assert flat(" ".join(cells)) in text, (header, cells)
