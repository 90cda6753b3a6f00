"""Merging a file's records into the store, without trusting any clock.

Each laptop remembers, per record, the content hashes of the versions it has exchanged
(table exchange_seen): its record's known history. A file carries, per record, the
exporting laptop's history too. With both, for a record present on both sides:

- same content                                   -> nothing to do;
- the incoming version is one we already know    -> it is older: keep ours;
- our version is in the incoming version's history -> it builds on ours: take it;
- otherwise both sides changed it                 -> a conflict: ours stays, theirs is
  kept in exchange_conflict until someone chooses.

Where neither side knows anything (a store copied by hand), the revision counters decide:
the higher one wins, equal revisions with different content are a conflict. Tombstones
(`deleted`) are content like any other field, so a deletion travels as a revision.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from rmdesk.errors import RmdeskError
from rmdesk.services.exchange.archive import Incoming
from rmdesk.services.exchange.schema import (
    TABLES,
    TableSpec,
    content_hash,
    is_blank,
    wire_of_row,
)
from rmdesk.store.models import ExchangeConflict, ExchangeSeen, utcnow

ADD, UPDATE, SAME, OLDER, CONFLICT, PENDING = (
    "add", "update", "same", "older", "conflict", "pending")
MINE, THEIRS = "mine", "theirs"
_CHUNK = 500


def decide(local_hash: str | None, local_revision: int, local_blank: bool, same_id: bool,
           known: frozenset[str] | set[str], incoming: Incoming) -> str:
    """What importing `incoming` does to the local record (pure; see the module doc)."""
    if local_hash is None:
        return ADD
    if incoming.spec.append_only or local_hash == incoming.hash:
        return SAME
    if incoming.hash in known:
        return OLDER
    if local_hash in incoming.history or local_blank:
        return UPDATE
    if not known and same_id:
        if incoming.revision > local_revision:
            return UPDATE
        if incoming.revision < local_revision:
            return OLDER
    return CONFLICT


@dataclass
class Planned:
    """One record of a file and what importing it would do."""

    incoming: Incoming
    action: str
    local: SQLModel | None = None
    local_hash: str | None = None
    # The versions kept aside for this record when the plan was made (None: not looked
    # up): with none of the incoming versions among them there is nothing to supersede.
    pending: frozenset[str] | None = None

    @property
    def table(self) -> str:
        return self.incoming.spec.name

    @property
    def key(self) -> str:
        return self.incoming.key


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _local_rows(s: Session, spec: TableSpec, records: list[Incoming]) -> dict[str, SQLModel]:
    """The store's rows matching the records, by record key (UUID or natural key)."""
    model = spec.model
    found: dict[str, SQLModel] = {}
    if spec.natural_key == ("id",):
        ids = [r.values["id"] for r in records]
        for chunk in _chunks(ids):
            for row in s.exec(select(model).where(col(model.id).in_(chunk))):
                found[row.id] = row
        return found
    parent = spec.natural_key[0]
    parents = sorted({r.values[parent] for r in records})
    for chunk in _chunks(parents):
        rows = s.exec(select(model).where(col(getattr(model, parent)).in_(chunk))
                      .order_by(col(model.id)))
        for row in rows:
            found.setdefault(spec.key_of({k: getattr(row, k) for k in spec.natural_key}), row)
    return found


def known_hashes(s: Session, table: str, keys: Sequence[str]) -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    for chunk in _chunks(list(keys)):
        rows = s.exec(select(ExchangeSeen.record_key, ExchangeSeen.content_hash).where(
            ExchangeSeen.table_name == table, col(ExchangeSeen.record_key).in_(chunk)))
        for key, digest in rows:
            known.setdefault(key, set()).add(digest)
    return known


def pending_hashes(s: Session, table: str, keys: Sequence[str]) -> dict[str, set[str]]:
    pending: dict[str, set[str]] = {}
    for chunk in _chunks(list(keys)):
        rows = s.exec(select(ExchangeConflict.record_key, ExchangeConflict.incoming_hash)
                      .where(ExchangeConflict.table_name == table,
                             col(ExchangeConflict.record_key).in_(chunk)))
        for key, digest in rows:
            pending.setdefault(key, set()).add(digest)
    return pending


def plan(s: Session, records: dict[str, list[Incoming]], name: str, *,
         authoritative: bool = False) -> list[Planned]:
    """What importing these records would do, table by table, parents first.

    `authoritative`: the records come from the facilitator's signed kit, which alone may
    change the workshop, its groups and phases; a local edit of those (made in facilitator
    mode on a participant laptop) does not stand against it, so there is no conflict."""
    planned: list[Planned] = []
    for table, spec in TABLES.items():
        incoming = records.get(table, [])
        if not incoming:
            continue
        local = _local_rows(s, spec, incoming)
        keys = [r.key for r in incoming]
        known = known_hashes(s, table, keys)
        pending = pending_hashes(s, table, keys)
        for record in incoming:
            row = local.get(record.key)
            if row is not None and spec.parent is not None:
                column = spec.parent[0]
                if getattr(row, column) != record.values[column]:
                    # The same record under another workshop or group here: never move it.
                    raise RmdeskError("exchange_inconsistent", path=name,
                                      detail=f"{table}: {record.label}")
            local_hash = local_blank = None
            revision = 0
            if row is not None:
                wire = wire_of_row(spec, row)
                local_hash = content_hash(spec, wire)
                local_blank = is_blank(spec, wire)
                revision = int(getattr(row, "revision", 0) or 0)
            action = decide(local_hash, revision, bool(local_blank),
                            row is not None and row.id == record.values["id"],
                            frozenset(known.get(record.key, ())), record)
            if action == CONFLICT and authoritative:
                action = UPDATE
            waiting = frozenset(pending.get(record.key, ()))
            if action == CONFLICT and record.hash in waiting:
                action = PENDING
            planned.append(Planned(record, action, row, local_hash, waiting))
    return planned


# -- writing -------------------------------------------------------------------------------
class SeenLog:
    """Versions to remember, written in one statement at the end."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], int] = {}

    def add(self, table: str, key: str, digests: Iterable[str], revision: int = 0) -> None:
        for digest in digests:
            if digest:
                entry = (table, key, digest)
                self.rows[entry] = max(self.rows.get(entry, 0), revision)

    def write(self, s: Session) -> None:
        if not self.rows:
            return
        values = [{"table_name": t, "record_key": k, "content_hash": h, "revision": r}
                  for (t, k, h), r in self.rows.items()]
        # INSERT ... ON CONFLICT DO NOTHING in the store's own dialect (SQLite or PostgreSQL)
        dialect = s.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        for chunk in _chunks(values):
            s.exec(insert(ExchangeSeen).values(list(chunk)).on_conflict_do_nothing())  # type: ignore[call-overload]


def _set_content(spec: TableSpec, row: SQLModel, values: dict[str, Any]) -> None:
    """Copy an incoming version's fields onto our row; keys and the facilitator's own
    fields stay as they are."""
    for name in spec.fields:
        if name in ("id", "revision") or name in spec.natural_key:
            continue
        setattr(row, name, values[name])


def add_row(s: Session, item: Planned, seen: SeenLog) -> None:
    record = item.incoming
    row = record.spec.model(**record.values)
    s.add(row)
    if record.spec.revisioned:
        seen.add(record.spec.name, record.key, [record.hash, *record.history], record.revision)


def take(s: Session, item: Planned, seen: SeenLog, *, bump: bool = False) -> None:
    """Replace our version with the incoming one."""
    record, row = item.incoming, item.local
    assert row is not None
    _set_content(record.spec, row, record.values)
    row.revision = max(row.revision, record.revision) + (1 if bump else 0)  # type: ignore[attr-defined]
    s.add(row)
    seen.add(record.spec.name, record.key, [record.hash, *record.history], record.revision)
    seen.add(record.spec.name, record.key, [item.local_hash or ""])


def keep(s: Session, item: Planned, seen: SeenLog, *, bump: bool = False) -> None:
    """Keep our version, remembering the incoming one as known."""
    record, row = item.incoming, item.local
    assert row is not None
    if record.spec.revisioned:
        new_revision = max(row.revision, record.revision) + (1 if bump else 0)  # type: ignore[attr-defined]
        if new_revision != row.revision:  # type: ignore[attr-defined]
            row.revision = new_revision  # type: ignore[attr-defined]
            if hasattr(row, "updated_at") and bump:
                row.updated_at = utcnow()  # type: ignore[attr-defined]
            s.add(row)
        seen.add(record.spec.name, record.key, [record.hash, *record.history], record.revision)


def store_conflict(s: Session, item: Planned, workshop_id: str, source: str) -> None:
    """Keep the incoming version aside: one pending version per record, the newest file's."""
    record = item.incoming
    old = s.exec(select(ExchangeConflict).where(
        ExchangeConflict.table_name == record.spec.name,
        ExchangeConflict.record_key == record.key)).all()
    for conflict in old:
        s.delete(conflict)
    payload = {"fields": record.wire, "history": sorted(record.history)}
    s.add(ExchangeConflict(
        table_name=record.spec.name, record_key=record.key, workshop_id=workshop_id,
        label=record.label, source=source[:255],
        incoming_json=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        incoming_revision=record.revision, incoming_hash=record.hash,
    ))


def drop_conflicts(s: Session, table: str, key: str) -> None:
    for conflict in s.exec(select(ExchangeConflict).where(
            ExchangeConflict.table_name == table, ExchangeConflict.record_key == key)):
        s.delete(conflict)


def drop_superseded(s: Session, item: Planned) -> None:
    """A waiting conflict whose version the incoming one was made from (the sending laptop
    saw it, and settled it or built on it) is no longer a question, whatever this laptop
    holds: otherwise a conflict a group already settled would come back here when its
    files arrive in another order."""
    record = item.incoming
    versions = record.history | {record.hash}
    if item.pending is not None and not item.pending & versions:
        return  # none waits here (the plan looked, in this transaction): no query
    for conflict in s.exec(select(ExchangeConflict).where(
            ExchangeConflict.table_name == record.spec.name,
            ExchangeConflict.record_key == record.key)):
        if conflict.incoming_hash in versions:
            s.delete(conflict)


def choice_for(value: str | tuple[str, str | None] | None, local_hash: str | None) -> str | None:
    """A choice made for a conflict, if it still applies: a choice made in a preview
    (choice, the local version's hash then) does not apply to a local version edited
    since, which must not be overwritten without being seen."""
    if isinstance(value, tuple):
        choice, seen_hash = value
        return choice if seen_hash == local_hash else None
    return value


Resolution = str | tuple[str, str | None]  # MINE/THEIRS, optionally with the local hash


def apply(s: Session, planned: list[Planned], resolutions: dict[tuple[str, str], Resolution],
          workshop_id: str, source: str) -> None:
    """Write a plan. Conflicts with a choice are settled now; the others wait."""
    seen = SeenLog()
    current_table = None
    for item in planned:
        if item.table != current_table:
            s.flush()  # parents reach the database before their children
            current_table = item.table
        action = item.action
        if action == ADD:
            add_row(s, item, seen)
        elif action == UPDATE:
            take(s, item, seen)
            # Only the versions the incoming one was made from are settled by it: a version
            # another laptop sent meanwhile, which it never saw, still waits (dropping it
            # lost that laptop's edit; bench/classroom_sync.py found it).
            drop_superseded(s, item)
        elif action in (SAME, OLDER):
            keep(s, item, seen)
            drop_superseded(s, item)
        elif action in (CONFLICT, PENDING):
            choice = choice_for(resolutions.get((item.table, item.key)), item.local_hash)
            if choice == THEIRS:
                take(s, item, seen, bump=True)
                drop_conflicts(s, item.table, item.key)
            elif choice == MINE:
                keep(s, item, seen, bump=True)
                drop_conflicts(s, item.table, item.key)
            elif action == CONFLICT:
                store_conflict(s, item, workshop_id, source)
    s.flush()
    seen.write(s)


def remember_exported(s: Session, spec: TableSpec, key: str, history: Sequence[str],
                      revision: int) -> None:
    """An exported version becomes part of the record's known history here."""
    log = SeenLog()
    log.add(spec.name, key, history, revision)
    log.write(s)
