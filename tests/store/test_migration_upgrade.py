"""A store written by the previous schema opens in this build: backed up, then upgraded,
with every record kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from rmdesk.services.register import RegisterService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import HEAD_REVISION, current_revision, open_store
from rmdesk.store.migrate import upgrade


def _store_at_0001(data: Path) -> Path:
    """A fixture database of schema 0001 holding a workshop, a group and a risk."""
    data.mkdir(parents=True)
    path = data / "rmdesk.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "0001_initial")
    engine.dispose()
    con = sqlite3.connect(path)
    con.executescript("""
        INSERT INTO workshop (id, title, venue, languages, pack_id, pack_version, created_at,
                              revision)
        VALUES ('w1', 'Taller 2025', 'Almira', 'en es', 'rmdesk-practice', '1.0.0',
                '2025-03-09 08:00:00', 3);
        INSERT INTO work_group (id, workshop_id, name, position, revision)
        VALUES ('g1', 'w1', 'Grupo Ñandú', 0, 1);
        INSERT INTO risk (id, group_id, code, event, cause, consequence, area, controls, owner,
                          likelihood, likelihood_reason, impact, impact_reason, position,
                          deleted, revision, updated_at)
        VALUES ('r1', 'g1', 'R1', 'Subfaturamento de calçados', 'Preços', 'Perda', 'revenue',
                'Base de preços', 'DVA', 4, 'Visto em 2024', 3, 'Volume', 0, 0, 7,
                '2025-03-10 09:00:00');
    """)
    con.commit()
    con.close()
    return path


def test_old_store_is_backed_up_then_upgraded_with_its_work(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = _store_at_0001(data)
    original = path.read_bytes()
    assert current_revision(path) == "0001_initial"

    store = open_store(data)
    try:
        assert current_revision(path) == HEAD_REVISION
        backups = list((data / "backups").glob("rmdesk-0001_initial-*.sqlite3"))
        assert len(backups) == 1
        con = sqlite3.connect(backups[0])
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0001_initial",)
        assert con.execute("SELECT event FROM risk").fetchone() == (
            "Subfaturamento de calçados",)
        con.close()
        workshop = WorkshopService(store).find_workshop("Taller 2025")
        group = WorkshopService(store).find_group(workshop.id, "Grupo Ñandú")
        risk = RegisterService(store).list_risks(group.id)[0]
        assert (risk.code, risk.likelihood, risk.impact) == ("R1", 4, 3)
        tables = {r[0] for r in sqlite3.connect(path).execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"indicator_choice", "profile", "targeting_run"} <= tables
    finally:
        store.close()
    assert len(original) > 0


def test_current_store_is_not_backed_up_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    open_store(data).close()
    assert not (data / "backups").exists()


def test_a_store_of_0004_gets_the_key_table_and_signs_its_first_kit(tmp_path: Path) -> None:
    """0005 adds exchange_key; a workshop made before it has no key yet, and the laptop it
    was made on becomes its facilitator's at the first kit (and 0005 downgrades cleanly)."""
    from alembic import command

    from rmdesk.services import settings
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.services.roles import hash_pin
    from rmdesk.services.settings import SettingsService
    from rmdesk.store.migrate import alembic_config

    data = tmp_path / "data"
    path = _store_at_0001(data)
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "0004_exchange")
    engine.dispose()
    store = open_store(data)
    try:
        assert current_revision(path) == HEAD_REVISION == "0006_server"
        SettingsService(store).set(settings.FACILITATOR_PIN, hash_pin("2468", n=2**10))
        service = ExchangeService(store)
        assert service.can_write_kit("w1")
        service.export_kit("w1", tmp_path / "kit.rmdx", "g1")
        assert sqlite3.connect(path).execute(
            "SELECT group_id FROM exchange_key ORDER BY group_id").fetchall() == [("",),
                                                                                 ("g1",)]
    finally:
        store.close()
    engine = create_engine(f"sqlite:///{path}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_exchange")
    engine.dispose()
    assert "exchange_key" not in {r[0] for r in sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
