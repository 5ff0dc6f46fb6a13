"""An event bridge leaves the bus when its parent widget is deleted (pages come and go)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget

from kiosk.events import Event, EventBus
from kiosk.ui.common.bridge import EventBridge

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class Ping(Event):
    """A test event."""


def test_event_bridge__parent_deleted__no_more_deliveries_and_nothing_logged(qapp, caplog):
    bus = EventBus()
    page = QWidget()
    received: list[Event] = []
    bridge = EventBridge(bus, Ping, page)
    bridge.received.connect(received.append)
    bus.publish(Ping())
    QCoreApplication.processEvents()

    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    with caplog.at_level(logging.ERROR, logger="kiosk.events"):
        bus.publish(Ping())
        QCoreApplication.processEvents()

    assert len(received) == 1
    assert caplog.records == []
