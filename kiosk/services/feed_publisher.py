"""The inner side of the public feed: publish the queue's anonymous state, pull phones' messages.

Runs on one inner host (the demo, or the clerk PC / server IT names with ``[web] feed_url``).
Every ``publish_interval_s`` — and at once when the queue changes — it builds the public state
through the queue's use cases and POSTs it, signed and sequenced, to the web host. Then it pulls
what phones sent ("I have stepped out"), checks each message again against today's tickets and
applies it through a use case. A slow or absent web host is logged and retried; it never blocks
the queue, which only ever hands this thread read-only figures.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime

from kiosk.domain.ticket import Ticket, TicketState
from kiosk.errors import StorageError
from kiosk.feed.envelope import (
    SIGNATURE_HEADER,
    Opened,
    ReplayGuard,
    Sequencer,
    open_message,
    seal_message,
    sign,
)
from kiosk.feed.http_transport import FeedTransport, TransportError
from kiosk.feed.snapshot import (
    HOURS,
    PublicCall,
    PublicReservation,
    PublicService,
    PublicSlot,
    PublicState,
    PublicTicket,
)
from kiosk.feed.tokens import TicketLinks, token_hash
from kiosk.i18n import LANGUAGES
from kiosk.ports import Clock
from kiosk.services.queue import BoardLine, QueueService
from kiosk.services.reservations import ReservationDesk
from kiosk.services.stepped_out import SteppedOut
from kiosk.services.turn_alerts import OptIn, TurnAlerts

__all__ = [
    "FeedPublisher",
    "PublicReservations",
    "PublicView",
    "build_public_state",
    "inbox_request_headers",
    "public_reservations",
]

_log = logging.getLogger(__name__)

_PHASE = {
    TicketState.ISSUED: "waiting", TicketState.CALLED: "called",
    TicketState.RECALLED: "called", TicketState.SERVING: "serving", TicketState.HELD: "held",
    TicketState.DONE: "finished", TicketState.NO_SHOW: "finished",
    TicketState.CANCELLED: "finished",
}
_CALLED = (TicketState.CALLED, TicketState.RECALLED, TicketState.SERVING, TicketState.DONE)
_RECENT_CALLS = 6
_HEARTBEAT_S = 5.0
_MIN_GAP_S = 0.1
_RESERVATIONS_EVERY_S = 2.0
INBOX_TIME_HEADER = "X-Kiosk-Feed-Time"
# A refused booking goes back on the feed only in the feed's own shapes.
_PUBLIC_REFUSAL = re.compile(r"[0-9a-f]{64} [A-Za-z0-9_]{1,16} \d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class PublicView:
    """The state as published, with the inner side's map from token hash to ticket id."""

    def __init__(self, state: PublicState, ids: dict[str, int]) -> None:
        self.state = state
        self.ids = ids


def build_public_state(queue: QueueService, links: TicketLinks, site: str, clock: Clock,
                       away: SteppedOut | None = None,
                       reserved: PublicReservations = ((), {}),
                       hashes: dict[tuple[int, date], str] | None = None) -> PublicView:
    """Today's public state, from the queue's use cases (figures only, nothing personal);
    ``reserved``: the bookable slots and the reservations (:func:`public_reservations`);
    ``hashes``: the token hashes worked out in earlier rounds (a ticket's never changes)."""
    known = {} if hashes is None else hashes
    now = clock.now()
    tickets = queue.day_tickets()
    lines = {line.service: line for line in queue.board()}
    names = queue.service_names()
    services = tuple(PublicService(code, names.get(code, code), line.waiting,
                                   line.estimated_wait_seconds, _hourly(tickets, code, now))
                     for code, line in lines.items())
    public, ids = {}, {}
    ahead: dict[str, int] = {}
    for ticket in tickets:
        phase = _PHASE.get(ticket.state)
        if phase is None:
            continue        # pending or void: nobody holds it
        h = known.get((ticket.id, ticket.day), "")
        if not h:
            h = known[ticket.id, ticket.day] = token_hash(links.token(ticket.id, ticket.day))
        position = ahead.get(ticket.service, 0)
        if ticket.state is TicketState.ISSUED:
            ahead[ticket.service] = position + 1   # tickets() is in queue order
        public[h] = PublicTicket(
            ticket.label, ticket.service, phase,
            position if phase == "waiting" else 0,
            _wait(lines.get(ticket.service), position) if phase == "waiting" else 0,
            ticket.counter if phase in ("called", "serving") else "",
            away is not None and away.is_away(ticket.id))
        ids[h] = ticket.id
    return PublicView(PublicState(site, now.date(), services, _calls(tickets), public,
                                  *reserved), ids)


PublicReservations = tuple[tuple[PublicSlot, ...], dict[str, PublicReservation]]


def public_reservations(desk: ReservationDesk, links: TicketLinks,
                        refused: dict[str, tuple[str, str]]) -> PublicReservations:
    """The bookable slots and the reservations by their links' hashes (``refused``: bookings
    the inner side turned down, so that their pages can say so)."""
    slots = tuple(PublicSlot(s.service, s.slot, s.free) for s in desk.open_slots())
    found = {h: PublicReservation(service, slot, "refused") for h, (service, slot)
             in refused.items()}
    for h, (service, slot, state, ticket_id) in desk.public_states().items():
        ticket = "" if ticket_id is None else token_hash(
            links.token(ticket_id, date.fromisoformat(slot[:10])))
        found[h] = PublicReservation(service, slot, state, ticket)
    return slots, found


def _wait(line: BoardLine | None, ahead: int) -> int:
    # The line's estimate is for a ticket behind every waiting one; it grows with the people
    # ahead (kiosk.domain.ticket.estimate_wait_seconds), so scale it to this ticket's place.
    if line is None or line.waiting == 0:
        return 0
    return round(line.estimated_wait_seconds * ahead / line.waiting)


def _hourly(tickets: Sequence[Ticket], code: str, now: datetime) -> tuple[int, ...]:
    counts = [0] * HOURS
    for ticket in tickets:
        if ticket.service == code and ticket.state in _PHASE:
            # The store hands times back in UTC: the hours on the page are the city's own.
            counts[ticket.queued_at.astimezone(now.tzinfo).hour] += 1
    return tuple(counts)


def _calls(tickets: Sequence[Ticket]) -> tuple[PublicCall, ...]:
    called = sorted((t for t in tickets if t.state in _CALLED and t.called_at is not None),
                    key=lambda t: t.called_at or datetime.min, reverse=True)
    return tuple(PublicCall(t.label, t.counter, t.service) for t in called[:_RECENT_CALLS])


def inbox_request_headers(key: bytes, after: int, now: float | None = None) -> dict[str, str]:
    """Headers that prove an inbox pull comes from the holder of the feed key."""
    stamp = f"{time.time() if now is None else now:.3f}"
    return {INBOX_TIME_HEADER: stamp,
            SIGNATURE_HEADER: sign(key, f"inbox|{after}|{stamp}".encode())}


class FeedPublisher:
    """Publishes the public state and applies phones' messages; a background thread.

    Args:
        queue: the queue's use cases (read-only here, apart from "stepped out").
        links: derives the token hashes the web host knows tickets by.
        key: the feed's HMAC key.
        site: the site name both sides agree on.
        transport: the connection to the web host.
        clock: today's date.
        away: where "I have stepped out" is recorded.
        interval_s: how often the queue is looked at.
        alerts: "your turn is near" notifications, when configured.
    """

    def __init__(self, queue: QueueService, links: TicketLinks, key: bytes, site: str,
                 transport: FeedTransport, clock: Clock, away: SteppedOut,
                 interval_s: float = 1.0, alerts: TurnAlerts | None = None,
                 reservations: ReservationDesk | None = None) -> None:
        self._alerts = alerts
        self._desk = reservations
        self._refused: dict[str, tuple[str, str]] = {}   # refused bookings, by link hash
        self._languages = frozenset(code.code for code in LANGUAGES)
        self._links = links
        self._reserved: PublicReservations = ((), {})
        self._reserved_at = -_RESERVATIONS_EVERY_S       # refreshed on the first round
        self._hashes: dict[tuple[int, date], str] = {}
        self._build: Callable[[], PublicView] = lambda: build_public_state(
            queue, links, site, clock, away, self._reservations(), self._hashes)
        self._key, self._site, self._transport = key, site, transport
        self._clock = clock
        self._away = away
        self._interval = interval_s
        self._sequencer = Sequencer()
        self._inbox_guard = ReplayGuard()
        self._inbox_after = 0
        self._last_body = ""
        self._last_sent = 0.0
        self._pulled = -interval_s      # the first round pulls
        self._built_in = 0.0            # how long the last state took to build
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="feed-publisher", daemon=True)
        self.delivered = 0        # messages the web host accepted (for doctor and tests)

    def _reservations(self) -> PublicReservations:
        # The slots and reservations change seldom (a booking here, a check-in at a tablet):
        # read them every few seconds, not on every queue change, and at once after a booking.
        if self._desk is None:
            return (), {}
        if time.monotonic() - self._reserved_at >= _RESERVATIONS_EVERY_S:
            self._reserved = public_reservations(self._desk, self._links, self._refused)
            self._reserved_at = time.monotonic()
        return self._reserved

    def wake(self, _event: object = None) -> None:
        """Publish soon (a queue change): called from any thread, never blocks."""
        self._wake.set()

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop and wait for the thread."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            # A round woken by a call goes out without also waiting for the pull, which
            # ("I have stepped out", bookings) is done once per interval.
            due = started - self._pulled >= self._interval
            if due:
                self._pulled = started
            self.tick(pull=due)
            ended = time.monotonic()
            # A busy queue wakes this thread on every change. Rest at least as long as the
            # state took to build (and _MIN_GAP_S): the publisher takes at most half of this
            # host's time however large the day, so tablets and clerks never compete with a
            # stream of rebuilds, while a call after a quiet moment goes out at once. (Not
            # the whole round: waiting on a busy web host's answer costs this host nothing.)
            self._stop.wait(max(_MIN_GAP_S, self._built_in))
            self._wake.wait(max(0.0, self._interval - (time.monotonic() - ended)))
            self._wake.clear()

    def tick(self, *, pull: bool = True) -> None:
        """One round: publish when the state changed (or as a heartbeat), then pull."""
        try:
            if self._hashes and next(iter(self._hashes))[1] != self._clock.now().date():
                self._hashes.clear()       # a new day: yesterday's tickets are gone
            building = time.monotonic()
            view = self._build()
            self._built_in = time.monotonic() - building
            if self._alerts is not None:   # only queues: sending is the alerts' own thread
                self._alerts.observe((view.ids[h], t) for h, t in view.state.tickets.items())
            self.publish(view)
            if pull:
                self.pull(view)
        except (TransportError, StorageError) as exc:
            _log.warning("feed: %s", type(exc).__name__)
        except Exception:
            _log.exception("feed round failed")

    def publish(self, view: PublicView) -> bool:
        """POST the state when it changed or the heartbeat is due; whether it was accepted."""
        state = view.state.to_json()        # once: 2,000 tickets take a while
        body = json.dumps(state, sort_keys=True)
        if body == self._last_body and time.monotonic() - self._last_sent < _HEARTBEAT_S:
            return True
        data, signature = seal_message(self._key, self._site, self._sequencer.next(),
                                       "snapshot", state)
        status = self._transport.post("/feed", data, {SIGNATURE_HEADER: signature})
        if status != 204:
            _log.warning("feed: the web host refused the state (HTTP %s)", status)
            return False
        self._last_body, self._last_sent = body, time.monotonic()
        self.delivered += 1
        return True

    def pull(self, view: PublicView) -> int:
        """Fetch the phones' messages, check each again and apply it; how many applied."""
        data, signature = self._transport.get(
            f"/feed/inbox?after={self._inbox_after}",
            inbox_request_headers(self._key, self._inbox_after))
        opened = open_message(self._key, data, signature, site=self._site,
                              guard=self._inbox_guard)
        if not isinstance(opened, Opened) or opened.kind != "inbox":
            _log.warning("feed: inbox answer refused (%s)", opened if not isinstance(
                opened, Opened) else "kind")
            return 0
        messages = opened.body if isinstance(opened.body, list) else []
        applied = 0
        for message in messages:
            applied += self._apply(message, view)
        return applied

    def _apply(self, message: object, view: PublicView) -> int:
        if not isinstance(message, dict):
            return 0
        number = message.get("id")
        if isinstance(number, int) and number > self._inbox_after:
            self._inbox_after = number
        if message.get("kind") in ("reserve", "cancel"):
            applied = self._apply_reservation(message)
            if not applied:
                _log.warning("feed: a phone's reservation message was refused on the inner side")
            return int(applied)
        ticket_id = view.ids.get(str(message.get("token_hash", "")))
        # Checked again here: the web host's word is not trusted on its own.
        applied = ticket_id is not None and (
            self._apply_away(ticket_id, message) if message.get("kind") == "away"
            else self._apply_notify(ticket_id, message) if message.get("kind") == "notify"
            else False)
        if not applied:
            _log.warning("feed: a phone's message was refused on the inner side")
        return int(applied)

    def _apply_reservation(self, message: dict[str, object]) -> bool:
        # Checked again by the desk: the plan, the slot's places left, the link's shape.
        if self._desk is None:
            return False
        link = str(message.get("token_hash", ""))
        if message.get("kind") == "cancel":
            done = self._desk.cancel(link)
        else:
            service, slot = str(message.get("service", "")), str(message.get("slot", ""))
            done = self._desk.book(link, service, slot)
            if not done and len(self._refused) < 1000 and _PUBLIC_REFUSAL.fullmatch(
                    f"{link} {service} {slot}"):
                self._refused[link] = (service, slot)   # the link's page says "not booked"
        self._reserved_at = -_RESERVATIONS_EVERY_S       # its page learns the outcome next round
        if done:
            self.wake()
        return done

    def _apply_away(self, ticket_id: int, message: dict[str, object]) -> bool:
        away = message.get("away")
        if not isinstance(away, bool):
            return False
        if self._away.set(ticket_id, away):
            self.wake()
        return True

    def _apply_notify(self, ticket_id: int, message: dict[str, object]) -> bool:
        language = str(message.get("language", ""))
        return self._alerts is not None and self._alerts.opt_in(ticket_id, OptIn(
            str(message.get("channel", "")), str(message.get("address", "")),
            language if language in self._languages else "ja"))
