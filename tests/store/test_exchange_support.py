"""Shared pieces of the exchange tests: laptops with stores, a full dump of a store, and a
maker of exchange files with correct (or deliberately wrong) manifests. No tests here."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from rmdesk.services import settings as setting_keys
from rmdesk.services.exchange import ExchangeService, trust
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.roles import hash_pin
from rmdesk.services.settings import SettingsService
from rmdesk.services.targeting import TargetingService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import (
    ExchangeKey,
    ExercisePhase,
    ExerciseWork,
    Profile,
    TargetingRun,
)

PIN = "482913"
# Private keys by public key, of every laptop `remember_keys` was shown: `craft` signs
# with the key the manifest names, as a laptop holding that key could.
KEYRING: dict[str, str] = {}


def set_pin(laptop: Laptop, pin: str = PIN) -> None:
    """The facilitator's PIN (cheap scrypt parameters: these tests are not about it)."""
    SettingsService(laptop.store).set(setting_keys.FACILITATOR_PIN, hash_pin(pin, n=2**10))


def remember_keys(store: Store) -> None:
    from sqlmodel import select

    with store.session() as s:
        for row in s.exec(select(ExchangeKey)):
            if row.private_key:
                KEYRING[row.public_key] = row.private_key


def private_key(store: Store, workshop_id: str, group_id: str = "") -> str:
    with store.session() as s:
        row = s.get(ExchangeKey, (workshop_id, group_id))
        assert row is not None and row.private_key
        return row.private_key


@dataclass
class Laptop:
    store: Store

    @property
    def exchange(self) -> ExchangeService:
        return ExchangeService(self.store)

    @property
    def workshops(self) -> WorkshopService:
        return WorkshopService(self.store)

    @property
    def register(self) -> RegisterService:
        return RegisterService(self.store)

    @property
    def work(self) -> ExerciseWorkService:
        return ExerciseWorkService(self.store)

    @property
    def targeting(self) -> TargetingService:
        return TargetingService(self.store)

    @property
    def data_dir(self) -> Path:
        return self.store.path.parent


def open_laptops(tmp_path: Path) -> Iterator[dict[str, Laptop]]:
    """For a fixture: `laptops["name"]` opens (or creates) that laptop's store."""
    made: dict[str, Laptop] = {}

    class Factory(dict):  # laptops["name"] opens (or creates) that laptop's store
        def __missing__(self, name: str) -> Laptop:
            laptop = Laptop(open_store(tmp_path / name))
            self[name] = laptop
            made[name] = laptop
            return laptop

    try:
        yield Factory()
    finally:
        for laptop in made.values():
            laptop.store.close()


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order (either engine; server_role is the
    server's own, not the workshop's)."""
    with store.engine.connect() as con:
        tables = sorted(t for t in inspect(con).get_table_names() if t != "server_role")
        return {t: sorted((tuple(r) for r in con.execute(text(f'SELECT * FROM "{t}"'))),
                          key=repr) for t in tables}


def rows(store: Store, table: str, **where: str) -> list[dict[str, Any]]:
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "1 = 1"
    with store.engine.connect() as con:
        return [dict(r._mapping) for r in con.execute(
            text(f'SELECT * FROM "{table}" WHERE {clause} ORDER BY id'), where)]


def setup_workshop(laptop: Laptop) -> tuple[str, str, str]:
    """A workshop with two groups, members and a locked exercise: (workshop, g1, g2) ids."""
    workshops = laptop.workshops
    workshop = workshops.create_workshop(WorkshopInput(
        "Taller regional 2026", "Centro de formação", dt.date(2026, 3, 9), dt.date(2026, 3, 13),
        ("en", "es", "pt_BR")))
    g1 = workshops.add_group(workshop.id, "Grupo Ñandú")
    g2 = workshops.add_group(workshop.id, "Group 2")
    workshops.add_member(g1.id, "Ana Conceição", "Aduana de Valdoria")
    workshops.add_member(g2.id, "Luc Martin", "Douanes de Kestria")
    with laptop.store.session() as s:
        s.add(ExercisePhase(workshop_id=workshop.id, exercise_id="E4", locked=True))
    set_pin(laptop)
    return workshop.id, g1.id, g2.id


def fill_group(laptop: Laptop, group_id: str) -> None:
    """One of everything a group produces."""
    laptop.register.add_risk(group_id, event="Subfaturamento de calçados", area="revenue",
                             likelihood=4, impact=3, likelihood_reason="Visto em 2025")
    laptop.register.add_risk(group_id, event="Counterfeit medicines", area="health_safety",
                             likelihood=2, impact=5)
    from rmdesk.domain.indicators import IndicatorPick

    laptop.targeting.choose(group_id, IndicatorPick("I01", "hs_code", "pre_arrival", "HS 64"))
    with laptop.store.session() as s:
        s.add(Profile(group_id=group_id, title="Footwear undervaluation", area="revenue",
                      criteria_json='{"criteria": []}', activation_date=dt.date(2026, 3, 10)))
        s.add(TargetingRun(group_id=group_id, dataset="builtin:20000:2026",
                           ruleset_json="{}", metrics_json='{"hit_rate": 0.14}'))
    laptop.work.save(group_id, "E1", {"pestle": {"political": ["Elections in May"]}})
    laptop.work.set_status(group_id, "E1", "submitted")


def set_feedback(laptop: Laptop, group_id: str, exercise_id: str, feedback: str,
                 score: int) -> None:
    from sqlmodel import select

    with laptop.store.session() as s:
        row = s.exec(select(ExerciseWork).where(ExerciseWork.group_id == group_id,
                                                ExerciseWork.exercise_id == exercise_id)).first()
        if row is None:
            row = ExerciseWork(group_id=group_id, exercise_id=exercise_id)
        row.feedback, row.score = feedback, score
        row.revision += 1
        s.add(row)


# -- crafting files ------------------------------------------------------------------------
def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def craft(path: Path, members: dict[str, bytes], *, manifest: dict[str, Any] | None = None,
          fix_checksums: bool = True, compress: int = zipfile.ZIP_DEFLATED,
          sign_with: str | None = None, sign: bool = True) -> Path:
    """Write a zip. With fix_checksums, the manifest's entries are recomputed for `members`
    (all but manifest.json and signature.json) so only the deliberate fault is wrong. The
    manifest is signed again with `sign_with`, else with the key it names if KEYRING
    knows it (as its holder could), else left with no signature; `sign=False`: unsigned."""
    members = dict(members)
    members.pop("signature.json", None)
    if manifest is None:
        manifest = json.loads(members.pop("manifest.json"))
    else:
        members.pop("manifest.json", None)
    if fix_checksums:
        manifest = {**manifest, "entries": [
            {"path": name, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
            for name, body in members.items()]}
    manifest_bytes = json.dumps(manifest).encode("utf-8")
    key = sign_with or (KEYRING.get(manifest.get("signer_key", ""))
                        if isinstance(manifest, dict) else None)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as zf:
        zf.writestr("manifest.json", manifest_bytes)
        if sign and key:
            zf.writestr("signature.json", json.dumps(
                {"algorithm": "ed25519", "signature": trust.sign(key, manifest_bytes)}))
        for name, body in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compress
            zf.writestr(info, body)
    path.write_bytes(out.getvalue())
    return path
