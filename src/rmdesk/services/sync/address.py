"""Where this laptop's classroom server is: a per-laptop setting, or the connection its
group's kit brought. Light on purpose (no exchange code): the window reads it at start."""

from __future__ import annotations

import json

from rmdesk.errors import RmdeskError
from rmdesk.services import settings as keys
from rmdesk.store.database import Store
from rmdesk.store.models import Setting

SERVER_URL = "sync.server_url"  # this laptop's classroom server (per-laptop setting)
# Seconds between two rounds of this laptop (per-laptop setting): 2 s keeps a group's
# laptops and the dashboard close to live; a slow or crowded network may want fewer rounds.
SYNC_INTERVAL = "sync.interval_seconds"
MIN_INTERVAL, MAX_INTERVAL, DEFAULT_INTERVAL = 2, 60, 2


def configured_url(store: Store) -> str | None:
    """This laptop's classroom server: the address chosen here (File > Connect to
    classroom server…, `rmdesk sync --database`), else the group's connection its kit
    brought (`rmdesk server add-group` on the facilitator's side)."""
    with store.session() as s:
        chosen = s.get(Setting, SERVER_URL)
        if chosen is not None:  # "" once disconnected here: the kit's is not used either
            return chosen.value or None
        from_kit = s.get(Setting, keys.SERVER_CONNECTION)
    if from_kit is None:
        return None
    from rmdesk.store.server import connection_url

    try:
        return connection_url(json.loads(from_kit.value))
    except (ValueError, KeyError, TypeError):
        return None


def check_interval(value: object) -> int:
    """Seconds between rounds as a user gave them: a whole number in range, or refused."""
    text = str(value).strip()
    try:
        seconds = int(text)
    except ValueError:
        seconds = None
    if seconds is None or not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise RmdeskError("sync_interval_out_of_range", minimum=MIN_INTERVAL,
                          maximum=MAX_INTERVAL, value=text[:20])
    return seconds


def sync_interval(store: Store) -> int:
    """This laptop's seconds between rounds (the default when unset or unreadable)."""
    with store.session() as s:
        row = s.get(Setting, SYNC_INTERVAL)
    try:
        return check_interval(row.value) if row is not None else DEFAULT_INTERVAL
    except RmdeskError:
        return DEFAULT_INTERVAL  # a hand-edited setting: rounds go on at the default


def set_sync_interval(store: Store, value: object) -> int:
    """Keep this laptop's seconds between rounds (checked first); the app's background
    sync takes it from its next round, without a restart."""
    seconds = check_interval(value)
    with store.session() as s:
        row = s.get(Setting, SYNC_INTERVAL)
        if row is None:
            s.add(Setting(key=SYNC_INTERVAL, value=str(seconds)))
        elif row.value != str(seconds):
            row.value = str(seconds)
            s.add(row)
    return seconds
