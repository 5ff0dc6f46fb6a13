"""Whether the other device of a counter is there: heard from, and not said goodbye.

A :class:`CounterLink` is a device's end of the counter's relay
(:class:`~kiosk.ports.ConversationRelay`): it says hello and goodbye, answers the relay's
heartbeats and link changes, drops its own echo and malformed messages, and hands every other
message (typed, :mod:`kiosk.domain.counter_messages`) to its receiver, the conversation
(:class:`kiosk.services.conversation.Conversation`). It tells a :class:`Presence` whom it heard
from, who left and when the relay's connection dropped; the presence publishes
:class:`PeerPresence` whenever "someone is there" changes, for the screens' indicator.
:class:`LocalRelay` is the relay inside one process (the demo, embedded SQLite).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.domain.counter_messages import (
    Bye,
    Heartbeat,
    Hello,
    Here,
    LinkChanged,
    RelayMessage,
    from_wire,
    to_wire,
)
from kiosk.events import Event, EventBus
from kiosk.ports import ConversationRelay, RelayHandler

__all__ = ["CounterLink", "LocalRelay", "PeerPresence", "Presence"]

_log = logging.getLogger(__name__)


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


class LocalRelay:
    """The relay inside one process (demo, embedded SQLite): delivers synchronously."""

    shared = False

    def __init__(self) -> None:
        self._handlers: list[RelayHandler] = []
        self._lock = threading.Lock()

    def publish(self, message: Mapping[str, Any]) -> None:
        """Hand ``message`` to every subscriber, on the caller's thread."""
        with self._lock:
            handlers = list(self._handlers)
        for handler in handlers:
            handler(dict(message))

    def subscribe(self, handler: RelayHandler) -> None:
        """Add ``handler``."""
        with self._lock:
            self._handlers.append(handler)

    def start(self) -> None:
        """Nothing to start."""

    def close(self) -> None:
        """Nothing is ever pending; the subscribers (one process) stay."""


class CounterLink:
    """This device's end of the counter's relay, and who is at the other end.

    Args:
        relay: carries the messages to the other device of the counter.
        events: where :class:`PeerPresence` is published.
        receive: gets each message of the other device but hello, here and goodbye (on the
            relay's thread); a ``KeyError``, ``TypeError`` or ``ValueError`` it raises drops
            the message.
    """

    def __init__(self, relay: ConversationRelay, events: EventBus,
                 receive: Callable[[RelayMessage], None]) -> None:
        self._relay = relay
        self._receive = receive
        # Names this process in the relay: every relay hands a sender its own messages back.
        self.origin = uuid.uuid4().hex
        self.presence = Presence(events)
        relay.subscribe(self._on_message)

    @property
    def shared(self) -> bool:
        """Whether the messages travel to another device (tablet <-> clerk PC)."""
        return self._relay.shared

    @property
    def connected(self) -> bool:
        """Whether the other device of the counter has been heard from and not said goodbye."""
        return self.presence.connected

    def start(self) -> None:
        """Connect to the other device of the counter and say hello (a background job)."""
        self._relay.start()
        self.send(Hello(self.origin))

    def stop(self) -> None:
        """Say goodbye and stop relaying (the device shuts down)."""
        self.send(Bye(self.origin))
        self._relay.close()
        self.presence.forget()

    def send(self, message: RelayMessage) -> None:
        """Send ``message`` (made with :attr:`origin`) to the other device."""
        self._relay.publish(to_wire(message))

    def _on_message(self, wire: Mapping[str, Any]) -> None:
        try:
            message = from_wire(wire)
            if isinstance(message, LinkChanged | Heartbeat):   # from this device's relay
                self._on_relay_state(message)
                return
            if message.origin == self.origin:
                return
            if isinstance(message, Bye):
                self.presence.left(message.origin)
                return
            self.presence.heard(message.origin)
            if isinstance(message, Hello):
                self.send(Here(self.origin))
            elif not isinstance(message, Here):     # Here: presence only
                self._receive(message)
        except (KeyError, TypeError, ValueError) as exc:
            # The message is not shown: it may hold what was said.
            _log.warning("conversation: a relayed message was dropped (%s)", type(exc).__name__)

    def _on_relay_state(self, message: LinkChanged | Heartbeat) -> None:
        if isinstance(message, Heartbeat):
            # A heartbeat: say we are here, and forget a device not heard from for a while.
            self.send(Here(self.origin))
            self.presence.expire(message.expire_s)
        elif message.up:
            self.send(Hello(self.origin))    # messages were missed: ask who is there
        else:
            self.presence.forget()
