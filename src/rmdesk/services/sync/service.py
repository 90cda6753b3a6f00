"""Live sync of a group laptop with a classroom server: the USB exchange's merge over a
database connection (one merge, two transports).

A round is a pull, then a push, each applied in one transaction on the receiving store:

- **push**: the group's work that changed since the last round, as the signed group-work
  archive an export would write (in memory), checked on the server by the same rules as
  a USB file (`ExchangeService._authorise`: the signer must be the group's pinned key or
  the facilitator's) and merged by `merge.plan`/`merge.apply`, conflicts kept on the
  server exactly as an import keeps them;
- **pull**: the workshop, its groups and phases (locks and reveals) from the server, with
  the facilitator's authority (as a kit), the group's members and work as the
  other laptops of the group pushed it (as a group file: conflicts kept here), and the
  facilitator's feedback, scores and overall comment once the facilitator has shared
  them.

Cursors, so a round sends only what changed. Push: the per-laptop setting
`sync.state.<workshop>` records, per record, the version the server holds of it (pushed
from here, or pulled); a record whose current version is that one is not sent again. Pull:
the same setting keeps a fingerprint of the server's side (per table: rows and the sum of
their revisions, which every edit raises, and the group's change counter, raised by every
push that changed something); while it is unchanged, nothing is read.

Every step can be cut at any point: the server's transaction and the laptop's are each
all or nothing, the cursor is written after the data it describes, and the merge is
idempotent, so a round that was cut is simply done again.
"""

from __future__ import annotations

import functools
import json
import socket
import sqlite3
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, bindparam, cast, func, literal
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from rmdesk.errors import RmdeskError
from rmdesk.services import settings as keys
from rmdesk.services.exchange import archive, merge, trust
from rmdesk.services.exchange.archive import GROUP_WORK, Incoming, RecordEntry
from rmdesk.services.exchange.schema import (
    GROUP_TABLES,
    TABLES,
    content_hash,
    wire_and_hash,
    wire_of_row,
)
from rmdesk.services.exchange.service import ExchangeService, _histories
from rmdesk.services.sync.server import ServerStore, lock_group, redacted
from rmdesk.store.database import Store
from rmdesk.store.models import (
    ExchangeConflict,
    ExchangeSeen,
    ExercisePhase,
    ExerciseWork,
    Setting,
    WorkGroup,
    Workshop,
    new_id,
)

LAPTOP_ID = "sync.laptop_id"
STATE_PREFIX = "sync.state."  # + workshop id: the cursors of this laptop
# On the server: raised by every push of the group that changed something; the
# facilitator's "share feedback with the groups" switch, per workshop.
CHANGES_PREFIX = "sync.changes."
FEEDBACK_SHARED_PREFIX = "sync.feedback_shared."

AUTHORITATIVE_TABLES = ("workshop", "work_group", "exercise_phase")  # the facilitator's
PULLED_GROUP_TABLES = ("member", *GROUP_TABLES[2:])  # merged as a group file is
WORK_TABLES = GROUP_TABLES[1:]  # what a laptop pushes (its group row only names it)


@dataclass
class SyncReport:
    """What one round did."""

    pushed: int = 0  # records sent to the server
    pulled: int = 0  # records added or changed on this laptop
    conflicts: int = 0  # versions kept aside (on the server or here) in this round
    pull_skipped: bool = False  # the server had nothing new
    seconds: float = 0.0
    finished_at: float = field(default_factory=time.time)


@dataclass
class _State:
    server: str = ""
    pushed: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> key -> hash
    fingerprint: dict[str, list[int]] | None = None

    @classmethod
    def load(cls, s: Session, workshop_id: str, server: str) -> _State:
        row = s.get(Setting, STATE_PREFIX + workshop_id)
        if row is not None:
            try:
                raw = json.loads(row.value)
                if raw.get("server") == server:
                    return cls(server, raw.get("pushed", {}), raw.get("fingerprint"))
            except (ValueError, AttributeError):
                pass  # unreadable: start afresh (the merge makes a full round harmless)
        return cls(server)

    def save(self, s: Session, workshop_id: str) -> None:
        value = json.dumps({"server": self.server, "pushed": self.pushed,
                            "fingerprint": self.fingerprint}, sort_keys=True)
        keys.put_setting(s, STATE_PREFIX + workshop_id, value)


def laptop_name(s: Session) -> str:
    """This laptop in the records of the server's conflicts: the host name and a short
    id made once (two laptops may share a host name)."""
    row = s.get(Setting, LAPTOP_ID)
    if row is None:
        row = Setting(key=LAPTOP_ID, value=new_id()[:8])
        s.add(row)
    host = "".join(ch for ch in socket.gethostname() if ch.isalnum() or ch in "-_.")[:40]
    return f"sync-{host or 'laptop'}-{row.value}"


class SyncService:
    def __init__(self, local: Store, server: ServerStore) -> None:
        self.local = local
        self.server = server
        self.exchange = ExchangeService(local)
        # What the last pull found unchanged on the server (workshop, group, fingerprint).
        self.unchanged_server: tuple[str, str, dict[str, list[int]]] | None = None

    # -- which workshop and group ---------------------------------------------------------
    def laptop_group(self) -> tuple[str, str]:
        """The workshop and group this laptop was set up for (by the group's kit)."""
        with self.local.session() as s:
            workshop = s.get(Setting, keys.CURRENT_WORKSHOP)
            group = s.get(Setting, keys.CURRENT_GROUP)
            if workshop is None or group is None or s.get(WorkGroup, group.value) is None:
                raise RmdeskError("sync_no_group")
            if trust.get_key(s, workshop.value) is None:
                raise RmdeskError("sync_needs_kit")
            return workshop.value, group.value

    # -- a round ----------------------------------------------------------------------------
    def sync_once(self) -> SyncReport:
        started = time.perf_counter()
        workshop_id, group_id = self.laptop_group()
        report = SyncReport()
        # Pull first: what the server already holds (the kit's records, another laptop's
        # work) joins the cursor, so the push after it sends only this laptop's own news.
        self.pull(workshop_id, group_id, report)
        self.push(workshop_id, group_id, report)
        report.seconds = time.perf_counter() - started
        report.finished_at = time.time()
        return report

    def quiet_round(self, workshop_id: str, group_id: str,
                    fingerprint: dict[str, list[int]]) -> SyncReport | None:
        """A round when nothing changed on this laptop since a round that had nothing to
        send: one statement asks the server whether anything is new for this laptop.
        None: it has news, a full round is due."""
        started = time.perf_counter()
        with self.server.snapshot_session() as ss:
            if server_fingerprint(ss, workshop_id, group_id) != fingerprint:
                return None
        return SyncReport(pull_skipped=True, seconds=time.perf_counter() - started)

    def _server_id(self) -> str:
        return redacted(self.server.url)

    # -- push -------------------------------------------------------------------------------
    def _changed_records(self, s: Session, workshop_id: str, group_id: str
                         ) -> tuple[dict[str, list[tuple[dict[str, Any], list[str]]]],
                                    list[tuple[Any, str, str, int]], _State]:
        """The group's records whose version the server does not hold yet, as an export
        writes them (with their histories), and the versions to remember once sent.

        Each round looks at every record, so rows are read as plain rows (no ORM objects)
        and only the records to send get their histories looked up."""
        state = _State.load(s, workshop_id, self._server_id())
        rows: dict[str, list[Any]] = {}
        for table in WORK_TABLES:
            spec = TABLES[table]
            known = state.pushed.get(table, {})
            table_rows = _plain_rows(s, spec, "group_id", group_id)
            # A record's version: its content hash; an append-only record's, its first
            # known version or else its id (as `ExchangeService._records` makes them).
            seen = {} if spec.revisioned else _histories(
                s, table, [spec.key_of(wire_of_row(spec, r)) for r in table_rows])
            out = []
            for row in table_rows:
                wire, digest = wire_and_hash(spec, row)
                key = spec.key_of(wire)
                version = digest if spec.revisioned else \
                    (seen[key][0] if seen.get(key) else wire["id"])
                if known.get(key) != version:
                    out.append(row)
            if out:
                rows[table] = out
        if not rows:
            return {}, [], state
        group = s.get(WorkGroup, group_id)
        assert group is not None
        rows["work_group"] = [group]
        changed, remember = self.exchange._records(s, [t for t in GROUP_TABLES if t in rows],
                                                   rows)
        return changed, remember, state

    def pending_changes(self) -> int:
        """Records of this laptop's group that the server does not have yet."""
        workshop_id, group_id = self.laptop_group()
        with self.local.session() as s:
            changed, _remember, _state = self._changed_records(s, workshop_id, group_id)
        return sum(len(v) for t, v in changed.items() if t != "work_group")

    def push(self, workshop_id: str, group_id: str, report: SyncReport) -> None:
        with self.local.session() as s:
            changed, remember, state = self._changed_records(s, workshop_id, group_id)
            count = sum(len(v) for t, v in changed.items() if t != "work_group")
            if not count:
                return
            workshop = s.get(Workshop, workshop_id)
            group = s.get(WorkGroup, group_id)
            assert workshop is not None and group is not None
            signer, key = self._signer(s, workshop, group)
            manifest = ExchangeService._manifest(GROUP_WORK, workshop, group, signer,
                                                 key.public_key)
            private = key.private_key
            source = laptop_name(s)
        data = archive.build_archive(manifest, changed, {}, private)
        bundle = archive.parse_bundle(Path(source), data)
        with self.server.write_session() as ss:
            lock_group(ss, self.server.dialect, group_id)
            before = server_fingerprint(ss, workshop_id, group_id)
            ExchangeService._authorise(ss, bundle)
            records = {t: r for t, r in bundle.records.items() if t != "work_group"}
            planned = merge.plan(ss, records, bundle.name)
            revisions = [getattr(p.local, "revision", 0) for p in planned]
            merge.apply(ss, planned, {}, workshop_id, bundle.name)
            actions = [p.action for p in planned]
            changed_server = any(a in (merge.ADD, merge.UPDATE, merge.CONFLICT)
                                 for a in actions)
            if changed_server:
                _bump_changes(ss, group_id)
            ss.flush()
            after = server_fingerprint(ss, workshop_id, group_id)
            # What this push alone did to the fingerprint: if that is all that changed
            # (and the laptop had pulled everything before), the next pull need not read
            # the laptop's own work back.
            expected = _expected_after(before, planned, revisions, changed_server)
        own_only = after == expected and before == state.fingerprint
        # The server holds these versions now: remember them (as an export does) and move
        # the cursor. Cut before this, the next round sends them again, harmlessly.
        with self.local.session() as s:
            log = merge.SeenLog()
            for spec, key_, digest, revision in remember:
                log.add(spec.name, key_, [digest], revision)
            log.write(s)
            state = _State.load(s, workshop_id, self._server_id())
            for table, recs in changed.items():
                if table == "work_group":
                    continue
                spec = TABLES[table]
                for wire, history in recs:
                    state.pushed.setdefault(table, {})[spec.key_of(wire)] = (
                        history[0] if history else wire["id"])
            if own_only and state.fingerprint == before:
                state.fingerprint = after
            state.save(s, workshop_id)
        report.pushed += count
        report.conflicts += actions.count(merge.CONFLICT)

    @staticmethod
    def _signer(s: Session, workshop: Workshop, group: WorkGroup) -> tuple[str, Any]:
        """The key a USB export of this group's work would be signed with here."""
        own = trust.own_facilitator_key(s, workshop.id, create=False)
        if own is not None:
            return archive.FACILITATOR, own
        row = trust.get_key(s, workshop.id, group.id)
        if row is None or not row.private_key:
            raise RmdeskError("exchange_not_group_laptop", name=group.name)
        return archive.GROUP, row

    # -- pull -------------------------------------------------------------------------------
    def pull(self, workshop_id: str, group_id: str, report: SyncReport) -> None:
        with self.local.session() as s:
            state = _State.load(s, workshop_id, self._server_id())
        with self.server.snapshot_session() as ss:
            fingerprint = server_fingerprint(ss, workshop_id, group_id)
            if fingerprint == state.fingerprint:
                report.pull_skipped = True
                self.unchanged_server = (workshop_id, group_id, fingerprint)
                return
            rows = _server_rows(ss, workshop_id, group_id)
            overall = _take_overall(rows)  # the facilitator's, not the group's work
            if not rows["workshop"]:
                raise RmdeskError("sync_workshop_not_on_server", url=self._server_id())
            tables = (*AUTHORITATIVE_TABLES, *PULLED_GROUP_TABLES)
            wires, _remember = self.exchange._records(ss, tables, rows)
            shared = fingerprint["shared"][0] > 0  # _feedback_shared, in the same snapshot
            feedback = {w.exercise_id: (w.feedback, w.score)
                        for w in rows["exercise_work"]} if shared else {}
            overall = overall if shared else ""
        name = f"sync {self._server_id()}"
        with self.local.write_session() as s:
            # Most of the server's records are what this laptop already holds (another
            # laptop changed one or two): those are left out before they are checked and
            # planned one by one, and only where merging them would change nothing.
            unchanged = _unchanged_here(s, workshop_id, group_id, wires)
            incoming = {table: _incoming(table, recs, name, unchanged.get(table, set()))
                        for table, recs in wires.items()}
            kit = {t: incoming[t] for t in AUTHORITATIVE_TABLES if incoming.get(t)}
            work = {t: incoming[t] for t in PULLED_GROUP_TABLES if incoming.get(t)}
            planned = merge.plan(s, kit, name, authoritative=True)
            merge.apply(s, planned, {}, workshop_id, name)
            planned_work = merge.plan(s, work, name)
            merge.apply(s, planned_work, {}, workshop_id, name)
            s.flush()
            _share_feedback(s, group_id, feedback)
            _share_overall(s, group_id, overall)
            state = _State.load(s, workshop_id, self._server_id())
            for table, keys_ in unchanged.items():  # what a SAME below records
                if table in WORK_TABLES:
                    for key, version in keys_.items():
                        state.pushed.setdefault(table, {})[key] = version
            for item in planned_work:
                if item.action in (merge.ADD, merge.UPDATE, merge.SAME) and \
                        item.table in WORK_TABLES:
                    version = item.incoming.hash if item.incoming.spec.revisioned \
                        else item.incoming.values["id"]
                    state.pushed.setdefault(item.table, {})[item.key] = version
            state.fingerprint = fingerprint
            state.save(s, workshop_id)
        for item in [*planned, *planned_work]:
            if item.action in (merge.ADD, merge.UPDATE):
                report.pulled += 1
            elif item.action == merge.CONFLICT:
                report.conflicts += 1


# -- the server's side ------------------------------------------------------------------------
def _expected_after(before: dict[str, list[int]], planned: list[merge.Planned],
                    revisions: list[int], bumped: bool) -> dict[str, list[int]]:
    """The fingerprint after applying `planned` to a server whose fingerprint was
    `before`, had nobody else written meanwhile."""
    expected = {name: list(value) for name, value in before.items()}
    for item, revision_before in zip(planned, revisions, strict=True):
        entry = expected[item.table]
        revisioned = item.incoming.spec.revisioned
        if item.action == merge.ADD:
            entry[0] += 1
            entry[1] += item.incoming.revision if revisioned else 1
        elif item.local is not None and revisioned:
            entry[1] += int(item.local.revision) - int(revision_before)  # type: ignore[attr-defined]
    if bumped:
        expected["changes"][1] += 1
    return expected


def _bump_changes(s: Session, group_id: str) -> None:
    """Raise the group's change counter (inside the round's lock on the group)."""
    row = s.get(Setting, CHANGES_PREFIX + group_id)
    if row is None:
        s.add(Setting(key=CHANGES_PREFIX + group_id, value="1"))
    else:
        row.value = str(int(row.value or "0") + 1)
        s.add(row)


def _feedback_shared(s: Session, workshop_id: str) -> bool:
    row = s.get(Setting, FEEDBACK_SHARED_PREFIX + workshop_id)
    return row is not None and row.value == "1"


def set_feedback_shared(server: Store, workshop_id: str, shared: bool) -> None:
    """The facilitator shares (or withdraws) feedback, scores and overall comments with
    the groups' laptops: they arrive with the next round of each laptop."""
    if shared:
        from rmdesk.services.facilitation import FacilitationService

        FacilitationService(server).publish_overall_comments(workshop_id)
    with server.session() as s:
        keys.put_setting(s, FEEDBACK_SHARED_PREFIX + workshop_id, "1" if shared else None)


def feedback_shared(server: Store, workshop_id: str) -> bool:
    with server.session() as s:
        return _feedback_shared(s, workshop_id)


def server_fingerprint(s: Session, workshop_id: str, group_id: str | None
                       ) -> dict[str, list[int]]:
    """A cheap summary of what a laptop of `group_id` (None: the facilitator, every
    group) would pull, in one statement: per table, rows and the sum of revisions (each
    edit raises it); the sum of the groups' change counters; whether feedback is shared."""
    names, statement = _fingerprint_statement(workshop_id, group_id)
    row = s.exec(statement).one()
    values = dict(zip(names, (int(v or 0) for v in row), strict=True))
    return {name: [values[name + ".rows"] if name + ".rows" in values else 0,
                   values.get(name + ".sum", 0)]
            for name in dict.fromkeys(n.split(".")[0] for n in names)}


@functools.lru_cache(maxsize=32)
def _fingerprint_statement(workshop_id: str, group_id: str | None) -> tuple[list[str], Any]:
    """The fingerprint's statement, built once per workshop and group: building it
    (some 25 subqueries) cost a laptop more CPU than the server spends running it."""
    if group_id is not None:
        groups: Any = [group_id]
    else:
        groups = select(WorkGroup.id).where(WorkGroup.workshop_id == workshop_id)
    parts: dict[str, Any] = {}

    def aggregate(name: str, model: Any, where: Any, revisioned: bool = True) -> None:
        total = func.coalesce(func.sum(model.revision), 0) if revisioned else func.count()
        parts[name + ".rows"] = select(func.count()).where(where).scalar_subquery()
        parts[name + ".sum"] = select(total).where(where).scalar_subquery()

    aggregate("workshop", Workshop, Workshop.id == workshop_id)
    aggregate("work_group", WorkGroup, WorkGroup.workshop_id == workshop_id)
    aggregate("exercise_phase", ExercisePhase, ExercisePhase.workshop_id == workshop_id)
    for table in WORK_TABLES:
        spec = TABLES[table]
        model = spec.model
        aggregate(table, model, col(model.group_id).in_(groups),  # type: ignore[attr-defined]
                  revisioned=spec.revisioned)
    counter_keys = [CHANGES_PREFIX + group_id] if group_id is not None else select(
        literal(CHANGES_PREFIX).concat(WorkGroup.id)).where(
        WorkGroup.workshop_id == workshop_id)
    parts["changes.sum"] = select(func.coalesce(func.sum(cast(Setting.value, Integer)), 0)
                                  ).where(col(Setting.key).in_(counter_keys)).scalar_subquery()
    parts["shared.rows"] = select(func.count()).where(
        Setting.key == FEEDBACK_SHARED_PREFIX + workshop_id, Setting.value == "1"
    ).scalar_subquery()
    names = list(parts)
    return names, select(*[parts[n].label(n.replace(".", "_")) for n in names])  # type: ignore[call-overload]


def _plain_rows(s: Session, spec: Any, column: str, value: str) -> list[Any]:
    """A table's rows where `column` is `value`, as plain rows (their values by
    attribute, as a model's): reading a group's records every round as ORM objects cost
    more than everything else the round does."""
    return list(s.connection().execute(_rows_statement(spec.model.__table__, column),
                                       {"value": value}))


@functools.cache
def _rows_statement(table: Any, column: str) -> Any:
    # By id, as merge._local_rows reads them (of two rows with one natural key, it
    # takes the first).
    return sa_select(table).where(table.c[column] == bindparam("value")).order_by(table.c.id)


def _server_rows(s: Session, workshop_id: str, group_id: str) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {
        "workshop": _plain_rows(s, TABLES["workshop"], "id", workshop_id),
        "work_group": _plain_rows(s, TABLES["work_group"], "workshop_id", workshop_id),
        "exercise_phase": _plain_rows(s, TABLES["exercise_phase"], "workshop_id",
                                      workshop_id),
    }
    for table in WORK_TABLES:  # the group's own members and work
        rows[table] = _plain_rows(s, TABLES[table], "group_id", group_id)
    return rows


def _unchanged_here(s: Session, workshop_id: str, group_id: str,
                    wires: dict[str, list[tuple[dict[str, Any], list[str]]]]
                    ) -> dict[str, dict[str, str]]:
    """The pulled records whose merge would change nothing on this laptop, by table:
    key -> version. Such a record is planned SAME (this laptop holds the same content,
    found as `merge.plan` finds it) and applying that writes nothing: no revision to
    raise (ours is not lower), no version to remember (all known here), no version kept
    aside to drop (none waits for it)."""
    where = {"workshop": ("id", workshop_id), "work_group": ("workshop_id", workshop_id),
             "exercise_phase": ("workshop_id", workshop_id)}
    keys_by_table = {table: [TABLES[table].key_of(w) for w, _h in recs]
                     for table, recs in wires.items() if recs}
    every_key = sorted({k for keys_ in keys_by_table.values() for k in keys_})
    known: dict[tuple[str, str], set[str]] = {}
    waiting: set[tuple[str, str]] = set()
    for start in range(0, len(every_key), 500):
        chunk = every_key[start:start + 500]
        for table, key, digest in s.exec(select(
                ExchangeSeen.table_name, ExchangeSeen.record_key, ExchangeSeen.content_hash
        ).where(col(ExchangeSeen.record_key).in_(chunk))):
            known.setdefault((table, key), set()).add(digest)
        for table, key in s.exec(select(ExchangeConflict.table_name,
                                        ExchangeConflict.record_key).where(
                col(ExchangeConflict.record_key).in_(chunk))):
            waiting.add((table, key))
    out: dict[str, dict[str, str]] = {}
    for table, recs in wires.items():
        if not recs:
            continue
        spec = TABLES[table]
        column, value = where.get(table, ("group_id", group_id))
        local: dict[str, Any] = {}
        # As merge._local_rows: by key; of two rows with one natural key, the first by id.
        for row in _plain_rows(s, spec, column, value):
            local.setdefault(spec.key_of({k: getattr(row, k) for k in spec.natural_key}),
                             row)
        for wire, history in recs:
            key = spec.key_of(wire)
            row = local.get(key)
            if row is None or (table, key) in waiting:
                continue
            if spec.parent is not None and \
                    getattr(row, spec.parent[0]) != wire[spec.parent[0]]:
                continue  # merge.plan refuses it: leave that to it
            if spec.revisioned:
                digest = history[0] if history else ""
                if not spec.append_only and wire_and_hash(spec, row)[1] != digest:
                    continue  # another version: merge.plan decides
                if int(row.revision or 0) < int(wire.get("revision", 0)) or not set(
                        history[:archive.MAX_HISTORY]) <= known.get((table, key), set()):
                    continue  # keeping ours would raise its revision or learn a version
                out.setdefault(table, {})[key] = digest
            elif spec.append_only:  # the same record: nothing to compare
                out.setdefault(table, {})[key] = wire["id"]
    return out


def _incoming(table: str, records: Sequence[tuple[dict[str, Any], list[str]]],
              name: str, leave_out: Collection[str] = ()) -> list[Incoming]:
    """Server rows as a file's records: validated by the same shapes, so a row the
    exchange would refuse is refused here too."""
    spec = TABLES[table]
    return [archive._incoming(spec, RecordEntry(fields=wire, history=history[
        :archive.MAX_HISTORY]), name, f"records/{table}.json", index)
        for index, (wire, history) in enumerate(records)
        if spec.key_of(wire) not in leave_out]


def _share_feedback(s: Session, group_id: str,
                    feedback: dict[str, tuple[str, int | None]]) -> None:
    """The facilitator's feedback and scores on this laptop: the server's while they are
    shared, none otherwise. Not content (never hashed, never pushed back)."""
    # Read plainly; only the rows whose feedback changes are loaded as objects.
    stale = [plain.id for plain in _plain_rows(s, TABLES["exercise_work"], "group_id", group_id)
             if (plain.feedback, plain.score) != feedback.get(plain.exercise_id, ("", None))]
    for row_id in stale:
        row = s.get(ExerciseWork, row_id)
        assert row is not None
        row.feedback, row.score = feedback.get(row.exercise_id, ("", None))
        s.add(row)


def _take_overall(rows: dict[str, list[Any]]) -> str:
    """Take the copy of the facilitator's overall comment out of the group's rows (see
    facilitation.OVERALL_EXERCISE): it is not merged as work; its text, "" for none."""
    from rmdesk.services.facilitation import OVERALL_EXERCISE

    found = [w for w in rows["exercise_work"] if w.exercise_id == OVERALL_EXERCISE]
    rows["exercise_work"] = [w for w in rows["exercise_work"]
                             if w.exercise_id != OVERALL_EXERCISE]
    return found[0].feedback if found else ""


def _share_overall(s: Session, group_id: str, text: str) -> None:
    """The overall comment on this laptop, where its group's print reads it: the
    server's while feedback is shared, none otherwise (as _share_feedback)."""
    from rmdesk.services.facilitation import overall_key

    keys.put_setting(s, overall_key(group_id), text.strip() or None)


def local_hashes(s: Session, group_id: str) -> dict[str, dict[str, str]]:
    """The current version of each record of the group here (tests and the bench)."""
    out: dict[str, dict[str, str]] = {}
    for table in WORK_TABLES:
        spec = TABLES[table]
        for row in s.exec(select(spec.model).where(
                spec.model.group_id == group_id)):  # type: ignore[attr-defined]
            wire = wire_of_row(spec, row)
            out.setdefault(table, {})[spec.key_of(wire)] = content_hash(spec, wire)
    return out


class SyncSession:
    """Rounds with one server over time (the app's background sync, `rmdesk sync
    --every`): connects when needed, keeps the connection between rounds, and after a
    failure connects afresh next round.

    Most rounds find nothing changed on either side. SQLite counts the commits made to
    the laptop's store by every other connection (PRAGMA data_version, read on a
    connection of this session's own): while it has not moved since a round that had
    nothing to send and nothing to pull, this laptop has nothing new, and the round is one
    question to the server (`SyncService.quiet_round`)."""

    def __init__(self, local: Store, url: str) -> None:
        self.local = local
        self.url = url
        self._server: ServerStore | None = None
        self._watch = _CommitCounter(local)
        # (data_version, workshop, group, fingerprint) after a round with nothing to do
        self._quiet: tuple[int, str, str, dict[str, list[int]]] | None = None

    def _service(self) -> SyncService:
        if self._server is None:
            from rmdesk.services.sync.server import open_server

            self._server = open_server(self.url)
        return SyncService(self.local, self._server)

    def round(self) -> SyncReport:
        try:
            service = self._service()
            version = self._watch.version()  # before anything is read
            if self._quiet is not None and version is not None and version == self._quiet[0]:
                report = service.quiet_round(*self._quiet[1:])
                if report is not None:
                    return report
            self._quiet = None
            report = service.sync_once()
            # Quiet as of the count read *before* the round: a commit after it (an edit
            # typed meanwhile, this round's own writes) moves the count, and the next
            # round is a whole one. (A round that wrote is not recorded at all.)
            if version is not None and report.pull_skipped and not report.pushed and \
                    service.unchanged_server is not None and self._watch.version() == version:
                self._quiet = (version, *service.unchanged_server)
            return report
        except RmdeskError as exc:
            if exc.code in ("sync_offline", "sync_server_not_ready"):
                self.close()
            raise

    def pending_changes(self) -> int:
        """What waits to be sent, counted on this laptop alone (works offline)."""
        version = self._watch.version()
        if self._quiet is not None and version is not None and version == self._quiet[0]:
            return 0  # nothing committed here since a round that had nothing to send
        return SyncService(self.local, _Offline(self.url)).pending_changes()  # type: ignore[arg-type]

    def close(self) -> None:
        self._quiet = None
        self._watch.close()
        if self._server is not None:
            self._server.close()
            self._server = None


class _CommitCounter:
    """PRAGMA data_version of the laptop's SQLite store, on a connection used for
    nothing else: it changes whenever another connection (the app's, this session's
    rounds, another process) commits a change. Its values compare only while that
    connection stays open. None on a store that is not a file."""

    def __init__(self, store: Store) -> None:
        database = store.engine.url.database
        self._database = database if store.engine.dialect.name == "sqlite" and database \
            and database != ":memory:" else None
        self._connection: sqlite3.Connection | None = None

    def version(self) -> int | None:
        if self._database is None:
            return None
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(self._database, check_same_thread=False,
                                                   isolation_level=None)
            return int(self._connection.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            self.close()
            return None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _Offline:
    """Enough of a server for counting what waits to be sent, without connecting."""

    def __init__(self, url: str) -> None:
        self.url = url


def check_connection(local: Store, url: str) -> str:
    """Connect to the server and check it can serve this laptop: its schema is current,
    it holds this laptop's workshop and group. Returns the workshop's title there."""
    from rmdesk.services.sync.server import open_server

    service = SyncService(local, _Offline(url))  # type: ignore[arg-type]
    workshop_id, group_id = service.laptop_group()
    server = open_server(url)
    try:
        with server.session() as s:
            workshop = s.get(Workshop, workshop_id)
            group = s.get(WorkGroup, group_id)
            if workshop is None or group is None:
                raise RmdeskError("sync_workshop_not_on_server", url=redacted(url))
            return workshop.title
    finally:
        server.close()
