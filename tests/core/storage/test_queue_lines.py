"""The lines' waiting counts kept by the tickets' triggers (queue_lines, and queue_slots by
the five minutes of their places) always equal the waiting tickets, whatever moved them, and a
ticket's place read from them equals its place counted ticket by ticket; on both engines."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select, text, update

from kiosk.domain.ticket import ALLOWED, SlipChoice, TicketAction, TicketState
from kiosk.storage.database import Storage
from kiosk.storage.engine import make_engine
from kiosk.storage.migrate import upgrade
from kiosk.storage.queue_store import QueueStore, TicketStateError
from kiosk.storage.schema import QUEUE_SLOT_SECONDS, queue_lines, queue_slots, tickets

_ACTIONS = sorted({action for action, _ in ALLOWED} - {TicketAction.ISSUE, TicketAction.VOID})


def _kept(storage: Storage) -> dict[tuple[int, date, int], int]:
    with storage.engine.connect() as connection:
        rows = connection.execute(select(queue_lines).where(queue_lines.c.waiting != 0)).all()
    return {(row.service_id, row.day, row.priority): row.waiting for row in rows}


def _counted(storage: Storage) -> dict[tuple[int, date, int], int]:
    with storage.engine.connect() as connection:
        rows = connection.execute(
            select(tickets.c.service_id, tickets.c.day, tickets.c.priority, func.count())
            .where(tickets.c.state == TicketState.ISSUED.value)
            .group_by(tickets.c.service_id, tickets.c.day, tickets.c.priority)).all()
    return {(service_id, day, priority): n for service_id, day, priority, n in rows}


def _kept_slots(storage: Storage) -> dict[tuple[int, date, int, int], int]:
    with storage.engine.connect() as connection:
        rows = connection.execute(select(queue_slots).where(queue_slots.c.waiting != 0)).all()
    return {(row.service_id, row.day, row.priority, row.slot): row.waiting for row in rows}


def _counted_slots(storage: Storage) -> dict[tuple[int, date, int, int], int]:
    """The waiting tickets by line and by the five minutes of their place, counted in Python."""
    counted: dict[tuple[int, date, int, int], int] = {}
    with storage.engine.connect() as connection:
        rows = connection.execute(
            select(tickets.c.service_id, tickets.c.day, tickets.c.priority, tickets.c.queued_at)
            .where(tickets.c.state == TicketState.ISSUED.value)).all()
    for service_id, day, priority, queued_at in rows:
        key = (service_id, day, priority, int(queued_at.timestamp()) // QUEUE_SLOT_SECONDS)
        counted[key] = counted.get(key, 0) + 1
    return counted


def _places(storage: Storage, service: str) -> dict[int, int]:
    """Each waiting ticket of ``service`` today: how many wait before it, counted one by one."""
    waiting = storage.queue.tickets([service], [TicketState.ISSUED])    # in queue order
    return {ticket.id: n for n, ticket in enumerate(waiting)}


def _random_move(storage: Storage, chance: random.Random, made: list[int]) -> None:
    """One thing a tablet or a clerk does (``made``: the ids of the tickets issued so far)."""
    roll = chance.random()
    if roll < 0.35 or not made:
        made.append(storage.queue.issue(chance.choice("AB"),
                                        priority=chance.choice((0, 0, 1))).id)
    elif roll < 0.45:
        reserved = storage.queue.reserve(chance.choice("AB"))
        if chance.random() < 0.5:
            storage.queue.void(reserved.id)
        else:
            made.append(storage.queue.confirm(reserved.id, chance.choice(list(SlipChoice))).id)
    elif roll < 0.6:
        storage.queue.call_next(chance.choice((["A"], ["B"], ["A", "B"])), counter="1")
    else:
        ticket_id = chance.choice(made)
        action = chance.choice(_ACTIONS)
        try:
            if action is TicketAction.TRANSFER:
                storage.queue.transfer(ticket_id, chance.choice("AB"))
            else:
                storage.queue.act(ticket_id, action, counter="2")
        except TicketStateError:
            pass              # not allowed in the state it is in: nothing moved


def test_queue_lines__random_day_of_every_action__counts_and_places_as_counted(
        storage: Storage, clock):
    chance = random.Random(18)
    made: list[int] = []
    for step in range(240):
        clock.advance(seconds=chance.randint(1, 90))
        _random_move(storage, chance, made)
        if step % 20 == 19:
            assert _kept(storage) == _counted(storage), step
            assert _kept_slots(storage) == _counted_slots(storage), step

    assert _kept(storage) == _counted(storage)
    assert len(_kept_slots(storage)) > 10, "the day's places fall in many slots"
    for service in "AB":
        places = _places(storage, service)
        assert len(places) > 5, "the day leaves people waiting in both services"
        assert storage.queue.board_figures(service)[0] == len(places)
        for ticket_id, before in places.items():
            assert storage.queue.people_ahead(service, ticket_id) == before, ticket_id


def test_queue_lines__tickets_written_directly__kept_too(storage: Storage, clock):
    """A bulk insert or an update by hand (IT, a data fix) moves the counts as the store does."""
    now = clock.now()
    with storage.engine.begin() as connection:
        connection.execute(insert(tickets), [{
            "service_id": 1, "origin_service_id": 1, "day": now.date(), "number": n,
            "label": f"A-{n:03d}", "state": "issued" if n % 3 else "done", "priority": n % 2,
            "slip": "", "reserved_at": now, "queued_at": now} for n in range(1, 31)])
        connection.execute(text("UPDATE tickets SET state = 'cancelled' WHERE number <= 6"))
        connection.execute(text("UPDATE tickets SET priority = 1 WHERE number = 7"))
        connection.execute(text("DELETE FROM tickets WHERE number IN (8, 9)"))
        # Put back in the line by hand, an hour later: its place is in another slot.
        connection.execute(update(tickets).where(tickets.c.number.in_((10, 11)))
                           .values(queued_at=now + timedelta(hours=1)))

    assert _kept(storage) == _counted(storage)
    assert _kept_slots(storage) == _counted_slots(storage)
    assert len(_kept_slots(storage)) == 4       # two lines, each in two slots
    assert sum(_counted(storage).values()) == 15   # 20 issued, 4 cancelled, 8 deleted


def test_upgrade__waiting_tickets_of_older_schema__counted_into_the_lines(database_url, clock):
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0013")
        older = QueueStore(engine, clock)
        older.add_service("A", "A", "住民票")
        for priority in (0, 1, 0, 0):
            older.issue("A", priority=priority)
        older.call_next(["A"], counter="1")

        upgrade(engine)
        store = QueueStore(engine, clock)
        waiting_before = store.board_figures("A")[0]
        store.issue("A")
        waiting_after = store.board_figures("A")[0]
        places = [store.people_ahead("A", ticket.id)
                  for ticket in store.tickets(["A"], [TicketState.ISSUED])]
    finally:
        engine.dispose()

    assert waiting_before == 3
    assert waiting_after == 4
    assert places == [0, 1, 2, 3]       # the slots filled from the tickets waiting then
