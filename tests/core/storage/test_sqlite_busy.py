"""Contended SQLite writers wait for the write lock in short steps, not SQLite's coarse sleeps."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from kiosk.storage import engine as engine_module
from kiosk.storage.engine import make_engine, transaction

HELD_S = 0.03   # a burst: another tablet's write transaction


def _hold_write_lock(path: str, locked: threading.Event, release: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    locked.set()
    release.wait(5)
    other.execute("COMMIT")
    other.close()


@pytest.fixture
def sqlite_path(tmp_path) -> str:
    path = tmp_path / "busy.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with transaction(engine, write=True) as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    engine.dispose()
    return str(path)


def test_begin_immediate__lock_held_briefly__waits_in_steps_of_at_most_2_ms(sqlite_path,
                                                                          monkeypatch):
    sleeps: list[float] = []
    real_sleep = time.sleep
    writer = threading.current_thread()

    def sleep(seconds: float) -> None:
        # Only the writer's: the patch is the time module's, and the log's checkpoint thread
        # sleeps its second there too (it failed this test once in CI).
        if threading.current_thread() is writer:
            sleeps.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(engine_module.time, "sleep", sleep)
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(sqlite_path, locked, release))
    holder.start()
    locked.wait(5)
    threading.Timer(HELD_S, release.set).start()
    engine = make_engine(f"sqlite:///{sqlite_path}")

    with transaction(engine, write=True) as connection:
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        busy_timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    holder.join()
    engine.dispose()

    assert sleeps, "the writer never retried: SQLite's own busy handler waited"
    assert max(sleeps) <= 0.002
    assert busy_timeout == 15_000       # the handler is back for every other statement

