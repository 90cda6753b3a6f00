"""Live sync with each group's own PostgreSQL role (row-level security, `rmdesk server
add-group`): what a laptop's rounds need of the server's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import conflicts, risks, set_up_laptop, setup_classroom

from rmdesk.services.server_admin import add_group_roles, init_server, role_url
from rmdesk.store.database import open_store


@pytest.fixture
def room(pg_url: str, tmp_path: Path):
    room = setup_classroom(pg_url, tmp_path / "facilitator")
    result = init_server(pg_url)  # the facilitator's role and the grants
    assert result.facilitator_password
    room.facilitator_url = role_url(pg_url, result.facilitator_role,  # type: ignore[attr-defined]
                                    result.facilitator_password)
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


def test_two_groups_sync_each_with_its_own_role_and_see_only_their_own_work(
        room, tmp_path: Path) -> None:
    """The classroom as it runs: every laptop syncs with its group's role, two laptops of
    Group 1 clash on one record (the conflict is kept on the server and settled by the
    facilitator), the facilitator's role sees both groups, and neither group sees the
    other's work, on its laptop or on the server."""
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.services.exercises import ExerciseWorkService
    from rmdesk.services.facilitation import FacilitationService
    from rmdesk.services.sync import open_server, set_feedback_shared

    g1, g2 = room.groups
    a1, a2 = (set_up_laptop(room, tmp_path / n, g1) for n in ("a1", "a2"))
    b = set_up_laptop(room, tmp_path / "b", g2)
    laptops = (a1, a2, b)
    for laptop in laptops:
        laptop.url = room.role_urls[laptop.group_id]
    facilitator = open_server(room.facilitator_url)
    try:
        shared = a1.register.add_risk(g1, event="Cocaine in containers")
        b.register.add_risk(g2, event="Undervalued textiles")
        ExerciseWorkService(a1.store).save(g1, "E1", {"pestle": {"political": ["Elections"]}})
        ExerciseWorkService(b.store).save(g2, "E1", {"pestle": {"economic": ["Tariffs"]}})
        for laptop in (*laptops, *laptops):
            laptop.sync()
        # Each group's laptops hold its work and nothing of the other group's.
        assert [r["event"] for r in risks(a2.store, g1).values()] == ["Cocaine in containers"]
        assert risks(a1.store, g2) == risks(a2.store, g2) == {}
        assert [r["event"] for r in risks(b.store, g2).values()] == ["Undervalued textiles"]
        assert risks(b.store, g1) == {}
        # The facilitator's role sees both groups' work.
        assert [r["event"] for r in risks(facilitator, g1).values()] == [
            "Cocaine in containers"]
        assert [r["event"] for r in risks(facilitator, g2).values()] == [
            "Undervalued textiles"]
        # Two laptops of Group 1 edit the same risk: a conflict, kept on the server by the
        # second laptop's own role, which the other group's role cannot see.
        a1.register.update_field(shared.id, "event", "Cocaine in reefer containers")
        a2.register.update_field(shared.id, "event", "Cocaine hidden in bananas")
        assert a1.sync().conflicts == 0
        assert a2.sync().conflicts == 2
        pending = conflicts(facilitator)
        assert len(pending) == 1 and "bananas" in pending[0].incoming_json
        group2_server = open_server(room.role_urls[g2])
        group1_server = open_server(room.role_urls[g1])
        try:
            assert conflicts(group2_server) == [] and risks(group2_server, g1) == {}
            assert [c.id for c in conflicts(group1_server)] == [pending[0].id]
        finally:
            group2_server.close()
            group1_server.close()
        for laptop in (*laptops, *laptops):
            assert laptop.sync().conflicts == 0  # rounds repeat nothing
        ExchangeService(facilitator).resolve(pending[0].id, "theirs")
        # The pull: phases, reveals and released feedback reach each group's role.
        fac = FacilitationService(facilitator)
        fac.set_locked(room.workshop_id, "E3", True)
        fac.set_revealed(room.workshop_id, "E2", True)
        fac.set_feedback(g1, "E1", "Add the port strike.")
        fac.set_score(g1, "E1", 80)
        fac.set_feedback(g2, "E1", "Good on tariffs.")
        set_feedback_shared(facilitator, room.workshop_id, True)
        for laptop in laptops:
            laptop.sync()
        for laptop in laptops:
            local = FacilitationService(laptop.store)
            assert local.is_locked(room.workshop_id, "E3"), laptop.store.path
            assert local.is_revealed(room.workshop_id, "E2"), laptop.store.path
        assert _feedback(a2, g1) == ("Add the port strike.", 80)
        assert _feedback(b, g2) == ("Good on tariffs.", None)
        for store in (facilitator, a1.store, a2.store):
            assert risks(store, g1)[shared.id]["event"] == "Cocaine hidden in bananas"
        assert conflicts(facilitator) == []
        assert risks(b.store, g1) == {} and conflicts(b.store) == []
    finally:
        facilitator.close()
        for laptop in laptops:
            laptop.store.close()


def test_a_groups_own_role_receives_its_released_overall_comment_only(
        room, tmp_path: Path) -> None:
    """A group's role may not read the facilitator's settings, where the comment lives:
    its copy for sync is readable by that group alone, and only the facilitator writes it."""
    import psycopg

    from rmdesk.services.facilitation import OVERALL_EXERCISE, FacilitationService
    from rmdesk.services.sync import open_server, set_feedback_shared

    g1, g2 = room.groups
    a, b = set_up_laptop(room, tmp_path / "a", g1), set_up_laptop(room, tmp_path / "b", g2)
    a.url, b.url = room.role_urls[g1], room.role_urls[g2]
    facilitator = open_server(room.facilitator_url)
    try:
        FacilitationService(facilitator).set_overall_comment(g1, "Ready for the director.")
        FacilitationService(facilitator).set_overall_comment(g2, "Strong on E13.")
        set_feedback_shared(facilitator, room.workshop_id, True)
        for laptop in (a, b):
            laptop.sync()
        assert FacilitationService(a.store).overall_comment(g1) == "Ready for the director."
        assert FacilitationService(b.store).overall_comment(g2) == "Strong on E13."
        assert FacilitationService(a.store).overall_comment(g2) == ""
        # On the server, with Group 1's role: its own copy only, and it cannot change it.
        plain = room.role_urls[g1]
        with psycopg.connect(plain, autocommit=True) as con:
            seen = con.execute("SELECT group_id, feedback FROM exercise_work "
                               "WHERE exercise_id = %s", (OVERALL_EXERCISE,)).fetchall()
            assert seen == [(g1, "Ready for the director.")]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute("UPDATE exercise_work SET feedback = 'Perfect.' "
                            "WHERE exercise_id = %s", (OVERALL_EXERCISE,))
        assert FacilitationService(facilitator).overall_comment(g1) == "Ready for the director."
        set_feedback_shared(facilitator, room.workshop_id, False)
        a.sync()
        assert FacilitationService(a.store).overall_comment(g1) == ""
    finally:
        facilitator.close()
        a.store.close()
        b.store.close()


def _feedback(laptop, group_id: str) -> tuple[str, int | None]:
    from sqlmodel import select

    from rmdesk.store.models import ExerciseWork

    with laptop.store.session() as s:
        row = s.exec(select(ExerciseWork).where(ExerciseWork.group_id == group_id,
                                                ExerciseWork.exercise_id == "E1")).one()
        return row.feedback, row.score


def test_what_the_servers_rules_refuse_is_said_in_words(room, tmp_path: Path) -> None:
    """A server whose administrator took a right from Group 1's role (new risks): the
    laptop's push is refused by the server, the laptop gets a message naming the role, not
    a traceback, and its work stays on the laptop, waiting."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from rmdesk.errors import RmdeskError

    g1 = room.groups[0]
    role = make_url(room.role_urls[g1]).username
    with room.server.session() as s:
        s.exec(text(f'REVOKE INSERT ON risk FROM "{role}"'))  # type: ignore[call-overload]
    a = set_up_laptop(room, tmp_path / "a", g1)
    a.url = room.role_urls[g1]
    a.register.add_risk(g1, event="Waits on the laptop")
    try:
        with pytest.raises(RmdeskError) as raised:
            a.sync()
        assert raised.value.code == "server_permission_denied"
        assert raised.value.params["role"] == role
        assert a.pending() == 1
        assert risks(room.server, g1) == {}
    finally:
        a.store.close()
