"""Driver connections kept for writes that are one statement each, outside SQLAlchemy's pool.

The queue's writes on PostgreSQL are each one statement in autocommit (see
:func:`kiosk.storage.engine.one_statement`): no transaction to begin, to reset or to end. Going
through SQLAlchemy's pool still cost each of them its checkout and checkin (events, the
connection's record, the reset on return): with 32 devices on two cores, about 140 µs of client
CPU per write, more than psycopg's own work for it. :class:`KeptConnections` hands out the
driver's connections themselves, and keeps what the pool kept for these writes:

- the most recently used connection first (its server process is warm);
- a connection idle for a while is pinged before use, and replaced if the server is gone;
- a broken connection, or one left inside a transaction, is closed, never handed out again;
- no more than ``keep`` are kept; closing closes them all;
- a forked child never uses its parent's connections (it opens its own; the driver does not
  close a parent's connection from a child).
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from psycopg.pq import TransactionStatus

__all__ = ["KeptConnections"]


class KeptConnections:
    """Open driver connections (psycopg), handed out one at a time and kept when given back."""

    def __init__(self, connect: Callable[[], Any], *, keep: int,
                 ping: Callable[[Any], object], ping_after_s: float) -> None:
        self._connect = connect
        self._keep = keep
        self._ping = ping
        self._ping_after_s = ping_after_s
        # (connection, idle since): appended and popped at the right, from any thread.
        self._idle: deque[tuple[Any, float]] = deque()
        self._pid = os.getpid()
        self._closed = False
        self._lock = threading.Lock()

    def take(self) -> Any:
        """An open connection: a kept one (pinged if idle for long), or a new one.

        Raises the driver's error when a new connection cannot be made.
        """
        if os.getpid() != self._pid:
            self._forget_parents()
        while True:
            try:
                connection, idle_since = self._idle.pop()
            except IndexError:
                return self._connect()
            if time.monotonic() - idle_since < self._ping_after_s:
                return connection
            try:
                self._ping(connection)
            except Exception:
                # The server restarted or the LAN dropped it: try the next, or a new one.
                connection.close()
                continue
            return connection

    def give_back(self, connection: Any) -> None:
        """Keep ``connection`` for the next write, unless it is unfit or enough are kept."""
        if os.getpid() != self._pid:
            return      # taken before a fork: the parent's to close, not this child's
        unfit = (connection.closed or connection.broken
                 or connection.info.transaction_status != TransactionStatus.IDLE)
        if unfit or self._closed or len(self._idle) >= self._keep:
            connection.close()
            return
        self._idle.append((connection, time.monotonic()))

    def close(self) -> None:
        """Close every kept connection; those handed out are closed when given back."""
        self._closed = True
        while self._idle:
            connection, _ = self._idle.pop()
            connection.close()

    def _forget_parents(self) -> None:
        # The kept connections are the parent process's: closing one here would end the
        # parent's session. Only the references go (psycopg closes nothing it did not open
        # in this process).
        with self._lock:
            if os.getpid() != self._pid:
                self._idle.clear()
                self._pid = os.getpid()

