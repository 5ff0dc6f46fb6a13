""""Your turn is near" and "called" messages to visitors who opted in (e-mail, LINE).

The queue never waits for a notification: :meth:`TurnAlerts.observe` only puts due messages on
an outbox, and a worker thread sends them with a few retries, then gives up. The address is
personal data: it lives in memory only, until the ticket is finished (or the day ends), and
appears in no log, exception or repr.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kiosk.errors import DeviceError
from kiosk.feed.snapshot import PublicTicket
from kiosk.i18n import N_, translator
from kiosk.ports import Notifier

__all__ = ["OptIn", "TurnAlerts"]

_log = logging.getLogger(__name__)
_ADDRESS = {"email": re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}"),
            "line": re.compile(r"U[0-9a-f]{32}")}
SUBJECT = N_("Tome City Hall: your number")
NEAR = N_("Number {ticket} will be called soon. Please come back to the waiting room.")
CALLED = N_("Number {ticket}, please come to counter {counter}.")


@dataclass(frozen=True)
class OptIn:
    """Where a visitor wants to hear of their turn. ``address`` is personal data."""

    channel: str
    address: str = field(repr=False)
    language: str = "ja"


@dataclass(frozen=True)
class _Outgoing:
    ticket_id: int
    channel: str
    address: str = field(repr=False)
    subject: str = field(repr=False)
    text: str = field(repr=False)
    tries: int = 0


class TurnAlerts:
    """Opt-ins by ticket, what is due, and the outbox that sends it.

    Args:
        notifiers: the configured notifiers by channel.
        near_at: "your turn is near" when this many people or fewer are ahead.
        tries: attempts per message before giving up.
        retry_s: pause between attempts.
    """

    def __init__(self, notifiers: Mapping[str, Notifier], *, near_at: int = 3, tries: int = 3,
                 retry_s: float = 5.0) -> None:
        self._notifiers = dict(notifiers)
        self._near_at, self._tries, self._retry = near_at, tries, retry_s
        self._opt_ins: dict[int, OptIn] = {}
        self._sent: set[tuple[int, str]] = set()
        self._lock = threading.Lock()
        self._outbox: queue.Queue[_Outgoing | None] = queue.Queue(maxsize=10_000)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="turn-alerts", daemon=True)
        self.delivered = 0
        self.given_up = 0

    def opt_in(self, ticket_id: int, choice: OptIn) -> bool:
        """Record ``choice`` for ``ticket_id``; ``False`` for an unknown channel or address."""
        pattern = _ADDRESS.get(choice.channel)
        if (choice.channel not in self._notifiers or pattern is None
                or pattern.fullmatch(choice.address) is None):
            return False
        with self._lock:
            self._opt_ins[ticket_id] = choice
        return True

    def observe(self, tickets: Iterable[tuple[int, PublicTicket]]) -> None:
        """Queue what became due for the tickets' states; forget finished tickets' addresses."""
        seen = set()
        for ticket_id, ticket in tickets:
            seen.add(ticket_id)
            with self._lock:
                choice = self._opt_ins.get(ticket_id)
            if choice is None:
                continue
            if ticket.phase == "finished":
                self.forget(ticket_id)
            elif ticket.phase in ("called", "serving"):
                self._due(ticket_id, choice, "called", CALLED, ticket)
            elif ticket.phase == "waiting" and ticket.ahead <= self._near_at:
                self._due(ticket_id, choice, "near", NEAR, ticket)
        with self._lock:
            gone = [ticket_id for ticket_id in self._opt_ins if ticket_id not in seen]
        for ticket_id in gone:      # not in today's queue any more (a new day)
            self.forget(ticket_id)

    def forget(self, ticket_id: int) -> None:
        """Drop the address of ``ticket_id`` (the visit ended)."""
        with self._lock:
            self._opt_ins.pop(ticket_id, None)

    def _due(self, ticket_id: int, choice: OptIn, kind: str, message: str,
             ticket: PublicTicket) -> None:
        with self._lock:
            if (ticket_id, kind) in self._sent:
                return
            self._sent.add((ticket_id, kind))
        tr = translator(choice.language)
        outgoing = _Outgoing(ticket_id, choice.channel, choice.address, tr(SUBJECT),
                             tr(message, ticket=ticket.label, counter=ticket.counter))
        try:
            self._outbox.put_nowait(outgoing)
        except queue.Full:
            _log.warning("turn alerts: outbox full, a message was dropped")

    def start(self) -> None:
        """Start the sending thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the sending thread (messages not yet sent are dropped with their addresses)."""
        self._stop.set()
        self._outbox.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            outgoing = self._outbox.get()
            if outgoing is None:
                return
            self._deliver(outgoing)

    def _deliver(self, outgoing: _Outgoing) -> None:
        notifier = self._notifiers[outgoing.channel]
        for attempt in range(1, self._tries + 1):
            try:
                notifier.send(outgoing.address, outgoing.subject, outgoing.text)
            except DeviceError as exc:
                _log.warning("turn alert via %s failed (try %d): %s", outgoing.channel, attempt,
                             exc.params.get("reason", ""))
                if self._stop.wait(self._retry):
                    return
                continue
            self.delivered += 1
            return
        self.given_up += 1
        _log.warning("turn alert via %s given up after %d tries", outgoing.channel, self._tries)
