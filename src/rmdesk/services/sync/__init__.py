"""Live sync of a group laptop with a classroom server (PostgreSQL): the USB exchange's
clock-free merge over a database connection. See service.py for how a round works and
dashboard.py for the facilitator's live view."""

from rmdesk.services.sync.server import ServerStore, open_server, redacted
from rmdesk.services.sync.service import (
    SERVER_URL,
    SyncReport,
    SyncService,
    feedback_shared,
    set_feedback_shared,
)

__all__ = ["SERVER_URL", "ServerStore", "SyncReport", "SyncService", "feedback_shared",
           "open_server", "redacted", "set_feedback_shared"]
