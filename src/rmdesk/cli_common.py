"""What every command needs: the data folder it works on, its existing store (a file in
that folder, or a PostgreSQL server named by --database), and the language of its
messages."""

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


def database(args: argparse.Namespace) -> str | None:
    """--database, else $RMDESK_DATABASE: a postgresql:// URL (None: the folder's file)."""
    import os

    return getattr(args, "database", None) or os.environ.get("RMDESK_DATABASE") or None


def open_command_store(args: argparse.Namespace) -> Store:
    """The store of the command: the folder's file (created when missing), or the
    server's database (whose schema `rmdesk server init` made)."""
    from rmdesk.store.database import open_store

    return open_store(data_dir(args), database(args))


def open_existing_store(args: argparse.Namespace) -> Store:
    """The store of the command's data folder; a command never creates an empty one by
    mistake (a typo in --data-dir would otherwise look like a workshop with no data)."""
    from rmdesk.errors import RmdeskError
    from rmdesk.i18n import _
    from rmdesk.paths import STORE_FILENAME
    from rmdesk.store.database import open_store

    folder = data_dir(args)
    if database(args) or folder_has_server(folder):
        return open_command_store(args)  # a server never creates its schema by itself
    if not (folder / STORE_FILENAME).exists():
        raise RmdeskError("data_dir_unusable", path=str(folder),
                          reason=_("there is no rmdesk store in it"))
    return open_store(folder)


def folder_has_server(folder: Path) -> bool:
    """Whether the tests mapped this folder to a database (store.database.folder_database)."""
    from rmdesk.store import database as db

    return db.folder_database is not None and db.folder_database(folder) is not None


def use_message_language(args: argparse.Namespace) -> None:
    """Messages in --lang (given before or after the command), else the system's language;
    an unknown --lang is refused with the valid ones."""
    from rmdesk import i18n
    from rmdesk.errors import RmdeskError

    lang = getattr(args, "lang", None)
    if lang is not None and lang not in i18n.LANGUAGES:
        raise RmdeskError("unknown_language", lang=lang, choices=", ".join(i18n.LANGUAGES))
    lang = lang or i18n.system_language()
    if lang:
        try:
            i18n.set_language(lang)
        except OSError:
            pass  # a catalog that cannot be read: the messages stay in English
