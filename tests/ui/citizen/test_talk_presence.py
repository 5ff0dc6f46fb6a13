"""The talk page tells the citizen whether the clerk's screen (another machine) is connected."""

from __future__ import annotations

import pytest

from kiosk.events import EventBus
from kiosk.i18n import translator
from kiosk.ports import SystemClock
from kiosk.services.conversation import Conversation
from kiosk.services.presence import LocalRelay

pytestmark = pytest.mark.gui

CONNECTED = "The staff's screen is connected: the staff see what you tap and type."
NOT_CONNECTED = "The staff's screen is not connected. Please call the staff."


class SharedRelay(LocalRelay):
    shared = True


def test_talk__clerk_pc_connects__page_says_so_in_the_citizens_language(make_kiosk, qtbot):
    kiosk = make_kiosk()
    relay = SharedRelay()
    kiosk.tablet.conversation = Conversation(kiosk.services.events, SystemClock(), None,
                                             relay=relay)
    clerk = Conversation(EventBus(), SystemClock(), None, relay=relay)
    kiosk.tablet.visit.set_language("vi")
    kiosk.pilot.tap("start")
    kiosk.pilot.tap("talk")
    kiosk.pilot.settle()
    page = kiosk.tablet.talk_page
    before = page.peer.text()

    kiosk.tablet.conversation.start()
    clerk.start()
    qtbot.waitUntil(lambda: page.peer.text() != before, timeout=2000)

    assert page.peer.isVisibleTo(page)
    assert before == translator("vi")(NOT_CONNECTED)
    assert page.peer.text() == translator("vi")(CONNECTED)
    assert page.peer.text() != CONNECTED                      # translated, not English


def test_talk__demo_in_one_process__no_presence_line(make_kiosk):
    kiosk = make_kiosk()
    kiosk.pilot.tap("start")
    kiosk.pilot.tap("talk")
    kiosk.pilot.settle()

    assert not kiosk.tablet.talk_page.peer.isVisibleTo(kiosk.tablet.talk_page)
