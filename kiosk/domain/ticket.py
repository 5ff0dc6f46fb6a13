"""Waiting tickets: their states, the allowed transitions, labels and the estimated wait.

A ticket is numbered per service per day with the service's prefix (``A-001``). It becomes
*issued*, and so enters the queue, only once its slip printed or the citizen chose no slip:
a failed print voids the reservation, so the board never calls a ticket nobody holds.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.events import Event

__all__ = [
    "ALLOWED",
    "WAITING_STATES",
    "QueueChanged",
    "SlipChoice",
    "Ticket",
    "TicketAction",
    "TicketState",
    "estimate_wait_seconds",
    "next_state",
    "ticket_label",
]


class TicketState(enum.StrEnum):
    """Where a ticket is in its life."""

    PENDING = "pending"      # number reserved, slip not yet printed: not in the queue
    ISSUED = "issued"        # waiting to be called
    CALLED = "called"        # called to a counter
    RECALLED = "recalled"    # called again (the citizen did not come at the first call)
    SERVING = "serving"      # at the counter
    HELD = "held"            # set aside (e.g. the citizen fetches a document); returns later
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    VOID = "void"            # the slip failed to print: never counted as issued


class TicketAction(enum.StrEnum):
    """What a clerk or the tablet did to a ticket; each is recorded with time and staff."""

    ISSUE = "issue"
    VOID = "void"
    CALL = "call"
    RECALL = "recall"
    SERVE = "serve"
    FINISH = "finish"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    HOLD = "hold"
    RESUME = "resume"
    CANCEL = "cancel"


class SlipChoice(enum.StrEnum):
    """How the citizen took the ticket: a printed slip or only the number on screen."""

    PRINTED = "printed"
    NO_SLIP = "no_slip"


S, A = TicketState, TicketAction

# (action, from state) -> to state. Anything not listed is refused.
ALLOWED: dict[tuple[TicketAction, TicketState], TicketState] = {
    (A.ISSUE, S.PENDING): S.ISSUED,
    (A.VOID, S.PENDING): S.VOID,
    (A.CALL, S.ISSUED): S.CALLED,
    (A.RECALL, S.CALLED): S.RECALLED,
    (A.RECALL, S.RECALLED): S.RECALLED,
    (A.SERVE, S.CALLED): S.SERVING,
    (A.SERVE, S.RECALLED): S.SERVING,
    (A.FINISH, S.SERVING): S.DONE,
    # Many clerks finish without pressing "start": the call counts as the start of service.
    (A.FINISH, S.CALLED): S.DONE,
    (A.FINISH, S.RECALLED): S.DONE,
    (A.NO_SHOW, S.CALLED): S.NO_SHOW,
    (A.NO_SHOW, S.RECALLED): S.NO_SHOW,
    # A transfer puts the ticket back in the waiting line of another service; it keeps the
    # time it was first issued, so the citizen does not start waiting again from zero.
    (A.TRANSFER, S.ISSUED): S.ISSUED,
    (A.TRANSFER, S.CALLED): S.ISSUED,
    (A.TRANSFER, S.RECALLED): S.ISSUED,
    (A.TRANSFER, S.SERVING): S.ISSUED,
    (A.HOLD, S.ISSUED): S.HELD,
    (A.HOLD, S.CALLED): S.HELD,
    (A.HOLD, S.RECALLED): S.HELD,
    (A.HOLD, S.SERVING): S.HELD,
    (A.RESUME, S.HELD): S.ISSUED,
    (A.RESUME, S.NO_SHOW): S.ISSUED,
    # A call nobody finished (the clerk desk restarted mid-call) goes back to the line.
    (A.RESUME, S.CALLED): S.ISSUED,
    (A.RESUME, S.RECALLED): S.ISSUED,
    (A.RESUME, S.SERVING): S.ISSUED,
    (A.CANCEL, S.ISSUED): S.CANCELLED,
    (A.CANCEL, S.HELD): S.CANCELLED,
}

WAITING_STATES = frozenset({S.ISSUED})
del S, A


def next_state(action: TicketAction, current: TicketState) -> TicketState | None:
    """The state after ``action`` on a ticket in ``current``, or ``None`` when not allowed."""
    return ALLOWED.get((action, current))


def ticket_label(prefix: str, number: int) -> str:
    """The number shown on the slip and the board: ``A-001`` (four digits past 999)."""
    return f"{prefix}-{number:03d}"


@dataclass(frozen=True, slots=True)
class Ticket:
    """One waiting ticket, as stored. Holds no personal data."""

    id: int
    service: str              # service code, e.g. "A"
    day: date
    number: int
    label: str
    state: TicketState
    priority: int             # 0 normal; higher is called first (pregnancy, disability ...)
    queued_at: datetime       # when the wait started; kept across transfers
    counter: str = ""         # the counter that called it, if any
    staff_id: int | None = None
    called_at: datetime | None = None
    serving_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class QueueChanged(Event):
    """Something in the shared queue changed; the clerk view and the board refresh.

    ``service`` is the service code when known, empty when the source cannot tell (SQLite
    polling, or a reconnect after an outage: refresh everything).
    """

    service: str = ""
    ticket_id: int = 0
    state: str = ""


def estimate_wait_seconds(ahead: int, recent_service_seconds: Sequence[float],
                          open_counters: int, default_service_seconds: float) -> int:
    """Estimated wait for a ticket with ``ahead`` tickets before it.

    Uses the median of recent service times (one long case should not frighten everyone)
    and divides by the number of counters currently serving the service.
    """
    if ahead <= 0:
        return 0
    if recent_service_seconds:
        ordered = sorted(recent_service_seconds)
        middle = len(ordered) // 2
        typical = (ordered[middle] if len(ordered) % 2
                   else (ordered[middle - 1] + ordered[middle]) / 2)
    else:
        typical = default_service_seconds
    return round(ahead * typical / max(open_counters, 1))
