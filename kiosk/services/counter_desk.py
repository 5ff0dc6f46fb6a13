"""One clerk at one counter: the queue actions of the clerk desktop, and today's figures.

The desk remembers the ticket the clerk is serving, so the buttons act on it; every action
goes to the shared queue with the clerk's staff id, and the board learns of it from the
database's notifications.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain.staff import StaffMember
from kiosk.domain.ticket import Ticket, TicketAction, TicketState
from kiosk.errors import UserFacingError
from kiosk.i18n import S_
from kiosk.ports import Clock
from kiosk.services.queue import QueueService
from kiosk.storage.queue_store import QueueStore

__all__ = ["CounterDesk", "DayFigure", "DeskBusyError", "NoTicketError", "day_figures"]

# Called and not finished: the ticket belongs to the counter that called it.
_OPEN = (TicketState.CALLED, TicketState.RECALLED, TicketState.SERVING)


class NoTicketError(UserFacingError):
    """The action needs a called ticket, and none is at this counter."""


class DeskBusyError(UserFacingError):
    """A ticket is being served here: another call would leave it stranded (a double click)."""


@dataclass(frozen=True, slots=True)
class DayFigure:
    """Today's figures of one service or one clerk."""

    key: str
    waiting: int
    served: int
    mean_wait_seconds: float
    mean_service_seconds: float


class CounterDesk:
    """Queue actions of ``staff`` at ``counter`` for ``services`` (in preference order)."""

    def __init__(self, queue: QueueService, store: QueueStore, staff: StaffMember,
                 counter: str, services: Sequence[str]) -> None:
        self._queue = queue
        self._store = store
        self.staff = staff
        self.counter = counter
        self.services = tuple(services)
        self.current: Ticket | None = None

    def __repr__(self) -> str:
        return f"CounterDesk(counter={self.counter!r}, staff={self.staff.id})"

    def waiting(self) -> list[Ticket]:
        """Tickets of this counter's services that wait or are held, in call order."""
        return self._store.tickets(self.services, [TicketState.ISSUED, TicketState.HELD])

    def all_services(self) -> list[tuple[str, str]]:
        """Every service as (code, name), for transfers."""
        return [(info.code, info.name) for info in self._store.services()]

    def wait_seconds(self, ticket: Ticket, now: datetime) -> int:
        """How long ``ticket`` has waited so far."""
        return max(0, int((now - ticket.queued_at).total_seconds()))

    def open_tickets(self) -> list[Ticket]:
        """Today's tickets called by this clerk or to this counter and not finished, other
        than the current one: calls left over when the desk restarted or another clerk
        logged in. The clerk takes one over, recalls it, or returns it to the line."""
        current = self.current.id if self.current is not None else None
        return [ticket for ticket in self._store.tickets(states=_OPEN)
                if ticket.id != current
                and (ticket.staff_id == self.staff.id or ticket.counter == self.counter)]

    def take_over(self, ticket_id: int) -> Ticket:
        """Serve an open ticket from :meth:`open_tickets` at this desk (without calling it).

        Raises:
            NoTicketError: it was finished or moved meanwhile (at another desk).
        """
        ticket = self._store.get(ticket_id)
        if ticket.state not in _OPEN:
            raise NoTicketError(S_("Ticket {ticket} is no longer open."), ticket=ticket.label)
        self.current = ticket
        return ticket

    def return_to_line(self, ticket_id: int) -> Ticket:
        """Put an open ticket back in its line (it keeps its place by its first wait)."""
        ticket = self._queue.act(ticket_id, TicketAction.RESUME, staff_id=self.staff.id)
        if self.current is not None and self.current.id == ticket_id:
            self.current = None
        return ticket

    def call_next(self) -> Ticket | None:
        """Call the next waiting ticket; ``None`` when nobody waits.

        Raises:
            DeskBusyError: a ticket is being served here (finish, hold or transfer it first).
        """
        self._require_free()
        ticket = self._queue.call_next(self.services, counter=self.counter,
                                       staff_id=self.staff.id)
        if ticket is not None:
            self.current = ticket
        return ticket

    def call(self, ticket_id: int) -> Ticket:
        """Call a specific ticket out of order.

        Raises:
            DeskBusyError: another ticket is being served here.
        """
        if self.current is not None and self.current.id == ticket_id:
            return self.current     # the same call again (a double click): nothing changes
        self._require_free()
        self.current = self._queue.call(ticket_id, counter=self.counter, staff_id=self.staff.id)
        return self.current

    def recall(self) -> Ticket:
        """Call the current ticket again."""
        self.current = self._queue.recall(self._require().id, counter=self.counter,
                                          staff_id=self.staff.id)
        return self.current

    def no_show(self) -> Ticket:
        """The called citizen did not come."""
        return self._close(TicketAction.NO_SHOW)

    def finish(self) -> Ticket:
        """The citizen was served."""
        return self._close(TicketAction.FINISH)

    def hold(self) -> Ticket:
        """Set the current ticket aside (the citizen fetches a document)."""
        return self._close(TicketAction.HOLD)

    def resume(self, ticket_id: int) -> Ticket:
        """Put a held (or no-show) ticket back in the line."""
        return self._queue.act(ticket_id, TicketAction.RESUME, staff_id=self.staff.id)

    def transfer(self, to_service: str) -> Ticket:
        """Send the current ticket to another service's line."""
        ticket = self._queue.transfer(self._require().id, to_service, staff_id=self.staff.id)
        self.current = None
        return ticket

    def _close(self, action: TicketAction) -> Ticket:
        ticket = self._queue.act(self._require().id, action, staff_id=self.staff.id)
        self.current = None
        return ticket

    def _require_free(self) -> None:
        # One ticket at a time per desk: a second call while one is served is a double click
        # or a slip, and would leave the citizen on the way stranded in "called".
        if self.current is not None:
            raise DeskBusyError(S_("{ticket} is being served. Finish, hold or transfer it "
                                   "before calling another ticket."), ticket=self.current.label)

    def _require(self) -> Ticket:
        if self.current is None:
            raise NoTicketError(S_("Call a ticket first."))
        return self.current


def day_figures(store: QueueStore, clock: Clock) -> tuple[list[DayFigure], list[DayFigure]]:
    """Today's figures per service and per clerk (staff id), from the ticket rows only."""
    tickets = store.tickets()
    by_service: dict[str, list[Ticket]] = defaultdict(list)
    by_clerk: dict[str, list[Ticket]] = defaultdict(list)
    for ticket in tickets:
        if ticket.state in (TicketState.PENDING, TicketState.VOID):
            continue
        by_service[ticket.service].append(ticket)
        if ticket.staff_id is not None:
            by_clerk[str(ticket.staff_id)].append(ticket)
    return ([_figure(key, rows) for key, rows in sorted(by_service.items())],
            [_figure(key, rows) for key, rows in sorted(by_clerk.items())])


def _figure(key: str, tickets: Sequence[Ticket]) -> DayFigure:
    waits = [(t.called_at - t.queued_at).total_seconds() for t in tickets if t.called_at]
    serves = [seconds for t in tickets if t.state is TicketState.DONE
              and (seconds := _service_seconds(t)) is not None]
    return DayFigure(
        key, waiting=sum(1 for t in tickets if t.state is TicketState.ISSUED),
        served=sum(1 for t in tickets if t.state is TicketState.DONE),
        mean_wait_seconds=sum(waits) / len(waits) if waits else 0.0,
        mean_service_seconds=sum(serves) / len(serves) if serves else 0.0)


def _service_seconds(ticket: Ticket) -> float | None:
    start = ticket.serving_at or ticket.called_at
    if start is None or ticket.finished_at is None:
        return None
    return (ticket.finished_at - start).total_seconds()
