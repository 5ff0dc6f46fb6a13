"""On PostgreSQL each queue write is one statement, in one round trip: no BEGIN, no COMMIT.

Counted on the wire, from libpq's trace of every connection the pools hand out: each round
trip of the extended protocol ends with a Sync, each simple query (BEGIN, COMMIT) is a Query.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from kiosk.domain.ticket import TicketAction, TicketState
from kiosk.storage.database import open_storage
from kiosk.storage.queue_store import TicketStateError


@pytest.fixture
def fresh_url(postgres_server: Any) -> str:
    return str(postgres_server.url(postgres_server.create_database()))


@contextmanager
def _wire(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The messages every PostgreSQL connection sends while inside (filled at exit): those the
    pools hand out, and those opened for one-statement writes (kept outside the pools)."""
    messages: list[str] = []
    opened: list[Any] = []

    with tempfile.TemporaryFile() as trace:
        def checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            dbapi_connection.pgconn.trace(trace.fileno())

        def checkin(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.pgconn.untrace()

        def connect(*args: Any, **kwargs: Any) -> Any:
            connection = driver_connect(*args, **kwargs)
            connection.pgconn.trace(trace.fileno())
            opened.append(connection)
            return connection

        driver_connect = psycopg.connect
        monkeypatch.setattr(psycopg, "connect", connect)
        listeners = (("checkout", checkout), ("checkin", checkin))
        for name, listener in listeners:
            event.listen(Pool, name, listener)
        try:
            yield messages
        finally:
            for name, listener in listeners:
                event.remove(Pool, name, listener)
            monkeypatch.setattr(psycopg, "connect", driver_connect)
            for connection in opened:
                if not connection.closed:
                    connection.pgconn.untrace()
            trace.seek(0)
            # date, direction (F: from the client), length, message type, its text
            lines = [line.split("\t") for line in trace.read().decode().splitlines()]
            messages.extend("".join(fields[3:]) for fields in lines
                            if len(fields) > 3 and fields[1] == "F")


def test_issue_call_finish__postgresql__one_round_trip_each_no_begin_no_commit(
        fresh_url, clock, monkeypatch):
    storage = open_storage(fresh_url, clock, auto_upgrade=True)
    try:
        storage.queue.add_service("A", "A", "住民票")
        storage.queue.add_service("B", "B", "印鑑登録")
        with _wire(monkeypatch) as sent:
            issued = storage.queue.issue("A")
            called = storage.queue.call_next(["A", "B"], counter="1")
            assert called is not None
            finished = storage.queue.act(called.id, TicketAction.FINISH)
        history = storage.queue.history(issued.id)
    finally:
        storage.close()

    round_trips = [m for m in sent if m.startswith(("Sync", "Query"))]
    assert len(round_trips) == 3, sent
    assert not [m for m in sent if "BEGIN" in m or "COMMIT" in m]
    assert called.id == issued.id
    assert finished.state is TicketState.DONE
    # Each statement recorded its event, as the transaction of three statements did.
    assert [(action, before, after) for action, before, after, _, _ in history] == [
        ("issue", "pending", "issued"), ("call", "issued", "called"),
        ("finish", "called", "done")]


def test_finish__postgresql__refused__says_why_and_changes_nothing(fresh_url, clock):
    storage = open_storage(fresh_url, clock, auto_upgrade=True)
    try:
        storage.queue.add_service("A", "A", "住民票")
        issued = storage.queue.issue("A")
        with pytest.raises(TicketStateError, match="A-001"):
            storage.queue.act(issued.id, TicketAction.FINISH)   # waiting, not yet called
        after = storage.queue.get(issued.id)
        history = storage.queue.history(issued.id)
    finally:
        storage.close()

    assert after.state is TicketState.ISSUED
    assert [row[0] for row in history] == ["issue"]


def test_close__postgresql__the_autocommit_connections_closed_too(fresh_url, clock):
    storage = open_storage(fresh_url, clock, auto_upgrade=True)
    storage.queue.add_service("A", "A", "住民票")
    storage.queue.issue("A")                     # through the autocommit connections
    database = storage.engine.url.database

    storage.close()

    with psycopg.connect(fresh_url.replace("postgresql+psycopg://", "postgresql://"),
                         dbname="postgres", autocommit=True) as other:
        left = other.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                             (database,)).fetchone()
    assert left == (0,)
