"""Live updates: a change committed by another device reaches the event bus within a second."""

from __future__ import annotations

import threading

import pytest

from kiosk.domain.ticket import QueueChanged
from kiosk.events import EventBus
from kiosk.storage.database import open_storage
from kiosk.storage.listener import QueueListener


def test_listener__other_device_issues__queue_changed_within_a_second(storage, database_url,
                                                                       clock):
    bus = EventBus()
    seen: list[QueueChanged] = []
    arrived = threading.Event()

    def on_change(event: QueueChanged) -> None:
        seen.append(event)
        arrived.set()

    bus.subscribe(QueueChanged, on_change)
    listener = QueueListener(storage.engine, bus, poll_seconds=0.05)
    listener.start()
    other_device = open_storage(database_url, clock)
    try:
        ticket = other_device.queue.issue("B")
        got_it = arrived.wait(timeout=1.0)
    finally:
        listener.stop()
        other_device.close()

    assert got_it
    if storage.shared:   # PostgreSQL says what changed; SQLite polling only that something did
        assert QueueChanged(service="B", ticket_id=ticket.id, state="issued") in seen


def test_listener__stopped__publishes_nothing_more(storage, clock):
    bus = EventBus()
    seen: list[QueueChanged] = []
    bus.subscribe(QueueChanged, seen.append)
    listener = QueueListener(storage.engine, bus, poll_seconds=0.05)
    listener.start()
    listener.stop()

    storage.queue.issue("A")
    threading.Event().wait(0.2)

    assert seen == []


@pytest.mark.postgres
def test_listener__connection_lost__reconnects_and_asks_for_a_full_refresh(
        postgres_behind_proxy, clock):
    url, proxy = postgres_behind_proxy
    storage = open_storage(url, clock, auto_upgrade=True)
    storage.queue.add_service("A", "A", "住民票")
    bus = EventBus()
    seen: list[QueueChanged] = []
    refreshed = threading.Event()
    issued = threading.Event()

    def on_change(event: QueueChanged) -> None:
        seen.append(event)
        (issued if event.ticket_id else refreshed).set()

    bus.subscribe(QueueChanged, on_change)
    listener = QueueListener(storage.engine, bus, poll_seconds=0.05)
    listener.start()
    try:
        proxy.cut()
        threading.Event().wait(0.3)
        proxy.restore()
        got_refresh = refreshed.wait(timeout=5)
        storage.queue.issue("A")
        got_issue = issued.wait(timeout=2)
    finally:
        listener.stop()
        storage.close()

    assert got_refresh
    assert got_issue
