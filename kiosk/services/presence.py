"""Whether the other device of a counter is there: heard from, and not said goodbye.

The conversation (:class:`kiosk.services.captions.Conversation`) tells a :class:`Presence`
whom it heard from, who left and when its relay's connection dropped; the presence publishes
:class:`PeerPresence` whenever "someone is there" changes, for the screens' indicator.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.events import Event, EventBus

__all__ = ["PeerPresence", "Presence"]


@dataclass(frozen=True, slots=True)
class PeerPresence(Event):
    """Whether the other device of the counter (tablet or clerk PC) is connected."""

    connected: bool


class Presence:
    """The other devices of a counter, by the origin they send under, and when last heard."""

    def __init__(self, events: EventBus) -> None:
        self._events = events
        self._lock = threading.Lock()
        self._peers: dict[str, float] = {}     # origin -> monotonic time last heard from

    @property
    def connected(self) -> bool:
        """Whether any other device has been heard from and not said goodbye."""
        with self._lock:
            return bool(self._peers)

    def heard(self, origin: str) -> None:
        """``origin`` sent something: it is there."""
        self._update(lambda peers: {**peers, origin: time.monotonic()})

    def left(self, origin: str) -> None:
        """``origin`` said goodbye."""
        self._update(lambda peers: {o: t for o, t in peers.items() if o != origin})

    def expire(self, after_s: float) -> None:
        """Forget every device not heard from for ``after_s`` seconds (it crashed or lost its
        network without saying goodbye)."""
        oldest = time.monotonic() - after_s
        self._update(lambda peers: {o: t for o, t in peers.items() if t >= oldest})

    def forget(self) -> None:
        """Nobody is known to be there (this device's link went down, or it stops)."""
        self._update(lambda _peers: {})

    def _update(self, change: Callable[[dict[str, float]], dict[str, float]]) -> None:
        # Read and write under one lock: the in-process relay delivers on callers' threads.
        with self._lock:
            before = bool(self._peers)
            self._peers = change(self._peers)
            after = bool(self._peers)
        if before != after:
            self._events.publish(PeerPresence(after))
