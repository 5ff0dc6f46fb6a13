"""Thread-agnostic events that the core publishes and the front ends subscribe to.

Device adapters (card monitor, speech, audio) and storage listeners run on their own threads.
They never touch a widget: they publish an :class:`Event` here, and ``kiosk.ui.common``
re-emits it as a queued Qt signal on the GUI thread. Handlers run synchronously in the
publishing thread, so a handler must be quick and must not block.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["Event", "EventBus", "Subscription"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Event:
    """Base class of every event. Subclasses are frozen dataclasses without personal data."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]


class Subscription:
    """A handle returned by :meth:`EventBus.subscribe`; call :meth:`close` to stop receiving."""

    def __init__(self, bus: EventBus, event_type: type[Event], handler: Handler) -> None:
        self._bus = bus
        self._event_type = event_type
        self._handler = handler

    def close(self) -> None:
        """Stop delivering events to the handler. Closing twice is harmless."""
        self._bus._remove(self._event_type, self._handler)


class EventBus:
    """A small publish/subscribe hub, safe to use from any thread.

    A handler subscribed to a class receives instances of that class and of its subclasses.
    A handler that raises is logged and does not stop delivery to the others: one broken
    screen must not silence the card monitor.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: dict[type[Event], list[Handler]] = {}

    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> Subscription:
        """Call ``handler(event)`` for every published event of ``event_type``."""
        with self._lock:
            self._handlers.setdefault(event_type, []).append(handler)
        return Subscription(self, event_type, handler)

    def publish(self, event: Event) -> None:
        """Deliver ``event`` to every matching handler, in subscription order."""
        with self._lock:
            targets = [
                handler
                for event_type, handlers in self._handlers.items()
                if isinstance(event, event_type)
                for handler in handlers
            ]
        for handler in targets:
            try:
                handler(event)
            except Exception:
                # Log the type only: an event's fields are safe, but a handler's locals may not be.
                _log.exception("event handler failed for %s", type(event).__name__)

    def _remove(self, event_type: type[Event], handler: Handler) -> None:
        with self._lock:
            handlers = self._handlers.get(event_type, [])
            if handler in handlers:
                handlers.remove(handler)
