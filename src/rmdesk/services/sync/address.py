"""Where this laptop's classroom server is: a per-laptop setting, or the connection its
group's kit brought. Light on purpose (no exchange code): the window reads it at start."""

from __future__ import annotations

import json

from rmdesk.services import settings as keys
from rmdesk.store.database import Store
from rmdesk.store.models import Setting

SERVER_URL = "sync.server_url"  # this laptop's classroom server (per-laptop setting)


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
