"""The web host's memory: the last verified public state, and the feed's receiving end."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from kiosk.feed.envelope import Opened, ReplayGuard, open_message
from kiosk.feed.snapshot import FeedFormatError, PublicState, parse_state

__all__ = ["FeedState"]

_log = logging.getLogger(__name__)


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
        self._changed = asyncio.Event()

    def receive(self, data: bytes, signature: str) -> str:
        """Take a feed message: ``""`` when accepted, else why it was refused (logged)."""
        opened = open_message(self._key, data, signature, site=self.site, guard=self._guard)
        reason = ""
        if not isinstance(opened, Opened):
            reason = opened.value
        elif opened.kind != "snapshot":
            reason = "unknown_kind"
        else:
            try:
                self._state = parse_state(opened.body)
            except FeedFormatError:
                reason = "malformed_state"
        if reason:
            self.refused += 1
            # The reason only: a forged message's content is nobody's business in a log.
            _log.warning("feed message refused: %s", reason)
            return reason
        self._received = self._monotonic()
        self._notify()
        return ""

    def current(self) -> PublicState | None:
        """The state, or ``None`` when none arrived or the feed went quiet (outage)."""
        if self._state is None or self._monotonic() - self._received > self._stale_after:
            return None
        return self._state

    async def changed(self, timeout: float) -> None:
        """Wait until the next accepted state, at most ``timeout`` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def close(self) -> None:
        """End every live stream (the server stops): they return at their next wake-up."""
        self.closing = True
        self._changed.set()

    def _notify(self) -> None:
        self.version += 1
        # Wake every waiting stream once, then start a fresh event for the next change.
        event, self._changed = self._changed, asyncio.Event()
        event.set()
