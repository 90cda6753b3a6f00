"""A workshop kit carries the facilitator's imported declaration data sets, so E8 runs on
the same data on every participant laptop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from rmdesk.domain.declaration_gen import generate_declarations
from rmdesk.services import settings
from rmdesk.services.datasets import DatasetService
from rmdesk.services.exchange.service import ExchangeService
from rmdesk.services.roles import hash_pin
from rmdesk.services.settings import SettingsService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import open_store


def test_kit_carries_imported_data_sets(tmp_path: Path) -> None:
    facilitator = open_store(tmp_path / "facilitator")
    workshop = WorkshopService(facilitator).create_workshop(WorkshopInput(
        "Regional", "", dt.date(2026, 3, 9), dt.date(2026, 3, 13), ("en",)))
    WorkshopService(facilitator).add_group(workshop.id, "Alpha")
    table = generate_declarations(300, seed=3)
    saved = DatasetService.for_store(facilitator).save_dataset(table, "Port data", "port.csv")
    kit = tmp_path / "kit.rmdesk"
    SettingsService(facilitator).set(settings.FACILITATOR_PIN, hash_pin("2468", n=2**10))
    ExchangeService(facilitator).export_kit(workshop.id, kit)

    laptop = open_store(tmp_path / "laptop")
    report = ExchangeService(laptop).import_file(kit)
    assert not report.refused
    datasets = DatasetService.for_store(laptop)
    assert [d.name for d in datasets.list_datasets()][1:] == ["Port data"]
    loaded = datasets.load_dataset(saved.id)
    assert len(loaded) == 300
    assert np.array_equal(loaded.columns["gross_weight"], table.columns["gross_weight"])
    facilitator.close()
    laptop.close()
