"""The seam services record usage through: a one-method protocol and two small recorders."""

from __future__ import annotations

import threading
from typing import Protocol

from kiosk.audit.events import UsageEvent

__all__ = ["NULL_USAGE", "ListUsage", "NullUsage", "UsageRecorder"]


class UsageRecorder(Protocol):
    """Anything that takes usage events: the :class:`~kiosk.audit.usage_log.UsageLog`, or a
    test double."""

    def record(self, event: UsageEvent) -> None:
        """Record ``event``; never raises for a full disk (the log reports that itself)."""
        ...


class NullUsage:
    """Records nothing: the default of services built without a log."""

    def record(self, event: UsageEvent) -> None:
        """Drop ``event``."""


NULL_USAGE = NullUsage()


class ListUsage:
    """Keeps events in memory, in order: for tests of the services and screens."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.events: list[UsageEvent] = []

    def record(self, event: UsageEvent) -> None:
        """Append ``event``."""
        with self._lock:
            self.events.append(event)

    def of(self, kind: type[UsageEvent]) -> list[UsageEvent]:
        """The recorded events of one type."""
        return [event for event in self.events if isinstance(event, kind)]
