"""Reservations in the shared database: places per slot, booking, state changes, figures.

A booking counts the slot's places and inserts in one write transaction that first locks the
service's capacity row (``FOR UPDATE`` on PostgreSQL; ``BEGIN IMMEDIATE`` on SQLite), so two
inner hosts can never overbook a slot.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kiosk.domain.reservation import Reservation, ReservationState
from kiosk.ports import Clock
from kiosk.storage.engine import is_sqlite, transaction
from kiosk.storage.schema import reservation_capacity, reservations, services, tickets

__all__ = ["ReservationStore"]

_R = ReservationState
_HOLDING = (_R.BOOKED.value, _R.CHECKED_IN.value, _R.NO_SHOW.value)   # places taken


class ReservationStore:
    """The ``reservations`` and ``reservation_capacity`` tables."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    # ------------------------------------------------------------ capacity
    def capacities(self) -> dict[str, int]:
        """Service code -> places per slot (services without a row take no reservation)."""
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(services.c.code, reservation_capacity.c.capacity)
                .join(services, services.c.id == reservation_capacity.c.service_id)
                .where(reservation_capacity.c.capacity > 0)).all()
        return {row.code: int(row.capacity) for row in rows}

    def set_capacity(self, service: str, capacity: int) -> bool:
        """Set the places per slot of ``service``; ``False`` if there is no such service."""
        with transaction(self._engine, write=True) as connection:
            service_id = connection.scalar(select(services.c.id).where(services.c.code == service))
            if service_id is None:
                return False
            changed = connection.execute(
                update(reservation_capacity).where(reservation_capacity.c.service_id == service_id)
                .values(capacity=capacity)).rowcount
            if not changed:
                connection.execute(insert(reservation_capacity).values(
                    service_id=service_id, capacity=capacity))
        return True

    # ------------------------------------------------------------ booking and states
    def book(self, token_hash: str, service: str, day: date, start_minute: int) -> bool:
        """Insert a booked reservation if the slot has a place left; whether it was booked."""
        now = self._clock.now()
        with transaction(self._engine, write=True) as connection:
            locked = (select(reservation_capacity.c.service_id, reservation_capacity.c.capacity)
                      .join(services, services.c.id == reservation_capacity.c.service_id)
                      .where(services.c.code == service))
            if not is_sqlite(self._engine):
                locked = locked.with_for_update(of=reservation_capacity)
            row = connection.execute(locked).first()
            if row is None:
                return False
            taken = connection.scalar(
                select(func.count()).select_from(reservations).where(
                    reservations.c.day == day, reservations.c.service_id == row.service_id,
                    reservations.c.start_minute == start_minute,
                    reservations.c.state.in_(_HOLDING)))
            if int(taken or 0) >= int(row.capacity):
                return False
            try:
                with connection.begin_nested():
                    connection.execute(insert(reservations).values(
                        token_hash=token_hash, service_id=row.service_id, day=day,
                        start_minute=start_minute, state=_R.BOOKED.value, booked_at=now,
                        changed_at=now))
            except IntegrityError:
                return False       # the same link twice: the first booking stands
        return True

    def find(self, token_hash: str) -> Reservation | None:
        """The reservation of a link's hash."""
        with transaction(self._engine) as connection:
            row = connection.execute(_SELECT.where(reservations.c.token_hash == token_hash)).first()
        return None if row is None else _reservation(row)

    def change(self, reservation_id: int, expected: ReservationState,
               target: ReservationState, ticket_id: int | None = None) -> bool:
        """Move a reservation from ``expected`` to ``target``; ``False`` if it was not there."""
        values: dict[str, Any] = {"state": target.value, "changed_at": self._clock.now()}
        if ticket_id is not None:
            values["ticket_id"] = ticket_id
        with transaction(self._engine, write=True) as connection:
            return bool(connection.execute(
                update(reservations).where(reservations.c.id == reservation_id,
                                           reservations.c.state == expected.value)
                .values(**values)).rowcount)

    def between(self, first: date, last: date) -> list[Reservation]:
        """Every reservation of the days ``first``..``last``, by slot."""
        with transaction(self._engine) as connection:
            rows = connection.execute(
                _SELECT.where(reservations.c.day >= first, reservations.c.day <= last)
                .order_by(reservations.c.day, reservations.c.start_minute, reservations.c.id)
            ).all()
        return [_reservation(row) for row in rows]

    def taken(self, first: date, last: date) -> Counter[tuple[str, date, int]]:
        """Places taken per (service, day, start minute)."""
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(services.c.code, reservations.c.day, reservations.c.start_minute,
                       func.count().label("n"))
                .join(services, services.c.id == reservations.c.service_id)
                .where(reservations.c.day >= first, reservations.c.day <= last,
                       reservations.c.state.in_(_HOLDING))
                .group_by(services.c.code, reservations.c.day, reservations.c.start_minute)
            ).all()
        return Counter({(row.code, row.day, int(row.start_minute)): int(row.n) for row in rows})

    def overdue(self, day: date, latest_minute: int) -> list[Reservation]:
        """Booked reservations of earlier days, or of ``day`` starting at ``latest_minute`` or
        before (their grace period is over)."""
        with transaction(self._engine) as connection:
            rows = connection.execute(_SELECT.where(
                reservations.c.state == _R.BOOKED.value,
                (reservations.c.day < day) | and_(reservations.c.day == day,
                                                  reservations.c.start_minute <= latest_minute))
            ).all()
        return [_reservation(row) for row in rows]

    def outcomes(self, first: date, last: date) -> Counter[tuple[str, str]]:
        """(service, outcome) -> reservations of the days, for the yearly report.

        Outcomes: every state, and ``served`` for a checked-in one whose ticket was done.
        """
        with transaction(self._engine) as connection:
            rows = connection.execute(
                select(services.c.code, reservations.c.state, tickets.c.state.label("ticket"))
                .join(services, services.c.id == reservations.c.service_id)
                .outerjoin(tickets, tickets.c.id == reservations.c.ticket_id)
                .where(reservations.c.day >= first, reservations.c.day <= last)).all()
        found: Counter[tuple[str, str]] = Counter()
        for row in rows:
            found[(row.code, row.state)] += 1
            if row.ticket == "done":
                found[(row.code, "served")] += 1
        return found


_SELECT = select(reservations.c.id, reservations.c.token_hash, services.c.code,
                 reservations.c.day, reservations.c.start_minute, reservations.c.state,
                 reservations.c.ticket_id).join(services,
                                                services.c.id == reservations.c.service_id)


def _reservation(row: Any) -> Reservation:
    return Reservation(int(row.id), row.token_hash, row.code, row.day, int(row.start_minute),
                       ReservationState(row.state),
                       None if row.ticket_id is None else int(row.ticket_id))

