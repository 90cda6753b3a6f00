"""The merge rule on its own: what an incoming version does to ours, from content hashes,
known histories and (only when nothing is known) revision counters. No clocks anywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from rmdesk.services.exchange import ADD, CONFLICT, OLDER, SAME, UPDATE
from rmdesk.services.exchange.archive import Incoming
from rmdesk.services.exchange.merge import decide
from rmdesk.services.exchange.schema import TABLES, content_hash, is_blank, wire_value

RISK = TABLES["risk"]


def risk(event: str, revision: int = 1, history: tuple[str, ...] = (),
         updated: str = "2026-03-10T09:00:00") -> Incoming:
    wire = {name: None for name in RISK.fields}
    wire.update(id="r1", group_id="g1", code="R1", event=event, deleted=False,
                revision=revision, updated_at=updated, position=0)
    digest = content_hash(RISK, wire)
    return Incoming(RISK, dict(wire), wire, "r1", digest, revision,
                    frozenset(history) | {digest})


def h(event: str) -> str:
    return risk(event).hash


def test_hash_ignores_revision_and_time_but_not_content_or_tombstones() -> None:
    a = risk("Undervaluation", 1, updated="2026-03-10T09:00:00")
    b = risk("Undervaluation", 7, updated="1999-01-01T00:00:00")
    assert a.hash == b.hash
    assert risk("Undervaluation ").hash != a.hash
    deleted = dict(a.wire, deleted=True)
    assert content_hash(RISK, deleted) != a.hash


def test_wire_values_are_the_same_for_aware_and_naive_utc_times() -> None:
    naive = dt.datetime(2026, 3, 10, 9, 0, 0, 123)
    aware = naive.replace(tzinfo=dt.UTC)
    plus_two = aware.astimezone(dt.timezone(dt.timedelta(hours=2)))
    assert wire_value(naive) == wire_value(aware) == wire_value(plus_two)
    assert wire_value(dt.date(2026, 3, 9)) == "2026-03-09"


@pytest.mark.parametrize(("local", "known", "incoming", "expected"), [
    # nothing here yet
    (None, set(), risk("A"), ADD),
    # the same content, whatever the counters say
    ((h("A"), 5), {h("A")}, risk("A", 1), SAME),
    # we know the incoming version already: it is older than ours
    ((h("B"), 2), {h("A"), h("B")}, risk("A", 9), OLDER),
    # it was made from ours: take it, even with a lower counter
    ((h("A"), 8), {h("A")}, risk("B", 2, history=(h("A"),)), UPDATE),
    # made from an older version of ours while ours moved on: both changed
    ((h("B"), 2), {h("A"), h("B")}, risk("C", 2, history=(h("A"),)), CONFLICT),
    # ours was edited here since the last exchange, and theirs too
    ((h("A2"), 2), {h("A")}, risk("B", 2, history=(h("A0"),)), CONFLICT),
    # nothing known on either side: the counters decide
    ((h("A"), 2), set(), risk("B", 3), UPDATE),
    ((h("A"), 4), set(), risk("B", 3), OLDER),
    ((h("A"), 3), set(), risk("B", 3), CONFLICT),
])
def test_decide(local: tuple[str, int] | None, known: set[str], incoming: Incoming,
                expected: str) -> None:
    local_hash, revision = local if local else (None, 0)
    assert decide(local_hash, revision, False, True, known, incoming) == expected


def test_without_knowledge_different_records_of_one_key_conflict() -> None:
    """Two laptops picked the same indicator independently (different UUIDs)."""
    assert decide(h("A"), 1, False, False, set(), risk("B", 5)) == CONFLICT


def test_a_blank_answer_here_takes_the_groups_answer() -> None:
    spec = TABLES["exercise_work"]
    blank = {"data_json": "{}", "status": "not_started"}
    assert is_blank(spec, blank)
    assert not is_blank(spec, {"data_json": '{"a": 1}', "status": "in_progress"})
    assert decide(h("X"), 3, True, False, {h("X")}, risk("B", 1)) == UPDATE


def test_append_only_runs_are_never_updated() -> None:
    run = TABLES["targeting_run"]
    wire = {name: "" for name in run.fields}
    wire.update(id="t1", group_id="g1", created_at="2026-03-10T09:00:00")
    incoming = Incoming(run, wire, wire, "t1", content_hash(run, wire), 0, frozenset())
    assert decide("other", 0, False, True, set(), incoming) == SAME
    assert decide(None, 0, False, True, set(), incoming) == ADD


def test_facilitator_fields_are_not_part_of_what_travels() -> None:
    spec = TABLES["exercise_work"]
    assert "feedback" not in spec.fields and "score" not in spec.fields
    assert spec.facilitator_only == ("feedback", "score")
