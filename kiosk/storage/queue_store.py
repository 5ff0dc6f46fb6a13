"""The shared ticket queue: race-free numbering, call-next and every ticket transition.

Two tablets may number tickets and several clerks may call at the same moment:
- numbering bumps one row per service per day with an atomic upsert, and a unique constraint
  on (service, day, number) backs it up;
- call-next picks the first waiting ticket with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
  two clerks never get the same ticket and never wait for each other; on SQLite every write
  transaction starts with ``BEGIN IMMEDIATE``, which serialises writers;
- every transition is a conditional update (``WHERE state = <expected>``) recorded in
  ``ticket_events`` with its time, counter and staff member.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    and_,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine.interfaces import DBAPIConnection

from kiosk.domain.ticket import (
    ALLOWED,
    SlipChoice,
    Ticket,
    TicketAction,
    TicketState,
    estimate_wait_seconds,
    next_state,
    ticket_label,
)
from kiosk.errors import StorageError
from kiosk.i18n import S_
from kiosk.ports import Clock
from kiosk.storage.driver_sql import (
    DriverStatement,
    cursor_of,
    date_from_driver,
    utc_from_driver,
)
from kiosk.storage.engine import dialect_insert, is_sqlite, one_statement, transaction
from kiosk.storage.schema import (
    QUEUE_SLOT_SECONDS,
    counters,
    daily_numbers,
    queue_lines,
    queue_slots,
    services,
    ticket_events,
    tickets,
)
from kiosk.storage.sql_seconds import seconds_between

# SQLAlchemy's connection, or the driver's own for a one-statement write (one_statement).
_AnyConnection = Connection | DBAPIConnection

__all__ = [
    "QueueStore",
    "ServiceInfo",
    "TicketNotFoundError",
    "TicketStateError",
    "UnknownServiceError",
]

_RECENT_SERVICES = 20          # service times the estimate looks at
_OPEN_COUNTER_WINDOW = timedelta(minutes=60)


class UnknownServiceError(StorageError):
    """No service with that code is configured."""


class TicketNotFoundError(StorageError):
    """No ticket with that id."""


class TicketStateError(StorageError):
    """The ticket is not in a state that allows the action (someone else was quicker)."""


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """A service (窓口業務) tickets are issued for."""

    id: int
    code: str
    prefix: str
    name: str
    default_service_seconds: int


class QueueStore:
    """Ticket queue operations on one engine (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._services: dict[str, ServiceInfo] = {}
        self._services_by_id: dict[int, ServiceInfo] = {}
        self._upsert = dialect_insert(engine)
        self._postgres = not is_sqlite(engine)
        self._bump = _BUMP_SQLITE if is_sqlite(engine) else _bump_statement(self._upsert)
        self._run = _Runner(engine)

    # ------------------------------------------------------------------ services
    def add_service(self, code: str, prefix: str, name: str,
                    default_service_seconds: int = 300) -> ServiceInfo:
        """Create a service, or return it unchanged when the code exists already."""
        with transaction(self._engine, write=True) as connection:
            statement = self._upsert(services).values(
                code=code, prefix=prefix, name=name,
                default_service_seconds=default_service_seconds, active=True,
            ).on_conflict_do_nothing(index_elements=["code"])
            connection.execute(statement)
        return self.service(code)

    def service(self, code: str) -> ServiceInfo:
        """The service with ``code``.

        Raises:
            UnknownServiceError: no such service.
        """
        if code not in self._services:
            self._load_services()
        try:
            return self._services[code]
        except KeyError:
            raise UnknownServiceError(S_("There is no service with code {code}."),
                                      code=code) from None

    def services(self) -> list[ServiceInfo]:
        """Every active service, by code."""
        self._load_services()
        return sorted(self._services.values(), key=lambda info: info.code)

    def add_counter(self, name: str, service_codes: Sequence[str]) -> None:
        """Create or update a counter (窓口) and the services it calls, in preference order."""
        for code in service_codes:
            self.service(code)          # refuse unknown codes before writing
        joined = ",".join(service_codes)
        with transaction(self._engine, write=True) as connection:
            connection.execute(self._upsert(counters).values(name=name, service_codes=joined)
                               .on_conflict_do_update(index_elements=["name"],
                                                      set_={"service_codes": joined}))

    def counters(self) -> dict[str, tuple[str, ...]]:
        """Every counter with the service codes it calls."""
        with transaction(self._engine) as connection:
            rows = connection.execute(select(counters).order_by(counters.c.name)).all()
        return {row.name: tuple(code for code in row.service_codes.split(",") if code)
                for row in rows}

    def _load_services(self) -> None:
        with transaction(self._engine) as connection:
            rows = connection.execute(select(services).where(services.c.active)).all()
        for row in rows:
            info = ServiceInfo(row.id, row.code, row.prefix, row.name,
                               row.default_service_seconds)
            self._services[info.code] = info
            self._services_by_id[info.id] = info

    def _service_by_id(self, service_id: int) -> ServiceInfo:
        if service_id not in self._services_by_id:
            self._load_services()
        return self._services_by_id[service_id]

    # ------------------------------------------------------------------ issuing
    def reserve(self, service_code: str, *, priority: int = 0) -> Ticket:
        """Take the next number of the day for ``service_code``; the ticket is still pending.

        It enters the queue only with :meth:`confirm` (slip printed or no slip wanted).
        """
        info = self.service(service_code)
        with transaction(self._engine, write=True) as connection:
            return self._reserve(connection, info, priority)

    def issue(self, service_code: str, *, priority: int = 0,
              slip: SlipChoice = SlipChoice.NO_SLIP) -> Ticket:
        """Reserve and confirm in one transaction (the citizen chose no slip)."""
        info = self.service(service_code)
        if self._postgres:
            with one_statement(self._engine) as connection:
                return self._issue_postgres(connection, info, priority, slip)
        with transaction(self._engine, write=True) as connection:
            return self._reserve(connection, info, priority, slip=slip)

    def issue_with_estimate(self, service_code: str, *, priority: int = 0,
                            slip: SlipChoice = SlipChoice.NO_SLIP) -> tuple[Ticket, int]:
        """Issue a ticket and estimate its wait, as the tablet does for a citizen.

        On SQLite both happen in the one write transaction (a second transaction costs more
        than the three reads); on PostgreSQL the estimate reads after the commit, so the day's
        number row stays locked only for the issue.
        """
        info = self.service(service_code)
        if self._postgres:
            ticket = self.issue(service_code, priority=priority, slip=slip)
            return ticket, self.ticket_wait_seconds(ticket)
        with transaction(self._engine, write=True) as connection:
            ticket = self._reserve(connection, info, priority, slip=slip)
            return ticket, self._ticket_wait(connection, info, ticket, ticket.queued_at)

    def _issue_postgres(self, connection: DBAPIConnection, info: ServiceInfo, priority: int,
                        slip: SlipChoice) -> Ticket:
        # One statement: the row of the day's counter stays locked only for this statement and
        # the commit, not for three round trips. Tablets issuing for the same service queue
        # on that row, so its lock time bounds the issue rate per service.
        now = self._clock.now()
        row = self._run.ticket(connection, _ISSUE_POSTGRES, {
            "service_id": info.id, "day": now.date(), "prefix": info.prefix,
            "state": TicketState.ISSUED.value, "priority": priority, "slip": slip.value,
            "now": now, "action": TicketAction.ISSUE.value,
            "before": TicketState.PENDING.value,
        })
        assert row is not None, "the issue statement returns the ticket it made"
        return self._ticket(row)

    def confirm(self, ticket_id: int, slip: SlipChoice) -> Ticket:
        """The slip printed (or none was wanted): the ticket enters the queue now."""
        return self.act(ticket_id, TicketAction.ISSUE, slip=slip)

    def void(self, ticket_id: int) -> Ticket:
        """The slip failed to print: the reserved number is never called and never counted."""
        return self.act(ticket_id, TicketAction.VOID)

    def _reserve(self, connection: Connection, info: ServiceInfo, priority: int,
                 slip: SlipChoice | None = None) -> Ticket:
        """Number a ticket; with ``slip`` it is issued at once (and the issue recorded)."""
        # Statements compiled once: building the upsert and the insert on every call cost
        # more than SQLite's own work.
        now = self._clock.now()
        today = now.date()
        number = self._run.scalar(connection, self._bump, {"service_id": info.id, "day": today})
        state = TicketState.PENDING if slip is None else TicketState.ISSUED
        values = {
            "service_id": info.id, "origin_service_id": info.id, "day": today,
            "number": number, "label": ticket_label(info.prefix, number), "state": state.value,
            "priority": priority, "slip": slip.value if slip else "", "reserved_at": now,
            "queued_at": now,
        }
        ticket_id = self._run.insert(connection, _INSERT_TICKET, values)
        if slip is not None:
            self._run.insert(connection, _INSERT_EVENT, {
                "ticket_id": ticket_id, "action": TicketAction.ISSUE.value,
                "from_state": TicketState.PENDING.value, "to_state": state.value,
                "service_id": info.id, "counter": "", "staff_id": None, "at": now})
        # The ticket as a read would return it (times in UTC), without reading it back.
        return Ticket(id=ticket_id, service=info.code, day=today, number=number,
                      label=values["label"], state=state, priority=priority,
                      queued_at=now.astimezone(UTC))

    # ------------------------------------------------------------------ calling
    def call_next(self, service_codes: Sequence[str], *, counter: str,
                  staff_id: int | None = None) -> Ticket | None:
        """Call the first waiting ticket of ``service_codes`` (priority first, then longest wait).

        Returns ``None`` when nobody waits.
        """
        ids = [self.service(code).id for code in service_codes]
        now = self._clock.now()
        values = {**{f"id_{n}": service_id for n, service_id in enumerate(ids)},
                  "v_state": TicketState.CALLED.value, "v_counter": counter,
                  "v_staff_id": staff_id, "v_called_at": now}
        if self._postgres:
            with one_statement(self._engine) as connection:
                row = self._run.ticket(connection, _call_and_record_postgres(len(ids)), values)
            return None if row is None else self._ticket(row)
        with transaction(self._engine, write=True) as connection:
            row = self._run.ticket(connection, _call_next_of(len(ids)), values)
            if row is None:
                return None
            self._record(connection, row, TicketAction.CALL, TicketState.ISSUED,
                         now=now, staff_id=staff_id)
            return self._ticket(row)

    def call(self, ticket_id: int, *, counter: str, staff_id: int | None = None) -> Ticket:
        """Call one ticket out of order (e.g. the clerk sees who is next for a quick case)."""
        return self.act(ticket_id, TicketAction.CALL, counter=counter, staff_id=staff_id)

    def transfer(self, ticket_id: int, to_service: str, *, counter: str = "",
                 staff_id: int | None = None) -> Ticket:
        """Move a ticket to another service's line, keeping its original wait time."""
        target = self.service(to_service)
        return self.act(ticket_id, TicketAction.TRANSFER, counter=counter, staff_id=staff_id,
                        to_service_id=target.id)

    def act(self, ticket_id: int, action: TicketAction, *, counter: str = "",
            staff_id: int | None = None, slip: SlipChoice | None = None,
            to_service_id: int | None = None) -> Ticket:
        """Apply ``action`` to one ticket.

        Raises:
            TicketNotFoundError: no such ticket.
            TicketStateError: the action is not allowed in the ticket's current state.
        """
        if self._postgres:
            row = self._apply_postgres(ticket_id, action, counter=counter, staff_id=staff_id,
                                       slip=slip, to_service_id=to_service_id)
            if row is not None:
                return self._ticket(row)
        # SQLite; or refused on PostgreSQL: say why, from the ticket as it is now (or apply
        # it after all, if it has changed since into a state that allows the action).
        with transaction(self._engine, write=True) as connection:
            return self._apply(connection, ticket_id, action, counter=counter,
                               staff_id=staff_id, slip=slip, to_service_id=to_service_id)

    def _apply_postgres(self, ticket_id: int, action: TicketAction, *, counter: str,
                        staff_id: int | None, slip: SlipChoice | None,
                        to_service_id: int | None) -> _TicketRow | None:
        """Lock, check, update and record in one statement; None if the state refused it."""
        sources, after = _sources_and_target(action)
        now = self._clock.now()
        values = _changes(action, after, now, counter=counter, staff_id=staff_id, slip=slip,
                          to_service_id=to_service_id)
        with one_statement(self._engine) as connection:
            return self._run.ticket(connection, _apply_statement_postgres(tuple(values)), {
                "ticket_id": ticket_id, "sources": list(sources), "action": action.value,
                "staff_id": staff_id, "at": now,
                **{f"v_{name}": value for name, value in values.items()},
            })

    def _apply(self, connection: Connection, ticket_id: int, action: TicketAction, *,
               counter: str, staff_id: int | None, slip: SlipChoice | None = None,
               to_service_id: int | None = None) -> Ticket:
        current = self._run.rows(connection, _LOCK_TICKET, {"ticket_id": ticket_id})
        if not current:
            raise TicketNotFoundError(S_("Ticket {ticket} does not exist."), ticket=ticket_id)
        state, label = current[0]
        before = TicketState(state)
        after = next_state(action, before)
        if after is None:
            raise TicketStateError(
                S_("Ticket {label} cannot be changed ({action}) while it is {state}."),
                label=label, action=action.value, state=before.value)
        now = self._clock.now()
        values = _changes(action, after, now, counter=counter, staff_id=staff_id, slip=slip,
                          to_service_id=to_service_id)
        row = self._run.ticket(connection, _update_statement(tuple(values)), {
            "ticket_id": ticket_id, "before": before.value,
            **{f"v_{name}": value for name, value in values.items()},
        })
        # The row is locked (BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL): its state
        # is still the one just read.
        assert row is not None, "the locked ticket is updated"
        self._record(connection, row, action, before, now=now, staff_id=staff_id)
        return self._ticket(row)

    def _record(self, connection: Connection, row: Row[Any] | _TicketRow, action: TicketAction,
                before: TicketState, *, now: datetime, staff_id: int | None) -> None:
        self._run.insert(connection, _INSERT_EVENT, {
            "ticket_id": row.id, "action": action.value, "from_state": before.value,
            "to_state": row.state, "service_id": row.service_id, "counter": row.counter,
            "staff_id": staff_id, "at": now,
        })

    # ------------------------------------------------------------------ reading
    def get(self, ticket_id: int) -> Ticket:
        """One ticket.

        Raises:
            TicketNotFoundError: no such ticket.
        """
        with transaction(self._engine) as connection:
            row = connection.execute(select(tickets).where(tickets.c.id == ticket_id)).first()
        if row is None:
            raise TicketNotFoundError(S_("Ticket {ticket} does not exist."), ticket=ticket_id)
        return self._ticket(row)

    def tickets(self, service_codes: Iterable[str] = (),
                states: Iterable[TicketState] = (), day: date | None = None) -> list[Ticket]:
        """Tickets of ``day`` (default today) in queue order, filtered by service and state."""
        conditions = [tickets.c.day == (day or self._clock.now().date())]
        codes = list(service_codes)
        if codes:
            conditions.append(tickets.c.service_id.in_([self.service(c).id for c in codes]))
        wanted = [state.value for state in states]
        if wanted:
            conditions.append(tickets.c.state.in_(wanted))
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(tickets).where(*conditions)
                .order_by(tickets.c.priority.desc(), tickets.c.queued_at, tickets.c.id)
            ).all()
        return [self._ticket(row) for row in rows]

    def history(self, ticket_id: int) -> list[tuple[str, str, str, int | None, datetime]]:
        """The ticket's transitions: (action, from state, to state, staff id, time)."""
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(ticket_events.c.action, ticket_events.c.from_state,
                       ticket_events.c.to_state, ticket_events.c.staff_id, ticket_events.c.at)
                .where(ticket_events.c.ticket_id == ticket_id).order_by(ticket_events.c.id)
            ).all()
        return [(r.action, r.from_state, r.to_state, r.staff_id, r.at) for r in rows]

    def estimated_wait_seconds(self, service_code: str, ticket_id: int | None = None) -> int:
        """Estimated wait for ``ticket_id`` (or a ticket issued now) in ``service_code``."""
        info = self.service(service_code)
        now = self._clock.now()
        with transaction(self._engine) as connection:
            if ticket_id is None:
                ahead = self._count_waiting(connection, info, now.date())
            else:
                ahead = self._people_ahead(connection, info, now.date(), ticket_id)
            return self._estimate(connection, info, ahead, now)

    def people_ahead(self, service_code: str, ticket_id: int) -> int:
        """How many of today's waiting tickets of ``service_code`` are called before the ticket
        (0 for an unknown ticket)."""
        info = self.service(service_code)
        with transaction(self._engine) as connection:
            return self._people_ahead(connection, info, self._clock.now().date(), ticket_id)

    def _people_ahead(self, connection: Connection, info: ServiceInfo, day: date,
                      ticket_id: int) -> int:
        me = self._run.rows(connection, _QUEUE_PLACE, {"ticket_id": ticket_id})
        if not me:
            return 0
        priority, queued_at, state, service_id, ticket_day = me[0]
        return self._count_ahead(
            connection, info, day, priority=priority, queued_at=_aware(queued_at),
            ticket_id=ticket_id, in_line=(state == _ISSUED and service_id == info.id
                                          and date_from_driver(ticket_day) == day))

    def ticket_wait_seconds(self, ticket: Ticket) -> int:
        """Estimated wait for ``ticket`` as it was just issued (its place is known already)."""
        info = self.service(ticket.service)
        now = self._clock.now()
        with transaction(self._engine) as connection:
            return self._ticket_wait(connection, info, ticket, now)

    def _ticket_wait(self, connection: Connection, info: ServiceInfo, ticket: Ticket,
                     now: datetime) -> int:
        ahead = self._count_ahead(connection, info, ticket.day, priority=ticket.priority,
                                  queued_at=ticket.queued_at, ticket_id=ticket.id,
                                  in_line=ticket.state is TicketState.ISSUED)
        return self._estimate(connection, info, ahead, now)

    def _count_ahead(self, connection: Connection, info: ServiceInfo, day: date, *,
                     priority: int, queued_at: datetime, ticket_id: int, in_line: bool) -> int:
        """How many tickets wait before a place in a line (``in_line``: its ticket waits).

        Everyone waiting at a higher priority, and those of its own line whose place is in an
        earlier five minutes, are read from kept counts (queue_lines, queue_slots). Of its own
        five minutes, those behind it are counted off, or those before it counted, whichever
        are fewer: a new ticket has nobody behind, however many were issued in those minutes.
        """
        slot = int(queued_at.timestamp()) // QUEUE_SLOT_SECONDS
        place = {"service_id": info.id, "day": day, "priority": priority,
                 "queued_at": queued_at, "ticket_id": ticket_id, "slot": slot,
                 "slot_start": datetime.fromtimestamp(slot * QUEUE_SLOT_SECONDS, UTC),
                 "slot_end": datetime.fromtimestamp((slot + 1) * QUEUE_SLOT_SECONDS, UTC)}
        earlier, in_slot = self._run.rows(connection, _AHEAD_BY_SLOTS, place)[0]
        half = int(in_slot) // 2 + 1
        behind = int(self._run.scalar(connection, _BEHIND_IN_SLOT, {**place, "most": half}))
        if behind < half:
            return int(earlier) + int(in_slot) - behind - (1 if in_line else 0)
        return int(earlier) + int(self._run.scalar(connection, _BEFORE_IN_SLOT, place))

    def board_figures(self, service_code: str) -> tuple[int, int, tuple[tuple[str, str], ...]]:
        """What the board shows of a service: waiting count, estimated wait, (label, counter) called.

        Counted in SQL from the queue index: the cost does not grow with the tickets of the day.
        """
        info = self.service(service_code)
        now = self._clock.now()
        with transaction(self._engine) as connection:
            waiting = self._count_waiting(connection, info, now.date())
            called = self._run.rows(connection, _CALLING,
                                    {"service_id": info.id, "day": now.date()})
            # (label, counter, priority, queued_at, id): in queue order, as call-next calls.
            calling = tuple((row[0], row[1]) for row in sorted(
                called, key=lambda row: (-row[2], _aware(row[3]), row[4])))
            return waiting, self._estimate(connection, info, waiting, now), calling

    def _count_waiting(self, connection: Connection, info: ServiceInfo, day: date) -> int:
        return int(self._run.scalar(connection, _COUNT_WAITING,
                                    {"service_id": info.id, "day": day}))

    def _estimate(self, connection: Connection, info: ServiceInfo, ahead: int,
                  now: datetime) -> int:
        """The wait for ``ahead`` people from the last service times and the open counters."""
        if ahead <= 0:
            # Nobody ahead: no wait, whatever the service times (two reads saved, inside the
            # write transaction on SQLite).
            return estimate_wait_seconds(ahead, (), 0, info.default_service_seconds)
        recent = self._run.rows(connection, _RECENT_DONE, {"service_id": info.id})
        counters = self._run.scalar(connection, _OPEN_COUNTERS, {
            "service_id": info.id, "since": now - _OPEN_COUNTER_WINDOW})
        seconds = [float(row[0]) for row in recent if row[0] is not None]
        return estimate_wait_seconds(ahead, seconds, counters, info.default_service_seconds)

    def _ticket(self, row: Row[Any] | _TicketRow) -> Ticket:
        return Ticket(
            id=row.id, service=self._service_by_id(row.service_id).code, day=row.day,
            number=row.number, label=row.label, state=TicketState(row.state),
            priority=row.priority, queued_at=row.queued_at, counter=row.counter,
            staff_id=row.staff_id, called_at=row.called_at, serving_at=row.serving_at,
            finished_at=row.finished_at,
        )


# Statements built once: building them per call costs more CPU than the round trip.
_INSERT_EVENT = insert(ticket_events).values({
    name: bindparam(name, type_=ticket_events.c[name].type)
    for name in ("ticket_id", "action", "from_state", "to_state", "service_id", "counter",
                 "staff_id", "at")
})
_LOCK_TICKET = (select(tickets.c.state, tickets.c.label)
                .where(tickets.c.id == bindparam("ticket_id")).with_for_update())
_ISSUED = TicketState.ISSUED.value
_QUEUE_ORDER = (tickets.c.priority.desc(), tickets.c.queued_at, tickets.c.id)  # ix_tickets_queue


def _bump_statement(upsert: Any) -> Any:
    """Take the day's next number of one service (``upsert``: the dialect's insert)."""
    return (upsert(daily_numbers).values(service_id=bindparam("service_id"),
                                         day=bindparam("day", type_=daily_numbers.c.day.type),
                                         last_number=1)
            .on_conflict_do_update(index_elements=["service_id", "day"],
                                   set_={"last_number": daily_numbers.c.last_number + 1})
            .returning(daily_numbers.c.last_number))


# Built once (a hot statement on SQLite); PostgreSQL's is built per store with its dialect.
_BUMP_SQLITE = _bump_statement(sqlite_insert)
_INSERT_TICKET = insert(tickets).values({
    name: bindparam(name, type_=tickets.c[name].type)
    for name in ("service_id", "origin_service_id", "day", "number", "label", "state",
                 "priority", "slip", "reserved_at", "queued_at")
}).returning(tickets.c.id)


def _first_waiting(service_id: Any) -> Any:
    """The id of the first waiting ticket of one service: the first entry of ix_tickets_queue."""
    return (select(tickets.c.id)
            .where(tickets.c.service_id == service_id, tickets.c.state == _ISSUED)
            .order_by(*_QUEUE_ORDER).limit(1)
            # Ignored on SQLite, where BEGIN IMMEDIATE already serialises the callers.
            .with_for_update(skip_locked=True))


def _call_statement(first: Any) -> Any:
    """Call the ticket whose id ``first`` selects."""
    return (update(tickets)
            .where(tickets.c.id == first.scalar_subquery(), tickets.c.state == _ISSUED)
            .values(state=bindparam("v_state"), counter=bindparam("v_counter"),
                    staff_id=bindparam("v_staff_id"), called_at=bindparam("v_called_at"))
            .returning(tickets))


@functools.cache
def _call_next_of(count: int) -> Any:
    """Call-next over ``count`` services: the best of each service's first waiting ticket.

    One service: the index's first entry. Several: the first entry of each service's index,
    then the best of those few (never a sort of every waiting ticket).
    """
    if count == 1:
        return _call_statement(_first_waiting(bindparam("id_0")))
    heads = [_first_waiting(bindparam(f"id_{n}")).subquery() for n in range(count)]
    candidates = union_all(*(select(head.c.id) for head in heads)).scalar_subquery()
    return _call_statement(select(tickets.c.id).where(tickets.c.id.in_(candidates))
                           .order_by(*_QUEUE_ORDER).limit(1))


@functools.cache
def _call_and_record_postgres(count: int) -> Any:
    """Call-next and its "call" event in one PostgreSQL statement; returns the called row."""
    called = _call_next_of(count).cte("called")
    # The action and the state before are constants of this statement, never input.
    event = insert(ticket_events).from_select(
        ["ticket_id", "action", "from_state", "to_state", "service_id", "counter", "staff_id",
         "at"],
        select(called.c.id, literal_column(f"'{TicketAction.CALL.value}'"),
               literal_column(f"'{_ISSUED}'"), called.c.state, called.c.service_id,
               called.c.counter, called.c.staff_id, called.c.called_at)).cte("event")
    return select(called).add_cte(event)


# The waiting counts of the lines, kept by the tickets' triggers (see queue_lines).
_COUNT_WAITING = select(func.coalesce(func.sum(queue_lines.c.waiting), 0)).where(
    queue_lines.c.service_id == bindparam("service_id"), queue_lines.c.day == bindparam("day"))
_QUEUE_PLACE = select(tickets.c.priority, tickets.c.queued_at, tickets.c.state,
                      tickets.c.service_id, tickets.c.day).where(
    tickets.c.id == bindparam("ticket_id"))
# Before a place in a line: those waiting at a higher priority and those of its own line whose
# place falls in an earlier slot (kept counts); beside them, the waiting of its own slot.
_HIGHER_LINES = select(func.coalesce(func.sum(queue_lines.c.waiting), 0)).where(
    queue_lines.c.service_id == bindparam("service_id"), queue_lines.c.day == bindparam("day"),
    queue_lines.c.priority > bindparam("priority"))


def _slots(where: Any) -> Any:
    """The waiting of the place's line in the slots ``where`` picks."""
    return select(func.coalesce(func.sum(queue_slots.c.waiting), 0)).where(
        queue_slots.c.service_id == bindparam("service_id"),
        queue_slots.c.day == bindparam("day"), queue_slots.c.priority == bindparam("priority"),
        where).scalar_subquery()


_AHEAD_BY_SLOTS = select(
    _HIGHER_LINES.scalar_subquery() + _slots(queue_slots.c.slot < bindparam("slot")),
    _slots(queue_slots.c.slot == bindparam("slot")))


def _in_slot(place: Any) -> Any:
    """The waiting tickets of the place's line that ``place`` picks: a row value on
    (queued_at, id) and the slot's bound on queued_at, a range of ix_tickets_queue no longer
    than the slot."""
    return (select(tickets.c.id)
            .where(tickets.c.service_id == bindparam("service_id"), tickets.c.state == _ISSUED,
                   tickets.c.day == bindparam("day"),
                   tickets.c.priority == bindparam("priority"), place))


_MY_PLACE = tuple_(bindparam("queued_at", type_=tickets.c.queued_at.type),
                   bindparam("ticket_id", type_=tickets.c.id.type))
_LINE_PLACE = tuple_(tickets.c.queued_at, tickets.c.id)
# At most ``most`` of those behind: counting stops where counting those before is cheaper.
# In index order: with a LIMIT, PostgreSQL would otherwise scan the table, expecting to find
# that many rows at once.
_BEHIND_IN_SLOT = select(func.count()).select_from(
    _in_slot(and_(_LINE_PLACE > _MY_PLACE,
                  tickets.c.queued_at < bindparam("slot_end", type_=tickets.c.queued_at.type)))
    .order_by(tickets.c.queued_at, tickets.c.id).limit(bindparam("most")).subquery())
_BEFORE_IN_SLOT = select(func.count()).select_from(
    _in_slot(and_(_LINE_PLACE < _MY_PLACE, tickets.c.queued_at >= bindparam(
        "slot_start", type_=tickets.c.queued_at.type))).subquery())
# Unsorted: the few tickets at the counters are put in queue order in Python.
_CALLING = (select(tickets.c.label, tickets.c.counter, tickets.c.priority, tickets.c.queued_at,
                   tickets.c.id)
            .where(tickets.c.service_id == bindparam("service_id"),
                   # Not IN (...): an expanding list cannot be compiled once for the driver.
                   or_(tickets.c.state == TicketState.CALLED.value,
                       tickets.c.state == TicketState.RECALLED.value),
                   tickets.c.day == bindparam("day")))
_RECENT_DONE = (select(seconds_between(func.coalesce(tickets.c.serving_at, tickets.c.called_at),
                                       tickets.c.finished_at))
                .where(tickets.c.service_id == bindparam("service_id"),
                       tickets.c.state == TicketState.DONE.value)
                .order_by(tickets.c.finished_at.desc()).limit(_RECENT_SERVICES))
_OPEN_COUNTERS = (select(func.count(func.distinct(tickets.c.counter)))
                  .where(tickets.c.service_id == bindparam("service_id"),
                         tickets.c.called_at >= bindparam("since"), tickets.c.counter != ""))


@functools.cache
def _update_statement(columns: tuple[str, ...]) -> Any:
    """``UPDATE tickets SET <columns> WHERE id = :ticket_id AND state = :before RETURNING *``."""
    return (update(tickets)
            .where(tickets.c.id == bindparam("ticket_id"),
                   tickets.c.state == bindparam("before"))
            .values({name: bindparam(f"v_{name}") for name in columns})
            .returning(tickets))

# Numbering, the ticket and its "issue" event in one PostgreSQL statement (data-modifying
# CTEs). The label is formatted like kiosk.domain.ticket.ticket_label.
_ISSUE_POSTGRES = text("""
WITH number AS (
    INSERT INTO daily_numbers (service_id, day, last_number) VALUES (:service_id, :day, 1)
    ON CONFLICT (service_id, day) DO UPDATE SET last_number = daily_numbers.last_number + 1
    RETURNING last_number
), ticket AS (
    INSERT INTO tickets (service_id, origin_service_id, day, number, label, state, priority,
                         slip, reserved_at, queued_at)
    SELECT :service_id, :service_id, :day, last_number,
           :prefix || '-' || CASE WHEN last_number < 1000 THEN lpad(last_number::text, 3, '0')
                                  ELSE last_number::text END,
           :state, :priority, :slip, :now, :now
    FROM number
    RETURNING *
), event AS (
    INSERT INTO ticket_events (ticket_id, action, from_state, to_state, service_id, counter,
                               staff_id, at)
    SELECT id, :action, :before, state, service_id, '', NULL, :now FROM ticket
)
SELECT * FROM ticket
""").columns(*tickets.c)


@functools.cache
def _sources_and_target(action: TicketAction) -> tuple[tuple[str, ...], TicketState]:
    """The states ``action`` applies to, and the one state it leads to."""
    pairs = [(before, after) for (act, before), after in ALLOWED.items() if act is action]
    targets = {after for _, after in pairs}
    assert len(targets) == 1, "each action leads to one state"
    return tuple(before.value for before, _ in pairs), targets.pop()


@functools.cache
def _apply_statement_postgres(columns: tuple[str, ...]) -> Any:
    """Lock the ticket, update it if its state allows, record the event; returns the row.

    Plain SQL: the Core form (UPDATE..FROM inside a CTE) compiled correctly but failed at
    execution for some SET column sets with an unbound anonymous parameter.
    """
    assert set(columns) <= set(tickets.c.keys())   # column names from _changes, never input
    assignments = ", ".join(f"{name} = :v_{name}" for name in columns)
    returned = ", ".join(column.name for column in tickets.c)
    statement = f"""
WITH old AS (SELECT id, state FROM tickets WHERE id = :ticket_id FOR UPDATE),
changed AS (
    UPDATE tickets SET {assignments} FROM old
    WHERE tickets.id = old.id AND old.state = ANY(:sources)
    RETURNING tickets.*, old.state AS before_state
), event AS (
    INSERT INTO ticket_events (ticket_id, action, from_state, to_state, service_id, counter,
                               staff_id, at)
    SELECT id, :action, before_state, state, service_id, counter, :staff_id, :at FROM changed
)
SELECT {returned} FROM changed
"""  # noqa: S608 - identifiers are the table's own column names; every value is bound
    return text(statement).columns(*tickets.c)


def _changes(action: TicketAction, after: TicketState, now: datetime, *, counter: str,
             staff_id: int | None, slip: SlipChoice | None,
             to_service_id: int | None) -> dict[str, Any]:
    """The column values an action sets besides the state."""
    values: dict[str, Any] = {"state": after.value}
    if action is TicketAction.ISSUE:
        # The wait starts when the citizen holds the ticket, not when the number was reserved.
        values.update(queued_at=now, slip=(slip or SlipChoice.NO_SLIP).value)
    elif action in (TicketAction.CALL, TicketAction.RECALL):
        values.update(counter=counter, staff_id=staff_id, called_at=now)
    elif action is TicketAction.SERVE:
        values.update(serving_at=now, staff_id=staff_id)
    elif action in (TicketAction.FINISH, TicketAction.NO_SHOW, TicketAction.CANCEL):
        values.update(finished_at=now)
        if staff_id is not None:
            values["staff_id"] = staff_id
    elif action is TicketAction.TRANSFER:
        if to_service_id is None:
            raise ValueError("a transfer needs the target service")
        values.update(service_id=to_service_id, counter="", called_at=None, serving_at=None)
    elif action is TicketAction.RESUME:
        values.update(counter="", called_at=None, serving_at=None, finished_at=None)
    return values


def _aware(value: Any) -> Any:
    """A time from either path as an aware datetime (SQLite's driver path returns text)."""
    return utc_from_driver(value)


class _Runner:
    """Runs the queue's hot statements on the driver's cursor (see :mod:`.driver_sql`).

    Each statement is compiled for the engine's dialect the first time it runs.
    """

    def __init__(self, engine: Engine) -> None:
        self._dialect = engine.dialect
        self._sqlite = is_sqlite(engine)
        self._compiled: dict[Any, DriverStatement] = {}

    def _run(self, connection: _AnyConnection, statement: Any, values: dict[str, Any]) -> Any:
        compiled = self._compiled.get(statement)
        if compiled is None:
            compiled = self._compiled[statement] = DriverStatement(statement, self._dialect)
        return compiled.execute(cursor_of(connection), values)

    def rows(self, connection: _AnyConnection, statement: Any,
             values: dict[str, Any]) -> list[tuple[Any, ...]]:
        # Every row fetched: SQLite finishes an UPDATE .. RETURNING only when it is read out.
        return list(self._run(connection, statement, values).fetchall())

    def scalar(self, connection: _AnyConnection, statement: Any, values: dict[str, Any]) -> Any:
        return self._run(connection, statement, values).fetchone()[0]

    def ticket(self, connection: _AnyConnection, statement: Any,
               values: dict[str, Any]) -> _TicketRow | None:
        """The ticket row ``statement`` returns (``RETURNING`` every column), if any."""
        rows = self.rows(connection, statement, values)
        return _ticket_row(rows[0]) if rows else None

    def insert(self, connection: _AnyConnection, statement: Any, values: dict[str, Any]) -> int:
        """Insert one row; returns its id for a ticket (the rowid on SQLite)."""
        cursor = self._run(connection, statement, values)
        if statement is not _INSERT_TICKET:
            return 0
        # SQLite has the id at hand; psycopg has it in the RETURNING row.
        return int(cursor.lastrowid if self._sqlite else cursor.fetchone()[0])


class _TicketRow(NamedTuple):
    """A row of ``tickets`` read on the driver's cursor, its day and times converted."""

    id: int
    service_id: int
    origin_service_id: int
    day: date
    number: int
    label: str
    state: str
    priority: int
    slip: str
    reserved_at: datetime
    queued_at: datetime
    counter: str
    staff_id: int | None
    called_at: datetime | None
    serving_at: datetime | None
    finished_at: datetime | None


assert _TicketRow._fields == tuple(tickets.c.keys()), "the row follows the table's columns"
_TIMES = frozenset(("reserved_at", "queued_at", "called_at", "serving_at", "finished_at"))


def _ticket_row(values: Sequence[Any]) -> _TicketRow:
    """A driver row of ``tickets`` (SQLite gives text for days and times) as typed values."""
    converted: list[Any] = [
        date_from_driver(value) if name == "day"
        else utc_from_driver(value) if name in _TIMES else value
        for name, value in zip(_TicketRow._fields, values, strict=True)]
    return _TicketRow(*converted)
