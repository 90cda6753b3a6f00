"""Per-installation preferences kept in the store (portable mode writes nothing else)."""

from __future__ import annotations

from sqlmodel import Session

from rmdesk.store.database import Store
from rmdesk.store.models import Setting

LANGUAGE = "ui.language"
REPORT_LANGUAGE = "report.language"
CURRENT_WORKSHOP = "laptop.workshop"
CURRENT_GROUP = "laptop.group"
WINDOW_GEOMETRY = "ui.window_geometry"
WINDOW_STATE = "ui.window_state"
CURRENT_TAB = "ui.current_tab"
PDF_FOLDER = "folder.pdf"  # where PDFs were last saved on this laptop
EXCHANGE_FOLDER = "folder.exchange"  # where work was last exported
IMPORT_FOLDER = "folder.import"  # where files were last imported from
# The classroom server a group's kit set this laptop up for: JSON host, port, database,
# role, password (the group's own role; never the facilitator's).
SERVER_CONNECTION = "server.connection"
FACILITATOR_PIN = "facilitator.pin_hash"  # "scrypt$n$r$p$salt$hash", never the PIN
FACILITATOR_PIN_FAILURES = "facilitator.pin_failures"  # wrong tries in a row


class SettingsService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str, default: str | None = None) -> str | None:
        with self.store.session() as s:
            row = s.get(Setting, key)
            return row.value if row is not None else default

    def set(self, key: str, value: str | None) -> None:
        with self.store.session() as s:
            put_setting(s, key, value)


def put_setting(s: Session, key: str, value: str | None) -> None:
    """Set a per-laptop setting inside the caller's transaction; None removes it."""
    row = s.get(Setting, key)
    if value is None:
        if row is not None:
            s.delete(row)
    elif row is None:
        s.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value
        s.add(row)
