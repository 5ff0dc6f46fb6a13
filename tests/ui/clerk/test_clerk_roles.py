"""What each role sees at the clerk desktop, and the return reason in the queue panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.audit import TicketIssued, UsageLog
from kiosk.domain.staff import Role
from kiosk.i18n import translator
from kiosk.services.review import RETURN_REASONS
from kiosk.services.staff import StaffService

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _login(qtbot, window, login, password=PASSWORD):
    window.login.login.setText(login)
    window.login.password.setText(password)
    _click(qtbot, window.login.submit)


def _tabs(window):
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


@pytest.mark.parametrize(("role", "tabs"), [
    (Role.CLERK, ["窓口", "会話"]),
    (Role.SUPERVISOR, ["窓口", "会話", "本日の集計", "ロック中のアカウント"]),
    (Role.AUDITOR, ["利用ログ"]),
    (Role.ADMIN, ["窓口", "会話", "本日の集計", "ロック中のアカウント", "利用ログ"]),
])
def test_desk__role__sees_its_tabs_only(qtbot, window, world, role, tabs):
    StaffService(world.services.storage.staff).add("staff2", "監査花子", role, PASSWORD)

    _login(qtbot, window, "staff2")

    assert window.currentWidget() is window.desk_page
    assert _tabs(window) == tabs
    assert (window.audit is not None) is (role in (Role.AUDITOR, Role.ADMIN))
    assert (window.queue is not None) is (role is not Role.AUDITOR)


def test_audit_tab__records_in_the_audit_dir__listed(qtbot, window, world):
    services = world.services
    log = UsageLog(services.config.audit_dir, "tablet-09", services.clock, fsync=False)
    log.record(TicketIssued(7, "A", 0, slip=True))
    log.close()
    StaffService(services.storage.staff).add("auditor1", "監査花子", Role.AUDITOR, PASSWORD)

    _login(qtbot, window, "auditor1")

    table = window.audit.table
    rows = [(table.item(r, 1).text(), table.item(r, 2).text(), table.item(r, 2).toolTip())
            for r in range(table.rowCount())]
    assert ("tablet-09", "整理券の発行", "ticket.issued") in rows     # the code as a tooltip


def test_queue__application_returned_and_ticket_held__reason_shown(qtbot, window, world):
    _login(qtbot, window, "clerk1")
    _click(qtbot, window.queue.buttons["next"])
    review = window.review
    review.return_reason.setCurrentIndex(review.return_reason.findData("document_needed"))
    _click(qtbot, review.buttons["return"])

    _click(qtbot, window.queue.buttons["hold"])

    state = window.queue.table.item(0, 4).text()
    assert state.startswith("保留")
    assert translator("ja")(RETURN_REASONS["document_needed"]) in state
