"""Re-emits core events on the GUI thread as a queued Qt signal.

Card monitors, speech and database listeners publish on their own threads; no widget may be
touched from there. A view connects to :attr:`EventBridge.received`, which Qt delivers on the
thread that owns the bridge (the GUI thread).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.events import Event, EventBus, Subscription

__all__ = ["EventBridge"]


class EventBridge(QObject):
    """Forwards every event of ``event_type`` from ``bus`` to the ``received`` signal."""

    received = Signal(object)
    _forward = Signal(object)

    def __init__(self, bus: EventBus, event_type: type[Event] = Event,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued: the emit may come from any thread; delivery happens on ours.
        self._forward.connect(self.received.emit, Qt.ConnectionType.QueuedConnection)
        subscription = bus.subscribe(event_type, self._forward.emit)
        self._subscription: Subscription | None = subscription
        # A page deleted with its parent (the talk page, a closed panel) must leave the bus:
        # else every later event goes to a deleted object. Not a method of self: it is gone.
        self.destroyed.connect(lambda *_: subscription.close())

    def close(self) -> None:
        """Stop forwarding."""
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None
