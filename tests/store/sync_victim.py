"""A laptop process that dies (SIGKILL) in the middle of a sync round, at a chosen point.

    python sync_victim.py DATA_DIR URL POINT

POINT: `before-cursor` (the server has committed the push, the laptop has not yet moved
its cursor) or `mid-pull` (inside the laptop's transaction applying a pull)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from rmdesk.services.exchange import merge
from rmdesk.services.sync import service
from rmdesk.services.sync.service import SyncSession
from rmdesk.store.database import open_store


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    data_dir, url, point = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    store = open_store(data_dir)
    if point == "before-cursor":
        real_push = service.SyncService.push

        def push_then_die(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            real_save = service._State.save

            def save(state, s, workshop_id):  # type: ignore[no-untyped-def]
                die()  # the server's transaction is committed; the laptop's is not
                real_save(state, s, workshop_id)

            service._State.save = save  # type: ignore[method-assign]
            return real_push(self, *args, **kwargs)

        service.SyncService.push = push_then_die  # type: ignore[method-assign]
    elif point == "mid-pull":
        real_apply = merge.apply

        def apply_then_die(s, planned, *args, **kwargs):  # type: ignore[no-untyped-def]
            real_apply(s, planned, *args, **kwargs)
            if s.get_bind().dialect.name == "sqlite" and planned:
                s.flush()
                die()

        merge.apply = apply_then_die  # type: ignore[assignment]
    SyncSession(store, url).round()
    print("survived")


if __name__ == "__main__":
    main()
