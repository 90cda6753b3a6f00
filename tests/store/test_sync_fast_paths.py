"""The sync round's shortcuts change nothing but its cost.

A round reads a group's records as plain rows (not ORM objects), remembers their wire form
and hash, and leaves out of the pull's merge the records whose merge would change nothing
on the laptop. These tests hold each shortcut against the long way: the same wire and hash
as a model object's, for every record of the demo workshop on both engines; and, after
random classroom histories (edits on both laptops of a group, the same record edited on
both, deletions, exercise answers, locks and shared feedback), the same laptop store after
a pull with the shortcut as after a pull without it."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from sync_support import Classroom, set_up_laptop, setup_classroom

from rmdesk.services.demo import create_demo
from rmdesk.services.exchange import archive
from rmdesk.services.exchange.archive import RecordEntry
from rmdesk.services.exchange.schema import TABLES, content_hash, wire_and_hash, wire_of_row
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.sync import service as sync_service
from rmdesk.services.sync import set_feedback_shared
from rmdesk.services.sync.server import parse_url
from rmdesk.services.sync.service import SyncReport, SyncService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import ExchangeConflict, ExchangeSeen, Risk, Setting


def test_a_plain_rows_wire_and_hash_are_the_model_objects_for_every_demo_record(
        server_url: str, tmp_path: Path) -> None:
    room = setup_classroom(server_url, tmp_path / "facilitator")
    try:
        create_demo(room.server)
        with room.server.session() as s:
            connection = s.connection()
            checked = 0
            for spec in TABLES.values():
                objects = {row.id: row for row in s.exec(select(spec.model))}
                plain = list(connection.execute(select(spec.model.__table__)))  # type: ignore[attr-defined]
                assert len(plain) == len(objects)
                for row in plain:
                    wire, digest = wire_and_hash(spec, row)
                    expected = wire_of_row(spec, objects[row.id])
                    assert wire == expected, (spec.name, row.id)
                    assert digest == content_hash(spec, expected)
                    # Remembered, and handed out as a copy: the same again.
                    wire["id"] = "changed by a caller"
                    assert wire_and_hash(spec, row) == (expected, digest)
                    # What a file's record of it hashes to once checked (the pull's test
                    # for "the same content as here" is this hash).
                    incoming = archive._incoming(spec, RecordEntry(fields=expected), "t",
                                                 "records", 0)
                    assert incoming.hash == digest
                    checked += 1
        assert checked > 100  # the demo's workshop, groups and work
    finally:
        room.server.close()


# -- the pull's shortcut against the long way ---------------------------------------------
def _clone(store: Store, folder: Path) -> Store:
    folder.mkdir()
    source = sqlite3.connect(parse_url(str(store.engine.url)).database)  # WAL included
    target = sqlite3.connect(folder / "rmdesk.sqlite3")
    source.backup(target)
    source.close()
    target.close()
    return open_store(folder)


def _dump(store: Store) -> dict[str, Any]:
    """Everything a pull may write on a laptop."""
    out: dict[str, Any] = {}
    with store.session() as s:
        for spec in TABLES.values():
            out[spec.name] = {row.id: row.model_dump() for row in s.exec(select(spec.model))}
        out["seen"] = sorted(tuple(r.model_dump().values()) for r in s.exec(select(ExchangeSeen)))
        out["conflicts"] = sorted(
            (c.table_name, c.record_key, c.incoming_hash, c.incoming_json, c.incoming_revision,
             c.source) for c in s.exec(select(ExchangeConflict)))
        out["settings"] = sorted((r.key, r.value) for r in s.exec(select(Setting)))
    return out


LEFT_OUT: list[int] = []


def _pull(store: Store, room: Classroom, group_id: str, shortcut: bool,
          monkeypatch: pytest.MonkeyPatch) -> SyncReport:
    report = SyncReport()
    real = sync_service._unchanged_here

    def counted(*args: Any) -> dict[str, dict[str, str]]:
        result = real(*args)
        LEFT_OUT.append(sum(len(keys) for keys in result.values()))
        return result

    with monkeypatch.context() as patch:
        patch.setattr(sync_service, "_unchanged_here",
                      counted if shortcut else (lambda *args: {}))
        SyncService(store, room.server).pull(room.workshop_id, group_id, report)
    return report


@pytest.mark.parametrize("seed", range(5))
def test_a_pull_leaves_the_laptop_as_the_long_way_does_after_any_classroom_history(
        server_url: str, tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    room = setup_classroom(server_url, tmp_path / "facilitator")
    g1 = room.groups[0]
    a = set_up_laptop(room, tmp_path / "a", g1)
    b = set_up_laptop(room, tmp_path / "b", g1)
    LEFT_OUT.clear()
    set_feedback_shared(room.server, room.workshop_id, True)
    try:
        for n in range(4):
            a.register.add_risk(g1, event=f"Risk {n}", likelihood=1 + n % 5)
        ExerciseWorkService(a.store).save(g1, "E1", {"note": "first answer"})
        a.sync()
        b.sync()
        for step in range(10):
            with a.store.session() as s:
                ids = sorted(r.id for r in s.exec(select(Risk).where(Risk.group_id == g1))
                             if not r.deleted)
            target = rng.choice(ids)
            move = rng.choice(["b edits", "b adds", "a edits", "both edit", "b deletes",
                               "b answers", "facilitator", "a syncs", "same edit"])
            if move == "b edits":
                b.register.update_field(target, "owner", f"B owner {step}")
                b.sync()
            elif move == "b adds":
                b.register.add_risk(g1, event=f"B's risk {step}")
                b.sync()
            elif move == "a edits":
                a.register.update_field(target, "impact", 1 + step % 5)
            elif move == "both edit":
                a.register.update_field(target, "event", f"A's event {step}")
                b.register.update_field(target, "event", f"B's event {step}")
                b.sync()
            elif move == "same edit":
                # Both make the same change, B by way of a version A never saw: the
                # same content arrives with a history that is news here.
                a.sync()
                b.sync()
                b.register.update_field(target, "event", f"Interim {step}")
                b.sync()
                b.register.update_field(target, "event", f"Agreed {step}")
                b.sync()
                a.register.update_field(target, "event", f"Draft {step}")  # A's revision
                a.register.update_field(target, "event", f"Agreed {step}")  # is B's
            elif move == "b deletes" and len(ids) > 2:
                b.register.delete_risk(target)
                b.sync()
            elif move == "b answers":
                ExerciseWorkService(b.store).save(g1, "E1", {"note": f"B's answer {step}"})
                b.sync()
            elif move == "facilitator":
                room.facilitation.set_locked(room.workshop_id, "E3", step % 2 == 0)
                room.facilitation.set_feedback(g1, "E1", f"Feedback {step}")
            else:
                a.sync()
            twin = _clone(a.store, tmp_path / f"twin-{step}")
            try:
                short = _pull(a.store, room, g1, True, monkeypatch)
                long = _pull(twin, room, g1, False, monkeypatch)
                assert (short.pulled, short.conflicts, short.pull_skipped) == (
                    long.pulled, long.conflicts, long.pull_skipped), (step, move)
                assert _dump(a.store) == _dump(twin), (step, move)
            finally:
                twin.close()
            a.sync()  # the rest of A's round: its push
    finally:
        a.store.close()
        b.store.close()
        room.server.close()
    assert sum(LEFT_OUT) > 0  # the shortcut was taken, not only the long way


# -- a quiet laptop's round ----------------------------------------------------------------
def test_a_quiet_laptop_asks_the_server_one_question_and_misses_no_edit(
        server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import event

    from rmdesk.services.register import RegisterService
    from rmdesk.services.settings import SettingsService
    from rmdesk.services.sync.service import SyncSession

    room = setup_classroom(server_url, tmp_path / "facilitator")
    g1 = room.groups[0]
    a = set_up_laptop(room, tmp_path / "a", g1)
    b = set_up_laptop(room, tmp_path / "b", g1)
    session = SyncSession(a.store, server_url)
    try:
        risk = a.register.add_risk(g1, event="Undervalued footwear")
        assert session.round().pushed == 1
        session.round()  # reads back nothing: from now on, nothing changes
        session.round()
        statements: list[str] = []
        assert session._server is not None
        event.listen(session._server.engine, "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
        quiet = session.round()
        assert quiet.pull_skipped and quiet.pushed == 0
        assert len([s for s in statements if "data_version" not in s]) <= 2  # ping + question
        assert session.pending_changes() == 0

        # An edit through the app's connection, then through another process's store.
        a.register.update_field(risk.id, "owner", "Port of Costa Azul")
        assert session.pending_changes() == 1
        assert session.round().pushed == 1
        session.round()
        other = open_store(tmp_path / "a")
        try:
            RegisterService(other).update_field(risk.id, "owner", "Airport cargo")
        finally:
            other.close()
        assert session.round().pushed == 1

        # An edit committed while a round runs, after its push read the store: the round
        # is not taken as quiet, the next one sends the edit. (A setting written first,
        # so that this round is a whole one with nothing to send.)
        session.round()
        SettingsService(a.store).set("ui.last_page", "register")
        real_push = SyncService.push

        def push_then_edit(self: SyncService, *args: Any) -> None:
            real_push(self, *args)
            a.register.update_field(risk.id, "event", "Typed during the round")

        monkeypatch.setattr(SyncService, "push", push_then_edit)
        assert session.round().pushed == 0
        monkeypatch.undo()
        assert session.round().pushed == 1
        assert _server_event(room, risk.id) == "Typed during the round"

        # The other laptop's news is pulled by a quiet laptop.
        session.round()
        b.sync()
        b.register.update_field(risk.id, "likelihood", 5)
        b.sync()
        assert session.round().pulled == 1
        with a.store.session() as s:
            assert s.get(Risk, risk.id).likelihood == 5  # type: ignore[union-attr]
    finally:
        session.close()
        a.store.close()
        b.store.close()
        room.server.close()


def _server_event(room: Classroom, risk_id: str) -> str:
    with room.server.session() as s:
        row = s.get(Risk, risk_id)
        assert row is not None
        return row.event
