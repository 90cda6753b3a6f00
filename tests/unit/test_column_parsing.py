"""The column-wise import parses a batch of cells exactly as it parses each cell alone:
the same values, the same bad cells with the same reasons, whatever the mix of plain,
odd, empty and bad cells, for every field of the declarations table."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.domain.declaration_fields import FIELDS
from rmdesk.domain.declarations import CategoryColumn
from rmdesk.services.declaration_import import (
    ColumnParser,
    _Bad,
    _ItemNumbers,
    _number_items,
)
from rmdesk.services.spreadsheets import cell_text

CELLS = st.one_of(
    st.sampled_from(["", " ", "1", "-3", "2.5", "007", "1,5", "1.234", "1,234", "1.234,5", "-0.5",
                     "1 000", "1e3", "inf", "nan", "-0", "99999999999999999999",
                     "2025-03-14", "14/03/2025", "2025-13-01", "yes", "No", "Sí", "x",
                     "870323", "8703.23.10", "8703", "cn", "JP", "ßß", "Sea", "avion",
                     "a  b", " c ", "150", "0.5", "1" * 400]),
    st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,3})?", fullmatch=True),
    st.text(alphabet="ab 1.,-", max_size=6),
)
# Batches of plain numbers (and empty cells) take the all-at-once path.
PLAIN = st.one_of(st.just(""), st.from_regex(r"-?[0-9]{1,4}([.,][0-9]{1,3})?", fullmatch=True))


def expected(parser: ColumnParser, text: str, decimal_comma: bool) -> object:
    try:
        return parser.parse_cell(text, decimal_comma)
    except _Bad as bad:
        return (bad.code, bad.value)


@settings(max_examples=100, deadline=None)
@given(texts=st.one_of(st.lists(CELLS, max_size=40), st.lists(PLAIN, max_size=40)),
       decimal_comma=st.booleans())
def test_a_batch_parses_as_its_cells_do(texts: list[str], decimal_comma: bool) -> None:
    for spec in FIELDS:
        parser = ColumnParser.for_field(spec.name)
        reference = ColumnParser.for_field(spec.name)
        batch = parser.parse(texts, decimal_comma)
        bad = {index: (code, value) for index, code, value in batch.bad}
        assert [i for i, _, _ in batch.bad] == sorted(bad)
        parser.append(batch.values[[i for i in range(len(texts)) if i not in bad]])
        column = parser.build()
        kept = [expected(reference, t, decimal_comma) for i, t in enumerate(texts)
                if i not in bad]
        for index, text in enumerate(texts):
            want = expected(reference, text, decimal_comma)
            if index in bad:
                assert bad[index] == want, (spec.name, text)
            else:
                assert not isinstance(want, tuple), (spec.name, text, want)
        values = column.decode() if hasattr(column, "decode") else column.tolist()
        for got, want in zip(values, kept, strict=True):
            if spec.kind == "number":
                assert got == want or (want is None and math.isnan(got)), spec.name
            elif spec.kind == "integer":
                assert got == (-1 if want is None else int(want)), spec.name
            else:  # dates come back as dates (None when empty), codes as their text
                assert got == want, (spec.name, got, want)


@settings(max_examples=200, deadline=None)
@given(codes=st.lists(st.integers(0, 30), min_size=1, max_size=300),
       cuts=st.lists(st.integers(0, 300), max_size=8))
def test_items_numbered_batch_by_batch_as_on_the_whole_file(codes: list[int],
                                                             cuts: list[int]) -> None:
    """Item numbers counted as batches of rows arrive (any cut) are those of the whole
    column: 1, 2, 3... within each declaration, in the order of the file."""
    items = _ItemNumbers()
    bounds = [0, *sorted(c for c in cuts if c < len(codes)), len(codes)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        items.add(np.array(codes[start:end], dtype=np.int64))
    seen: dict[int, int] = {}
    expected_numbers = [seen.__setitem__(c, seen.get(c, 0) + 1) or seen[c] for c in codes]
    assert items.numbers.take().tolist() == expected_numbers
    whole = _number_items(CategoryColumn(np.array(codes, dtype=np.int32),
                                         tuple(str(i) for i in range(31))))
    assert whole.tolist() == expected_numbers


@settings(max_examples=100, deadline=None)
@given(cells=st.lists(st.one_of(
    st.dates(min_value=date(1850, 1, 1), max_value=date(2150, 12, 31)),
    st.datetimes(min_value=datetime(1850, 1, 1), max_value=datetime(2150, 12, 31))),
    min_size=1, max_size=30))
def test_a_sheets_date_cells_parse_as_their_text(cells: list[date]) -> None:
    """Date cells of a spreadsheet (with or without a time of day) give the days and the
    bad cells (years outside 1900-2100) that their ISO text gives."""
    for name in ("date", "x:when"):
        parser = ColumnParser("date") if name.startswith("x:") else ColumnParser.for_field(name)
        reference = ColumnParser("date") if name.startswith("x:") else \
            ColumnParser.for_field(name)
        got = parser.parse(cells, False)
        want = reference.parse([cell_text(cell) for cell in cells], False)
        assert got.values.tolist() == want.values.tolist()
        assert got.bad == want.bad
