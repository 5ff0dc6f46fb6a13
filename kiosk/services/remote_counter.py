"""The remote counter's requests (リモート窓口): a branch asks, a main-office desk accepts.

A branch counter (its tablet or its clerk) asks for a specialist for a service; the request
waits in the main office's clerk desks as a remote ticket with the service, the visitor's
language and the branch. A specialist accepts it: both ends then open the call named by the
ticket's ``call_id`` (:class:`kiosk.ports.RemoteCall`, the offer and answer through the
sealed relay). When the call ends, or the branch withdraws the request, the usage log gets a
:class:`~kiosk.audit.events.RemoteCallUsed`: minutes, service, branch and language, never
audio, video or text.
"""

from __future__ import annotations

from kiosk.audit.events import RemoteCallUsed, counter_label
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.domain.remote import RemoteTicket
from kiosk.errors import UserFacingError
from kiosk.i18n import S_
from kiosk.storage.remote_store import RemoteTicketStore

__all__ = ["RemoteCounterDesk"]


class RemoteCounterDesk:
    """Requests, accepts and ends remote tickets, and records their use.

    Args:
        store: the shared database's remote tickets.
        usage: the usage log of this device.
    """

    def __init__(self, store: RemoteTicketStore, usage: UsageRecorder = NULL_USAGE) -> None:
        self._store = store
        self._usage = usage

    def request(self, service: str, branch: str, language: str,
                visit_ticket_id: int | None = None) -> RemoteTicket:
        """Ask the main office for a specialist of ``service``; ``visit_ticket_id`` is the
        visitor's queue ticket at the branch, whose application the specialist reviews.

        Raises:
            UserFacingError: no such service.
        """
        ticket = self._store.request(service, counter_label(branch), language, visit_ticket_id)
        if ticket is None:
            raise UserFacingError(S_("There is no service {service}."), service=service)
        return ticket

    def get(self, ticket_id: int) -> RemoteTicket | None:
        """One remote ticket as it is now (the branch looks whether it was accepted)."""
        return self._store.get(ticket_id)

    def waiting(self) -> list[RemoteTicket]:
        """The requests waiting for a specialist, oldest first."""
        return self._store.waiting()

    def asked_at(self, branch: str) -> RemoteTicket | None:
        """The oldest request of ``branch`` still waiting (asked at its tablet: the branch's
        clerk PC takes it and the call), or ``None``."""
        label = counter_label(branch)
        return next((ticket for ticket in self._store.waiting() if ticket.branch == label), None)

    def accept(self, ticket_id: int, staff_id: int | None) -> RemoteTicket | None:
        """Take a request; ``None`` when another desk was quicker or the branch withdrew it."""
        return self._store.accept(ticket_id, staff_id)

    def end(self, ticket_id: int) -> RemoteTicket | None:
        """The call is over; ``None`` when it was not on (ended already on the other side)."""
        ticket = self._store.end(ticket_id)
        if ticket is not None:
            self._record(ticket, "ended")
        return ticket

    def cancel(self, ticket_id: int) -> RemoteTicket | None:
        """The branch withdraws its request; ``None`` when a specialist already accepted it."""
        ticket = self._store.cancel(ticket_id)
        if ticket is not None:
            self._record(ticket, "cancelled")
        return ticket

    def _record(self, ticket: RemoteTicket, outcome: str) -> None:
        self._usage.record(RemoteCallUsed(remote_ticket=ticket.id, service=ticket.service,
                                          branch=ticket.branch, language=ticket.language,
                                          outcome=outcome, minutes=ticket.minutes))
