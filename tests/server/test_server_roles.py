"""Nobody writes where they do not belong: the server enforces it, whatever the client.

Each role connects on its own (plain psycopg, as any client could) and tries every
forbidden read and write: a write is refused with a permission error, or (row-level
security hides other groups' rows) touches nothing, which the administrator then checks;
a read of another group's rows returns none of them. The allowed reads and writes succeed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rmdesk.errors import RmdeskError

psycopg = pytest.importorskip("psycopg")

GROUP_TABLES = ("member", "risk", "indicator_choice", "profile", "targeting_run",
                "exercise_work")


@dataclasses.dataclass
class Server:
    admin: str  # the administrator's URL (owner of the tables)
    facilitator: str
    groups: dict[str, str]  # group name -> its role's URL
    ids: dict[str, str]  # group name -> group id
    workshop_id: str
    other_workshop_id: str


@pytest.fixture(scope="module")
def server(pg_cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo workshop on a server (Group 1-3 and the model answers, each with work),
    a second workshop, a role per group of the first, and the facilitator's role."""
    from rmdesk.services import server_admin
    from rmdesk.services.demo import create_demo
    from rmdesk.services.facilitation import FacilitationService
    from rmdesk.services.roles import RolesService
    from rmdesk.services.settings import SettingsService
    from rmdesk.services.workshops import WorkshopInput, WorkshopService
    from rmdesk.store.database import open_store

    name = pg_cluster.create_database()
    admin = pg_cluster.url(name)
    result = server_admin.init_server(admin)
    assert result.facilitator_password
    facilitator = server_admin.role_url(admin, result.facilitator_role,
                                        result.facilitator_password)
    store = open_store(tmp_path_factory.mktemp("admin"), admin)
    try:
        workshop = create_demo(store)
        workshops = WorkshopService(store)
        other = workshops.create_workshop(WorkshopInput("Another workshop", "Elsewhere"))
        workshops.add_group(other.id, "Group 1")
        ids = {g.name: g.id for g in workshops.list_groups(workshop.id)}
        FacilitationService(store).set_feedback(ids["Group 1"], "e1", "Good PESTLE.")
        FacilitationService(store).set_score(ids["Group 1"], "e1", 4)
        FacilitationService(store).set_overall_comment(ids["Group 2"], "Strong on E8.")
        RolesService(store).set_first_pin("4826", "4826")
        SettingsService(store).set("ui.language", "en")
        roles = server_admin.add_group_roles(store, workshop.title, None)
    finally:
        store.close()
    groups = {r.group_name: server_admin.role_url(admin, r.role, r.password) for r in roles}
    _add_conflicts_and_sync_settings(admin, workshop.id, ids)
    yield Server(admin, facilitator, groups, ids, workshop.id, other.id)
    pg_cluster.drop_database(name)


def _add_conflicts_and_sync_settings(admin: str, workshop_id: str,
                                     ids: dict[str, str]) -> None:
    """What live sync leaves on a server: a conflict on a risk and on an answer of Group 1
    and of Group 2, each group's change counter, the facilitator's feedback release."""
    with psycopg.connect(admin) as con:
        for name in ("Group 1", "Group 2"):
            group = ids[name]
            risk = con.execute("SELECT id FROM risk WHERE group_id = %s LIMIT 1",
                               (group,)).fetchone()[0]
            for table, key in (("risk", risk), ("exercise_work", f"{group}|e1")):
                con.execute(
                    "INSERT INTO exchange_conflict (id, table_name, record_key, workshop_id,"
                    " label, source, incoming_json, incoming_revision, incoming_hash,"
                    " created_at) VALUES (%s, %s, %s, %s, '', 'sync', %s, 2, 'h', now())",
                    (f"c-{table}-{group}", table, key, workshop_id,
                     json.dumps({"fields": {"group_id": group}, "history": []})))
            con.execute("INSERT INTO setting (key, value) VALUES (%s, '3')",
                        (f"sync.changes.{group}",))
        con.execute("INSERT INTO setting (key, value) VALUES (%s, '1')",
                    (f"sync.feedback_shared.{workshop_id}",))


def conflict_sql(group_id: str, table: str, key: str, workshop_id: str,
                 fields_group: str | None = None) -> tuple[str, tuple[Any, ...]]:
    """A statement adding a conflict on `key`, its kept version in `fields_group`."""
    payload = json.dumps({"fields": {"group_id": fields_group or group_id}, "history": []})
    return ("INSERT INTO exchange_conflict (id, table_name, record_key, workshop_id, label,"
            " source, incoming_json, incoming_revision, incoming_hash, created_at) VALUES"
            " ('c-new', %s, %s, %s, '', 'sync', %s, 3, 'h3', now())",
            (table, key, workshop_id, payload))


def attempt(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]] | int:
    """Run one statement as the URL's role, then roll back: the rows read, or the number
    of rows written. Raises the server's error."""
    with psycopg.connect(url) as con:
        try:
            cur = con.execute(sql, params)
            return cur.fetchall() if cur.description else cur.rowcount
        finally:
            con.rollback()


def refused(url: str, sql: str, params: tuple[Any, ...] = ()) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attempt(url, sql, params)


def count(url: str, table: str, where: str = "true", params: tuple[Any, ...] = ()) -> int:
    rows = attempt(url, f"SELECT count(*) FROM {table} WHERE {where}", params)
    assert isinstance(rows, list)
    return int(rows[0][0])


# -- a group's role ------------------------------------------------------------------------

def test_a_group_reads_its_own_work_and_nothing_of_the_other_groups(server: Server) -> None:
    g1 = server.groups["Group 1"]
    mine, others = server.ids["Group 1"], [i for n, i in server.ids.items() if n != "Group 1"]
    for table in GROUP_TABLES:
        total = count(server.admin, table)
        own = count(server.admin, table, "group_id = %s", (mine,))
        assert count(g1, table) == own, table
        assert count(g1, table, "group_id <> %s", (mine,)) == 0, table
        for other in others:  # Group 2, Group 3 and the model answers all have work
            assert count(g1, table, "group_id = %s", (other,)) == 0, table
        assert total > own or table in ("member", "targeting_run"), table
    assert count(g1, "risk") > 0 and count(g1, "exercise_work") > 0
    # The model answers are another group's work: none of it, revealed or not.
    model = server.ids["Model answer"]
    assert count(server.admin, "exercise_work", "group_id = %s", (model,)) > 0
    assert count(g1, "exercise_work", "group_id = %s", (model,)) == 0


def test_a_group_sees_its_workshop_its_group_and_the_phases_only(server: Server) -> None:
    g1 = server.groups["Group 1"]
    assert attempt(g1, "SELECT id FROM workshop") == [(server.workshop_id,)]
    assert attempt(g1, "SELECT id FROM work_group") == [(server.ids["Group 1"],)]
    phases = count(server.admin, "exercise_phase", "workshop_id = %s", (server.workshop_id,))
    assert count(g1, "exercise_phase") == phases
    # Its own signing key at most; never the facilitator's private key.
    assert count(g1, "exchange_key", "group_id = ''") == 0
    assert count(g1, "exchange_key", "group_id <> %s", (server.ids["Group 1"],)) == 0


def test_a_group_cannot_read_the_groups_passwords(server: Server) -> None:
    refused(server.groups["Group 1"], "SELECT * FROM server_role")


def test_a_group_reads_and_settles_the_conflicts_of_its_own_records_only(
        server: Server) -> None:
    """A push keeps a clashing version aside and settles the ones it supersedes: on its
    group's records, never on another group's."""
    g1, mine, theirs = server.groups["Group 1"], server.ids["Group 1"], server.ids["Group 2"]
    assert count(server.admin, "exchange_conflict") == 4
    assert sorted(attempt(g1, "SELECT id FROM exchange_conflict")) == [  # type: ignore[arg-type]
        (f"c-exercise_work-{mine}",), (f"c-risk-{mine}",)]
    assert count(g1, "exchange_conflict", "record_key LIKE %s", (theirs + "%",)) == 0
    # Deleting everything it can reach deletes its own two; Group 2's stay.
    assert attempt(g1, "DELETE FROM exchange_conflict") == 2
    assert attempt(g1, "DELETE FROM exchange_conflict WHERE id = %s",
                   (f"c-risk-{theirs}",)) == 0
    refused(g1, "UPDATE exchange_conflict SET incoming_json = '{}'")
    assert count(server.admin, "exchange_conflict") == 4


def test_a_group_keeps_conflicts_on_its_own_records_only(server: Server) -> None:
    g1, mine, theirs = server.groups["Group 1"], server.ids["Group 1"], server.ids["Group 2"]
    own_risk = attempt(server.admin, "SELECT id FROM risk WHERE group_id = %s LIMIT 1",
                       (mine,))[0][0]  # type: ignore[index]
    their_risk = attempt(server.admin, "SELECT id FROM risk WHERE group_id = %s LIMIT 1",
                         (theirs,))[0][0]  # type: ignore[index]
    ws = server.workshop_id
    assert attempt(g1, *conflict_sql(mine, "risk", own_risk, ws)) == 1
    assert attempt(g1, *conflict_sql(mine, "exercise_work", f"{mine}|e2", ws)) == 1
    for sql, params in (
            conflict_sql(mine, "risk", their_risk, ws),  # another group's record
            conflict_sql(mine, "exercise_work", f"{theirs}|e2", ws),
            conflict_sql(mine, "risk", own_risk, ws, fields_group=theirs),  # moved away
            conflict_sql(mine, "risk", own_risk, server.other_workshop_id),
            conflict_sql(mine, "work_group", mine, ws),  # the facilitator's tables
            conflict_sql(mine, "exercise_phase", f"{ws}|e1", ws)):
        refused(g1, sql, params)


def test_a_group_keeps_its_preferences_but_not_the_facilitators_settings(
        server: Server) -> None:
    g1 = server.groups["Group 1"]
    facilitators = count(server.admin, "setting", "key LIKE 'facilitator.%%'")
    assert facilitators > 0  # the overall comments, the PIN's hash
    assert count(g1, "setting", "key LIKE 'facilitator.%%'") == 0
    assert attempt(g1, "INSERT INTO setting (key, value) VALUES ('ui.language', 'fr') "
                       "ON CONFLICT (key) DO UPDATE SET value = 'fr'") == 1
    assert attempt(g1, "UPDATE setting SET value = '' WHERE key NOT LIKE 'sync.%%'") == count(
        server.admin, "setting", "key NOT LIKE 'facilitator.%%' AND key NOT LIKE 'sync.%%'")
    for key in ("facilitator.pin_hash", "facilitator.overall_comment.x"):
        refused(g1, "INSERT INTO setting (key, value) VALUES (%s, 'x')", (key,))
    refused(g1, "UPDATE setting SET key = 'facilitator.pin_hash' WHERE key = 'ui.language'")
    assert count(server.admin, "setting", "key LIKE 'facilitator.%%'") == facilitators


def test_a_group_adds_known_versions_to_its_own_records_only(server: Server) -> None:
    """exchange_seen: the versions a record is known to have had. Another group's would
    make that group's next version look already known (and be ignored)."""
    g1, mine, theirs = server.groups["Group 1"], server.ids["Group 1"], server.ids["Group 2"]
    insert = ("INSERT INTO exchange_seen (table_name, record_key, content_hash, revision) "
              "VALUES (%s, %s, 'h9', 9)")
    own_risk = attempt(server.admin, "SELECT id FROM risk WHERE group_id = %s LIMIT 1",
                       (mine,))[0][0]  # type: ignore[index]
    their_risk = attempt(server.admin, "SELECT id FROM risk WHERE group_id = %s LIMIT 1",
                         (theirs,))[0][0]  # type: ignore[index]
    assert attempt(g1, insert, ("risk", own_risk)) == 1
    assert attempt(g1, insert, ("exercise_work", f"{mine}|e1")) == 1
    for table, key in (("risk", their_risk), ("exercise_work", f"{theirs}|e1"),
                       ("workshop", server.workshop_id), ("work_group", mine)):
        refused(g1, insert, (table, key))
    with psycopg.connect(server.admin) as con:  # what a sync leaves on the server
        for table, key in (("risk", own_risk), ("risk", their_risk),
                           ("workshop", server.workshop_id)):
            con.execute(insert, (table, key))
    try:
        assert sorted(attempt(g1, "SELECT table_name, record_key FROM exchange_seen")  # type: ignore[arg-type]
                      ) == [("risk", own_risk), ("workshop", server.workshop_id)]
        refused(g1, "DELETE FROM exchange_seen")
        refused(g1, "UPDATE exchange_seen SET record_key = %s WHERE record_key = %s",
                (their_risk, own_risk))
    finally:
        with psycopg.connect(server.admin) as con:
            con.execute("DELETE FROM exchange_seen WHERE content_hash = 'h9'")


def test_a_group_raises_its_own_change_counter_and_reads_the_feedback_release(
        server: Server) -> None:
    """Live sync's settings: a push raises its group's counter; a pull reads whether the
    facilitator released feedback. Another group's counter, and the release, are not the
    group's to write."""
    g1, mine, theirs = server.groups["Group 1"], server.ids["Group 1"], server.ids["Group 2"]
    own, other = f"sync.changes.{mine}", f"sync.changes.{theirs}"
    shared = f"sync.feedback_shared.{server.workshop_id}"
    assert attempt(g1, "SELECT value FROM setting WHERE key = %s", (own,)) == [("3",)]
    assert attempt(g1, "SELECT value FROM setting WHERE key = %s", (shared,)) == [("1",)]
    assert attempt(g1, "UPDATE setting SET value = '4' WHERE key = %s", (own,)) == 1
    assert count(g1, "setting", "key = %s", (other,)) == 0
    assert attempt(g1, "UPDATE setting SET value = '9' WHERE key = %s", (other,)) == 0
    assert attempt(g1, "DELETE FROM setting WHERE key = %s", (other,)) == 0
    for sql, params in (
            ("INSERT INTO setting (key, value) VALUES (%s, '1')", (other,)),
            ("INSERT INTO setting (key, value) VALUES (%s, '1')",
             (f"sync.feedback_shared.{server.other_workshop_id}",)),
            ("UPDATE setting SET value = '0' WHERE key = %s", (shared,)),
            ("UPDATE setting SET key = %s WHERE key = %s", (other, own))):
        refused(g1, sql, params)
    assert attempt(g1, "DELETE FROM setting WHERE key = %s", (shared,)) == 0  # kept
    assert attempt(server.admin, "SELECT key, value FROM setting WHERE key LIKE 'sync.%%' "
                   "ORDER BY key") == sorted([(own, "3"), (other, "3"), (shared, "1")])


def test_a_group_writes_its_own_work(server: Server) -> None:
    g1, mine = server.groups["Group 1"], server.ids["Group 1"]
    assert attempt(g1, "INSERT INTO risk (id, group_id, code, event, cause, consequence, "
                       "area, controls, owner, likelihood_reason, impact_reason, position, "
                       "deleted, revision, updated_at) VALUES ('r-new', %s, '', 'Smuggling', "
                       "'', '', 'revenue', '', '', '', '', 99, false, 1, now())", (mine,)) == 1
    assert attempt(g1, "UPDATE risk SET event = 'Changed', revision = revision + 1 "
                       "WHERE group_id = %s", (mine,)) == count(
        server.admin, "risk", "group_id = %s", (mine,))
    assert attempt(g1, "UPDATE exercise_work SET data_json = '{}', status = 'in_progress' "
                       "WHERE group_id = %s AND exercise_id = 'e1'", (mine,)) == 1
    assert attempt(g1, "INSERT INTO exercise_work (id, group_id, exercise_id, data_json, "
                       "status, feedback, revision, updated_at) VALUES ('w-new', %s, 'e99', "
                       "'{}', 'in_progress', '', 1, now())", (mine,)) == 1
    assert attempt(g1, "DELETE FROM member WHERE group_id = %s", (mine,)) == count(
        server.admin, "member", "group_id = %s", (mine,))


TEXT_COLUMN = {"member": "name", "risk": "event", "indicator_choice": "reason",
               "profile": "title", "targeting_run": "note", "exercise_work": "data_json"}


@pytest.mark.parametrize("table", GROUP_TABLES)
def test_a_group_cannot_change_another_groups_work(server: Server, table: str) -> None:
    g1, g2 = server.groups["Group 1"], server.ids["Group 2"]
    column = TEXT_COLUMN[table]
    before = attempt(server.admin, f"SELECT * FROM {table} WHERE group_id = %s ORDER BY id",
                     (g2,))
    # Hidden rows: an UPDATE or DELETE of them finds nothing to change...
    assert attempt(g1, f"UPDATE {table} SET {column} = 'x' WHERE group_id = %s", (g2,)) == 0
    if table != "exercise_work":  # (no DELETE there at all: see the feedback test)
        assert attempt(g1, f"DELETE FROM {table} WHERE group_id = %s", (g2,)) == 0
    assert attempt(server.admin, f"SELECT * FROM {table} WHERE group_id = %s ORDER BY id",
                   (g2,)) == before
    # ...and moving its own row to another group is refused.
    own = attempt(server.admin, f"SELECT id FROM {table} WHERE group_id = %s LIMIT 1",
                  (server.ids["Group 1"],))
    assert isinstance(own, list)
    if own:
        refused(g1, f"UPDATE {table} SET group_id = %s WHERE id = %s", (g2, own[0][0]))


def test_a_group_cannot_add_work_to_another_group(server: Server) -> None:
    g1 = server.groups["Group 1"]
    for other in ("Group 2", "Model answer"):
        refused(g1, "INSERT INTO risk (id, group_id, code, event, cause, consequence, area, "
                    "controls, owner, likelihood_reason, impact_reason, position, deleted, "
                    "revision, updated_at) VALUES ('r-x', %s, '', '', '', '', '', '', '', "
                    "'', '', 0, false, 1, now())", (server.ids[other],))
        refused(g1, "INSERT INTO exercise_work (id, group_id, exercise_id, data_json, status, "
                    "feedback, revision, updated_at) VALUES ('w-x', %s, 'e97', '{}', "
                    "'submitted', '', 1, now())", (server.ids[other],))
def test_a_group_cannot_write_feedback_or_scores(server: Server) -> None:
    g1, mine = server.groups["Group 1"], server.ids["Group 1"]
    where = ("WHERE group_id = %s AND exercise_id = 'e1'", (mine,))
    refused(g1, f"UPDATE exercise_work SET feedback = 'Brilliant' {where[0]}", where[1])
    refused(g1, f"UPDATE exercise_work SET score = 5 {where[0]}", where[1])
    refused(g1, f"DELETE FROM exercise_work {where[0]}", where[1])
    for feedback, score in (("Self-praise", None), ("", 5)):
        refused(g1, "INSERT INTO exercise_work (id, group_id, exercise_id, data_json, status, "
                    "feedback, score, revision, updated_at) VALUES ('w-x', %s, 'e98', '{}', "
                    "'submitted', %s, %s, 1, now())", (mine, feedback, score))
    # The facilitator's feedback and score on its own work: it reads them.
    assert attempt(g1, f"SELECT feedback, score FROM exercise_work {where[0]}",
                   where[1]) == [("Good PESTLE.", 4)]


@pytest.mark.parametrize("sql", [
    "UPDATE exercise_phase SET model_revealed = true",
    "UPDATE exercise_phase SET locked = false",
    "INSERT INTO exercise_phase (id, workshop_id, exercise_id, locked, model_revealed, "
    "revision, updated_at) SELECT 'p-x', id, 'e5', false, true, 1, now() FROM workshop",
    "DELETE FROM exercise_phase",
    "UPDATE workshop SET title = 'Mine now'",
    "INSERT INTO work_group (id, workshop_id, name, position, revision) "
    "SELECT 'g-x', id, 'Extra', 9, 1 FROM workshop",
    "UPDATE work_group SET name = 'Renamed'",
    "DELETE FROM work_group",
    "INSERT INTO setting (key, value) VALUES ('facilitator.pin_hash', 'x')",
    "UPDATE exchange_key SET public_key = 'forged'",
    "UPDATE server_role SET group_id = NULL",
    "TRUNCATE risk",
    "ALTER TABLE risk DISABLE ROW LEVEL SECURITY",
    "DROP POLICY rmdesk_own_group ON risk",
    "CREATE TABLE mine (n int)",
    "ALTER TABLE risk OWNER TO CURRENT_USER",
])
def test_a_group_cannot_write_what_is_the_facilitators(server: Server, sql: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attempt(server.groups["Group 1"], sql)


def test_a_group_cannot_become_another_role(server: Server) -> None:
    facilitator_role = psycopg.conninfo.conninfo_to_dict(server.facilitator)["user"]
    other_role = psycopg.conninfo.conninfo_to_dict(server.groups["Group 2"])["user"]
    for role in (facilitator_role, other_role):
        refused(server.groups["Group 1"], f'SET ROLE "{role}"')
    # A session setting claims nothing: the policies go by the login role.
    with psycopg.connect(server.groups["Group 1"]) as con:
        con.execute("SET application_name = 'facilitator'")
        con.execute("SELECT set_config('rmdesk.group_id', %s, false)", (server.ids["Group 2"],))
        assert con.execute("SELECT count(*) FROM risk WHERE group_id = %s",
                           (server.ids["Group 2"],)).fetchone() == (0,)


def test_wrong_password_is_refused(server: Server) -> None:
    url = psycopg.conninfo.conninfo_to_dict(server.groups["Group 1"])
    url["password"] = "guess"
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(**url)


# -- the facilitator's role ----------------------------------------------------------------

def test_the_facilitator_reads_every_group_and_writes_feedback_phases_reveals(
        server: Server) -> None:
    fac = server.facilitator
    for table in GROUP_TABLES:
        assert count(fac, table) == count(server.admin, table), table
    assert attempt(fac, "UPDATE exercise_work SET feedback = 'Well argued', score = 5 "
                        "WHERE exercise_id = 'e1'") == count(
        server.admin, "exercise_work", "exercise_id = 'e1'")
    assert attempt(fac, "UPDATE exercise_phase SET locked = true, model_revealed = true") \
        == count(server.admin, "exercise_phase")
    assert attempt(fac, "INSERT INTO exercise_phase (id, workshop_id, exercise_id, locked, "
                        "model_revealed, revision, updated_at) VALUES ('p-new', %s, 'e7', "
                        "false, true, 1, now())", (server.workshop_id,)) == 1
    assert attempt(fac, "INSERT INTO setting (key, value) VALUES ('x', 'y')") == 1
    assert count(fac, "server_role", "kind = 'group'") == len(server.groups)


@pytest.mark.parametrize("sql", [
    "UPDATE server_role SET kind = 'facilitator'",
    "ALTER TABLE risk DISABLE ROW LEVEL SECURITY",
    "DROP TABLE risk",
    "CREATE ROLE intruder LOGIN",
    "TRUNCATE exercise_work",
])
def test_the_facilitator_cannot_change_the_rules(server: Server, sql: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attempt(server.facilitator, sql)


# -- through rmdesk itself -----------------------------------------------------------------

def test_rmdesk_on_a_groups_role_works_and_refuses_in_words(server: Server,
                                                            tmp_path: Path) -> None:
    from rmdesk.services.facilitation import FacilitationService
    from rmdesk.services.register import RegisterService
    from rmdesk.store.database import open_store

    store = open_store(tmp_path, server.groups["Group 1"])
    try:
        register = RegisterService(store)
        mine = register.list_risks(server.ids["Group 1"])
        assert mine and register.list_risks(server.ids["Group 2"]) == []
        added = register.add_risk(server.ids["Group 1"], event="Transit diversion")
        with pytest.raises(RmdeskError) as error:
            register.add_risk(server.ids["Group 2"], event="Planted")
        assert error.value.code == "server_permission_denied"
        assert "_g1" in str(error.value) and "facilitator" in str(error.value)
        with pytest.raises(RmdeskError) as error:
            FacilitationService(store).set_feedback(server.ids["Group 1"], "e1", "Mine")
        assert error.value.code == "server_permission_denied"
        with pytest.raises(RmdeskError) as error:
            FacilitationService(store).set_revealed(server.workshop_id, "e2e3", True)
        assert error.value.code == "server_permission_denied"
    finally:
        store.close()
    assert count(server.admin, "risk", "id = %s", (added.id,)) == 1
    assert count(server.admin, "risk", "event = 'Planted'") == 0


# -- the workshop kit ----------------------------------------------------------------------

def test_a_groups_kit_carries_its_own_connection_and_nothing_of_the_facilitators(
        server: Server, tmp_path: Path) -> None:
    import json
    import zipfile

    from rmdesk.services import settings as keys
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.services.settings import SettingsService
    from rmdesk.store.database import open_store
    from rmdesk.store.server import connection_url

    facilitator = open_store(tmp_path / "facilitator", server.facilitator)
    try:
        exchange = ExchangeService(facilitator)
        exchange.export_kit(server.workshop_id, tmp_path / "g1.rmdx", server.ids["Group 1"])
        exchange.export_kit(server.workshop_id, tmp_path / "all.rmdx")
    finally:
        facilitator.close()
    secrets_of = {}
    for name in ("g1", "all"):
        with zipfile.ZipFile(tmp_path / f"{name}.rmdx") as kit:
            secrets_of[name] = b"".join(kit.read(n) for n in kit.namelist())
    fac_password = psycopg.conninfo.conninfo_to_dict(server.facilitator)["password"]
    g1_password = psycopg.conninfo.conninfo_to_dict(server.groups["Group 1"])["password"]
    g2_password = psycopg.conninfo.conninfo_to_dict(server.groups["Group 2"])["password"]
    assert g1_password.encode() in secrets_of["g1"]
    for blob in secrets_of.values():
        assert fac_password.encode() not in blob and g2_password.encode() not in blob
    assert g1_password.encode() not in secrets_of["all"]  # a kit for every laptop: none

    laptop = open_store(tmp_path / "laptop")
    try:
        [report] = ExchangeService(laptop).import_files([tmp_path / "g1.rmdx"])
        assert not report.refused
        settings = json.loads(SettingsService(laptop).get(keys.SERVER_CONNECTION) or "{}")
    finally:
        laptop.close()
    assert settings["role"].endswith("_g1") and settings["password"] == g1_password
    url = connection_url(settings)
    assert attempt(url, "SELECT id FROM work_group") == [(server.ids["Group 1"],)]
