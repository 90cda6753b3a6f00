"""`rmdesk sync`: rounds of live sync between this laptop and a classroom server.

    rmdesk sync --data-dir DIR [--database URL] [--interval SECONDS]
                [--once | --every [SECONDS]]

Exit status: 0 synced (or stopped with Ctrl+C); 1 the server could not be reached or
refused the round (--once); 2 no store, no server address, or an address that is not one.
"""

from __future__ import annotations

import argparse
import sys
from time import monotonic, sleep
from typing import TYPE_CHECKING

from rmdesk.cli_common import data_dir, use_message_language
from rmdesk.errors import RmdeskError

if TYPE_CHECKING:
    from rmdesk.services.sync.service import SyncSession

EXIT_OK, EXIT_FAILED = 0, 1


def run(args: argparse.Namespace) -> int:
    from rmdesk.i18n import _
    from rmdesk.services.settings import SettingsService
    from rmdesk.services.sync import SERVER_URL
    from rmdesk.services.sync.address import (
        check_interval,
        configured_url,
        set_sync_interval,
        sync_interval,
    )
    from rmdesk.services.sync.server import parse_url
    from rmdesk.services.sync.service import SyncSession

    use_message_language(args)
    store = _laptop_store(args)
    try:
        given = getattr(args, "database", None)  # before or after the command
        url = given or configured_url(store)
        if not url:
            raise RmdeskError("sync_no_server")
        parse_url(url)  # a bad address is refused before anything is remembered
        # Out of range: refused, in words, before anything is remembered either.
        every = check_interval(args.every) if args.every else None
        if args.interval is not None:
            set_sync_interval(store, args.interval)  # the app takes it without a restart
        if given:
            SettingsService(store).set(SERVER_URL, given)
        session = SyncSession(store, url)
        try:
            if args.every is None:
                return EXIT_OK if _round(session) else EXIT_FAILED
            while True:
                started = monotonic()
                _round(session)
                # The laptop's setting, read each round: changed in the app meanwhile,
                # it applies from the next one.
                interval = every or sync_interval(store)
                sleep(max(0.0, interval - (monotonic() - started)))
        except KeyboardInterrupt:
            print(_("Stopped."), file=sys.stderr)
            return EXIT_OK
        finally:
            session.close()
    finally:
        store.close()


def _round(session: SyncSession) -> bool:
    """One round; says what it did, or why it could not. True when it synced."""
    from rmdesk.i18n import _
    from rmdesk.services.sync import redacted

    url = session.url
    try:
        report = session.round()
    except RmdeskError as exc:
        if exc.code in ("sync_no_group", "sync_needs_kit", "sync_bad_url",
                        "server_driver_missing", "server_driver_missing_bundle"):
            raise
        print(_("rmdesk: error: {message}").format(message=exc.render(_)), file=sys.stderr)
        return False
    print(_("Synced with {url} in {ms} ms: sent {sent}, received {received}, "
            "conflicts kept aside {conflicts}.").format(
        url=redacted(url), ms=round(report.seconds * 1000), sent=report.pushed,
        received=report.pulled, conflicts=report.conflicts), flush=True)
    return True


def _laptop_store(args: argparse.Namespace) -> object:
    """The laptop's own file in the data folder (--database names the server here, not
    where this laptop keeps its work); never created by mistake."""
    from rmdesk.i18n import _
    from rmdesk.paths import STORE_FILENAME
    from rmdesk.store.database import open_store

    folder = data_dir(args)
    if not (folder / STORE_FILENAME).exists():
        raise RmdeskError("data_dir_unusable", path=str(folder),
                          reason=_("there is no rmdesk store in it"))
    return open_store(folder)
