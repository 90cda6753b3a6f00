"""Imports against a store that is being written at the same time, and conflicts settled on
a group's laptop arriving in any order.

- An import plans and applies in one write transaction (BEGIN IMMEDIATE): an autosave
  from another connection between the two waits for the import, and is not overwritten.
- Two imports at once (two rmdesk processes, say) both succeed: no false refusal.
- A choice made in a preview applies only to the version it was made on.
- Whatever order a group's files reach the facilitator, a conflict the group settled does
  not come back as pending there (hypothesis, over every order)."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_exchange_support import (
    Laptop,
    dump,
    fill_group,
    open_laptops,
    setup_workshop,
)

from rmdesk.services.exchange import CONFLICT, MINE, THEIRS, ExchangeService, merge
from rmdesk.services.register import RegisterService
from rmdesk.store.database import open_store


@pytest.fixture
def laptops(tmp_path: Path):
    yield from open_laptops(tmp_path)


def group_laptops(laptops, tmp_path: Path, *names: str) -> tuple[str, str, str]:
    """The facilitator's laptop and laptops set up for group 1: (workshop, g1, g2)."""
    fac = laptops["facilitator"]
    workshop_id, g1, g2 = setup_workshop(fac)
    kit = tmp_path / "kit-g1.rmdx"
    fac.exchange.export_kit(workshop_id, kit, g1)
    for name in names:
        assert laptops[name].exchange.import_file(kit).error is None
    return workshop_id, g1, g2


def test_an_autosave_during_an_import_waits_and_is_not_overwritten(
        laptops, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fac, a = laptops["facilitator"], laptops["a"]
    _w, g1, _g2 = group_laptops(laptops, tmp_path, "a")
    risk = a.register.add_risk(g1, event="Cocaine in containers", likelihood=4)
    first = tmp_path / "a1.rmdx"
    a.exchange.export_group_work(g1, first)
    assert fac.exchange.import_file(first).error is None
    a.register.update_field(risk.id, "event", "Cocaine in reefer containers")
    second = tmp_path / "a2.rmdx"
    a.exchange.export_group_work(g1, second)

    # The facilitator's app, open on the same store, autosaves while the import runs.
    app_store = open_store(fac.data_dir)
    order: list[str] = []
    typing = threading.Thread(target=lambda: (
        RegisterService(app_store).update_field(risk.id, "owner", "typed meanwhile"),
        order.append("autosave")))
    real_plan = merge.plan

    def plan_then_autosave(*args, **kwargs):
        planned = real_plan(*args, **kwargs)
        typing.start()
        time.sleep(0.4)  # the autosave would land here, between plan and apply
        order.append("apply")
        return planned

    monkeypatch.setattr(merge, "plan", plan_then_autosave)
    try:
        report = fac.exchange.import_file(second)
        typing.join(10)
    finally:
        app_store.close()
    assert report.error is None and report.updated == 1
    assert order == ["apply", "autosave"]  # it waited for the import's transaction
    saved = fac.register.get(risk.id)
    assert saved.owner == "typed meanwhile"  # not overwritten by the import
    assert saved.event == "Cocaine in reefer containers"  # and the import arrived


def test_parallel_imports_of_the_same_files_both_succeed(laptops, tmp_path: Path) -> None:
    """Two imports at once (the app and `rmdesk import`): without one write transaction
    each, the second would fail adding what the first just added."""
    fac, a = laptops["facilitator"], laptops["a"]
    _w, g1, _g2 = group_laptops(laptops, tmp_path, "a")
    fill_group(a, g1)
    work = tmp_path / "work.rmdx"
    a.exchange.export_group_work(g1, work)
    fac.store.close()
    laptops.pop("facilitator")
    pristine = tmp_path / "pristine"
    shutil.copytree(fac.data_dir, pristine)

    expected_dir = tmp_path / "sequential"
    shutil.copytree(pristine, expected_dir)
    store = open_store(expected_dir)
    assert ExchangeService(store).import_file(work).error is None
    expected = {t: rows for t, rows in dump(store).items()
                if t not in ("exchange_seen",)}
    store.close()

    for attempt in range(4):
        target = tmp_path / f"parallel-{attempt}"
        shutil.copytree(pristine, target)
        stores = [open_store(target) for _ in range(2)]
        gate = threading.Barrier(2)
        errors: list[object] = []

        def run(store, gate: threading.Barrier = gate, errors: list = errors) -> None:
            gate.wait()
            errors.append(ExchangeService(store).import_file(work).error)

        threads = [threading.Thread(target=run, args=(s,)) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == [None, None]
        got = {t: rows for t, rows in dump(stores[0]).items() if t not in ("exchange_seen",)}
        assert got == expected
        for store in stores:
            store.close()


def test_a_choice_made_in_the_preview_does_not_overwrite_a_later_edit(
        laptops, tmp_path: Path) -> None:
    fac, a, b = laptops["facilitator"], laptops["a"], laptops["b"]
    _w, g1, _g2 = group_laptops(laptops, tmp_path, "a", "b")
    risk = a.register.add_risk(g1, event="Cocaine in containers")
    first = tmp_path / "a0.rmdx"
    a.exchange.export_group_work(g1, first)
    for laptop in (b, fac):
        assert laptop.exchange.import_file(first).error is None
    a.register.update_field(risk.id, "event", "Cocaine in reefers")
    b.register.update_field(risk.id, "event", "Cocaine in transhipment")
    file_a, file_b = tmp_path / "a1.rmdx", tmp_path / "b1.rmdx"
    a.exchange.export_group_work(g1, file_a)
    b.exchange.export_group_work(g1, file_b)
    fac.exchange.import_file(file_a)

    preview = fac.exchange.preview(file_b)
    [conflict] = preview.conflicts
    assert conflict.action == CONFLICT and conflict.local_hash
    fac.register.update_field(risk.id, "event", "Cocaine, as the facilitator typed it")
    report = fac.exchange.import_file(
        file_b, resolutions={("risk", risk.id): (THEIRS, conflict.local_hash)})
    assert report.error is None
    assert fac.register.get(risk.id).event == "Cocaine, as the facilitator typed it"
    assert [c.action for c in report.conflicts] == [CONFLICT]  # still to decide
    assert len(fac.exchange.pending_conflicts()) == 1


# -- settled conflicts, in every order ------------------------------------------------------
class Scenario:
    """Laptops A and B of group 1 both change one risk; A imports B's file and settles the
    conflict (MINE or THEIRS) and writes again; optionally B then takes A's settled file
    and changes another field. The facilitator's store is kept from before any of it."""

    def __init__(self, root: Path, choice: str, with_b2: bool) -> None:
        made = open_laptops(root)
        laptops = next(made)
        try:
            fac, a, b = laptops["facilitator"], laptops["a"], laptops["b"]
            _w, g1, _g2 = group_laptops(laptops, root, "a", "b")
            risk = a.register.add_risk(g1, event="Cocaine in containers", likelihood=3)
            start = root / "a0.rmdx"
            a.exchange.export_group_work(g1, start)
            for laptop in (b, fac):
                assert laptop.exchange.import_file(start).error is None
            a.register.update_field(risk.id, "event", "Cocaine in reefers")
            b.register.update_field(risk.id, "event", "Cocaine in transhipment")
            b.register.update_field(risk.id, "impact", 5)
            self.files = {"A1": root / "A1.rmdx", "B1": root / "B1.rmdx"}
            a.exchange.export_group_work(g1, self.files["A1"])
            b.exchange.export_group_work(g1, self.files["B1"])
            settled = a.exchange.import_file(self.files["B1"],
                                             resolutions={("risk", risk.id): choice})
            assert settled.error is None and not a.exchange.pending_conflicts()
            self.files["A2"] = root / "A2.rmdx"
            a.exchange.export_group_work(g1, self.files["A2"])
            final: Laptop = a
            if with_b2:
                assert b.exchange.import_file(self.files["A2"]).error is None
                assert not b.exchange.pending_conflicts()
                b.register.update_field(risk.id, "owner", "Port director")
                self.files["B2"] = root / "B2.rmdx"
                b.exchange.export_group_work(g1, self.files["B2"])
                final = b
            got = final.register.get(risk.id)
            self.expected = (got.event, got.impact, got.owner)
            self.risk_id = risk.id
            self.facilitator = root / "facilitator"
        finally:
            made.close()


@pytest.fixture(scope="module")
def scenarios() -> Iterator[dict[tuple[str, bool], Scenario]]:
    root = Path(tempfile.mkdtemp(prefix="rmdesk-settled-"))
    built: dict[tuple[str, bool], Scenario] = {}

    class Cache(dict):
        def __missing__(self, key: tuple[str, bool]) -> Scenario:
            folder = root / f"{key[0]}-{int(key[1])}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            built[key] = Scenario(folder, *key)
            self[key] = built[key]
            return built[key]

    try:
        yield Cache()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(choice=st.sampled_from([MINE, THEIRS]), with_b2=st.booleans(), data=st.data())
def test_a_settled_conflict_never_comes_back_whatever_the_order(
        scenarios, choice: str, with_b2: bool, data: st.DataObject) -> None:
    scenario = scenarios[(choice, with_b2)]
    order = data.draw(st.permutations(sorted(scenario.files)), label="import order")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "facilitator"
        shutil.copytree(scenario.facilitator, target)
        store = open_store(target)
        try:
            service = ExchangeService(store)
            for name in order:
                assert service.import_file(scenario.files[name]).error is None
            assert service.pending_conflicts() == [], order
            got = RegisterService(store).get(scenario.risk_id)
            assert (got.event, got.impact, got.owner) == scenario.expected, order
        finally:
            store.close()
