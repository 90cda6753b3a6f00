"""Shared pieces of the sync tests and the bench: a classroom server (PostgreSQL when the
throw-away cluster is there, else an SQLite file standing in, through the same SQLAlchemy
code), its facilitator, and group laptops set up by their kits. No tests here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import select

from rmdesk.services import settings as setting_keys
from rmdesk.services.exchange import ExchangeService
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.register import RegisterService
from rmdesk.services.roles import hash_pin
from rmdesk.services.settings import SettingsService
from rmdesk.services.sync import SyncService, open_server
from rmdesk.services.sync.server import ServerStore, make_server_engine
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import ExchangeConflict, Risk

PIN = "482913"


def init_server(url: str) -> None:
    """Create the schema on an empty server database (what `rmdesk server init` does)."""
    from rmdesk.store.migrate import upgrade

    engine = make_server_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def sqlite_server_url(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'server.sqlite3'}"


@dataclass
class Classroom:
    url: str
    server: ServerStore
    workshop_id: str
    groups: list[str]
    kits: dict[str, Path]

    @property
    def facilitation(self) -> FacilitationService:
        return FacilitationService(self.server)


def setup_classroom(url: str, folder: Path, groups: int = 2) -> Classroom:
    """The facilitator makes the workshop on the server and writes one kit per group."""
    init_server(url)
    server = open_server(url)
    workshops = WorkshopService(server)
    workshop = workshops.create_workshop(WorkshopInput(
        "Taller regional 2026", "Centro de formação", dt.date(2026, 3, 9),
        dt.date(2026, 3, 13), ("en", "es", "pt_BR")))
    group_ids = [workshops.add_group(workshop.id, f"Grupo {n + 1}").id for n in range(groups)]
    workshops.add_member(group_ids[0], "Ana Conceição", "Aduana de Valdoria")
    SettingsService(server).set(setting_keys.FACILITATOR_PIN, hash_pin(PIN, n=2**10))
    folder.mkdir(parents=True, exist_ok=True)
    exchange = ExchangeService(server, folder)
    kits = {}
    for group_id in group_ids:
        kits[group_id] = folder / f"kit-{group_id}.rmdx"
        exchange.export_kit(workshop.id, kits[group_id], group_id)
    return Classroom(url, server, workshop.id, group_ids, kits)


@dataclass
class Laptop:
    store: Store
    group_id: str
    url: str

    @property
    def register(self) -> RegisterService:
        return RegisterService(self.store)

    def sync(self) -> Any:
        server = open_server(self.url)
        try:
            return SyncService(self.store, server).sync_once()
        finally:
            server.close()

    def pending(self) -> int:
        server = open_server(self.url)
        try:
            return SyncService(self.store, server).pending_changes()
        finally:
            server.close()


def set_up_laptop(room: Classroom, data_dir: Path, group_id: str) -> Laptop:
    store = open_store(data_dir)
    report = ExchangeService(store).import_file(room.kits[group_id])
    assert report.error is None, report.error
    return Laptop(store, group_id, room.url)


def risks(store: Store, group_id: str, *, include_deleted: bool = False) -> dict[str, dict]:
    with store.session() as s:
        query = select(Risk).where(Risk.group_id == group_id)
        return {r.id: r.model_dump() for r in s.exec(query)
                if include_deleted or not r.deleted}


def conflicts(store: Store) -> list[ExchangeConflict]:
    with store.session() as s:
        return list(s.exec(select(ExchangeConflict)))
