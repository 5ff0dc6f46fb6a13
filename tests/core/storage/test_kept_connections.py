"""The driver connections kept for one-statement writes on PostgreSQL (engine.one_statement).

On a real server: they are reused, replaced when the server dropped them, never handed out
broken or inside a transaction, no more are kept than the engine's pool size, errors come out
as the engine's other paths raise them, and a forked child leaves its parent's alone.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import ProgrammingError

from kiosk.storage import engine as engine_module
from kiosk.storage.engine import DatabaseUnavailableError, make_engine, one_statement


@pytest.fixture
def engine(postgres_server: Any) -> Iterator[Engine]:
    url = str(postgres_server.url(postgres_server.create_database()))
    made = make_engine(url, pool_size=1)
    try:
        yield made
    finally:
        made.dispose()


def _backend(engine: Engine) -> int:
    with one_statement(engine) as connection:
        return int(connection.execute("SELECT pg_backend_pid()").fetchone()[0])


def _terminate(engine: Engine, pid: int) -> None:
    with engine.connect() as other:
        other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")


def _server_connections(engine: Engine) -> int:
    with engine.connect() as other:
        return int(other.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()").scalar_one())


def test_one_statement__second_write__same_connection_in_autocommit(engine):
    first = _backend(engine)
    with one_statement(engine) as connection:
        second = int(connection.execute("SELECT pg_backend_pid()").fetchone()[0])
        autocommit = connection.autocommit

    assert second == first
    assert autocommit is True


def test_one_statement__dropped_while_idle__pinged_and_replaced(engine, monkeypatch):
    monkeypatch.setattr(engine_module, "_PING_AFTER_IDLE_S", 0.0)   # every kept one pinged
    before = _backend(engine)
    _terminate(engine, before)

    after = _backend(engine)       # no error: the ping found it dead

    assert after != before


def test_one_statement__dropped_while_busy__unavailable_then_the_next_write_works(
        engine, monkeypatch):
    monkeypatch.setattr(engine_module, "_PING_AFTER_IDLE_S", 3600.0)   # never pinged
    before = _backend(engine)
    _terminate(engine, before)

    with pytest.raises(DatabaseUnavailableError, match="not reachable"):
        _backend(engine)
    after = _backend(engine)       # the broken one was not kept

    assert after != before


def test_one_statement__server_unreachable__unavailable_with_the_reason():
    engine = make_engine("postgresql+psycopg://kiosk@127.0.0.1:9/kiosk")   # discard port
    try:
        with pytest.raises(DatabaseUnavailableError, match=r"127\.0\.0\.1:9.*refused"):
            _backend(engine)
    finally:
        engine.dispose()


def test_one_statement__left_inside_a_transaction__not_kept(engine):
    with one_statement(engine) as connection:
        first = int(connection.execute("SELECT pg_backend_pid()").fetchone()[0])
        connection.execute("BEGIN")          # a caller breaking the rule

    assert _backend(engine) != first


def test_one_statement__statement_error__raised_as_sqlalchemy_does_and_connection_kept(engine):
    first = _backend(engine)
    with pytest.raises(ProgrammingError, match="no_such_table"), \
            one_statement(engine) as connection:
        connection.execute("SELECT * FROM no_such_table")

    assert _backend(engine) == first


def test_one_statement__three_at_once__only_the_pool_size_kept(engine):
    inside = threading.Barrier(3)

    def write() -> None:
        with one_statement(engine) as connection:
            connection.execute("SELECT 1")
            inside.wait(timeout=10)          # all three hold a connection at once

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert _server_connections(engine) == 1     # pool_size=1: two were closed when given back


def test_one_statement__in_a_forked_child__its_own_connection_the_parents_left_open(engine):
    parent = _backend(engine)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:           # the child: one write on a connection of its own, then leave
        code = 1
        try:
            os.write(write, str(_backend(engine)).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(child, 0)
    child_backend = int(os.read(read, 64) or b"0")
    os.close(read)

    assert os.waitstatus_to_exitcode(status) == 0
    assert child_backend not in (0, parent)
    assert _backend(engine) == parent          # still open and working in the parent


def test_one_statement__forked_while_writing__the_child_leaves_the_connection_alone(engine):
    with one_statement(engine) as connection:
        parent = int(connection.execute("SELECT pg_backend_pid()").fetchone()[0])
        child = os.fork()
    if child == 0:           # the child left the block too: it gave the connection back
        os._exit(0)
    _, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert _backend(engine) == parent          # the child did not end the parent's session


def test_engine_disposed__kept_connections_closed(engine):
    _backend(engine)
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    engine.dispose()

    with psycopg.connect(url, dbname="postgres", autocommit=True) as other:
        left = other.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                             (engine.url.database,)).fetchone()
    assert left == (0,)
