"""What every command needs: the data folder it works on, and its existing store."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rmdesk.store.database import Store


def data_dir(args: argparse.Namespace) -> Path:
    """--data-dir, else the portable or per-user folder."""
    from rmdesk import paths

    return Path(getattr(args, "data_dir", None) or paths.default_data_dir()).expanduser()


def open_existing_store(args: argparse.Namespace) -> Store:
    """The store of the command's data folder; a command never creates an empty one by
    mistake (a typo in --data-dir would otherwise look like a workshop with no data)."""
    from rmdesk.errors import RmdeskError
    from rmdesk.i18n import _
    from rmdesk.paths import STORE_FILENAME
    from rmdesk.store.database import open_store

    folder = data_dir(args)
    if not (folder / STORE_FILENAME).exists():
        raise RmdeskError("data_dir_unusable", path=str(folder),
                          reason=_("there is no rmdesk store in it"))
    return open_store(folder)
