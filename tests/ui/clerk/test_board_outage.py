"""The waiting-room board through a database outage: no crash, it keeps showing the last call."""

from __future__ import annotations

import pytest

from kiosk.ui.board.factory import make_board

pytestmark = [pytest.mark.gui, pytest.mark.postgres]


def test_board__database_stopped__keeps_the_last_call_and_waiting_lines(qtbot, outage_world):
    world, server = outage_world
    board = make_board(world.services)
    qtbot.addWidget(board)
    board.show()
    world.services.queue.take_ticket("A")
    called = world.services.queue.call_next(["A"], counter="1番窓口")
    assert called is not None
    board.refresh()
    shown = (board.number.text(), board.waiting.isVisible())

    server.stop()
    try:
        board.refresh()                     # a queue change arriving while the database is away
        during = (board.number.text(), board.waiting.isVisible())
    finally:
        server.start()
    board.refresh()

    assert shown == during == (called.label, False)
    assert board.number.text() == called.label
