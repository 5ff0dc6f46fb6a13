"""A returned application's reason reaches the citizen's tablet at the same counter, in the
language they applied in: the clerk presses 市民に差し戻す, the tablet (another device, over the
conversation relay) shows the people-made translation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.events import EventBus
from kiosk.i18n import translator
from kiosk.ports import SystemClock
from kiosk.services.conversation import Conversation
from kiosk.services.presence import LocalRelay
from kiosk.services.review import RETURN_REASONS
from kiosk.ui.citizen.counter_notice import CounterNoticeBar
from kiosk.ui.clerk.clerk_window import ClerkWindow

from ..clerk.conftest import PASSWORD, make_world
from ..clipping import clipped_texts

pytestmark = pytest.mark.gui


class SharedRelay(LocalRelay):
    """In one process, but says it crosses devices (as the PostgreSQL relay does)."""

    shared = True


@pytest.fixture
def counter(qtbot, tmp_path, database_url):
    """The clerk desktop and the citizen's tablet bar of one counter, each with its own bus."""
    world = make_world(tmp_path, database_url)
    relay = SharedRelay()
    world.services.conversation = Conversation(world.services.events, SystemClock(), None,
                                               relay=relay)
    tablet_events = EventBus()
    Conversation(tablet_events, SystemClock(), None, relay=relay)
    bar = CounterNoticeBar(tablet_events, target=80)
    qtbot.addWidget(bar)
    bar.resize(1000, 300)
    clerk = ClerkWindow(world.services, idle_lock_s=600)
    qtbot.addWidget(clerk)
    clerk.show()
    yield world, clerk, bar
    clerk.close_bridge()
    world.services.close()


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("reason_id", sorted(RETURN_REASONS))
def test_return__clerk_returns__tablet_shows_reason_in_citizens_language(qtbot, counter,
                                                                          reason_id):
    _world, clerk, bar = counter
    clerk.login.login.setText("clerk1")
    clerk.login.password.setText(PASSWORD)
    _click(qtbot, clerk.login.submit)
    _click(qtbot, clerk.queue.buttons["next"])
    clerk.review.return_reason.setCurrentIndex(clerk.review.return_reason.findData(reason_id))
    assert not bar.isVisible()

    _click(qtbot, clerk.review.buttons["return"])

    qtbot.waitUntil(bar.isVisible, timeout=2000)
    # The application was made in English: the tablet says it in English, not Japanese.
    english = translator("en")
    assert bar.text.text() == english(RETURN_REASONS[reason_id])
    assert bar.ok.text() == english("OK")


def test_notice__not_a_return_reason__not_shown(qtbot):
    events = EventBus()
    relay = SharedRelay()
    clerk = Conversation(EventBus(), SystemClock(), None, relay=relay)
    Conversation(events, SystemClock(), None, relay=relay)
    bar = CounterNoticeBar(events, target=80)
    qtbot.addWidget(bar)
    bar.show()
    bar.hide()

    clerk.signals.notice("Anything a forged message says", "en")
    qtbot.wait(100)

    assert not bar.isVisible()


@pytest.mark.parametrize(("language", "scale"), [("vi", 100), ("ne", 200), ("ja", 150)])
def test_tablet__notice_from_the_clerk__shown_whole_in_that_language(make_kiosk, language,
                                                                    scale):
    kiosk = make_kiosk(text_scale=scale)
    reason = RETURN_REASONS["document_needed"]

    # The demo: the clerk's screen and the tablet share one conversation in one process.
    kiosk.services.conversation.signals.notice(reason, language)
    kiosk.pilot.settle()

    bar = kiosk.tablet.counter_notice
    assert bar.isVisible()
    assert bar.text.text() == translator(language)(reason)
    assert clipped_texts(bar) == []
    _screenshot(kiosk.tablet, f"tablet-counter-notice-{language}-{scale}")
    kiosk.pilot.tap("counter-notice-ok")
    assert not bar.isVisible()


def _screenshot(widget, name):
    folder = os.environ.get("KIOSK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))
