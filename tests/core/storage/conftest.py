"""Fixtures of the storage tests: a controllable clock and an upgraded database on both engines."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.storage.database import Storage, open_storage
from kiosk.storage.sealing import AnswerSealer


class FakeClock:
    """A clock the test moves by hand (thread-safe: the concurrency tests share it)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 4, 1, 0, 30, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            self._now += timedelta(microseconds=1)  # strictly increasing, like real time
            return self._now

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def storage(database_url: str, clock: FakeClock) -> Iterator[Storage]:
    """The database of ``database_url`` upgraded to head, with services A (住民票) and B (税)."""
    opened = open_storage(database_url, clock, auto_upgrade=True, pool_size=8)
    opened.queue.add_service("A", "A", "住民票・印鑑証明", default_service_seconds=300)
    opened.queue.add_service("B", "B", "税証明", default_service_seconds=600)
    yield opened
    opened.close()


@pytest.fixture
def sealer() -> AnswerSealer:
    return AnswerSealer(bytes(range(32)))


class TcpProxy:
    """A TCP forwarder on 127.0.0.1 that the test can cut (an outage) and restore.

    Cutting closes the listening socket and every forwarded connection, which is what a
    tablet sees when the LAN or the database server goes away.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.port = 0
        self.restore()

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, []
        if listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self._target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def postgres_behind_proxy(postgres_server) -> Iterator[tuple[str, TcpProxy]]:
    """A fresh PostgreSQL database reached through a :class:`TcpProxy`: (URL, proxy)."""
    name = postgres_server.create_database()
    proxy = TcpProxy((postgres_server.host, postgres_server.port))
    auth = postgres_server.user + (f":{postgres_server.password}"
                                   if postgres_server.password else "")
    yield f"postgresql+psycopg://{auth}@127.0.0.1:{proxy.port}/{name}", proxy
    proxy.cut()
