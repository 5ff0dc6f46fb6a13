"""The clerk sees who said "I have stepped out" on the ticket page, and when they are back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def test_queue__visitor_stepped_out_then_back__state_column_follows(qtbot, window, world):
    window.login.login.setText("clerk1")
    window.login.password.setText(PASSWORD)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
    state = lambda: window.queue.table.item(0, 4).text()  # noqa: E731

    world.services.stepped_out.set(world.ticket_id, True)      # as the feed applies it
    qtbot.waitUntil(lambda: state() == "外出中", timeout=3000)
    world.services.stepped_out.set(world.ticket_id, False)
    qtbot.waitUntil(lambda: state() == "", timeout=3000)

    assert window.queue.table.item(0, 0).text() == "A-001"
