"""Live queue updates as core events, from a background thread.

PostgreSQL: a trigger on ``tickets`` sends ``NOTIFY kiosk_queue`` with the service, ticket and
state on every commit; this listener ``LISTEN``s on its own connection. SQLite has no
notifications: the listener polls ``PRAGMA data_version`` (it changes whenever another
connection commits) ten times a second: cheap, it reads no table, and a call reaches the board
and the web feed within 0.1 s, a small part of the phone's 1 s.

Either way it publishes :class:`kiosk.domain.ticket.QueueChanged` on the event bus; the clerk
view and the board refresh from it within a second without polling in the UI. After a lost
connection it reconnects and publishes one ``QueueChanged()`` so screens refresh everything.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from sqlalchemy import Engine

from kiosk.domain.ticket import QueueChanged
from kiosk.events import EventBus
from kiosk.storage.engine import is_sqlite

__all__ = ["QueueListener"]

_log = logging.getLogger(__name__)
CHANNEL = "kiosk_queue"


class QueueListener:
    """Publishes :class:`QueueChanged` for changes other devices (and this one) commit."""

    def __init__(self, engine: Engine, events: EventBus, *, poll_seconds: float = 0.1) -> None:
        self._engine = engine
        self._events = events
        self._poll = poll_seconds
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._reconnecting = False

    def start(self) -> None:
        """Start listening; returns once the listener is subscribed (or has failed once)."""
        target = self._run_sqlite if is_sqlite(self._engine) else self._run_postgres
        self._thread = threading.Thread(target=self._loop, args=(target,),
                                        name="queue-listener", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)

    def stop(self) -> None:
        """Stop the thread and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self, run: Any) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            try:
                run()
                backoff = 0.2
            except Exception as exc:  # any driver error: reconnect, never die silently
                _log.warning("queue listener lost its connection (%s); retrying",
                             type(exc).__name__)
                self._ready.set()
                self._reconnecting = True
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 2.0)

    def _subscribed(self) -> None:
        """Called once listening works; after a reconnect, screens must refresh everything."""
        self._ready.set()
        if self._reconnecting:
            self._reconnecting = False
            # The pooled connections of this device died with ours: drop them now rather than
            # let the clerk's next click find out.
            self._engine.dispose()
            self._events.publish(QueueChanged())   # changes while we were away were missed

    def _run_sqlite(self) -> None:
        with self._engine.connect() as connection:
            last = connection.exec_driver_sql("PRAGMA data_version").scalar()
            connection.rollback()
            self._subscribed()
            while not self._stop.wait(self._poll):
                version = connection.exec_driver_sql("PRAGMA data_version").scalar()
                # End the read transaction: a held snapshot would hide other writers.
                connection.rollback()
                if version != last:
                    last = version
                    self._events.publish(QueueChanged())

    def _run_postgres(self) -> None:
        # Imported here: a device on SQLite never needs the driver, and the tablet's start
        # does not wait for it (issue 18).
        import psycopg  # noqa: PLC0415

        url = self._engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self._subscribed()
            while not self._stop.is_set():
                for notify in connection.notifies(timeout=self._poll):
                    self._publish(notify.payload)

    def _publish(self, payload: str) -> None:
        try:
            data = json.loads(payload)
            event = QueueChanged(service=str(data.get("service") or ""),
                                 ticket_id=int(data.get("ticket") or 0),
                                 state=str(data.get("state") or ""))
        except (ValueError, TypeError, AttributeError):
            event = QueueChanged()
        self._events.publish(event)
