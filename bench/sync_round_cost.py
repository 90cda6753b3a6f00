"""What one sync round costs a laptop and the server, apart from the machine's load.

    python bench/sync_round_cost.py [--rounds 30] [--profile] [--database URL]

A throw-away PostgreSQL cluster (unless --database) gets the demo workshop; one laptop is
set up by the kit of the demo group with the most work (every exercise it answered, its
risks, indicators, profiles) and pulls that work in a first round. Then, per case, rounds
are timed:

- "nothing changed": no edit anywhere since the last round (the common case);
- "one risk changed": the laptop changes one field of one of its risks before the round;
- "both laptops changed one": the group's other laptop changed a risk and synced, and this
  one changed another before its round (what every round of bench/classroom_sync.py is:
  a pull of the other laptop's news and a push of its own).

Per round: the wall time, the laptop process's CPU time (time.process_time, which does not
grow when other processes share the cores) and the server's CPU time (its backends' and
the postmaster's, from /proc, when the cluster is ours), and the statements sent to the
server. Medians and p95 are printed; --profile prints the top of cProfile for each case.

Measured 2026-12-07 on the 2-core machine (load about 3), demo group (86 records, 49 of
them risks), 30 rounds per case; laptop CPU per round, median (p95), and server
statements per round:

    case                         before (5eaf40a)      after (branch sync-speed)
    nothing changed              13.1 ms (21.4), 1     2.2 ms (2.5), 1
    one risk changed             40.5 ms (54.0), 16    23.2 ms (27.5), 15
    both laptops changed one     141.6 ms (174.0), 34  43.0 ms (50.9), 25
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "store"))
sys.path.insert(0, str(ROOT / "bench"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def setup(work: Path, url: str, extra: int) -> tuple[object, object, str, dict[str, int]]:
    from sqlmodel import func, select
    from sync_support import init_server

    from rmdesk.services import settings as keys
    from rmdesk.services.demo import create_demo
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.services.exchange.schema import GROUP_TABLES, TABLES
    from rmdesk.services.register import RegisterService
    from rmdesk.services.roles import hash_pin
    from rmdesk.services.settings import SettingsService
    from rmdesk.services.sync.server import open_server
    from rmdesk.store.database import open_store
    from rmdesk.store.models import ExerciseWork, WorkGroup

    init_server(url)
    server = open_server(url)
    workshop = create_demo(server)
    SettingsService(server).set(keys.FACILITATOR_PIN, hash_pin("482913", n=2**10))
    with server.session() as s:
        counts = dict(s.exec(select(ExerciseWork.group_id, func.count()).group_by(
            ExerciseWork.group_id)).all())
        groups = {g.id: g.name for g in s.exec(select(WorkGroup).where(
            WorkGroup.workshop_id == workshop.id))}
        group_id = max(groups, key=lambda g: counts.get(g, 0))
        sizes = {}
        for table in GROUP_TABLES[1:]:
            model = TABLES[table].model
            sizes[table] = s.exec(select(func.count()).select_from(model).where(
                model.group_id == group_id)).one()  # type: ignore[attr-defined]
    kit = work / "kit.rmdx"
    ExchangeService(server, work).export_kit(workshop.id, kit, group_id)
    server.close()
    store = open_store(work / "laptop")
    assert ExchangeService(store).import_file(kit).error is None
    other = open_store(work / "other")
    assert ExchangeService(other).import_file(kit).error is None
    register = RegisterService(store)
    for n in range(extra):  # the risks a group of the classroom bench has made by then
        register.add_risk(group_id, event=f"extra risk {n}")
    sizes["risk"] += extra
    print(f"laptop of {groups[group_id]!r}: {sizes}")
    return store, other, group_id, sizes


class StatementCounter:
    def __init__(self, engine: object) -> None:
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._one)

    def _one(self, *args: object) -> None:
        self.count += 1


def run_case(session: object, edit: object, rounds: int, data_dir: Path | None,
             profile: bool) -> dict[str, list[float]]:
    from classroom_sync import server_cpu_seconds

    out: dict[str, list[float]] = {"wall": [], "cpu": [], "server": [], "statements": []}
    profiler = cProfile.Profile() if profile else None
    counter = None
    for _n in range(rounds):
        edit()
        if counter is None and session._server is not None:  # type: ignore[attr-defined]
            counter = StatementCounter(session._server.engine)  # type: ignore[attr-defined]
        before_statements = counter.count if counter else 0
        server0 = server_cpu_seconds(data_dir)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        session.round()  # type: ignore[attr-defined]
        if profiler is not None:
            profiler.disable()
        out["wall"].append(time.perf_counter() - wall0)
        out["cpu"].append(time.process_time() - cpu0)
        server1 = server_cpu_seconds(data_dir)
        if server0 is not None and server1 is not None:
            out["server"].append(server1 - server0)
        if counter is not None:
            out["statements"].append(counter.count - before_statements)
    if profiler is not None:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        print(text.getvalue())
    return out


def show(name: str, figures: dict[str, list[float]]) -> None:
    def ms(values: list[float]) -> str:
        if not values:
            return "n/a"
        return (f"median {statistics.median(values) * 1000:.1f} ms, "
                f"p95 {percentile(values, .95) * 1000:.1f} ms")

    statements, server = figures["statements"], figures["server"]
    # The server's CPU is counted in clock ticks (10 ms): its mean per round, not a median.
    server_text = f"{sum(server) / len(server) * 1000:.1f} ms" if server else "n/a"
    print(f"{name}: wall {ms(figures['wall'])}; laptop CPU {ms(figures['cpu'])}; "
          f"server CPU mean {server_text}; statements "
          f"{statistics.median(statements) if statements else 'n/a'} per round")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--extra-risks", type=int, default=40,
                        help="risks added on the laptop before the first round")
    parser.add_argument("--database", help="an empty PostgreSQL database URL "
                        "(default: a throw-away cluster)")
    args = parser.parse_args()
    cluster = None
    url = args.database
    if url is None:
        from pg_server import start_cluster

        cluster = start_cluster()
        url = cluster.url(cluster.create_database("bench"))
    work = Path(tempfile.mkdtemp(prefix="rmdesk-round-"))
    try:
        from sqlmodel import select

        from rmdesk.services.register import RegisterService
        from rmdesk.services.sync.service import SyncSession
        from rmdesk.store.models import Risk

        store, other, group_id, _sizes = setup(work, url, args.extra_risks)
        session = SyncSession(store, url)
        first = session.round()
        print(f"first round: pulled {first.pulled}, pushed {first.pushed} records "
              f"in {first.seconds:.2f} s")
        other_session = SyncSession(other, url)
        other_session.round()
        with store.session() as s:
            risk_ids = [r.id for r in s.exec(select(Risk).where(Risk.group_id == group_id))]
        register, other_register = RegisterService(store), RegisterService(other)
        counter = iter(range(10**6))

        half = len(risk_ids) // 2  # this laptop edits the first half, the other the rest

        def one_edit() -> None:
            n = next(counter)
            register.update_field(risk_ids[n % half], "owner", f"owner {n}")

        def both_edit() -> None:
            n = next(counter)
            other_register.update_field(risk_ids[half + n % half], "event",
                                        f"other's event {n}")
            other_session.round()
            one_edit()

        data_dir = cluster.data_dir if cluster else None
        session.round()  # warm: both cases start from a round that found nothing
        show("nothing changed", run_case(session, lambda: None, args.rounds, data_dir,
                                         args.profile))
        show("one risk changed", run_case(session, one_edit, args.rounds, data_dir,
                                          args.profile))
        show("both laptops changed one", run_case(session, both_edit, args.rounds, data_dir,
                                                  args.profile))
        other_session.close()
        other.close()
        print(f"machine load average: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        session.close()
        store.close()
        return 0
    finally:
        if cluster is not None:
            cluster.remove()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
