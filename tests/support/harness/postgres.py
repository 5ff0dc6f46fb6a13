"""PostgreSQL for the tests: the server in KIOSK_TEST_DATABASE_URL, or a throwaway cluster.

The throwaway cluster is made with the installed PostgreSQL binaries in a temporary
directory. ``initdb`` refuses to run as root, so as root the cluster belongs to the
``postgres`` user. It listens on 127.0.0.1 on a free port with fsync off (the data is thrown
away), and is stopped with ``pg_ctl`` at the end of the session.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from harness import ServiceUnavailable
from harness.processes import free_port
from harness.reaper import forget, watch

__all__ = ["PostgresServer", "external_server", "start_cluster"]


class PostgresServer:
    """A reachable PostgreSQL server, and the databases the tests create on it."""

    def __init__(self, host: str, port: int, user: str, password: str | None, dbname: str,
                 data_dir: Path | None = None, run_as: str | None = None) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.admin_db = dbname
        self.data_dir = data_dir          # set when we own the cluster (stop/start possible)
        self._run_as = run_as
        self._created: list[str] = []

    @property
    def owned(self) -> bool:
        """Whether the tests started this server (and so may stop and start it)."""
        return self.data_dir is not None

    def url(self, dbname: str | None = None) -> str:
        """SQLAlchemy URL (psycopg 3 driver) of ``dbname`` on this server."""
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgresql+psycopg://{auth}@{self.host}:{self.port}/{dbname or self.admin_db}"

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, dbname=self.admin_db, autocommit=True,
                               connect_timeout=5)

    def create_database(self) -> str:
        """Create a fresh empty database and return its name."""
        name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
        with self._connect() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._created.append(name)
        return name

    def drop_databases(self) -> None:
        """Drop every database this object created (connections are terminated first)."""
        if not self._created:
            return
        with self._connect() as connection:
            for name in self._created:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)))
        self._created.clear()

    def stop(self) -> None:
        """Stop the server (owned clusters only): for outage tests and the end of the session."""
        postmaster = self._postmaster()
        if postmaster is not None:
            forget(postmaster)
        self._pg_ctl("stop", "-m", "fast")

    def remove(self) -> None:
        """Stop the server if it runs and delete its files (owned clusters only)."""
        assert self.data_dir is not None
        if (self.data_dir / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)

    def start(self) -> None:
        """Start the server again (owned clusters only)."""
        self._pg_ctl("start", "-w", "-l", str(self._log),
                     "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} "
                           f"-k {self._socket_dir} -c fsync=off -c synchronous_commit=off "
                           "-c full_page_writes=off -c max_connections=200")
        postmaster = self._postmaster()
        if postmaster is not None:
            # pg_ctl leaves the server on its own: if this pytest dies, a fast shutdown
            # (SIGINT), and the cluster's folder removed.
            watch(postmaster, ending=signal.SIGINT, folder=self.data_dir.parent)

    def _postmaster(self) -> int | None:
        """The server's PID, from its postmaster.pid (None when it is not running)."""
        assert self.data_dir is not None
        try:
            first = (self.data_dir / "postmaster.pid").read_text(encoding="ascii").split()[:1]
        except OSError:
            return None
        return int(first[0]) if first and first[0].isdigit() else None

    @property
    def _log(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir.parent / "postgres.log"

    @property
    def _socket_dir(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir.parent / "socket"

    def _pg_ctl(self, *args: str) -> None:
        if self.data_dir is None:
            raise RuntimeError("this PostgreSQL server is not owned by the tests")
        command = [str(_binary("pg_ctl")), "-D", str(self.data_dir), *args]
        _run(command, self._run_as)


def external_server(url: str) -> PostgresServer:
    """The server named by ``KIOSK_TEST_DATABASE_URL`` (any SQLAlchemy or libpq URL)."""
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        info = psycopg.conninfo.conninfo_to_dict(plain)
    except psycopg.ProgrammingError as exc:
        raise ServiceUnavailable(f"KIOSK_TEST_DATABASE_URL is not a PostgreSQL URL: {exc}") from exc
    server = PostgresServer(str(info.get("host") or "127.0.0.1"), int(info.get("port") or 5432),
                            str(info.get("user") or "postgres"),
                            str(info["password"]) if info.get("password") else None,
                            str(info.get("dbname") or "postgres"))
    try:
        server._connect().close()
    except psycopg.OperationalError as exc:
        raise ServiceUnavailable(f"KIOSK_TEST_DATABASE_URL unreachable: {exc}") from exc
    return server


def _binary(name: str) -> Path:
    found = shutil.which(name)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]       # Debian's versioned binaries, newest first
    if found:
        return Path(found)
    raise ServiceUnavailable(f"PostgreSQL's {name} is not installed (apt-get install postgresql)")


def _run(command: list[str], run_as: str | None) -> None:
    if run_as:
        command = ["runuser", "-u", run_as, "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise ServiceUnavailable(f"{' '.join(command)} failed: {result.stderr.strip()[-1500:]}")


def start_cluster() -> PostgresServer:
    """Create and start a throwaway cluster in a new temporary directory."""
    initdb = _binary("initdb")
    run_as = None
    # Not under pytest's 0700 temporary root: the `postgres` user must be able to reach it.
    workdir = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise ServiceUnavailable("running as root, but there is no 'postgres' user "
                                     "to own the throwaway cluster") from exc
        run_as = "postgres"
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
    data = workdir / "data"
    socket_dir = workdir / "socket"
    _run(["mkdir", "-p", str(socket_dir)], run_as)
    _run([str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
          "--locale=C.UTF-8", "--no-sync"], run_as)
    server = PostgresServer("127.0.0.1", free_port(), "postgres", None, "postgres",
                            data_dir=data, run_as=run_as)
    server.start()
    return server
