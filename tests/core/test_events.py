"""The event bus: subscription by type, thread safety, and isolation of failing handlers."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kiosk.events import Event, EventBus


@dataclass(frozen=True, slots=True)
class CardInserted(Event):
    reader: str


@dataclass(frozen=True, slots=True)
class Other(Event):
    pass


def test_event_bus__subscribed_type__receives_only_matching_events():
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(CardInserted, seen.append)

    bus.publish(Other())
    bus.publish(CardInserted("Virtual PCD 00 00"))

    assert seen == [CardInserted("Virtual PCD 00 00")]


def test_event_bus__base_class_subscription__receives_every_event():
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(Event, seen.append)

    bus.publish(Other())
    bus.publish(CardInserted("r"))

    assert [type(e) for e in seen] == [Other, CardInserted]


def test_event_bus__closed_subscription__receives_nothing_more():
    bus = EventBus()
    seen: list[Event] = []
    subscription = bus.subscribe(Other, seen.append)

    subscription.close()
    subscription.close()
    bus.publish(Other())

    assert seen == []


def test_event_bus__failing_handler__others_still_receive(caplog):
    bus = EventBus()
    seen: list[Event] = []

    def broken(_event: Event) -> None:
        raise RuntimeError("screen gone")

    bus.subscribe(Other, broken)
    bus.subscribe(Other, seen.append)
    bus.publish(Other())

    assert seen == [Other()]
    assert "event handler failed for Other" in caplog.text


def test_event_bus__publish_from_many_threads__delivers_every_event_once():
    bus = EventBus()
    seen: list[Event] = []
    lock = threading.Lock()

    def record(event: Event) -> None:
        with lock:
            seen.append(event)

    bus.subscribe(CardInserted, record)
    threads = [threading.Thread(target=lambda i=i: [bus.publish(CardInserted(f"{i}-{n}"))
                                                    for n in range(200)]) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(e.reader for e in seen) == sorted(f"{i}-{n}" for i in range(8) for n in range(200))
