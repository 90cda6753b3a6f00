"""server: who may write what on a PostgreSQL server (roles mapped to groups, row-level
security). Nothing changes in a laptop's SQLite file: one person uses it at a time.

The policies key on the role the connection logged in with (current_user), mapped to a
group by the table server_role: a client cannot claim another group by setting anything
in its session. The lookups are SECURITY DEFINER functions, so no participant role may
read server_role itself (it holds the groups' passwords for the kits). Which tables each
role may touch at all is granted by `rmdesk server init` / `rmdesk server add-group`
(rmdesk.services.server_admin), which create the roles.

Revision ID: 0006_server
Revises: 0005_trust
Create Date: 2026-12-07
"""
from alembic import op

revision = '0006_server'
down_revision = '0005_trust'
branch_labels = None
depends_on = None

# A group's own rows: it reads and writes them, and only them.
GROUP_TABLES = ("member", "risk", "indicator_choice", "profile", "targeting_run",
                "exercise_work")
# What a group may read of its workshop (the facilitator alone writes these).
READ_POLICIES = {
    "workshop": "id = rmdesk_role_workshop(current_user)",
    "work_group": "id = rmdesk_role_group(current_user)",
    "exercise_phase": "workshop_id = rmdesk_role_workshop(current_user)",
    "exchange_key": ("workshop_id = rmdesk_role_workshop(current_user) "
                     "AND group_id = rmdesk_role_group(current_user)"),
}
# Conflicts: a group's live sync reads, keeps and settles (deletes) the versions set aside
# for its OWN records (merge.store_conflict, drop_superseded); the facilitator sees all.
# A conflict names its record by table and key: rmdesk_record_group finds the record's
# group with the caller's rights, so another group's record (hidden) matches no group.
# The kept version must be the group's too: the facilitator's "keep theirs" writes it.
CONFLICT_POLICY = ("workshop_id = rmdesk_role_workshop(current_user) "
                   "AND rmdesk_record_group(table_name, record_key) "
                   "= rmdesk_role_group(current_user)")
CONFLICT_CHECK = (f"{CONFLICT_POLICY} AND (incoming_json::jsonb -> 'fields' ->> 'group_id') "
                  "= rmdesk_role_group(current_user)")
# The known versions (content hashes) of records: a group reads the histories of its own
# records and of its workshop's (a pull takes them with the rows), and adds only to its
# own records' (else it could make another group's next version look already known).
SEEN_OWN = "rmdesk_record_group(table_name, record_key) = rmdesk_role_group(current_user)"
SEEN_READ = f"{SEEN_OWN} OR table_name IN ('workshop', 'work_group', 'exercise_phase')"
# Settings: a group's laptop keeps its preferences (language, window) there; the keys
# facilitator.* (the PIN's hash, the overall comment on each group) are the facilitator's.
# Live sync's keys: a group raises its own change counter (sync.changes.<its group>) and
# reads whether feedback is released (sync.feedback_shared.<workshop>), which the
# facilitator alone sets; other groups' counters are theirs.
_OWN_COUNTER = ("(NOT starts_with(key, 'sync.changes.') "
                "OR key = 'sync.changes.' || rmdesk_role_group(current_user))")
SETTING_READ = f"NOT starts_with(key, 'facilitator.') AND {_OWN_COUNTER}"
SETTING_WRITE = f"{SETTING_READ} AND NOT starts_with(key, 'sync.feedback_shared.')"
# The models keep aware UTC times (sqlmodel's UTCDateTime: DateTime(timezone=True)); the
# earlier migrations made them TIMESTAMP, which SQLite does not tell apart. On a server
# they become timestamptz, so a client in any time zone reads the same instant.
TIMESTAMPS = (("workshop", "created_at"), ("risk", "updated_at"),
              ("indicator_choice", "updated_at"), ("profile", "updated_at"),
              ("targeting_run", "created_at"), ("exercise_work", "submitted_at"),
              ("exercise_work", "updated_at"), ("exercise_phase", "updated_at"),
              ("exchange_conflict", "created_at"), ("exchange_key", "created_at"))
FACILITATOR = "rmdesk_role_is_facilitator(current_user)"

FUNCTIONS = """
CREATE TABLE server_role (
    role_name text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('facilitator', 'group')),
    group_id varchar REFERENCES work_group (id) ON DELETE CASCADE,
    password text NOT NULL DEFAULT '',
    created_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CHECK ((kind = 'group') = (group_id IS NOT NULL))
);
REVOKE ALL ON server_role FROM PUBLIC;

CREATE FUNCTION rmdesk_role_group(role name) RETURNS varchar
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT group_id FROM server_role WHERE role_name = role AND kind = 'group' $$;
CREATE FUNCTION rmdesk_role_workshop(role name) RETURNS varchar
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT g.workshop_id FROM server_role r JOIN work_group g ON g.id = r.group_id
          WHERE r.role_name = role AND r.kind = 'group' $$;
CREATE FUNCTION rmdesk_role_is_facilitator(role name) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT EXISTS (SELECT 1 FROM server_role
                         WHERE role_name = role AND kind = 'facilitator') $$;
-- The group of the record a conflict is about (its key: the id, or "group|item" for the
-- tables keyed by group). Not SECURITY DEFINER: run with the caller's rights, row-level
-- security hides other groups' records, whose group is then NULL.
CREATE FUNCTION rmdesk_record_group(tbl text, record_key text) RETURNS varchar
    LANGUAGE sql STABLE SET search_path = public, pg_temp
    AS $$ SELECT CASE tbl
        WHEN 'indicator_choice' THEN (SELECT id FROM work_group
                                      WHERE id = split_part(record_key, '|', 1))
        WHEN 'exercise_work' THEN (SELECT id FROM work_group
                                   WHERE id = split_part(record_key, '|', 1))
        WHEN 'member' THEN (SELECT group_id FROM member WHERE id = record_key)
        WHEN 'risk' THEN (SELECT group_id FROM risk WHERE id = record_key)
        WHEN 'profile' THEN (SELECT group_id FROM profile WHERE id = record_key)
        WHEN 'targeting_run' THEN (SELECT group_id FROM targeting_run WHERE id = record_key)
        END $$;
"""


def _policies() -> list[str]:
    sql = []
    for table in (*GROUP_TABLES, *READ_POLICIES, "exchange_conflict", "exchange_seen",
                  "setting"):
        sql.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        sql.append(f"CREATE POLICY rmdesk_facilitator ON {table} "
                   f"USING ({FACILITATOR}) WITH CHECK ({FACILITATOR})")
    own = "group_id = rmdesk_role_group(current_user)"
    for table in GROUP_TABLES:
        sql.append(f"CREATE POLICY rmdesk_own_group ON {table} USING ({own}) "
                   f"WITH CHECK ({own})")
    for table, condition in READ_POLICIES.items():
        sql.append(f"CREATE POLICY rmdesk_group_reads ON {table} FOR SELECT "
                   f"USING ({condition})")
    sql.append(f"CREATE POLICY rmdesk_group_conflicts ON exchange_conflict "
               f"USING ({CONFLICT_POLICY}) WITH CHECK ({CONFLICT_CHECK})")
    sql.append(f"CREATE POLICY rmdesk_group_seen ON exchange_seen USING ({SEEN_READ}) "
               f"WITH CHECK ({SEEN_OWN})")
    sql.append(f"CREATE POLICY rmdesk_group_settings ON setting USING ({SETTING_READ}) "
               f"WITH CHECK ({SETTING_WRITE})")
    # USING alone would let a group delete the feedback-released flag it may read.
    sql.append("CREATE POLICY rmdesk_group_settings_delete ON setting AS RESTRICTIVE "
               f"FOR DELETE USING ({FACILITATOR} OR ({SETTING_WRITE}))")
    # A group's new answer carries no feedback or score (it may not update those columns
    # at all: server_admin grants it UPDATE on the other columns only).
    sql.append("CREATE POLICY rmdesk_no_feedback ON exercise_work AS RESTRICTIVE FOR INSERT "
               f"WITH CHECK ({FACILITATOR} OR (feedback = '' AND score IS NULL))")
    return sql


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # a laptop's SQLite file: nothing to enforce between its users
    for table, column in TIMESTAMPS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE timestamptz "
                   f"USING {column} AT TIME ZONE 'UTC'")
    op.execute(FUNCTIONS)
    for statement in _policies():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in (*GROUP_TABLES, *READ_POLICIES, "exchange_conflict", "exchange_seen",
                  "setting"):
        for policy in ("rmdesk_facilitator", "rmdesk_own_group", "rmdesk_group_reads",
                       "rmdesk_no_feedback", "rmdesk_group_settings",
                       "rmdesk_group_settings_delete", "rmdesk_group_conflicts",
                       "rmdesk_group_seen"):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for function in ("rmdesk_role_group", "rmdesk_role_workshop",
                     "rmdesk_role_is_facilitator"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}(name)")
    op.execute("DROP FUNCTION IF EXISTS rmdesk_record_group(text, text)")
    op.execute("DROP TABLE IF EXISTS server_role")
    for table, column in TIMESTAMPS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE timestamp "
                   f"USING {column} AT TIME ZONE 'UTC'")
