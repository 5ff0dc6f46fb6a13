"""The database goes away under a working clerk desk: a plain message, the desk stays, it recovers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.application import ApplicationStatus
from kiosk.ui.clerk.clerk_window import ClerkWindow

from .conftest import log_in_and_call_next

pytestmark = [pytest.mark.gui, pytest.mark.postgres]

OUTAGE_JA = ("データベースにつながりません。少し待ってから、もう一度操作してください。"
             "続くときは情報システム担当に連絡してください。")


@pytest.fixture
def desk(qtbot, outage_world):
    world, _server = outage_world
    window = ClerkWindow(world.services, idle_lock_s=600)
    qtbot.addWidget(window)
    window.show()
    log_in_and_call_next(qtbot, window)
    assert window.review.review is not None
    yield window
    window.close_bridge()


def test_clerk_desk__database_stopped__plain_message_desk_stays_and_recovers(
        qtbot, desk, outage_world):
    _world, server = outage_world
    server.stop()
    try:
        qtbot.mouseClick(desk.review.buttons["approve"], Qt.MouseButton.LeftButton)
        review_message = desk.review.message.text()
        qtbot.mouseClick(desk.queue.buttons["recall"], Qt.MouseButton.LeftButton)
        queue_message = desk.queue.message.text()
        desk._on_queue_changed(None)        # a queue change arriving while the database is away
        refreshed_message = desk.queue.message.text()
        still_on_desk = desk.currentWidget() is not desk.login
    finally:
        server.start()

    desk._on_queue_changed(None)            # what the listener sends once it is back
    assert desk.queue.message.text() == ""
    qtbot.mouseClick(desk.review.buttons["approve"], Qt.MouseButton.LeftButton)

    assert (review_message, queue_message, refreshed_message) == (OUTAGE_JA,) * 3
    assert still_on_desk
    assert desk.review.review is not None
    assert desk.review.review.status is ApplicationStatus.APPROVED, desk.review.message.text()
    assert desk.review.message.text() != OUTAGE_JA
