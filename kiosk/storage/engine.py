"""Creating engines for the configured database URL, and checking that it is reachable."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)

from kiosk.doctor import Check, Status
from kiosk.errors import StorageError
from kiosk.i18n import S_
from kiosk.storage.sqlite_files import damaged_database_error, probe_sqlite_file, sqlite_file
from kiosk.storage.wal_checkpoints import checkpoint_in_background
from kiosk.storage.write_turns import WriteTurns

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection

    from kiosk.storage.kept_connections import KeptConnections

__all__ = [
    "DatabaseUnavailableError",
    "dialect_insert",
    "is_sqlite",
    "make_engine",
    "one_statement",
    "probe_database",
    "redacted_url",
    "transaction",
]


class DatabaseUnavailableError(StorageError):
    """The database cannot be reached (LAN or server down) or stayed locked too long."""


_FILE_UNUSABLE = S_("The database file {file} cannot be used ({reason}). Check that its folder "
                    "exists and that the kiosk's user may write both; another program may hold "
                    "it.")


def is_sqlite(engine: Engine) -> bool:
    """Whether ``engine`` is an embedded SQLite database."""
    return engine.dialect.name == "sqlite"


def dialect_insert(engine: Engine) -> Callable[..., Any]:
    """The ``insert`` of ``engine``'s dialect (the one with ``on_conflict_do_update``).

    The PostgreSQL dialect is imported only for a PostgreSQL engine: it loads every one of its
    drivers' modules (asyncpg, pg8000 ...), some 30 ms of a SQLite tablet's start-up.
    """
    if is_sqlite(engine):
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: PLC0415

        return sqlite_insert
    from sqlalchemy.dialects.postgresql import insert as pg_insert  # noqa: PLC0415

    return pg_insert


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode, a busy timeout and their folder created.

    SQLite runs in WAL mode so that the clerk PC can read while the tablet writes, with a
    busy timeout so that short write bursts wait instead of failing, and its log checkpointed
    in the background (:mod:`.wal_checkpoints`), not by the writer that fills it.
    ``pool_size`` is the number of connections kept open; raise it for many concurrent
    writers (benchmarks).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        pool: dict[str, int] = {}
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailableError(_FILE_UNUSABLE, file=parsed.database,
                                               reason=exc.strerror or type(exc).__name__) from exc
            pool = {"pool_size": pool_size, "max_overflow": pool_size * 2}
        engine = create_engine(url, connect_args={"timeout": _BUSY_TIMEOUT_MS / 1000}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        if parsed.database and pool:
            event.listen(engine, "connect", functools.partial(_open_turns, parsed.database))
            event.listen(engine, "close", _close_turns)
            checkpoint_in_background(engine, parsed.database)
        return engine
    return _postgres_engine(url, pool_size)


def _postgres_engine(url: str | URL, pool_size: int) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size * 2,
                           connect_args={"connect_timeout": _CONNECT_TIMEOUT_S})
    event.listen(engine, "checkin", _mark_idle)
    event.listen(engine, "checkout", functools.partial(_ping_if_idle, engine.dialect))
    return engine


# A short connect timeout: an unreachable server on the LAN must send the tablet to its outbox
# within seconds, not after the TCP default of minutes.
_CONNECT_TIMEOUT_S = 5


@contextmanager
def one_statement(engine: Engine) -> Iterator[DBAPIConnection]:
    """A driver connection in autocommit for one write statement that is its own transaction.

    PostgreSQL only (on SQLite a write is a ``BEGIN IMMEDIATE`` transaction: see
    :func:`transaction`). No BEGIN and no COMMIT: one round trip instead of three (a queue
    operation written as one statement, data-modifying CTEs included, is atomic by itself).
    The connection is the driver's own, kept beside the engine's pool (:mod:`.kept_connections`):
    run statements on its cursor (:func:`~kiosk.storage.driver_sql.cursor_of`). The caller
    runs exactly one statement: two would not be atomic together.

    Raises:
        DatabaseUnavailableError: the server cannot be reached, or the connection broke.
        sqlalchemy.exc.DBAPIError: any other error of the statement, as SQLAlchemy raises it.
    """
    import psycopg  # noqa: PLC0415 - PostgreSQL only: a SQLite tablet never loads the driver

    assert not is_sqlite(engine), "one_statement is for PostgreSQL"
    kept = _kept_connections(engine)
    try:
        connection = kept.take()
    except psycopg.Error as exc:
        raise _unavailable(engine, OperationalError(None, None, exc)) from exc   # connecting
    try:
        yield connection
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        raise _unavailable(engine, OperationalError("", None, exc)) from exc
    except psycopg.Error as exc:
        raise DBAPIError.instance(None, None, exc, psycopg.Error) from exc
    finally:
        kept.give_back(connection)


_kept: weakref.WeakKeyDictionary[Engine, KeptConnections] = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()


def _kept_connections(engine: Engine) -> KeptConnections:
    """The connections kept for ``engine``'s one-statement writes (made on first use, closed
    when the engine is disposed)."""
    kept = _kept.get(engine)
    if kept is None:
        with _kept_lock:
            kept = _kept.get(engine)
            if kept is None:
                from kiosk.storage.kept_connections import KeptConnections  # noqa: PLC0415

                # The arguments SQLAlchemy would connect with (the dialect's adapters included).
                dialect = engine.dialect
                args, keywords = dialect.create_connect_args(engine.url)
                prepare = dialect.on_connect()

                def connect() -> Any:
                    connection = dialect.loaded_dbapi.connect(
                        *args, **keywords, connect_timeout=_CONNECT_TIMEOUT_S, autocommit=True)
                    if prepare is not None:
                        prepare(connection)
                    return connection

                kept = _kept[engine] = KeptConnections(
                    connect, keep=engine.pool.size(),  # type: ignore[attr-defined]
                    ping=dialect.do_ping, ping_after_s=_PING_AFTER_IDLE_S)
                event.listen(engine, "engine_disposed", _close_kept)
    return kept


def _close_kept(engine: Engine) -> None:
    kept = _kept.pop(engine, None)
    if kept is not None:
        kept.close()


# A pooled connection idle this long is pinged before use (a server restart or a LAN cut may
# have killed it). Busy connections are not: a ping on every checkout is a round trip per
# transaction, a third of the cost of a queue operation.
_PING_AFTER_IDLE_S = 2.0


def _mark_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dialect: Any, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < _PING_AFTER_IDLE_S:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except Exception as exc:
        # The pool discards this connection and checks out (or opens) another one.
        raise DisconnectionError(type(exc).__name__) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # pysqlite's own transaction handling starts transactions late and never as IMMEDIATE;
    # switch it off and emit BEGIN ourselves (_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
    cursor.close()


def _open_turns(database: str, _dbapi_connection: Any, record: Any) -> None:
    # No queue file (a read-only folder): the writers meet at SQLite's lock, unordered.
    with contextlib.suppress(OSError):
        record.info[_TURNS] = WriteTurns(database)


def _close_turns(_dbapi_connection: Any, record: Any) -> None:
    turns = record.info.pop(_TURNS, None)
    if turns is not None:
        turns.close()


_TURNS = "kiosk_write_turns"


def _sqlite_begin(connection: Connection) -> None:
    # A write transaction takes the write lock at BEGIN: two tablets numbering at once queue
    # up on the lock instead of both reading the same last number. Writers of a file take
    # turns in the order they came (write_turns) before they ask SQLite for its lock.
    if not connection.get_execution_options().get("kiosk_write", False):
        connection.exec_driver_sql("BEGIN")
        return
    turns = connection.info.get(_TURNS)
    if turns is not None:
        turns.take(_BUSY_STEPS_FOR_S)
    raw = connection.connection.dbapi_connection
    if raw is None or _begin_immediate_in_steps(raw):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _give_back_turn(connection: Connection) -> None:
    # An invalidated connection has been closed, its turn with it (_close_turns).
    if not connection.invalidated:
        turns = connection.info.get(_TURNS)
        if turns is not None:
            turns.give_back()


# SQLite's busy handler sleeps 1, 2, 5, 10 ... 100 ms between tries: a writer that misses a
# lock held for a fraction of a millisecond sleeps far longer than it waited (p99 ~200 ms at 8
# writers). BEGIN IMMEDIATE is retried here in short steps for the first second; a lock held
# longer than that is not a burst, and SQLite's own handler waits out the rest of the timeout.
_BUSY_FIRST_STEP_S = 0.0001
_BUSY_MAX_STEP_S = 0.002
_BUSY_STEPS_FOR_S = 1.0
_BUSY_TIMEOUT_MS = 15_000


def _begin_immediate_in_steps(raw: Any) -> bool:
    """Try ``BEGIN IMMEDIATE`` without SQLite's busy handler, sleeping in short steps.

    Returns whether the transaction is still to begin (the lock stayed busy for a second, or
    another error): the caller then begins through SQLAlchemy, which waits out the rest of the
    busy timeout and raises its usual errors.
    """
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + _BUSY_STEPS_FOR_S
        step = _BUSY_FIRST_STEP_S
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() >= deadline:
                    return True
                time.sleep(step)
                step = min(step * 1.5, _BUSY_MAX_STEP_S)
            else:
                return False
    finally:
        raw.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")


@contextmanager
def transaction(engine: Engine, *, write: bool = False) -> Iterator[Connection]:
    """A connection inside one transaction, committed on success, rolled back on error.

    ``write=True`` starts SQLite transactions with ``BEGIN IMMEDIATE``. Connection failures
    become :class:`DatabaseUnavailableError`.
    """
    try:
        with engine.connect() as connection:
            if write:
                connection.execution_options(kiosk_write=True)
            try:
                with connection.begin():
                    yield connection
            finally:
                if write:
                    _give_back_turn(connection)
    except (OperationalError, InterfaceError) as exc:
        raise _unavailable(engine, exc) from exc
    except DatabaseError as exc:
        damaged = damaged_database_error(exc, engine.url.database)
        if damaged is None:
            raise
        raise damaged from exc


def _unavailable(engine: Engine, exc: OperationalError | InterfaceError) -> StorageError:
    # The driver's words only when connecting failed (no statement ran): "Connection refused"
    # or "password authentication failed" is what IT needs, and holds no answers.
    reason = type(exc.orig or exc).__name__
    if exc.statement is None and exc.orig is not None:
        reason = (str(exc.orig).strip().splitlines() or [reason])[0][:160]
    if is_sqlite(engine):
        return DatabaseUnavailableError(_FILE_UNUSABLE, reason=reason,
                                        file=engine.url.database or "(embedded database)")
    return DatabaseUnavailableError(
        S_("The database at {url} is not reachable ({reason}). Check that the server is "
           "running, that this device reaches it (LAN, firewall, host and port), and the user "
           "and password in [database] url."),
        url=engine.url.render_as_string(hide_password=True), reason=reason)


def redacted_url(url: str) -> str:
    """The URL with any password hidden, safe for logs and doctor output."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable URL)"


def probe_database(url: str) -> list[Check]:
    """Connect and run ``SELECT 1``; report the backend, its version and the round trip.

    An embedded SQLite file is only read, never created (:func:`probe_sqlite_file`).
    """
    path = sqlite_file(url)
    if path is not None:
        return probe_sqlite_file(path)
    shown = redacted_url(url)
    try:
        engine = make_engine(url)
    except (ArgumentError, SQLAlchemyError, ImportError, OSError) as exc:
        return [Check("database.reachable", Status.FAIL, f"{shown}: {type(exc).__name__}: {exc}",
                      "Check [database] url in the configuration.")]
    try:
        started = time.perf_counter()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            version = engine.dialect.server_version_info
        elapsed = time.perf_counter() - started
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return [Check("database.reachable", Status.FAIL, f"{shown}: {reason}",
                      "Is the database server running and reachable from this device? "
                      "Check the LAN, the server and [database] url.", )]
    finally:
        engine.dispose()
    version_text = ".".join(str(part) for part in version or ())
    return [Check("database.reachable", Status.OK,
                  f"{engine.dialect.name} {version_text} at {shown}, {elapsed * 1000:.0f} ms",
                  seconds=elapsed)]


# Tickets are timestamped by whichever device acts; more skew than this makes wait times wrong.
_MAX_SKEW_S = 30.0


def probe_clock(url: str, local_now: Callable[[], datetime]) -> list[Check]:
    """Compare this device's clock with the shared database server's (PostgreSQL only)."""
    if url.startswith("sqlite"):
        return [Check("clock.skew", Status.OK, "embedded database: same clock as this device")]
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            before = local_now()
            server = connection.execute(text("SELECT now()")).scalar_one()
            after = local_now()
    except SQLAlchemyError as exc:
        return [Check("clock.skew", Status.FAIL, f"cannot read the server's clock "
                      f"({type(exc).__name__})", "Fix database.reachable first.")]
    finally:
        engine.dispose()
    middle = before + (after - before) / 2
    skew = abs((server - middle).total_seconds())
    if skew > _MAX_SKEW_S:
        return [Check("clock.skew", Status.FAIL, f"{skew:.0f} s off the database server",
                      "Synchronise this device's clock (Windows: w32tm /resync; Linux: "
                      "timedatectl / chrony) with the city's time server.")]
    return [Check("clock.skew", Status.OK, f"{skew:.1f} s off the database server")]
