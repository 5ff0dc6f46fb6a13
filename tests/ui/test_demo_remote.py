"""``kiosk demo --remote``: a fourth window, a branch desk, calls the clerk desktop (the main
office) through the simulated exchange: the request arrives, the specialist accepts, both
windows show the other's generated picture, the specialist's document-camera request shows the
branch's paper, and ending the call on one side ends it on the other."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt

from devices.remote.simulated import SimulatedExchange
from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.services.staff import DEMO_LOGIN, DEMO_PASSWORD, StaffService
from kiosk.ui.clerk.remote_branch_panel import BranchRemotePanel
from kiosk.ui.clerk.remote_panel import RemotePanel
from kiosk.ui.demo import demo_layout, demo_windows

pytestmark = pytest.mark.gui


@pytest.fixture
def demo(qtbot, tmp_path):
    config = load_config(None, environ={"KIOSK_DEVICE_DATA_DIR": str(tmp_path),
                                        "KIOSK_REMOTE_KIND": "simulated"})
    services = build_services(config, demo=True)
    StaffService(services.storage.staff, services.usage).ensure_demo_account()
    exchange = SimulatedExchange(connect_s=0.0)
    services.open_remote_call = lambda ticket: exchange.end(ticket.call_id, offering=False)
    built = demo_windows(services, [], branch_call=lambda t: exchange.end(t.call_id, offering=True))
    for window in built:
        qtbot.addWidget(window)
        window.show()
    yield services, built
    built[1].centralWidget().close_bridge()
    services.close()


def test_branch_window_calls_the_clerk_desktop(qtbot, demo):
    _services, windows = demo
    assert len(windows) == 4
    branch = windows[3].centralWidget()
    assert isinstance(branch, BranchRemotePanel)
    clerk = windows[1].centralWidget()
    clerk.login.login.setText(DEMO_LOGIN)
    clerk.login.password.setText(DEMO_PASSWORD)
    qtbot.mouseClick(clerk.login.submit, Qt.MouseButton.LeftButton)
    office = clerk.remote
    assert isinstance(office, RemotePanel)

    qtbot.mouseClick(branch.ask_button, Qt.MouseButton.LeftButton)
    office.refresh()
    assert office.table.item(0, 2).text() == "豊里総合支所"
    qtbot.mouseClick(office.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: branch.call is not None)
    qtbot.waitUntil(lambda: not office.picture.pixmap().isNull() and not branch.picture.pixmap().isNull())

    qtbot.mouseClick(office.document_button, Qt.MouseButton.LeftButton)
    assert office.call is not None
    qtbot.waitUntil(lambda: "document" in dict(office.call.stats().sources_received))

    qtbot.mouseClick(office.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: branch.call is None)                    # the branch's end followed
    assert branch.state.text() == "通話は終了しました。"


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_four_windows_fit_the_screen_without_overlapping(size):
    available = QRect(0, 0, *size)
    places = demo_layout(available, branch=True)
    assert len(places) == 4
    assert all(available.contains(place) for place in places)
    assert [(a, b) for i, a in enumerate(places) for b in places[i + 1:] if a.intersects(b)] == []
