"""Setting up the classroom server: its schema, and the PostgreSQL roles that decide who
may write what (the policies themselves are migration 0006_server's).

Roles, per database (PostgreSQL roles belong to the whole server, so their names start
with the database's):
- `<db>_facilitator` reads and writes everything of the workshop: feedback, scores,
  phases, reveals, conflicts, settings; it alone does.
- `<db>_g<n>`, one per group, reads its workshop, its own group and phases, and reads and
  writes only its own group's work (never feedback or scores, never another group's rows).
These run as the administrator's connection (the owner of the tables, with CREATEROLE),
never as the facilitator's: creating roles is the server administrator's job.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection, Engine

from rmdesk.errors import RmdeskError
from rmdesk.store import server
from rmdesk.store.database import Store

RMDESK_TABLES = ("workshop", "work_group", "member", "risk", "setting", "indicator_choice",
                 "profile", "targeting_run", "exercise_work", "exercise_phase",
                 "exchange_seen", "exchange_conflict", "exchange_key")
# What a group's role may do on each table (row-level security narrows it to its rows).
GROUP_GRANTS = {
    "alembic_version": "SELECT",
    "workshop": "SELECT",
    "work_group": "SELECT",
    "exercise_phase": "SELECT",
    "exchange_key": "SELECT",
    "member": "SELECT, INSERT, UPDATE, DELETE",
    "risk": "SELECT, INSERT, UPDATE, DELETE",
    "indicator_choice": "SELECT, INSERT, UPDATE, DELETE",
    "profile": "SELECT, INSERT, UPDATE, DELETE",
    "targeting_run": "SELECT, INSERT, UPDATE, DELETE",
    # Not feedback or score: those are the facilitator's. No DELETE: it would take them.
    "exercise_work": "SELECT, INSERT, UPDATE (data_json, status, submitted_at, revision, "
                     "updated_at)",
    "exchange_seen": "SELECT, INSERT, UPDATE",  # content hashes only
    # A push keeps and settles the conflicts of the group's own records (0006_server's
    # policy); it never edits one.
    "exchange_conflict": "SELECT, INSERT, DELETE",
    # The laptop's preferences; never the keys facilitator.* (0006_server's policy).
    "setting": "SELECT, INSERT, UPDATE, DELETE",
}


@dataclass(frozen=True)
class InitResult:
    before: str | None  # the schema revision found (None: an empty database)
    after: str
    facilitator_role: str
    facilitator_password: str | None  # set when the role was created now (shown once)


@dataclass(frozen=True)
class GroupRole:
    group_name: str
    role: str
    password: str
    created: bool


def admin_engine(database: str) -> tuple[Engine, str]:
    url = server.parse_url(database)
    return server.make_server_engine(url), server.redact(url)


def role_prefix(url: URL) -> str:
    """`rmdesk_<database>` in lower-case letters, digits and underscores, short enough
    for PostgreSQL's 63-character names with a suffix."""
    slug = re.sub(r"[^a-z0-9_]+", "_", (url.database or "").lower()).strip("_")[:40]
    return f"rmdesk_{slug or 'db'}"


def _ident(con: Connection, name: str) -> str:
    from psycopg import sql

    raw = con.connection.dbapi_connection
    return sql.Identifier(name).as_string(raw)  # type: ignore[arg-type]


def _literal(con: Connection, value: str) -> str:
    from psycopg import sql

    raw = con.connection.dbapi_connection
    return sql.Literal(value).as_string(raw)  # type: ignore[arg-type]


def _role_exists(con: Connection, role: str) -> bool:
    return bool(con.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                            {"r": role}).first())


def _create_role(con: Connection, role: str, password: str) -> None:
    con.exec_driver_sql(
        f"CREATE ROLE {_ident(con, role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
        f"NOINHERIT PASSWORD {_literal(con, password)}")


def _grant_facilitator(con: Connection, role: str) -> None:
    who = _ident(con, role)
    tables = ", ".join(RMDESK_TABLES)
    con.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {who}")
    con.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {who}")
    con.exec_driver_sql(f"GRANT SELECT ON alembic_version, server_role TO {who}")


def _grant_group(con: Connection, role: str) -> None:
    who = _ident(con, role)
    con.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {who}")
    for table, rights in GROUP_GRANTS.items():
        con.exec_driver_sql(f"GRANT {rights} ON {table} TO {who}")


def _refuse_not_admin(exc: Exception, location: str) -> RmdeskError:
    error = server.server_error(exc, location, "", writing=True)
    if error is not None and error.code == "server_permission_denied":
        return RmdeskError("server_admin_required", server=location,
                           reason=error.params.get("reason", ""))
    return error or RmdeskError("store_write_failed", path=location, reason=str(exc))


def schema_revision(database: str) -> str | None:
    """The server's rmdesk schema revision: None for an empty database."""
    engine, location = admin_engine(database)
    try:
        return server.server_revision(engine, location)
    finally:
        engine.dispose()


def init_server(database: str) -> InitResult:
    """Create or upgrade the schema (the caller has asked before an upgrade), then the
    facilitator's role and every role's grants (a new table of a later schema included)."""
    from sqlalchemy import exc as sa_exc

    from rmdesk.store.database import HEAD_REVISION, KNOWN_REVISIONS
    from rmdesk.store.migrate import upgrade

    engine, location = admin_engine(database)
    try:
        before = server.server_revision(engine, location)
        if before == "unknown":
            raise RmdeskError("store_corrupt", path=location, reason="no schema version")
        if before is not None and before not in KNOWN_REVISIONS:
            raise RmdeskError("store_too_new", path=location, revision=before)
        role = role_prefix(engine.url) + "_facilitator"
        password: str | None = None
        try:
            if before != HEAD_REVISION:
                upgrade(engine)
            with engine.begin() as con:
                if not _role_exists(con, role):
                    password = secrets.token_urlsafe(18)
                    _create_role(con, role, password)
                con.execute(text(
                    "INSERT INTO server_role (role_name, kind) VALUES (:r, 'facilitator') "
                    "ON CONFLICT (role_name) DO NOTHING"), {"r": role})
                _grant_facilitator(con, role)
                for (group_role,) in con.execute(text(
                        "SELECT role_name FROM server_role WHERE kind = 'group'")):
                    _grant_group(con, group_role)
        except sa_exc.DBAPIError as exc:
            raise _refuse_not_admin(exc, location) from None
        return InitResult(before, HEAD_REVISION, role, password)
    finally:
        engine.dispose()


def add_group_roles(store: Store, workshop_title: str,
                    group_names: list[str] | None) -> list[GroupRole]:
    """A login role for each named group (every group of the workshop when None), on the
    server `store` was opened on with the administrator's URL; a group that has one keeps
    it (and its password)."""
    from sqlalchemy import exc as sa_exc

    from rmdesk.services.workshops import WorkshopService

    if not store.is_server:
        raise RmdeskError("server_required")
    workshops = WorkshopService(store)
    workshop = workshops.find_workshop(workshop_title)
    groups = workshops.list_groups(workshop.id)
    if group_names is not None:
        groups = [workshops.find_group(workshop.id, name) for name in group_names]
    prefix = role_prefix(store.engine.url)
    made: list[GroupRole] = []
    try:
        with store.engine.begin() as con:
            taken = {name for (name,) in con.execute(text("SELECT role_name FROM server_role"))}
            for group in groups:
                row = con.execute(text(
                    "SELECT role_name, password FROM server_role WHERE group_id = :g"),
                    {"g": group.id}).first()
                if row is not None:
                    made.append(GroupRole(group.name, row[0], row[1], False))
                    continue
                n = 1
                while f"{prefix}_g{n}" in taken or _role_exists(con, f"{prefix}_g{n}"):
                    n += 1
                role, password = f"{prefix}_g{n}", secrets.token_urlsafe(18)
                taken.add(role)
                _create_role(con, role, password)
                con.execute(text(
                    "INSERT INTO server_role (role_name, kind, group_id, password) "
                    "VALUES (:r, 'group', :g, :p)"), {"r": role, "g": group.id, "p": password})
                _grant_group(con, role)
                made.append(GroupRole(group.name, role, password, True))
    except sa_exc.DBAPIError as exc:
        raise _refuse_not_admin(exc, store.location) from None
    return made


def role_url(database: str, role: str, password: str, host: str | None = None) -> str:
    """The postgresql:// URL a laptop connects with: the server's address (or `host`,
    the one laptops reach it at), this role and its password."""
    url = server.parse_url(database)
    url = url.set(drivername="postgresql", username=role, password=password,
                  host=host or url.host)
    return url.render_as_string(hide_password=False)


def group_connection(database_url: URL, role: str, password: str,
                     host: str | None = None) -> dict[str, object]:
    """A group's connection settings for its kit: the server and its own role, nothing
    of the facilitator's."""
    return {"host": host or database_url.host or "", "port": database_url.port or 5432,
            "database": database_url.database or "", "role": role, "password": password}


def find_group_connection(store: Store, group_id: str) -> tuple[str, str] | None:
    """The role and password of a group, read with the facilitator's (or the
    administrator's) connection; None when the group has no role yet."""
    with store.session() as s:
        row = s.connection().execute(text(
            "SELECT role_name, password FROM server_role WHERE group_id = :g"),
            {"g": group_id}).first()
    return (row[0], row[1]) if row else None
