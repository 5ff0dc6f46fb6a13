"""Remote tickets (リモート窓口): a branch counter asks the main office for a specialist.

Pure data. A remote ticket names the service, the visitor's language and the branch; never a
person. ``call_id`` names the call on the signalling channel (the sealed PostgreSQL relay):
random, so another counter cannot join a call by guessing it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

__all__ = ["RemoteTicket", "RemoteTicketState"]


class RemoteTicketState(enum.StrEnum):
    """Where a remote ticket is in its life."""

    REQUESTED = "requested"      # waiting at the main office's clerk desks
    ACCEPTED = "accepted"        # a specialist took it: the call is on
    ENDED = "ended"              # the call ended
    CANCELLED = "cancelled"      # the branch withdrew it before anyone accepted


@dataclass(frozen=True, slots=True)
class RemoteTicket:
    """One request for a specialist, as the shared database keeps it."""

    id: int
    service: str                 # service code (the queue's)
    branch: str                  # the branch counter's configured name (総合支所)
    language: str                # the visitor's language code
    state: RemoteTicketState
    call_id: str
    requested_at: datetime
    accepted_at: datetime | None = None
    ended_at: datetime | None = None
    staff_id: int | None = None  # the specialist who accepted
    visit_ticket_id: int | None = None  # the visitor's queue ticket at the branch (its applications)

    @property
    def minutes(self) -> float:
        """Minutes the call lasted (accepted to ended); 0 before it ended."""
        if self.accepted_at is None or self.ended_at is None:
            return 0.0
        return round((self.ended_at - self.accepted_at).total_seconds() / 60, 2)
