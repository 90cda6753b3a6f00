"""The CSV reader's quick way (lines split with str.split when they hold no quotation
mark) gives exactly what the csv module gives: the same records, line numbers, blank
rows left out, rows of another width, over-long fields, too many rows and malformed
records, wherever a batch happens to start or end (inside a quoted field spanning lines,
between the CR and LF of a line end...)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmdesk.services import declaration_import as di

# Pieces of a file: cells, delimiters, every line end, quotes (balanced or not), blanks.
PIECES = st.sampled_from(["a", "b1", "1.5", "é", ",", ",", ",", ";", "\t", " ", "\n", "\n",
                          "\r\n", "\r", '"', '"q,\nr"', '""', "x\"y", "  ", "\n\n"])


def _outcome(path: Path, batches) -> list[object]:  # noqa: ANN001 - a generator factory
    """Rows as (line, cells) or (line, "wrong", fields found); or the error, alone (an
    error stops the import whole, whichever batch it came in)."""
    out: list[object] = []
    try:
        for batch in batches:
            rows = list(zip(*batch.columns, strict=True)) if batch.columns else \
                [()] * len(batch.lines)
            for index, (line, cells) in enumerate(zip(batch.lines, rows, strict=True)):
                if index in batch.wrong:
                    out.append((line, "wrong", batch.wrong[index]))
                else:
                    out.append((line, tuple(cells)))
    except di.DeclarationImportError as error:
        return [(error.code, error.params)]
    return out


def _reader(path: Path) -> di._Reader:
    reader = di._Reader(path, di._open(path))
    first = reader.header()
    assert first is not None
    reader.width = len(first[1])
    return reader


def _quick(path: Path, count: int):  # noqa: ANN202
    reader = _reader(path)
    try:
        while (batch := reader.batch(count)) is not None:
            yield batch
    finally:
        reader.close()


def _csv_module(path: Path, count: int):  # noqa: ANN202
    """Every record through the csv module, as the reader did before the quick way."""
    reader = _reader(path)
    try:
        while True:
            starts, records, error = reader.read(count)
            if not records:
                if error is not None:
                    raise error
                return
            lines, columns, wrong = reader._csv_columns(starts, records)  # type: ignore
            if error is not None:
                raise error
            yield di._Batch(lines, columns, wrong, 0)
    finally:
        reader.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(body=st.lists(PIECES, max_size=60), count=st.sampled_from([1, 2, 3, 7, 2000]),
       header=st.sampled_from(["h1,h2,h3\n", "h1;h2\r\n", "only\n", "h1\th2\th3\th4\r"]),
       field_limit=st.sampled_from([di.MAX_FIELD_CHARS, 3]),
       row_limit=st.sampled_from([di.MAX_ROWS, 4]))
def test_the_quick_way_reads_as_the_csv_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: list[str], count: int,
    header: str, field_limit: int, row_limit: int,
) -> None:
    monkeypatch.setattr(di, "MAX_FIELD_CHARS", field_limit)
    monkeypatch.setattr(di, "MAX_ROWS", row_limit)
    path = tmp_path / "file.csv"
    path.write_bytes((header + "".join(body)).encode("utf-8"))
    assert _outcome(path, _quick(path, count)) == _outcome(path, _csv_module(path, count))


def test_a_quoted_field_across_a_batch_end_keeps_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_text('id,note\n1,plain\n2,"two\nlines"\n3,plain\n\n4,"x"\n', encoding="utf-8")
    rows = _outcome(path, _quick(path, 2))
    assert rows == [(2, ("1", "plain")), (3, ("2", "two\nlines")), (5, ("3", "plain")),
                    (7, ("4", "x"))]
