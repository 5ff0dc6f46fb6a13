"""Writers of one SQLite file take turns in the order they came, across threads and processes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import threading
import time

import pytest

from kiosk.storage.engine import make_engine, transaction
from kiosk.storage.write_turns import WriteTurns

WAITERS = 6


def _queue_up(database: str, count: int) -> tuple[list[int], list[threading.Thread]]:
    """``count`` writers that draw their numbers one after the other and note when they get in."""
    order: list[int] = []
    threads = []
    for index in range(count):
        drawn = threading.Event()

        def write(index: int = index, drawn: threading.Event = drawn) -> None:
            turns = WriteTurns(database)
            # Drawn before the next thread starts: its number is the next one.
            threading.Timer(0.05, drawn.set).start()
            assert turns.take(10)
            order.append(index)
            turns.give_back()
            turns.close()

        thread = threading.Thread(target=write)
        thread.start()
        drawn.wait(5)
        threads.append(thread)
    return order, threads


def test_take__writers_waiting__each_gets_in_in_the_order_it_came(tmp_path):
    database = str(tmp_path / "kiosk.sqlite3")
    first = WriteTurns(database)
    assert first.take(1)

    order, threads = _queue_up(database, WAITERS)
    time.sleep(0.2)
    assert order == [], "a writer got in before the first gave its turn back"
    first.give_back()
    for thread in threads:
        thread.join(10)
    first.close()

    assert order == list(range(WAITERS))


def test_take__nobody_before__at_once(tmp_path):
    turns = WriteTurns(str(tmp_path / "kiosk.sqlite3"))
    started = time.monotonic()

    assert turns.take(5)
    assert time.monotonic() - started < 1
    turns.give_back()
    assert turns.take(5)
    turns.close()


def test_take__writer_before_never_gives_back__goes_on_after_its_patience(tmp_path):
    database = str(tmp_path / "kiosk.sqlite3")
    stuck = WriteTurns(database)
    stuck.take(1)
    impatient, next_one = WriteTurns(database), WriteTurns(database)
    started = time.monotonic()

    assert impatient.take(0.2) is False
    waited = time.monotonic() - started
    impatient.give_back()                     # its transaction is over: the next may go in
    stuck.give_back()

    assert 0.2 <= waited < 5
    assert next_one.take(5)
    for turns in (stuck, impatient, next_one):
        turns.close()


def _hold_then_wait(database: str, holding) -> None:
    turns = WriteTurns(database)
    turns.take(5)
    holding.set()
    time.sleep(60)


def test_take__writer_before_killed__the_next_gets_in_at_once(tmp_path):
    database = str(tmp_path / "kiosk.sqlite3")
    context = multiprocessing.get_context("fork")
    holding = context.Event()
    holder = context.Process(target=_hold_then_wait, args=(database, holding))
    holder.start()
    assert holding.wait(10)
    turns = WriteTurns(database)
    assert turns.take(0.1) is False, "the holder's turn did not keep the next one out"
    turns.give_back()

    os.kill(holder.pid, signal.SIGKILL)
    holder.join(10)

    started = time.monotonic()
    assert turns.take(5)
    assert time.monotonic() - started < 1
    turns.close()


def test_file__made_beside_the_database__private(tmp_path):
    turns = WriteTurns(str(tmp_path / "kiosk.sqlite3"))
    turns.close()

    mode = stat.S_IMODE((tmp_path / "kiosk.sqlite3-turns").stat().st_mode)
    assert mode & 0o077 == 0


def _write_rows(url: str, rows: int, start, results) -> None:
    engine = make_engine(url, pool_size=1)
    start.wait(10)
    for _ in range(rows):
        with transaction(engine, write=True) as connection:
            last = connection.exec_driver_sql("SELECT coalesce(max(n), 0) FROM numbers").scalar()
            connection.exec_driver_sql(f"INSERT INTO numbers VALUES ({last + 1})")
    engine.dispose()
    results.put(rows)


def test_transaction__writer_processes__every_write_in_and_numbered_once(tmp_path):
    """Through the engine: the turns hand the write lock on, and nothing is lost or doubled."""
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    engine = make_engine(url)
    with transaction(engine, write=True) as connection:
        connection.exec_driver_sql("CREATE TABLE numbers (n INTEGER UNIQUE)")
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    writers = [context.Process(target=_write_rows, args=(url, 50, start, results))
               for _ in range(4)]
    for writer in writers:
        writer.start()
    start.set()
    done = [results.get(timeout=60) for _ in writers]
    for writer in writers:
        writer.join(10)
    with transaction(engine) as connection:
        numbers = [row[0] for row in connection.exec_driver_sql("SELECT n FROM numbers ORDER BY n")]
    engine.dispose()

    assert done == [50] * 4
    assert numbers == list(range(1, 201))


def test_transaction__fails__its_turn_given_back(tmp_path):
    database = tmp_path / "kiosk.sqlite3"
    engine = make_engine(f"sqlite:///{database}")

    with pytest.raises(ZeroDivisionError), transaction(engine, write=True):
        _ = 1 / 0
    after = WriteTurns(str(database))
    started = time.monotonic()
    came = after.take(2)
    engine.dispose()
    after.close()

    assert came
    assert time.monotonic() - started < 1
