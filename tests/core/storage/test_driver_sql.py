"""Statements run on the driver's cursor write and read exactly what SQLAlchemy does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from kiosk.domain.ticket import TicketAction, TicketState
from kiosk.services.queue import QueueService
from kiosk.storage.database import open_storage
from kiosk.storage.driver_sql import DriverStatement, cursor_of
from kiosk.storage.queue_store import _INSERT_TICKET
from kiosk.storage.schema import tickets

JST = timezone(timedelta(hours=9))


class _FixedClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@pytest.mark.parametrize("moment", [
    datetime(2026, 4, 1, 9, 30, 0, tzinfo=JST),             # whole second: no fraction
    datetime(2026, 4, 1, 9, 30, 0, 123456, tzinfo=JST),
    datetime(2026, 4, 1, 0, 30, 0, 1, tzinfo=UTC),
])
def test_driver_statement__same_values__same_stored_values_as_sqlalchemy(database_url, moment):
    storage = open_storage(database_url, _FixedClock(moment), auto_upgrade=True)
    storage.queue.add_service("A", "A", "住民票")
    values = {"service_id": 1, "origin_service_id": 1, "day": moment.date(), "label": "A-001",
              "state": "issued", "priority": 0, "slip": "", "reserved_at": moment,
              "queued_at": moment}
    statement = DriverStatement(_INSERT_TICKET, storage.engine.dialect)

    with storage.engine.begin() as connection:
        connection.execute(insert(tickets), {**values, "number": 1})
        statement.execute(cursor_of(connection), {**values, "number": 2})
    with storage.engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT day, reserved_at, queued_at FROM tickets ORDER BY number").all()
    storage.close()

    assert stored[0] == stored[1]


def test_take_ticket__driver_path__ticket_as_read_back_and_event_recorded(database_url):
    moment = datetime(2026, 4, 1, 9, 30, 0, tzinfo=JST)
    storage = open_storage(database_url, _FixedClock(moment), auto_upgrade=True)
    storage.queue.add_service("A", "A", "住民票")

    issued = QueueService(storage.queue).take_ticket("A")
    again = storage.queue.get(issued.ticket.id)
    history = storage.queue.history(issued.ticket.id)
    storage.close()

    assert issued.ticket == again
    assert issued.ticket.state is TicketState.ISSUED
    assert [(action, before, after) for action, before, after, _, _ in history] == [
        ("issue", "pending", "issued")]


def test_call_and_finish__driver_rows__same_tickets_as_read_back(database_url):
    moment = datetime(2026, 4, 1, 9, 30, 0, 250000, tzinfo=JST)
    storage = open_storage(database_url, _FixedClock(moment), auto_upgrade=True)
    storage.queue.add_service("A", "A", "住民票")
    storage.queue.add_service("B", "B", "税証明")
    storage.queue.issue("A")
    storage.queue.issue("B", priority=1)

    first = storage.queue.call_next(["A"], counter="1", staff_id=None)
    second = storage.queue.call_next(["A", "B"], counter="2")      # the several-services form
    finished = storage.queue.act(second.id, TicketAction.FINISH)
    read_back = [storage.queue.get(ticket.id) for ticket in (first, finished)]
    storage.close()

    assert [first, finished] == read_back
    assert (first.service, first.state, first.counter) == ("A", TicketState.CALLED, "1")
    assert (finished.service, finished.state, finished.counter) == ("B", TicketState.DONE, "2")
    assert first.called_at == moment
    assert finished.day == moment.date()
    assert finished.finished_at == moment
