"""Live sync with a classroom server: the USB exchange's merge over a connection.

Each test runs against an SQLite file standing in for the server and, when the throw-away
PostgreSQL cluster is available, against PostgreSQL (the same SQLAlchemy code)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sync_support import (
    Classroom,
    conflicts,
    risks,
    set_up_laptop,
    setup_classroom,
)

from rmdesk.errors import RmdeskError
from rmdesk.services.exchange import ExchangeService
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.sync import open_server, set_feedback_shared
from rmdesk.services.sync.server import parse_url


@pytest.fixture
def room(server_url: str, tmp_path: Path):
    room = setup_classroom(server_url, tmp_path / "facilitator")
    yield room
    room.server.close()


@pytest.fixture
def laptops(room: Classroom, tmp_path: Path):
    made = []

    def make(name: str, group: int = 0):
        laptop = set_up_laptop(room, tmp_path / name, room.groups[group])
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.store.close()


def test_two_laptops_of_a_group_see_each_others_work_through_the_server(
        room: Classroom, laptops) -> None:
    a, b = laptops("a"), laptops("b")
    g1 = room.groups[0]
    risk = a.register.add_risk(g1, event="Cocaine in reefer containers", likelihood=4)
    report = a.sync()
    assert report.pushed == 1 and report.conflicts == 0
    assert risks(room.server, g1)[risk.id]["event"] == "Cocaine in reefer containers"

    assert b.sync().pulled >= 1
    assert risks(b.store, g1)[risk.id]["likelihood"] == 4
    b.register.update_field(risk.id, "impact", 5)
    b.sync()
    a.sync()
    assert risks(a.store, g1)[risk.id]["impact"] == 5
    # Nothing doubled anywhere: one risk on the server and on each laptop.
    for store in (room.server, a.store, b.store):
        assert list(risks(store, g1)) == [risk.id]
    assert conflicts(room.server) == [] and conflicts(a.store) == []


def test_a_round_sends_only_what_changed_and_reads_nothing_when_nothing_changed(
        room: Classroom, laptops) -> None:
    a = laptops("a")
    g1 = room.groups[0]
    a.sync()  # connected: what the kit brought is what the server holds
    assert a.pending() == 0
    first = a.register.add_risk(g1, event="Undervalued footwear")
    a.register.add_risk(g1, event="Counterfeit medicines")
    assert a.pending() == 2
    assert a.sync().pushed == 2
    assert a.pending() == 0
    # Its own push is all that changed on the server: the next pull does not read it back.
    again = a.sync()
    assert again.pushed == 0 and again.pulled == 0 and again.pull_skipped
    # Anyone else's change is read: the facilitator locks an exercise.
    room.facilitation.set_locked(room.workshop_id, "E3", True)
    assert not a.sync().pull_skipped
    assert a.sync().pull_skipped
    a.register.update_field(first.id, "owner", "Valdoria Customs, Port of Costa Azul")
    assert a.pending() == 1
    third = a.sync()
    assert third.pushed == 1 and third.pull_skipped


def test_edits_of_the_same_record_on_two_laptops_are_a_conflict_kept_as_usb_keeps_it(
        room: Classroom, laptops, tmp_path: Path) -> None:
    a, b = laptops("a"), laptops("b")
    g1 = room.groups[0]
    risk = a.register.add_risk(g1, event="Cocaine in containers")
    a.sync()
    b.sync()
    # What the USB exchange does with the same edits, for comparison: the facilitator's
    # store (a copy of the server's before the edits) imports both laptops' files.
    usb = None
    if room.server.dialect == "sqlite":
        usb_dir = tmp_path / "usb-facilitator"
        usb_dir.mkdir()
        source = sqlite3.connect(parse_url(room.url).database)  # WAL included
        target = sqlite3.connect(usb_dir / "rmdesk.sqlite3")
        source.backup(target)
        source.close()
        target.close()
    a.register.update_field(risk.id, "event", "Cocaine in reefer containers")
    b.register.update_field(risk.id, "event", "Cocaine hidden in bananas")
    if room.server.dialect == "sqlite":
        from rmdesk.store.database import open_store

        usb = open_store(usb_dir)
        for laptop, name in ((a, "a.rmdx"), (b, "b.rmdx")):
            ExchangeService(laptop.store).export_group_work(g1, tmp_path / name)
            assert ExchangeService(usb).import_file(tmp_path / name).error is None

    assert a.sync().conflicts == 0
    # B's round: its pull finds A's version (kept aside here), its push brings B's to the
    # server (kept aside there): one conflict, seen on both sides.
    assert b.sync().conflicts == 2
    on_server = risks(room.server, g1)[risk.id]
    assert on_server["event"] == "Cocaine in reefer containers"  # the first to arrive
    pending = conflicts(room.server)
    assert len(pending) == 1 and "Cocaine hidden in bananas" in pending[0].incoming_json
    if usb is not None:
        kept = conflicts(usb)
        assert [(c.table_name, c.record_key, c.incoming_hash) for c in kept] == [
            (c.table_name, c.record_key, c.incoming_hash) for c in pending]
        assert risks(usb, g1)[risk.id]["event"] == on_server["event"]
        usb.close()
    # B keeps its version and holds the server's aside, as a laptop importing A's file.
    assert risks(b.store, g1)[risk.id]["event"] == "Cocaine hidden in bananas"
    assert len(conflicts(b.store)) == 1
    # Repeating rounds changes nothing: the same conflicts, no new ones.
    for laptop in (a, b, a, b):
        assert laptop.sync().conflicts == 0
    assert len(conflicts(room.server)) == 1

    # The facilitator keeps B's version on the server: both laptops take it, and the
    # conflict B held is settled there too.
    ExchangeService(room.server).resolve(pending[0].id, "theirs")
    a.sync()
    b.sync()
    for store in (room.server, a.store, b.store):
        assert risks(store, g1)[risk.id]["event"] == "Cocaine hidden in bananas"
    assert conflicts(room.server) == [] and conflicts(b.store) == []


def test_phases_reveals_and_shared_feedback_reach_the_laptop(room: Classroom, laptops) -> None:
    a = laptops("a")
    g1, workshop_id = room.groups[0], room.workshop_id
    ExerciseWorkService(a.store).save(g1, "E1", {"pestle": {"political": ["Elections"]}})
    a.sync()
    room.facilitation.set_locked(workshop_id, "E1", True)
    room.facilitation.set_revealed(workshop_id, "E2", True)
    room.facilitation.set_feedback(g1, "E1", "Good PESTLE; add the port strike.")
    room.facilitation.set_score(g1, "E1", 80)
    a.sync()
    from rmdesk.services.facilitation import FacilitationService

    local = FacilitationService(a.store)
    assert local.is_locked(workshop_id, "E1") and local.is_revealed(workshop_id, "E2")
    # Feedback stays on the server until the facilitator shares it.
    assert _feedback(a, g1, "E1") == ("", None)
    set_feedback_shared(room.server, workshop_id, True)
    a.sync()
    assert _feedback(a, g1, "E1") == ("Good PESTLE; add the port strike.", 80)
    # The group's answer is untouched, and feedback never travels back as the group's.
    assert ExerciseWorkService(a.store).load(g1, "E1").data == {
        "pestle": {"political": ["Elections"]}}
    assert a.sync().pushed == 0
    set_feedback_shared(room.server, workshop_id, False)
    a.sync()
    assert _feedback(a, g1, "E1") == ("", None)
    room.facilitation.set_locked(workshop_id, "E1", False)
    a.sync()
    assert not local.is_locked(workshop_id, "E1")


def test_the_overall_comment_reaches_its_group_once_feedback_is_released(
        room: Classroom, laptops) -> None:
    """The facilitator's comment on a group (the first page of the group's output) travels
    as feedback does: only once released, only to that group, never back, and it follows
    the facilitator's edits and withdrawal."""
    from sqlmodel import select

    from rmdesk.services.facilitation import OVERALL_EXERCISE, FacilitationService, overall_key
    from rmdesk.services.reports import gather_group_report
    from rmdesk.services.settings import SettingsService
    from rmdesk.store.models import ExerciseWork

    a, b = laptops("a"), laptops("b", group=1)
    g1, g2, workshop_id = room.groups[0], room.groups[1], room.workshop_id

    def comment(laptop, group_id: str) -> str:
        """What the group's own output, printed on the laptop with feedback, shows."""
        return gather_group_report(laptop.store, workshop_id, group_id,
                                   with_feedback=True).overall_comment

    room.facilitation.set_overall_comment(g1, "  Ready for the director; tighten E8.  ")
    # Written by an earlier version: in the facilitator's settings alone, with no copy.
    SettingsService(room.server).set(overall_key(g2), "Strong on E13.")
    for laptop in (a, b):
        laptop.sync()
    assert comment(a, g1) == comment(b, g2) == ""  # not released yet
    set_feedback_shared(room.server, workshop_id, True)
    for laptop in (a, b):
        laptop.sync()
    assert comment(a, g1) == "Ready for the director; tighten E8."
    assert comment(b, g2) == "Strong on E13."
    assert FacilitationService(a.store).overall_comment(g2) == ""  # never another group's
    assert FacilitationService(b.store).overall_comment(g1) == ""
    with a.store.session() as s:  # not merged as the group's work, so never sent back
        assert s.exec(select(ExerciseWork).where(
            ExerciseWork.exercise_id == OVERALL_EXERCISE)).first() is None
    assert a.sync().pushed == 0
    # The facilitator edits it, then clears it: each laptop follows with its next round.
    room.facilitation.set_overall_comment(g1, "Ready for the director.")
    a.sync()
    assert comment(a, g1) == "Ready for the director."
    room.facilitation.set_overall_comment(g1, "")
    a.sync()
    assert comment(a, g1) == ""
    room.facilitation.set_overall_comment(g1, "Back again.")
    a.sync()
    assert comment(a, g1) == "Back again."
    # Withdrawn: gone from the laptops with the scores and feedback.
    set_feedback_shared(room.server, workshop_id, False)
    for laptop in (a, b):
        laptop.sync()
    assert comment(a, g1) == comment(b, g2) == ""
    # The facilitator's own view is unchanged by all this.
    assert room.facilitation.overall_comment(g1) == "Back again."
    assert room.facilitation.overall_comment(g2) == "Strong on E13."


def _feedback(laptop, group_id: str, exercise_id: str) -> tuple[str, int | None]:
    from sqlmodel import select

    from rmdesk.store.models import ExerciseWork

    with laptop.store.session() as s:
        row = s.exec(select(ExerciseWork).where(ExerciseWork.group_id == group_id,
                                                ExerciseWork.exercise_id == exercise_id)).one()
        return row.feedback, row.score


def test_a_laptop_only_writes_its_own_group_and_a_revoked_key_is_refused(
        room: Classroom, laptops) -> None:
    a, other = laptops("a"), laptops("other", group=1)
    g1, g2 = room.groups
    other.register.add_risk(g2, event="Group 2's risk")
    other.sync()
    a.register.add_risk(g1, event="Group 1's risk")
    a.sync()
    # Each laptop pulls its own group's work only.
    assert [r["event"] for r in risks(a.store, g1).values()] == ["Group 1's risk"]
    assert risks(a.store, g2) == {}
    # The facilitator replaces group 1's key (a lost laptop): its rounds are refused,
    # nothing is written on the server, and the work waits on the laptop.
    ExchangeService(room.server).new_group_key(room.workshop_id, g1)
    a.register.add_risk(g1, event="Written after the key was replaced")
    with pytest.raises(RmdeskError) as caught:
        a.sync()
    assert caught.value.code == "exchange_wrong_signer"
    assert len(risks(room.server, g1)) == 1
    assert a.pending() == 1


def test_an_unreachable_server_is_offline_and_nothing_is_lost(
        room: Classroom, laptops, tmp_path: Path) -> None:
    a = laptops("a")
    g1 = room.groups[0]
    a.sync()
    a.register.add_risk(g1, event="Typed while the network is down")
    a.url = "postgresql://rmdesk:secret@127.0.0.1:9/rmdesk"  # nothing listens on port 9
    with pytest.raises(RmdeskError) as caught:
        a.sync()
    assert caught.value.code == "sync_offline"
    assert "secret" not in str(caught.value.params)  # never the password in a message
    a.register.add_risk(g1, event="Typed after that")
    a.url = room.url
    assert a.pending() == 2
    assert a.sync().pushed == 2
    assert len(risks(room.server, g1)) == 2


def test_bad_addresses_and_a_database_without_the_schema_are_refused(tmp_path: Path) -> None:
    for url in ("http://example.org", "not a url", "sqlite://", "mysql://x@y/z"):
        with pytest.raises(RmdeskError) as caught:
            parse_url(url)
        assert caught.value.code == "sync_bad_url"
    with pytest.raises(RmdeskError) as caught:
        open_server(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert caught.value.code == "sync_server_not_ready"


def test_a_laptop_without_its_groups_kit_cannot_sync(room: Classroom, tmp_path: Path) -> None:
    from rmdesk.services.sync import SyncService
    from rmdesk.store.database import open_store

    store = open_store(tmp_path / "fresh")
    try:
        with pytest.raises(RmdeskError) as caught:
            SyncService(store, room.server).sync_once()
        assert caught.value.code == "sync_no_group"
    finally:
        store.close()


def test_deleting_a_risk_travels_as_a_tombstone(room: Classroom, laptops) -> None:
    a, b = laptops("a"), laptops("b")
    g1 = room.groups[0]
    risk = a.register.add_risk(g1, event="Will be deleted")
    a.sync()
    b.sync()
    RegisterService(b.store).delete_risk(risk.id)
    b.sync()
    a.sync()
    assert risks(a.store, g1) == {} and risks(room.server, g1) == {}
    assert risks(a.store, g1, include_deleted=True)[risk.id]["deleted"]


def test_a_conflict_waiting_on_the_server_survives_the_other_laptops_next_edit(
        room: Classroom, laptops) -> None:
    """B's version waits as a conflict; A edits again on top of its own version: that
    settles nothing A never saw, so B's version still waits (it used to be dropped)."""
    a, b = laptops("a"), laptops("b")
    g1 = room.groups[0]
    risk = a.register.add_risk(g1, event="Shared risk")
    a.sync()
    b.sync()
    a.register.update_field(risk.id, "owner", "A's owner")
    b.register.update_field(risk.id, "owner", "B's owner")
    a.sync()
    b.sync()
    a.register.update_field(risk.id, "owner", "A's second owner")
    a.sync()
    assert risks(room.server, g1)[risk.id]["owner"] == "A's second owner"
    pending = conflicts(room.server)
    assert len(pending) == 1 and "B's owner" in pending[0].incoming_json
    for laptop in (a, b, a, b):
        laptop.sync()
    assert len(conflicts(room.server)) == 1  # still there, still one


def test_a_push_landing_in_the_middle_of_a_pull_is_pulled_next_time(
        room: Classroom, laptops, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull reads the rows, then their histories: another laptop's push committed in
    between must not leak into the histories (the laptop would take the newer version as
    one it has, and never take it). Found by bench/classroom_sync.py under load."""
    from rmdesk.services.sync import service

    a, b = laptops("a"), laptops("b")
    g1 = room.groups[0]
    risk = b.register.add_risk(g1, event="First version")
    b.sync()
    a.sync()
    b.register.update_field(risk.id, "event", "Second version")
    real_rows = service._server_rows
    pushed: list[bool] = []

    def rows_then_push(*args, **kwargs):  # type: ignore[no-untyped-def]
        rows = real_rows(*args, **kwargs)
        if not pushed:
            pushed.append(True)
            b.sync()  # commits while A's pull is reading
        return rows

    room.facilitation.set_locked(room.workshop_id, "E4", True)  # so A's pull reads
    monkeypatch.setattr(service, "_server_rows", rows_then_push)
    a.sync()
    monkeypatch.undo()
    assert pushed
    a.sync()
    a.sync()
    assert risks(a.store, g1)[risk.id]["event"] == "Second version"
