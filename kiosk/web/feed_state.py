"""The web host's memory: the last verified public state, and the feed's receiving end.

Every open page (a server-sent event stream) waits here for the next state. A call must reach
the called phone at once, but a call also changes "people ahead" on every other open ticket
page, and one event loop re-renders and sends them one after the other (2,000 phones: most of
a second on a busy 2-core host). So a new state wakes first the streams it matters most to
(the tickets whose phase or counter changed, and the boards when the calls changed), and then
the rest in batches, one batch per turn of the event loop, so that the next feed message and
page loads are served in between instead of queueing behind the whole fan-out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable

from kiosk.feed.envelope import Opened, ReplayGuard, open_message
from kiosk.feed.snapshot import FeedFormatError, PublicState, parse_state

__all__ = ["BOARD", "FeedState"]

_log = logging.getLogger(__name__)
BOARD = "board"       # what a board's stream watches (token hashes are 64 hex digits)
# Streams woken per turn of the event loop after the urgent ones: a turn then takes some
# 10-40 ms, and the next feed message, whose body is read a chunk per turn, is not held long.
_BATCH = 25


class FeedState:
    """The public state as last received, and who waits for the next one.

    Args:
        key: the feed's HMAC key.
        site: the site this host serves.
        stale_after_s: past this without a verified message, the state is "not available".
        monotonic: the clock of staleness (tests pass their own).
    """

    def __init__(self, key: bytes, site: str, stale_after_s: float,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._key = key
        self.site = site
        self._stale_after = stale_after_s
        self._monotonic = monotonic
        self._guard = ReplayGuard()
        self._state: PublicState | None = None
        self._received = 0.0
        self.version = 0
        self.refused = 0
        self.closing = False
        # Each waiting stream's future and what it watches; insertion order is arrival order.
        self._waiters: dict[asyncio.Future[bool], str] = {}
        self._backlog: deque[asyncio.Future[bool]] = deque()
        self._draining = False

    def receive(self, data: bytes, signature: str) -> str:
        """Take a feed message: ``""`` when accepted, else why it was refused (logged)."""
        opened = open_message(self._key, data, signature, site=self.site, guard=self._guard)
        reason, state = "", None
        if not isinstance(opened, Opened):
            reason = opened.value
        elif opened.kind != "snapshot":
            reason = "unknown_kind"
        else:
            try:
                state = parse_state(opened.body)
            except FeedFormatError:
                reason = "malformed_state"
        if state is None:
            self.refused += 1
            # The reason only: a forged message's content is nobody's business in a log.
            _log.warning("feed message refused: %s", reason)
            return reason
        previous, self._state = self.current(), state
        self._received = self._monotonic()
        self._notify(_urgent(previous, state))
        return ""

    def current(self) -> PublicState | None:
        """The state, or ``None`` when none arrived or the feed went quiet (outage)."""
        if self._state is None or self._monotonic() - self._received > self._stale_after:
            return None
        return self._state

    async def changed(self, timeout: float, watch: str = "") -> bool:
        """Wait for the next accepted state (``True``) or ``timeout`` seconds (``False``).

        ``watch``: a ticket's token hash, or :data:`BOARD`; such a stream is woken before
        the others when that ticket's phase or counter changes (or the calls, for a board).
        """
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiters[waiter] = watch
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except TimeoutError:
            return False
        finally:
            self._waiters.pop(waiter, None)

    @property
    def streams(self) -> int:
        """How many streams wait for the next state."""
        return len(self._waiters)

    def close(self) -> None:
        """End every live stream (the server stops): they return at their next wake-up."""
        self.closing = True
        self._backlog.clear()
        for waiter in list(self._waiters):
            _wake(waiter)

    def _notify(self, urgent: frozenset[str] | None) -> None:
        self.version += 1
        later: deque[asyncio.Future[bool]] = deque()
        for waiter, watch in self._waiters.items():
            if urgent is None or watch in urgent:
                _wake(waiter)
            else:
                later.append(waiter)
        # Replaces any backlog of the previous state: whoever still waits is in ``later``
        # (in arrival order) and will render this newer state instead.
        self._backlog = later
        if later and not self._draining:
            self._draining = True
            later[0].get_loop().call_soon(self._drain)

    def _drain(self) -> None:
        for _ in range(min(_BATCH, len(self._backlog))):
            _wake(self._backlog.popleft())
        if self._backlog:
            # The woken streams run on the loop's next turn, after it has polled the sockets;
            # the next batch only after them.
            self._backlog[0].get_loop().call_soon(self._drain)
        else:
            self._draining = False


def _wake(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():       # timed out or already woken: nothing to do
        waiter.set_result(True)


def _urgent(before: PublicState | None, after: PublicState) -> frozenset[str] | None:
    """What the new state changed for someone waiting to be called; ``None``: everything
    (there was no state to compare with)."""
    if before is None:
        return None
    changed = {key for key, ticket in after.tickets.items()
               if (old := before.tickets.get(key)) is None
               or (old.phase, old.counter) != (ticket.phase, ticket.counter)}
    if after.calls != before.calls:
        changed.add(BOARD)
    return frozenset(changed)
