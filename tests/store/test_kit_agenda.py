"""The workshop's agenda travels in the signed kit; a kit without one (older kits, or a
workshop using every exercise) means every exercise on the participant laptop."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from rmdesk.content.pack import builtin_pack
from rmdesk.services import agenda, settings
from rmdesk.services.exchange.service import ExchangeService
from rmdesk.services.roles import hash_pin
from rmdesk.services.settings import SettingsService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store, open_store

PACK = builtin_pack()


def facilitator_store(folder: Path) -> tuple[Store, str]:
    store = open_store(folder)
    workshop = WorkshopService(store).create_workshop(WorkshopInput(
        "Regional", "", dt.date(2026, 3, 9), dt.date(2026, 3, 10), ("en",)))
    WorkshopService(store).add_group(workshop.id, "Alpha")
    SettingsService(store).set(settings.FACILITATOR_PIN, hash_pin("2468", n=2**10))
    return store, workshop.id


def test_every_preset_travels_with_the_kit_and_all_clears_it(tmp_path: Path) -> None:
    facilitator, workshop_id = facilitator_store(tmp_path / "facilitator")
    laptop = open_store(tmp_path / "laptop")
    for n, preset in enumerate([*(a.id for a in PACK.agendas), "2-day"]):
        agenda.choose(facilitator, workshop_id, PACK, agenda.preset_ids(PACK, preset))
        kit = tmp_path / f"kit{n}.rmdesk"
        ExchangeService(facilitator).export_kit(workshop_id, kit)
        assert not ExchangeService(laptop).import_file(kit).refused
        shown = [e.id for e in agenda.visible_pack(laptop, workshop_id, PACK).exercises]
        assert shown == agenda.preset_ids(PACK, preset)
    # Back to every exercise: the kit carries no agenda, and the laptop shows them all.
    agenda.choose(facilitator, workshop_id, PACK, [e.id for e in PACK.exercises])
    kit = tmp_path / "kit-all.rmdesk"
    ExchangeService(facilitator).export_kit(workshop_id, kit)
    with zipfile.ZipFile(kit) as archive:
        trust = next(json.loads(archive.read(name)) for name in archive.namelist()
                     if name.endswith("trust.json"))
    assert "exercises" not in trust  # an older rmdesk reads this kit as before
    assert not ExchangeService(laptop).import_file(kit).refused
    assert agenda.chosen_ids(laptop, workshop_id) is None
    assert len(agenda.visible_pack(laptop, workshop_id, PACK).exercises) == len(PACK.exercises)
    facilitator.close()
    laptop.close()
