"""The facilitator's dashboard on the classroom server: a cursor that says when to read again.

Polling with a cursor, not LISTEN/NOTIFY: the cursor is one statement of aggregates (rows
and sums of revisions per table, the groups' change counters); it works the same on
PostgreSQL and on an SQLite file, needs no trigger, no extra connection and no grant on the
server, and also sees changes that arrive by USB import or from another facilitator's
window. bench/classroom_sync.py measures a poll's cost (LISTEN/NOTIFY was not built, so not
measured against it)."""

from __future__ import annotations

from typing import Any

from rmdesk.services.sync.service import server_fingerprint
from rmdesk.store.database import Store


class DashboardCursor:
    def __init__(self, store: Store, workshop_id: str) -> None:
        self.store = store
        self.workshop_id = workshop_id
        self._last: list[Any] | None = None

    def moved(self) -> bool:
        """Whether anything the dashboard shows changed since the last call (the first
        call: True)."""
        with self.store.session() as s:
            now = server_fingerprint(s, self.workshop_id, None)
        moved = now != self._last
        self._last = now
        return moved
