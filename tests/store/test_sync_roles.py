"""Live sync with each group's own PostgreSQL role (row-level security, `rmdesk server
add-group`): what a laptop's rounds need of the server's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import risks, set_up_laptop, setup_classroom

from rmdesk.services.server_admin import add_group_roles, init_server, role_url
from rmdesk.store.database import open_store


@pytest.fixture
def room(pg_url: str, tmp_path: Path):
    room = setup_classroom(pg_url, tmp_path / "facilitator")
    init_server(pg_url)  # the facilitator's role and the grants
    admin = open_store(tmp_path / "admin", pg_url)
    roles = {r.group_name: r for r in add_group_roles(admin, "Taller regional 2026", None)}
    admin.close()
    room.role_urls = {g: role_url(pg_url, roles[f"Grupo {n + 1}"].role,  # type: ignore[attr-defined]
                                  roles[f"Grupo {n + 1}"].password)
                      for n, g in enumerate(room.groups)}
    yield room
    room.server.close()


def test_a_group_laptop_syncs_with_its_own_role(room, tmp_path: Path) -> None:
    g1 = room.groups[0]
    a = set_up_laptop(room, tmp_path / "a", g1)
    a.url = room.role_urls[g1]
    a.sync()
    a.register.add_risk(g1, event="Pushed with the group's role")
    assert a.sync().pushed == 1
    assert [r["event"] for r in risks(room.server, g1).values()] == [
        "Pushed with the group's role"]
    room.facilitation.set_locked(room.workshop_id, "E3", True)
    a.sync()
    from rmdesk.services.facilitation import FacilitationService

    assert FacilitationService(a.store).is_locked(room.workshop_id, "E3")
    a.store.close()


def test_what_the_servers_rules_refuse_is_said_in_words(room, tmp_path: Path) -> None:
    """Today's rules stop a group's push (see above): the laptop gets a message naming its
    role, not a traceback, and its work stays on the laptop, waiting."""
    from rmdesk.errors import RmdeskError

    g1 = room.groups[0]
    a = set_up_laptop(room, tmp_path / "a", g1)
    a.url = room.role_urls[g1]
    a.register.add_risk(g1, event="Waits on the laptop")
    try:
        a.sync()
    except RmdeskError as exc:
        assert exc.code == "server_permission_denied"
        assert exc.params["role"] in room.role_urls[g1]
        assert a.pending() >= 1
    finally:
        a.store.close()
