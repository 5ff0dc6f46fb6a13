"""Visitors who said on their phone "I have stepped out": the clerk sees who is away."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kiosk.events import Event, EventBus

__all__ = ["SteppedOut", "VisitorAwayChanged"]


@dataclass(frozen=True, slots=True)
class VisitorAwayChanged(Event):
    """A ticket's holder stepped out (``away``) or came back."""

    ticket_id: int
    away: bool


class SteppedOut:
    """The tickets whose holders are away, as the inner side accepted it from the feed."""

    def __init__(self, events: EventBus | None = None) -> None:
        self._events = events
        self._away: set[int] = set()
        self._lock = threading.Lock()

    def set(self, ticket_id: int, away: bool) -> bool:
        """Record the holder of ``ticket_id`` as away or back; whether anything changed."""
        with self._lock:
            changed = (ticket_id in self._away) != away
            (self._away.add if away else self._away.discard)(ticket_id)
        if changed and self._events is not None:
            self._events.publish(VisitorAwayChanged(ticket_id, away))
        return changed

    def is_away(self, ticket_id: int) -> bool:
        """Whether the holder of ``ticket_id`` said they stepped out."""
        with self._lock:
            return ticket_id in self._away
