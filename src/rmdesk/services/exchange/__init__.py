"""Moving work between laptops on a USB stick: workshop kits and group work files.

The format is described in docs/exchange-format.md. `ExchangeService` exports and imports;
`archive` reads and writes the files with limits; `merge` decides, record by record, what
an import does; `schema` says what a record may hold.
"""

from rmdesk.services.exchange.archive import FORMAT, FORMAT_VERSION, GROUP_WORK, KIT, SUFFIX
from rmdesk.services.exchange.merge import (
    ADD,
    CONFLICT,
    MINE,
    OLDER,
    PENDING,
    SAME,
    THEIRS,
    UPDATE,
)
from rmdesk.services.exchange.service import (
    Change,
    ExchangeService,
    ExportReport,
    FileChange,
    ImportReport,
    PendingConflict,
)

__all__ = [
    "ADD", "CONFLICT", "FORMAT", "FORMAT_VERSION", "GROUP_WORK", "KIT", "MINE", "OLDER",
    "PENDING", "SAME", "SUFFIX", "THEIRS", "UPDATE", "Change", "ExchangeService",
    "ExportReport", "FileChange", "ImportReport", "PendingConflict",
]
