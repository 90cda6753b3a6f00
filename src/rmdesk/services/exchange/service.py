"""Export a workshop kit or a group's work to a file; preview and import such files.

Each file is imported in one transaction: everything it holds, or (when it is refused, or
anything fails) nothing at all. Refusals are RmdeskErrors naming the file and the reason.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import exc as sa_exc
from sqlmodel import Session, col, select

from rmdesk import __version__
from rmdesk.errors import RmdeskError
from rmdesk.services import settings as keys
from rmdesk.services.exchange import archive, merge, trust
from rmdesk.services.exchange.archive import (
    FACILITATOR,
    GROUP,
    GROUP_WORK,
    KIT,
    MAX_HISTORY,
    SAFE_FILE_NAME,
    TRUST,
    Bundle,
    Incoming,
    pack_file_name,
)
from rmdesk.services.exchange.schema import (
    GROUP_TABLES,
    KIT_TABLES,
    TABLES,
    TableSpec,
    content_hash,
    store_value,
    wire_and_hash,
    wire_of_row,
)
from rmdesk.store.database import Store
from rmdesk.store.models import (
    ExchangeConflict,
    ExchangeKey,
    ExchangeSeen,
    Member,
    Setting,
    WorkGroup,
    Workshop,
)

PACKS_DIR = "packs"
DATASETS_DIR = "datasets"
FILE_ADD, FILE_SAME, FILE_KEPT = "add", "same", "kept"


@dataclass(frozen=True)
class Change:
    """One record of a file and what importing it does (see merge: add, update, ...)."""

    table: str
    key: str
    action: str
    label: str
    # For a conflict: (field, this laptop's value, the file's value) for each field that differs.
    differences: tuple[tuple[str, Any, Any], ...] = ()
    # This laptop's version when planned: a choice made on it applies only to it.
    local_hash: str | None = None

    @property
    def table_label(self) -> str:  # N_-marked English; translate where shown
        return TABLES[self.table].label


@dataclass(frozen=True)
class FileChange:
    path: str  # packs/<name> or datasets/<name>
    action: str  # add | same | kept (a different file of that name is already here)


@dataclass
class ImportReport:
    path: Path
    error: RmdeskError | None = None
    kind: str = ""
    workshop_id: str = ""
    workshop_title: str = ""
    group_name: str = ""
    changes: list[Change] = field(default_factory=list)
    files: list[FileChange] = field(default_factory=list)
    applied: bool = False

    @property
    def refused(self) -> bool:
        return self.error is not None

    def count(self, *actions: str) -> int:
        return sum(1 for c in self.changes if c.action in actions)

    @property
    def added(self) -> int:
        return self.count(merge.ADD) + sum(1 for f in self.files if f.action == FILE_ADD)

    @property
    def updated(self) -> int:
        return self.count(merge.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(merge.SAME, merge.OLDER, merge.PENDING)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.action in (merge.CONFLICT, merge.PENDING)]

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.updated or self.count(merge.CONFLICT))


@dataclass(frozen=True)
class ExportReport:
    path: Path
    kind: str
    counts: dict[str, int]  # table -> records written
    missing_pack: str | None = None  # the workshop's pack file, when it was not found


@dataclass(frozen=True)
class PendingConflict:
    id: str
    table: str
    key: str
    label: str
    source: str
    workshop_id: str
    mine: dict[str, Any] | None  # None: the record is no longer on this laptop
    theirs: dict[str, Any]

    @property
    def table_label(self) -> str:
        return TABLES[self.table].label

    @property
    def differences(self) -> tuple[tuple[str, Any, Any], ...]:
        if self.mine is None:
            return ()
        return field_differences(self.table, self.mine, self.theirs)


def field_differences(table: str, mine: dict[str, Any], theirs: dict[str, Any]
                      ) -> tuple[tuple[str, Any, Any], ...]:
    """The content fields whose values differ between two versions of a record."""
    return tuple((name, mine.get(name), theirs.get(name)) for name in TABLES[table].hashed
                 if mine.get(name) != theirs.get(name))


# (table, key) -> merge.MINE | merge.THEIRS, or (choice, Change.local_hash of the preview)
Resolutions = dict[tuple[str, str], merge.Resolution]


class ExchangeService:
    def __init__(self, store: Store, data_dir: Path | None = None) -> None:
        self.store = store
        self.data_dir = Path(data_dir) if data_dir is not None else store.path.parent

    # -- export ----------------------------------------------------------------------------
    def can_write_kit(self, workshop_id: str) -> bool:
        """Whether this laptop is the workshop's facilitator's (holds its key, or made the
        workshop and has not signed anything yet)."""
        with self.store.session() as s:
            row = trust.get_key(s, workshop_id)
            return s.get(Workshop, workshop_id) is not None and (
                row is None or bool(row.private_key))

    def export_kit(self, workshop_id: str, path: Path, group_id: str | None = None
                   ) -> ExportReport:
        """The workshop, its groups, members and phase state, its content pack and data sets:
        everything a participant laptop needs, signed with the facilitator's key. With
        `group_id`, the kit also sets laptops up for that group: it carries that group's
        signing key (and no other group's)."""
        with self.store.session() as s:
            workshop = self._workshop(s, workshop_id)
            signer = trust.own_facilitator_key(s, workshop_id, create=True)
            if signer is None:
                raise RmdeskError("exchange_not_facilitator", title=workshop.title)
            pin = s.get(Setting, keys.FACILITATOR_PIN)
            if pin is None or not _valid_pin_hash(pin.value):
                raise RmdeskError("exchange_kit_needs_pin")
            groups = list(s.exec(select(WorkGroup).where(WorkGroup.workshop_id == workshop_id)))
            group_ids = [g.id for g in groups]
            rows: dict[str, list[Any]] = {"workshop": [workshop], "work_group": groups}
            rows["member"] = list(s.exec(select(Member).where(
                col(Member.group_id).in_(group_ids)))) if group_ids else []
            model = TABLES["exercise_phase"].model
            rows["exercise_phase"] = list(s.exec(select(model).where(
                model.workshop_id == workshop_id)))  # type: ignore[attr-defined]
            kit_group = None
            if group_id is not None:
                kit_group = next((g for g in groups if g.id == group_id), None)
                if kit_group is None:
                    raise RmdeskError("unknown_group", name=group_id)
            group_keys = {g.id: trust.issue_group_key(s, workshop_id, g.id) for g in groups}
            kit_trust = {
                "facilitator_key": signer.public_key,
                "facilitator_pin": pin.value,
                "group_keys": {gid: key.public_key for gid, key in group_keys.items()},
                "group_secret": None if kit_group is None else {
                    "group_id": kit_group.id,
                    "private_key": group_keys[kit_group.id].private_key,
                    "server": self._group_server(kit_group.id)},
            }
            from rmdesk.services import agenda

            chosen = s.get(Setting, agenda.setting_key(workshop_id))
            exercises = agenda.parse_stored(chosen.value if chosen else None)
            if exercises is not None:  # left out for "all": older versions read the kit
                kit_trust["exercises"] = exercises
            records, remember = self._records(s, KIT_TABLES, rows)
            files, missing = self._kit_files(workshop)
            files[TRUST] = json.dumps(kit_trust, indent=1, sort_keys=True).encode("utf-8")
            manifest = self._manifest(KIT, workshop, kit_group, FACILITATOR,
                                      signer.public_key)
            private = signer.private_key
        return self._write(path, KIT, manifest, records, files, remember, missing, private)

    def _group_server(self, group_id: str) -> dict[str, object] | None:
        """The group's connection to the classroom server this store is on (its own role,
        made by `rmdesk server add-group`); None on a laptop's file, or before the group
        has a role."""
        if not self.store.is_server:
            return None
        from rmdesk.services.server_admin import find_group_connection, group_connection

        found = find_group_connection(self.store, group_id)
        if found is None:
            return None
        return group_connection(self.store.engine.url, *found)

    def export_group_work(self, group_id: str, path: Path) -> ExportReport:
        """Everything one group did, without the facilitator's feedback and scores."""
        with self.store.session() as s:
            group = s.get(WorkGroup, group_id)
            if group is None:
                raise RmdeskError("unknown_group", name=group_id)
            workshop = self._workshop(s, group.workshop_id)
            signer_role, key = self._group_signer(s, workshop, group)
            rows: dict[str, list[Any]] = {"work_group": [group]}
            for table in GROUP_TABLES[1:]:
                model = TABLES[table].model
                rows[table] = list(s.exec(select(model).where(
                    model.group_id == group_id)))  # type: ignore[attr-defined]
            # The facilitator's overall comment's copy for live sync is no group work.
            from rmdesk.services.facilitation import OVERALL_EXERCISE

            rows["exercise_work"] = [r for r in rows["exercise_work"]
                                     if r.exercise_id != OVERALL_EXERCISE]
            records, remember = self._records(s, GROUP_TABLES, rows)
            manifest = self._manifest(GROUP_WORK, workshop, group, signer_role, key.public_key)
            private = key.private_key
        return self._write(path, GROUP_WORK, manifest, records, {}, remember, None, private)

    def new_group_key(self, workshop_id: str, group_id: str) -> None:
        """Replace a group's key (a laptop of the group was lost): files signed with the
        old key are refused from now on here, and on each laptop once a newer kit is
        imported there; the group's laptops need the group's new kit to sign again."""
        with self.store.session() as s:
            workshop = self._workshop(s, workshop_id)
            if trust.own_facilitator_key(s, workshop_id, create=True) is None:
                raise RmdeskError("exchange_not_facilitator", title=workshop.title)
            group = s.get(WorkGroup, group_id)
            if group is None or group.workshop_id != workshop_id:
                raise RmdeskError("unknown_group", name=group_id)
            old = trust.get_key(s, workshop_id, group_id)
            if old is not None:
                s.delete(old)
                s.flush()
            trust.issue_group_key(s, workshop_id, group_id)

    @staticmethod
    def _group_signer(s: Session, workshop: Workshop, group: WorkGroup
                      ) -> tuple[str, ExchangeKey]:
        """The key that signs a group's work here: the facilitator's on the facilitator's
        laptop, else the group's own, which only the kit for that group brings."""
        own = trust.own_facilitator_key(s, workshop.id, create=True)
        if own is not None:
            return FACILITATOR, own
        row = trust.get_key(s, workshop.id, group.id)
        if row is None or not row.private_key:
            raise RmdeskError("exchange_not_group_laptop", name=group.name)
        return GROUP, row

    def _workshop(self, s: Session, workshop_id: str) -> Workshop:
        workshop = s.get(Workshop, workshop_id)
        if workshop is None:
            raise RmdeskError("unknown_workshop", title=workshop_id)
        return workshop

    @staticmethod
    def _manifest(kind: str, workshop: Workshop, group: WorkGroup | None, signer: str,
                  signer_key: str) -> dict[str, Any]:
        return {
            "kind": kind,
            "app_version": __version__,
            "created_at": archive.now_text(),
            "workshop_id": workshop.id,
            "workshop_title": workshop.title,
            "group_id": group.id if group else None,
            "group_name": group.name if group else None,
            "signer": signer,
            "signer_key": signer_key,
        }

    def _records(self, s: Session, tables: Sequence[str], rows: dict[str, list[Any]]
                 ) -> tuple[dict[str, list[tuple[dict[str, Any], list[str]]]],
                            list[tuple[TableSpec, str, str, int]]]:
        records: dict[str, list[tuple[dict[str, Any], list[str]]]] = {}
        remember: list[tuple[TableSpec, str, str, int]] = []
        wires_of: dict[str, list[tuple[dict[str, Any], str]]] = {}
        for table in tables:
            spec = TABLES[table]
            wires_of[table] = sorted((wire_and_hash(spec, row) for row in rows.get(table, [])),
                                     key=lambda w: spec.key_of(w[0]))
        histories = _histories_of(s, {table: [TABLES[table].key_of(w) for w, _d in wires]
                                      for table, wires in wires_of.items()})
        for table in tables:
            spec = TABLES[table]
            wires = wires_of[table]
            history = histories.get(table, {})
            out = []
            for wire, content in wires:
                key = spec.key_of(wire)
                digest = content if spec.revisioned else ""
                known = [h for h in history.get(key, []) if h != digest]
                out.append((wire, ([digest] if digest else []) + known[:MAX_HISTORY - 1]))
                if digest:
                    remember.append((spec, key, digest, int(wire.get("revision", 0))))
            records[table] = out
        return records, remember

    def _kit_files(self, workshop: Workshop) -> tuple[dict[str, bytes], str | None]:
        files: dict[str, bytes] = {}
        missing = None
        if workshop.pack_id and not _is_builtin(workshop.pack_id, workshop.pack_version):
            name = pack_file_name(workshop.pack_id, workshop.pack_version)
            source = self.data_dir / PACKS_DIR / name
            if SAFE_FILE_NAME.match(name) and source.is_file():
                files[f"{PACKS_DIR}/{name}"] = _read_limited(source)
            else:
                missing = name
        folder = self.data_dir / DATASETS_DIR
        if folder.is_dir():
            # Only whole declaration data sets (description and arrays): the kit's importer
            # accepts nothing else there.
            for item in sorted(folder.glob("*.json")):
                arrays = item.with_suffix(".npz")
                if archive.DATASET_ID.fullmatch(item.stem) and all(
                        p.is_file() and not p.is_symlink() for p in (item, arrays)):
                    for part in (item, arrays):
                        files[f"{DATASETS_DIR}/{part.name}"] = _read_limited(part)
        return files, missing

    def _write(self, path: Path, kind: str, manifest: dict[str, Any],
               records: dict[str, list[tuple[dict[str, Any], list[str]]]],
               files: dict[str, bytes], remember: list[tuple[TableSpec, str, str, int]],
               missing: str | None, private_key: str) -> ExportReport:
        path = Path(path)
        data = archive.build_archive(manifest, records, files, private_key)
        archive.write_atomically(path, data)
        # The exported versions join each record's known history, so that what this laptop
        # writes next can be recognised elsewhere as building on them.
        with self.store.session() as s:
            log = merge.SeenLog()
            for spec, key, digest, revision in remember:
                log.add(spec.name, key, [digest], revision)
            log.write(s)
        counts = {table: len(rows) for table, rows in records.items()}
        return ExportReport(path, kind, counts, missing)

    # -- import ----------------------------------------------------------------------------
    def preview(self, path: Path) -> ImportReport:
        """What importing the file would do; nothing is written."""
        return self.import_file(path, dry_run=True)

    def import_files(self, paths: Iterable[Path], *, dry_run: bool = False,
                     resolutions: dict[Path, Resolutions] | None = None,
                     progress: Callable[[int, int], None] | None = None
                     ) -> list[ImportReport]:
        """Each file on its own: a refused file does not stop the others."""
        paths = list(paths)
        reports = []
        for index, path in enumerate(paths):
            choice = (resolutions or {}).get(Path(path), {})
            reports.append(self.import_file(path, dry_run=dry_run, resolutions=choice))
            if progress is not None:
                progress(index + 1, len(paths))
        return reports

    def import_file(self, path: Path, *, dry_run: bool = False,
                    resolutions: Resolutions | None = None) -> ImportReport:
        path = Path(path)
        report = ImportReport(path)
        try:
            bundle = archive.parse_bundle(path)
            report.kind = bundle.kind
            report.workshop_id = bundle.manifest.workshop_id
            report.workshop_title = bundle.manifest.workshop_title
            report.group_name = bundle.manifest.group_name or ""
            self._import(bundle, report, dry_run, resolutions or {})
        except RmdeskError as exc:
            report.error = exc
            report.changes, report.files, report.applied = [], [], False
        return report

    def _import(self, bundle: Bundle, report: ImportReport, dry_run: bool,
                resolutions: Resolutions) -> None:
        created: list[Path] = []
        try:
            # One write transaction from the first read to the last write: nothing can
            # change between the plan and its application, and a parallel import waits.
            with self.store.write_session() as s:
                pin_kit = self._authorise(s, bundle)
                records = bundle.records
                if bundle.kind == GROUP_WORK:
                    # A group's file never changes the group itself (its name, its place):
                    # groups are the facilitator's, and change only through the kit.
                    records = {t: r for t, r in records.items() if t != "work_group"}
                planned = merge.plan(s, records, bundle.name,
                                     authoritative=bundle.kind == KIT)
                report.changes = [_change(p) for p in planned]
                file_plan = self._plan_files(bundle)
                report.files = [FileChange(member, action) for member, action, _t in file_plan]
                if dry_run:
                    s.rollback()
                    return
                merge.apply(s, planned, resolutions, bundle.manifest.workshop_id, bundle.name)
                if bundle.kind == KIT:
                    self._select_new_workshop(s, planned)
                    if pin_kit:
                        self._take_kit_trust(s, bundle)
                for member, action, target in file_plan:
                    if action == FILE_ADD:
                        self._write_data_file(bundle, target, bundle.files[member], created)
                s.flush()
        except sa_exc.IntegrityError as exc:
            _remove(created)
            raise RmdeskError("exchange_inconsistent", path=bundle.name,
                              detail=str(exc.orig)) from None
        except BaseException:
            _remove(created)
            raise
        report.applied = True
        # A conflict settled by a choice is no longer pending: say what became of it.
        settled = {merge.THEIRS: merge.UPDATE, merge.MINE: merge.SAME}
        changes = []
        for c in report.changes:
            choice = merge.choice_for(resolutions.get((c.table, c.key)), c.local_hash)
            if c.action in (merge.CONFLICT, merge.PENDING) and choice in settled:
                c = Change(c.table, c.key, settled[choice], c.label, c.differences,
                           c.local_hash)
            changes.append(c)
        report.changes = changes

    @staticmethod
    def _authorise(s: Session, bundle: Bundle) -> bool:
        """Refuse a file whose signer may not write it here. For a kit, returns whether
        its keys and PIN are to be taken (not on the facilitator's own laptop)."""
        m, name = bundle.manifest, bundle.name
        workshop = s.get(Workshop, m.workshop_id)
        pinned = trust.get_key(s, m.workshop_id)
        if bundle.kind == KIT:
            if pinned is None:
                if workshop is not None:
                    # Made on this laptop (or set up before kits were signed): only this
                    # laptop's own kits may change it.
                    raise RmdeskError("exchange_wrong_facilitator", path=name,
                                      title=m.workshop_title)
                return True  # the first kit of a workshop here pins its facilitator's key
            if pinned.public_key != m.signer_key:
                raise RmdeskError("exchange_wrong_facilitator", path=name,
                                  title=m.workshop_title)
            return not pinned.private_key
        if workshop is None:
            raise RmdeskError("exchange_foreign_workshop", path=name, title=m.workshop_title)
        assert m.group_id is not None
        group = s.get(WorkGroup, m.group_id)
        if group is None or group.workshop_id != m.workshop_id:
            raise RmdeskError("exchange_unknown_group", path=name, name=m.group_name or "")
        if m.signer == FACILITATOR:
            allowed = pinned.public_key if pinned is not None else None
        else:
            row = trust.get_key(s, m.workshop_id, m.group_id)
            allowed = row.public_key if row is not None else None
        if allowed is None or allowed != m.signer_key:
            raise RmdeskError("exchange_wrong_signer", path=name, name=group.name)
        return False

    @staticmethod
    def _take_kit_trust(s: Session, bundle: Bundle) -> None:
        """Pin the facilitator's and the groups' keys, keep this laptop's group key (only
        the one the kit brings, or the one it had), and take the facilitator's PIN hash,
        so that nobody on this laptop chooses the facilitator PIN first."""
        kit, m = bundle.trust, bundle.manifest
        assert kit is not None
        trust.pin_key(s, m.workshop_id, trust.FACILITATOR, kit.facilitator_key)
        secret = kit.group_secret
        for row in trust.workshop_keys(s, m.workshop_id):
            if row.group_id != trust.FACILITATOR and row.group_id not in kit.group_keys:
                s.delete(row)
        for group_id, public in kit.group_keys.items():
            row = trust.get_key(s, m.workshop_id, group_id)
            if secret is not None and secret.group_id == group_id:
                private = secret.private_key
            elif secret is None and row is not None and row.public_key == public:
                private = row.private_key  # a kit for all laptops keeps this one's group
            else:
                private = ""  # a laptop set up for another group holds no other secret
            trust.pin_key(s, m.workshop_id, group_id, public, private)
        pin = s.get(Setting, keys.FACILITATOR_PIN)
        if pin is None or pin.value != kit.facilitator_pin:
            # A new PIN starts with a clean count of wrong tries; importing the same kit
            # again must not reset the count (that would undo the delay between tries).
            keys.put_setting(s, keys.FACILITATOR_PIN, kit.facilitator_pin)
            keys.put_setting(s, keys.FACILITATOR_PIN_FAILURES, None)
        if secret is not None and secret.server is not None:
            keys.put_setting(s, keys.SERVER_CONNECTION,
                             json.dumps(secret.server.model_dump(), sort_keys=True))
        from rmdesk.services import agenda

        # The facilitator's agenda travels with the signed kit; none means all exercises.
        keys.put_setting(s, agenda.setting_key(m.workshop_id),
                         json.dumps(kit.exercises) if kit.exercises else None)
        if m.group_id is not None:
            keys.put_setting(s, keys.CURRENT_WORKSHOP, m.workshop_id)
            keys.put_setting(s, keys.CURRENT_GROUP, m.group_id)

    def _plan_files(self, bundle: Bundle) -> list[tuple[str, str, Path]]:
        plan = []
        for member, body in sorted(bundle.files.items()):
            folder, name = member.split("/", 1)
            target = self.data_dir / folder / name
            if not target.exists():
                action = FILE_ADD
            else:
                try:
                    same = target.is_file() and target.read_bytes() == body
                except OSError:
                    same = False
                action = FILE_SAME if same else FILE_KEPT
            plan.append((member, action, target))
        return plan

    def _write_data_file(self, bundle: Bundle, target: Path, body: bytes,
                         created: list[Path]) -> None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RmdeskError("exchange_import_write_failed", path=bundle.name,
                              reason=exc.strerror or str(exc)) from None
        try:
            archive.write_atomically(target, body)
        except RmdeskError as exc:
            raise RmdeskError("exchange_import_write_failed", path=bundle.name,
                              reason=exc.params.get("reason", "")) from None
        created.append(target)

    @staticmethod
    def _select_new_workshop(s: Session, planned: list[merge.Planned]) -> None:
        """A kit imported onto a laptop for the first time makes its workshop the current
        one (a per-laptop setting; settings never travel)."""
        for item in planned:
            if item.table == "workshop" and item.action == merge.ADD:
                for key, value in ((keys.CURRENT_WORKSHOP, item.incoming.values["id"]),
                                   (keys.CURRENT_GROUP, None)):
                    keys.put_setting(s, key, value)

    # -- conflicts -------------------------------------------------------------------------
    def pending_conflicts(self, workshop_id: str | None = None) -> list[PendingConflict]:
        with self.store.session() as s:
            query = select(ExchangeConflict).order_by(ExchangeConflict.created_at)
            if workshop_id is not None:
                query = query.where(ExchangeConflict.workshop_id == workshop_id)
            out = []
            for conflict in s.exec(query):
                spec = TABLES.get(conflict.table_name)
                if spec is None:
                    continue
                incoming = _stored_incoming(spec, conflict)
                row = merge._local_rows(s, spec, [incoming]).get(conflict.record_key)
                out.append(PendingConflict(
                    conflict.id, conflict.table_name, conflict.record_key, conflict.label,
                    conflict.source, conflict.workshop_id,
                    wire_of_row(spec, row) if row is not None else None, incoming.wire))
            return out

    def resolve(self, conflict_id: str, choice: str) -> None:
        """Keep this laptop's version (MINE) or take the incoming one (THEIRS)."""
        if choice not in (merge.MINE, merge.THEIRS):
            raise ValueError(f"unknown choice {choice}")
        with self.store.write_session() as s:
            conflict = s.get(ExchangeConflict, conflict_id)
            if conflict is None:
                return  # already settled
            spec = TABLES[conflict.table_name]
            incoming = _stored_incoming(spec, conflict)
            row = merge._local_rows(s, spec, [incoming]).get(incoming.key)
            if row is None:
                s.delete(conflict)
                parent = spec.parent
                parent_there = parent is None or s.get(
                    TABLES[parent[1]].model, incoming.values[parent[0]]) is not None
                if choice == merge.THEIRS and parent_there:
                    merge.apply(s, [merge.Planned(incoming, merge.ADD)], {},
                                conflict.workshop_id, conflict.source)
                return
            local_hash = content_hash(spec, wire_of_row(spec, row))
            merge.apply(s, [merge.Planned(incoming, merge.PENDING, row, local_hash)],
                        {(spec.name, incoming.key): choice}, conflict.workshop_id,
                        conflict.source)


# -- helpers -------------------------------------------------------------------------------
def _change(item: merge.Planned) -> Change:
    differences: tuple[tuple[str, Any, Any], ...] = ()
    if item.action in (merge.CONFLICT, merge.PENDING) and item.local is not None:
        differences = field_differences(item.table, wire_of_row(item.incoming.spec, item.local),
                                        item.incoming.wire)
    return Change(item.table, item.key, item.action, item.incoming.label, differences,
                  item.local_hash)


def _valid_pin_hash(value: str) -> bool:
    from rmdesk.services.roles import _parse

    return _parse(value) is not None


def _histories(s: Session, table: str, record_keys: list[str]) -> dict[str, list[str]]:
    """Known versions per record, newest revision first."""
    out: dict[str, list[str]] = {}
    for start in range(0, len(record_keys), 500):
        chunk = record_keys[start:start + 500]
        # Two columns, not whole objects: a sync round reads the histories of a group's
        # records each time something changed.
        rows = s.exec(select(ExchangeSeen.record_key, ExchangeSeen.content_hash).where(
            ExchangeSeen.table_name == table, col(ExchangeSeen.record_key).in_(chunk),
        ).order_by(col(ExchangeSeen.revision).desc(), col(ExchangeSeen.content_hash)))
        for record_key, digest in rows:
            out.setdefault(record_key, []).append(digest)
    return out


def _histories_of(s: Session, keys: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """`_histories` of several tables in one statement per 500 keys (a sync round reads
    the histories of a group's records in all its tables)."""
    wanted = {(table, key) for table, table_keys in keys.items() for key in table_keys}
    every_key = sorted({key for _table, key in wanted})
    out: dict[str, dict[str, list[str]]] = {}
    for start in range(0, len(every_key), 500):
        chunk = every_key[start:start + 500]
        rows = s.exec(select(ExchangeSeen.table_name, ExchangeSeen.record_key,
                             ExchangeSeen.content_hash).where(
            col(ExchangeSeen.record_key).in_(chunk),
        ).order_by(col(ExchangeSeen.revision).desc(), col(ExchangeSeen.content_hash)))
        for table, record_key, digest in rows:
            if (table, record_key) in wanted:
                out.setdefault(table, {}).setdefault(record_key, []).append(digest)
    return out


def _stored_incoming(spec: TableSpec, conflict: ExchangeConflict) -> Incoming:
    payload = json.loads(conflict.incoming_json)
    try:
        record = spec.record.model_validate(payload["fields"])
    except (ValidationError, KeyError, TypeError):  # pragma: no cover - written by us
        raise RmdeskError("exchange_inconsistent", path=conflict.source,
                          detail=conflict.label) from None
    dumped = record.model_dump()
    wire = payload["fields"]
    values = {k: store_value(v) for k, v in dumped.items()}
    return Incoming(spec, values, wire, spec.key_of(values), content_hash(spec, wire),
                    int(values.get("revision", 0)), frozenset(payload.get("history", [])))


def _is_builtin(pack_id: str, version: str) -> bool:
    from rmdesk.content.pack import builtin_pack

    try:
        meta = builtin_pack().pack
    except RmdeskError:
        return False
    return (meta.id, meta.version) == (pack_id, version)


def _read_limited(path: Path) -> bytes:
    size = path.stat().st_size
    if size > archive.MAX_MEMBER_BYTES:
        raise RmdeskError("exchange_member_too_large", path=path.name, entry=path.name,
                          limit_mb=archive._mb(archive.MAX_MEMBER_BYTES))
    return path.read_bytes()


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass


def summary_counts(reports: Sequence[ImportReport]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for report in reports:
        counts["files"] += 1
        counts["refused"] += report.refused
        counts["added"] += report.added
        counts["updated"] += report.updated
        counts["conflicts"] += len(report.conflicts)
    return counts
