"""Live sync of a group laptop with a classroom server (PostgreSQL): the USB exchange's
clock-free merge over a database connection. See service.py for how a round works and
dashboard.py for the facilitator's live view.

Names are imported from their modules on first use, so that reading the server's address
at start-up (address.py) does not load the exchange code."""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "SERVER_URL": "address", "configured_url": "address",
    "SYNC_INTERVAL": "address", "sync_interval": "address", "set_sync_interval": "address",
    "check_interval": "address",
    "ServerStore": "server", "open_server": "server", "redacted": "server",
    "SyncReport": "service", "SyncService": "service", "SyncSession": "service",
    "feedback_shared": "service", "set_feedback_shared": "service",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(name)
    module = importlib.import_module(f"rmdesk.services.sync.{_WHERE[name]}")
    return getattr(module, name)
