"""The clerk desk's Remote counter tab with [remote] kind = "simulated": a branch's request is
accepted there, the call shows, and locking the desk ends the call and records it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from kiosk.app import build_remote
from kiosk.audit.events import RemoteCallUsed
from kiosk.audit.recorder import ListUsage
from kiosk.config import RemoteConfig
from kiosk.ui.clerk.clerk_window import ClerkWindow

from .conftest import PASSWORD

pytestmark = pytest.mark.gui


def test_remote_tab__simulated__accept_then_lock_ends_the_call(qtbot, world):
    services = world.services
    usage = ListUsage()
    config = replace(services.config, remote=RemoteConfig(kind="simulated"))
    services.remote, services.open_remote_call = build_remote(
        config, services.storage, services.clock, usage, bytes(32))
    window = ClerkWindow(services, idle_lock_s=600)
    qtbot.addWidget(window)
    window.show()
    try:
        assert services.remote is not None
        services.remote.request("A", "米山総合支所", "pt")
        window.login.login.setText("clerk1")
        window.login.password.setText(PASSWORD)
        qtbot.mouseClick(window.login.submit, Qt.MouseButton.LeftButton)
        panel = window.remote
        assert panel is not None
        titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        assert "リモート窓口" in titles
        assert panel.table.rowCount() == 1

        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state.text() == "通話中")
        call = panel.call
        window.lock()
        assert call is not None
        assert call.state == "ended"
        assert panel.call is None
        [event] = usage.of(RemoteCallUsed)
        assert (event.outcome, event.branch, event.language) == ("ended", "米山総合支所", "pt")  # type: ignore[attr-defined]
    finally:
        window.close_bridge()
