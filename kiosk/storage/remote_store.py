"""Remote tickets in the shared database: a branch asks, a main-office desk accepts, the call ends.

Accepting is one conditional ``UPDATE`` (``WHERE state = 'requested'``): of two specialists
who press Accept at once, one gets the call and the other is told it was taken.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Engine, insert, select, update

from kiosk.domain.remote import RemoteTicket, RemoteTicketState
from kiosk.ports import Clock
from kiosk.storage.engine import transaction
from kiosk.storage.schema import remote_tickets, services

__all__ = ["RemoteTicketStore"]

_S = RemoteTicketState
_SELECT = (select(remote_tickets, services.c.code.label("service_code"))
           .join(services, services.c.id == remote_tickets.c.service_id))


def _ticket(row: Any) -> RemoteTicket:
    return RemoteTicket(id=int(row.id), service=row.service_code, branch=row.branch,
                        language=row.language, state=_S(row.state), call_id=row.call_id,
                        requested_at=row.requested_at, accepted_at=row.accepted_at,
                        ended_at=row.ended_at,
                        staff_id=None if row.staff_id is None else int(row.staff_id),
                        visit_ticket_id=(None if row.visit_ticket_id is None
                                         else int(row.visit_ticket_id)))


class RemoteTicketStore:
    """The ``remote_tickets`` table."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def request(self, service: str, branch: str, language: str,
                visit_ticket_id: int | None = None) -> RemoteTicket | None:
        """A new waiting request (for the visitor of ``visit_ticket_id``, when one was called
        at the branch); ``None`` when there is no such service."""
        with transaction(self._engine, write=True) as connection:
            service_id = connection.scalar(select(services.c.id).where(services.c.code == service))
            if service_id is None:
                return None
            new_id = connection.execute(insert(remote_tickets).values(
                service_id=service_id, branch=branch, language=language,
                state=_S.REQUESTED.value, call_id=secrets.token_hex(16),
                visit_ticket_id=visit_ticket_id,
                requested_at=self._clock.now())).inserted_primary_key[0]  # type: ignore[index]
            row = connection.execute(_SELECT.where(remote_tickets.c.id == new_id)).one()
        return _ticket(row)

    def get(self, ticket_id: int) -> RemoteTicket | None:
        """One remote ticket."""
        with transaction(self._engine) as connection:
            row = connection.execute(_SELECT.where(remote_tickets.c.id == ticket_id)).first()
        return None if row is None else _ticket(row)

    def waiting(self) -> list[RemoteTicket]:
        """The requests no one accepted yet, oldest first."""
        with transaction(self._engine) as connection:
            rows = connection.execute(_SELECT.where(remote_tickets.c.state == _S.REQUESTED.value)
                                      .order_by(remote_tickets.c.requested_at, remote_tickets.c.id)).all()
        return [_ticket(row) for row in rows]

    def _move(self, ticket_id: int, expected: RemoteTicketState, **values: Any) -> RemoteTicket | None:
        with transaction(self._engine, write=True) as connection:
            moved = connection.execute(
                update(remote_tickets).where(remote_tickets.c.id == ticket_id,
                                             remote_tickets.c.state == expected.value)
                .values(**values)).rowcount
            if not moved:
                return None
            row = connection.execute(_SELECT.where(remote_tickets.c.id == ticket_id)).one()
        return _ticket(row)

    def accept(self, ticket_id: int, staff_id: int | None) -> RemoteTicket | None:
        """Take a waiting request; ``None`` when another desk took it first (or it is gone)."""
        return self._move(ticket_id, _S.REQUESTED, state=_S.ACCEPTED.value,
                          accepted_at=self._clock.now(), staff_id=staff_id)

    def end(self, ticket_id: int) -> RemoteTicket | None:
        """End an accepted call; ``None`` when it was not on."""
        return self._move(ticket_id, _S.ACCEPTED, state=_S.ENDED.value, ended_at=self._clock.now())

    def cancel(self, ticket_id: int) -> RemoteTicket | None:
        """Withdraw a waiting request; ``None`` when it was already accepted or gone."""
        return self._move(ticket_id, _S.REQUESTED, state=_S.CANCELLED.value, ended_at=self._clock.now())
