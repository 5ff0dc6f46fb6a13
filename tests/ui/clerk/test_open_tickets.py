"""A clerk desk restarted mid-call: the called ticket is not stranded.

Before, the store said ``called`` while the new desk said "no ticket called", the queue did
not list it and no button reached it. Now the login shows the tickets still the clerk's, and
the clerk continues serving, calls again, or returns them to the line.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.app import build_services
from kiosk.domain.staff import Role
from kiosk.domain.ticket import TicketState
from kiosk.services.staff import StaffService
from kiosk.ui.clerk.clerk_window import ClerkWindow

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _desk(qtbot, services, login="clerk1"):
    window = ClerkWindow(services, idle_lock_s=600)
    qtbot.addWidget(window)
    window.show()
    window.login.login.setText(login)
    window.login.password.setText(PASSWORD)
    _click(qtbot, window.login.submit)
    assert window.currentWidget() is window.desk_page
    return window


@pytest.fixture
def restarted(qtbot, world):
    """Ticket A-001 called at a desk that then died; a new desk process on the same database."""
    before = _desk(qtbot, world.services)
    _click(qtbot, before.queue.buttons["next"])
    assert before.queue.desk.current.label == "A-001"
    before.close_bridge()
    before.close()          # qtbot deletes it at teardown (deleteLater broke its close)
    services = build_services(world.services.config)      # as a new process would
    yield services
    services.close()


@pytest.mark.parametrize(("button", "state", "current", "application_open"), [
    ("take_over", TicketState.CALLED, "A-001", True),
    ("recall", TicketState.RECALLED, "A-001", True),
    ("return", TicketState.ISSUED, None, False),
])
def test_restart_mid_call__login__ticket_shown_and_resumable(qtbot, world, restarted, button,
                                                             state, current, application_open):
    window = _desk(qtbot, restarted)
    panel = window.open_tickets
    assert panel.isVisible()
    assert [panel.table.item(0, c).text() for c in (0, 1)] == ["A-001", "呼び出し中"]
    assert window.queue.current.text() == "呼び出し中の番号はありません。"

    _click(qtbot, panel.buttons[button])

    ticket = restarted.storage.queue.get(world.ticket_id)
    assert ticket.state is state
    assert (window.queue.desk.current.label if window.queue.desk.current else None) == current
    assert (window.review.review is not None) is application_open
    # For a double click's second click: the panel stays where it was, its buttons dark
    # (hidden at once, the queue's 完了 moved under the pointer and took that click).
    assert panel.isVisible()
    assert not any(each.isEnabled() for each in panel.buttons.values())
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=3000)
    waiting = [window.queue.table.item(r, 0).text() for r in range(window.queue.table.rowCount())]
    assert ("A-001" in waiting) is (state is TicketState.ISSUED)
    if current:
        _click(qtbot, window.queue.buttons["finish"])
        assert restarted.storage.queue.get(world.ticket_id).state is TicketState.DONE


def test_restart_mid_call__another_clerk_at_that_counter__sees_it_too(qtbot, restarted):
    StaffService(restarted.storage.staff).add("sato", "佐藤", Role.CLERK, PASSWORD)

    window = _desk(qtbot, restarted, login="sato")

    assert [t.label for t in window.open_tickets.tickets] == ["A-001"]
    assert window.open_tickets.isVisible()


def test_open_tickets__call_of_another_counter__not_shown(qtbot, world):
    world.services.queue.call_next(["A"], counter="2番窓口", staff_id=None)

    window = _desk(qtbot, world.services)

    assert window.open_tickets.tickets == []
    assert not window.open_tickets.isVisible()
