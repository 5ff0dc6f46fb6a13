"""A thread that watches the configured reader with ``SCardGetStatusChange``.

pyscard's ``CardMonitor`` is not used: its thread dies silently when pcscd restarts
(pyscard #82), and a kiosk whose card slot went deaf until reboot is worse than none. This
monitor polls with a short timeout, publishes :class:`CardInserted`/:class:`CardWithdrawn`,
publishes :class:`CardReaderLost` when the service or the reader goes away, keeps trying to
reconnect, and publishes :class:`CardReaderRecovered` when it is back. Handlers run on this
thread; the UI re-emits them as queued Qt signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from smartcard import scard

from devices.smartcard.pcsc_transport import choose_reader
from kiosk.domain.identity import (
    CardInserted,
    CardReaderLost,
    CardReaderRecovered,
    CardWithdrawn,
    NoReaderError,
)
from kiosk.events import Event

__all__ = ["ReaderMonitor"]

_log = logging.getLogger(__name__)


class _LostError(Exception):
    """The context or the reader is gone; reconnect."""


class ReaderMonitor:
    """Watches one reader on its own thread.

    Args:
        wanted: substring of the reader name (``[card] reader``).
        publish: called with each event, on the monitor thread (e.g. ``EventBus.publish``).
        poll_s: how long one ``SCardGetStatusChange`` waits; bounds the reaction to stop().
        retry_s: pause between reconnection attempts while the service is down.
    """

    def __init__(self, wanted: str, publish: Callable[[Event], None], *, poll_s: float = 0.2,
                 retry_s: float = 0.3) -> None:
        self.wanted = wanted
        self._publish = publish
        self._poll_ms = int(poll_s * 1000)
        self._retry_s = retry_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.present = False
        self.lost = False
        self.reader = ""

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="card-monitor", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._watch()
            except _LostError:
                self._mark_lost()
            except Exception:
                # Never die silently: log the type, report the reader lost, and try again.
                _log.exception("card monitor failed; restarting it")
                self._mark_lost()
            self._stop.wait(self._retry_s)

    def _mark_lost(self) -> None:
        if not self.lost:
            self.lost = True
            _log.warning("card reader lost: %s", self.reader or self.wanted)
            self._publish(CardReaderLost(self.reader or self.wanted))
        if self.present:
            self.present = False
            self._publish(CardWithdrawn(self.reader or self.wanted))

    def _watch(self) -> None:
        result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if result != scard.SCARD_S_SUCCESS:
            raise _LostError
        try:
            self._watch_reader(context, self._find_reader(context))
        finally:
            scard.SCardReleaseContext(context)

    def _find_reader(self, context: Any) -> str:
        result, names = scard.SCardListReaders(context, [])
        if result != scard.SCARD_S_SUCCESS:
            raise _LostError
        try:
            self.reader = choose_reader(list(names), self.wanted)
        except NoReaderError as exc:
            raise _LostError from exc
        return self.reader

    def _watch_reader(self, context: Any, reader: str) -> None:
        state = scard.SCARD_STATE_UNAWARE
        while not self._stop.is_set():
            result, states = scard.SCardGetStatusChange(context, self._poll_ms, [(reader, state)])
            if result == scard.SCARD_E_TIMEOUT:
                continue
            if result != scard.SCARD_S_SUCCESS:
                raise _LostError
            _, event_state, _ = states[0]
            if event_state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
                raise _LostError
            if self.lost:
                self.lost = False
                _log.warning("card reader recovered: %s", reader)
                self._publish(CardReaderRecovered(reader))
            self._update(reader, bool(event_state & scard.SCARD_STATE_PRESENT))
            state = event_state & ~scard.SCARD_STATE_CHANGED

    def _update(self, reader: str, present: bool) -> None:
        if present == self.present:
            return
        self.present = present
        self._publish(CardInserted(reader) if present else CardWithdrawn(reader))
