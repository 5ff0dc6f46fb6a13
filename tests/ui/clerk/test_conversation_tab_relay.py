"""The clerk's tab when the visitor's tablet is another machine: presence and language follow."""

from __future__ import annotations

import pytest

from kiosk.events import EventBus
from kiosk.i18n import staff_translator
from kiosk.ports import SystemClock
from kiosk.services.conversation import Conversation
from kiosk.services.presence import LocalRelay
from kiosk.ui.clerk.conversation_tab import ConversationTab

pytestmark = pytest.mark.gui


class SharedRelay(LocalRelay):
    """In one process, but says it crosses devices (as the PostgreSQL relay does)."""

    shared = True


def _pair(qtbot, relay=None):
    relay = relay or SharedRelay()
    events = EventBus()
    clerk = Conversation(events, SystemClock(), None, "ja", relay=relay)
    tablet = Conversation(EventBus(), SystemClock(), None, "ja", relay=relay)
    tab = ConversationTab(clerk, events, None, staff_translator("ja"))
    qtbot.addWidget(tab)
    return tab, clerk, tablet


def test_conversation_tab__tablet_starts_then_stops__connected_then_not(qtbot):
    tab, clerk, tablet = _pair(qtbot)
    clerk.start()
    before = tab.peer.text()

    tablet.start()
    qtbot.waitUntil(lambda: tab.peer.text() != before, timeout=2000)
    connected = tab.peer.text()
    tablet.stop()
    qtbot.waitUntil(lambda: tab.peer.text() == before, timeout=2000)

    assert tab.peer.isVisibleTo(tab)
    assert "接続されています" in connected
    assert "接続されていません" in before


def test_conversation_tab__language_chosen_on_tablet__selector_follows(qtbot):
    tab, clerk, tablet = _pair(qtbot)

    tablet.set_visitor_language("vi")

    qtbot.waitUntil(lambda: tab.visitor_language.currentData() == "vi", timeout=2000)
    assert clerk.visitor_language == "vi"


def test_conversation_tab__one_process__no_presence_line(qtbot):
    tab, _, _ = _pair(qtbot, LocalRelay())

    assert not tab.peer.isVisibleTo(tab)
