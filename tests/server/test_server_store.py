"""The store on a PostgreSQL server: `rmdesk server init` (create, up to date, upgrade only
after the backup hint and a yes), what a command says about a server it cannot use, and
the commands (demo, report, check, export, import) with --database."""

from __future__ import annotations

import builtins
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from rmdesk.app import EXIT_OK, EXIT_USAGE, main
from rmdesk.errors import RmdeskError
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import HEAD_REVISION, KNOWN_REVISIONS, open_store

pytest.importorskip("psycopg")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def answer(monkeypatch: pytest.MonkeyPatch, reply: str | None) -> list[str]:
    """What the user types at the next prompt (None: no terminal); the prompts shown."""
    asked: list[str] = []

    def fake_input(prompt: str = "") -> str:
        asked.append(prompt)
        if reply is None:
            raise EOFError
        return reply

    monkeypatch.setattr(builtins, "input", fake_input)
    return asked


def revision(url: str) -> str | None:
    from rmdesk.services.server_admin import schema_revision

    return schema_revision(url)


def test_init_creates_the_tables_and_the_facilitators_role(
        pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "server", "init", "--database", pg_url)
    assert (code, err) == (EXIT_OK, "")
    assert revision(pg_url) == HEAD_REVISION
    assert "***" in out and pg_url.split("@")[0].split(":")[-1] not in out.split("\n")[0]
    facilitator_url = next(line.strip() for line in out.splitlines()
                           if line.strip().startswith("postgresql://") and "facilitator" in line)
    # The facilitator's URL it printed works, and creates the demo workshop on the server.
    code, out, err = run(capsys, "demo", "--database", facilitator_url,
                         "--data-dir", str(tmp_path / "fac"))
    assert (code, err) == (EXIT_OK, ""), err
    assert "Demo workshop" in out and "***" in out
    # A second init changes nothing and says so; the password is not shown again.
    password = facilitator_url.split("@")[0].rsplit(":", 1)[1]
    code, out, _err = run(capsys, "server", "init", "--database", pg_url)
    assert code == EXIT_OK and "up to date" in out and password not in out


def test_a_command_never_creates_the_schema_by_itself(
        pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--database", pg_url, "--data-dir", str(tmp_path))
    assert code == EXIT_USAGE and out == ""
    assert "rmdesk server init" in err and "***" in err or "@" not in err
    assert revision(pg_url) is None


def _old_server(pg_url: str) -> None:
    """A server at schema 0005_trust holding a workshop and a dated risk."""
    from rmdesk.store.migrate import upgrade
    from rmdesk.store.server import make_server_engine, parse_url

    engine = make_server_engine(parse_url(pg_url))
    try:
        upgrade(engine, "0005_trust")
        with engine.begin() as con:
            con.execute(text(
                "INSERT INTO workshop (id, title, venue, languages, pack_id, pack_version, "
                "created_at, revision) VALUES ('w1', 'Old workshop', '', 'en', '', '', "
                "'2026-03-09 08:30:00', 1)"))
            con.execute(text("INSERT INTO work_group (id, workshop_id, name, position, "
                             "revision) VALUES ('g1', 'w1', 'Group 1', 0, 1)"))
    finally:
        engine.dispose()


def test_an_old_schema_is_upgraded_only_after_the_hint_and_a_yes(
        pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _old_server(pg_url)
    with pytest.raises(RmdeskError) as error:  # the app refuses it until then
        open_store(tmp_path, pg_url)
    assert error.value.code == "server_needs_upgrade"
    assert error.value.params["revision"] == "0005_trust"
    for reply in (None, "no"):  # no terminal, or not confirmed: nothing changes
        asked = answer(monkeypatch, reply)
        code, out, err = run(capsys, "server", "init", "--database", pg_url)
        assert code == 1 and asked and "Nothing was changed" in err
        assert "pg_dump --format=custom" in out and "0005_trust" in out
        assert revision(pg_url) == "0005_trust"
    asked = answer(monkeypatch, "yes")
    code, out, _err = run(capsys, "server", "init", "--database", pg_url)
    assert code == EXIT_OK and asked and revision(pg_url) == HEAD_REVISION
    store = open_store(tmp_path, pg_url)
    try:
        workshop = WorkshopService(store).find_workshop("Old workshop")
        assert workshop.created_at.isoformat() == "2026-03-09T08:30:00+00:00"
        assert [g.name for g in WorkshopService(store).list_groups(workshop.id)] == ["Group 1"]
    finally:
        store.close()


def test_yes_upgrades_without_asking(pg_url: str, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _old_server(pg_url)
    asked = answer(monkeypatch, None)
    code, out, _err = run(capsys, "server", "init", "--database", pg_url, "--yes")
    assert code == EXIT_OK and not asked and "pg_dump" in out
    assert revision(pg_url) == HEAD_REVISION


def test_migrations_go_down_and_up_again_on_the_server(pg_url: str) -> None:
    """The one history runs both ways on PostgreSQL too (SQLite: test_migration_upgrade)."""
    from rmdesk.services.server_admin import init_server
    from rmdesk.store.migrate import alembic_config
    from rmdesk.store.server import make_server_engine, parse_url

    init_server(pg_url)
    engine = make_server_engine(parse_url(pg_url))
    try:
        from alembic import command

        for target in reversed(("base", *KNOWN_REVISIONS[:-1])):
            with engine.begin() as con:
                config = alembic_config()
                config.attributes["connection"] = con
                command.downgrade(config, target)
        with engine.connect() as con:
            assert con.execute(text("SELECT to_regclass('workshop')")).scalar() is None
    finally:
        engine.dispose()
    assert revision(pg_url) in (None, "unknown") or revision(pg_url) is None
    init_server(pg_url)
    assert revision(pg_url) == HEAD_REVISION


def test_a_newer_schema_is_refused(pg_url: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    from rmdesk.services.server_admin import init_server
    from rmdesk.store.server import make_server_engine, parse_url

    init_server(pg_url)
    engine = make_server_engine(parse_url(pg_url))
    with engine.begin() as con:
        con.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(RmdeskError) as error:
        open_store(tmp_path, pg_url)
    assert error.value.code == "store_too_new"
    code, _out, err = run(capsys, "server", "init", "--database", pg_url, "--yes")
    assert code == EXIT_USAGE and "9999_future" in err
    assert revision(pg_url) == "9999_future"


@pytest.mark.parametrize(("url", "code"), [
    ("mysql://u@h/db", "database_url_invalid"),
    ("postgresql://u@127.0.0.1:1", "database_url_invalid"),  # no database name
    ("postgresql://nobody:wrong@127.0.0.1:1/rmdesk", "server_unreachable"),
])
def test_a_server_that_cannot_be_used_is_named_in_words(
        url: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RmdeskError) as error:
        open_store(tmp_path, url)
    assert error.value.code == code
    exit_code, out, err = run(capsys, "report", "--database", url, "--data-dir",
                              str(tmp_path), "--workshop", "W", "--group", "G",
                              "-o", str(tmp_path / "x.pdf"))
    assert exit_code == EXIT_USAGE and out == "" and "Traceback" not in err
    assert "wrong" not in err  # never the password


def test_wrong_password_names_the_server_not_the_password(
        pg_cluster: Any, pg_url: str, tmp_path: Path) -> None:
    from rmdesk.services.server_admin import init_server

    init_server(pg_url)
    bad = pg_url.replace(pg_cluster.password, "not-the-password")
    with pytest.raises(RmdeskError) as error:
        open_store(tmp_path, bad)
    assert error.value.code == "server_unreachable"
    assert "not-the-password" not in str(error.value)


def test_restore_on_a_server_points_to_pg_dump(pg_url: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "restore", "--database", pg_url, "--yes")
    assert code == EXIT_USAGE and "pg_restore" in err


def test_commands_with_database(pg_url: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """demo, report, check, export and import, on the server by --database or by
    $RMDESK_DATABASE, as on a data folder."""
    from rmdesk.services.server_admin import init_server

    init_server(pg_url)
    here = ["--database", pg_url, "--data-dir", str(tmp_path / "laptop")]
    assert run(capsys, "demo", *here)[0] == EXIT_OK
    pdf = tmp_path / "g1.pdf"
    code, out, err = run(capsys, "report", *here, "--workshop", "Demo workshop",
                         "--group", "Group 1", "-o", str(pdf))
    assert code == EXIT_OK and pdf.stat().st_size > 1000, err
    code, out, _err = run(capsys, "check", *here, "--workshop", "Demo workshop",
                          "--group", "Group 2", "--json")
    assert code == 1 and {json.loads(line)["group"] for line in out.splitlines()} == {"Group 2"}
    kit, work = tmp_path / "kit.rmdx", tmp_path / "g2.rmdx"
    monkeypatch.setattr("sys.stdin", io.StringIO("4826\n"))
    assert run(capsys, "facilitator", "set-pin", *here)[0] == EXIT_OK
    code, _out, err = run(capsys, "export", *here, "--workshop", "Demo workshop",
                          "-o", str(kit))
    assert code == EXIT_OK, err
    assert run(capsys, "export", *here, "--workshop", "Demo workshop", "--group", "Group 2",
               "-o", str(work))[0] == EXIT_OK
    # A laptop's own file takes the server's kit and group work...
    laptop = ["--data-dir", str(tmp_path / "other")]
    assert run(capsys, "import", *laptop, str(kit), str(work))[0] == EXIT_OK
    # ...and the server takes them back with nothing new (and $RMDESK_DATABASE works).
    monkeypatch.setenv("RMDESK_DATABASE", pg_url)
    code, out, _err = run(capsys, "import", "--data-dir", str(tmp_path / "laptop"), str(work))
    assert code == EXIT_OK
    store = open_store(tmp_path / "other")
    try:
        workshop = WorkshopService(store).find_workshop("Demo workshop")
        assert "Group 2" in [g.name for g in WorkshopService(store).list_groups(workshop.id)]
    finally:
        store.close()


def test_the_readme_recipe_an_owner_with_createrole_not_a_superuser(
        pg_cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """README: `createuser --createrole rmdesk_admin`, `createdb --owner rmdesk_admin`: that
    administrator (no superuser) runs init and add-group; the facilitator cannot."""
    name = pg_cluster.create_database()
    admin_role = f"{name}_admin"
    with pg_cluster.connect() as con:
        con.execute(f"CREATE ROLE \"{admin_role}\" LOGIN CREATEROLE PASSWORD 'adm-pw'")
        con.execute(f'ALTER DATABASE "{name}" OWNER TO "{admin_role}"')
    admin = pg_cluster.url(name, admin_role, "adm-pw")
    try:
        code, out, err = run(capsys, "server", "init", "--database", admin,
                             "--host", "localhost")  # as laptops would name the server
        assert code == EXIT_OK, err
        facilitator = next(line.strip() for line in out.splitlines()
                           if line.strip().startswith("postgresql://"))
        assert "@localhost:" in facilitator
        here = ["--database", facilitator, "--data-dir", str(tmp_path)]
        assert run(capsys, "demo", *here)[0] == EXIT_OK
        code, _out, err = run(capsys, "server", "add-group", *here,
                              "--workshop", "Demo workshop", "--group", "Group 1")
        assert code == EXIT_USAGE and "administrator" in err
        code, out, err = run(capsys, "server", "add-group", "--database", admin,
                             "--data-dir", str(tmp_path), "--workshop", "Demo workshop",
                             "--group", "Group 1", "--group", "Group 3",
                             "--host", "192.168.1.10")
        assert code == EXIT_OK, err
        urls = [line.strip() for line in out.splitlines()
                if line.strip().startswith("postgresql://")]
        assert len(urls) == 2 and all("@192.168.1.10:" in u for u in urls)
        # Again: each group keeps its role and password.
        code, again, _err = run(capsys, "server", "add-group", "--database", admin,
                                "--data-dir", str(tmp_path), "--workshop", "Demo workshop",
                                "--all-groups", "--host", "192.168.1.10")
        assert code == EXIT_OK and all(u in again for u in urls)
        assert again.count("postgresql://") == 4
        # An unknown group is named, and nothing is made.
        code, _out, err = run(capsys, "server", "add-group", "--database", admin,
                              "--data-dir", str(tmp_path), "--workshop", "Demo workshop",
                              "--group", "Group 9")
        assert code == EXIT_USAGE and "Group 9" in err
    finally:
        pg_cluster.drop_database(name)


def test_without_the_driver_the_message_says_how_to_install_it(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rmdesk.store import server

    monkeypatch.setattr(server, "driver_available", lambda: False)
    with pytest.raises(RmdeskError) as error:
        open_store(tmp_path, pg_url)
    assert error.value.code == "server_driver_missing" and ".[server]" in str(error.value)


def test_text_the_server_cannot_keep_is_a_failed_save_not_a_traceback(
        pg_url: str, tmp_path: Path) -> None:
    """PostgreSQL's text holds no NUL character (SQLite's does): whatever reaches the
    store with one is refused in words, and nothing is half-written."""
    from rmdesk.services.register import RegisterService
    from rmdesk.services.server_admin import init_server
    from rmdesk.services.workshops import WorkshopInput

    init_server(pg_url)
    store = open_store(tmp_path, pg_url)
    try:
        workshops = WorkshopService(store)
        workshop = workshops.create_workshop(WorkshopInput("W", "V"))
        group = workshops.add_group(workshop.id, "G")
        register = RegisterService(store)
        with pytest.raises(RmdeskError) as error:
            register.add_risk(group.id, event="Under\x00valuation")
        assert error.value.code == "store_write_failed" and "NUL" in str(error.value)
        assert "***" in str(error.value)  # the server, its password hidden
        assert register.list_risks(group.id) == []
    finally:
        store.close()
