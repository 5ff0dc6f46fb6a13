"""The clerk login under guessing: the button waits after a failure, a locked account is
refused even with its password, a supervisor unlocks it at the desk; the demo's hint."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.staff import Role
from kiosk.services.staff import DEMO_LOGIN, DEMO_PASSWORD, StaffService
from kiosk.ui.clerk.clerk_window import ClerkWindow

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def _login(qtbot, window, login, password):
    window.login.login.setText(login)
    window.login.password.setText(password)
    qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)


def test_login__wrong_password__button_waits_and_early_right_password_not_checked(
        qtbot, window):
    _login(qtbot, window, "clerk1", "a wrong guess")

    assert window.login.message.text() == "職員IDまたはパスワードが正しくありません。"
    assert not window.login.submit.isEnabled()
    assert window.login.wait_note.text() == "2秒後にもう一度お試しいただけます。"
    window.login.password.setText(PASSWORD)
    qtbot.keyClick(window.login.password, Qt.Key.Key_Return)      # Return bypasses no button
    assert window.currentWidget() is window.login
    assert window.member is None

    qtbot.waitUntil(window.login.submit.isEnabled, timeout=10_000)
    assert not window.login.wait_note.isVisibleTo(window.login)
    _login(qtbot, window, "clerk1", PASSWORD)
    assert window.login.message.text() == ""
    assert window.currentWidget() is window.desk_page


def test_login__account_locked_on_another_pc__refused_until_a_supervisor_unlocks(
        qtbot, window, world):
    staff = world.services.storage.staff
    sato = StaffService(staff).add("sato", "佐藤", Role.CLERK, PASSWORD)
    staff.record_failure(sato.id, lockout_after=1)          # as another clerk PC left it

    _login(qtbot, window, "sato", PASSWORD)
    assert window.currentWidget() is window.login
    assert "ロックされています" in window.login.message.text()

    _login(qtbot, window, "clerk1", PASSWORD)                # a supervisor
    panel = window.locked_accounts
    assert window.tabs.tabText(window.tabs.indexOf(panel)) == "ロック中のアカウント"
    assert [panel.table.item(0, c).text() for c in (0, 1)] == ["sato", "佐藤"]
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "sato のロックを解除しました。"
    assert panel.locked == []
    assert panel.empty.isVisibleTo(panel)

    window.lock()
    _login(qtbot, window, "sato", PASSWORD)
    assert window.member.login == "sato"


@pytest.mark.parametrize("demo", [True, False])
def test_login_hint__demo_on_its_own_database_only__names_the_demo_account(qtbot, world, demo):
    services = dataclasses.replace(world.services, demo=demo)
    hint_shown = demo and not services.storage.shared    # never on a city hall's PostgreSQL
    window = ClerkWindow(services, idle_lock_s=600)
    qtbot.addWidget(window)
    StaffService(services.storage.staff).ensure_demo_account()

    assert window.login.hint.isVisibleTo(window.login) is hint_shown
    if hint_shown:
        assert DEMO_LOGIN in window.login.hint.text()
        assert DEMO_PASSWORD in window.login.hint.text()
        _login(qtbot, window, DEMO_LOGIN, DEMO_PASSWORD)
        assert window.member.login == DEMO_LOGIN
    window.close_bridge()
