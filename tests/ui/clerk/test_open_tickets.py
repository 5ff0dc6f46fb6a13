"""A clerk desk restarted mid-call: the called ticket is not stranded.

Before, the store said ``called`` while the new desk said "no ticket called", the queue did
not list it and no button reached it. Now the login shows the tickets still the clerk's, and
the clerk continues serving, calls again, or returns them to the line.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.app import build_services
from kiosk.domain.staff import Role
from kiosk.domain.ticket import TicketState
from kiosk.services.staff import StaffService
from kiosk.ui.clerk.clerk_window import ClerkWindow
from kiosk.ui.common.widget_report import button_centres

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
    # The panel hides at once; for a double click's second click, the queue's buttons it
    # moved under the pointer stay dark for the double-click interval (the queue's 完了
    # took that click once).
    assert not panel.isVisible()
    assert not any(each.isEnabled() for each in window.queue.buttons.values())
    qtbot.waitUntil(window.queue.buttons["finish"].isEnabled, timeout=3000)
    waiting = [window.queue.table.item(r, 0).text() for r in range(window.queue.table.rowCount())]
    assert ("A-001" in waiting) is (state is TicketState.ISSUED)
    if current:
        _click(qtbot, window.queue.buttons["finish"])
        assert restarted.storage.queue.get(world.ticket_id).state is TicketState.DONE


def test_take_over__double_clicked__second_click_dropped_where_it_lands(qtbot, world,
                                                                       restarted):
    window = _desk(qtbot, restarted)
    window.resize(1200, 800)            # the desk as `kiosk clerk` opens it
    _settle(qtbot)
    button = window.open_tickets.buttons["take_over"]
    spot = button.mapToGlobal(button.rect().center())

    _click(qtbot, button)
    QApplication.processEvents()                    # the desk laid out anew
    under = QApplication.widgetAt(spot)             # what the second click lands on now
    assert under is not None
    qtbot.mouseClick(under, Qt.MouseButton.LeftButton, pos=under.mapFromGlobal(spot))
    QApplication.processEvents()

    assert restarted.storage.queue.get(world.ticket_id).state is TicketState.CALLED
    assert window.queue.desk.current is not None
    assert window.review.review is not None
    assert QApplication.activePopupWidget() is None     # no list opened to take a click


def test_take_over__after_the_action__the_desk_moves_nothing_any_more(qtbot, restarted):
    # What the desk shows once an action returned is where a clerk (and the pilot day's
    # script, which clicks where the desk's report says) aims next: the review's buttons
    # must not move a moment later. The open tickets' panel used to hide on a timer after
    # the double-click interval, and the whole review moved under a click on 印刷.
    window = _desk(qtbot, restarted)
    window.resize(1200, 800)
    _settle(qtbot)

    _click(qtbot, window.open_tickets.buttons["take_over"])
    _settle(qtbot)
    shown = _review_buttons(window)
    qtbot.wait(3 * QApplication.doubleClickInterval())
    _settle(qtbot)

    assert "review-approve" in shown
    assert _review_buttons(window) == shown


def _settle(qtbot) -> None:
    QApplication.processEvents()
    qtbot.wait(20)


def _review_buttons(window: ClerkWindow) -> dict[str, list[int]]:
    return {name: place for name, place in button_centres(window).items()
            if name.startswith("review-")}


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
