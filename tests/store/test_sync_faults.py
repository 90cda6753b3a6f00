"""Faults during a sync round, on a real PostgreSQL server: the server killed in the middle
of a round, a laptop process killed in the middle of one, the connection cut by a proxy.
After recovery the states converge: every edit is on the server once, nothing is lost,
nothing doubled, and nothing waits to be sent."""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sync_support import conflicts, risks, set_up_laptop, setup_classroom

from rmdesk.errors import RmdeskError
from rmdesk.services.exchange import merge
from rmdesk.services.sync.service import SyncSession
from rmdesk.store.database import open_store
from tcp_proxy import CuttableProxy

HERE = Path(__file__).resolve().parent


@pytest.fixture
def room(pg_url: str, tmp_path: Path):
    room = setup_classroom(pg_url, tmp_path / "facilitator")
    yield room
    room.server.close()


def _events(store, group_id: str) -> list[str]:
    return sorted(r["event"] for r in risks(store, group_id).values())


def _assert_converged(room, laptop, expected: list[str]) -> None:
    group = laptop.group_id
    assert _events(room.server, group) == sorted(expected)  # all there, none twice
    assert _events(laptop.store, group) == sorted(expected)
    assert laptop.pending() == 0
    assert conflicts(room.server) == [] and conflicts(laptop.store) == []


def test_the_server_killed_in_the_middle_of_a_round(room, pg_cluster, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    a = set_up_laptop(room, tmp_path / "a", room.groups[0])
    a.sync()
    typed = [f"Risk typed before the crash {n}" for n in range(3)]
    for event in typed:
        a.register.add_risk(a.group_id, event=event)
    real_apply = merge.apply

    def apply_then_crash(s, planned, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_apply(s, planned, *args, **kwargs)
        if s.get_bind().dialect.name == "postgresql":
            s.flush()  # the rows are written inside the open transaction...
            pg_cluster.kill()  # ...when the server dies

    monkeypatch.setattr(merge, "apply", apply_then_crash)
    try:
        with pytest.raises(RmdeskError) as caught:
            a.sync()
        assert caught.value.code == "sync_offline"
    finally:
        monkeypatch.undo()
        pg_cluster.start()
    # Work goes on while the server is down or back; nothing was half-written there.
    a.register.add_risk(a.group_id, event="Typed after the crash")
    assert _events(room.server, a.group_id) == []
    assert a.pending() == 4
    assert a.sync().pushed == 4
    a.sync()
    _assert_converged(room, a, [*typed, "Typed after the crash"])


@pytest.mark.parametrize("point", ["before-cursor", "mid-pull"])
def test_a_laptop_killed_in_the_middle_of_a_round(room, tmp_path: Path, point: str) -> None:
    a = set_up_laptop(room, tmp_path / "a", room.groups[0])
    b = set_up_laptop(room, tmp_path / "b", room.groups[0])
    a.sync()
    b.sync()
    b.register.add_risk(b.group_id, event="From laptop B")
    b.sync()  # something for A's pull
    typed = [f"From laptop A {n}" for n in range(3)]
    for event in typed:
        a.register.add_risk(a.group_id, event=event)
    a.store.close()
    victim = subprocess.run(
        [sys.executable, str(HERE / "sync_victim.py"), str(tmp_path / "a"), room.url, point],
        capture_output=True, text=True, timeout=120)
    assert victim.returncode == -9, victim.stdout + victim.stderr  # killed, as planned
    assert "survived" not in victim.stdout
    if point == "before-cursor":
        assert _events(room.server, a.group_id) == sorted([*typed, "From laptop B"])
    a.store = open_store(tmp_path / "a")  # the laptop starts again: quick check included
    a.sync()
    b.sync()
    a.sync()
    everything = [*typed, "From laptop B"]
    _assert_converged(room, a, everything)
    assert _events(b.store, b.group_id) == sorted(everything)
    b.store.close()


def _via(proxy: CuttableProxy, url: str) -> str:
    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)


def test_the_connection_cut_in_the_middle_of_a_round(room, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    target = make_url(room.url)
    proxy = CuttableProxy(target.host, target.port)
    try:
        a = set_up_laptop(room, tmp_path / "a", room.groups[0])
        a.url = _via(proxy, room.url)
        a.sync()
        a.register.add_risk(a.group_id, event="Sent when the network dropped")
        real_apply = merge.apply

        def apply_then_cut(s, planned, *args, **kwargs):  # type: ignore[no-untyped-def]
            real_apply(s, planned, *args, **kwargs)
            if s.get_bind().dialect.name == "postgresql":
                s.flush()
                proxy.cut()

        monkeypatch.setattr(merge, "apply", apply_then_cut)
        with pytest.raises(RmdeskError) as caught:
            a.sync()
        assert caught.value.code == "sync_offline"
        monkeypatch.undo()
        assert _events(room.server, a.group_id) == []  # rolled back on the server
        a.sync()
        a.sync()
        _assert_converged(room, a, ["Sent when the network dropped"])
        a.store.close()
    finally:
        proxy.close()


def test_a_network_that_keeps_dropping_loses_nothing(room, tmp_path: Path) -> None:
    """Edits typed on two laptops of a group while their rounds run every 50 ms through a
    proxy that cuts every connection at random moments; afterwards, every edit is on the
    server and on both laptops, once."""
    target = make_url(room.url)
    proxy = CuttableProxy(target.host, target.port)
    laptops = [set_up_laptop(room, tmp_path / name, room.groups[0]) for name in "ab"]
    typed: list[str] = []
    stop = threading.Event()
    failures: list[str] = []

    def laptop_loop(index: int) -> None:
        laptop = laptops[index]
        session = SyncSession(laptop.store, _via(proxy, room.url))
        n = 0
        try:
            while not stop.is_set():
                event = f"laptop {index} edit {n}"
                laptop.register.add_risk(laptop.group_id, event=event)
                typed.append(event)
                n += 1
                try:
                    session.round()
                except RmdeskError as exc:
                    if exc.code != "sync_offline":
                        failures.append(exc.code)
                time.sleep(0.05)
        finally:
            session.close()

    threads = [threading.Thread(target=laptop_loop, args=(i,)) for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        rng = random.Random(13)
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(0.05, 0.4))
            proxy.cut()
        stop.set()
        for thread in threads:
            thread.join(60)
        assert failures == []
        assert proxy.cuts > 5
        for _ in range(2):
            for laptop in laptops:
                laptop.url = _via(proxy, room.url)
                laptop.sync()
        for laptop in laptops:
            _assert_converged(room, laptop, typed)
    finally:
        stop.set()
        proxy.close()
        for laptop in laptops:
            laptop.store.close()
