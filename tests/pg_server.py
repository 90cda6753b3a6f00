"""A throw-away PostgreSQL cluster for the tests (a pytest plugin, registered in conftest).

Debian's server programs (initdb, pg_ctl) live in /usr/lib/postgresql/<version>/bin, not on
PATH. initdb refuses to run as root, so under root the cluster runs as the `postgres`
system user (or `nobody`) through runuser. The cluster lives in a temporary folder, listens
on a unix socket there and on a free localhost port, and is stopped when the session ends.

Fixtures:
- pg_cluster (session): the running PgCluster (admin_url, create_database, stop, start,
  kill, restart...), for tests that need the server itself (fault tests).
- pg_admin_url (session): a superuser URL to the cluster's `postgres` database.
- pg_url (function): a fresh, empty database for one test, dropped afterwards.

Without PostgreSQL (or psycopg) the tests that use these fixtures are skipped with the
reason, except when the environment variable CI is set: then they fail, so CI never
passes by skipping the server tests.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ADMIN_USER = "postgres"


def find_pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: $RMDESK_PG_BIN, the newest Debian
    /usr/lib/postgresql/<version>/bin, or PATH."""
    explicit = os.environ.get("RMDESK_PG_BIN")
    if explicit:
        return Path(explicit) if (Path(explicit) / "initdb").exists() else None
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")

    def version(p: str) -> tuple[int, ...]:
        part = Path(p).parent.parent.name
        return tuple(int(x) for x in part.split(".") if x.isdigit())

    if candidates:
        return Path(max(candidates, key=version)).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that runs the server programs as an unprivileged user, and
    that user (None: we are not root, run them as ourselves)."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", name, "--"], user
    raise RuntimeError("running as root with no `postgres` user and no runuser")


class PgCluster:
    """One PostgreSQL cluster in a temporary folder, run by an unprivileged user."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.prefix, self.user = _run_as()
        self.base = Path(tempfile.mkdtemp(prefix="rmdesk-pg-"))
        os.chmod(self.base, 0o700)
        if self.user is not None:
            os.chown(self.base, self.user.pw_uid, self.user.pw_gid)
        self.data_dir = self.base / "data"
        self.socket_dir = self.base  # the unix socket, beside the data
        self.log_file = self.base / "server.log"
        self.password = secrets.token_hex(12)
        self.port = _free_port()
        self.host = "127.0.0.1"
        self._counter = itertools.count(1)

    # -- the server's life -------------------------------------------------------------

    def _program(self, name: str, *args: str, check: bool = True,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.prefix, str(self.bin_dir / name), *args],
                              capture_output=True, text=True, check=check, timeout=timeout,
                              cwd=self.base)

    def init(self) -> None:
        pwfile = self.base / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self.user is not None:
            os.chown(pwfile, self.user.pw_uid, self.user.pw_gid)
        try:
            # Password (scram) over TCP, as a classroom server would be; trust on the
            # socket, which only this user can reach (the folder is 0700).
            self._program("initdb", "-D", str(self.data_dir), "-U", ADMIN_USER,
                          "--pwfile", str(pwfile), "--auth-host=scram-sha-256",
                          "--auth-local=trust", "-E", "UTF8", "--locale=C.UTF-8",
                          "--no-sync")
        finally:
            pwfile.unlink()

    def start(self) -> None:
        # Durability is not what these tests measure: fsync off keeps the suite quick.
        options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses={self.host} "
                   "-c fsync=off -c full_page_writes=off "
                   "-c max_connections=200")
        result = self._program("pg_ctl", "start", "-D", str(self.data_dir), "-w", "-t", "60",
                               "-l", str(self.log_file), "-o", options, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {result.stderr}\n{self.log()}")

    def stop(self, mode: str = "fast") -> None:
        """pg_ctl stop (mode smart, fast or immediate)."""
        self._program("pg_ctl", "stop", "-D", str(self.data_dir), "-m", mode, "-w",
                      check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def kill(self) -> None:
        """SIGKILL the postmaster (a server crash); start() recovers it."""
        pid_file = self.data_dir / "postmaster.pid"
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            pid = int(pid_file.read_text().splitlines()[0])
            os.kill(pid, signal.SIGKILL)
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        # Its backends notice the postmaster is gone and exit; wait for the port to close.
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex((self.host, self.port)) != 0:
                    break
            time.sleep(0.05)
        time.sleep(0.2)

    def log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)

    # -- URLs and databases ------------------------------------------------------------

    def url(self, database: str = "postgres", user: str = ADMIN_USER,
            password: str | None = None) -> str:
        """A postgresql:// URL over TCP (libpq's form: psycopg.connect takes it, and so
        does rmdesk's --database)."""
        secret = self.password if password is None and user == ADMIN_USER else password
        auth = f"{user}:{secret}" if secret else user
        return f"postgresql://{auth}@{self.host}:{self.port}/{database}"

    @property
    def admin_url(self) -> str:
        return self.url()

    def connect(self, database: str = "postgres"):  # -> psycopg.Connection
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=ADMIN_USER,
                               password=self.password, dbname=database, autocommit=True)

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its name."""
        name = name or f"t{os.getpid()}_{next(self._counter)}"
        with self.connect() as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.connect() as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster() -> PgCluster:
    """A new running cluster, or RuntimeError saying why there can be none."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise RuntimeError('psycopg is not installed (pip install -e ".[server]")') from None
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) were not found "
                           "in /usr/lib/postgresql/*/bin or on PATH "
                           "(apt-get install postgresql)")
    cluster = PgCluster(bin_dir)
    try:
        cluster.init()
        cluster.start()
    except (subprocess.SubprocessError, OSError, RuntimeError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        cluster.remove()
        raise RuntimeError(f"could not start PostgreSQL: {exc} {detail}".strip()) from None
    return cluster


def unavailable(reason: str) -> None:
    """Skip, or fail under CI (CI must run the server tests, never skip them)."""
    message = f"PostgreSQL unavailable: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: the server tests must run)", pytrace=False)
    pytest.skip(message)


_cluster_failure: list[str] = []


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    if _cluster_failure:
        unavailable(_cluster_failure[0])
    try:
        cluster = start_cluster()
    except RuntimeError as exc:
        _cluster_failure.append(str(exc))
        unavailable(str(exc))
        raise  # unreachable: unavailable() skips or fails
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="session")
def pg_admin_url(pg_cluster: PgCluster) -> str:
    return pg_cluster.admin_url


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A superuser URL to a fresh, empty database, dropped after the test."""
    name = pg_cluster.create_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)
