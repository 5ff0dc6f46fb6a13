"""The waiting queue as the tablet, the clerk and the board use it.

A ticket counts as issued only when its slip printed or the citizen chose no slip: the number
is reserved first, the slip printed, and only then the ticket enters the queue. A failed print
voids the reservation and the error goes back to the screen, so nobody is ever called for a
ticket that nobody holds.

Every slip print is recorded in the usage log as ``PrintDone(kind="slip")`` here, where it
happens: one page when the printer accepted it, none and the error's code when it did not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.audit import error_code
from kiosk.audit.events import (
    PrintDone,
    TicketCalled,
    TicketFinished,
    TicketIssued,
    TicketTransferred,
    counter_label,
)
from kiosk.audit.recorder import NULL_USAGE, UsageRecorder
from kiosk.domain.ticket import SlipChoice, Ticket, TicketAction, TicketState
from kiosk.feed.tokens import LEGACY_PREFIX, TicketLinks
from kiosk.storage.queue_store import QueueStore

__all__ = ["BoardLine", "IssuedTicket", "QueueService", "SlipPrinter"]

_FINAL = frozenset({TicketState.DONE, TicketState.NO_SHOW, TicketState.CANCELLED})

SlipPrinter = Callable[[Ticket, int], None]
"""Prints a slip for (ticket, estimated wait in seconds); raises DeviceError on failure."""

SLIP_PAGES = 1   # a slip is one 80 x 120 mm page (see devices.printer.pdf_render.render_slip)


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    """What the citizen takes away: the ticket and the wait estimated when it was issued."""

    ticket: Ticket
    estimated_wait_seconds: int


@dataclass(frozen=True, slots=True)
class BoardLine:
    """One service on the waiting-room board."""

    service: str
    waiting: int
    estimated_wait_seconds: int
    calling: tuple[tuple[str, str], ...]   # (ticket label, counter) now called


class QueueService:
    """Issuing, calling and moving tickets; each step is recorded in the usage log."""

    def __init__(self, store: QueueStore, usage: UsageRecorder = NULL_USAGE) -> None:
        self._store = store
        self._usage = usage
        # The ticket page's links ([web] public_url); None: the QR holds the bare number.
        self.links: TicketLinks | None = None

    def qr_payload(self, ticket: Ticket, language: str = "") -> str:
        """What the ticket's QR code holds: the ticket page's URL, or the bare number."""
        if self.links is None:
            return f"{LEGACY_PREFIX}{ticket.label}"
        return self.links.qr_payload(ticket.id, ticket.day, ticket.label, language)

    def take_ticket(self, service: str, *, priority: int = 0,
                    print_slip: SlipPrinter | None = None,
                    before_issue: Callable[[Ticket], None] | None = None) -> IssuedTicket:
        """Issue a ticket; with ``print_slip`` it is issued only if the slip printed.

        ``before_issue`` runs with the numbered ticket before it enters the line (the
        tablet stores the applications there): a clerk who calls the ticket the moment it
        is in the line finds its applications. The ticket is issued even if it raises
        (the slip is printed: the citizen comes to the counter), and the error goes on.

        Raises:
            DeviceError: the slip did not print; the number was voided, nothing waits.
        """
        if print_slip is None and before_issue is None:
            ticket, wait = self._store.issue_with_estimate(service, priority=priority,
                                                           slip=SlipChoice.NO_SLIP)
            self._usage.record(TicketIssued(ticket.id, ticket.service, priority, slip=False))
            return IssuedTicket(ticket, wait)
        wait = self._store.estimated_wait_seconds(service)
        reserved = self._store.reserve(service, priority=priority)
        if print_slip is not None:
            try:
                print_slip(reserved, wait)
            except BaseException as exc:
                if isinstance(exc, Exception):   # not an interrupt: the print failed
                    self._usage.record(PrintDone(kind="slip", ok=False, pages=0,
                                                 reason=error_code(exc)))
                # A printer error (DeviceError) or anything else: never leave a ghost ticket.
                self._store.void(reserved.id)
                raise
            self._usage.record(PrintDone(kind="slip", ok=True, pages=SLIP_PAGES))
        slip = SlipChoice.PRINTED if print_slip is not None else SlipChoice.NO_SLIP
        try:
            if before_issue is not None:
                before_issue(reserved)
        finally:
            ticket = self._store.confirm(reserved.id, slip)
            self._usage.record(TicketIssued(ticket.id, ticket.service, priority,
                                            slip=print_slip is not None))
        return IssuedTicket(ticket, wait)

    def call_next(self, services: Sequence[str], *, counter: str,
                  staff_id: int | None = None) -> Ticket | None:
        """Call the next ticket for a counter serving ``services``; ``None`` if nobody waits."""
        ticket = self._store.call_next(services, counter=counter, staff_id=staff_id)
        if ticket is not None:
            self._called(ticket)
        return ticket

    def call(self, ticket_id: int, *, counter: str, staff_id: int | None = None) -> Ticket:
        """Call a specific ticket out of order."""
        return self._called(self._store.call(ticket_id, counter=counter, staff_id=staff_id))

    def recall(self, ticket_id: int, *, counter: str, staff_id: int | None = None) -> Ticket:
        """Call the same ticket again."""
        return self._called(self._store.act(ticket_id, TicketAction.RECALL, counter=counter,
                                            staff_id=staff_id), recall=True)

    def act(self, ticket_id: int, action: TicketAction, *,
            staff_id: int | None = None) -> Ticket:
        """Serve, finish, mark no-show, hold, resume or cancel a ticket."""
        ticket = self._store.act(ticket_id, action, staff_id=staff_id)
        if ticket.state in _FINAL:
            self._usage.record(TicketFinished(ticket.id, ticket.service, ticket.state.value,
                                              staff_id, _service_seconds(ticket)))
        return ticket

    def transfer(self, ticket_id: int, to_service: str, *, staff_id: int | None = None) -> Ticket:
        """Send a ticket to another service's line; it keeps its place by original wait."""
        before = self._store.get(ticket_id).service
        ticket = self._store.transfer(ticket_id, to_service, staff_id=staff_id)
        self._usage.record(TicketTransferred(ticket.id, before, ticket.service))
        return ticket

    def _called(self, ticket: Ticket, *, recall: bool = False) -> Ticket:
        called = ticket.called_at or ticket.queued_at
        self._usage.record(TicketCalled(ticket.id, ticket.service, counter_label(ticket.counter),
                                        ticket.staff_id,
                                        (called - ticket.queued_at).total_seconds(), recall))
        return ticket

    def board(self, services: Sequence[str] = ()) -> list[BoardLine]:
        """What the waiting-room board shows, per service."""
        codes = list(services) or [info.code for info in self._store.services()]
        lines = []
        for code in codes:
            # Counted in SQL: the board's cost stays flat however many tickets wait.
            waiting, estimate, calling = self._store.board_figures(code)
            lines.append(BoardLine(code, waiting, estimate, calling))
        return lines


    def day_tickets(self) -> list[Ticket]:
        """Every ticket of today in queue order (the public feed's source)."""
        return self._store.tickets()

    def counters(self) -> dict[str, tuple[str, ...]]:
        """Every counter (窓口) with the service codes it calls, for the board's grid."""
        return self._store.counters()

    def service_names(self) -> dict[str, str]:
        """Service code -> its name (窓口業務), for pages that show the lines."""
        return {info.code: info.name for info in self._store.services()}


def _service_seconds(ticket: Ticket) -> float | None:
    """Service time as the store's figures count it: from serving (or the call) to done."""
    start = ticket.serving_at or ticket.called_at
    if ticket.state is not TicketState.DONE or start is None or ticket.finished_at is None:
        return None
    return (ticket.finished_at - start).total_seconds()
