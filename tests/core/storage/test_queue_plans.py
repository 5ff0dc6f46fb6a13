"""Query plans of the queue: every statement finds its tickets through an index and none sorts
the day's tickets, so the queue and the board cost the same at 100 or 10,000 tickets.

Plans, not timings, are asserted (timings are printed by bench/bench_queue.py). The statements
are the ones the store really runs, captured while it runs them, then explained with their own
parameters on a day of 3,000 tickets (half waiting, half done).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event, insert
from sqlalchemy.sql.compiler import SQLCompiler

from kiosk.domain.ticket import TicketAction
from kiosk.services.queue import QueueService
from kiosk.storage import queue_store
from kiosk.storage.database import Storage, open_storage
from kiosk.storage.driver_sql import DriverStatement
from kiosk.storage.schema import tickets

TICKETS = 3000


def _fill_day(storage: Storage, clock) -> None:
    """A busy day in services A (id 1) and B (id 2): odd numbers wait, even ones are done."""
    now = clock.now()
    rows = []
    for n in range(1, TICKETS + 1):
        done = n % 2 == 0
        rows.append({
            "service_id": 1 + n % 2, "origin_service_id": 1 + n % 2, "day": now.date(),
            "number": n, "label": f"X-{n}", "state": "done" if done else "issued",
            "priority": int(n % 7 == 0), "slip": "", "reserved_at": now,
            "queued_at": now + timedelta(seconds=n), "counter": f"{n % 4}" if done else "",
            "called_at": now + timedelta(seconds=n) if done else None,
            "finished_at": now + timedelta(seconds=n + 60) if done else None,
        })
    with storage.engine.begin() as connection:
        connection.execute(insert(tickets), rows)
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE tickets")   # as autovacuum would by then


@contextmanager
def _captured(engine: Engine, monkeypatch) -> Iterator[list[tuple[str, object]]]:
    """Every SELECT, UPDATE and WITH run, through SQLAlchemy or on the driver's cursor."""
    statements: list[tuple[str, object]] = []

    def wanted(statement: str) -> bool:
        # WITH: PostgreSQL's call-next and finish (the row work and its event in one statement).
        return statement.lstrip().upper().startswith(("SELECT", "UPDATE", "WITH"))

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if wanted(statement):
            statements.append((statement, parameters))

    driver_execute = DriverStatement.execute

    def record_driver(self, cursor, values):
        if wanted(self.sql):
            statements.append((self.sql, self.parameters(values)))
        return driver_execute(self, cursor, values)

    monkeypatch.setattr(DriverStatement, "execute", record_driver)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
        monkeypatch.setattr(DriverStatement, "execute", driver_execute)


def _plans(engine: Engine, statements: list[tuple[str, object]]) -> list[str]:
    """One text per statement: its plan lines joined."""
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        plans = []
        for statement, parameters in statements:
            cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement,
                           parameters)
            plans.append("\n".join(str(row[3] if sqlite else row[0])
                                   for row in cursor.fetchall()))
        return plans
    finally:
        raw.close()


def _full_scans(plan: str) -> bool:
    # SQLite says SCAN for a pass over a whole table or index, PostgreSQL Seq Scan.
    return any(line.strip().startswith("SCAN tickets") or "Seq Scan on tickets" in line
               for line in plan.splitlines())


def _sorts(plan: str) -> bool:
    return any("TEMP B-TREE FOR" in line and "ORDER BY" in line for line in plan.splitlines()) \
        or "Sort Key" in plan


def _take(storage: Storage) -> None:
    QueueService(storage.queue).take_ticket("A")


def _board(storage: Storage) -> None:
    QueueService(storage.queue).board(["A"])


def _call_next(storage: Storage) -> None:
    storage.queue.call_next(["A"], counter="1")


def _estimate(storage: Storage) -> None:
    storage.queue.estimated_wait_seconds("A", 1)


OPERATIONS: list[tuple[str, Callable[[Storage], None]]] = [
    ("take_ticket with its estimate", _take),
    ("board", _board),
    ("call-next of one service", _call_next),
    ("estimate of a waiting ticket", _estimate),
]


@pytest.mark.parametrize(("name", "operation"), OPERATIONS, ids=[n for n, _ in OPERATIONS])
def test_queue_statement_plans__busy_day__index_only_no_scan_no_sort(
        storage: Storage, clock, monkeypatch, name, operation):
    _fill_day(storage, clock)

    with _captured(storage.engine, monkeypatch) as statements:
        operation(storage)
    plans = _plans(storage.engine, statements)

    assert statements, name
    for (statement, _), plan in zip(statements, plans, strict=True):
        assert not _full_scans(plan), f"{statement}\n{plan}"
        assert not _sorts(plan), f"{statement}\n{plan}"


@pytest.mark.parametrize(("services", "index"), [
    (["A"], "ix_tickets_queue"),
    (["A", "B"], "ix_tickets_queue"),
])
def test_call_next_plan__waiting_tickets__first_entry_of_the_queue_index(
        storage: Storage, clock, monkeypatch, services, index):
    _fill_day(storage, clock)

    with _captured(storage.engine, monkeypatch) as statements:
        storage.queue.call_next(services, counter="1")
    call = [(s, p) for s, p in statements if "UPDATE TICKETS" in s.upper()]
    plan = _plans(storage.engine, call)[0]

    assert index in plan
    assert plan.count(index) == len(services)   # each service's line read through the index
    assert not _full_scans(plan)


def test_estimate_plan__many_done__newest_finished_read_through_their_index(
        storage: Storage, clock, monkeypatch):
    _fill_day(storage, clock)
    storage.queue.issue("A")          # someone waits in A: the estimate needs service times

    with _captured(storage.engine, monkeypatch) as statements:
        storage.queue.estimated_wait_seconds("A")
    plans = _plans(storage.engine, statements)

    recent = next(plan for (s, _), plan in zip(statements, plans, strict=True)
                  if "ORDER BY tickets.finished_at DESC" in s)
    counters = next(plan for (s, _), plan in zip(statements, plans, strict=True)
                    if "count(distinct" in s.lower())
    assert "ix_tickets_finished" in recent
    assert not _sorts(recent)
    assert "ix_tickets_called" in counters


def test_estimate__nobody_ahead__zero_without_reading_service_times(
        storage: Storage, clock, monkeypatch):
    _fill_day(storage, clock)         # A: many done, nobody waiting

    with _captured(storage.engine, monkeypatch) as statements:
        wait = storage.queue.estimated_wait_seconds("A")

    assert wait == 0
    assert statements, "the waiting tickets are counted"
    assert not [s for s, _ in statements if "finished_at" in s or "count(distinct" in s.lower()]


def test_call_and_finish_plans__busy_day__index_only_no_scan_no_sort(
        storage: Storage, clock, monkeypatch):
    _fill_day(storage, clock)

    with _captured(storage.engine, monkeypatch) as statements:
        called = storage.queue.call_next(["B"], counter="1")   # B holds the waiting tickets
        assert called is not None
        storage.queue.act(called.id, TicketAction.FINISH)
    plans = _plans(storage.engine, statements)

    assert statements
    for (statement, _), plan in zip(statements, plans, strict=True):
        assert not _full_scans(plan), f"{statement}\n{plan}"
        assert not _sorts(plan), f"{statement}\n{plan}"


def test_board__1500_waiting__counted_in_sql_no_ticket_objects(
        storage: Storage, clock, monkeypatch):
    """The board never turns the waiting tickets into Python objects to count them."""
    _fill_day(storage, clock)
    made = []

    class CountedTicket(queue_store.Ticket):
        def __init__(self, *args, **kwargs) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(queue_store, "Ticket", CountedTicket)
    with _captured(storage.engine, monkeypatch) as statements:
        line = QueueService(storage.queue).board(["B"])[0]   # B holds the waiting tickets

    assert line.waiting == TICKETS // 2
    assert made == []
    assert any("count(" in statement.lower() for statement, _ in statements)


def test_take_ticket__sqlite__no_statement_built_or_compiled_per_call(
        tmp_path, clock, monkeypatch):
    """Issue 18: SQLAlchemy built the upsert and the insert on every SQLite issue."""
    opened = open_storage(f"sqlite:///{tmp_path / 'q.sqlite3'}", clock, auto_upgrade=True)
    try:
        opened.queue.add_service("A", "A", "住民票")
        service = QueueService(opened.queue)
        service.take_ticket("A")                       # compiles once per engine,
        service.take_ticket("A")                       # the estimate's reads once someone waits
        compiled = []
        original = SQLCompiler.__init__

        def counting(self, *args, **kwargs):
            compiled.append(1)
            original(self, *args, **kwargs)

        monkeypatch.setattr(SQLCompiler, "__init__", counting)
        for _ in range(5):
            service.take_ticket("A")
        assert compiled == []
        assert opened.queue.board_figures("A")[0] == 7
    finally:
        opened.close()
