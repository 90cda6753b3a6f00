"""Undo/redo history: typing merges into one step, and the rules that end a step."""

from __future__ import annotations

import pytest

from rmdesk.services.history import Change, EditHistory


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def history(clock: FakeClock) -> EditHistory:
    return EditHistory(clock=clock)


def edit(risk_id: str, field: str, old: str, new: str) -> Change:
    return Change("field", risk_id, field, old, new)


def undo_all(history: EditHistory) -> list[Change]:
    steps = []
    while (change := history.pop_undo()) is not None:
        steps.append(change)
    return steps


def test_quick_edits_of_one_field_undo_as_one_step(
    history: EditHistory, clock: FakeClock
) -> None:
    history.record(edit("r1", "event", "", "I"))
    clock.advance(0.5)
    history.record(edit("r1", "event", "I", "Im"))
    clock.advance(1.9)  # each pause is short, even if the run as a whole is not
    history.record(edit("r1", "event", "Im", "Imp"))
    steps = undo_all(history)
    assert len(steps) == 1
    assert (steps[0].old, steps[0].new) == ("", "Imp")


def test_pause_of_two_seconds_starts_a_new_step(
    history: EditHistory, clock: FakeClock
) -> None:
    history.record(edit("r1", "event", "", "Imp"))
    clock.advance(2.0)
    history.record(edit("r1", "event", "Imp", "Importers"))
    steps = undo_all(history)
    assert [(s.old, s.new) for s in steps] == [("Imp", "Importers"), ("", "Imp")]


def test_another_field_starts_a_new_step(history: EditHistory, clock: FakeClock) -> None:
    history.record(edit("r1", "event", "", "E"))
    clock.advance(0.1)
    history.record(edit("r1", "cause", "", "C"))
    clock.advance(0.1)
    history.record(edit("r1", "event", "E", "Ev"))
    assert [s.field for s in undo_all(history)] == ["event", "cause", "event"]


def test_same_field_of_another_risk_starts_a_new_step(
    history: EditHistory, clock: FakeClock
) -> None:
    history.record(edit("r1", "event", "", "a"))
    clock.advance(0.1)
    history.record(edit("r2", "event", "", "b"))
    assert [s.risk_id for s in undo_all(history)] == ["r2", "r1"]


def test_seal_starts_a_new_step(history: EditHistory, clock: FakeClock) -> None:
    history.record(edit("r1", "event", "", "a"))
    history.seal()
    clock.advance(0.1)
    history.record(edit("r1", "event", "a", "ab"))
    assert len(undo_all(history)) == 2


def test_add_or_delete_between_edits_starts_a_new_step(
    history: EditHistory, clock: FakeClock
) -> None:
    history.record(edit("r1", "event", "", "a"))
    history.record(Change("add", "r2"))
    clock.advance(0.1)
    history.record(edit("r1", "event", "a", "ab"))
    assert [s.kind for s in undo_all(history)] == ["field", "add", "field"]


def test_undo_ends_the_run_of_typing(history: EditHistory, clock: FakeClock) -> None:
    history.record(edit("r1", "event", "", "a"))
    clock.advance(0.1)
    history.record(edit("r1", "event", "a", "ab"))
    history.pop_undo()
    history.pop_redo()
    clock.advance(0.1)
    history.record(edit("r1", "event", "ab", "abc"))
    assert [(s.old, s.new) for s in undo_all(history)] == [("ab", "abc"), ("", "ab")]


def test_undo_then_redo_returns_the_same_step(history: EditHistory) -> None:
    history.record(edit("r1", "owner", "", "Ana"))
    change = history.pop_undo()
    assert history.can_redo() and not history.can_undo()
    assert history.pop_redo() is change
    assert history.can_undo() and not history.can_redo()


def test_recording_after_undo_clears_redo(history: EditHistory, clock: FakeClock) -> None:
    history.record(edit("r1", "owner", "", "Ana"))
    clock.advance(5)
    history.record(edit("r1", "owner", "Ana", "Bea"))
    history.pop_undo()
    assert history.can_redo()
    history.record(edit("r1", "cause", "", "x"))
    assert not history.can_redo()
    assert history.pop_redo() is None


def test_empty_history_has_nothing_to_undo_or_redo(history: EditHistory) -> None:
    assert history.pop_undo() is None
    assert history.pop_redo() is None
    assert not history.can_undo() and not history.can_redo()


def test_limit_keeps_only_the_newest_steps(clock: FakeClock) -> None:
    history = EditHistory(limit=3, clock=clock)
    for i in range(5):
        history.record(Change("add", f"r{i}"))
    assert [s.risk_id for s in undo_all(history)] == ["r4", "r3", "r2"]


def test_clear_forgets_everything(history: EditHistory) -> None:
    history.record(Change("add", "r1"))
    history.record(Change("delete", "r1"))
    history.pop_undo()
    history.clear()
    assert not history.can_undo() and not history.can_redo()
